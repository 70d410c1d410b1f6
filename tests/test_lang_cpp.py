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


LIBRARY = """
#include <algorithm>
#include <map>
#include <string>
#include <vector>

struct Point { int x; int y; };

std::string greet(const std::string& name) { return "hello " + name; }
int manhattan(Point p) { return p.x + p.y; }
void sortAll(std::vector<int>& v) { std::sort(v.begin(), v.end()); }
std::map<std::string, int> index_of(const std::vector<std::string>& words) {
    std::map<std::string, int> out;
    for (int i = 0; i < (int)words.size(); ++i) out.emplace(words[i], i);
    return out;
}
"""
# The same library with every function wrong.
WRONG_LIBRARY = (
    LIBRARY.replace('"hello "', '"hi "')
    .replace("p.x + p.y", "p.x * p.y")
    .replace("std::sort(v.begin(), v.end());", "")
    .replace("out.emplace(words[i], i);", "out.emplace(words[0], i);")
)


def run_library(reference: str, assertions: str) -> Execution:
    return execute(CPP, textwrap.dedent(reference), textwrap.dedent(assertions), "greet")


CPP20 = """
#include <cassert>
int unix = 1;  // a macro in the GNU dialects
assert(greet("bob").starts_with("hello"));
assert(index_of({"a", "b"}).contains("b"));
assert(manhattan(Point{.x = 2, .y = 3}) == 5);
std::string bytes = u8"h\u00e9llo";  // C++17's u8 literal, a char array
assert(bytes.size() == 6 && unix == 1);
"""


@pytest.mark.parametrize(
    ("reference", "verdict"),
    [(LIBRARY, Verdict.PASSED), (WRONG_LIBRARY, Verdict.ASSERTION_FAILED)],
    ids=["right", "wrong"],
)
def test_cpp20_library_and_syntax_compile(reference: str, verdict: Verdict) -> None:
    done = run_library(reference, CPP20)
    assert done.verdict is verdict, done.stderr


GLOBALS = """
#include <iostream>
using namespace std;

struct Counter {
    static int total;
    Counter() { ++total; }
};
int Counter::total = 0;

int checks = 0;
static int failures = 0;
void report();

void check(bool ok, const string& what) {
    ++checks;
    if (!ok) { ++failures; cerr << "FAILED: " << what << endl; }
}
// Its parameter `v` and local `first` are its own: no reason to make the statements' globals.
void expect_first(const vector<int>& v, int want) {
    int first = v.front();
    check(first == want, "first element");
}

vector<int> v{3, 1, 2};
sortAll(v);
int first = v[0];  // read after the call: a global would be read before it
check(first == 1, "sortAll sorts");
expect_first(v, 1);
Counter a, b;
check(Counter::total == 2, "two counters");
report();
if (failures > 0) exit(1);

void report() { cout << checks << " checks" << endl; }
"""


def test_declarations_the_hoisted_code_uses_become_globals_and_the_others_stay_in_order() -> None:
    done = run_library(LIBRARY, GLOBALS)
    assert done.verdict is Verdict.PASSED, done.stderr
    assert done.program is not None
    assert "moved the assertions' functions, types and globals out of main" in done.program.rewrites
    globals_, checks = done.program.files["main.cpp"].split("static int synthetic_checks() {", 1)
    for declaration in ("int Counter::total = 0;", "int checks = 0;", "static int failures = 0;", "void report();"):
        assert declaration in globals_
    assert "vector<int> v{3, 1, 2};\nsortAll(v);\nint first = v[0];" in checks
    assert "if (failures > 0) synthetic_exit(1);" in checks
    failed = run_library(WRONG_LIBRARY, GLOBALS)
    assert failed.verdict is Verdict.ASSERTION_FAILED, failed.stderr
    assert "FAILED: sortAll sorts" in failed.stderr


OWN_MAIN = """
#include <cstdio>
#include <cstdlib>
const int expected_sum = 3;  // only their main uses it: a global all the same
int failures = 0;
void check(bool ok) { if (!ok) ++failures; }
int main() {
    check(total({1, 2}) == expected_sum);
    check(total({}) == 0);
    if (failures == 0) {
        std::puts("ok");
        std::exit(EXIT_SUCCESS);
    } else {
        std::exit(EXIT_FAILURE);
    }
}
"""
STATEMENTS_EXIT = """
#include <cstdlib>
bool ok = total({1, 2}) == 3 && total({-1}) == -1;
if (ok) exit(0);
else exit(EXIT_FAILURE);
"""
WRONG_TOTAL = "#include <vector>\nint total(const std::vector<int>& values) { return (int)values.size(); }\n"


@pytest.mark.parametrize("assertions", [OWN_MAIN, STATEMENTS_EXIT], ids=["own main", "statements"])
def test_a_final_exit_finishes_the_assertions(assertions: str) -> None:
    done = run(REFERENCE, assertions)
    assert done.verdict is Verdict.PASSED, done.stderr
    assert done.program is not None
    assert any(r.startswith("the exit that ends the assertions finishes them") for r in done.program.rewrites)
    # A silent EXIT_FAILURE is the assertions' failure too.
    failed = run(WRONG_TOTAL, assertions)
    assert failed.verdict is Verdict.ASSERTION_FAILED, failed.stderr


@pytest.mark.parametrize(
    "assertions",
    [
        "if (total({1, 2}) == 3) exit(0);\nassert(total({1}) == 99);\n",
        "int main() {\n    std::exit(0);\n    assert(total({1}) == 99);\n}\n",
    ],
    ids=["statements", "own main"],
)
def test_an_exit_before_more_assertions_stays_incomplete(assertions: str) -> None:
    done = run(REFERENCE, assertions)
    assert done.verdict is Verdict.INCOMPLETE, done.stderr
    assert done.program is not None
    assert not any("final exit()" in r for r in done.program.rewrites)
