"""Ruby entries through the real interpreter: raise-unless lines, minitest, test-unit, RSpec,
final exits, cheats."""

from __future__ import annotations

import textwrap

import pytest

from pytest_synthetic import toolchains
from pytest_synthetic.languages import by_name
from pytest_synthetic.runner import Execution, Verdict, execute
from pytest_synthetic.treesitter import defined_names

RUBY = by_name("Ruby")
pytestmark = pytest.mark.skipif(toolchains.which("ruby") is None, reason="ruby missing: apt-get install ruby")

REFERENCE = """
def add(a, b)
  a + b
end
"""
WRONG = "def add(a, b)\n  a - b\nend\n"
CRASHING = "def add(a, b)\n  nil.fetch(a) + b\nend\n"
FINAL_EXIT = "the exit that ends the assertions finishes them (a successful one completes the run)"

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


# --- an exit that ends the assertions ------------------------------------------------------------

FINAL_EXITS = {
    "last statement": """
        failures = 0
        failures += 1 unless add(1, 2) == 3
        puts "#{failures} failures"
        exit(failures.zero? ? 0 : 1)
        # nothing but comments after it
        """,
    "last branch": """
        failures = [add(1, 2) == 3, add(-1, 1).zero?].count(false)
        if failures.zero?
          puts 'All tests passed'
          exit
        else
          puts "#{failures} failed"
          Kernel.exit(1)
        end
        """,
    "method called last": """
        class Runner
          def self.run
            failed = add(2, 2) == 4 ? 0 : 1
            Process.exit(failed.zero?)
          end
        end

        Runner.run if __FILE__ == $0
        """,
    "rescue with a failing status": """
        begin
          raise 'add(1, 2)' unless add(1, 2) == 3
          puts 'All tests passed'
        rescue StandardError => e
          puts "FAIL: #{e.message}"
          exit 1
        end
        """,
}


@pytest.mark.parametrize("assertions", FINAL_EXITS.values(), ids=FINAL_EXITS.keys())
def test_an_exit_that_ends_the_assertions_finishes_them(assertions: str) -> None:
    done = run(REFERENCE, assertions)
    assert done.verdict is Verdict.PASSED, (done.message, done.stdout, done.stderr)
    assert done.program is not None
    assert FINAL_EXIT in done.program.rewrites
    wrong = run(WRONG, assertions)
    assert wrong.verdict is Verdict.ASSERTION_FAILED, (wrong.message, wrong.stdout, wrong.stderr)
    assert "the assertions exited with status 1" in wrong.stderr


EARLY_EXITS = {
    "more assertions follow": """
        raise 'Failed' unless add(1, 2) == 3
        exit 0
        raise 'Failed' unless add(2, 2) == 5
        """,
    "a method called before more assertions": """
        def finish
          exit 0
        end
        finish
        raise 'Failed' unless add(2, 2) == 5
        """,
    "mid-way through a method called last": """
        def run_tests
          exit
          raise 'Failed' unless add(2, 2) == 5
        end
        run_tests
        """,
}


@pytest.mark.parametrize("assertions", EARLY_EXITS.values(), ids=EARLY_EXITS.keys())
def test_a_successful_exit_before_the_assertions_end_is_incomplete(assertions: str) -> None:
    done = run(REFERENCE, assertions)
    assert done.verdict is Verdict.INCOMPLETE, (done.message, done.stdout, done.stderr)
    assert done.program is not None
    assert FINAL_EXIT not in done.program.rewrites


FAILURE_PATH_EXITS = {
    "rescue": """
        begin
          raise 'add(1, 2)' unless add(1, 2) == 3
          puts 'All tests passed'
        rescue => e
          puts "FAIL: #{e.message}"
          exit
        end
        """,
    "or": "add(1, 2) == 3 or exit\n",
    "ensure": """
        begin
          raise 'add(1, 2)' unless add(1, 2) == 3
        ensure
          exit(0)
        end
        """,
}


@pytest.mark.parametrize("assertions", FAILURE_PATH_EXITS.values(), ids=FAILURE_PATH_EXITS.keys())
def test_a_successful_exit_where_a_check_failed_does_not_pass(assertions: str) -> None:
    # The last thing the assertions run, but run there because a check failed (ensure: whether or not).
    done = run(WRONG, assertions)
    assert done.verdict is Verdict.INCOMPLETE, (done.message, done.stdout, done.stderr)
    assert done.program is not None
    assert FINAL_EXIT not in done.program.rewrites


LOOP_EXITS = {
    "each": """
        [[1, 0, 1], [1, 2, 3]].each do |a, b, want|
          raise "add(#{a}, #{b})" unless add(a, b) == want
          exit 0
        end
        """,
    "while": """
        i = 0
        while i < 2
          raise 'add' unless add(1, i) == 1 + i
          i += 1
          exit
        end
        """,
}


