"""Kotlin entries through the real kotlinc and java: the shapes LLMs write, and the ways to cheat.

kotlinc takes several seconds per program, so the shapes are packed into few runs. The
programs keep to what Kotlin 1.3 (Debian's kotlinc) already had.
"""

from __future__ import annotations

import textwrap

import pytest

from pytest_synthetic import toolchains
from pytest_synthetic.languages import by_name
from pytest_synthetic.runner import Execution, Verdict, execute

KOTLIN = by_name("Kotlin")
pytestmark = pytest.mark.skipif(
    toolchains.which("kotlinc") is None or toolchains.which("java") is None,
    reason="kotlinc missing: npm install --prefix .toolchains kotlin-compiler (or apt-get install kotlin)",
)


def run(reference: str, assertions: str, function_name: str = "f") -> Execution:
    return execute(KOTLIN, textwrap.dedent(reference), textwrap.dedent(assertions), function_name)


def test_functions_objects_own_main_imports_helpers_and_exit_pass() -> None:
    done = run(
        """
        import kotlin.math.abs

        fun distance(a: Int, b: Int): Int = abs(a - b)

        object Geometry {
            fun manhattan(x: Int, y: Int): Int = distance(x, 0) + distance(y, 0)
        }

        fun main() {
            println(distance(1, 4))
        }
        """,
        """
        import kotlin.system.exitProcess
        fun expect(ok: Boolean, what: String) { if (!ok) throw AssertionError(what) }
        val d = distance(3, -2)
        expect(d == 5, "distance")
        check(manhattan(-1, 2) == 3) { "manhattan, called without its object" }
        assert(Geometry.manhattan(0, 0) == 0)
        println("All tests passed")
        exitProcess(0)
        """,
        "distance",
    )
    assert done.verdict is Verdict.PASSED, (done.message, done.stderr)
    assert done.program is not None
    rewrites = " | ".join(done.program.rewrites)
    assert "renamed the reference's main" in rewrites
    assert "imported object members" in rewrites
    assert "exitProcess" in rewrites


def test_exiting_from_a_top_level_initialiser_after_a_fake_success_line_is_incomplete() -> None:
    done = run(
        """
        val ready: Boolean = run {
            println("All tests passed")
            kotlin.system.exitProcess(0)
        }
        fun f(x: Int): Int = x
        """,
        "check(f(1) == 2)",
    )
    assert done.verdict is Verdict.INCOMPLETE, (done.message, done.stdout)


def test_comment_only_assertions_are_not_executable() -> None:
    done = run("fun f(x: Int): Int = x", "// check(f(1) == 1)\n")
    assert done.verdict is Verdict.NOT_EXECUTABLE
