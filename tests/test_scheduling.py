"""How items are collected and spread over xdist workers (speed matters, behaviour must not change)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pytest_synthetic.checks import ALL_ENTRY_CHECK_NAMES

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
