"""A mutant schema builds an entry's mutants once and gives each the verdict it gets alone."""

from __future__ import annotations

import dataclasses

import pytest
from test_strength_languages import BY_LANGUAGE

from pytest_synthetic import languages
from pytest_synthetic.languages.base import Language
from pytest_synthetic.languages.strength_tables import SCHEMA_VARIABLE
from pytest_synthetic.model import Entry
from pytest_synthetic.runner import missing_toolchain
from pytest_synthetic.strength import batch, schema, score
from pytest_synthetic.strength.mutants import Mutant, generate
from pytest_synthetic.strength.stubs import stubs
from pytest_synthetic.treesitter import parse

SCHEMA_LANGUAGES = sorted(language.name for language in languages.ALL if language.schema is not None)
RUN_SECONDS = 4.0

# A mutant that does not compile (`String - &str`) and one that divides by zero: the first
# makes the schema fail to build, the second must never run unless it is the active one.
RUST_LABEL = """pub fn label(n: u32, word: &str) -> String {
    let mut out = String::new();
    if n > 0 {
        out = word.to_string() + "!";
    }
    out
}

pub fn ratio(a: u32, b: u32) -> u32 {
    if b == 0 {
        return 0;
    }
    a / b
}
"""
# Dropping `total += value` leaves `value` unused: Go rejects that mutant, alone or in a schema.
GO_SUM = """package main

func Sum(values []int) int {
\ttotal := 0
\tfor _, value := range values {
\t\ttotal += value
\t}
\treturn total
}
"""
GO_SUM_CHECKS = 'if Sum([]int{1, 2}) != 3 {\n\tpanic("Sum is wrong")\n}\n'
RUST_LABEL_CHECKS = 'assert_eq!(label(2, "hi"), "hi!");\nassert_eq!(label(0, "hi"), "");\nassert_eq!(ratio(6, 0), 0);\n'


def _entry(language: str, reference: str, assertions: str, function_name: str) -> Entry:
    return Entry(
        "q-1", f"Write {function_name}.", reference, assertions, language, function_name, "medium", "x", 0.3, 1, {}
    )


def _changes(mutants: list[Mutant]) -> list[score.Change | None]:
    return [(m.kind, m.edits) for m in mutants]


@pytest.mark.parametrize("name", SCHEMA_LANGUAGES)
def test_a_schema_holds_every_mutant_of_a_function_and_still_parses(name: str) -> None:
    sample = BY_LANGUAGE[name]
    language = languages.by_name(name)
    mutants = generate(language, sample.reference)
    built = schema.build(language, sample.reference, _changes(mutants))
    assert built is not None
    held = [switch for switch in built.switches if switch is not None]
    assert held == list(range(1, len(held) + 1))
    assert len(held) >= len(mutants) - 2  # all but drops that leave a name unused
    assert SCHEMA_VARIABLE in built.source
    assert not parse(language, built.source).root_node.has_error, built.source
    for mutant, switch in zip(mutants, built.switches, strict=True):
        if switch is not None:  # the mutant's own body is in the schema, whole
            assert mutant.apply(sample.reference).split("{", 1)[1].rsplit("}", 1)[0] in built.source


def test_stubs_and_mutants_that_forget_a_name_get_their_own_build() -> None:
    language = languages.by_name("Rust")
    reference = (
        "pub fn total(values: &[i32]) -> i32 {\n    let mut sum = 0;\n    for v in values {\n        sum += v;\n"
        "    }\n    sum.abs();\n    sum\n}\n\nconst LIMIT: i32 = 3;\n"
    )
    stub_changes: list[score.Change | None] = [("stub", s.edits) for s in stubs(language, reference, "total")]
    mutants = generate(language, reference)
    forgetful = [m for m in mutants if m.description == "dropped `sum.abs();`"]
    outside = [m for m in mutants if m.line == 10]  # in a constant, not in a function
    kept = [m for m in mutants if m.description == "`+=` -> `-=`"]
    assert stub_changes
    assert forgetful
    assert outside
    assert kept
    built = schema.build(language, reference, [*stub_changes, *_changes(forgetful + outside + kept), None])
    assert built is not None
    assert built.switches == (*([None] * (len(stub_changes) + len(forgetful) + len(outside))), 1, None)


