"""TypeScript entries through esbuild and node: module styles, decorators, async and Jest-style assertions, cheats."""

from __future__ import annotations

import textwrap

import pytest

from pytest_synthetic import toolchains
from pytest_synthetic.languages import by_name
from pytest_synthetic.runner import Execution, Verdict, execute
from pytest_synthetic.treesitter import defined_names

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


DECORATED = {
    "legacy (target, key, descriptor)": """
        export function logged(target: any, key: string, descriptor: PropertyDescriptor): PropertyDescriptor {
            const original = descriptor.value;
            descriptor.value = function (this: Calculator, ...args: number[]) {
                this.log.push(key);
                return original.apply(this, args);
            };
            return descriptor;
        }
        """,
    "standard (value, context)": """
        export function logged<T extends (this: Calculator, ...args: number[]) => number>(
            value: T, context: ClassMethodDecoratorContext<Calculator, T>,
        ) {
            return function (this: Calculator, ...args: number[]) {
                this.log.push(String(context.name));
                return value.apply(this, args);
            };
        }
        """,
}


@pytest.mark.parametrize("decorator", DECORATED.values(), ids=DECORATED.keys())
def test_both_kinds_of_method_decorator_run(decorator: str) -> None:
    assertions = """
        class Calculator {
            log: string[] = [];
            @logged
            add(a: number, b: number): number { return add(a, b); }
        }
        const calculator = new Calculator();
        if (calculator.add(1, 2) !== 3) throw new Error('wrong sum');
        if (calculator.log.join() !== 'add') throw new Error(`logged ${calculator.log.join()}`);
        """
    done = run(REFERENCE + textwrap.dedent(decorator), assertions)
    assert done.verdict is Verdict.PASSED, (done.message, done.stderr)


def test_es_module_reference_and_jest_mocks_with_fake_timers() -> None:
    reference = """
        import { fileURLToPath } from 'node:url';
        export async function retry<T>(op: () => Promise<T>, attempts = 3, delayMs = 100): Promise<T> {
            for (let attempt = 1; ; attempt++) {
                try {
                    return await op();
                } catch (error) {
                    if (attempt >= attempts) throw error;
                    await new Promise((resolve) => setTimeout(resolve, delayMs * attempt));
                }
            }
        }
        if (process.argv[1] === fileURLToPath(import.meta.url)) retry(async () => 1).then(console.log);
        """
    assertions = """
        import { describe, expect, it, jest } from '@jest/globals';
        import { retry } from './retry';
        describe('retry', () => {
            beforeEach(() => jest.useFakeTimers());
            it('gets through transient failures', async () => {
                const op = jest.fn<() => Promise<string>>()
                    .mockRejectedValueOnce(new Error('1'))
                    .mockRejectedValueOnce(new Error('2'))
                    .mockResolvedValue('ok');
                const result = retry(op);
                await jest.runAllTimersAsync();
                await expect(result).resolves.toBe(EXPECTED);
                expect(op).toHaveBeenCalledTimes(3);
            });
        });
        """
    done = run(reference, assertions.replace("EXPECTED", "'ok'"))
    assert done.verdict is Verdict.PASSED, (done.message, done.stderr)
    done = run(reference, assertions.replace("EXPECTED", "'nope'"))
    assert done.verdict is Verdict.ASSERTION_FAILED, (done.message, done.stderr)
    assert "expected 'ok' to be 'nope'" in done.stderr


def test_namespaces_and_abstract_classes_are_definitions() -> None:
    reference = """
        namespace Geometry {
            export function distance(x: number, y: number): number { return Math.hypot(x, y); }
        }
        export abstract class Shape {
            abstract area(): number;
        }
        """
    assert {"Geometry", "distance", "Shape", "area"} <= defined_names(TYPESCRIPT, textwrap.dedent(reference))


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
