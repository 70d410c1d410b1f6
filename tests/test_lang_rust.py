"""Rust entries through the real rustc: the shapes LLMs write, and the ways to cheat."""

from __future__ import annotations

import textwrap

import pytest

from pytest_synthetic import toolchains
from pytest_synthetic.languages import by_name
from pytest_synthetic.runner import Execution, Verdict, execute

RUST = by_name("Rust")
pytestmark = pytest.mark.skipif(
    toolchains.which("rustc") is None, reason="rustc missing: apt-get install rustc (or install rustup)"
)

REFERENCE = """
use std::collections::HashMap;

pub fn counts(words: &[&str]) -> HashMap<String, usize> {
    let mut seen = HashMap::new();
    for word in words {
        *seen.entry(word.to_string()).or_insert(0) += 1;
    }
    seen
}

fn main() {
    println!("{:?}", counts(&["a"]));
}
"""


def run(reference: str, assertions: str) -> Execution:
    return execute(RUST, textwrap.dedent(reference), textwrap.dedent(assertions), "counts")


def test_statements_with_their_own_use_lines_and_a_reference_main_pass() -> None:
    # `use` of a name the reference imported too: kept inside the assertions' block, no clash.
    done = run(REFERENCE, """
        use std::collections::HashMap;
        use solution::counts;
        let seen: HashMap<String, usize> = counts(&["a", "b", "a"]);
        assert_eq!(seen["a"], 2);
        assert_eq!(seen.len(), 2, "two distinct words");
        """)
    assert done.verdict is Verdict.PASSED, done.stderr
    assert done.program is not None
    assert "renamed the reference's fn main to synthetic_reference_main" in done.program.rewrites


def test_a_cfg_test_module_runs_its_tests_including_should_panic() -> None:
    done = run(REFERENCE, """
        #[cfg(test)]
        mod tests {
            use super::*;

            #[test]
            fn counts_repeats() {
                assert_eq!(counts(&["x", "x"])["x"], 2);
            }

            #[test]
            #[should_panic(expected = "no entry")]
            fn missing_word_panics() {
                let _ = counts(&[])["nothing"];
            }

            #[test]
            fn returns_result() -> Result<(), String> {
                if counts(&["y"]).len() == 1 { Ok(()) } else { Err("wrong".into()) }
            }
        }
        """)
    assert done.verdict is Verdict.PASSED, done.stderr
    assert done.program is not None
    assert "compiled in the assertions' #[cfg(test)] mod tests" in done.program.rewrites


def test_wrong_answers_fail_the_assertions() -> None:
    done = run(REFERENCE, 'assert_eq!(counts(&["a"]).len(), 2);')
    assert done.verdict is Verdict.ASSERTION_FAILED, done.stderr
    # A custom panic message on an assertion line counts too; so does a failing #[test].
    done = run(REFERENCE, 'if counts(&["a"]).len() != 2 { panic!("got {} words", counts(&["a"]).len()); }')
    assert done.verdict is Verdict.ASSERTION_FAILED, done.stderr
    done = run(REFERENCE, "mod tests { #[test] fn t() { assert!(super::counts(&[]).len() == 1); } }")
    assert done.verdict is Verdict.ASSERTION_FAILED, done.stderr


def test_a_reference_that_does_not_compile_is_a_compile_error() -> None:
    done = run("pub fn double(x: i32) -> i32 { x * \"2\" }", "assert_eq!(double(2), 4);")
    assert done.verdict is Verdict.COMPILE_ERROR


def test_overflow_in_the_reference_is_a_runtime_error_in_debug_builds() -> None:
    # Overflow checks are on (never a release build): 200 + 100 overflows u8 and panics.
    done = run("pub fn add(a: u8, b: u8) -> u8 { a + b }", "assert_eq!(add(200, 100), 44);")
    assert done.verdict is Verdict.RUNTIME_ERROR, done.stderr
    assert "overflow" in done.stderr


def test_exiting_early_with_a_fake_success_line_never_passes() -> None:
    reference = 'pub fn double(x: i32) -> i32 { println!("All tests passed"); std::process::exit(0) }'
    done = run(reference, "assert_eq!(double(2), 5);")
    assert done.verdict is Verdict.INCOMPLETE


@pytest.mark.parametrize(
    "assertions", ["// counts(&[]) is empty\n", 'println!("{:?}", counts(&["a"]));\n'], ids=["comments", "prints"]
)
def test_assertions_that_cannot_fail_are_not_executable(assertions: str) -> None:
    assert run(REFERENCE, assertions).verdict is Verdict.NOT_EXECUTABLE
