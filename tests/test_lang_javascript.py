"""JavaScript entries through node: CommonJS and ES module styles, async and Jest-style assertions, cheats."""

from __future__ import annotations

import textwrap

import pytest

from pytest_synthetic import toolchains
from pytest_synthetic.languages import by_name
from pytest_synthetic.runner import Execution, Verdict, execute
from pytest_synthetic.treesitter import defined_names

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
    "an ES module with import.meta and top-level await; its main guard stays off": (
        """
        import { fileURLToPath } from 'node:url';
        const offset = await Promise.resolve(0);
        export function add(a, b) { return a + b + offset; }
        export const dataFile = new URL('./data.json', import.meta.url);
        if (process.argv[1] === fileURLToPath(import.meta.url)) process.exit(1);
        """,
        """
        import assert from 'node:assert/strict';
        import { add, dataFile } from './add.js';
        assert.equal(add(1, 2), 3);
        assert.ok(dataFile.href.endsWith('/data.json'));
        """,
    ),
    "a CommonJS main guard stays off": (
        REFERENCE + "if (require.main === module) { process.exit(1); }\n",
        "if (add(1, 2) !== 3) throw new Error('Failed');\n",
    ),
    "a final exit with the failure count": """
        let failed = 0;
        if (add(1, 2) !== 3) failed++;
        console.log(failed ? 'FAILED' : 'All tests passed');
        process.exit(failed ? 1 : 0); // done
        """,
    "an exit that ends a function called last": """
        async function main() {
            if (await Promise.resolve(add(1, 2)) !== 3) process.exit(1);
            process.exit(0);
        }
        main().catch(() => process.exit(1));
        """,
}


@pytest.mark.parametrize("case", PASSING.values(), ids=PASSING.keys())
def test_common_shapes_pass(case: str | tuple[str, str]) -> None:
    reference, assertions = case if isinstance(case, tuple) else (REFERENCE, case)
    done = run(reference, assertions)
    assert done.verdict is Verdict.PASSED, (done.message, done.stderr)


@pytest.mark.parametrize(
    "assertions",
    [
        "process.exit(0);\nif (add(1, 2) !== 4) throw new Error('wrong sum');\n",
        "if (add(1, 2) > 0) process.exit(0);\nif (add(1, 2) !== 4) throw new Error('wrong sum');\n",
    ],
    ids=["first statement", "inside an if"],
)
def test_exit_before_more_assertions_is_incomplete(assertions: str) -> None:
    done = run(REFERENCE, assertions)
    assert done.verdict is Verdict.INCOMPLETE, (done.message, done.stderr)


