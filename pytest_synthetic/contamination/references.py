"""A user's own references (`--synthetic-contamination-against`): JSONL or JSON records, indexed
in memory the way the shipped benchmarks are."""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pytest_synthetic.contamination.build import build_index
from pytest_synthetic.contamination.index import Index
from pytest_synthetic.contamination.sources import BenchmarkItem

# the first of these a record has is its question, its code, its id
TEXT_FIELDS = ("query_text", "question", "prompt", "instruction", "problem_description", "query", "text", "description")
CODE_FIELDS = ("reference_answer", "canonical_solution", "solution", "code", "completion", "answer", "output")
ID_FIELDS = ("query_id", "task_id", "id", "name")


@functools.cache
def load(path: Path, text_field: str | None, code_field: str | None) -> Index:
    data = path.read_bytes()
    meta = {
        "name": path.name,
        "title": path.name,
        "version": hashlib.sha256(data).hexdigest()[:16],
        "notice": "",
        "license": "",
    }
    return build_index([(meta, _items(path.name, data.decode("utf-8"), text_field, code_field))])


def _records(text: str) -> list[Any]:
    stripped = text.lstrip()
    if stripped.startswith("["):
        loaded = json.loads(text)
        return loaded if isinstance(loaded, list) else [loaded]
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _items(name: str, text: str, text_field: str | None, code_field: str | None) -> Iterator[BenchmarkItem]:
    for number, record in enumerate(_records(text), 1):
        if not isinstance(record, dict):
            continue
        identifier = _first(record, ID_FIELDS) or f"record {number}"
        question = _field(record, text_field, TEXT_FIELDS)
        code = _field(record, code_field, CODE_FIELDS)
        yield BenchmarkItem(name, f"{name} {identifier}", question, code, "")


def _field(record: dict[str, Any], named: str | None, candidates: tuple[str, ...]) -> str:
    return _first(record, (named,) if named else candidates)


def _first(record: dict[str, Any], names: tuple[str, ...]) -> str:
    for name in names:
        value = record.get(name)
        if isinstance(value, (str, int)) and str(value).strip():
            return str(value)
    return ""
