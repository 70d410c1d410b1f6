"""Stubs and mutants in every language: the same small function (count the values above a
threshold) with a strong test suite that kills its mutants and a weak one that does not.

The static tests (which mutants and stubs exist, and that they still parse) need no
toolchain; the runs skip a language whose toolchain is missing, saying what to install.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from pytest_synthetic import languages
from pytest_synthetic.model import Entry
from pytest_synthetic.runner import missing_toolchain
from pytest_synthetic.strength import score_entry
from pytest_synthetic.strength.mutants import generate
from pytest_synthetic.strength.stubs import stubs
from pytest_synthetic.treesitter import parse


@dataclass(frozen=True)
class Sample:
    language: str
    function_name: str
    reference: str
    strong: str  # assertions that kill every mutant
    weak: str  # one assertion on the empty input: the stub returning 0 passes it
    kinds: frozenset[str]  # mutant kinds the reference must yield
    zero: str  # the label of the zero-value stub

    def entry(self, assertions: str) -> Entry:
        return Entry("q-1", f"Write {self.function_name} in {self.language}.", self.reference, assertions,
                     self.language, self.function_name, "medium", "arrays", 0.3, 1, {})


JS_CHECK = 'if ({call} !== {expected}) throw new Error("Failed");'
ALL_KINDS = frozenset({"comparison", "arithmetic", "integer", "negate", "drop", "return"})
ZERO = "returns `0`"


def _checks(template: str, calls: list[tuple[str, int]]) -> str:
    return "\n".join(template.format(call=call, expected=expected) for call, expected in calls) + "\n"


def _calls(list_of: str, call: str) -> list[tuple[str, int]]:
    """The strong suite's calls: an element equal to the threshold, empty input, all above."""
    cases = [("1, 5, 5, 9", 5, 1), ("", 3, 0), ("4, 6, 8", 0, 3), ("2, 3", 2, 1)]
    return [(call.format(values=list_of.format(items), threshold=threshold), expected)
            for items, threshold, expected in cases]


