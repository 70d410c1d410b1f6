"""JavaScript entries through node: CommonJS and ES module styles, async assertions, cheats."""

from __future__ import annotations

import textwrap

import pytest

from pytest_synthetic import toolchains
from pytest_synthetic.languages import by_name
from pytest_synthetic.runner import Execution, Verdict, execute

JAVASCRIPT = by_name("JavaScript")
pytestmark = pytest.mark.skipif(toolchains.which("node") is None, reason="node missing: apt-get install nodejs")

REFERENCE = """
function add(a, b) {
    return a + b;
}
module.exports = { add };
"""


def run(reference: str, assertions: str) -> Execution:
    return execute(JAVASCRIPT, textwrap.dedent(reference), textwrap.dedent(assertions), "add")


PASSING = {
    "require of node's assert and of the reference": """
        const assert = require('assert');
        const { add: plus } = require('./solution.js');
        assert.strictEqual(plus(1, 2), 3);
        """,
    "ES module imports, an exported reference, explicit exit 0": (
        "export function add(a, b) { return a + b; }\n",
        """
        import { strictEqual } from 'node:assert';
        import { add } from './add.mjs';
        strictEqual(add(1, 2), 3);
        console.log('All tests passed');
        process.exit(0);
        """,
    ),
    "a Jest-style test file (no Jest installed)": """
        describe('add', () => {
            it('adds', () => {
                expect(add(1, 2)).toBe(3);
                expect([add(1, 1)]).toEqual([2]);
            });
            test.each([[2, 2, 4], [0, 0, 0]])('add(%i, %i)', async (a, b, total) => {
                await expect(Promise.resolve(add(a, b))).resolves.toBe(total);
            });
        });
        """,
    "async test function called at top level": """
        async function test() {
            const value = await Promise.resolve(add(2, 2));
            if (value !== 4) throw new Error('Failed');
        }
        test();
        """,
}


@pytest.mark.parametrize("case", PASSING.values(), ids=PASSING.keys())
def test_common_shapes_pass(case: str | tuple[str, str]) -> None:
    reference, assertions = case if isinstance(case, tuple) else (REFERENCE, case)
    done = run(reference, assertions)
    assert done.verdict is Verdict.PASSED, (done.message, done.stderr)


def test_console_assert_is_made_to_throw() -> None:
    done = run(REFERENCE, "console.assert(add(1, 2) === 4, 'wrong sum');\n")
    assert done.verdict is Verdict.ASSERTION_FAILED
    assert done.program is not None
    assert "console.assert made to throw" in done.program.rewrites


def test_failing_jest_style_test_fails() -> None:
    done = run(REFERENCE, "test('adds', () => {\n    expect(add(1, 2)).toEqual(4);\n});\n")
    assert done.verdict is Verdict.ASSERTION_FAILED
    assert "expected 3 to equal 4" in done.stderr


def test_rejected_promise_fails() -> None:
    done = run(REFERENCE, "Promise.resolve(add(1, 2)).then(v => { if (v !== 4) throw new Error('Failed'); });\n")
    assert done.verdict is Verdict.ASSERTION_FAILED, (done.message, done.stderr)


def test_syntax_error_is_a_compile_error() -> None:
    done = run("function add(a, b) {\n    return a +;\n}\n", "add(1, 2);\n")
    assert done.verdict is Verdict.COMPILE_ERROR


def test_crash_in_the_reference_is_a_runtime_error() -> None:
    done = run("function add(a, b) { return a.missing.field + b; }\n", "const total = add(1, 2);\n")
    assert done.verdict is Verdict.RUNTIME_ERROR, (done.message, done.stderr)


@pytest.mark.parametrize(
    "reference",
    ["process.exit(0);\n" + REFERENCE, "class Boot { static { process.exit(0); } }\n" + REFERENCE],
    ids=["top level", "static initialiser"],
)
def test_early_exit_is_incomplete(reference: str) -> None:
    done = run(reference, "if (add(1, 2) !== 3) throw new Error('Failed');\n")
    assert done.verdict is Verdict.INCOMPLETE, (done.message, done.stdout)


def test_fake_success_marker_does_not_pass() -> None:
    reference = REFERENCE + "console.log('All tests passed');\nprocess.stdout.write('0'.repeat(32) + '\\n');\n"
    done = run(reference, "if (add(1, 2) !== 4) throw new Error('Failed');\n")
    assert done.verdict is Verdict.ASSERTION_FAILED