JEST_PASSING = {
    "fake timers": """
        const debounce = (fn, wait) => {
            let timer = null;
            return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), wait); };
        };
        const throttle = (fn, wait) => {
            let last = -Infinity;
            return (...args) => { if (Date.now() - last >= wait) { last = Date.now(); fn(...args); } };
        };
        describe('timers', () => {
            beforeEach(() => { jest.useFakeTimers(); });
            afterEach(() => { jest.useRealTimers(); });
            it('debounces', () => {
                const spy = jest.fn();
                const debounced = debounce(spy, 100);
                debounced(1);
                debounced(add(1, 1));
                jest.advanceTimersByTime(99);
                expect(spy).not.toHaveBeenCalled();
                jest.advanceTimersByTime(1);
                expect(spy).toHaveBeenCalledTimes(1);
                expect(spy).toHaveBeenCalledWith(2);
            });
            it('moves Date.now with the clock', () => {
                const spy = jest.fn();
                const throttled = throttle(spy, 1000);
                throttled();
                throttled();
                jest.advanceTimersByTime(1000);
                throttled();
                expect(spy).toHaveBeenCalledTimes(2);
            });
            it('runs intervals and chained timers', () => {
                let ticks = 0;
                const id = setInterval(() => { ticks += 1; if (ticks === 3) clearInterval(id); }, 10);
                setTimeout(() => setTimeout(() => { ticks += 10; }, 50), 50);
                jest.runAllTimers();
                expect(ticks).toBe(13);
                expect(jest.getTimerCount()).toBe(0);
            });
            it('lets promises settle between timers', async () => {
                const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
                const job = (async () => { await sleep(100); await sleep(200); return add(2, 3); })();
                await jest.runAllTimersAsync();
                await expect(job).resolves.toBe(5);
            });
        });
        """,
    "asymmetric matchers": """
        test('matches loosely', () => {
            const logger = jest.fn();
            logger({ id: 7, at: new Date(), tags: ['a', 'b', 'c'] }, 'saved item 7');
            expect({ total: add(1, 2), label: 'sum' }).toEqual({ total: expect.any(Number), label: expect.anything() });
            expect(logger).toHaveBeenCalledWith(
                expect.objectContaining({ id: 7, at: expect.any(Date), tags: expect.arrayContaining(['c', 'a']) }),
                expect.stringContaining('item'),
            );
            expect(['x1', 'y2']).toEqual([expect.stringMatching(/^x\\d$/), expect.not.stringContaining('x')]);
            expect({ a: 0.1 + 0.2 }).toStrictEqual({ a: expect.closeTo(0.3, 5) });
        });
        """,
    "assertion counts": """
        test('counts', async () => {
            expect.assertions(2);
            await expect(Promise.resolve(add(1, 2))).resolves.toBe(3);
            expect(add(0, 0)).toBe(0);
        });
        test('has one', () => {
            expect.hasAssertions();
            expect(add(1, 1)).toBeGreaterThan(1);
        });
        """,
    "mock implementations and spies": """
        describe('mocks', () => {
            afterEach(() => { jest.restoreAllMocks(); });
            it('follows one-off implementations', async () => {
                const source = jest.fn().mockReturnValue(0).mockReturnValueOnce(1).mockImplementationOnce(() => 2);
                expect([source(), source(), source()]).toEqual([1, 2, 0]);
                const fetcher = jest.fn().mockResolvedValue('ok').mockRejectedValueOnce(new Error('down'));
                await expect(fetcher('a')).rejects.toThrow('down');
                await expect(fetcher('b')).resolves.toBe('ok');
                expect(fetcher).toHaveBeenNthCalledWith(1, 'a');
                expect(fetcher).toHaveBeenLastCalledWith('b');
                expect(source).toHaveReturnedWith(2);
            });
            it('spies and restores', () => {
                const calculator = { add };
                const spy = jest.spyOn(calculator, 'add');
                expect(calculator.add(2, 2)).toBe(4);
                expect(spy).toHaveBeenCalledWith(2, 2);
                spy.mockImplementation(() => -1);
                expect(calculator.add(2, 2)).toBe(-1);
                spy.mockRestore();
                expect(calculator.add(2, 2)).toBe(4);
                jest.spyOn(console, 'log').mockImplementation(() => {});
                console.log('hidden');
                expect(console.log).toHaveBeenCalledTimes(1);
            });
            it('has console.log back', () => {
                expect(jest.isMockFunction(console.log)).toBe(false);
            });
        });
        """,
    "a tagged-template table": """
        describe('add', () => {
            test.each`
                a     | b    | expected
                ${1}  | ${1} | ${2}
                ${-1} | ${1} | ${0}
            `('$a + $b is $expected', ({ a, b, expected }) => {
                expect(add(a, b)).toBe(expected);
            });
            it.each([{ a: 2, b: 3 }])('$a + $b', ({ a, b }) => { expect(add(a, b)).toBe(5); });
        });
        """,
    "vitest's vi": """
        import { describe, it, expect, vi } from 'vitest';
        describe('add', () => {
            it('calls back', () => {
                vi.useFakeTimers();
                const spy = vi.fn();
                setTimeout(() => spy(add(1, 2)), 1000);
                vi.advanceTimersByTime(1000);
                expect(spy).toHaveBeenCalledWith(3);
                vi.useRealTimers();
            });
        });
        """,
}


@pytest.mark.parametrize("assertions", JEST_PASSING.values(), ids=JEST_PASSING.keys())
def test_jest_features_pass(assertions: str) -> None:
    done = run(REFERENCE, assertions)
    assert done.verdict is Verdict.PASSED, (done.message, done.stderr)


JEST_FAILING = {
    "fake timers not advanced far enough": (
        """
        test('waits', () => {
            jest.useFakeTimers();
            const spy = jest.fn();
            setTimeout(spy, 100);
            jest.advanceTimersByTime(50);
            expect(spy).toHaveBeenCalled();
        });
        """,
        "expected the mock to have been called",
    ),
    "an asymmetric matcher that does not match": (
        "test('t', () => { expect({ n: add(1, 2) }).toEqual({ n: expect.any(String) }); });\n",
        "to equal { n: Any<String> }",
    ),
    "too few assertions": (
        "test('t', async () => { expect.assertions(2); expect(add(1, 2)).toBe(3); });\n",
        "expect.assertions(2): 1 assertions were called",
    ),
    "a wrong nth call": (
        "test('t', () => { const f = jest.fn(); f(1); f(2); expect(f).toHaveBeenNthCalledWith(2, 1); });\n",
        "expected call 2 with [ 1 ]",
    ),
    "a wrong row of a tagged-template table": (
        """
        test.each`
            a    | b    | expected
            ${1} | ${2} | ${3}
            ${2} | ${2} | ${5}
        `('$a + $b', ({ a, b, expected }) => { expect(add(a, b)).toBe(expected); });
        """,
        "2 + 2: expected 4 to be 5",
    ),
}


@pytest.mark.parametrize(("assertions", "message"), JEST_FAILING.values(), ids=JEST_FAILING.keys())
def test_failing_jest_features_fail(assertions: str, message: str) -> None:
    done = run(REFERENCE, assertions)
    assert done.verdict is Verdict.ASSERTION_FAILED, (done.message, done.stderr)
    assert message in done.stderr


def test_definitions_assigned_to_exports_are_found() -> None:
    reference = """
        module.exports = function slugify(title) { return title; };
        exports.toTitleCase = function (s) { return s; };
        module.exports.camel = (s) => s;
        module.exports.helpers = { kebab: (s) => s };
        """
    assert {"slugify", "toTitleCase", "camel", "kebab"} <= defined_names(JAVASCRIPT, textwrap.dedent(reference))


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
