"""Timeouts confirmed at the end of the session that found them: real runs through pytester.

What is observed is where each result came from (`source` in the JSON report), what the result
store holds (the sessions that saw a timeout) and what the session printed, never timing.
"""

from __future__ import annotations

import json
import sqlite3
import textwrap
from pathlib import Path
from typing import Any

import pytest
from test_cache import python_entry, write_dataset

from pytest_synthetic import toolchains
from pytest_synthetic.cache import TIMEOUTS
from pytest_synthetic.checks.context import CheckContext
from pytest_synthetic.confirm import Confirmation, Pending, Task, confirm_all, entries_at
from pytest_synthetic.confirm_session import pending_of
from pytest_synthetic.store import FILE_NAME

pytest_plugins = ["pytester"]
pytestmark = pytest.mark.skipif(toolchains.which("python3") is None, reason="python3 missing")

DATASET = "synthetic_confirm.jsonl"
XDIST = pytest.mark.parametrize("xdist", [[], ["-n", "2"]], ids=["plain", "xdist"])
SPINS = python_entry("t-spin", "spin_forever", "while True:\n        pass",
                     "assert spin_forever(1) is None\nassert spin_forever(2) is None\n")
# Times out under the run limit x0.1 (1 s), passes under the full limit (10 s).
SLOW = python_entry("t-slow", "slow_double", "import time\n    time.sleep(3)\n    return 2 * x",
                    "assert slow_double(2) == 4\nassert slow_double(0) == 0\n")
# Three of its twelve mutants loop forever: under a bar of 0.9 the strength item passes only
# because they time out (9/12 killed without them).
DRAINS = python_entry("t-drain", "steps_to_zero",
                      "steps = 0\n    while x != 0:\n        x -= 2\n        steps += 1\n    return steps",
                      "assert steps_to_zero(6) == 3\nassert steps_to_zero(0) == 0\nassert steps_to_zero(2) == 1\n")
HIGH_BAR = "--synthetic-min-mutation-score=0.9"
SHORT_LIMITS = "--synthetic-timeout-factor=0.1"
# A test-only seam: the confirming runs get the full time limits while the session had a tenth.
FULL_LIMITS_WHEN_CONFIRMING = """
    import pytest

    @pytest.hookimpl(trylast=True)
    def pytest_configure(config):
        confirmations = config.pluginmanager.get_plugin("synthetic-confirmations")
        if confirmations is not None:
            confirmations.timeout_factor = 1.0
"""


def session(pytester: pytest.Pytester, check: str, *args: str) -> tuple[dict[str, Any], str]:
    """One real session over the dataset: each entry's `check` as the JSON report has it, and the output."""
    report = pytester.path / "report.json"
    report.unlink(missing_ok=True)
    result = pytester.runpytest_subprocess(DATASET, "--synthetic-size=1", "-k", check,
                                           f"--synthetic-report={report}", *args)
    entries = json.loads(report.read_text())["entries"]
    return {e["query_id"]: e["checks"][check] for e in entries}, result.stdout.str()


def sightings(pytester: pytest.Pytester) -> list[int]:
    """How many sessions saw each stored timeout (or result resting on timeouts)."""
    store = next(pytester.path.glob(f".pytest_cache/**/{FILE_NAME}"))
    with sqlite3.connect(store) as connection:
        texts = [row[0] for row in connection.execute("SELECT text FROM results")]
    documents = [json.loads(text) for text in texts]
    counted = [d for d in documents if "runs" in d] + [
        c for d in documents for c in (d.get("checks") or {}).values() if "runs" in c
    ]
    return [len(d["runs"]) for d in counted]


@XDIST
def test_the_session_that_found_a_timeout_confirms_it(pytester: pytest.Pytester, xdist: list[str]) -> None:
    write_dataset(pytester.path / DATASET, [SPINS])
    first, output = session(pytester, "execution", SHORT_LIMITS, *xdist)
    assert (first["t-spin"]["verdict"], first["t-spin"]["source"]) == ("timeout", "run")
    assert "synthetic: confirming 1 timed-out result once more, alone" in output
    assert "synthetic: 1 of 1 confirmed" in output
    assert sightings(pytester) == [2]  # the session and its confirming run
    again, output = session(pytester, "execution", SHORT_LIMITS)
    assert (again["t-spin"]["verdict"], again["t-spin"]["source"]) == ("timeout", "cache")
    assert "confirming" not in output


