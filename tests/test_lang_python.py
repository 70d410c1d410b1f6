"""Python entries through the real interpreter: the shapes LLMs write, and the ways to cheat."""

from __future__ import annotations

import textwrap

import pytest

from pytest_synthetic import toolchains
from pytest_synthetic.languages import by_name
from pytest_synthetic.runner import Execution, Verdict, execute

PYTHON = by_name("Python")
pytestmark = pytest.mark.skipif(toolchains.which("python3") is None, reason="python3 missing: apt-get install python3")

REFERENCE = """
def add(a, b):
    return a + b
"""


def run(reference: str, assertions: str) -> Execution:
    # assertions that start with a newline are indented test-source literals
    if assertions.startswith("\n"):
        assertions = textwrap.dedent(assertions)
    return execute(PYTHON, textwrap.dedent(reference), assertions, "add")


PASSING_SHAPES = {
    # indented as if copied out of a function body
    "indented asserts, the reference imported as a module, explicit exit": (
        "    import sys\n"
        "    from solution import add\n"
        "    import solution\n"
        "    assert solution.add(1, 2) == 3\n"
        "    print('All tests passed')\n"
        "    sys.exit(0)\n"
    ),
    "unittest.main in a main guard": """
        import unittest
        class TestAdd(unittest.TestCase):
            def test_small(self):
                self.assertEqual(add(1, 2), 3)
        if __name__ == "__main__":
            unittest.main()
        """,
    "pytest-style: fixtures, parametrize, raises, approx, a class, async, pytest.main": """
        import asyncio
        import pytest
        @pytest.fixture
        def pair():
            yield (1, 2)
        def test_fixture(pair):
            assert add(*pair) == 3
        @pytest.mark.parametrize("a,b,total", [(1, 1, 2), pytest.param(2, 3, 5, id="five")])
        def test_table(a, b, total):
            assert add(a, b) == total
        def test_raises_and_approx():
            with pytest.raises(TypeError):
                add(1, "x")
            assert add(0.1, 0.2) == pytest.approx(0.3)
        class TestAdd:
            def test_negative(self):
                assert add(-2, -3) == -5
        async def test_async():
            await asyncio.sleep(0)
            assert add(1, 2) == 3
        if __name__ == "__main__":
            raise SystemExit(pytest.main([__file__]))
        """,
}


@pytest.mark.parametrize("assertions", PASSING_SHAPES.values(), ids=PASSING_SHAPES.keys())
def test_common_shapes_pass(assertions: str) -> None:
    done = run(REFERENCE, assertions)
    assert done.verdict is Verdict.PASSED, (done.message, done.stderr)


def test_reference_demo_block_and_prints_do_not_break_completion() -> None:
    reference = REFERENCE + '\nprint("loaded")\nif __name__ == "__main__":\n    print(add(int(input()), 1))\n'
    done = run(reference, "print(add(1, 2))\nassert add(1, 2) == 3\n")
    assert done.verdict is Verdict.PASSED, (done.message, done.stderr)
    assert done.program is not None
    assert "skipped the reference's `if __name__ == '__main__':` block" in done.program.rewrites


@pytest.mark.parametrize(
    "assertions",
    [
        "assert add(1, 2) == 4\n",
        """
        import unittest
        class TestAdd(unittest.TestCase):
            def test_wrong(self):
                self.assertEqual(add(1, 2), 4)
        unittest.main(exit=False)
        """,
        """
        import unittest
        class TestAdd(unittest.TestCase):
            def test_wrong(self):
                self.assertEqual(add(1, 2), 4)
        unittest.TextTestRunner().run(unittest.TestLoader().loadTestsFromTestCase(TestAdd))
        """,
        """
        import pytest
        @pytest.mark.parametrize("a,total", [(1, 2), (2, 5)])
        def test_table(a, total):
            assert add(a, 1) == total
        """,
    ],
    ids=["assert", "unittest exit=False", "TextTestRunner", "pytest parametrize"],
)
def test_wrong_answers_fail(assertions: str) -> None:
    done = run(REFERENCE, assertions)
    assert done.verdict is Verdict.ASSERTION_FAILED, (done.message, done.stderr)


def test_syntax_error_is_a_compile_error() -> None:
    done = run("def add(a, b)\n    return a + b\n", "assert add(1, 2) == 3\n")
    assert done.verdict is Verdict.COMPILE_ERROR
    assert done.step == "compile"
    assert "SyntaxError" in done.stderr


@pytest.mark.parametrize(
    "damage",
    ["os.remove(__file__)", "open(__file__, 'w').write('def (:')"],
    ids=["removes its file", "overwrites its file with a syntax error"],
)
def test_a_crash_that_damages_its_own_file_is_still_a_runtime_error(damage: str) -> None:
    # the syntax check after a failed run must see the program as assembled, not as the run left it
    reference = f"import os\n{damage}\ndef add(a, b):\n    return (a + b) // 0\n"
    done = run(reference, "total = add(1, 2)\nassert total == 3\n")
    assert done.verdict is Verdict.RUNTIME_ERROR, done.stderr
    assert done.step == "run"


def test_crash_in_the_reference_is_a_runtime_error() -> None:
    # (the traceback quotes no assertion line here: the runner reads "assert" in it as an assertion)
    done = run("def add(a, b):\n    return (a + b) // 0\n", "total = add(1, 2)\nassert total == 3\n")
    assert done.verdict is Verdict.RUNTIME_ERROR
    assert "ZeroDivisionError" in done.stderr


@pytest.mark.parametrize(
    "reference",
    [
        REFERENCE + "import sys\nsys.exit(0)\n",  # at import time, before any assertion
        "import os\ndef add(a, b):\n    os._exit(0)\n",  # from inside the tested call
        "class Config:\n    raise SystemExit(0)\n" + REFERENCE,  # from a class body
    ],
    ids=["sys.exit at import", "os._exit in the call", "SystemExit in a class body"],
)
def test_early_exit_is_incomplete(reference: str) -> None:
    done = run(reference, "assert add(1, 2) == 3\n")
    assert done.verdict is Verdict.INCOMPLETE, (done.message, done.stdout)


def test_fake_success_marker_does_not_pass() -> None:
    reference = REFERENCE + (
        "import os, sys\n"
        "def _fake():\n"
        "    print('All tests passed')\n"
        "    print(os.urandom(16).hex())\n"
        "    sys.stdout.flush()\n"
        "    os._exit(0)\n"
        "_fake()\n"
    )
    done = run(reference, "assert add(1, 2) == 3\n")
    assert done.verdict is not Verdict.PASSED


def test_comment_only_assertions_are_not_executable() -> None:
    done = run(REFERENCE, "# assert add(1, 2) == 3\n\n# TODO\n")
    assert done.verdict is Verdict.NOT_EXECUTABLE


def test_fixture_tests_are_not_executable() -> None:
    done = run(REFERENCE, "def test_output(capsys):\n    print(add(1, 2))\n")
    assert done.verdict is Verdict.NOT_EXECUTABLE
    assert "capsys" in done.message
