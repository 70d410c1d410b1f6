"""Scala entries through the real scalac and scala: the shapes LLMs write, and the ways to cheat.

scalac takes a few seconds per program, so the shapes are packed into few runs (Scala 2
syntax: that is the compiler Debian ships).
"""

from __future__ import annotations

import textwrap

import pytest

from pytest_synthetic import toolchains
from pytest_synthetic.languages import by_name
from pytest_synthetic.languages.completion import FINISHING_REWRITE
from pytest_synthetic.runner import Execution, Verdict, execute

SCALA = by_name("Scala")
# Only the programs that get built need the toolchain: what is not executable never gets there.
needs_scalac = pytest.mark.skipif(
    toolchains.which("scalac") is None or toolchains.which("scala") is None,
    reason="scalac missing: apt-get install scala",
)


def run(reference: str, assertions: str, function_name: str = "f") -> Execution:
    return execute(SCALA, textwrap.dedent(reference), textwrap.dedent(assertions), function_name)


@needs_scalac
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
    assert FINISHING_REWRITE in rewrites


@needs_scalac
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


@needs_scalac
def test_a_bare_top_level_main_in_the_assertions_is_renamed_and_called() -> None:
    reference = """
        def dedupe(xs: List[Int]): List[Int] = xs.distinct
        """
    passed = run(
        reference,
        """
        def expect(ok: Boolean, what: String): Unit = if (!ok) throw new AssertionError(what)

        def main(args: Array[String]): Unit = {
          expect(dedupe(List(3, 1, 3)) == List(3, 1), "dedupe keeps the first of each")
          expect(args.isEmpty, "no arguments")
        }
        """,
        "dedupe",
    )
    # Declared without a parameter list: Scala 2 rejects `main()` for it.
    wrong = run(
        "def dedupe(xs: List[Int]): List[Int] = xs",
        """
        def main: Unit = {
          assert(dedupe(List(3, 1, 3)) == List(3, 1), "dedupe keeps the first of each")
        }
        """,
        "dedupe",
    )
    # Procedure syntax with an empty parameter list; the reference exits 0 before it returns.
    cheat = run(
        """
        def dedupe(xs: List[Int]): List[Int] = {
          println("All tests passed")
          sys.exit(0)
        }
        """,
        """
        def main() {
          assert(dedupe(List(3, 1, 3)) == List(3, 1))
        }
        """,
        "dedupe",
    )
    assert passed.verdict is Verdict.PASSED, (passed.message, passed.stderr)
    assert passed.program is not None
    assert "renamed the assertions' main and called it" in passed.program.rewrites
    assert wrong.verdict is Verdict.ASSERTION_FAILED, (wrong.message, wrong.stderr)
    assert "dedupe keeps the first of each" in wrong.stderr
    assert cheat.verdict is Verdict.INCOMPLETE, (cheat.message, cheat.stdout)


@needs_scalac
def test_assertions_that_do_not_parse_with_a_top_level_main_go_to_scalac_whole() -> None:
    # A Markdown fence left around the code: the top level does not parse, and scalac says why.
    done = run(
        "def f(x: Int): Int = x * 2",
        """
        ```scala
        def main(args: Array[String]): Unit = {
          assert(f(2) == 4)
        }
        ```
        """,
    )
    assert done.verdict is Verdict.COMPILE_ERROR, (done.message, done.stderr)
    assert done.program is not None
    assert "renamed the assertions' main and called it" in done.program.rewrites
    assert "syntheticTestsMain(args)" in done.program.files["main.scala"]


def test_test_frameworks_and_assertions_that_nothing_runs_are_not_executable() -> None:
    reference = "def f(x: Int): Int = x * 2"
    cases = {
        "ScalaTest": """
            import org.scalatest.funsuite.AnyFunSuite
            class FSuite extends AnyFunSuite {
              test("doubles") { assert(f(2) == 4) }
            }
            """,
        "FunSuite, unimported": 'class FSuite extends FunSuite { test("doubles") { assert(f(2) == 4) } }',
        "specs2": 'class FSpec extends Specification { "f" should { "double" in { f(2) must_== 4 } } }',
        "MUnit": 'class FSuite extends munit.FunSuite { test("doubles") { assertEquals(f(2), 4) } }',
        "JUnit": "class FTest {\n  @Test def doubles(): Unit = assert(f(2) == 4)\n}",
        "defs only": "def testDoubles(): Unit = assert(f(2) == 4)\ndef testZero(): Unit = assert(f(0) == 0)",
        "a class with its tests": "class FTest {\n  def run(): Unit = assert(f(2) == 4)\n}",
        "unparsed, main in an object": "object FTest {\n  def main(args: Array[String]): Unit = {}\n}\n)",
        "unparsed, extends App": "object FTest extends App {\n  assert(f(2) == 4)\n}\n)",
    }
    done = {label: run(reference, assertions) for label, assertions in cases.items()}
    for label, execution in done.items():
        assert execution.verdict is Verdict.NOT_EXECUTABLE, (label, execution.verdict, execution.message)
    for label in ("ScalaTest", "FunSuite, unimported", "specs2", "MUnit", "JUnit"):
        assert "test framework" in done[label].message, (label, done[label].message)
    assert "nothing runs them" in done["defs only"].message
    assert "nothing runs them" in done["a class with its tests"].message
    assert "not at the top level" in done["unparsed, extends App"].message
