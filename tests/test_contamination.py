"""The contamination item: copies of public benchmark items fail and name the item; fresh entries pass."""

from __future__ import annotations

import json
import zlib
from pathlib import Path
from typing import Any

import pytest

from pytest_synthetic.checks import contamination
from pytest_synthetic.checks.context import CheckContext
from pytest_synthetic.contamination import copies
from pytest_synthetic.contamination.index import MAGIC
from pytest_synthetic.contamination.settings import ContaminationSettings
from pytest_synthetic.contamination.shipped import INDEX_PATH, build_shipped
from pytest_synthetic.contamination.sources import SOURCES, BenchmarkItem, read_items
from pytest_synthetic.evaluate import evaluate_object
from pytest_synthetic.model import Entry, Outcome
from pytest_synthetic.spec import DatasetSpec

BENCHMARKS = Path(__file__).resolve().parents[2] / "shared" / "benchmarks"
SHARED_DATASETS = Path(__file__).resolve().parents[2] / "shared" / "datasets"
EXPECTED_REALWORLD = Path(__file__).parent / "realworld" / "contamination.json"
needs_benchmarks = pytest.mark.skipif(not BENCHMARKS.is_dir(), reason="../shared/benchmarks is not here")

HUMANEVAL_X_LANGUAGES = {"Python": "Python", "C++": "CPP", "Java": "Java", "JavaScript": "JavaScript",
                         "Go": "Go", "Rust": "Rust"}  # fmt: skip
ITEMS = (0, 10, 36, 95)  # each has a solution of 60 tokens or more in all six languages
VARIANTS = ("verbatim", "renamed", "reformatted", "paraphrased")


def make_entry(question: str, code: str, language: str, query_id: str = "copy-1") -> Entry:
    return Entry(query_id, question, code, "", language, "f", "medium", "algorithms", 0.5, 1, raw={})


def _humaneval_x() -> dict[str, BenchmarkItem]:
    source = next(s for s in SOURCES if s.name == "humaneval-x")
    return {item.item_id: item for item in read_items(source, BENCHMARKS)}


def _variant(item: BenchmarkItem, variant: str) -> tuple[str, str]:
    if variant == "renamed":
        return item.question, copies.renamed(item.code)
    if variant == "reformatted":
        return item.question, copies.reformatted(item.code, item.language)
    if variant == "paraphrased":
        return copies.paraphrased(item.question), copies.renamed(item.code)
    return item.question, item.code


@needs_benchmarks
@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("language", HUMANEVAL_X_LANGUAGES)
def test_a_copy_of_a_humaneval_x_item_fails_and_names_it(language: str, variant: str) -> None:
    items = _humaneval_x()
    for number in ITEMS:
        item = items[f"HumanEval-X {HUMANEVAL_X_LANGUAGES[language]}/{number}"]
        question, code = _variant(item, variant)
        result = contamination.check(make_entry(question, code, language), CheckContext())
        assert result.outcome is Outcome.FAILED, (item.item_id, variant)
        named = {match["item"] for match in result.details["matches"]}
        assert named & {item.item_id, f"HumanEval/{number}"}, (item.item_id, named)


@needs_benchmarks
@pytest.mark.parametrize(("language", "code"), [("TypeScript", "ts"), ("Ruby", "rb"), ("Kotlin", "")])
def test_a_copied_multipl_e_question_names_the_entrys_language(language: str, code: str) -> None:
    source = next(s for s in SOURCES if s.name == "multipl-e")
    suffix = code or "*"
    path = BENCHMARKS / "multipl-e" / f"humaneval-{code or 'ts'}.jsonl"
    record = json.loads(path.read_text(encoding="utf-8").splitlines()[12])
    result = contamination.check(make_entry(record["prompt"], "", language), CheckContext())
    assert result.outcome is Outcome.FAILED
    expected = f"MultiPL-E humaneval-{code} {record['name']}" if code else f"MultiPL-E humaneval {record['name']}"
    assert expected in result.render(), (suffix, source.name)


