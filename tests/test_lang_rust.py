"""Rust entries through the real rustc: the shapes LLMs write, and the ways to cheat."""

from __future__ import annotations

import textwrap

import pytest

from pytest_synthetic import toolchains
from pytest_synthetic.languages import by_name
from pytest_synthetic.languages.completion import FINISHING_REWRITE
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


SHAPES = """
pub mod geometry {
    pub fn area(w: u32, h: u32) -> u32 { w * h }
}

#[derive(Debug, PartialEq)]
pub enum Shape { Circle(u32), Square(u32) }

pub const LIMIT: i32 = 10;

pub fn parse_num(s: &str) -> Result<i32, String> { s.parse::<i32>().map_err(|e| e.to_string()) }

pub fn side(shape: &Shape) -> u32 { match shape { Shape::Circle(r) => *r, Shape::Square(s) => *s } }
"""

# The assertions' items at the crate root, seen by a #[cfg(test)] module through `use super::*`.
ITEMS = """
use solution::{parse_num, Shape::Square};
use crate::solution::geometry::area;
use solution::side as side_of;
#[allow(unused_imports)]
use std::fmt::{self, Display, Formatter, Result};

/// A wrapper shown in angle brackets.
#[derive(Debug, Clone, PartialEq)]
struct Wrapper(i32);

impl Display for Wrapper {
    fn fmt(&self, f: &mut Formatter) -> Result { write!(f, "<{}>", self.0) }
}

macro_rules! check {
    ($cond:expr) => { assert!($cond, "check failed: {}", stringify!($cond)) };
}

static GREETING: &str = "hi";

trait Doubled { fn doubled(&self) -> u32; }
impl Doubled for u32 { fn doubled(&self) -> u32 { self * 2 } }

mod helpers {
    pub fn three() -> u32 { 3 }
}

// The reference has a LIMIT too: the assertions' own one shadows it, for what uses it as well.
const LIMIT: i32 = 3;
fn under_limit(x: i32) -> bool { x < LIMIT }

#[test]
fn limit_is_the_assertions_own() {
    assert!(!under_limit(5));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn everything_in_scope() {
        check!(area(2, 3) == 6);
        assert_eq!(side_of(&Square(4)), 4);
        assert_eq!(parse_num("7"), Ok(7));
        assert_eq!(Wrapper(2).to_string(), "<2>");
        assert_eq!(GREETING.len() as u32, 2u32.doubled() / 2);
        assert_eq!(helpers::three().doubled(), 6);
    }
}
"""


def test_items_go_to_the_crate_root_where_a_test_module_sees_them() -> None:
    done = run(SHAPES, ITEMS)
    assert done.verdict is Verdict.PASSED, done.stderr
    assert done.program is not None
    rewrites = done.program.rewrites
    assert "moved the assertions' items to the crate root" in rewrites
    assert any(r.startswith("rewrote as `use crate::Shape::Square;` `use solution::{") for r in rewrites)
    assert any(r.startswith("rewrote as `use crate::geometry::area;`") for r in rewrites)
    assert any(r.startswith("rewrote as `use crate::side as side_of;`") for r in rewrites)
    root, checks = done.program.files["main.rs"].split("fn synthetic_checks() {", 1)
    # Doc comments and attributes travel with their item.
    assert "/// A wrapper shown in angle brackets.\n#[derive(Debug, Clone, PartialEq)]\nstruct Wrapper" in root
    assert "#[allow(unused_imports)] use std::fmt::Display;" in root
    # `Result` from std::fmt would shadow the reference's Result<i32, String>: that line stays in
    # the block, with the impl that needs it; so do the LIMIT the reference defines too and what uses it.
    assert "use std::fmt::Result;" in checks
    assert "use std::fmt::Result;" not in root
    assert "impl Display for Wrapper" in checks
    assert "const LIMIT: i32 = 3;" in checks
    assert "fn under_limit" in checks
    assert "macro_rules! check" in root
    assert "mod helpers" in root


