"""The `strength` check on Python entries: stubs, mutants, sampling, skips and the report."""

from __future__ import annotations

import pytest

from pytest_synthetic import languages, toolchains
from pytest_synthetic.cache import TIMEOUTS
from pytest_synthetic.checks import strength
from pytest_synthetic.checks.context import CheckContext
from pytest_synthetic.measure_strength import percentile
from pytest_synthetic.model import Entry, Outcome
from pytest_synthetic.runner import Execution, Verdict
from pytest_synthetic.strength import StrengthReport, Trial, score_entry
from pytest_synthetic.strength.mutants import KINDS, generate
from pytest_synthetic.strength.sample import choose, seed_of
from pytest_synthetic.strength.score import FAILED, INVALID, PASSED, run_variant

PYTHON = languages.by_name("Python")
needs_python = pytest.mark.skipif(
    toolchains.which("python3") is None, reason="python3 missing: apt-get install python3"
)

BINARY_SEARCH = """\
def binary_search(items: list[int], target: int) -> int:
    low, high = 0, len(items) - 1
    while low <= high:
        middle = (low + high) // 2
        if items[middle] == target:
            return middle
        if items[middle] < target:
            low = middle + 1
        else:
            high = middle - 1
    return -1
"""
STRONG = """\
evens = list(range(0, 40, 2))
assert all(binary_search(evens, v) == v // 2 for v in evens)
assert all(binary_search(evens, v) == -1 for v in range(-1, 42, 2))
assert binary_search([], 3) == -1
assert binary_search([2], 2) == 0
"""
# Equivalent mutants, which no assertion can kill: `items[middle] < target` only runs once `==`
# failed, so `<=` changes nothing; `(low + high) // 1` turns the search into a linear one from
# the right that finds the same indices.
EQUIVALENT = {"`<` -> `<=`", "`2` -> `1`"}
WEAK = "result = binary_search([1, 3, 5, 7, 9], 5)\nassert isinstance(result, int)\n"


def entry(assertions: str, reference: str = BINARY_SEARCH, name: str = "binary_search") -> Entry:
    return Entry("q-1", f"Write `{name}` in Python.", reference, assertions, "Python", name,
                 "medium", "search", 0.4, 7, {})


# ---- mutants and their choice ------------------------------------------------------------


def test_mutants_cover_every_operator_kind() -> None:
    reference = BINARY_SEARCH + "\n\ndef sign(x: int) -> str:\n    return 'neg' if x < 0 and True else 'pos'\n"
    kinds = {m.kind for m in generate(PYTHON, reference)}
    assert kinds == set(KINDS)


def test_code_the_assertions_cannot_see_is_not_mutated() -> None:
    reference = (
        "def double(x: int) -> int:\n"
        "    print('doubling', x + 1)\n"
        "    return x * 2\n"
        "\n"
        "if __name__ == '__main__':\n"
        "    assert double(2) == 4\n"
    )
    described = [(m.line, m.description) for m in generate(PYTHON, reference)]
    assert described == [(3, "`*` -> `/`"), (3, "`2` -> `3`")]


def test_choice_is_deterministic_capped_and_spread_over_kinds() -> None:
    mutants = generate(PYTHON, BINARY_SEARCH)
    assert len(mutants) > 20
    seed = seed_of(BINARY_SEARCH, STRONG)
    chosen = choose(mutants, 12, seed)
    assert chosen == choose(mutants, 12, seed_of(BINARY_SEARCH, STRONG))
    assert len(chosen) == 12
    assert {m.kind for m in chosen} == {m.kind for m in mutants}  # every kind gets a slot
    assert [m.position for m in chosen] == sorted(m.position for m in chosen)
    integers = sorted(m.line for m in mutants if m.kind == "integer")
    chosen_integers = [m.line for m in chosen if m.kind == "integer"]
    assert len(chosen_integers) >= 2
    assert len(set(chosen_integers)) > 1 or len(set(integers)) == 1  # spread, not the first ones only
    assert choose(mutants, 100, seed) == mutants


# ---- running them ------------------------------------------------------------------------


@needs_python
def test_strong_assertions_kill_every_mutant_and_stub() -> None:
    report = score_entry(entry(STRONG), max_mutants=16, run_seconds=4)
    assert report.passing_stubs == ()
    assert {s.label for s in report.stubs} >= {"returns `None`", "returns `0`", "returns its first argument `items`",
                                                 "throws"}
    assert report.valid == 16
    assert {t.label for t in report.survivors} <= EQUIVALENT
    assert report.killed >= 14
    assert report.candidates > 16
    # an infinite loop (`low = middle - 1` and the like) is caught by the per-mutant deadline
    assert any(t.verdict == Verdict.TIMEOUT.value for t in report.mutants)
    # and counted; this passing result does not rest on them (it passes with them as survivors too),
    # so the result cache may reuse it at once
    trials = (*report.stubs, *report.mutants)
    assert strength.details(report, 0.6)["timeouts"] == sum(t.verdict == Verdict.TIMEOUT.value for t in trials) > 0
    assert strength.details(report, 0.6)[TIMEOUTS] == 0


