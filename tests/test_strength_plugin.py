"""The `strength` item through pytest: failure text, summary, JSON report and the result cache."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from test_cache import python_entry, write_dataset

from pytest_synthetic import toolchains

pytest_plugins = ["pytester"]
pytestmark = pytest.mark.skipif(toolchains.which("python3") is None, reason="python3 missing")

STRONG = python_entry(
    "s-strong", "clamp_it", "return max(0, min(10, x))",
    "assert clamp_it(-3) == 0\nassert clamp_it(0) == 0\nassert clamp_it(4) == 4\n"
    "assert clamp_it(10) == 10\nassert clamp_it(11) == 10\nassert clamp_it(99) == 10\n",
)
# Every stub but `raise` and most mutants pass: only the type is ever looked at.
PLACEHOLDER = python_entry("s-weak", "triple_it", "return 3 * x", "assert isinstance(triple_it(2), int)\n")


def run(pytester: pytest.Pytester, *args: str) -> tuple[pytest.RunResult, dict[str, dict[str, Any]]]:
    report = pytester.path / "report.json"
    report.unlink(missing_ok=True)
    result = pytester.runpytest_subprocess(
        "synthetic_scored.jsonl", "--synthetic-size=2", "-k", "strength", "-rf",
        f"--synthetic-report={report}", *args,
    )
    data = json.loads(report.read_text())
    return result, {e["query_id"]: e["checks"]["strength"] for e in data["entries"]}


@pytest.fixture
def dataset(pytester: pytest.Pytester) -> Path:
    path = pytester.path / "synthetic_scored.jsonl"
    write_dataset(path, [STRONG, PLACEHOLDER])
    return path


def test_placeholder_assertions_fail_and_every_entry_gets_a_score(pytester: pytest.Pytester, dataset: Path) -> None:
    result, checks = run(pytester)
    result.assert_outcomes(passed=1, failed=1)
    assert checks["s-strong"]["outcome"] == "passed"
    assert checks["s-weak"]["outcome"] == "failed"
    assert checks["s-strong"]["score"] >= 0.8
    assert checks["s-weak"]["score"] < 0.6
    text = result.stdout.str()
    assert "the assertions also pass when the function returns `0`" in text
    assert "surviving mutant" in text
    assert "strength (mean mutation score per language):" in text
    assert "weakest assertions: s-weak (Python" in text


def test_scores_are_cached_and_the_threshold_is_part_of_the_key(pytester: pytest.Pytester, dataset: Path) -> None:
    _, first = run(pytester)
    assert {c["source"] for c in first.values()} == {"run"}
    _, again = run(pytester)
    assert {c["source"] for c in again.values()} == {"cache"}
    assert again["s-strong"]["score"] == first["s-strong"]["score"]
    _, stricter = run(pytester, "--synthetic-min-mutation-score=0.99")
    assert {c["source"] for c in stricter.values()} == {"run"}
    _, bypassed = run(pytester, "--synthetic-no-cache")
    assert {c["source"] for c in bypassed.values()} == {"run"}
