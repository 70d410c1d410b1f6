"""Assemble one entry into a program, build and run it in the sandbox, and name the verdict."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import Enum
from functools import lru_cache
from pathlib import Path

from pytest_synthetic import launch, sandbox, toolchains
from pytest_synthetic.languages.base import Language, NotRunnable, Program, Step


class Verdict(str, Enum):
    PASSED = "passed"
    ASSERTION_FAILED = "assertion failed"
    COMPILE_ERROR = "compile error"
    RUNTIME_ERROR = "runtime error"
    TIMEOUT = "timeout"
    MEMORY_LIMIT = "memory limit"
    OUTPUT_LIMIT = "output limit"
    INCOMPLETE = "incomplete"  # exited 0 but the assertions never finished
    TOOLCHAIN_MISSING = "toolchain missing"
    NOT_EXECUTABLE = "not executable"  # e.g. assertions that are only comments


@dataclass(frozen=True)
class Execution:
    verdict: Verdict
    message: str  # one line for the report
    program: Program | None = None
    step: str = ""  # the step that decided the verdict
    stdout: str = ""
    stderr: str = ""
    seconds: float = 0.0


# Without a language's own pattern: a thrown message written in the assertions (or the word
# "assert") in the failure output means the assertions caught a wrong answer.
_ASSERT_WORD = re.compile(r"assert", re.IGNORECASE)
_STRING_LITERAL = re.compile(r"\"((?:[^\"\\\n]|\\.){3,})\"|'((?:[^'\\\n]|\\.){3,})'")
# A JavaScript template literal that interpolates (other backticks quote names: Kotlin, Haskell).
_TEMPLATE_LITERAL = re.compile(r"`((?:[^`\\$]|\\.|\$(?!\{))*\$\{(?:[^`\\]|\\.)*)`")
# Where a message is built at run time: ${x} `#{x}` {x} $x and printf conversions (%d, %.2f, %v).
_PLACEHOLDER = re.compile(r"\$\{[^}]*\}|#\{[^}]*\}|\{[^{}]*\}|\$[A-Za-z_]\w*|%[-+ 0#]*\d*(?:\.\d+)?[sdifgxXoeEcvqrtTb]")
_FILLED = r"[\s\S]{0,400}?"  # what a placeholder became
_MIN_FIXED_TEXT = 6  # an interpolated message needs this much fixed text to be recognised
# A failing exit status the assertions ask for: exit(1), os.Exit(1), `exit 1`, `return 1;`, exitFailure
_FAILING_EXIT = re.compile(
    r"(?i:\bexit\w*(?:\s*\(\s*|\s+)[1-9])|\breturn\s+[1-9]\d*\s*;|\bexitFailure\b|\bExitFailure\b|\bexit(?:Code)?\s*=\s*[1-9]"
)


def _literals(assertions: str) -> list[str]:
    return [m.group(1) or m.group(2) for m in _STRING_LITERAL.finditer(assertions)]


@lru_cache(maxsize=64)
def _message_patterns(assertions: str) -> tuple[re.Pattern[str], ...]:
    """Interpolated literals of the assertions (f"expected {x}, got {y}", `got ${v}`, "%d != %d")
    as patterns: their fixed text in order, anything where a value goes."""
    patterns = []
    for literal in [*_literals(assertions), *_TEMPLATE_LITERAL.findall(assertions)]:
        parts = _PLACEHOLDER.split(literal.replace('\\"', '"').replace("\\'", "'"))
        if len(parts) > 1 and sum(len(part.strip()) for part in parts) >= _MIN_FIXED_TEXT:
            while not parts[0]:  # a pattern begins and ends with fixed text: a search stays linear
                parts.pop(0)
            while not parts[-1]:
                parts.pop()
            patterns.append(re.compile(_FILLED.join(re.escape(part) for part in parts)))
    return tuple(patterns)


def _mentions_assertion_text(output: str, assertions: str) -> bool:
    return any(literal in output for literal in _literals(assertions)) or any(
        pattern.search(output) for pattern in _message_patterns(assertions)
    )


def _written_by_assertions(message: str, assertions: str) -> bool:
    message = message.strip()
    if len(message) >= 3 and message in assertions:
        return True
    return _mentions_assertion_text(message, assertions)


def classify_failure(language: Language, output: str, assertions: str) -> Verdict:
    pattern = language.failure
    if pattern is not None:
        matches = list(re.finditer(pattern.regex, output, re.MULTILINE))
        if matches:
            match = matches[-1] if pattern.last else matches[0]
            name = match.group("name") or ""
            message = match.group("message") or ""
            if (
                name.rsplit(".", 1)[-1] in pattern.assertion_names
                or message.strip().startswith(pattern.assertion_messages or ("\0",))
                or _written_by_assertions(message, assertions)
            ):
                return Verdict.ASSERTION_FAILED
            return Verdict.RUNTIME_ERROR
    if _ASSERT_WORD.search(output) or _mentions_assertion_text(output, assertions):
        return Verdict.ASSERTION_FAILED
    if not output.strip() and _FAILING_EXIT.search(assertions):
        return Verdict.ASSERTION_FAILED  # a silent failing exit the assertions ask for (C's `return 1;`)
    return Verdict.RUNTIME_ERROR


def missing_toolchain(language: Language, program: Program) -> str | None:
    """The install hint of the first command the program needs that is not installed."""
    needed = {step.argv[0] for step in program.steps if not launch.built_here(step)}
    for toolchain in language.toolchains:
        if toolchain.command in needed and toolchains.which(toolchain.command) is None:
            return toolchain.install_hint
    for command in sorted(needed):
        if toolchains.which(command) is None:
            return f"install {command}"
    return None


def _scaled(step: Step, factor: float) -> sandbox.Limits:
    limits = step.limits
    return replace(limits, wall_seconds=limits.wall_seconds * factor, cpu_seconds=limits.cpu_seconds * factor)


def assemble(language: Language, reference: str, assertions: str, function_name: str) -> Program | Execution:
    """The entry's program, or the execution that says why there is none to run."""
    if language.assemble is None:
        return Execution(Verdict.TOOLCHAIN_MISSING, f"{language.name} execution is not supported")
    try:
        return language.assemble(reference, assertions, function_name)
    except NotRunnable as reason:
        return Execution(Verdict.NOT_EXECUTABLE, f"not executable: {reason}")


