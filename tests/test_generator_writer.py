"""The output file: one durable line per entry, torn tails cut, ids continued."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.writer import DatasetWriter, IdScheme, OutputBusyError, inspect, next_id


def entry(query_id: str, **extra: object) -> dict[str, object]:
    return {
        "metadata": {"category": "math", "language": "Python", "extra": 1},
        "assertions": "assert f() == 1",
        "query_id": query_id,
        "query_text": "q",
        "reference_answer": "def f():\n    return 1",
        **extra,
    }


def test_entries_are_written_one_line_each_in_the_format_order(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "out.jsonl"
    writer = DatasetWriter(path)
    writer.open(inspect(path))
    writer.append(entry("synthetic-001", noise="dropped"))
    writer.append(entry("synthetic-002"))
    writer.close()
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    first = json.loads(lines[0])
    assert list(first) == ["query_id", "query_text", "reference_answer", "assertions", "metadata"]
    assert list(first["metadata"]) == ["language", "category"]  # known fields only, in order
    assert path.read_bytes().endswith(b"\n")


def test_a_torn_last_line_is_cut_away(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    good = json.dumps(entry("synthetic-001"))
    path.write_text(good + "\n" + good[:40], encoding="utf-8")
    existing = inspect(path)
    assert existing.torn_bytes == 40
    assert len(existing.objects) == 1
    assert path.read_text(encoding="utf-8").endswith(good[:40])  # inspect changes nothing
    writer = DatasetWriter(path)
    writer.open(existing)
    writer.append(entry("synthetic-002"))
    writer.close()
    ids = [json.loads(line)["query_id"] for line in path.read_text(encoding="utf-8").splitlines()]
    assert ids == ["synthetic-001", "synthetic-002"]


def test_a_complete_last_line_without_newline_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    path.write_text(json.dumps(entry("synthetic-001")), encoding="utf-8")
    existing = inspect(path)
    assert existing.missing_newline
    assert existing.torn_bytes == 0
    writer = DatasetWriter(path)
    writer.open(existing)
    writer.append(entry("synthetic-002"))
    writer.close()
    assert len(path.read_text(encoding="utf-8").splitlines()) == 2


def test_bad_lines_in_the_middle_are_reported_not_touched(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    text = json.dumps(entry("a-1")) + "\nnot json\n" + json.dumps(entry("a-2")) + "\n"
    path.write_text(text, encoding="utf-8")
    existing = inspect(path)
    assert [r.line for r in existing.bad_lines] == [2]
    assert len(existing.objects) == 2
    assert existing.torn_bytes == 0


def test_next_id_continues_after_the_highest_and_keeps_the_width(tmp_path: Path) -> None:
    assert next_id([], 100) == (IdScheme("synthetic", 3), 1)
    assert next_id([], 1500) == (IdScheme("synthetic", 4), 1)
    objects = [entry("synthetic-002"), entry("synthetic-017"), entry("hand-written")]
    scheme, number = next_id(objects, 100)
    assert (scheme.format(number)) == "synthetic-018"
    scheme, number = next_id([entry("synthetic-0005")], 100)
    assert scheme.format(number) == "synthetic-0006"
    scheme, number = next_id([entry("set-9")], 10, prefix="set")
    assert scheme.format(number) == "set-010"


def test_a_second_writer_on_the_same_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    first = DatasetWriter(path)
    first.open(inspect(path))
    with pytest.raises(OutputBusyError):
        DatasetWriter(path).open(inspect(path))
    first.close()
    second = DatasetWriter(path)
    second.open(inspect(path))
    second.close()
