"""Perl entries through the real interpreter: die ... unless, Test::More, packages, final exits, cheats."""

from __future__ import annotations

import pytest

from pytest_synthetic import toolchains
from pytest_synthetic.languages import by_name
from pytest_synthetic.runner import Execution, Verdict, execute
from pytest_synthetic.treesitter import defined_names

PERL = by_name("Perl")
pytestmark = pytest.mark.skipif(toolchains.which("perl") is None, reason="perl missing: apt-get install perl")

HEADER = "use strict;\nuse warnings;\n\n"
REFERENCE = HEADER + "sub add {\n    my ($a, $b) = @_;\n    return $a + $b;\n}\n"
WRONG = HEADER + "sub add {\n    my ($a, $b) = @_;\n    return $a - $b;\n}\n"
CHECKS = HEADER + 'die "add(1, 2) should be 3" unless add(1, 2) == 3;\nprint "All tests passed\\n";\n'
TEST_MORE = (
    HEADER + "use Test::More;\n\nis(add(1, 2), 3, 'adds');\nok(add(2, 2) == 4, 'adds again');\n\ndone_testing();\n"
)


def run(reference: str, assertions: str) -> Execution:
    return execute(PERL, reference, assertions, "add")


def test_definitions() -> None:
    assert defined_names(PERL, "package Calc;\nsub add { 1 }\nsub Calc::twice { 2 }\n") >= {"Calc", "add"}


@pytest.mark.parametrize(
    ("reference", "assertions", "expected"),
    [
        (REFERENCE, CHECKS, Verdict.PASSED),
        (WRONG, CHECKS, Verdict.ASSERTION_FAILED),
        (REFERENCE, TEST_MORE, Verdict.PASSED),
        (WRONG, TEST_MORE, Verdict.ASSERTION_FAILED),
        (REFERENCE, TEST_MORE.replace("done_testing();\n", ""), Verdict.ASSERTION_FAILED),  # no plan
        (REFERENCE, TEST_MORE.replace("use Test::More;", "use Test::More tests => 3;"), Verdict.ASSERTION_FAILED),
        (HEADER + "sub add {\n    my ($a, $b) = @_;\n    return $a / 0;\n}\n", CHECKS, Verdict.RUNTIME_ERROR),
        (HEADER + "sub add {\n    my ($a, $b) = @_;\n    return $a +;\n}\n", CHECKS, Verdict.COMPILE_ERROR),
    ],
    ids=["die unless", "wrong answer", "Test::More", "failing is", "no plan", "unmet plan", "crash", "syntax"],
)
def test_common_shapes(reference: str, assertions: str, expected: Verdict) -> None:
    done = run(reference, assertions)
    assert done.verdict is expected, (done.message, done.stdout, done.stderr)


def test_a_package_the_assertions_use_is_imported_from_the_same_file() -> None:
    reference = (
        "package Calc;\nuse strict;\nuse warnings;\nuse Exporter 'import';\nour @EXPORT_OK = qw(add);\n\n"
        "sub add { my ($a, $b) = @_; return $a + $b; }\n\n1;\n"
    )
    assertions = "package main;\nuse strict;\nuse warnings;\nuse Calc qw(add);\n\ndie 'add' unless add(1, 2) == 3;\n"
    done = run(reference, assertions)
    assert done.verdict is Verdict.PASSED, (done.message, done.stdout, done.stderr)
    assert done.program is not None
    assert "`use Calc` imports from the reference in the same file" in done.program.rewrites


@pytest.mark.parametrize(
    ("reference", "assertions"),
    [
        (WRONG + "END { $? = 0; }\n", TEST_MORE),  # resets the status Test::More set
        (WRONG + "END { $? = 0; }\n", CHECKS),  # resets die's status
        (WRONG + 'END { print "All tests passed\\n"; }\nexit 0;\n', CHECKS),
        (HEADER + "sub add { exit 0; }\n", TEST_MORE),
        (HEADER + "use POSIX ();\nsub add { POSIX::_exit(0); }\n", CHECKS),
        (REFERENCE + "__END__\n", CHECKS.replace("3;", "4;")),  # nothing after __END__ would run
    ],
    ids=["END resets Test::More", "END resets die", "END prints a marker", "exit in the sub", "_exit", "__END__"],
)
def test_a_reference_cannot_fake_a_pass(reference: str, assertions: str) -> None:
    done = run(reference, assertions)
    assert done.verdict is not Verdict.PASSED, (done.message, done.stdout, done.stderr)


def test_an_exit_in_a_loop_does_not_end_the_assertions() -> None:
    assertions = HEADER + "for my $n (1, 2) {\n    die 'add' unless add($n, 1) == 2;\n    exit 0;\n}\n"
    done = run(REFERENCE, assertions)
    assert done.verdict is Verdict.INCOMPLETE, (done.message, done.stdout, done.stderr)
