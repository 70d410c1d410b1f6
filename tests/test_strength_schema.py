"""A mutant schema builds an entry's mutants once and gives each the verdict it gets alone."""

from __future__ import annotations

import dataclasses

import pytest
from test_strength_languages import BY_LANGUAGE

from pytest_synthetic import languages
from pytest_synthetic.languages.base import Language
from pytest_synthetic.languages.strength_tables import SCHEMA_VARIABLE
from pytest_synthetic.languages.toolkit import Edit, apply_edits
from pytest_synthetic.model import Entry
from pytest_synthetic.runner import missing_toolchain
from pytest_synthetic.strength import batch, schema, score
from pytest_synthetic.strength.mutants import generate
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


Variant = tuple[str, tuple[Edit, ...]]


def _variants(language: Language, reference: str, function_name: str, mutants: int = 99) -> list[Variant]:
    """The stubs and (at most `mutants`) mutants of the reference, as score_entry makes them."""
    found: list[Variant] = [("stub", s.edits) for s in stubs(language, reference, function_name)]
    return found + [(m.kind, m.edits) for m in generate(language, reference)[:mutants]]


def _changes(variants: list[Variant]) -> list[score.Change | None]:
    return list(variants)


@pytest.mark.parametrize("name", SCHEMA_LANGUAGES)
def test_a_schema_holds_every_stub_and_mutant_of_a_function_and_still_parses(name: str) -> None:
    sample = BY_LANGUAGE[name]
    language = languages.by_name(name)
    variants = _variants(language, sample.reference, sample.function_name)
    built = schema.build(language, sample.reference, _changes(variants))
    assert built is not None
    held = [switch for switch in built.switches if switch is not None]
    assert held == list(range(1, len(held) + 1))
    assert len(held) >= len(variants) - 2  # all but a stub written as an expression (Kotlin's `= 0`)
    assert SCHEMA_VARIABLE in built.source
    assert not parse(language, built.source).root_node.has_error, built.source
    for (_, edits), switch in zip(variants, built.switches, strict=True):
        if switch is not None:  # the variant's own function body is in the schema, whole
            opening, body = built.bodies[switch]
            assert opening + body in built.source
            assert body in apply_edits(sample.reference, edits)


def test_what_a_schema_cannot_hold_gets_its_own_build() -> None:
    go = languages.by_name("Go")
    reference = GO_SUM.replace("\treturn total", '\tstrings.ToUpper("")\n\treturn total')
    dropped = [(m.kind, m.edits) for m in generate(go, reference) if m.description.startswith("dropped `strings")]
    kept = [(m.kind, m.edits) for m in generate(go, reference) if m.kind == "integer"]
    assert dropped  # the only use of the strings import: Go rejects it alone, not in a schema
    assert kept
    built = schema.build(go, reference, _changes(dropped + kept))
    assert built is not None
    assert built.switches == (None, 1)
    rust = languages.by_name("Rust")
    reference = "pub fn total(a: i32) -> i32 {\n    a + 1\n}\n\nconst LIMIT: i32 = 3;\n"
    outside = [(m.kind, m.edits) for m in generate(rust, reference) if m.line == 5]  # not in a function
    overloads: list[Variant] = [("stub", (Edit(0, 1, "{}"), Edit(2, 3, "{}")))]  # two bodies at once
    assert outside
    built = schema.build(rust, reference, [*_changes(outside + overloads), None])
    assert built is None


# An iterator runs its body only when enumerated: its stubs (no `yield`) are plain methods alone,
# which throw or return at the call, but would stay iterators inside a schema.
CSHARP_EVENS = """using System.Collections.Generic;
public static class Seq {
    public static IEnumerable<int> Evens(int limit) {
        for (int i = 0; i < limit; i += 2) {
            yield return i;
        }
    }
}
"""
CSHARP_EVENS_CHECKS = 'if (Seq.Evens(-1) == null) throw new System.Exception("null");\n'


