"""Lua entries through the real interpreter: modules, pcall test runners, final exits, cheats."""

from __future__ import annotations

import pytest

from pytest_synthetic import toolchains
from pytest_synthetic.languages import by_name
from pytest_synthetic.runner import Execution, Verdict, execute
from pytest_synthetic.treesitter import defined_names

LUA = by_name("Lua")
pytestmark = pytest.mark.skipif(toolchains.which("lua5.4") is None, reason="lua5.4 missing: apt-get install lua5.4")

REFERENCE = "local function add(a, b)\n  return a + b\nend\n"
WRONG = "local function add(a, b)\n  return a - b\nend\n"
MODULE = "local M = {}\n\nfunction M.add(a, b)\n  return a + b\nend\n\nreturn M\n"
CHECKS = 'assert(add(1, 2) == 3, "add(1, 2) should be 3")\nprint("All tests passed")\n'


def run(reference: str, assertions: str) -> Execution:
    return execute(LUA, reference, assertions, "add")


def test_definitions() -> None:
    code = "local function a() end\nfunction M.b() end\nfunction M:c() end\nd = function() end\nM.e = function() end\n"
    assert defined_names(LUA, code) == {"a", "b", "c", "d", "e"}


@pytest.mark.parametrize(
    ("reference", "assertions", "expected"),
    [
        (REFERENCE, CHECKS, Verdict.PASSED),
        (WRONG, CHECKS, Verdict.ASSERTION_FAILED),
        (REFERENCE, "assert(add(1, 2) == 4)\n", Verdict.ASSERTION_FAILED),  # "assertion failed!"
        (REFERENCE, 'if add(1, 2) ~= 4 then error("add(1, 2) is not 4") end\n', Verdict.ASSERTION_FAILED),
        ("local function add(a, b)\n  return a.x + b\nend\n", CHECKS, Verdict.RUNTIME_ERROR),
        ("local function add(a, b)\n  return a +\n", CHECKS, Verdict.COMPILE_ERROR),
    ],
    ids=["passes", "wrong answer", "assert without message", "error()", "crash", "syntax error"],
)
def test_common_shapes(reference: str, assertions: str, expected: Verdict) -> None:
    done = run(reference, assertions)
    assert done.verdict is expected, (done.message, done.stdout, done.stderr)


@pytest.mark.parametrize(
    "assertions",
    [
        'local solution = require("solution")\nassert(solution.add(1, 2) == 3, "add")\n',
        'local add = require("add").add\nassert(add(1, 2) == 3, "add")\n',
    ],
    ids=["require solution", "require a field"],
)
@pytest.mark.parametrize("reference", [MODULE, "function add(a, b)\n  return a + b\nend\n"], ids=["module", "global"])
def test_required_modules_are_the_reference(reference: str, assertions: str) -> None:
    done = run(reference, assertions)
    assert done.verdict is Verdict.PASSED, (done.message, done.stdout, done.stderr)


def test_a_standard_library_module_stays_itself() -> None:
    done = run(MODULE, 'local s = require("string")\nassert(s.rep("a", 2) == "aa", "string.rep")\n')
    assert done.verdict is Verdict.PASSED, (done.message, done.stdout, done.stderr)


@pytest.mark.parametrize(
    "reference",
    [
        WRONG + 'print("All tests passed")\nprint("0123456789abcdef0123456789abcdef")\nos.exit(0)\n',
        "local function add(a, b)\n  os.exit(true)\nend\n",
        WRONG + "os.exit = function() end\n",
    ],
    ids=["fake marker and exit", "exit in the function", "os.exit replaced"],
)
def test_a_reference_cannot_fake_a_pass(reference: str) -> None:
    done = run(reference, CHECKS + "os.exit(0)\n")
    assert done.verdict is not Verdict.PASSED, (done.message, done.stdout, done.stderr)


def test_an_exit_in_a_callback_does_not_end_the_assertions() -> None:
    done = run(REFERENCE, 'pcall(function()\n  assert(add(1, 2) == 3)\n  os.exit(0)\nend)\nassert(add(2, 2) == 5)\n')
    assert done.verdict is Verdict.INCOMPLETE, (done.message, done.stdout, done.stderr)
