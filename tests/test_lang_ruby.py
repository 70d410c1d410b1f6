"""Ruby entries through the real interpreter: raise-unless lines, minitest, test-unit, cheats."""

from __future__ import annotations

import textwrap

import pytest

from pytest_synthetic import toolchains
from pytest_synthetic.languages import by_name
from pytest_synthetic.runner import Execution, Verdict, execute

RUBY = by_name("Ruby")
pytestmark = pytest.mark.skipif(toolchains.which("ruby") is None, reason="ruby missing: apt-get install ruby")

REFERENCE = """
def add(a, b)
  a + b
end
"""

MINITEST = """
require 'minitest/autorun'
require_relative 'solution'
class TestAdd < Minitest::Test
  def test_add
    assert_equal {expected}, add(1, 2)
  end
end
"""


def run(reference: str, assertions: str) -> Execution:
    return execute(RUBY, textwrap.dedent(reference), textwrap.dedent(assertions), "add")


@pytest.mark.parametrize(
    "assertions",
    ["raise 'Failed' unless add(1, 2) == 3\nputs 'ok'\n", MINITEST.format(expected=3)],
    ids=["raise unless", "minitest"],
)
def test_common_shapes_pass(assertions: str) -> None:
    reference = REFERENCE + "if __FILE__ == $0\n  puts add(gets.to_i, 1)\nend\n"
    done = run(reference, assertions)
    assert done.verdict is Verdict.PASSED, (done.message, done.stderr)


@pytest.mark.parametrize(
    "assertions",
    ["raise 'Failed' unless add(1, 2) == 4\n", MINITEST.format(expected=4)],
    ids=["raise unless", "minitest"],
)
def test_wrong_answers_fail(assertions: str) -> None:
    done = run(REFERENCE, assertions)
    assert done.verdict is Verdict.ASSERTION_FAILED, (done.message, done.stdout, done.stderr)


def test_syntax_error_is_a_compile_error() -> None:
    done = run("def add(a, b)\n  a +\n", "raise 'Failed' unless add(1, 2) == 3\n")
    assert done.verdict is Verdict.COMPILE_ERROR


def test_crash_in_the_reference_is_a_runtime_error() -> None:
    done = run("def add(a, b)\n  nil.fetch(a) + b\nend\n", "total = add(1, 2)\n")
    assert done.verdict is Verdict.RUNTIME_ERROR, (done.message, done.stderr)


@pytest.mark.parametrize(
    "reference",
    [
        REFERENCE + "exit 0\n",  # while loading, before any assertion
        "BEGIN { exit 0 }\n" + REFERENCE,  # from a BEGIN block, before everything else
        "def add(a, b)\n  exit!(0)\nend\n",  # from inside the tested call, skipping at_exit
    ],
    ids=["exit while loading", "exit in BEGIN", "exit! in the call"],
)
def test_early_exit_is_incomplete(reference: str) -> None:
    done = run(reference, MINITEST.format(expected=3))
    assert done.verdict is Verdict.INCOMPLETE, (done.message, done.stdout, done.stderr)


def test_fake_success_marker_does_not_pass() -> None:
    reference = REFERENCE + "puts 'All tests passed'\nputs 'f' * 32\nexit 0\n"
    done = run(reference, "raise 'Failed' unless add(1, 2) == 3\n")
    assert done.verdict is not Verdict.PASSED