@needs_python
def test_a_mutant_that_does_not_build_is_not_counted() -> None:
    reference = "def pick(xs: list[int]) -> int:\n    return xs[0] + 1\n"
    report = score_entry(entry("assert pick([1]) == 2\n", reference, "pick"), run_seconds=4)
    labels = {t.label: t.outcome for t in report.mutants}
    assert labels == {"`+` -> `-`": FAILED, "`0` -> `1`": FAILED, "`1` -> `0`": FAILED}
    verdict, outcome = run_variant(PYTHON, entry("assert pick([1]) == 2\n", reference, "pick"), "def pick(:\n", 4)
    assert (verdict, outcome) == (Verdict.COMPILE_ERROR.value, INVALID)


@needs_python
def test_placeholder_assertions_fail_with_the_stub_shown() -> None:
    identity = entry("assert transform(1) == 1\n", "def transform(x):\n    return x\n", "transform")
    result = strength.check(identity, CheckContext())
    assert result.outcome is Outcome.FAILED
    assert result.details["stubs_passed"] == 1
    text = result.render()
    assert "returns its first argument `x` (which is all the reference does)" in text
    assert "def transform(x):\n        return x" in text
    weak = strength.check(entry(WEAK), CheckContext())
    stub = "returns `0`\n    def binary_search(items: list[int], target: int) -> int:\n        return 0"
    assert stub in weak.render()


@needs_python
def test_weak_assertions_fail_with_surviving_mutants_as_diffs() -> None:
    result = strength.check(entry(WEAK), CheckContext())
    assert result.outcome is Outcome.FAILED
    details = result.details
    assert details["score"] is not None
    assert details["score"] < 0.5
    assert {"score", "killed", "valid", "stubs_passed"} <= set(details)
    assert details["stubs_passed"] == 1  # only `return 0` is an int
    survivors = [f for f in result.findings if f.message.startswith("surviving mutant")]
    assert 1 <= len(survivors) <= strength.SHOWN_SURVIVORS
    assert all(f.field == "reference_answer" and f.line and f.excerpt and "@@" in f.excerpt for f in survivors)
    assert result.headline.startswith("weak assertions: ")
    assert "mutation score" in result.headline


@needs_python
def test_strong_assertions_pass_with_the_score_in_the_details() -> None:
    result = strength.check(entry(STRONG), CheckContext())
    assert result.outcome is Outcome.PASSED, result.render()
    assert result.details["score"] >= 0.8
    assert result.details["valid"] >= result.details["killed"] > 0
    assert result.details["stubs_passed"] == 0
    assert result.reason.startswith("mutation score ")


@needs_python
def test_skipped_when_the_reference_fails_its_own_assertions() -> None:
    result = strength.check(entry("assert binary_search([1, 2], 2) == 0\n"), CheckContext())
    assert result.outcome is Outcome.SKIPPED
    assert result.reason == "execution did not pass"


def test_skipped_with_the_executions_reason_when_the_toolchain_is_missing() -> None:
    context = CheckContext()
    swift = Entry("q-2", "Write `f` in Swift.", "func f() -> Int { return 1 }", "assert(f() == 1)", "Swift", "f",
                  "medium", "misc", 0.1, 3, {})
    missing = Execution(Verdict.TOOLCHAIN_MISSING, "Swift toolchain missing: install swiftc")
    assert context.cached_execution(swift, None, lambda: missing) is missing
    result = strength.check(swift, context)
    assert result.outcome is Outcome.SKIPPED
    assert result.reason == "Swift toolchain missing: install swiftc"


def _trial(outcome: str, line: int) -> Trial:
    return Trial("integer", f"`{line}` -> `{line + 1}`", line, f"x = {line + 1}\n", "passed", outcome)


