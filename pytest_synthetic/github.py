"""GitHub Actions: an `::error` workflow command per failing item, and a job summary in Markdown.

On by itself when GITHUB_ACTIONS=true (what every Actions runner sets); `--synthetic-github`
(ini `synthetic_github`) forces it on or off. Only the controller (or a plain run) writes.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from pytest_synthetic import tally
from pytest_synthetic.report import ItemOutcome, SessionReport

MODES = ("auto", "on", "off")
# GitHub shows at most 10 error annotations per step; the rest are counted in one notice.
ANNOTATIONS_SHOWN = 10
SUMMARY_ITEMS_SHOWN = 50  # failing items listed per dataset in the job summary
OUTCOME_COLUMNS = ("passed", "failed", "error", "skipped")
TEXT_COLUMNS = frozenset({"check", "language", "item", "reason"})


def add_options(group: Any, parser: pytest.Parser) -> None:
    group.addoption(
        "--synthetic-github",
        choices=MODES,
        metavar="auto|on|off",
        help="GitHub Actions annotations and job summary (default auto: on when GITHUB_ACTIONS=true)",
    )
    parser.addini("synthetic_github", "GitHub Actions annotations and job summary: auto, on or off", default="auto")


def enabled(config: pytest.Config) -> bool:
    mode = str(config.getoption("synthetic_github") or config.getini("synthetic_github") or "auto").strip().lower()
    if mode not in MODES:
        raise pytest.UsageError(f"pytest-synthetic: bad setting: synthetic_github is auto, on or off, not {mode!r}")
    if mode == "auto":
        return os.environ.get("GITHUB_ACTIONS") == "true"
    return mode == "on"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workspace_path(file: str) -> str:
    """The dataset's path as the Actions UI links it: relative to the checkout (GITHUB_WORKSPACE)."""
    base = os.environ.get("GITHUB_WORKSPACE") or str(Path.cwd())
    return Path(os.path.relpath(file, base)).as_posix()


def first_line(item: ItemOutcome) -> str:
    lines = item.summary.strip().splitlines()
    return f"{item.check}: {lines[0] if lines else item.outcome}"


def error_command(item: ItemOutcome) -> str:
    properties = [f"file={escape_property(workspace_path(item.file))}"]
    if item.line:
        properties.append(f"line={item.line}")
    properties.append(f"title={escape_property(item.nodeid or item.check)}")
    return f"::error {','.join(properties)}::{escape_data(first_line(item))}"


def workflow_commands(failing: list[ItemOutcome]) -> list[str]:
    lines = [error_command(item) for item in failing[:ANNOTATIONS_SHOWN]]
    rest = len(failing) - ANNOTATIONS_SHOWN
    if rest > 0:
        lines.append(f"::notice title=pytest-synthetic::{rest} more failing item(s); the job summary lists them")
    return lines


def by_place(item: ItemOutcome) -> tuple[str, bool, int, str]:
    """By file, entries by line, then the dataset-wide items."""
    return item.file, not item.line, item.line, item.check


def cell(text: object) -> str:
    """Text safe inside a Markdown table cell (no pipes, no line breaks, no HTML)."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace("\n", " ")


def table(header: Iterable[str], rows: Iterable[Iterable[object]]) -> list[str]:
    """Counts right-aligned, names and reasons left."""
    names = list(header)
    rule = "|" + "|".join("---" if name in TEXT_COLUMNS else "---:" for name in names) + "|"
    lines = ["| " + " | ".join(names) + " |", rule]
    lines.extend("| " + " | ".join(cell(value) for value in row) + " |" for row in rows)
    return lines


def dataset_summary(file: str, items: list[ItemOutcome]) -> list[str]:
    lines = [f"### `{cell(workspace_path(file))}`: {tally.verdict(items)}", ""]
    checks = tally.per_check(items)
    lines += table(["check", *OUTCOME_COLUMNS], ([c, *(n[o] for o in OUTCOME_COLUMNS)] for c, n in checks.items()))
    languages = tally.per_language(items)
    if languages:
        rows = ([name, t.passed, t.not_executed, t.failing, t.total] for name, t in languages.items())
        lines += ["", *table(["language", "passed", "not executed", "failing", "entries"], rows)]
    failing = sorted(tally.failing_items(items), key=by_place)
    if failing:
        lines += ["", f"Failing items ({len(failing)}):", ""]
        shown = failing[:SUMMARY_ITEMS_SHOWN]
        rows = ([f"`{i.nodeid or i.check}`", i.line or "", first_line(i)] for i in shown)
        lines += table(["item", "line", "reason"], rows)
        if len(failing) > len(shown):
            lines += ["", f"... and {len(failing) - len(shown)} more (`--synthetic-report` writes them all)"]
    return [*lines, ""]


def job_summary(outcomes: Iterable[ItemOutcome]) -> str:
    by_file: dict[str, list[ItemOutcome]] = {}
    for item in outcomes:
        by_file.setdefault(item.file, []).append(item)
    lines = ["## pytest-synthetic", ""]
    for file in sorted(by_file):
        lines += dataset_summary(file, by_file[file])
    return "\n".join(lines) + "\n"


class GitHubActions:
    """A pytest plugin object beside the SessionReport, reading what it gathered."""

    def __init__(self, report: SessionReport) -> None:
        self.report = report

    @pytest.hookimpl(trylast=True)  # after the synthetic summary
    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        failing = sorted(tally.failing_items(self.report.outcomes.values()), key=by_place)
        for line in workflow_commands(failing):
            terminalreporter.write_line(line)

    @pytest.hookimpl
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        target = os.environ.get("GITHUB_STEP_SUMMARY")
        if not target or not self.report.outcomes:
            return
        with Path(target).open("a", encoding="utf-8") as out:
            out.write(job_summary(self.report.outcomes.values()))