def test_a_variant_that_changes_its_function_s_kind_gets_its_own_build() -> None:
    csharp = languages.by_name("C#")
    variants = _variants(csharp, CSHARP_EVENS, "Evens")
    kinds = [kind for kind, _ in variants]
    built = schema.build(csharp, CSHARP_EVENS, _changes(variants))
    assert built is not None
    assert [switch is None for switch in built.switches] == [kind == "stub" for kind in kinds]
    assert "stub" in kinds
    assert len(kinds) > kinds.count("stub")  # the mutants (`<` -> `<=`, ...) keep their `yield`


def _runnable(name: str, reference: str, assertions: str, function_name: str) -> tuple[Language, Entry]:
    """The language and the entry, skipping the test when the toolchain is missing."""
    language = languages.by_name(name)
    assert language.assemble is not None
    if (hint := missing_toolchain(language, language.assemble(reference, assertions, function_name))) is not None:
        pytest.skip(hint)
    return language, _entry(name, reference, assertions, function_name)


def _mutants(language: Language, reference: str, wanted: str = "") -> list[Variant]:
    """The mutants of the reference whose description contains `wanted`."""
    found = generate(language, reference)
    return [(m.kind, m.edits) for m in found if wanted in m.description]


def _schema_and_alone(language: Language, entry: Entry, variants: list[Variant]) -> tuple[list[str] | None, list[str]]:
    sources = [apply_edits(entry.reference_answer, edits) for _, edits in variants]
    programs = batch.assemble_all(language, sources, entry.assertions, entry.function_name)
    # its runs two at a time, as the check runs them
    verdicts = score._run_schema(score.Job(language, entry, RUN_SECONDS, 2), programs, _changes(variants))
    alone = [score.run_variant(language, entry, source, RUN_SECONDS)[0] for source in sources]
    return (None if verdicts is None else [v.value for v in verdicts]), alone


@pytest.mark.toolchains
@pytest.mark.parametrize("name", SCHEMA_LANGUAGES)
def test_each_stub_and_mutant_of_a_schema_gets_the_verdict_it_gets_alone(name: str) -> None:
    sample = BY_LANGUAGE[name]
    language, entry = _runnable(name, sample.reference, sample.weak, sample.function_name)
    in_schema, alone = _schema_and_alone(language, entry, _variants(language, sample.reference, "count_above", 8))
    assert in_schema == alone
    assert "passed" in alone  # the weak suite lets the zero stub and some mutants through ...
    assert len(set(alone)) > 1  # ... and the throwing stub not


@pytest.mark.toolchains
def test_an_iterator_s_throwing_stub_throws_at_the_call_as_it_does_alone() -> None:
    language, entry = _runnable("C#", CSHARP_EVENS, CSHARP_EVENS_CHECKS, "Evens")
    throwing = [(kind, edits) for kind, edits in _variants(language, CSHARP_EVENS, "Evens") if "throw" in edits[0].text]
    assert len(throwing) == 1
    sources = [apply_edits(CSHARP_EVENS, edits) for _, edits in throwing]
    results = score.run_variants(language, entry, sources, RUN_SECONDS, 2, changes=_changes(throwing))
    assert [verdict for verdict, _ in results] == ["runtime error"]  # in a schema it would pass


# PHP around what its schema must leave as it is: the reference's own `<?php` / `?>` tags, a
# namespace with a getenv of its own, a method with a static variable (a copy in each body), and
# a generator.
PHP_COUNTER = """<?php
namespace App;

function getenv(string $name): string {
    return "1";
}

class Counter {
    public function countAbove(array $xs, int $t): int {
        static $calls = 0;
        $calls++;
        $n = 0;
        foreach ($xs as $x) {
            if ($x > $t) {
                $n++;
            }
        }
        return $n;
    }
}

function evens(int $limit) {
    for ($i = 0; $i < $limit; $i += 2) {
        yield $i;
    }
}
?>
"""
PHP_COUNTER_CHECKS = """$c = new \\App\\Counter();
assert($c->countAbove([1, 5, 7], 4) === 2);
assert(iterator_to_array(\\App\\evens(5)) === [0, 2, 4]);
assert(\\App\\evens(-1) !== null);
"""