def _runnable(name: str, reference: str, assertions: str, function_name: str) -> tuple[Language, Entry]:
    """The language and the entry, skipping the test when the toolchain is missing."""
    language = languages.by_name(name)
    assert language.assemble is not None
    if (hint := missing_toolchain(language, language.assemble(reference, assertions, function_name))) is not None:
        pytest.skip(hint)
    return language, _entry(name, reference, assertions, function_name)


def _schema_and_alone(language: Language, entry: Entry, mutants: list[Mutant]) -> tuple[list[str] | None, list[str]]:
    sources = [m.apply(entry.reference_answer) for m in mutants]
    programs = batch.assemble_all(language, sources, entry.assertions, entry.function_name)
    verdicts = score._run_schema(language, entry, programs, _changes(mutants), RUN_SECONDS)
    alone = [score.run_variant(language, entry, source, RUN_SECONDS)[0] for source in sources]
    return (None if verdicts is None else [v.value for v in verdicts]), alone


@pytest.mark.toolchains
@pytest.mark.parametrize("name", SCHEMA_LANGUAGES)
def test_each_mutant_of_a_schema_gets_the_verdict_it_gets_alone(name: str) -> None:
    sample = BY_LANGUAGE[name]
    language, entry = _runnable(name, sample.reference, sample.weak, sample.function_name)
    mutants = generate(language, sample.reference)[:8]
    in_schema, alone = _schema_and_alone(language, entry, mutants)
    assert in_schema == alone
    assert "passed" in alone  # the weak suite lets some through, the empty input kills others
    assert len(set(alone)) > 1


@pytest.mark.toolchains
def test_inactive_mutants_never_run_and_a_broken_one_gets_its_own_build() -> None:
    language, entry = _runnable("Rust", RUST_LABEL, RUST_LABEL_CHECKS, "label")
    mutants = generate(language, RUST_LABEL)
    broken = [m for m in mutants if m.description == "`+` -> `-`"]
    dividing = [m for m in mutants if m.kind == "negate" and "b == 0" in m.description]
    assert broken
    assert dividing
    # the division by zero runs only as its own mutant: the reference run of the schema passes
    in_schema, alone = _schema_and_alone(language, entry, broken + dividing)
    assert in_schema == alone == ["compile error", "runtime error"]


@pytest.mark.toolchains
def test_a_schema_that_does_not_build_falls_back_to_a_build_per_mutant() -> None:
    rust, entry = _runnable("Rust", RUST_LABEL, RUST_LABEL_CHECKS, "label")
    assert rust.schema is not None
    # a switch that never compiles, outside every mutant's body: nothing to leave out
    broken = dataclasses.replace(
        rust, schema=dataclasses.replace(rust.schema, switch="fn synthetic_mutant() -> u32 {{ x }}")
    )
    mutants = [m for m in generate(rust, RUST_LABEL) if m.kind == "negate"]
    sources = [m.apply(RUST_LABEL) for m in mutants]
    programs = batch.assemble_all(broken, sources, entry.assertions, entry.function_name)
    assert score._run_schema(broken, entry, programs, _changes(mutants), RUN_SECONDS) is None
    results = score.run_variants(broken, entry, sources, RUN_SECONDS, 1, changes=_changes(mutants))
    alone = [score.run_variant(rust, entry, source, RUN_SECONDS)[0] for source in sources]
    assert [verdict for verdict, _ in results] == alone
    assert "runtime error" in alone


@pytest.mark.toolchains
def test_a_mutant_the_compiler_rejects_in_the_schema_gets_its_own_build() -> None:
    language, entry = _runnable("Go", GO_SUM, GO_SUM_CHECKS, "Sum")
    mutants = generate(language, GO_SUM)
    assert "dropped `total += value`" in [m.description for m in mutants]
    in_schema, alone = _schema_and_alone(language, entry, mutants)
    assert in_schema == alone
    assert "compile error" in alone
    assert "passed" not in alone
