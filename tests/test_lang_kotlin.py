"""Kotlin entries through the real kotlinc and java: the shapes LLMs write, and the ways to cheat.

kotlinc takes several seconds per program, so the shapes are packed into few runs. The
programs keep to what Kotlin 1.3 (Debian's kotlinc) already had.
"""

from __future__ import annotations

import textwrap

import pytest

from pytest_synthetic import toolchains, treesitter
from pytest_synthetic.languages import by_name, kotlin
from pytest_synthetic.languages.completion import FINISHING_REWRITE
from pytest_synthetic.runner import Execution, Verdict, execute

KOTLIN = by_name("Kotlin")
# Only the programs that get built need the toolchain: what is not executable never gets there.
needs_kotlinc = pytest.mark.skipif(
    toolchains.which("kotlinc") is None or toolchains.which("java") is None,
    reason="kotlinc missing: npm install --prefix .toolchains kotlin-compiler (or apt-get install kotlin)",
)


def run(reference: str, assertions: str, function_name: str = "f") -> Execution:
    return execute(KOTLIN, textwrap.dedent(reference), textwrap.dedent(assertions), function_name)


@needs_kotlinc
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
    assert FINISHING_REWRITE in rewrites


@needs_kotlinc
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


@needs_kotlinc
def test_header_comments_and_one_line_class_bodies_keep_the_declarations_at_top_level() -> None:
    # Two one-line class bodies in a row make tree-sitter-kotlin read the rest of the snippet
    # as one error: the reference's object (whose members the assertions call unqualified)
    # and the assertions' object (which cannot be local) would be lost.
    done = run(
        """
        package app.geometry // shapes and their areas
        import kotlin.math.abs /* for negative sides */

        class Point(val x: Int, val y: Int) { fun sum() = x + y }
        class Box { val size = 3 }
        object Geometry {
            fun area(w: Int, h: Int): Int = abs(w * h)
        }
        fun f(p: Point): Int = p.sum()
        """,
        """
        package app.geometry.tests // where the IDE put them
        import kotlin.math.max; // the larger count

        class Probe { val seen = mutableListOf<Int>() }
        object Tally { var count = 0 }
        fun record(p: Probe, x: Int) { p.seen.add(x); Tally.count++ }
        fun main() {
            val p = Probe()
            record(p, f(Point(1, 2)))
            check(area(-2, 3) == 6) { "area" }
            check(max(Tally.count, 0) == 1 && p.seen == listOf(3)) { "recorded once" }
        }
        """,
    )
    assert done.verdict is Verdict.PASSED, (done.message, done.stderr)
    assert done.program is not None
    source = done.program.files["main.kt"]
    assert source.startswith("package app.geometry\n")
    assert "import kotlin.math.abs\n" in source
    assert "import kotlin.math.max\n" in source
    rewrites = " | ".join(done.program.rewrites)
    assert "dropped the assertions' package line" in rewrites
    assert "imported object members" in rewrites
    assert "renamed the assertions' main and called it" in rewrites


