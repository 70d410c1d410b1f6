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
    for expected in ("wrapped the loose methods", "Debug.Assert", "Environment.Exit", "Program.Main", "using static"):
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