SAMPLES = [
    Sample(
        "Python", "count_above",
        "def count_above(values: list[int], threshold: int) -> int:\n"
        "    count = 0\n"
        "    for value in values:\n"
        "        if value > threshold:\n"
        "            count += 1\n"
        "    return count\n",
        _checks("assert {call} == {expected}", _calls("[{}]", "count_above({values}, {threshold})")),
        "assert count_above([], 3) == 0\n",
        ALL_KINDS, ZERO,
    ),
    Sample(
        "TypeScript", "countAbove",
        "function countAbove(values: number[], threshold: number): number {\n"
        "    let count = 0;\n"
        "    for (const value of values) {\n"
        "        if (value > threshold) {\n"
        "            count += 1;\n"
        "        }\n"
        "    }\n"
        "    return count;\n"
        "}\n",
        _checks(JS_CHECK, _calls("[{}]", "countAbove({values}, {threshold})")),
        'if (countAbove([], 3) !== 0) throw new Error("Failed");\n',
        ALL_KINDS, ZERO,
    ),
    Sample(
        "JavaScript", "countAbove",
        "function countAbove(values, threshold) {\n"
        "    let count = 0;\n"
        "    for (const value of values) {\n"
        "        if (value > threshold) {\n"
        "            count += 1;\n"
        "        }\n"
        "    }\n"
        "    return count;\n"
        "}\n",
        _checks(JS_CHECK, _calls("[{}]", "countAbove({values}, {threshold})")),
        'if (countAbove([], 3) !== 0) throw new Error("Failed");\n',
        ALL_KINDS, ZERO,
    ),
    Sample(
        "Go", "CountAbove",
        "package main\n\n"
        "func CountAbove(values []int, threshold int) int {\n"
        "\tcount := 0\n"
        "\tfor _, value := range values {\n"
        "\t\tif value > threshold {\n"
        "\t\t\tcount += 1\n"
        "\t\t}\n"
        "\t}\n"
        "\treturn count\n"
        "}\n",
        _checks('if {call} != {expected} {{ panic("Failed") }}',
                _calls("[]int{{{}}}", "CountAbove({values}, {threshold})")),
        'if CountAbove([]int{}, 3) != 0 { panic("Failed") }\n',
        ALL_KINDS, "returns `*new(int)`",
    ),
    Sample(
        "Rust", "count_above",
        "pub fn count_above(values: &[i32], threshold: i32) -> i32 {\n"
        "    let mut count = 0;\n"
        "    for &value in values {\n"
        "        if value > threshold {\n"
        "            count += 1;\n"
        "        }\n"
        "    }\n"
        "    count\n"
        "}\n",
        _checks("assert_eq!({call}, {expected});", _calls("&[{}]", "count_above({values}, {threshold})")),
        "assert_eq!(count_above(&[], 3), 0);\n",
        ALL_KINDS, "returns `Default::default()`",
    ),
    Sample(
        "Java", "countAbove",
        "public class Solution {\n"
        "    public static int countAbove(int[] values, int threshold) {\n"
        "        int count = 0;\n"
        "        for (int value : values) {\n"
        "            if (value > threshold) {\n"
        "                count += 1;\n"
        "            }\n"
        "        }\n"
        "        return count;\n"
        "    }\n"
        "}\n",
        _checks('if ({call} != {expected}) throw new RuntimeException("Failed");',
                _calls("new int[]{{{}}}", "Solution.countAbove({values}, {threshold})")),
        'if (Solution.countAbove(new int[]{}, 3) != 0) throw new RuntimeException("Failed");\n',
        ALL_KINDS, ZERO,
    ),
    Sample(
        "C++", "countAbove",
        "#include <stdexcept>\n#include <vector>\nusing namespace std;\n\n"
        "int countAbove(const vector<int>& values, int threshold) {\n"
        "    int count = 0;\n"
        "    for (int value : values) {\n"
        "        if (value > threshold) {\n"
        "            count += 1;\n"
        "        }\n"
        "    }\n"
        "    return count;\n"
        "}\n",
        _checks('if ({call} != {expected}) throw runtime_error("Failed");',
                _calls("vector<int>{{{}}}", "countAbove({values}, {threshold})")),
        'if (countAbove(vector<int>{}, 3) != 0) throw runtime_error("Failed");\n',
        ALL_KINDS, "returns `{}`",
    ),
    Sample(
        "Ruby", "count_above",
        "def count_above(values, threshold)\n"
        "  count = 0\n"
        "  for value in values\n"
        "    if value > threshold\n"
        "      count += 1\n"
        "    end\n"
        "  end\n"
        "  count\n"
        "end\n",
        _checks("raise 'Failed' unless {call} == {expected}", _calls("[{}]", "count_above({values}, {threshold})")),
        "raise 'Failed' unless count_above([], 3) == 0\n",
        ALL_KINDS, ZERO,
    ),
    Sample(
        "PHP", "countAbove",
        "<?php\nfunction countAbove(array $values, int $threshold): int {\n"
        "    $count = 0;\n"
        "    foreach ($values as $value) {\n"
        "        if ($value > $threshold) {\n"
        "            $count += 1;\n"
        "        }\n"
        "    }\n"
        "    return $count;\n"
        "}\n",
        "<?php\n" + _checks("if ({call} !== {expected}) {{ throw new Exception('Failed'); }}",
                            _calls("[{}]", "countAbove({values}, {threshold})")),
        "<?php\nif (countAbove([], 3) !== 0) { throw new Exception('Failed'); }\n",
        ALL_KINDS, ZERO,
    ),
    Sample(
        "Kotlin", "countAbove",
        "fun countAbove(values: List<Int>, threshold: Int): Int {\n"
        "    var count = 0\n"
        "    for (value in values) {\n"
        "        if (value > threshold) {\n"
        "            count += 1\n"
        "        }\n"
        "    }\n"
        "    return count\n"
        "}\n",
        _checks('if ({call} != {expected}) throw Exception("Failed")',
                _calls("listOf<Int>({})", "countAbove({values}, {threshold})")),
        'if (countAbove(listOf<Int>(), 3) != 0) throw Exception("Failed")\n',
        ALL_KINDS, ZERO,
    ),
    Sample(
        "Scala", "countAbove",
        "def countAbove(values: List[Int], threshold: Int): Int = {\n"
        "  var count = 0\n"
        "  for (value <- values) {\n"
        "    if (value > threshold) {\n"
        "      count += 1\n"
        "    }\n"
        "  }\n"
        "  count\n"
        "}\n",
        _checks("assert({call} == {expected})", _calls("List[Int]({})", "countAbove({values}, {threshold})")),
        "assert(countAbove(List[Int](), 3) == 0)\n",
        ALL_KINDS, ZERO,
    ),
    Sample(
        "Haskell", "countAbove",
        "countAbove :: [Int] -> Int -> Int\n"
        "countAbove [] _ = 0\n"
        "countAbove (x:xs) threshold\n"
        "  | x > threshold = 1 + countAbove xs threshold\n"
        "  | otherwise = countAbove xs threshold\n",
        "main :: IO ()\nmain = do\n" + _checks('  if {call} /= {expected} then error "Failed" else return ()',
                                               _calls("[{}]", "countAbove {values} {threshold}")),
        'main :: IO ()\nmain = do\n  if countAbove [] 3 /= 0 then error "Failed" else return ()\n',
        frozenset({"comparison", "arithmetic", "integer", "negate"}), ZERO,
    ),
    Sample(
        "C#", "CountAbove",
        "using System;\nusing System.Collections.Generic;\n\n"
        "public class Solution {\n"
        "    public static int CountAbove(List<int> values, int threshold) {\n"
        "        int count = 0;\n"
        "        foreach (int value in values) {\n"
        "            if (value > threshold) {\n"
        "                count += 1;\n"
        "            }\n"
        "        }\n"
        "        return count;\n"
        "    }\n"
        "}\n",
        _checks('if ({call} != {expected}) throw new Exception("Failed");',
                _calls("new List<int>{{{}}}", "Solution.CountAbove({values}, {threshold})")),
        'if (Solution.CountAbove(new List<int>(), 3) != 0) throw new Exception("Failed");\n',
        ALL_KINDS, "returns `default(int)`",
    ),
    Sample(
        "Swift", "countAbove",
        "func countAbove(_ values: [Int], _ threshold: Int) -> Int {\n"
        "    var count = 0\n"
        "    for value in values {\n"
        "        if value > threshold {\n"
        "            count += 1\n"
        "        }\n"
        "    }\n"
        "    return count\n"
        "}\n",
        _checks('if {call} != {expected} {{ fatalError("Failed") }}',
                _calls("[{}]", "countAbove({values}, {threshold})")),
        'if countAbove([], 3) != 0 { fatalError("Failed") }\n',
        ALL_KINDS, ZERO,
    ),
    Sample(
        "Bash", "count_above",
        "count_above() {\n"
        "  local threshold=$1\n"
        "  shift\n"
        "  local count=0\n"
        "  for value in \"$@\"; do\n"
        "    if (( value > threshold )); then\n"
        "      count=$((count + 1))\n"
        "    fi\n"
        "  done\n"
        "  echo \"$count\"\n"
        "}\n",
        "".join(
            f'[[ "$(count_above {threshold} {values})" == "{expected}" ]] || {{ echo "Failed"; exit 1; }}\n'
            for values, threshold, expected in [("1 5 5 9", 5, 1), ("", 3, 0), ("4 6 8", 0, 3), ("2 3", 2, 1)]
        ),
        '[[ "$(count_above 3)" == "0" ]] || { echo "Failed"; exit 1; }\n',
        ALL_KINDS, ZERO,
    ),
    Sample(
        "Lua", "count_above",
        "local function count_above(values, threshold)\n"
        "  local count = 0\n"
        "  for _, value in ipairs(values) do\n"
        "    if value > threshold then\n"
        "      count = count + 1\n"
        "    end\n"
        "  end\n"
        "  return count\n"
        "end\n",
        _checks('assert({call} == {expected}, "Failed")', _calls("{{{}}}", "count_above({values}, {threshold})")),
        'assert(count_above({}, 3) == 0, "Failed")\n',
        ALL_KINDS, ZERO,
    ),
    Sample(
        "Perl", "count_above",
        "use strict;\nuse warnings;\n\n"
        "sub count_above {\n"
        "    my ($values, $threshold) = @_;\n"
        "    my $count = 0;\n"
        "    for my $value (@$values) {\n"
        "        if ($value > $threshold) {\n"
        "            $count += 1;\n"
        "        }\n"
        "    }\n"
        "    return $count;\n"
        "}\n",
        _checks('die "Failed" unless {call} == {expected};', _calls("[{}]", "count_above({values}, {threshold})")),
        'die "Failed" unless count_above([], 3) == 0;\n',
        ALL_KINDS, ZERO,
    ),
]
BY_LANGUAGE = {sample.language: sample for sample in SAMPLES}


