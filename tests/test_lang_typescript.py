"""TypeScript entries through esbuild and node: module styles, async assertions, cheats."""

from __future__ import annotations

import textwrap

import pytest

from pytest_synthetic import toolchains
from pytest_synthetic.languages import by_name
from pytest_synthetic.runner import Execution, Verdict, execute

TYPESCRIPT = by_name("TypeScript")
pytestmark = pytest.mark.skipif(
    toolchains.which("esbuild") is None or toolchains.which("node") is None,
    reason="TypeScript needs node (apt-get install nodejs) and esbuild (scripts/install-toolchains.sh)",
)

REFERENCE = """
export function add(a: number, b: number): number {
    return a + b;
}
"""


def run(reference: str, assertions: str) -> Execution:
    return execute(TYPESCRIPT, textwrap.dedent(reference), textwrap.dedent(assertions), "add")


PASSING = {
    "throw on mismatch": "if (add(1, 2) !== 3) throw new Error('Failed');\n",
    "imports of the reference and of node's assert": """
        import { add as plus } from './solution';
        import * as solution from "./solution";
        import assert from 'assert';
        assert.strictEqual(plus(1, 2), 3);
        assert.strictEqual(solution.add(2, 2), 4);
        """,
    "console.assert, top-level await and an async IIFE": """
        const later = (n: number) => new Promise<number>(resolve => setTimeout(() => resolve(n), 5));
        console.assert(add(1, 2) === 3, 'sync');
        const value: number = await later(add(2, 2));
        console.assert(value === 4);
        (async () => {
            const again = await later(add(3, 3));
            if (again !== 6) throw new Error('async mismatch');
        })();
        """,
}


@pytest.mark.parametrize("assertions", PASSING.values(), ids=PASSING.keys())
def test_common_shapes_pass(assertions: str) -> None:
    done = run(REFERENCE, assertions)
    assert done.verdict is Verdict.PASSED, (done.message, done.stderr)


def test_commonjs_reference_required_by_path() -> None:
    reference = "function add(a: number, b: number) { return a + b; }\nmodule.exports = { add };\n"
    done = run(reference, "const { add: sum } = require('./add');\nif (sum(1, 2) !== 3) throw new Error('x');\n")
    assert done.verdict is Verdict.PASSED, (done.message, done.stderr)


@pytest.mark.parametrize(
    "assertions",
    [
        "console.assert(add(1, 2) === 4, 'wrong sum');\n",
        "(async () => { await null; if (add(1, 2) !== 4) throw new Error('wrong sum'); })();\n",
        "setTimeout(() => { if (add(1, 2) !== 4) throw new Error('wrong sum'); }, 10);\n",
    ],
    ids=["console.assert", "rejected async IIFE", "timer"],
)
def test_wrong_answers_fail(assertions: str) -> None:
    done = run(REFERENCE, assertions)
    assert done.verdict is Verdict.ASSERTION_FAILED, (done.message, done.stderr)


def test_assertions_that_never_settle_are_incomplete() -> None:
    done = run(REFERENCE, "(async () => { await new Promise(() => {}); throw new Error('never'); })();\n")
    assert done.verdict is Verdict.INCOMPLETE, (done.message, done.stderr)


def test_syntax_error_is_a_compile_error() -> None:
    done = run("export function add(a: number, b: number): number {\n    return a +;\n}\n", "add(1, 2);\n")
    assert done.verdict is Verdict.COMPILE_ERROR


def test_crash_in_the_reference_is_a_runtime_error() -> None:
    reference = "export function add(a: number, b: number): number {\n    return (null as any).x + a + b;\n}\n"
    done = run(reference, "const total = add(1, 2);\nif (total !== 3) throw new Error('Failed');\n")
    assert done.verdict is Verdict.RUNTIME_ERROR, (done.message, done.stderr)


@pytest.mark.parametrize(
    "reference",
    [
        "process.exit(0);\n" + REFERENCE,
        "class Boot { static { process.exit(0); } }\n" + REFERENCE,
        "export function add(a: number, b: number): number { process.exit(0); }\n",
    ],
    ids=["top level", "static initialiser", "inside the tested call"],
)
def test_early_exit_is_incomplete(reference: str) -> None:
    done = run(reference, "if (add(1, 2) !== 3) throw new Error('Failed');\n")
    assert done.verdict is Verdict.INCOMPLETE, (done.message, done.stdout)


def test_fake_success_marker_does_not_pass() -> None:
    reference = REFERENCE + (
        "console.log('All tests passed');\n"
        "console.log(require('crypto').randomBytes(16).toString('hex'));\n"
        "process.exit(0);\n"
    )
    done = run(reference, "if (add(1, 2) !== 3) throw new Error('Failed');\n")
    assert done.verdict is not Verdict.PASSED