@needs_kotlinc
def test_kotlin_test_stand_ins_accept_and_reject_as_the_originals_in_a_companion_main() -> None:
    done = run(
        r"""
        fun primes(limit: Int): List<Int> = (2..limit).filter { n -> (2 until n).none { n % it == 0 } }
        val cache = mutableMapOf<Int, List<Int>>()
        fun cached(limit: Int): List<Int> = cache.getOrPut(limit) { primes(limit) }
        """,
        r"""
        import kotlin.test.*  // every call below goes to a stand-in

        class PrimesTest {
            companion object {
                @JvmStatic
                fun main(args: Array<String>) {
                    val small = primes(10)
                    assertContains(small, 7)
                    assertContains(small.asSequence(), 5)
                    assertContains(small.toTypedArray(), 3)
                    assertContains(small.toIntArray(), 2)
                    assertContains(longArrayOf(7L, 11L), 11L)
                    assertContains(charArrayOf('p', 'q'), 'q')
                    assertContains(booleanArrayOf(true), true)
                    assertContains(mapOf(7 to "seven"), 7)
                    assertContains(2..small.last(), 5)
                    assertContains(2L..7L, 7L)
                    assertContains('a'..'z', 'k')
                    assertContains(0.5..1.5, 1.0)
                    assertContains("primes: $small", "7]")
                    assertContains("Primes", 'P')
                    assertContains("Primes", "PRIMES", ignoreCase = true)
                    assertContains(small.joinToString(), Regex("\\d, 7$"))
                    assertSame(cached(10), cached(10))
                    assertNotSame(primes(10), primes(10))
                    expect(4) { small.size }
                    expect(listOf(2, 3), "primes below 5") { primes(4) }
                    assertEquals(0.3f, 0.1f + 0.2f, 1e-6f)
                    kotlin.test.assertTrue(small.all { it > 1 }, "all above one")
                    kotlin.test.assertEquals(listOf(2, 3, 5, 7), small)
                    assertFailsWith<AssertionError> { assertContains(small, 4) }
                    assertFailsWith<AssertionError> { assertContains(small.asSequence(), 4) }
                    assertFailsWith<AssertionError> { assertContains(small.toIntArray(), 9) }
                    assertFailsWith<AssertionError> { assertContains(charArrayOf('p'), 'q') }
                    assertFailsWith<AssertionError> { assertContains(mapOf(1 to 2), 2) }
                    assertFailsWith<AssertionError> { assertContains(2..7, 8) }
                    assertFailsWith<AssertionError> { assertContains(0.5..1.5, 2.0) }
                    assertFailsWith<AssertionError> { assertContains("abc", Regex("\\d")) }
                    assertFailsWith<AssertionError> { assertContains("abc", 'z') }
                    assertFailsWith<AssertionError> { assertSame(primes(10), primes(10)) }
                    assertFailsWith<AssertionError> { assertNotSame(cached(3), cached(3)) }
                    assertFailsWith<AssertionError> { expect(5) { small.size } }
                    assertFailsWith<AssertionError> { assertEquals(1.0f, 1.5f, 0.1f) }
                }
            }
        }
        """,
        "primes",
    )
    assert done.verdict is Verdict.PASSED, (done.message, done.stderr)
    assert done.program is not None
    rewrites = " | ".join(done.program.rewrites)
    assert "kotlin.test assertions -> built-in equivalents" in rewrites
    assert "called the assertions' PrimesTest.main" in rewrites


@needs_kotlinc
def test_qualified_kotlin_test_calls_in_a_companion_main_catch_a_wrong_reference() -> None:
    # No kotlin.test import: the qualified calls alone bring in the stand-ins. The companion's
    # main has no @JvmStatic and no parameters; it is called all the same.
    done = run(
        "fun f(x: Int): Int = x + x + 1",
        """
        class SolutionTest {
            companion object {
                fun main() {
                    kotlin.test.assertTrue(f(0) >= 0)
                    kotlin.test.assertEquals(4, f(2), "f doubles")
                }
            }
        }
        """,
    )
    assert done.verdict is Verdict.ASSERTION_FAILED, (done.message, done.stderr)
    assert "f doubles. Expected <4>, actual <5>." in done.stderr
    assert done.program is not None
    assert "called the assertions' SolutionTest.main" in " | ".join(done.program.rewrites)


# Class bodies written without a blank before the `}` defeat the grammar workaround: the
# assertions' top level does not parse and goes to kotlinc whole, a local function `main`.
UNPARSED_MAIN = """
class Case {val input = -3}
class Expected {val output = 6}

fun main(%s) {
    check(f(Case().input) == Expected().output) { "f(-3) should be 6" }
}
"""


@needs_kotlinc
def test_a_top_level_main_in_assertions_that_do_not_parse_is_called() -> None:
    passed = run("fun f(x: Int): Int = kotlin.math.abs(x) * 2", UNPARSED_MAIN % "")
    wrong = run("fun f(x: Int): Int = x * 2", UNPARSED_MAIN % "args: Array<String>")
    cheat = run(
        """
        fun f(x: Int): Int {
            println("All tests passed")
            kotlin.system.exitProcess(0)
        }
        """,
        UNPARSED_MAIN % "",
    )
    assert passed.verdict is Verdict.PASSED, (passed.message, passed.stderr)
    assert passed.program is not None
    assert "renamed the assertions' main and called it" in passed.program.rewrites
    assert "syntheticTestsMain()" in passed.program.files["main.kt"]
    assert wrong.verdict is Verdict.ASSERTION_FAILED, (wrong.message, wrong.stderr)
    assert "f(-3) should be 6" in wrong.stderr
    assert cheat.verdict is Verdict.INCOMPLETE, (cheat.message, cheat.stdout)