def test_every_language_has_a_sample() -> None:
    assert {language.name for language in languages.ALL} == set(BY_LANGUAGE)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: s.language)
def test_mutants_of_every_kind_that_still_parse(sample: Sample) -> None:
    language = languages.by_name(sample.language)
    mutants = generate(language, sample.reference)
    assert sample.kinds <= {m.kind for m in mutants}
    for mutant in mutants:
        changed = mutant.apply(sample.reference)
        assert changed != sample.reference
        assert not parse(language, changed).root_node.has_error, (mutant.description, changed)
    # the comparison of the filter is flipped at its boundary; the counter's step changes
    descriptions = {m.description for m in mutants}
    assert "`>` -> `>=`" in descriptions
    assert {"`0` -> `1`", "`1` -> `0`"} <= descriptions


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: s.language)
def test_stubs_keep_the_signature_and_replace_the_body(sample: Sample) -> None:
    language = languages.by_name(sample.language)
    found = {stub.label: stub for stub in stubs(language, sample.reference, sample.function_name)}
    assert sample.zero in found
    assert "throws" in found
    signature = next(line for line in sample.reference.splitlines() if sample.function_name in line)
    for stub in found.values():
        changed = stub.apply(sample.reference)
        assert signature in changed, (stub.label, changed)
        assert re.search(r">\s*\$?threshold", changed) is None, (stub.label, changed)  # the body is gone
        assert not parse(language, changed).root_node.has_error, (stub.label, changed)


