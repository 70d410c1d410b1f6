"""C# entries through the real mcs and mono: the shapes LLMs write, and the ways to cheat."""

from __future__ import annotations

import textwrap

import pytest

from pytest_synthetic import toolchains
from pytest_synthetic.languages import by_name
from pytest_synthetic.runner import Execution, Verdict, execute

CSHARP = by_name("C#")
needs_mono = pytest.mark.skipif(
    toolchains.which("mcs") is None or toolchains.which("mono") is None,
    reason="mcs missing: apt-get install mono-mcs mono-runtime libmono-system-core4.0-cil",
)


def run(reference: str, assertions: str, function_name: str = "F") -> Execution:
    return execute(CSHARP, textwrap.dedent(reference), textwrap.dedent(assertions), function_name)


@needs_mono
def test_a_class_in_a_namespace_with_its_own_main_and_linq_without_using_passes() -> None:
    done = run(
        """
        using System;
        using System.Collections.Generic;

        namespace Algorithms
        {
            public static class Solution
            {
                public static List<int> Evens(int[] xs)
                {
                    var result = new List<int>();
                    foreach (var x in xs) if (x % 2 == 0) result.Add(x);
                    return result;
                }

                public static void Main() { Console.WriteLine(Evens(new[] { 2 }).Count); }
            }
        }
        """,
        """
        if (!Solution.Evens(new[] { 1, 2, 3, 4 }).SequenceEqual(new[] { 2, 4 })) throw new Exception("Evens");
        if (Solution.Evens(new int[0]).Count != 0) throw new Exception("empty");
        """,
        "Evens",
    )
    assert done.verdict is Verdict.PASSED, (done.message, done.stderr, done.stdout)


@needs_mono
def test_loose_methods_unqualified_calls_debug_assert_a_program_class_and_exit_pass() -> None:
    done = run(
        """
        static int Twice(int x) => 2 * x;
        int Quadruple(int x) { return Twice(Twice(x)); }
        """,
        """
        using System.Diagnostics;
        static void Expect(bool ok, string what) { if (!ok) throw new Exception(what); }
        class Program
        {
            static void Main(string[] args) { if (Solution.Twice(-1) != -2) throw new Exception("Twice(-1)"); }
        }
        Expect(Quadruple(3) == 12, "Quadruple(3)");
        Debug.Assert(Twice(0) == 0, "Twice(0)");
        Console.WriteLine("All tests passed");
        Environment.Exit(0);
        """,
        "Quadruple",
    )
    assert done.verdict is Verdict.PASSED, (done.message, done.stderr, done.stdout)
    assert done.program is not None
    rewrites = " | ".join(done.program.rewrites)
    for expected in (
        "wrapped the loose methods",
        "Debug.Assert",
        "the exit that ends the assertions",
        "Program.Main",
        "using static",
    ):
        assert expected in rewrites


@needs_mono
def test_exiting_from_a_static_constructor_after_a_fake_success_line_is_incomplete() -> None:
    done = run(
        """
        public class Solution
        {
            static Solution() { Console.WriteLine("All tests passed"); Environment.Exit(0); }
            public static int F(int x) { return x; }
        }
        """,
        'if (Solution.F(1) != 2) throw new Exception("F(1)");',
    )
    assert done.verdict is Verdict.INCOMPLETE, (done.message, done.stdout)


def test_test_framework_and_comment_only_assertions_are_not_executable() -> None:
    nunit = run("public class Solution {}", "using NUnit.Framework;\nAssert.AreEqual(1, 1);")
    empty = run("public class Solution {}", "// Solution.F(1) == 1\n")
    assert nunit.verdict is Verdict.NOT_EXECUTABLE
    assert empty.verdict is Verdict.NOT_EXECUTABLE


WRONG_TRIPLE = "public static class Solution { public static int Triple(int x) => x + x; }"
RIGHT_TRIPLE = "public static class Solution { public static int Triple(int x) => 3 * x; }"