def test_test_frameworks_and_assertions_that_nothing_runs_are_not_executable() -> None:
    reference = "fun f(x: Int): Int = x * 2"
    cases = {
        "JUnit": "org.junit.jupiter.api.Assertions.assertEquals(4, f(2))",
        "TestNG": "fun main() { org.testng.Assert.assertEquals(f(2), 4) }",
        "Kotest": "import io.kotest.matchers.shouldBe\nfun main() { f(2) shouldBe 4 }",
        "@Test": "@Test\nfun doubles() {\n    check(f(2) == 4)\n}",
        "@kotlin.test.Test": "class FTest {\n    @kotlin.test.Test fun doubles() = check(f(2) == 4)\n}",
        "functions only": "fun testDoubles() {\n    check(f(2) == 4)\n}",
        "a class's own main": "class FTest {\n    fun main() { check(f(2) == 4) }\n}",
        "unparsed, main in an object": "class A {val x = 2}\nclass B {val y = 4}\nobject FTest {\n"
        "    fun main() { check(f(A().x) == B().y) }\n}",
    }
    done = {label: run(reference, assertions) for label, assertions in cases.items()}
    for label, execution in done.items():
        assert execution.verdict is Verdict.NOT_EXECUTABLE, (label, execution.verdict, execution.message)
    for label in ("JUnit", "TestNG", "Kotest"):
        assert "test framework" in done[label].message, (label, done[label].message)
    assert "test runner" in done["@Test"].message
    assert "test runner" in done["@kotlin.test.Test"].message
    assert "nothing runs them" in done["a class's own main"].message
    assert "not at the top level" in done["unparsed, main in an object"].message


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("class A { val x = 1 }", "class A { val x = 1;}"),
        ("class A { val x = 1\t}", "class A { val x = 1;}"),
        # Only the `}` of code (here the function's): not one in a raw string, a quoted name or a comment.
        ('fun g() { val r = """ a } "q" }"""; h() }', 'fun g() { val r = """ a } "q" }"""; h();}'),
        ("fun g() { val `odd }` = 1; h() }", "fun g() { val `odd }` = 1; h();}"),
        ("fun g() { // x }\n    h() }", "fun g() { // x }\n    h();}"),
        # Kotlin's block comments nest: the `}` after the inner `*/` is still comment.
        ("fun g() { /* a /* b */ c } */ h() }", "fun g() { /* a /* b */ c } */ h();}"),
        # Quotes in char literals, strings and templates do not open strings that hide the code after them.
        ("fun g() { val q = '\"'; val d = '\\''; h() }", "fun g() { val q = '\"'; val d = '\\''; h();}"),
        ('fun g() { val s = "it\'s ${ "}" }"; h() }', 'fun g() { val s = "it\'s ${ "}" }"; h();}'),
        # An unterminated string ends at its line: the code after it is read again.
        ('val u = "open }\nclass A { val x = 1 }', 'val u = "open }\nclass A { val x = 1;}'),
    ],
)
def test_parseable_source_separates_the_last_statement_before_a_code_block_brace(code: str, expected: str) -> None:
    patched = kotlin.parseable_source(code)
    assert patched == expected
    assert len(patched) == len(code)


@pytest.mark.parametrize(
    "code",
    [
        # Not after an opening brace, a separator, a trailing comma or a lambda's arrow, nor alone on a line.
        "class A { }\nval f = { x: Int -> }\nclass B { val x = 1; }",
        "enum class E { A, }\nclass C {\n    val x = 1\n}",
        # A `}` in a string, a string template's own braces, or a char literal.
        'fun g() { val s = "a } b" + "${ n }" + "\\" }";}',
        "fun g() { val c = '}'; val d = '\\'' ; val e = '\\u007D';}",
        "val a = 1 }",  # a `}` that closes nothing
    ],
)
def test_parseable_source_leaves_other_braces_alone(code: str) -> None:
    assert kotlin.parseable_source(code) == code


def test_parseable_source_makes_one_line_class_bodies_readable() -> None:
    code = "class A { val x = 1 }\nclass B { val y = 2 }\nfun main() {\n    println(A().x + B().y)\n}\n"
    root = treesitter.parse(KOTLIN, kotlin.parseable_source(code)).root_node
    assert not root.has_error
    assert [child.type for child in root.children] == ["class_declaration", "class_declaration", "function_declaration"]
