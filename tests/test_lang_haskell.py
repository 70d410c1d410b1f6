"""Haskell entries through the real ghc: the shapes LLMs write, and the ways to cheat."""

from __future__ import annotations

import textwrap

import pytest

from pytest_synthetic import toolchains
from pytest_synthetic.languages import by_name
from pytest_synthetic.runner import Execution, Verdict, execute

HASKELL = by_name("Haskell")
pytestmark = pytest.mark.skipif(toolchains.which("ghc") is None, reason="ghc missing: apt-get install ghc")

REFERENCE = """
module Words (countWords) where

import Prelude hiding (putStrLn)
import Data.Char (isSpace)

countWords :: String -> Int
countWords = length . words . map (\\c -> if isSpace c then ' ' else c)

-- Its own putStrLn (hiding the Prelude's) and its own main must not disturb the harness.
putStrLn :: String -> IO ()
putStrLn = print

main :: IO ()
main = putStrLn (show (countWords "a b"))
"""


def run(reference: str, assertions: str) -> Execution:
    return execute(HASKELL, textwrap.dedent(reference), textwrap.dedent(assertions), "countWords")


def test_module_headers_imports_and_a_main_in_both_parts_pass() -> None:
    done = run(REFERENCE, """
        module Main where

        import Words
        import Control.Monad (unless, when)
        import qualified Data.Map as Map

        main :: IO ()
        main = do
          unless (countWords "one two" == 2) $ error "two words"
          when (Map.size (Map.fromList [(countWords "x", ())]) /= 1) $ error "map"
          print (countWords "  a\\tb  c " == 3)
        """)
    assert done.verdict is Verdict.PASSED, done.stderr
    assert done.program is not None
    rewrites = done.program.rewrites
    assert "merged the module headers into one Main module" in rewrites
    assert "dropped `import Words` (the reference is in the same module)" in rewrites
    assert "the reference: renamed main to synthetic_reference_main" in rewrites


def test_bare_statements_and_comparisons_without_main_pass() -> None:
    done = run(REFERENCE, """
        -- the statements of a do block, with no main around them
        let n = countWords "a b c"
        if n /= 3 then error "three" else return ()
        countWords "" == 0
        """)
    assert done.verdict is Verdict.PASSED, done.stderr
    assert done.program is not None
    assert "wrapped the assertions' statements into a do block" in done.program.rewrites


def test_a_printed_comparison_that_is_false_fails() -> None:
    # `print (x == y)` would print False and exit 0; it is checked instead.
    done = run(REFERENCE, 'main = do\n  print (countWords "a b" == 3)\n')
    assert done.verdict is Verdict.ASSERTION_FAILED, done.stderr


def test_a_type_error_in_the_reference_is_a_compile_error() -> None:
    done = run("double :: Int -> Int\ndouble x = x ++ x\n", 'main = if double 2 /= 4 then error "bad" else pure ()')
    assert done.verdict is Verdict.COMPILE_ERROR


def test_a_crash_in_the_reference_is_a_runtime_error() -> None:
    done = run("firstWord :: String -> String\nfirstWord = head . words\n",
               'main = if firstWord "" /= "x" then error "wrong first word" else pure ()')
    assert done.verdict is Verdict.RUNTIME_ERROR, done.stderr


def test_exiting_early_with_a_fake_success_line_never_passes() -> None:
    reference = (
        "import System.Exit (exitSuccess)\n"
        "check :: Int -> IO Int\n"
        'check _ = putStrLn "All tests passed" >> exitSuccess\n'
    )
    done = run(reference, 'main = do\n  n <- check 1\n  if n /= 2 then error "wrong" else pure ()\n')
    assert done.verdict is Verdict.INCOMPLETE


@pytest.mark.parametrize(
    "assertions",
    ["-- countWords \"a b\" == 2\n", 'main = print (countWords "a b")\n'],
    ids=["only comments", "only prints"],
)
def test_assertions_that_cannot_fail_are_not_executable(assertions: str) -> None:
    assert run(REFERENCE, assertions).verdict is Verdict.NOT_EXECUTABLE