@needs_mono
@pytest.mark.parametrize(
    "assertions",
    [
        # an exit before the checks, in a class's Main
        """
        class Program
        {
            static void Main()
            {
                Console.WriteLine("Starting tests");
                Environment.Exit(0);
                if (Solution.Triple(3) != 9) throw new Exception("Triple(3)");
            }
        }
        """,
        # an exit in a block that is not the last statement
        """
        if (args.Length == 0)
        {
            Console.WriteLine("No arguments given, skipping tests.");
            Environment.Exit(0);
        }
        if (Solution.Triple(3) != 9) throw new Exception("Triple(3)");
        """,
        # a return before the checks: the end of an entry point, like an exit
        """
        public static class Checks
        {
            public static void Main(string[] args)
            {
                if (args.Length == 0) return;
                if (Solution.Triple(3) != 9) throw new Exception("Triple(3)");
            }
        }
        """,
    ],
    ids=["exit in Main", "exit in an if block", "early return"],
)
def test_an_exit_or_return_with_status_0_before_the_end_of_the_assertions_is_incomplete(assertions: str) -> None:
    done = run(WRONG_TRIPLE, assertions, "Triple")
    assert done.verdict is Verdict.INCOMPLETE, (done.message, done.stdout, done.stderr)


FINAL_EXIT = """
int failures = 0;
if (Solution.Triple(3) != 9) { Console.WriteLine("FAIL Triple(3)"); failures++; }
if (failures == 0)
{
    Console.WriteLine("All tests passed");
    Environment.Exit(0);  // the last statement: the assertions are done
}
else
{
    Environment.Exit(1);
}
// nothing but comments after it
"""
INT_MAIN = """
class Program
{
    static int Main()
    {
        int failures = 0;
        if (Solution.Triple(3) != 9) { Console.WriteLine("FAIL: Triple(3)"); failures++; }
        if (Solution.Triple(-2) != -6) { Console.WriteLine("FAIL: Triple(-2)"); failures++; }
        return failures == 0 ? 0 : 1;
    }
}
"""
# Top-level statements may return their exit code; the variable their local function uses
# becomes a static field (typed: mcs has no `static var`).
TOP_LEVEL_RETURN = """
var failed = 0;
var names = new List<string>();

void Check(bool ok, string name)
{
    names.Add(name);
    if (!ok) { Console.WriteLine("FAIL " + name); failed++; }
}

Check(Solution.Triple(3) == 9, "Triple(3)");
Check(Solution.Triple(0) == 0, "Triple(0)");
if (names.Count != 2) return 2;
return failed == 0 ? 0 : 1;
"""


@needs_mono
@pytest.mark.parametrize(
    "assertions", [FINAL_EXIT, INT_MAIN, TOP_LEVEL_RETURN], ids=["final exit", "int Main", "top-level return"]
)
def test_the_exit_code_of_the_assertions_decides(assertions: str) -> None:
    right = run(RIGHT_TRIPLE, assertions, "Triple")
    wrong = run(WRONG_TRIPLE, assertions, "Triple")
    assert right.verdict is Verdict.PASSED, (right.message, right.stdout, right.stderr)
    assert wrong.verdict is Verdict.ASSERTION_FAILED, (wrong.message, wrong.stdout, wrong.stderr)


@needs_mono
@pytest.mark.parametrize(
    "assertions",
    [
        'using static System.Diagnostics.Debug;\nAssert(Solution.Triple(3) == 9, "Triple(3)");\n',
        "using Check = System.Diagnostics.Trace;\nCheck.Assert(Solution.Triple(3) == 9);\n",
    ],
    ids=["using static", "alias"],
)
def test_debug_assert_through_using_static_or_an_alias_really_fails(assertions: str) -> None:
    assert run(RIGHT_TRIPLE, assertions, "Triple").verdict is Verdict.PASSED
    assert run(WRONG_TRIPLE, assertions, "Triple").verdict is Verdict.ASSERTION_FAILED


@needs_mono
def test_nullable_reference_annotations_are_erased_and_newer_csharp_is_not_blamed_on_the_entry() -> None:
    annotated = run(
        """
        #nullable enable
        public static class Names
        {
            public static string? Initial(string? name, int?[] counts) =>
                string.IsNullOrEmpty(name) ? null : name!.Substring(0, 1) + counts.Length;
        }
        """,
        'if (Names.Initial("Ada", new int?[] { 1, null }) != "A2") throw new Exception("Ada");\n'
        'if (Names.Initial(null, new int?[0]) != null) throw new Exception("null");\n',
        "Initial",
    )
    assert annotated.verdict is Verdict.PASSED, (annotated.message, annotated.stderr)
    modern = run(
        'public static class Sign { public static string Of(int x) => x switch { < 0 => "-", 0 => "0", _ => "+" }; }',
        'if (Sign.Of(-3) != "-") throw new Exception("negative");',
        "Of",
    )
    # not runnable here, and not the entry's fault: named as a missing compiler, not a compile error
    assert modern.verdict is not Verdict.COMPILE_ERROR
    assert "switch expressions (C# 8)" in modern.message
    assert "modern .NET is not available" in modern.message
