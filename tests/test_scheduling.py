"""How items are collected and spread over xdist workers (speed matters, behaviour must not change)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pytest_synthetic.checks import ALL_ENTRY_CHECK_NAMES
from pytest_synthetic.schedule import costliest_first

pytest_plugins = ["pytester"]


def entry(query_id: str, language: str) -> str:
    return json.dumps({
        "query_id": query_id,
        "query_text": f"Write a {language} function named `twice` that doubles a number. Language: {language}",
        "reference_answer": "def twice(x):\n    return 2 * x\n",
        "assertions": "assert twice(2) == 4\n",
        "metadata": {"language": language, "function_name": "twice", "difficulty": "medium",
                     "category": "math", "complexity": 0.2},
    })


@pytest.fixture
def dataset(pytester: pytest.Pytester) -> Path:
    path = pytester.path / "synthetic_sched.jsonl"
    path.write_text(f"{entry('py-001', 'Python')}\n{entry('ts-001', 'TypeScript')}\n", encoding="utf-8")
    return path


def test_xdist_gets_worksteal_unless_told_otherwise(pytester: pytest.Pytester, dataset: Path) -> None:
    chosen = pytester.runpytest_subprocess(dataset.name, "-n", "2", "-v", "-k", "schema")
    chosen.stdout.fnmatch_lines(["scheduling tests via WorkStealingScheduling"])
    explicit = pytester.runpytest_subprocess(dataset.name, "-n", "2", "--dist", "load", "-v", "-k", "schema")
    explicit.stdout.fnmatch_lines(["scheduling tests via LoadScheduling"])


def test_language_markers_select_every_check_of_an_entry(pytester: pytest.Pytester, dataset: Path) -> None:
    result = pytester.runpytest_subprocess(dataset.name, "--collect-only", "-q", "-m", "typescript")
    ids = [line for line in result.outlines if "::" in line]
    assert ids == [f"{dataset.name}::ts-001::{check}" for check in ALL_ENTRY_CHECK_NAMES]


def test_dataset_items_then_costliest_entries_go_first_with_their_items_together() -> None:
    items = [
        ("f::py-1", "Python", "schema"), ("f::py-1", "Python", "execution"),
        ("f::kt-1", "Kotlin", "schema"), ("f::kt-1", "Kotlin", "execution"),
        ("f::dataset", None, "size"),
        ("f::py-2", "Python", "execution"),
        ("f::go-1", "Go", "execution"),
        ("f::x-1", "Brainfuck", "schema"),
    ]
    ordered = costliest_first(items, lambda item: (item[0], item[1]))
    assert [f"{key}:{check}" for key, _, check in ordered] == [
        "f::dataset:size", "f::kt-1:schema", "f::kt-1:execution", "f::go-1:execution", "f::py-1:schema",
        "f::py-1:execution", "f::py-2:execution", "f::x-1:schema",
    ]


def test_xdist_runs_reordered_entries_with_the_same_outcomes(pytester: pytest.Pytester, dataset: Path) -> None:
    args = (dataset.name, "-k", "not strength", "-p", "no:cacheprovider", "--synthetic-size=2", "-rA")
    plain = pytester.runpytest_subprocess(*args)
    spread = pytester.runpytest_subprocess(*args, "-n", "2")
    counted = ("passed", "failed", "skipped", "error")
    assert {k: plain.parseoutcomes().get(k) for k in counted} == {k: spread.parseoutcomes().get(k) for k in counted}
    assert sorted(line for line in plain.outlines if line.startswith(("PASSED", "FAILED"))) == sorted(
        line for line in spread.outlines if line.startswith(("PASSED", "FAILED")))
