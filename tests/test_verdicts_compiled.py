"""The three failure verdicts of the compiled JVM and .NET languages, through their real toolchains:
an assertion that does not hold, a reference that does not compile, and one that crashes. Each
case also names what the output must show (the assertion's message, the file, the exception)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from pytest_synthetic.languages import by_name
from pytest_synthetic.runner import Verdict, execute, missing_toolchain


@dataclass(frozen=True)
class Case:
    language: str
    function_name: str
    reference: str
    assertions: str
    verdict: Verdict
    shown: str  # in the output of the failing step


CASES = {
    "java-assert": Case(
        "Java", "f", "class Solution { static int f(int x) { return x + 1; } }",
        'assert Solution.f(1) == 3 : "f(1) should be 3";', Verdict.ASSERTION_FAILED, "f(1) should be 3"),
    "java-compile": Case(
        "Java", "f", "class Solution { static int f(int x) { return x + ; } }",
        "if (Solution.f(1) != 2) throw new RuntimeException();", Verdict.COMPILE_ERROR, "SyntheticMain.java"),
    "java-crash": Case(
        "Java", "f", "class Solution { static int f(int x) { return 10 / x; } }",
        'if (Solution.f(0) != 0) throw new RuntimeException("f(0)");', Verdict.RUNTIME_ERROR, "ArithmeticException"),
    "csharp-debug-assert": Case(
        "C#", "F", "public static class Solution { public static int F(int x) { return x + 1; } }",
        'System.Diagnostics.Debug.Assert(Solution.F(1) == 3, "F(1) should be 3");', Verdict.ASSERTION_FAILED,
        "F(1) should be 3"),
    "csharp-compile": Case(
        "C#", "F", "public static class Solution { public static int F(int x) { return x + ; } }",
        'if (Solution.F(1) != 2) throw new Exception("F");', Verdict.COMPILE_ERROR, "main.cs"),
    "csharp-crash": Case(
        "C#", "F", "public static class Solution { public static int F(int[] xs) { return xs[5]; } }",
        'if (Solution.F(new[] { 1 }) != 1) throw new Exception("F");', Verdict.RUNTIME_ERROR,
        "IndexOutOfRangeException"),
    "kotlin-assert-in-main": Case(
        "Kotlin", "f", "fun f(x: Int): Int = x + 1", 'fun main() {\n    assert(f(1) == 3) { "f(1) should be 3" }\n}',
        Verdict.ASSERTION_FAILED, "f(1) should be 3"),
    "kotlin-compile": Case(
        "Kotlin", "f", "fun f(x: Int): Int = x +", "check(f(1) == 2)", Verdict.COMPILE_ERROR, "main.kt"),
    "kotlin-crash": Case(
        "Kotlin", "f", "fun f(x: Int): Int = 10 / x", 'if (f(0) != 0) throw IllegalStateException("f(0)")',
        Verdict.RUNTIME_ERROR, "ArithmeticException"),
    "scala-assert-in-app": Case(
        "Scala", "f", "object Solution { def f(x: Int): Int = x + 1 }",
        'object Tests extends App {\n  assert(Solution.f(1) == 3, "f(1) should be 3")\n}', Verdict.ASSERTION_FAILED,
        "f(1) should be 3"),
    "scala-compile": Case(
        "Scala", "f", "object Solution { def f(x: Int): Int = x + }", "assert(Solution.f(1) == 2)",
        Verdict.COMPILE_ERROR, "main.scala"),
    "scala-crash": Case(
        "Scala", "f", "def f(xs: Array[Int]): Int = xs(5)", 'if (f(Array(1)) != 1) throw new RuntimeException("f")',
        Verdict.RUNTIME_ERROR, "ArrayIndexOutOfBoundsException"),
}


@pytest.mark.parametrize("case", list(CASES.values()), ids=list(CASES))
def test_the_failure_gets_its_verdict_and_shows_why(case: Case) -> None:
    language = by_name(case.language)
    assert language.assemble is not None
    program = language.assemble(case.reference, case.assertions, case.function_name)
    if (hint := missing_toolchain(language, program)) is not None:
        pytest.skip(hint)
    done = execute(language, case.reference, case.assertions, case.function_name)
    assert done.verdict is case.verdict, (done.message, done.stderr, done.stdout)
    assert case.shown in done.stderr + done.stdout
