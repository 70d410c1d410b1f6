"""`execution`: the reference answer passes its own assertions when really run."""

from __future__ import annotations

import re

from pytest_synthetic import languages
from pytest_synthetic.checks import locate
from pytest_synthetic.checks.context import CheckContext
from pytest_synthetic.languages.base import Language, Program
from pytest_synthetic.model import CheckResult, Entry, Finding, Outcome, failed, passed
from pytest_synthetic.runner import Execution, Verdict, assemble, run_program

CHECK = "execution"
STDERR_CAP = 3000
PROGRAM_CONTEXT = 12  # lines shown around the first error location


def numbered(text: str, around: int | None = None) -> str:
    """The program with line numbers; only a window around a line when one is known."""
    lines = text.splitlines()
    start, end = 0, len(lines)
    if around is not None:
        start, end = max(around - PROGRAM_CONTEXT, 0), min(around + PROGRAM_CONTEXT, len(lines))
    elif len(lines) > 80:
        end = 80
    width = len(str(end))
    shown = [f"{'>' if i + 1 == around else ' '}{i + 1:>{width}} | {lines[i]}" for i in range(start, end)]
    if end < len(lines):
        shown.append(f" ... ({len(lines) - end} more lines)")
    return "\n".join(shown)


def _error_line(execution: Execution) -> int | None:
    """The first `<main file>:<line>` (or `line N`) the toolchain printed."""
    if execution.program is None:
        return None
    name = re.escape(execution.program.main_file)
    match = re.search(rf"{name}[:(](\d+)", execution.stderr) or re.search(r"\bline (\d+)", execution.stderr)
    return int(match.group(1)) if match else None


def _cap(text: str) -> str:
    text = text.strip()
    if len(text) <= STDERR_CAP:
        return text
    half = STDERR_CAP // 2
    return f"{text[:half]}\n... ({len(text) - STDERR_CAP} characters cut) ...\n{text[-half:]}"


def to_result(execution: Execution, require_toolchains: bool, entry: Entry | None = None) -> CheckResult:
    """The verdict as a check result; with the entry, the reason says where in it the failure is."""
    details = {"verdict": execution.verdict.value, "seconds": round(execution.seconds, 3)}
    if execution.verdict is Verdict.PASSED:
        return passed(CHECK, **details)
    if execution.verdict is Verdict.TOOLCHAIN_MISSING and not require_toolchains:
        return CheckResult(CHECK, Outcome.SKIPPED, reason=execution.message, details=details)
    findings = []
    if execution.program is not None:
        program = execution.program
        rewrites = f" (rewrites: {'; '.join(program.rewrites)})" if program.rewrites else ""
        findings.append(
            Finding(
                f"assembled program {program.main_file}{rewrites}",
                excerpt=numbered(program.files[program.main_file], _error_line(execution)),
            )
        )
    output = _cap(execution.stderr) or _cap(execution.stdout)
    if output:
        findings.append(Finding(f"output of the {execution.step or 'run'} step", excerpt=output))
    reason = locate.headline(execution, entry, languages.by_name(entry.language)) if entry else execution.message
    return failed(CHECK, findings, reason=reason, **details)


def program_of(entry: Entry) -> tuple[Language, Program | Execution]:
    """The entry's language and program, or the execution that says why there is none to run."""
    language = languages.by_name(entry.language)
    return language, assemble(language, entry.reference_answer, entry.assertions, entry.function_name)


def run(entry: Entry, context: CheckContext) -> Execution:
    """Assemble the entry once; its program keys the result cache, and runs only on a miss."""
    language, assembled = program_of(entry)
    program = assembled if isinstance(assembled, Program) else None

    def compute() -> Execution:
        if isinstance(assembled, Execution):
            return assembled
        return run_program(language, assembled, entry.assertions, context.spec.timeout_factor)

    return context.cached_execution(entry, program, compute)


def check(entry: Entry, context: CheckContext) -> CheckResult:
    result = to_result(run(entry, context), context.require_toolchains, entry)
    if context.spec.typecheck and entry.language == "TypeScript" and result.outcome is Outcome.PASSED:
        return with_type_errors(result, context.type_errors(entry))
    return result


def with_type_errors(result: CheckResult, found: list[Finding] | str) -> CheckResult:
    """--synthetic-typecheck: a TypeScript entry that runs must also pass `tsc --strict`."""
    if isinstance(found, str):
        return failed(CHECK, [Finding(found)], reason="the type-check asked for could not run", **result.details)
    if found:
        return failed(CHECK, found, reason=f"runs, but has {len(found)} type error(s) (tsc --strict)", **result.details)
    return result
