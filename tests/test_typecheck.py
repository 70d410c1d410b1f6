"""The opt-in TypeScript type-check: real tsc, several entries in one run."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pytest_synthetic import toolchains
from pytest_synthetic.typecheck import TypecheckBatch, TypecheckSource, typecheck

pytest_plugins = ["pytester"]
pytestmark = pytest.mark.skipif(
    toolchains.which("tsc") is None, reason="tsc missing: scripts/install-toolchains.sh installs it"
)

GOOD = TypecheckSource(
    "export function add(a: number, b: number): number {\n  return a + b;\n}",
    "import { add } from './solution';\nif (add(1, 2) !== 3) throw new Error('add');",
)
BAD_REFERENCE = TypecheckSource(
    "function add(a: number, b: number): string {\n  return a + b;\n}",
    "if (add(1, 2) !== '3') throw new Error('add');",
)
BAD_ASSERTIONS = TypecheckSource(
    "function add(a: number, b: number): number {\n  return a + b;\n}",
    "const x = 1;\nif (add('1', 2) !== 3) throw new Error('add');",
)


def test_errors_are_mapped_to_their_entry_field_and_line() -> None:
    found = typecheck({"good": GOOD, "ref": BAD_REFERENCE, "asserts": BAD_ASSERTIONS})
    assert not isinstance(found, str), found
    assert found["good"] == []  # same names in three modules: no clash
    (ref_error,) = found["ref"]
    assert ref_error.field == "reference_answer"
    assert ref_error.line == 2
    assert ref_error.message.startswith("TS2322")
    assert ref_error.excerpt == "  return a + b;"
    (assert_error,) = found["asserts"]
    assert (assert_error.field, assert_error.line) == ("assertions", 2)
    assert "TS2345" in assert_error.message


def test_batch_runs_registered_entries_together() -> None:
    batch = TypecheckBatch()
    batch.register("ref", BAD_REFERENCE)
    batch.register("good", GOOD)
    assert batch.findings("good", GOOD) == []
    assert not batch.pending  # the registered entry was checked in the same run
    result = batch.done["ref"]
    assert not isinstance(result, str)
    assert len(result) == 1


def ts_entry(query_id: str, assertions: str) -> dict[str, Any]:
    return {
        "query_id": query_id,
        "query_text": "Write a TypeScript function named `add` that returns the sum of two numbers, "
        "including negative ones. Language: TypeScript. Function name: add",
        "reference_answer": "function add(a: number, b: number): number {\n  return a + b;\n}\n",
        "assertions": assertions,
        "metadata": {"language": "TypeScript", "function_name": "add", "difficulty": "medium",
                     "category": "math", "complexity": 0.2},
    }


@pytest.mark.parametrize("xdist", [[], ["-n", "2"]], ids=["plain", "xdist"])
def test_the_option_fails_an_entry_that_runs_but_does_not_type_check(
    pytester: pytest.Pytester, xdist: list[str]
) -> None:
    checks = "if (add(1, 2) !== 3) throw new Error('sum');\nif (add(-4, 1) !== -3) throw new Error('negative');\n"
    entries = [ts_entry("ts-good", checks), ts_entry("ts-typed-wrong", "const label: string = add(1, 2);\n" + checks)]
    dataset = pytester.path / "synthetic_types.jsonl"
    dataset.write_text("".join(json.dumps(e) + "\n" for e in entries), encoding="utf-8")
    args = (dataset.name, "--synthetic-size=2", "-k", "execution", "-rf", "-p", "no:cacheprovider", *xdist)
    without = pytester.runpytest_subprocess(*args)
    without.assert_outcomes(passed=2)
    checked = pytester.runpytest_subprocess(*args, "--synthetic-typecheck=true")
    checked.assert_outcomes(passed=1, failed=1)
    text = checked.stdout.str()
    assert "ts-typed-wrong::execution" in text
    assert "runs, but has 1 type error(s) (tsc --strict)" in text
    assert "TS2322" in text
