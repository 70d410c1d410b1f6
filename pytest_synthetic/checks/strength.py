"""`strength`: the assertions would catch a wrong answer.

Two tests, both only meaningful once the reference passes its own assertions:
stubs of the function (zero value, first argument, throw) must all fail, and the share of
mutants of the reference that the assertions kill must reach `min_mutation_score`.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from pytest_synthetic.cache import TIMEOUTS
from pytest_synthetic.checks import execution as execution_check
from pytest_synthetic.checks.context import CheckContext
from pytest_synthetic.model import CheckResult, Entry, Finding, Outcome, failed
from pytest_synthetic.runner import Execution, Verdict
from pytest_synthetic.strength import StrengthReport, Trial, score_entry
from pytest_synthetic.strength.score import INVALID, PASSED

CHECK = "strength"
SHOWN_SURVIVORS = 5
SKIP_REASON = "execution did not pass"
# Mutant runs get a budget from the reference's own time (an infinite loop is the most
# common way a mutant dies; waiting the full limit for each would dominate the cost).
MIN_RUN_SECONDS = 2.0
MAX_RUN_SECONDS = 16.0


def run_seconds(execution: Execution, timeout_factor: float) -> float:
    """3x the reference's time plus a second, rounded up to a power of two (stable cache keys)."""
    wanted = 3 * execution.seconds + 1
    bucket = 2.0 ** math.ceil(math.log2(max(wanted, MIN_RUN_SECONDS)))
    return min(bucket, MAX_RUN_SECONDS) * timeout_factor


def _score_too_low(report: StrengthReport, threshold: float) -> bool:
    score = report.score
    return score is not None and score < threshold and report.valid > 0


def _passes(report: StrengthReport, threshold: float) -> bool:
    return not report.passing_stubs and not _score_too_low(report, threshold)


def _without_timeouts(report: StrengthReport) -> StrengthReport:
    """The report had no timed-out variant failed the assertions (load can fake such a kill)."""

    def survived(trial: Trial) -> Trial:
        timed_out = trial.verdict == Verdict.TIMEOUT.value and trial.outcome != INVALID
        return dataclasses.replace(trial, outcome=PASSED) if timed_out else trial

    return dataclasses.replace(
        report, stubs=tuple(map(survived, report.stubs)), mutants=tuple(map(survived, report.mutants))
    )


def decisive_timeouts(report: StrengthReport, threshold: float) -> int:
    """The timeouts a passing outcome rests on: 0 when it passes without them too. Load can
    only add timeouts, never remove a kill, so a failing outcome never rests on them."""
    if not report.timeouts or not _passes(report, threshold) or _passes(_without_timeouts(report), threshold):
        return 0
    return report.timeouts


def details(report: StrengthReport, threshold: float) -> dict[str, Any]:
    score = report.score
    return {
        "score": None if score is None else round(score, 3),
        "score_of": "mutants" if report.valid else "stubs",
        "killed": report.killed,
        "valid": report.valid,
        "mutants": len(report.mutants),
        "candidates": report.candidates,
        "stubs": sum(1 for s in report.stubs if s.outcome != INVALID),
        "stubs_passed": len(report.passing_stubs),
        "seconds": round(report.seconds, 3),
        "timeouts": report.timeouts,
        TIMEOUTS: decisive_timeouts(report, threshold),  # the result cache trusts these only once confirmed
    }


def _stub_finding(stub: Trial, reference: str) -> Finding:
    message = f"the assertions also pass when the function {stub.label}"
    if stub.source == reference:  # e.g. an identity function echoing its argument
        message += " (which is all the reference does)"
    return Finding(message, "assertions", excerpt=stub.around())


def to_result(report: StrengthReport, reference: str, threshold: float) -> CheckResult:
    extras = details(report, threshold)
    findings = [_stub_finding(stub, reference) for stub in report.passing_stubs]
    summary = []
    if findings:
        summary.append(f"{len(findings)} stub(s) pass the assertions")
    score = report.score
    if _score_too_low(report, threshold):  # (passing stubs are reported above)
        survivors = report.survivors
        summary.append(f"mutation score {score:.2f} < {threshold:.2f}")
        findings.append(
            Finding(
                f"mutation score {score:.2f} is below {threshold:.2f}: {len(survivors)} of {report.valid} "
                f"mutants of the reference pass the assertions (showing {min(len(survivors), SHOWN_SURVIVORS)})",
                "assertions",
            )
        )
        findings.extend(
            Finding(
                f"surviving mutant: {trial.label}", "reference_answer", line=trial.line, excerpt=trial.diff(reference)
            )
            for trial in survivors[:SHOWN_SURVIVORS]
        )
    if findings:
        return failed(CHECK, findings, "weak assertions: " + "; ".join(summary), **extras)
    if score is None:
        reason = "neither a mutant nor a stub of the reference could be built"
    elif report.valid:
        reason = f"mutation score {score:.2f} ({report.killed}/{report.valid} mutants killed)"
    else:
        reason = f"score {score:.2f} from the stubs: the reference offers nothing to mutate"
    return CheckResult(CHECK, Outcome.PASSED, reason=reason, details=extras)


def score(entry: Entry, execution: Execution, context: CheckContext) -> CheckResult:
    """Run the stubs and mutants of an entry whose execution passed, and judge them."""
    report = score_entry(
        entry,
        run_seconds=run_seconds(execution, context.spec.timeout_factor),
        workers=context.strength_workers,
    )
    return to_result(report, entry.reference_answer, context.spec.min_mutation_score)


def check(entry: Entry, context: CheckContext) -> CheckResult:
    execution = execution_check.run(entry, context)
    if execution.verdict is Verdict.TOOLCHAIN_MISSING:
        return CheckResult(CHECK, Outcome.SKIPPED, reason=execution.message)
    if execution.verdict is not Verdict.PASSED:
        return CheckResult(CHECK, Outcome.SKIPPED, reason=SKIP_REASON)
    return context.cached_derived(CHECK, entry, execution, lambda: score(entry, execution, context))[0]
