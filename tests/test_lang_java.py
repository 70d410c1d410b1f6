"""Java entries through the real javac and java: the shapes LLMs write, and the ways to cheat.

Each run compiles with javac (about a second or two): the shapes are packed into few runs.
"""

from __future__ import annotations

import textwrap

import pytest

from pytest_synthetic import toolchains
from pytest_synthetic.languages import by_name
from pytest_synthetic.runner import Execution, Verdict, execute

JAVA = by_name("Java")
needs_jdk = pytest.mark.skipif(
    toolchains.which("javac") is None or toolchains.which("java") is None,
    reason="javac missing: apt-get install default-jdk-headless",
)


def run(reference: str, assertions: str, function_name: str = "f") -> Execution:
    return execute(JAVA, textwrap.dedent(reference), textwrap.dedent(assertions), function_name)


@needs_jdk
def test_public_classes_qualified_calls_imports_helpers_and_exit_pass() -> None:
    done = run(
        """
        import java.util.*;

        public interface Shape { double area(); }

        public class Solution {
            public static List<Integer> evens(int[] xs) {
                List<Integer> out = new ArrayList<>();
                for (int x : xs) if (x % 2 == 0) out.add(x);
                return out;
            }
        }
        """,
        """
        import java.util.List;
        static void check(boolean ok, String what) { if (!ok) throw new AssertionError(what); }
        check(Solution.evens(new int[] {1, 2, 3, 4}).equals(List.of(2, 4)), "evens");
        assert Solution.evens(new int[0]).isEmpty() : "empty";
        Shape unit = () -> 1.0;
        check(unit.area() == 1.0, "shape");
        System.out.println("All tests passed");
        System.exit(0);
        """,
        "evens",
    )
    assert done.verdict is Verdict.PASSED, (done.message, done.stderr)
    assert done.program is not None
    assert any("public" in rewrite for rewrite in done.program.rewrites)
    assert any("System.exit" in rewrite for rewrite in done.program.rewrites)


@needs_jdk
def test_bare_methods_own_main_and_a_main_class_in_the_assertions_pass() -> None:
    done = run(
        """
        static int twice(int x) { return 2 * x; }
        int quadruple(int x) { return twice(twice(x)); }
        public static void main(String[] args) { System.out.println(quadruple(1)); }
        """,
        """
        public class Main {
            public static void main(String[] args) {
                if (quadruple(3) != 12) throw new RuntimeException("quadruple(3)");
                if (Solution.twice(-1) != -2) throw new RuntimeException("twice(-1)");
            }
        }
        """,
        "quadruple",
    )
    assert done.verdict is Verdict.PASSED, (done.message, done.stderr)
    assert done.program is not None
    rewrites = " | ".join(done.program.rewrites)
    assert "wrapped the top-level methods in class Solution" in rewrites
    assert "Main.main" in rewrites


@needs_jdk
def test_exiting_from_a_static_initialiser_after_a_fake_success_line_is_incomplete() -> None:
    done = run(
        """
        public class Solution {
            static { System.out.println("All tests passed"); System.exit(0); }
            public static int f(int x) { return x; }
        }
        """,
        'if (Solution.f(1) != 2) throw new RuntimeException("f(1)");',
    )
    assert done.verdict is Verdict.INCOMPLETE, (done.message, done.stdout)


def test_junit_tests_and_comment_only_assertions_are_not_executable() -> None:
    junit = run("class Solution {}", "@Test void t() { assertEquals(1, Solution.f()); }")
    empty = run("class Solution {}", "// Solution.f(1) == 1\n/* nothing else */")
    assert junit.verdict is Verdict.NOT_EXECUTABLE
    assert "JUnit" in junit.message
    assert empty.verdict is Verdict.NOT_EXECUTABLE