# ---- real runs ---------------------------------------------------------------------------

# Mutants per run. A compile costs seconds in Java, C++, Haskell and Rust, ~10 s in Kotlin and
# Scala, and a cold Go build compiles the standard library (once per batch): those three run
# only the weak suite, with one or two mutants.
BUDGET = {"Java": 3, "C++": 4, "Haskell": 4, "Rust": 4, "C#": 4, "Swift": 4}
HEAVY = {"Go": 2, "Kotlin": 1, "Scala": 1}  # and one batch: the reference is compiled once


def _require_toolchain(sample: Sample) -> None:
    language = languages.by_name(sample.language)
    if language.assemble is None:
        pytest.skip(f"{language.name} execution is not supported")
    program = language.assemble(sample.reference, sample.strong, sample.function_name)
    hint = missing_toolchain(language, program)
    if hint is not None:
        pytest.skip(f"{language.name} toolchain missing: {hint}")


@pytest.mark.toolchains
@pytest.mark.parametrize("sample", [s for s in SAMPLES if s.language not in HEAVY], ids=lambda s: s.language)
def test_strong_assertions_kill_the_stubs_and_the_mutants(sample: Sample) -> None:
    _require_toolchain(sample)
    cap = BUDGET.get(sample.language, 8)
    report = score_entry(sample.entry(sample.strong), max_mutants=cap, run_seconds=8)
    assert report.passing_stubs == ()
    assert {stub.label for stub in report.stubs if stub.outcome == "failed"} >= {sample.zero, "throws"}
    assert report.valid >= 2
    assert report.killed == report.valid, [(t.label, t.verdict) for t in report.survivors]


@pytest.mark.toolchains
@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: s.language)
def test_weak_assertions_let_the_zero_stub_and_mutants_pass(sample: Sample) -> None:
    _require_toolchain(sample)
    cap = HEAVY.get(sample.language) or BUDGET.get(sample.language, 8)
    workers = 1 if sample.language in HEAVY else None
    report = score_entry(sample.entry(sample.weak), max_mutants=cap, run_seconds=8, workers=workers)
    outcomes = {stub.label: stub.outcome for stub in report.stubs}
    assert outcomes[sample.zero] == "passed"
    assert outcomes["throws"] == "failed"
    assert report.valid >= 1
    # the only assertion is on the empty input: a changed comparison is never observed
    assert any(t.outcome == "passed" for t in report.mutants) or report.valid == report.killed == 1