@XDIST
def test_a_confirmation_that_does_not_time_out_leaves_the_timeout_unconfirmed(
    pytester: pytest.Pytester, xdist: list[str]
) -> None:
    write_dataset(pytester.path / DATASET, [SLOW])
    pytester.makeconftest(textwrap.dedent(FULL_LIMITS_WHEN_CONFIRMING))
    first, output = session(pytester, "execution", SHORT_LIMITS, *xdist)
    assert (first["t-slow"]["verdict"], first["t-slow"]["source"]) == ("timeout", "run")
    assert "synthetic: 0 of 1 confirmed" in output
    assert "1 did not time out again (judged again next session)" in output
    assert sightings(pytester) == [1]
    (pytester.path / "conftest.py").unlink()
    again, output = session(pytester, "execution", SHORT_LIMITS)  # executed again: a second session saw it
    assert (again["t-slow"]["verdict"], again["t-slow"]["source"]) == ("timeout", "run")
    assert "confirming" not in output
    assert sightings(pytester) == [2]


@XDIST
def test_a_strength_result_resting_on_timeouts_is_confirmed(pytester: pytest.Pytester, xdist: list[str]) -> None:
    write_dataset(pytester.path / DATASET, [DRAINS])
    first, output = session(pytester, "strength", HIGH_BAR, *xdist)
    assert first["t-drain"]["outcome"] == "passed"
    assert first["t-drain"][TIMEOUTS] > 0, first
    assert first["t-drain"]["source"] == "run"
    assert "synthetic: 1 of 1 confirmed" in output
    again, output = session(pytester, "strength", HIGH_BAR)
    assert (again["t-drain"]["outcome"], again["t-drain"]["source"]) == ("passed", "cache")
    assert "confirming" not in output


def test_an_interrupted_session_confirms_nothing(pytester: pytest.Pytester) -> None:
    write_dataset(pytester.path / DATASET, [SPINS])
    # Ctrl-C once the execution item has run: the session ends interrupted
    pytester.makeconftest("""
        def pytest_runtest_logstart(nodeid):
            if nodeid.endswith("::strength"):
                raise KeyboardInterrupt
    """)
    result = pytester.runpytest_subprocess(DATASET, "--synthetic-size=1", SHORT_LIMITS, "-k", "execution or strength")
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(["synthetic: interrupted: 1 timed-out result left unconfirmed"])
    assert sightings(pytester) == [1]


def test_each_shard_confirms_its_own_timeouts(pytester: pytest.Pytester) -> None:
    quick = python_entry("t-quick", "double_it", "return 2 * x", "assert double_it(2) == 4\n")
    write_dataset(pytester.path / DATASET, [SPINS, quick])
    for shard in ("1/2", "2/2"):
        session(pytester, "execution", SHORT_LIMITS, "--synthetic-shard", shard)
    assert sightings(pytester) == [2]
    sources = {}
    for shard in ("1/2", "2/2"):
        found, _ = session(pytester, "execution", SHORT_LIMITS, "--synthetic-shard", shard)
        sources.update({query_id: check["source"] for query_id, check in found.items()})
    assert sources == {"t-spin": "cache", "t-quick": "cache"}


def test_without_a_result_cache_nothing_is_confirmed(pytester: pytest.Pytester) -> None:
    write_dataset(pytester.path / DATASET, [SPINS])
    for off in ("--synthetic-no-cache", "-p no:cacheprovider"):
        _, output = session(pytester, "execution", SHORT_LIMITS, *off.split())
        assert "confirming" not in output


def test_a_spent_time_budget_starts_no_confirmation(tmp_path: Path) -> None:
    write_dataset(tmp_path / DATASET, [SPINS])
    entry = entries_at([Pending(str(tmp_path / DATASET), 1, "execution", 1.0)])[str(tmp_path / DATASET), 1]
    tasks = [Task("execution", entry, "0" * 64, 1.0)] * 2
    tally = confirm_all(tasks, CheckContext(cache_dir=tmp_path), budget_seconds=0.0)
    assert tally.left == 2
    assert set(tally.counts.values()) == {0}


def test_only_results_computed_in_the_session_are_pending() -> None:
    def data(check: str, source: str, **details: Any) -> dict[str, Any]:
        return {"file": "d.jsonl", "line": 3, "check": check, "details": {"source": source, **details}}

    assert pending_of(data("execution", "run", verdict="timeout", seconds=1.5)) == Pending(
        "d.jsonl", 3, "execution", 1.5
    )
    assert pending_of(data("execution", "cache", verdict="timeout")) is None
    assert pending_of(data("execution", "run", verdict="passed")) is None
    assert pending_of(data("strength", "run", **{TIMEOUTS: 2})) == Pending("d.jsonl", 3, "strength", 0.0)
    assert pending_of(data("strength", "run", **{TIMEOUTS: 0})) is None
    assert Confirmation.NOTHING.value == "nothing to confirm"
