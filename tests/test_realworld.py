"""Every real LLM-written entry in ../shared/datasets gets the execution verdict recorded for it.

The expected verdicts (with the reason for every non-pass, read and judged by a person) live in
tests/realworld/expected/<language>.json and are refreshed with scripts/conformance.py --record.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pytest_synthetic.languages import lookup
from pytest_synthetic.runner import Verdict, execute

EXPECTED = Path(__file__).parent / "realworld" / "expected"
SHARED_DATASETS = Path(__file__).resolve().parents[2] / "shared" / "datasets"


def _cases() -> list[Any]:
    expected: dict[str, dict[str, str]] = {}
    for path in sorted(EXPECTED.glob("*.json")):
        expected.update(json.loads(path.read_text(encoding="utf-8")))
    cases = []
    for dataset in sorted(SHARED_DATASETS.glob("*.jsonl")) if SHARED_DATASETS.is_dir() else []:
        for line in dataset.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            obj = json.loads(line)
            key = f"{dataset.name}::{obj['query_id']}"
            if key in expected:
                cases.append(pytest.param(obj, expected[key], id=key))
    return cases


@pytest.mark.realworld
@pytest.mark.parametrize(("obj", "expected"), _cases())
def test_real_entry_gets_its_recorded_verdict(obj: dict[str, Any], expected: dict[str, str]) -> None:
    language = lookup(obj["metadata"]["language"])
    assert language is not None
    done = execute(language, obj["reference_answer"], obj["assertions"], obj["metadata"]["function_name"])
    if done.verdict is Verdict.TOOLCHAIN_MISSING and expected["verdict"] != Verdict.TOOLCHAIN_MISSING.value:
        pytest.skip(done.message)
    assert done.verdict.value == expected["verdict"], f"{done.message}\n{done.stderr[-2000:]}"
    if expected["verdict"] != Verdict.PASSED.value:
        assert expected.get("reason"), "every non-pass needs the reason a reader agreed with"


def test_every_real_entry_has_a_recorded_verdict(shared_datasets: Path) -> None:
    recorded: set[str] = set()
    for path in EXPECTED.glob("*.json"):
        recorded.update(json.loads(path.read_text(encoding="utf-8")))
    missing = []
    for dataset in sorted(shared_datasets.glob("*.jsonl")):
        for line in dataset.read_text(encoding="utf-8").splitlines():
            if line.strip():
                missing.append(f"{dataset.name}::{json.loads(line)['query_id']}")
    assert sorted(set(missing) - recorded) == []
