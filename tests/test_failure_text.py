"""The first line of a failed execution says where in the entry to look, in the entry's terms
(the field and its line), then the error; the assembled program follows."""

from __future__ import annotations

from typing import Any

import pytest
from ci_entries import FAILING

from pytest_synthetic.checks import CheckContext, execution
from pytest_synthetic.checks.schema import check_object, to_entry
from pytest_synthetic.model import Entry, Outcome
from pytest_synthetic.records import Record


def entry(language: str, function: str, reference: str, assertions: str) -> Entry:
    obj: dict[str, Any] = {
        **FAILING,
        "reference_answer": reference,
        "assertions": assertions,
        "metadata": {**FAILING["metadata"], "language": language, "function_name": function},
    }
    built = to_entry(Record(1, "", obj), check_object(obj))
    assert built is not None
    return built


DIGITS_PY = "def digit_sum(n):\n    return sum(int(d) for d in str(n))\n"
DIGITS_GO = "func digitSum(n int) int {\n\ts := 0\n\tfor n > 0 {\n\t\ts += n % 10\n\t\tn /= 10\n\t}\n\treturn s\n}\n"
GO_MAIN = "func main() {\n\tif digitSum(999) != 26 {\n\t\tpanic(\"wrong\")\n\t}\n}\n"

CASES = [
    pytest.param(
        entry("Python", "digit_sum", DIGITS_PY,
              "assert digit_sum(0) == 0\nassert digit_sum(12) == 3\n"
              "assert digit_sum(999) == 26, f'got {digit_sum(999)}'\n"),
        "assertion failed",
        "assertion failed at line 3 of the assertions: `assert digit_sum(999) == 26, f'got {digit_sum(999)}'`: "
        "AssertionError: got 27",
        id="python-assertion",
    ),
    pytest.param(
        entry("Python", "digit_sum", "def digit_sum(n):\n    total = 0\n    return total / 0\n",
              "assert digit_sum(0) == 0\n"),
        "runtime error",
        "runtime error at line 3 of the reference_answer: `return total / 0`: ZeroDivisionError: division by zero",
        id="python-crash-in-reference",
    ),
    pytest.param(
        entry("Go", "digitSum", DIGITS_GO.replace("return s\n", "return s + x\n"), GO_MAIN),
        "compile error",
        "compile error at line 7 of the reference_answer: `return s + x`: undefined: x",
        id="go-compile-error",
    ),
    pytest.param(
        entry("TypeScript", "digitSum", "function digitSum(n: number): number {\n  return 1;\n}\n",
              "expect(digitSum(0)).toBe(1);\nexpect(digitSum(12)).toBe(3);\n"),
        "assertion failed",
        "assertion failed at line 2 of the assertions: `expect(digitSum(12)).toBe(3);`: "
        "AssertionError: expected 1 to be 3",
        id="typescript-rewritten-line",
    ),
    pytest.param(
        entry("Go", "digitSum", DIGITS_GO, GO_MAIN),
        "assertion failed",
        "assertion failed in the run step: assertion failed: wrong",  # no line named: the error alone
        id="go-panic-without-a-line",
    ),
]


@pytest.mark.toolchains
@pytest.mark.parametrize(("bad", "verdict", "first_line"), CASES)
def test_the_first_line_names_the_field_and_line(bad: Entry, verdict: str, first_line: str) -> None:
    result = execution.check(bad, CheckContext())
    assert result.outcome is Outcome.FAILED
    assert result.details["verdict"] == verdict
    lines = result.render().splitlines()
    assert lines[0] == f"execution: {first_line}"
    assert lines[1].startswith("assembled program ")
