"""How a failed run is named: a failed assertion or a crash of the reference (canned tool output)."""

from __future__ import annotations

import pytest

from pytest_synthetic import toolchains
from pytest_synthetic.languages import by_name
from pytest_synthetic.languages.base import COMPLETION_PATH, Program, Step
from pytest_synthetic.launch import completed
from pytest_synthetic.runner import Verdict, classify_failure, run_program
from pytest_synthetic.sandbox import Limits

FAILED, CRASHED = Verdict.ASSERTION_FAILED, Verdict.RUNTIME_ERROR


@pytest.mark.parametrize(
    ("language", "output", "assertions", "verdict"),
    [
        ("Python", "Traceback (most recent call last):\n  ...\nAssertionError", "assert f(1) == 2", FAILED),
        ("Python", "  assert f(0) == 1\nZeroDivisionError: division by zero", "assert f(0) == 1", CRASHED),
        (
            "Python",
            "KeyError: 'a'\n\nDuring handling of the above exception, another exception occurred:\nValueError: f broke",
            "if f(2) != 3:\n    raise ValueError('f broke')",
            FAILED,
        ),
        (
            "JavaScript",
            "    throw new Error('f broke');\n\nError: f broke\n    at x",
            "throw new Error('f broke')",
            FAILED,
        ),
        (
            "TypeScript",
            "TypeError: Cannot read properties of undefined (reading 'y')",
            "if (f(1) !== 3) throw 1",
            CRASHED,
        ),
        ("JavaScript", "AssertionError [ERR_ASSERTION]: Expected values to be strictly equal", "assert(1)", FAILED),
        ("Ruby", "main.rb:18:in `<main>': f broke (RuntimeError)", "raise 'f broke' unless f(2) == 3", FAILED),
        ("Ruby", "main.rb:3:in `/': divided by 0 (ZeroDivisionError)", "raise 'f broke' unless f(0) == 1", CRASHED),
        (
            "PHP",
            "PHP Fatal error:  Uncaught Exception: f broke in /w/main.php:6",
            "throw new Exception('f broke');",
            FAILED,
        ),
        ("PHP", "PHP Fatal error:  Uncaught DivisionByZeroError: Division by zero in /w/main.php:2", "x", CRASHED),
        ("Java", 'Exception in thread "main" java.lang.ArithmeticException: / by zero', "assert f(0) == 1;", CRASHED),
        (
            "Kotlin",
            'Exception in thread "main" java.lang.IllegalStateException: Check failed.',
            "check(f(2) == 3)",
            FAILED,
        ),
        ("Scala", 'Exception in thread "main" java.lang.AssertionError: assertion failed', "assert(f(2) == 3)", FAILED),
        ("C#", "Unhandled Exception:\nSystem.DivideByZeroException: Attempted to divide by zero.", "x", CRASHED),
        ("C#", "Unhandled Exception:\nSystem.Exception: f broke", 'throw new System.Exception("f broke");', FAILED),
        # messages built at run time: the fixed text of the literal, in order, around the values
        ("JavaScript", "Error: expected 4, got 5\n    at x", "throw new Error(`expected 4, got ${v}`)", FAILED),
        ("Ruby", "main.rb:9:in `<main>': expected 6 but was 7 (RuntimeError)", 'raise "expected #{w} but was #{g}"',
         FAILED),
        ("Python", "ValueError: f(2) returned 5, wanted 3", "raise ValueError(f'f({x}) returned {got}, wanted {w}')",
         FAILED),
        ("Kotlin", 'Exception in thread "main" java.lang.IllegalStateException: Expected 212.0 but got 211.0',
         'error("Expected 212.0 but got $r")', FAILED),
        ("Java", 'Exception in thread "main" java.lang.IllegalStateException: root(38): expected 2, got 3',
         'String.format("root(%d): expected %d, got %d", n, e, g)', FAILED),
        ("C#", "Unhandled Exception:\nSystem.InvalidOperationException: Expected 4 but got 5",
         'throw new InvalidOperationException($"Expected {expected} but got {actual}");', FAILED),
        ("Scala", 'Exception in thread "main" java.lang.IllegalArgumentException: requirement failed',
         "require(f(2) == 3)", FAILED),
        # the same fixed text in another order, or a value where the literal has fixed text, is not it
        ("JavaScript", "TypeError: got undefined, expected number", "throw new Error(`expected ${e}, got ${v}`)",
         CRASHED),
        ("Kotlin", 'Exception in thread "main" java.lang.ArithmeticException: / by zero', "println(`div`)", CRASHED),
        # a silent exit with a failing status that the assertions ask for
        ("C++", "\n", "int main() {\n    if (f(2) != 3) return 1;\n}", FAILED),
        ("Haskell", "", "main = if f 2 == 3 then pure () else exitFailure", FAILED),
        ("Go", "", "if F(2) != 3 {\n\tos.Exit(1)\n}", FAILED),
        ("C++", "", "int main() {\n    std::cout << f(2);\n}", CRASHED),
    ],
)
def test_failure_is_named_from_the_uncaught_error(
    language: str, output: str, assertions: str, verdict: Verdict
) -> None:
    assert classify_failure(by_name(language), output, assertions) is verdict


def test_completion_needs_the_secret_as_the_last_line() -> None:
    assert completed("output\nabc123\n\n", "abc123")
    assert not completed("abc123\nmore output", "abc123")
    assert not completed("All tests passed\n", "abc123")


def _program(run_source: str) -> Program:
    """A run step that executes run_source, after a syntax check that always fails."""
    limits = Limits(wall_seconds=10, cpu_seconds=10)
    failing_check = Step("compile", ("python3", "-c", "raise SystemExit('bad syntax')"), limits, after_failed_run=True)
    run = Step("run", ("python3", "main.py"), limits)
    return Program({"main.py": run_source}, "main.py", (failing_check, run))


@pytest.mark.skipif(toolchains.which("python3") is None, reason="python3 missing: apt-get install python3")
def test_a_syntax_check_runs_only_after_a_failed_run_and_then_decides() -> None:
    python = by_name("Python")
    passing = run_program(python, _program(f"print(open({COMPLETION_PATH!r}).read())\n"), "")
    assert passing.verdict is Verdict.PASSED  # the failing check never ran
    crashing = run_program(python, _program("raise RuntimeError('boom')\n"), "")
    assert (crashing.verdict, crashing.step) == (Verdict.COMPILE_ERROR, "compile")
    assert "bad syntax" in crashing.stderr