def execute(
    language: Language, reference: str, assertions: str, function_name: str, timeout_factor: float = 1.0
) -> Execution:
    """Assemble and run one entry; never raises for anything the entry contains."""
    program = assemble(language, reference, assertions, function_name)
    if isinstance(program, Execution):
        return program
    return run_program(language, program, assertions, timeout_factor)


def run_program(language: Language, program: Program, assertions: str, timeout_factor: float = 1.0) -> Execution:
    hint = missing_toolchain(language, program)
    if hint is not None:
        return Execution(Verdict.TOOLCHAIN_MISSING, f"{language.name} toolchain missing: {hint}", program)
    secret = launch.new_secret()
    checks = tuple(step for step in program.steps if step.after_failed_run)
    with launch.work_folder(program.files) as workdir:
        steps = tuple(step for step in program.steps if not step.after_failed_run)
        execution = _run_steps(language, program, steps, workdir, secret, assertions, timeout_factor)
    if not checks or execution.verdict is Verdict.PASSED or execution.step != "run":
        return execution
    # The verdict of the written order, where the syntax checks come first. They get a fresh
    # folder: the failed run may have changed or replaced the files in its own.
    with launch.work_folder(program.files) as workdir:
        checked = _run_steps(language, program, checks, workdir, secret, assertions, timeout_factor)
    decided = execution if checked.verdict is Verdict.PASSED else checked
    return replace(decided, seconds=execution.seconds + checked.seconds)


def _run_steps(  # noqa: PLR0917 (private)
    language: Language,
    program: Program,
    steps: tuple[Step, ...],
    workdir: Path,
    secret: str,
    assertions: str,
    timeout_factor: float,
) -> Execution:
    total = 0.0
    for step in steps:
        result, verdict = _run_step(language, step, workdir, secret, assertions, timeout_factor)
        total += result.seconds
        if verdict is not None:
            message = f"{verdict.value} in the {step.name} step"
            if step.name == "run" and verdict is Verdict.INCOMPLETE:
                message = (
                    "incomplete: the program exited 0 but its assertions never finished (an exit counts only"
                    " as the assertions' last statement, not in the reference, midway, in a loop, handler or callback)"
                )
            return Execution(verdict, message, program, step.name, result.stdout, result.stderr, total)
    return Execution(Verdict.PASSED, "passed", program, "run", "", "", total)


def _run_step(  # noqa: PLR0917 (private)
    language: Language, step: Step, workdir: Path, secret: str, assertions: str, timeout_factor: float
) -> tuple[sandbox.RunResult, Verdict | None]:
    """Run one step; its verdict is None when it succeeded and the next one may go."""
    prepared = launch.prepare(step, workdir)
    assert prepared is not None  # checked by missing_toolchain
    is_run = step.name == "run"
    result = launch.start(prepared, workdir, _scaled(step, timeout_factor), secret if is_run else None)
    return result, run_verdict(language, result, secret, assertions) if is_run else _build_verdict(result)


def run_verdict(language: Language, result: sandbox.RunResult, secret: str, assertions: str) -> Verdict:
    """The verdict of a run step: it passed only when it finished (exit 0 after the secret)."""
    limit = _limit_verdict(result)
    if limit is not None:
        return limit
    if launch.finished(result, secret):
        return Verdict.PASSED
    if result.output_truncated:
        return Verdict.OUTPUT_LIMIT
    if result.returncode == 0:
        return Verdict.INCOMPLETE
    return classify_failure(language, result.stderr + "\n" + result.stdout, assertions)


def _build_verdict(result: sandbox.RunResult) -> Verdict | None:
    """None when a build step succeeded and the next one may go."""
    limit = _limit_verdict(result)
    if limit is not None:
        return limit
    if result.output_truncated:
        return Verdict.OUTPUT_LIMIT
    return None if result.returncode == 0 else Verdict.COMPILE_ERROR


def _limit_verdict(result: sandbox.RunResult) -> Verdict | None:
    if result.timed_out:
        return Verdict.TIMEOUT
    if result.memory_exceeded:
        return Verdict.MEMORY_LIMIT
    if result.disk_exceeded:  # files written count as output too
        return Verdict.OUTPUT_LIMIT
    return None
