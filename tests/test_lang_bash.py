"""Bash entries through the real shell: the shapes LLMs write, final exits, and what could fake a pass."""

from __future__ import annotations

import pytest

from pytest_synthetic import toolchains
from pytest_synthetic.languages import by_name
from pytest_synthetic.runner import Execution, Verdict, execute
from pytest_synthetic.treesitter import defined_names

BASH = by_name("Bash")
pytestmark = pytest.mark.skipif(toolchains.which("bash") is None, reason="bash missing: apt-get install bash")

REFERENCE = "add() {\n  echo $(( $1 + $2 ))\n}\n"
WRONG = "add() {\n  echo $(( $1 - $2 ))\n}\n"
CHECKS = '[[ "$(add 1 2)" == "3" ]] || { echo "FAIL: add 1 2"; exit 1; }\n'


def run(reference: str, assertions: str) -> Execution:
    return execute(BASH, reference, assertions, "add")


def test_definitions_and_aliases() -> None:
    assert defined_names(BASH, "function one { :; }\ntwo() { :; }\n") == {"one", "two"}
    assert by_name("sh") is BASH
    assert by_name("shell") is BASH


@pytest.mark.parametrize(
    ("reference", "assertions", "expected"),
    [
        (REFERENCE, CHECKS + 'echo "All tests passed"\n', Verdict.PASSED),
        (WRONG, CHECKS, Verdict.ASSERTION_FAILED),
        (REFERENCE, 'set -e\n[[ "$(add 1 2)" == "3" ]]\nif [ "$(add 2 2)" -ne 4 ]; then exit 1; fi\n', Verdict.PASSED),
        ("add() {\n  echo $(( $1 +\n}\n", CHECKS, Verdict.COMPILE_ERROR),
        ("set -u\nadd() {\n  echo $(( $1 + undefined_total ))\n}\n", CHECKS, Verdict.RUNTIME_ERROR),
        ("set -e\nadd() {\n  missing_helper \"$1\"\n}\n", 'set -e\nresult=$(add 1 2)\n', Verdict.RUNTIME_ERROR),
    ],
    ids=["passes", "wrong answer", "set -e and a silent exit 1", "syntax error", "unbound variable", "crash"],
)
def test_common_shapes(reference: str, assertions: str, expected: Verdict) -> None:
    done = run(reference, assertions)
    assert done.verdict is expected, (done.message, done.stdout, done.stderr)


@pytest.mark.parametrize(
    ("reference", "assertions"),
    [
        # the failing exit becomes an exit 0
        (WRONG + 'trap \'echo "All tests passed"; exit 0\' EXIT\n', CHECKS),
        # a failed check under set -e exits 0
        (WRONG + "trap 'exit 0' ERR\n", 'set -e\n[[ "$(add 1 2)" == "3" ]]\n'),
        (WRONG + 'echo "All tests passed"\necho "0123456789abcdef0123456789abcdef"\nexit 0\n', CHECKS),
    ],
    ids=["EXIT trap exits 0", "ERR trap exits 0", "fake marker and exit 0"],
)
def test_a_reference_cannot_fake_a_pass(reference: str, assertions: str) -> None:
    done = run(reference, assertions)
    assert done.verdict is Verdict.INCOMPLETE, (done.message, done.stdout, done.stderr)


def test_an_exit_inside_a_command_substitution_ends_only_that_subshell() -> None:
    done = run("add() {\n  exit 0\n}\n", CHECKS)
    assert done.verdict is Verdict.ASSERTION_FAILED, (done.message, done.stdout, done.stderr)


def test_the_codes_exit_trap_runs_before_the_secret() -> None:
    done = run(REFERENCE, "trap 'echo \"cleaning up\"' EXIT\n" + CHECKS)
    assert done.verdict is Verdict.PASSED, (done.message, done.stdout, done.stderr)  # not after the secret


def test_the_reference_is_sourced_and_its_main_guard_skipped() -> None:
    reference = REFERENCE + 'if [[ "${BASH_SOURCE[0]}" == "${0}" ]]; then\n  add "$@"\n  exit 0\nfi\n'
    done = run(reference, "source ./solution.sh\n" + CHECKS)
    assert done.verdict is Verdict.PASSED, (done.message, done.stdout, done.stderr)
    assert done.program is not None
    assert "dropped `source ./solution.sh` (the reference is in the same file)" in done.program.rewrites


@pytest.mark.parametrize(
    ("assertions", "expected"),
    [
        ('[[ "$(add 1 2)" == "3" ]] && exit 0\n[[ "$(add 2 2)" == "5" ]] || exit 1\n', Verdict.INCOMPLETE),
        # the subshell's exit ends the subshell: the assertions go on to their end
        ('(\n  [[ "$(add 1 2)" == "3" ]] || exit 1\n  exit 0\n)\n[[ "$(add 2 2)" == "4" ]]\n', Verdict.PASSED),
    ],
    ids=["exit 0 on a short circuit", "exit 0 in a subshell"],
)
def test_a_success_exit_that_does_not_end_the_assertions_stays_plain(assertions: str, expected: Verdict) -> None:
    done = run(REFERENCE, assertions)
    assert done.program is not None
    assert "  exit 0\n" in done.program.files["main.sh"] or "&& exit 0\n" in done.program.files["main.sh"]
    assert done.verdict is expected, (done.message, done.stdout, done.stderr)