@pytest.mark.toolchains
def test_a_php_schema_keeps_the_tags_namespace_statics_and_generators_of_its_reference() -> None:
    language, entry = _runnable("PHP", PHP_COUNTER, PHP_COUNTER_CHECKS, "evens")
    variants = _variants(language, PHP_COUNTER, "evens")
    built = schema.build(language, PHP_COUNTER, _changes(variants))
    assert built is not None
    # the generator's stubs, and the mutant that drops its only `yield`, are not generators alone
    loses_yield = [kind == "stub" or "yield" in PHP_COUNTER[e[0].start : e[0].end] for kind, e in variants]
    assert [switch is None for switch in built.switches] == loses_yield
    assert 2 < loses_yield.count(True) < len(variants) - 8
    sources = [apply_edits(PHP_COUNTER, edits) for _, edits in variants]
    in_schema = score.run_variants(language, entry, sources, RUN_SECONDS, 2, changes=_changes(variants))
    one_build_each = score.run_variants(language, entry, sources, RUN_SECONDS, 2)
    assert in_schema == one_build_each
    assert {"passed", "assertion failed", "runtime error"} <= {verdict for verdict, _ in in_schema}


@pytest.mark.toolchains
def test_inactive_mutants_never_run_and_a_broken_one_gets_its_own_build() -> None:
    language, entry = _runnable("Rust", RUST_LABEL, RUST_LABEL_CHECKS, "label")
    broken = _mutants(language, RUST_LABEL, "`+` -> `-`")
    dividing = _mutants(language, RUST_LABEL, "negated `b == 0`")
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
    mutants = _mutants(rust, RUST_LABEL, "negated")
    sources = [apply_edits(RUST_LABEL, edits) for _, edits in mutants]
    programs = batch.assemble_all(broken, sources, entry.assertions, entry.function_name)
    assert score._run_schema(score.Job(broken, entry, RUN_SECONDS), programs, _changes(mutants)) is None
    results = score.run_variants(broken, entry, sources, RUN_SECONDS, 1, changes=_changes(mutants))
    alone = [score.run_variant(rust, entry, source, RUN_SECONDS)[0] for source in sources]
    assert [verdict for verdict, _ in results] == alone
    assert "runtime error" in alone


@pytest.mark.toolchains
def test_a_mutant_the_compiler_rejects_in_the_schema_gets_its_own_build() -> None:
    language, entry = _runnable("Go", GO_SUM, GO_SUM_CHECKS, "Sum")
    mutants = _mutants(language, GO_SUM)
    assert "dropped `total += value`" in [m.description for m in generate(language, GO_SUM)]
    in_schema, alone = _schema_and_alone(language, entry, mutants)
    assert in_schema == alone
    assert "compile error" in alone
    assert "passed" not in alone


def test_the_compiler_lines_name_the_variants_whose_bodies_hold_them() -> None:
    go = languages.by_name("Go")
    variants = _mutants(go, GO_SUM)
    built = schema.build(go, GO_SUM, _changes(variants))
    assert built is not None
    program = "// two lines the assembly put first\n\n" + built.source
    number = built.switches[-1]
    assert number is not None
    opening, body = built.bodies[number]
    line = program.count("\n", 0, program.index(opening + body)) + 2  # the body's second line
    said = f"# synthetic\n./main.go:{line}:9: declared and not used: value\nother.go:{line}: unrelated\n"
    assert built.culprits(program, "src/main.go", said) == frozenset({len(variants) - 1})
    assert built.culprits(program, "src/main.go", "./main.go:1:1: at the top\n") == frozenset()