def test_items_at_the_crate_root_still_fail_a_wrong_reference() -> None:
    done = run(SHAPES.replace("w * h", "w + h"), ITEMS)
    assert done.verdict is Verdict.ASSERTION_FAILED, done.stderr
    assert "check failed: area(2, 3) == 6" in done.stderr


def test_a_use_list_is_split_between_the_crate_root_and_the_checks() -> None:
    # The reference imports HashMap already (a second one at the root would clash); HashSet goes
    # to the root, where the helper that the test module calls needs it.
    done = run(REFERENCE, """
        use std::collections::{HashMap, HashSet};

        fn distinct(words: &[&str]) -> HashSet<String> {
            counts(words).into_keys().collect()
        }

        #[cfg(test)]
        mod tests {
            use super::*;

            #[test]
            fn distinct_words() {
                let seen: HashMap<String, usize> = counts(&["a", "b", "a"]);
                assert_eq!(distinct(&["a", "b", "a"]).len(), seen.len());
                assert_eq!(distinct(&["a", "b", "a"]).len(), 2);
            }
        }
        """)
    assert done.verdict is Verdict.PASSED, done.stderr
    assert done.program is not None
    root, checks = done.program.files["main.rs"].split("fn synthetic_checks() {", 1)
    assert "use std::collections::HashSet;" in root
    assert "use std::collections::HashMap;" in checks


DOUBLE = "pub fn double(x: i32) -> i32 { x * 2 }\n"
WRONG_DOUBLE = "pub fn double(x: i32) -> i32 { x + 2 }\n"

FINAL_EXITS = {
    # Their main ends with an if/else of exits; its #[test] runs before it, as it never returns.
    "main": """
        fn main() {
            let mut failures = 0;
            if double(3) != 6 { eprintln!("double(3) is wrong"); failures += 1; }
            if failures == 0 {
                println!("all passed");
                std::process::exit(0);
            } else {
                std::process::exit(1)
            }
        }

        #[test]
        fn doubles_one() { assert_eq!(double(1), 2); }
        """,
    # Statements, with `exit` imported: the last if/else's branches both end them.
    "statements": """
        use std::process::exit;
        let ok = double(2) == 4 && double(-1) == -2;
        if ok {
            exit(0);
        } else {
            exit(1);
        }
        """,
    # A status computed silently: non-zero is the assertions' failure all the same.
    "computed status": """
        fn main() {
            std::process::exit(if double(0) == 0 && double(5) == 10 { 0 } else { 3 });
        }
        """,
}


@pytest.mark.parametrize("shape", FINAL_EXITS)
def test_a_final_process_exit_ends_the_assertions(shape: str) -> None:
    done = run(DOUBLE, FINAL_EXITS[shape])
    assert done.verdict is Verdict.PASSED, done.stderr
    assert done.program is not None
    assert FINISHING_REWRITE in done.program.rewrites
    failed = run(WRONG_DOUBLE, FINAL_EXITS[shape])
    assert failed.verdict is Verdict.ASSERTION_FAILED, failed.stderr


def test_a_test_after_a_main_that_exits_still_runs() -> None:
    done = run(DOUBLE, """
        fn main() {
            assert_eq!(double(2), 4);
            std::process::exit(0);
        }

        #[test]
        fn wrong_expectation() { assert_eq!(double(1), 3); }
        """)
    assert done.verdict is Verdict.ASSERTION_FAILED, done.stderr


@pytest.mark.parametrize(
    "assertions",
    [
        "use std::process;\nif double(2) == 4 { process::exit(0); }\nassert_eq!(double(5), 11);\n",
        "fn main() {\n    std::process::exit(0);\n    assert_eq!(double(5), 11);\n}\n",
        # A final exit(0) of statements that a #[test] would follow never counts as the end.
        "std::process::exit(0);\n#[test]\nfn t() { assert_eq!(double(5), 11); }\n",
    ],
    ids=["in an if", "in main", "before a test"],
)
def test_an_exit_before_more_assertions_stays_incomplete(assertions: str) -> None:
    done = run(DOUBLE, assertions)
    assert done.verdict is Verdict.INCOMPLETE, done.stderr
    assert done.program is not None
    assert not any("final process::exit" in r for r in done.program.rewrites)
