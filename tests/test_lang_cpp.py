"""C++ entries through the real g++: the shapes LLMs write, and the ways to cheat."""

from __future__ import annotations

import textwrap

import pytest

from pytest_synthetic import toolchains
from pytest_synthetic.languages import by_name
from pytest_synthetic.runner import Execution, Verdict, execute

CPP = by_name("C++")
pytestmark = pytest.mark.skipif(toolchains.which("g++") is None, reason="g++ missing: apt-get install g++")

REFERENCE = """
#include <vector>

int total(const std::vector<int>& values) {
    int sum = 0;
    for (int v : values) sum += v;
    return sum;
}
"""


def run(reference: str, assertions: str) -> Execution:
    return execute(CPP, textwrap.dedent(reference), textwrap.dedent(assertions), "total")


def test_statements_with_unqualified_std_names_and_a_reference_main_pass() -> None:
    # The reference never opens namespace std and has its own demo main; the assertions use
    # `vector` and `runtime_error` bare, include a header, and define a helper function.
    reference = REFERENCE + "\n#include <iostream>\nint main() { std::cout << total({1}) << std::endl; return 0; }\n"
    done = run(reference, """
        #include <string>
        static void check(bool ok, const string& what) { if (!ok) throw runtime_error(what); }
        vector<int> values = {1, 2, 3};
        check(total(values) == 6, "sum of 1..3");
        assert(total({}) == 0);
        """)
    assert done.verdict is Verdict.PASSED, done.stderr
    assert done.program is not None
    assert "renamed the reference's main to synthetic_reference_main" in done.program.rewrites
    assert "added `using namespace std;` for the assertions" in done.program.rewrites
    assert "included <stdexcept> for the assertions" in done.program.rewrites


def test_assertions_with_their_own_main_pass() -> None:
    done = run(REFERENCE, """
        #include <cassert>
        int main() {
            assert(total({4, 5}) == 9);
            return 0;
        }
        """)
    assert done.verdict is Verdict.PASSED, done.stderr


def test_a_wrong_answer_fails_the_assertion_even_when_the_reference_defines_ndebug() -> None:
    done = run("#define NDEBUG\n" + REFERENCE, "assert(total({1, 2}) == 4);")
    assert done.verdict is Verdict.ASSERTION_FAILED, done.stderr


def test_a_reference_missing_its_own_include_is_a_compile_error() -> None:
    # <climits> comes with the harness only after the reference: the defect is reported.
    done = run("int biggest() { return INT_MAX; }", "if (biggest() != INT_MAX) throw std::runtime_error(\"x\");")
    assert done.verdict is Verdict.COMPILE_ERROR
    assert "INT_MAX" in done.stderr


def test_a_crash_in_the_reference_is_a_runtime_error() -> None:
    done = run("int crash(int* p) { return *p; }", "if (crash(nullptr) != 1) throw std::runtime_error(\"wrong\");")
    assert done.verdict is Verdict.RUNTIME_ERROR, done.stderr


def test_exiting_early_never_passes() -> None:
    # exit(0) from a static initialiser runs before main: the assertions never run.
    static_exit = "#include <cstdlib>\nstatic int early = (std::exit(0), 0);\n" + REFERENCE
    done = run(static_exit, "if (total({1}) != 2) throw std::runtime_error(\"wrong\");")
    assert done.verdict is Verdict.INCOMPLETE
    # A fake success line, then exit(0) from inside the function under test.
    fake = "#include <cstdio>\n#include <cstdlib>\nint total(int) { std::puts(\"All tests passed\"); std::exit(0); }\n"
    done = run(fake, "if (total(1) != 2) throw std::runtime_error(\"wrong\");")
    assert done.verdict is Verdict.INCOMPLETE


@pytest.mark.parametrize(
    "assertions",
    ["// total({1, 2}) should be 3\n", "std::cout << (total({1, 2}) == 3) << std::endl;\n"],
    ids=["only comments", "only prints"],
)
def test_assertions_that_cannot_fail_are_not_executable(assertions: str) -> None:
    assert run(REFERENCE, assertions).verdict is Verdict.NOT_EXECUTABLE
