"""A mutant's processor budget (deadlines.py): the helper that enforces it from outside the
command, and batches that set it from the reference's own processor time."""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path

import pytest
from test_strength_batch import batch_verdicts

from pytest_synthetic.runner import Verdict
from pytest_synthetic.strength import cpu_limit, deadlines, python_batch

SPIN = "while :; do :; done"
SAFETY = 60  # seconds: only a broken helper gets near it


@pytest.fixture(scope="module")
def helper() -> Path:
    built = cpu_limit.helper()
    if built is None:
        pytest.skip("no C compiler: batches keep `ulimit -t` alone")
    return built


def _limited(helper: Path, seconds: str, *command: str) -> int:
    return subprocess.run([str(helper), seconds, *command], timeout=SAFETY, check=False).returncode


def test_the_helper_ends_a_loop_that_uses_its_budget(helper: Path) -> None:
    assert _limited(helper, "0.2", "sh", "-c", SPIN) == 124


def test_a_loop_that_ignores_timer_signals_is_ended_too(helper: Path) -> None:
    # PHP turns SIGPROF into a fatal error, GHC's runtime takes SIGVTALRM: the helper sends neither
    assert _limited(helper, "0.2", "sh", "-c", f"trap '' PROF VTALRM XCPU; {SPIN}") == 124


def test_the_helper_ends_as_its_command_ends(helper: Path) -> None:
    assert _limited(helper, "5", "sh", "-c", "exit 7") == 7
    assert _limited(helper, "5", "true") == 0
    assert _limited(helper, "5", "sh", "-c", "kill -SEGV $$") == -signal.SIGSEGV
    assert _limited(helper, "5", "no-such-command-xyz") == 127


def test_the_python_driver_reads_the_rule_in_its_order() -> None:
    # the driver unpacks the rule's numbers by position: the same names, in the same order
    unpacked = ", ".join(field.upper() for field in deadlines.Rule._fields)
    assert f"{unpacked} = map(float, sys.argv[1:{1 + len(deadlines.Rule._fields)}])" in python_batch.DRIVER_SOURCE


# The reference spends about 0.4 s of processor time; so does its variant, which must not be
# stopped by the floor of the budget: the budget is measured from the reference's own run.
SLOW = {
    "Python": (
        "import time\ndef f(x):\n    end = time.process_time() + 0.4\n    while time.process_time() < end:\n"
        "        pass\n    return x + 1\n",
        "assert f(1) == 2\n",
    ),
    "JavaScript": (
        "function f(x) { const end = process.cpuUsage().user + 400000;\n"
        "  while (process.cpuUsage().user < end) {}\n  return x + 1; }\n",
        "if (f(1) !== 2) throw new Error('f(1) is wrong');\n",
    ),
}


@pytest.mark.toolchains
@pytest.mark.parametrize("name", sorted(SLOW))
def test_a_variant_as_slow_as_its_reference_is_not_stopped(name: str) -> None:
    reference, assertions = SLOW[name]
    variant = reference.replace("x + 1", "1 + x")
    assert batch_verdicts(name, reference, assertions, [variant], run_seconds=16.0) == [Verdict.PASSED]
