"""PHP entries through php-cli: tags in either part, assert() switched on, cheats."""

from __future__ import annotations

import textwrap

import pytest

from pytest_synthetic import toolchains
from pytest_synthetic.languages import by_name
from pytest_synthetic.runner import Execution, Verdict, execute

PHP = by_name("PHP")
pytestmark = pytest.mark.skipif(toolchains.which("php") is None, reason="php missing: apt-get install php-cli")

REFERENCE = """<?php
declare(strict_types=1);
function add(int $a, int $b): int {
    return $a + $b;
}
?>
"""


def run(reference: str, assertions: str) -> Execution:
    return execute(PHP, textwrap.dedent(reference), textwrap.dedent(assertions), "add")


def test_tags_in_both_parts_and_a_local_include_pass() -> None:
    assertions = "<?php\nrequire_once 'solution.php';\nassert(add(1, 2) === 3);\n"
    assertions += "if (add(2, 2) !== 4) { throw new Exception('Failed'); }\necho \"ok\\n\";\n?>\n"
    done = run(REFERENCE, assertions)
    assert done.verdict is Verdict.PASSED, (done.message, done.stderr)


@pytest.mark.parametrize(
    "assertions",
    ["assert(add(1, 2) === 4);\n", "if (add(1, 2) !== 4) { throw new Exception('Failed'); }\n"],
    ids=["assert() is not a no-op", "throw"],
)
def test_wrong_answers_fail(assertions: str) -> None:
    done = run(REFERENCE, assertions)
    assert done.verdict is Verdict.ASSERTION_FAILED, (done.message, done.stderr)


def test_syntax_error_is_a_compile_error() -> None:
    done = run("<?php\nfunction add($a, $b) { return $a + ; }\n", "assert(add(1, 2) === 3);\n")
    assert done.verdict is Verdict.COMPILE_ERROR


def test_crash_in_the_reference_is_a_runtime_error() -> None:
    done = run("<?php\nfunction add($a, $b) { return intdiv($a + $b, 0); }\n", "$total = add(1, 2);\n")
    assert done.verdict is Verdict.RUNTIME_ERROR, (done.message, done.stderr)


@pytest.mark.parametrize(
    "reference",
    [REFERENCE + "<?php exit(0);", "<?php\nfunction add($a, $b) { die(); }\n"],
    ids=["exit while loading", "die in the call"],
)
def test_early_exit_is_incomplete(reference: str) -> None:
    done = run(reference, "assert(add(1, 2) === 3);\n")
    assert done.verdict is Verdict.INCOMPLETE, (done.message, done.stdout, done.stderr)


def test_fake_success_marker_does_not_pass() -> None:
    reference = REFERENCE + '<?php echo "All tests passed\\n", bin2hex(random_bytes(16)), "\\n"; exit(0);'
    done = run(reference, "assert(add(1, 2) === 3);\n")
    assert done.verdict is not Verdict.PASSED


def test_phpunit_case_is_not_executable() -> None:
    assertions = "use PHPUnit\\Framework\\TestCase;\nclass AddTest extends TestCase {}\n"
    assert run(REFERENCE, assertions).verdict is Verdict.NOT_EXECUTABLE