@needs_benchmarks
def test_a_copied_leetcode_problem_names_its_number_and_slug() -> None:
    source = next(s for s in SOURCES if s.name == "leetcode")
    item = next(i for i in read_items(source, BENCHMARKS) if i.item_id == "LeetCode 42 trapping-rain-water")
    result = contamination.check(make_entry(copies.paraphrased(item.question), item.code, "Python"), CheckContext())
    assert "LeetCode 42 trapping-rain-water" in result.render()


@needs_benchmarks
def test_the_failure_marks_the_shared_passage_in_the_entrys_own_text() -> None:
    item = _humaneval_x()["HumanEval-X Python/10"]
    question = "Please solve this for our team. " + item.question
    result = contamination.check(make_entry(question, "", "Python"), CheckContext())
    text = result.render()
    assert "query_text: copies the question of" in text
    assert "[[" in text
    assert "]]" in text
    assert "Please solve this for our team." in text  # the entry's own words around the passage


FRESH_PYTHON = """\
def rotate_ledger(entries, k):
    if not entries:
        return []
    k %= len(entries)
    return entries[-k:] + entries[:-k] if k else list(entries)
"""
FRESH_GO = """\
func BusiestHour(stamps []int) int {
\tcounts := make([]int, 24)
\tfor _, s := range stamps {
\t\tcounts[(s/60)%24]++
\t}
\tbest := 0
\tfor h := 1; h < 24; h++ {
\t\tif counts[h] > counts[best] {
\t\t\tbest = h
\t\t}
\t}
\treturn best
}
"""
FRESH_TYPESCRIPT = """\
function mergeShelves(a: string[], b: string[]): string[] {
  const out: string[] = [];
  let i = 0, j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i] < b[j])) out.push(a[i++]);
    else if (i >= a.length || b[j] < a[i]) out.push(b[j++]);
    else { i++; j++; }
  }
  return out;
}
"""
FRESH_RUST = """\
fn fuel_stops(tank: u32, gaps: &[u32]) -> Option<u32> {
    let mut left = tank;
    let mut stops = 0;
    for &gap in gaps {
        if gap > tank {
            return None;
        }
        if gap > left {
            stops += 1;
            left = tank;
        }
        left -= gap;
    }
    Some(stops)
}
"""
FRESH_JAVA = """\
static int quietRooms(int[][] noise, int limit) {
    int quiet = 0;
    for (int[] room : noise) {
        boolean ok = true;
        for (int level : room) {
            if (level >= limit) { ok = false; break; }
        }
        if (ok) quiet++;
    }
    return quiet;
}
"""
FRESH_CPP = """\
int longestDry(const std::vector<double>& rain) {
    int best = 0, run = 0;
    for (double mm : rain) {
        run = mm < 1.0 ? run + 1 : 0;
        if (run > best) best = run;
    }
    return best;
}
"""
FRESH = [
    ("Python", "Write a function `rotate_ledger(entries, k)` that moves the last k bookkeeping entries of a "
     "ledger to its front, keeping their order, and returns the new ledger as a list.", FRESH_PYTHON),
    ("Go", "Write a Go function `BusiestHour(stamps []int) int` that receives arrival times in minutes since "
     "midnight and returns the hour of the day with the most arrivals, the earliest hour on ties.", FRESH_GO),
    ("TypeScript", "Write a TypeScript function `mergeShelves(a, b)` that merges two alphabetically sorted "
     "library shelves into one sorted shelf, dropping titles present on both.", FRESH_TYPESCRIPT),
    ("Rust", "Write a Rust function `fuel_stops(tank, gaps)` that counts the refuelling stops a van needs to "
     "cross a desert road, or None when a gap is longer than the tank.", FRESH_RUST),
    ("Java", "Write a Java method `static int quietRooms(int[][] noise, int limit)` that counts the rooms of a "
     "hotel floor plan whose every measured noise level stays under the limit.", FRESH_JAVA),
    ("C++", "Write a C++ function `int longestDry(const std::vector<double>& rain)` that returns the length of "
     "the longest run of days with less than one millimetre of rain in a weather log.", FRESH_CPP),
]  # fmt: skip


