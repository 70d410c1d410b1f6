"""A mutant schema builds an entry's mutants once and gives each the verdict it gets alone."""

from __future__ import annotations

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


def _require(language: Language, entry: Entry) -> None:
    assert language.assemble is not None
    program = language.assemble(entry.reference_answer, entry.assertions, entry.function_name)
    if (hint := missing_toolchain(language, program)) is not None:
        pytest.skip(hint)


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
    language = languages.by_name(name)
    entry = _entry(name, sample.reference, sample.weak, sample.function_name)
    _require(language, entry)
    mutants = generate(language, sample.reference)[:8]
    in_schema, alone = _schema_and_alone(language, entry, mutants)
    assert in_schema == alone
    assert "passed" in alone  # the weak suite lets some through, the empty input kills others
    assert len(set(alone)) > 1


@pytest.mark.toolchains
def test_a_schema_that_does_not_build_falls_back_to_a_build_per_mutant() -> None:
    language = languages.by_name("Rust")
    entry = _entry("Rust", RUST_LABEL, RUST_LABEL_CHECKS, "label")
    _require(language, entry)
    mutants = generate(language, RUST_LABEL)
    broken = [m for m in mutants if m.description == "`+` -> `-`"]
    dividing = [m for m in mutants if m.kind == "negate" and "b == 0" in m.description]
    assert broken
    assert dividing
    in_schema, alone = _schema_and_alone(language, entry, broken + dividing)
    assert in_schema is None  # the schema did not build ...
    assert alone == ["compile error", "runtime error"]
    sources = [m.apply(RUST_LABEL) for m in broken + dividing]
    changes = _changes(broken + dividing)
    results = score.run_variants(language, entry, sources, RUN_SECONDS, 1, changes=changes)
    assert [verdict for verdict, _ in results] == alone  # ... so each mutant was built alone
    in_schema, alone = _schema_and_alone(language, entry, dividing)
    assert in_schema == alone == ["runtime error"]  # the division runs only as its own mutant
