"""The opt-in TypeScript type-check: real tsc, several entries in one run."""

from __future__ import annotations

import pytest

from pytest_synthetic import toolchains
from pytest_synthetic.typecheck import TypecheckBatch, TypecheckSource, typecheck

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