@pytest.mark.parametrize(("language", "question", "code"), FRESH, ids=[f[0] for f in FRESH])
def test_a_freshly_written_entry_passes(language: str, question: str, code: str) -> None:
    result = contamination.check(make_entry(question, code, language), CheckContext())
    assert result.outcome is Outcome.PASSED, result.render()


def test_no_sources_skips_the_item() -> None:
    context = CheckContext(contamination=ContaminationSettings(sources=()))
    assert contamination.check(make_entry("anything at all", "", "Python"), context).outcome is Outcome.SKIPPED


@needs_benchmarks
def test_a_source_left_out_is_not_matched() -> None:
    item = _humaneval_x()["HumanEval-X Go/36"]
    others = tuple(s.name for s in SOURCES if s.name not in {"humaneval-x", "humaneval", "multipl-e"})
    context = CheckContext(contamination=ContaminationSettings(sources=others))
    result = contamination.check(make_entry(item.question, item.code, "Go"), context)
    assert result.outcome is Outcome.PASSED, result.render()


@needs_benchmarks
def test_the_committed_index_is_what_the_sources_build() -> None:
    """Built here, in another process than the committed one: the same sources give the same bytes."""
    assert build_shipped(BENCHMARKS) == INDEX_PATH.read_bytes()


@needs_benchmarks
def test_the_index_holds_no_benchmark_text() -> None:
    body = zlib.decompress(INDEX_PATH.read_bytes()[len(MAGIC) :])
    for item in list(_humaneval_x().values())[::7]:
        for text in (item.question, item.code):
            for line in (ln.strip() for ln in text.splitlines()):
                if len(line) > 30:
                    assert line.encode("utf-8") not in body, line


@needs_benchmarks
def test_the_generator_gate_rejects_a_copy_without_benchmark_text_in_its_feedback() -> None:
    item = _humaneval_x()["HumanEval-X Python/95"]
    obj: dict[str, Any] = {
        "query_id": "gen-1",
        "query_text": item.question,
        "reference_answer": item.code,
        "assertions": "assert check_dict_case({'a': 1})\n",
        "metadata": {"language": "Python", "function_name": "check_dict_case", "difficulty": "medium",
                     "category": "strings", "complexity": 0.4},
    }  # fmt: skip
    evaluation = evaluate_object(obj, DatasetSpec(), execute=False)
    assert "contamination" in {r.check for r in evaluation.failures}
    feedback = evaluation.feedback()
    assert "HumanEval-X Python/95" in feedback or "HumanEval/95" in feedback
    own = item.question + item.code
    assert all(line[6:] in own for line in feedback.splitlines() if line.startswith("    > "))  # the entry's own lines


def _flagged_shared_entries() -> dict[str, list[str]]:
    flagged: dict[str, list[str]] = {}
    for path in sorted(SHARED_DATASETS.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            obj = json.loads(line)
            meta = obj["metadata"]
            entry = make_entry(obj["query_text"], obj["reference_answer"], meta["language"], obj["query_id"])
            result = contamination.check(entry, CheckContext())
            if result.outcome is not Outcome.PASSED:
                flagged[f"{path.name}::{obj['query_id']}"] = [m["item"] for m in result.details["matches"]]
            del number
    return flagged


@needs_benchmarks
@pytest.mark.skipif(not SHARED_DATASETS.is_dir(), reason="../shared/datasets is not here")
def test_the_shared_datasets_flag_what_was_read_and_judged() -> None:
    expected = json.loads(EXPECTED_REALWORLD.read_text(encoding="utf-8"))
    assert _flagged_shared_entries() == {key: value["items"] for key, value in expected["flagged"].items()}
    assert all(value["reason"] for value in expected["flagged"].values())
