"""Scala entries through the real scalac and scala: the shapes LLMs write, and the ways to cheat.

scalac takes a few seconds per program, so the shapes are packed into few runs (Scala 2
syntax: that is the compiler Debian ships).
"""

from __future__ import annotations

import textwrap

import pytest

from pytest_synthetic import toolchains
from pytest_synthetic.languages import by_name
from pytest_synthetic.runner import Execution, Verdict, execute

SCALA = by_name("Scala")
pytestmark = pytest.mark.skipif(
    toolchains.which("scalac") is None or toolchains.which("scala") is None,
    reason="scalac missing: apt-get install scala",
)


def run(reference: str, assertions: str, function_name: str = "f") -> Execution:
    return execute(SCALA, textwrap.dedent(reference), textwrap.dedent(assertions), function_name)


def test_top_level_defs_objects_imports_helpers_and_exit_pass() -> None:
    done = run(
        """
        import scala.collection.mutable

        case class Interval(lo: Int, hi: Int)

        object Intervals {
          def width(i: Interval): Int = i.hi - i.lo
        }

        def dedupe(xs: List[Int]): List[Int] = {
          val seen = mutable.LinkedHashSet[Int]()
          xs.foreach(seen += _)
          seen.toList
        }
        """,
        """
        import scala.collection.mutable.ListBuffer
        def expect(ok: Boolean, what: String): Unit = if (!ok) throw new AssertionError(what)
        expect(dedupe(List(3, 1, 3)) == List(3, 1), "dedupe")
        assert(width(Interval(2, 5)) == 3, "width, called without its object")
        val seen = ListBuffer(Intervals.width(Interval(0, 0)))
        assert(seen.toList == List(0))
        println("All tests passed")
        sys.exit(0)
        """,
        "dedupe",
    )
    assert done.verdict is Verdict.PASSED, (done.message, done.stderr)
    assert done.program is not None
    rewrites = " | ".join(done.program.rewrites)
    assert "wrapped the reference's top-level definitions" in rewrites
    assert "imported the members" in rewrites
    assert "sys.exit" in rewrites


def test_exiting_from_an_object_initialiser_after_a_fake_success_line_is_incomplete() -> None:
    done = run(
        """
        object Solution {
          println("All tests passed")
          sys.exit(0)
          def f(x: Int): Int = x
        }
        """,
        "assert(Solution.f(1) == 2)",
    )
    assert done.verdict is Verdict.INCOMPLETE, (done.message, done.stdout)


def test_comment_only_assertions_are_not_executable() -> None:
    done = run("def f(x: Int): Int = x", "// assert(f(1) == 1)\n/* nothing */")
    assert done.verdict is Verdict.NOT_EXECUTABLE