@pytest.mark.parametrize("assertions", LOOP_EXITS.values(), ids=LOOP_EXITS.keys())
def test_a_successful_exit_in_a_loop_ends_its_first_pass_and_is_incomplete(assertions: str) -> None:
    # add(1, 0) == 1 holds for the wrong reference too: only the cases after the first catch it.
    for reference in (REFERENCE, WRONG):
        done = run(reference, assertions)
        assert done.verdict is Verdict.INCOMPLETE, (done.message, done.stdout, done.stderr)
        assert done.program is not None
        assert FINAL_EXIT not in done.program.rewrites


def test_a_failing_exit_in_a_final_loop_still_ends_the_assertions() -> None:
    assertions = """
        [[1, 0, 1], [1, 2, 3]].each do |a, b, want|
          next if add(a, b) == want
          puts "FAIL: add(#{a}, #{b})"
          exit 1
        end
        """
    assert run(REFERENCE, assertions).verdict is Verdict.PASSED
    wrong = run(WRONG, assertions)
    assert wrong.verdict is Verdict.ASSERTION_FAILED, (wrong.message, wrong.stdout, wrong.stderr)
    assert wrong.program is not None
    assert FINAL_EXIT in wrong.program.rewrites


# --- RSpec and minitest ----------------------------------------------------------------------

RSPEC = {
    "RSpec.describe": """
        RSpec.describe 'add' do
          it 'adds small numbers' do
            expect(add(1, 2)).to eq(3)
          end
          context 'with negatives' do
            it { expect(add(-1, -2)).to eq(-3) }
          end
        end
        """,
    "bare describe": """
        describe Object do
          it { expect(add(2, 2)).to eq(4) }
          it { expect { add(nil, 1) }.to raise_error(NoMethodError) }
        end
        """,
    "own autorun": """
        require 'rspec/autorun'
        RSpec.describe 'add' do
          it('adds') { expect(add(1, 2)).to eq 3 }
        end
        """,
}
RSPEC_CHECK = ("rspec", "--version")


@pytest.mark.parametrize("assertions", RSPEC.values(), ids=RSPEC.keys())
def test_rspec_specs_run_and_tell_a_failed_expectation_from_a_crash(assertions: str) -> None:
    done = run(REFERENCE, assertions)
    assert done.verdict is Verdict.PASSED, (done.message, done.stdout, done.stderr)
    assert done.program is not None
    assert RSPEC_CHECK in [step.argv for step in done.program.steps]
    started = "RSpec runs the specs (`require 'rspec/autorun'`)" in done.program.rewrites
    assert started is ("rspec/autorun" not in assertions)
    assert ", 0 failures" in done.stdout
    wrong = run(WRONG, assertions)
    assert wrong.verdict is Verdict.ASSERTION_FAILED, (wrong.message, wrong.stdout, wrong.stderr)
    crashing = run(CRASHING, assertions)
    assert crashing.verdict is Verdict.RUNTIME_ERROR, (crashing.message, crashing.stdout, crashing.stderr)
    assert "NoMethodError" in crashing.stderr


@pytest.mark.parametrize(
    "reference",
    [
        "def add(a, b)\n  exit 0\nend\n",  # ends the program from inside the first example
        REFERENCE + "exit 0\n",  # before the specs are even defined
    ],
    ids=["exit in an example", "exit while loading"],
)
def test_exiting_before_rspec_finished_is_incomplete(reference: str) -> None:
    done = run(reference, RSPEC["RSpec.describe"])
    assert done.verdict is Verdict.INCOMPLETE, (done.message, done.stdout, done.stderr)


def test_minitest_without_autorun_runs_its_tests_and_minitest_spec_is_not_rspec() -> None:
    required = MINITEST.replace("minitest/autorun", "minitest")
    done = run(REFERENCE, required.format(expected=3))
    assert done.verdict is Verdict.PASSED, (done.message, done.stdout, done.stderr)
    assert done.program is not None
    assert "minitest runs the tests (`Minitest.autorun`)" in done.program.rewrites
    assert "1 runs, 1 assertions, 0 failures" in done.stdout
    wrong = run(REFERENCE, required.format(expected=4))
    assert wrong.verdict is Verdict.ASSERTION_FAILED, (wrong.message, wrong.stdout, wrong.stderr)
    spec = """
        require 'minitest/autorun'
        describe 'add' do
          it 'adds' do
            expect(add(1, 2)).must_equal 3
          end
        end
        """
    done = run(REFERENCE, spec)
    assert done.verdict is Verdict.PASSED, (done.message, done.stdout, done.stderr)
    assert done.program is not None
    assert RSPEC_CHECK not in [step.argv for step in done.program.steps]
    assert not any("minitest" in rewrite or "RSpec" in rewrite for rewrite in done.program.rewrites)
    assert run(WRONG, spec).verdict is Verdict.ASSERTION_FAILED


def test_classes_built_at_run_time_are_definitions() -> None:
    reference = """
        Point = Struct.new(:x, :y)
        ParseError = Class.new(StandardError) do
          def hint = 'check the input'
        end
        LIMIT = 10
        """
    assert {"Point", "ParseError", "hint"} <= defined_names(RUBY, textwrap.dedent(reference))
    assert "LIMIT" not in defined_names(RUBY, textwrap.dedent(reference))
