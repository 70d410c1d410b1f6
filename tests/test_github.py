"""GitHub Actions: workflow commands and the job summary, from a real pytest run with the
variables a runner sets (GITHUB_ACTIONS, GITHUB_STEP_SUMMARY, GITHUB_WORKSPACE)."""

from __future__ import annotations

from pathlib import Path

import pytest
from ci_entries import FAILING, GOOD, SWIFT, write_dataset

from pytest_synthetic import github
from pytest_synthetic.report import ItemOutcome

pytest_plugins = ["pytester"]

MIX = [
    "--synthetic-size=3",
    "--synthetic-language-quotas=Python=2,other=1",
    "--synthetic-difficulty-quotas=medium=1,advanced=1,very_advanced=1",
    "-k",
    "not strength",
    "-p",
    "no:cacheprovider",
]


@pytest.fixture
def actions(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A runner's environment; the dataset in a folder of the workspace. Returns the summary file."""
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(pytester.path))
    summary = pytester.path / "step_summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    (pytester.path / "data").mkdir()
    write_dataset(pytester.path / "data" / "synthetic_ci.jsonl", GOOD, FAILING, SWIFT)
    return summary


def error_lines(result: pytest.RunResult) -> list[str]:
    return [line for line in result.outlines if line.startswith("::")]


@pytest.mark.parametrize("xdist", [[], ["-n", "2"]], ids=["plain", "xdist"])
def test_failing_items_become_error_commands_and_a_job_summary(
    pytester: pytest.Pytester, actions: Path, xdist: list[str]
) -> None:
    result = pytester.runpytest_subprocess("--synthetic-dataset=data/synthetic_ci.jsonl", *MIX, *xdist)
    assert result.ret == 1
    commands = error_lines(result)
    assert len(commands) == 1, commands
    command = commands[0]
    assert command.startswith(
        "::error file=data/synthetic_ci.jsonl,line=2,title=data/synthetic_ci.jsonl%3A%3Adigits-002%3A%3Aexecution::"
    )
    assert "execution: " in command
    assert "\n" not in command

    summary = actions.read_text(encoding="utf-8")
    assert summary.startswith("earlier step\n## pytest-synthetic\n")  # appended, not overwritten
    assert "### `data/synthetic_ci.jsonl`: FAIL (1 failing item(s))" in summary
    assert "| execution | 1 | 1 | 0 | 1 |" in summary  # passed, failed, error, skipped
    assert "| Python | 1 | 0 | 1 | 2 |" in summary
    assert "| Swift | 0 | 1 | 0 | 1 |" in summary  # not executed: no swiftc here
    assert "| `data/synthetic_ci.jsonl::digits-002::execution` | 2 | execution: " in summary


def test_a_passing_run_writes_a_summary_without_errors(pytester: pytest.Pytester, actions: Path) -> None:
    write_dataset(pytester.path / "data" / "synthetic_ci.jsonl", GOOD)
    result = pytester.runpytest_subprocess(
        "--synthetic-dataset=data/synthetic_ci.jsonl", "--synthetic-size=1", "--synthetic-language-quotas=Python=1",
        "--synthetic-difficulty-quotas=medium=1", "-p", "no:cacheprovider",
    )
    assert result.ret == 0
    assert error_lines(result) == []
    assert "### `data/synthetic_ci.jsonl`: PASS" in actions.read_text(encoding="utf-8")


def test_the_option_and_its_ini_switch_it_off_and_on(
    pytester: pytest.Pytester, actions: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ["--synthetic-dataset=data/synthetic_ci.jsonl", *MIX]
    off = pytester.runpytest_subprocess(*args, "--synthetic-github=off")
    assert off.ret == 1
    assert error_lines(off) == []
    assert actions.read_text(encoding="utf-8") == "earlier step\n"

    monkeypatch.delenv("GITHUB_ACTIONS")
    assert error_lines(pytester.runpytest_subprocess(*args)) == []  # auto, and not on a runner
    pytester.makeini("[pytest]\nsynthetic_github = on\n")
    assert len(error_lines(pytester.runpytest_subprocess(*args))) == 1
    assert error_lines(pytester.runpytest_subprocess(*args, "--synthetic-github=off")) == []

    pytester.makeini("[pytest]\nsynthetic_github = sometimes\n")
    bad = pytester.runpytest_subprocess(*args)
    assert bad.ret == pytest.ExitCode.USAGE_ERROR
    bad.stderr.fnmatch_lines(["*synthetic_github is auto, on or off, not 'sometimes'*"])


def outcome(line: int, summary: str = "assertion failed") -> ItemOutcome:
    return ItemOutcome("/ws/d.jsonl", f"e-{line}", line, "Python", "execution", "failed", summary,
                       nodeid=f"d.jsonl::e-{line}::execution")


def test_error_commands_are_capped_with_a_count_of_the_rest(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_WORKSPACE", "/ws")
    lines = github.workflow_commands([outcome(n) for n in range(1, 15)])
    assert len(lines) == github.ANNOTATIONS_SHOWN + 1
    assert lines[0] == "::error file=d.jsonl,line=1,title=d.jsonl%3A%3Ae-1%3A%3Aexecution::execution: assertion failed"
    assert lines[-1] == "::notice title=pytest-synthetic::4 more failing item(s); the job summary lists them"


def test_messages_keep_their_first_line_and_escape_what_github_parses(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_WORKSPACE", "/ws")
    [line] = github.workflow_commands([outcome(3, "100% wrong: a, b\nsecond line")])
    assert line.endswith("::execution: 100%25 wrong: a, b")
    summary = github.job_summary([outcome(n, "a | b <tag>") for n in range(1, 60)])
    assert "execution: a \\| b &lt;tag>" in summary
    assert f"... and {59 - github.SUMMARY_ITEMS_SHOWN} more" in summary