def test_only_a_pass_that_the_timeouts_made_rests_on_them() -> None:
    """Load can fake a kill (a timeout), never undo one: a result rests on its timeouts only
    when it passes with them and would fail with the timed-out variants as survivors."""
    killed = Trial("integer", "`1` -> `2`", 1, "x = 2\n", "assertion failed", FAILED)
    hung = Trial("condition", "negated", 2, "x = 3\n", Verdict.TIMEOUT.value, FAILED)
    survivor = Trial("integer", "`0` -> `1`", 3, "x = 4\n", "passed", PASSED)
    on_the_line = StrengthReport((), (killed, hung, survivor), 3, 1.0)  # 2/3 passes, 1/3 would not
    assert strength.to_result(on_the_line, "x = 0\n", 0.6).outcome is Outcome.PASSED
    assert strength.decisive_timeouts(on_the_line, 0.6) == 1
    assert strength.decisive_timeouts(on_the_line, 0.3) == 0  # 1/3 passes 0.3 without the timeout
    failing = StrengthReport((), (hung, survivor, survivor), 3, 1.0)
    assert strength.to_result(failing, "x = 0\n", 0.6).outcome is Outcome.FAILED
    assert strength.decisive_timeouts(failing, 0.6) == 0
    hung_stub = Trial("stub", "returns `0`", 1, "x", Verdict.TIMEOUT.value, FAILED)
    stub_only = StrengthReport((hung_stub,), (killed,), 1, 1.0)  # the stub would pass without its timeout
    assert strength.decisive_timeouts(stub_only, 0.6) == 1


def test_failure_shows_at_most_five_survivors_and_scores_stubs_without_mutants() -> None:
    mutants = (*(_trial(PASSED, n) for n in range(8)), _trial(FAILED, 9), _trial(INVALID, 10))
    report = StrengthReport((), mutants, 30, 1.5)
    result = strength.to_result(report, "x = 0\n", 0.5)
    assert result.outcome is Outcome.FAILED
    assert result.details == {"score": 0.111, "score_of": "mutants", "killed": 1, "valid": 9, "mutants": 10,
                              "candidates": 30, "stubs": 0, "stubs_passed": 0, "timeouts": 0, "seconds": 1.5,
                              TIMEOUTS: 0}
    assert sum(1 for f in result.findings if f.message.startswith("surviving mutant")) == 5
    assert "8 of 9 mutants of the reference pass the assertions (showing 5)" in result.render()
    empty = strength.to_result(StrengthReport((), (), 0, 0.0), "x = 0\n", 0.5)
    assert empty.outcome is Outcome.PASSED
    assert empty.details["score"] is None
    assert empty.reason == "neither a mutant nor a stub of the reference could be built"
    stubs_only = StrengthReport((Trial("stub", "throws", 1, "x", "runtime error", FAILED),), (), 0, 0.1)
    assert strength.to_result(stubs_only, "x = 0\n", 0.5).details["score"] == 1.0


def test_mutant_deadline_follows_the_reference_time_in_stable_steps() -> None:
    fast = Execution(Verdict.PASSED, "passed", seconds=0.2)
    slow = Execution(Verdict.PASSED, "passed", seconds=3.0)
    assert strength.run_seconds(fast, 1.0) == 2.0
    assert strength.run_seconds(Execution(Verdict.PASSED, "passed", seconds=0.3), 1.0) == 2.0
    assert strength.run_seconds(slow, 1.0) == 16.0
    assert strength.run_seconds(slow, 2.0) == 32.0


def test_percentile_is_nearest_rank() -> None:
    values = [0.1 * n for n in range(1, 11)]
    assert percentile(values, 0.10) == pytest.approx(0.1)
    assert percentile(values, 0.5) == pytest.approx(0.5)
    assert percentile(values, 1.0) == pytest.approx(1.0)


JS_BINARY_SEARCH = """\
function binarySearch(items, target) {
  let low = 0, high = items.length - 1;
  while (low <= high) {
    const middle = Math.floor((low + high) / 2);
    if (items[middle] === target) return middle;
    if (items[middle] < target) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}
"""
JS_STRONG = """\
const evens = Array.from({length: 20}, (_, i) => 2 * i);
for (const v of evens) if (binarySearch(evens, v) !== v / 2) throw new Error("found " + v);
for (let v = -1; v < 42; v += 2) if (binarySearch(evens, v) !== -1) throw new Error("absent " + v);
if (binarySearch([], 3) !== -1) throw new Error("empty");
"""


@pytest.mark.skipif(toolchains.which("node") is None, reason="node missing: apt-get install nodejs")
def test_a_mutant_stuck_in_a_loop_is_stopped_by_its_processor_budget_in_a_shell_batch() -> None:
    # `low = middle - 1` and the like loop forever at full speed: the budget of processor time
    # (deadlines.py) ends them however loaded the machine is
    js = Entry("q-2", "Write `binarySearch` in JavaScript.", JS_BINARY_SEARCH, JS_STRONG, "JavaScript",
               "binarySearch", "medium", "search", 0.4, 7, {})
    report = score_entry(js, max_mutants=16, run_seconds=4)
    assert report.valid >= 10
    looping = [t for t in report.mutants if t.verdict == Verdict.TIMEOUT.value]
    assert looping, [(t.label, t.verdict) for t in report.mutants]
    assert report.killed >= 12
