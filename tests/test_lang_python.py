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
    "unittest: main imported bare": """
        from unittest import TestCase, main
        class TestAdd(TestCase):
            def test_small(self):
                self.assertEqual(add(1, 2), 3)
        if __name__ == "__main__":
            main()
        """,
    "unittest: an aliased module, TestCase through a base class with setUp": """
        import unittest as ut
        class AddBase(ut.TestCase):
            def setUp(self):
                self.pair = (1, 2)
        class TestAdd(AddBase):
            def test_pair(self):
                self.assertEqual(add(*self.pair), 3)
        ut.main(verbosity=2)
        """,
    "an early success exit in a function called last": """
        import sys
        def main():
            failures = [case for case in [(1, 2, 3), (2, 2, 4)] if add(case[0], case[1]) != case[2]]
            if not failures:
                print("all passed")
                sys.exit(0)
            print(failures)
            sys.exit(1)
        if __name__ == "__main__":
            main()
        """,
    "exit(main()) at the end": """
        def main():
            assert add(1, 2) == 3
            return 0
        exit(main())
        # done
        """,
}

# pytest-style shapes run twice: with the real pytest if the sandbox's python3 has one, and with the
# stand-in shipped for when it has none (hidden site-packages make `import pytest` find the stand-in)
PYTEST_SHAPES = {
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
    "xunit setup and teardown, with and without their argument": """
        import pytest
        calls = []
        def setup_module(module):
            calls.append(module.__name__)
        def teardown_module():
            assert calls == ["__main__", "function", "function"], calls
        def setup_function():
            calls.append("function")
        def teardown_function(function):
            assert function.__name__.startswith("test_")
        def test_one():
            assert add(1, 2) == 3
        def test_two():
            assert add(2, 2) == 4
        class TestAdd:
            @classmethod
            def setup_class(cls):
                cls.cases = [(1, 2, 3), (0, 0, 0)]
            def teardown_class(cls):
                assert cls.cases
            def setup_method(self):
                self.count = 0
            def teardown_method(self, method):
                assert self.count == 1, method.__name__
            @pytest.mark.parametrize("extra", [0, 10])
            def test_cases(self, extra):
                self.count += 1
                for a, b, total in self.cases:
                    assert add(a + extra, b) == total + extra
        """,
    "autouse fixtures of the module and the class, class fixtures, generator teardown": """
        import pytest
        log = []
        @pytest.fixture(autouse=True)
        def around():
            log.append("start")
            yield
            log.append("end")
        class PairBase:
            @pytest.fixture
            def pair(self):
                return (1, 2)
        class TestAdd(PairBase):
            @pytest.fixture(autouse=True)
            def prepare(self, pair):
                self.pair = pair
            def test_pair(self, pair):
                assert pair is self.pair
                assert add(*pair) == 3
        def test_log():
            assert log == ["start", "end", "start"]
            assert add(2, 2) == 4
        """,
}
HIDE_PYTEST = 'import sys\nsys.path[:] = [p for p in sys.path if not p.endswith("-packages")]\n'


WRONG_REFERENCE = """
def add(a, b):
    return a - b
"""


def assert_passes_and_catches_a_wrong_answer(assertions: str) -> None:
    done = run(REFERENCE, assertions)
    assert done.verdict is Verdict.PASSED, (done.message, done.stderr)
    wrong = run(WRONG_REFERENCE, assertions)  # the tests did run: a wrong answer fails them
    assert wrong.verdict in (Verdict.ASSERTION_FAILED, Verdict.RUNTIME_ERROR), (wrong.message, wrong.stderr)


@pytest.mark.parametrize("assertions", PASSING_SHAPES.values(), ids=PASSING_SHAPES.keys())
def test_common_shapes_pass(assertions: str) -> None:
    assert_passes_and_catches_a_wrong_answer(assertions)


@pytest.mark.parametrize("pytest_kind", ["installed pytest", "stand-in"])
@pytest.mark.parametrize("assertions", PYTEST_SHAPES.values(), ids=PYTEST_SHAPES.keys())
def test_pytest_shapes_pass(assertions: str, pytest_kind: str) -> None:
    assertions = textwrap.dedent(assertions)
    assert_passes_and_catches_a_wrong_answer(HIDE_PYTEST + assertions if pytest_kind == "stand-in" else assertions)


def test_hypothesis_fills_the_parameters_it_is_given() -> None:
    if run(REFERENCE, "import hypothesis\nassert add(1, 2) == 3\n").verdict is not Verdict.PASSED:
        pytest.skip("hypothesis is not installed for the sandbox's python3")
    # positional strategies fill the rightmost parameters, keyword ones name theirs: none is a fixture
    assert_passes_and_catches_a_wrong_answer(
        """
        from hypothesis import given, strategies as st
        @given(st.integers(), st.integers())
        def test_commutes(a, b):
            assert add(a, b) == add(b, a)
        @given(b=st.integers())
        def test_zero(b):
            assert add(0, b) == b
        class TestAdd:
            @given(st.integers())
            def test_method(self, n):
                assert add(n, 1) == n + 1
        """
    )


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


@pytest.mark.parametrize(
    "assertions",
    [
        "import sys\nprint('All tests passed!')\nsys.exit(0)\nassert add(1, 2) == 4\n",
        'import sys\nif __name__ == "__main__":\n    sys.exit(0)\n    assert add(1, 2) == 4\n',
        "import sys\nif add(1, 2) == 3:\n    sys.exit(0)\nassert add(1, 2) == 4\n",
        "import sys\ndef finish():\n    print('All tests passed!')\n    sys.exit(0)\nfinish()\nassert add(1, 2) == 4\n",
    ],
    ids=["followed at the top level", "followed in its block", "in a block the module goes on after", "in a helper"],
)
def test_an_exit_that_more_assertions_follow_is_incomplete(assertions: str) -> None:
    done = run(REFERENCE, assertions)
    assert done.verdict is Verdict.INCOMPLETE, (done.message, done.stderr)


def test_a_failing_final_exit_code_fails() -> None:
    done = run(REFERENCE, "import sys\nok = add(1, 2) == 4\nsys.exit(0 if ok else 1)\n")
    assert done.verdict is Verdict.RUNTIME_ERROR, (done.message, done.stderr)


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


@pytest.mark.parametrize(
    "assertions",
    [
        "def test_output(capsys):\n    print(add(1, 2))\n",
        "class TestAdd:\n    def test_output(self, capsys):\n        print(add(1, 2))\n",
    ],
    ids=["function", "method"],
)
def test_fixture_tests_are_not_executable(assertions: str) -> None:
    done = run(REFERENCE, assertions)
    assert done.verdict is Verdict.NOT_EXECUTABLE
    assert "capsys" in done.message
