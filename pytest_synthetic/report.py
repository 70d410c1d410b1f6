"""Terminal summary, JSON report and the file of kept entries, gathered on the controller."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from pytest_synthetic import tally
from pytest_synthetic.records import read_records
from pytest_synthetic.runinfo import describe_run

WEAKEST_SHOWN = 5


@dataclass
class ItemOutcome:
    file: str
    query_id: str
    line: int
    language: str
    check: str
    outcome: str  # passed, failed, error, skipped
    summary: str
    details: dict[str, Any] = field(default_factory=dict)
    nodeid: str = ""


def _outcome(report: pytest.TestReport) -> str:
    if report.when == "call":
        return report.outcome
    return "skipped" if report.skipped else "error"


class SessionReport:
    """A pytest plugin object: collects every check item's report, then writes the summaries."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.outcomes: dict[tuple[str, int, str], ItemOutcome] = {}

    @pytest.hookimpl
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        data = getattr(report, "synthetic", None)
        if data is None or (report.when != "call" and report.passed):
            return
        key = (data["file"], int(data["line"]), data["check"])
        if key in self.outcomes and self.outcomes[key].outcome != "passed":
            return  # a failed setup or call is not overwritten by a teardown
        self.outcomes[key] = ItemOutcome(
            file=data["file"],
            query_id=data["query_id"],
            line=int(data["line"]),
            language=data["language"],
            check=data["check"],
            outcome=_outcome(report),
            summary=data.get("summary", ""),
            details=data.get("details", {}),
            nodeid=report.nodeid,
        )

    # ---- what is written ------------------------------------------------------------

    def entries(self) -> dict[tuple[str, int], list[ItemOutcome]]:
        grouped: dict[tuple[str, int], list[ItemOutcome]] = defaultdict(list)
        for outcome in self.outcomes.values():
            if outcome.line:
                grouped[(outcome.file, outcome.line)].append(outcome)
        return grouped

    def as_json(self) -> dict[str, Any]:
        entries = []
        for (file, line), items in sorted(self.entries().items()):
            first = items[0]
            entries.append(
                {
                    "file": file,
                    "line": line,
                    "query_id": first.query_id,
                    "language": first.language,
                    "checks": {i.check: {"outcome": i.outcome, "reason": i.summary, **i.details} for i in items},
                }
            )
        dataset = [
            {"file": o.file, "check": o.check, "outcome": o.outcome, "reason": o.summary, **o.details}
            for o in self.outcomes.values()
            if not o.line
        ]
        contaminated = {
            file: counts
            for file in sorted({o.file for o in self.outcomes.values()})
            if (counts := contaminated_per_source(o for o in self.outcomes.values() if o.file == file))
        }
        return {"entries": entries, "dataset": dataset, "contaminated_per_source": contaminated}

    def kept(self, unexecuted: bool = False) -> dict[str, set[int]]:
        """Entries whose checks all passed: lines per file. One whose execution was skipped (a
        missing toolchain) only when `unexecuted` is asked for."""
        wanted = {tally.PASSED, tally.NOT_EXECUTED} if unexecuted else {tally.PASSED}
        keep: dict[str, set[int]] = defaultdict(set)
        for (file, line), items in self.entries().items():
            if tally.entry_status(items) in wanted and any(i.outcome == "passed" for i in items):
                keep[file].add(line)
        return keep

    def write_keep(self, target: Path, unexecuted: bool = False) -> int:
        """The kept entries, unchanged."""
        keep = self.kept(unexecuted)
        kept = 0
        with target.open("w", encoding="utf-8") as out:
            for file in sorted(keep):
                for record in read_records(file):
                    if record.line in keep[file]:
                        out.write(record.raw + "\n")
                        kept += 1
        return kept

    @pytest.hookimpl
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        report_path = self.config.getoption("synthetic_report")
        if report_path:
            files = {o.file for o in self.outcomes.values()}
            data = {**self.as_json(), "run": describe_run(self.config, files)}  # what a merge compares
            Path(report_path).write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        keep_path = self.config.getoption("synthetic_keep")
        if keep_path:
            self.write_keep(Path(keep_path), bool(self.config.getoption("synthetic_keep_unexecuted")))

    # ---- the terminal summary -------------------------------------------------------

    @pytest.hookimpl
    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if not self.outcomes:
            return
        write = terminalreporter.write_line
        terminalreporter.section("synthetic dataset summary")
        for line in self.summary_lines():
            write(line)

    def summary_lines(self) -> list[str]:
        lines: list[str] = []
        files = sorted({o.file for o in self.outcomes.values()})
        for file in files:
            items = [o for o in self.outcomes.values() if o.file == file]
            lines.append(f"{Path(file).name}:")
            lines.extend(self._check_table(items))
            lines.extend(self._language_table(items))
            lines.extend(self._strength_lines(items))
            lines.extend(_contamination_lines(items))
            lines.append(f"  verdict: {tally.verdict(items)}")
        return lines

    @staticmethod
    def _check_table(items: list[ItemOutcome]) -> list[str]:
        rows = ["  per check:"]
        for check, counts in tally.per_check(items).items():
            total = sum(counts.values())
            extra = ", ".join(f"{n} {k}" for k, n in sorted(counts.items()) if k != "passed")
            rows.append(f"    {check:<13} {counts['passed']:>5}/{total:<5} passed" + (f"  ({extra})" if extra else ""))
        return rows

    @staticmethod
    def _strength_lines(items: list[ItemOutcome]) -> list[str]:
        scored = [i for i in items if i.check == "strength" and isinstance(i.details.get("score"), (int, float))]
        if not scored:
            return []
        per_language: dict[str, list[float]] = defaultdict(list)
        for item in scored:
            per_language[item.language].append(float(item.details["score"]))
        rows = ["  strength (mean mutation score per language):"]
        rows.extend(
            f"    {language:<11} {sum(scores) / len(scores):.2f}  ({len(scores)} entries)"
            for language, scores in sorted(per_language.items())
        )
        weakest = sorted(scored, key=lambda i: (float(i.details["score"]), i.line))[:WEAKEST_SHOWN]
        rows.append(
            "  weakest assertions: "
            + ", ".join(f"{i.query_id} ({i.language}, {float(i.details['score']):.2f})" for i in weakest)
        )
        return rows

    @staticmethod
    def _language_table(items: list[ItemOutcome]) -> list[str]:
        per_language = tally.per_language(items)
        if not per_language:
            return []
        rows = ["  per language (entries with every check passed):"]
        for language, counts in per_language.items():
            unexecuted = f"  ({counts.not_executed} not executed)" if counts.not_executed else ""
            rows.append(f"    {language:<11} {counts.passed:>5}/{counts.total}{unexecuted}")
        return rows


def contaminated_per_source(items: Iterable[ItemOutcome]) -> dict[str, int]:
    """How many entries copy an item of each benchmark source (an entry may count for several)."""
    counts: Counter[str] = Counter()
    for item in items:
        if item.check == "contamination" and item.outcome == "failed":
            counts.update(set(item.details.get("sources", [])))
    return dict(sorted(counts.items()))


def _contamination_lines(items: list[ItemOutcome]) -> list[str]:
    counts = contaminated_per_source(items)
    if not counts:
        return []
    return ["  contaminated entries per source: " + ", ".join(f"{source} {n}" for source, n in counts.items())]
