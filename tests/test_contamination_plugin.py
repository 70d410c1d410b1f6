"""The contamination item through pytest: its options, their ini mirrors, the summary and JSON report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

pytest_plugins = ["pytester"]

BENCHMARKS = Path(__file__).resolve().parents[2] / "shared" / "benchmarks"
PRIVATE_QUESTION = (
    "Given the opening stock of each warehouse shelf and a list of signed deliveries, return the first "
    "day on which any shelf runs empty, or minus one when every shelf lasts the whole season."
)
PRIVATE_CODE = """\
def first_empty_day(stock, deliveries):
    levels = list(stock)
    for day, moves in enumerate(deliveries, 1):
        for shelf, amount in moves:
            levels[shelf] += amount
            if levels[shelf] <= 0:
                return day
    return -1
"""


def entry(query_id: str, question: str, code: str) -> dict[str, Any]:
    return {
        "query_id": query_id,
        "query_text": question,
        "reference_answer": code,
        "assertions": "assert True\n",
        "metadata": {"language": "Python", "function_name": "f", "difficulty": "medium", "category": "arrays",
                     "complexity": 0.4},
    }  # fmt: skip


@pytest.fixture
def dataset(pytester: pytest.Pytester) -> Path:
    """One entry copying the private reference, one copying HumanEval/0's question."""
    humaneval_0 = (
        "from typing import List\n\n\ndef has_close_elements(numbers: List[float], threshold: float) -> bool:\n"
        '    """ Check if in given list of numbers, are any two numbers closer to each other than\n'
        "    given threshold.\n    >>> has_close_elements([1.0, 2.0, 3.0], 0.5)\n    False\n"
        '    >>> has_close_elements([1.0, 2.8, 3.0, 4.0, 5.0, 2.0], 0.3)\n    True\n    """\n'
    )
    path = pytester.path / "synthetic_copies.jsonl"
    stub = "def has_close_elements(numbers, threshold):\n    return False\n"
    lines = [entry("private-copy", PRIVATE_QUESTION, PRIVATE_CODE), entry("classic", humaneval_0, stub)]
    path.write_text("".join(json.dumps(obj) + "\n" for obj in lines), encoding="utf-8")
    private = pytester.path / "private.jsonl"
    record = {"task_id": "shelf-7", "question": PRIVATE_QUESTION, "solution": PRIVATE_CODE}
    private.write_text(json.dumps(record) + "\n", encoding="utf-8")
    return path


@pytest.mark.skipif(not BENCHMARKS.is_dir(), reason="../shared/benchmarks is not here")
def test_shipped_sources_and_a_private_reference(pytester: pytest.Pytester, dataset: Path) -> None:
    result = pytester.runpytest(
        str(dataset), "-k", "contamination", "-p", "no:cacheprovider", "--synthetic-report=report.json",
        "--synthetic-contamination-against=private.jsonl",
    )  # fmt: skip
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(
        [
            "*copies the code of private.jsonl shelf-7 (private.jsonl): similarity 1.00*",
            "*copies the question of private.jsonl shelf-7 (private.jsonl): 100%*",
            "*copies the question of HumanEval*/0 (humaneval*)*",
            "*contaminated entries per source: *humaneval 1*private.jsonl 1*",
        ]
    )
    report = json.loads((pytester.path / "report.json").read_text(encoding="utf-8"))
    counts = report["contaminated_per_source"][str(dataset)]
    assert counts["humaneval"] == 1
    assert counts["private.jsonl"] == 1


def test_sources_none_skips_and_an_ini_reference_still_counts(pytester: pytest.Pytester, dataset: Path) -> None:
    pytester.makeini(
        "[pytest]\nsynthetic_contamination_sources = none\nsynthetic_contamination_against = private.jsonl\n"
        "synthetic_contamination_fields = question,solution\n"
    )
    result = pytester.runpytest(str(dataset), "-k", "contamination", "-p", "no:cacheprovider", "-rA")
    result.assert_outcomes(failed=1, passed=1)
    result.stdout.fnmatch_lines(["*FAILED*private-copy::contamination*"])


def test_sources_none_without_references_skips_the_item(pytester: pytest.Pytester, dataset: Path) -> None:
    result = pytester.runpytest(
        str(dataset), "-k", "contamination", "-p", "no:cacheprovider", "--synthetic-contamination-sources=none"
    )
    result.assert_outcomes(skipped=2)


@pytest.mark.skipif(not BENCHMARKS.is_dir(), reason="../shared/benchmarks is not here")
def test_a_threshold_above_every_similarity_passes(pytester: pytest.Pytester, dataset: Path) -> None:
    pytester.makeini("[pytest]\nsynthetic_contamination_sources = leetcode, mbpp\n")
    result = pytester.runpytest(str(dataset), "-k", "contamination", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)  # HumanEval is not among the sources


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("--synthetic-contamination-sources=humaneval,nosuch", "*unknown nosuch*"),
        ("--synthetic-contamination-question-threshold=1.5", "*expected a number in (0, 1]*"),
        ("--synthetic-contamination-against=missing.jsonl", "*no such file*missing.jsonl*"),
    ],
)
def test_bad_contamination_options_are_usage_errors(
    pytester: pytest.Pytester, dataset: Path, option: str, message: str
) -> None:
    result = pytester.runpytest(str(dataset), option, "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([message])


def test_collection_does_not_read_the_index(pytester: pytest.Pytester, dataset: Path) -> None:
    from pytest_synthetic.contamination import shipped  # noqa: PLC0415 (the cache this process shares)

    before = shipped.load.cache_info()
    result = pytester.inline_run(str(dataset), "--collect-only", "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.OK
    after = shipped.load.cache_info()
    assert (after.hits, after.misses) == (before.hits, before.misses)
    collected = [call.item.name for call in result.getcalls("pytest_itemcollected")]
    assert collected.count("contamination") == 2
