from __future__ import annotations

import json
from pathlib import Path

from pytest_synthetic.records import MAX_DEPTH, MAX_LINE_BYTES, iter_lines, iter_lines_at, parse_bytes, read_records


def test_bom_crlf_and_blank_lines_keep_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"a": 1}\r\n\r\n   \n{"b": 2}\r\n')
    records = read_records(path)
    assert [(r.line, r.obj) for r in records] == [(1, {"a": 1}), (4, {"b": 2})]
    assert all(r.error is None for r in records)
    assert records[0].raw == '{"a": 1}'


def test_lines_read_where_they_start_are_those_read_in_turn(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"a": 1}\r\n\r\n   \n{"b": 2}\r\n\xff\n\n{"c": 3}')
    positions: dict[int, int] = {}
    every = list(iter_lines(path, positions=positions))
    assert [number for number, _ in every] == [1, 4, 5, 7] == sorted(positions)
    for wanted in ({1, 7}, {4, 5}, {7}, set(positions)):
        at = list(iter_lines_at(path, {number: positions[number] for number in wanted}))
        assert at == list(iter_lines(path, only=wanted)) == [line for line in every if line[0] in wanted]


def test_each_bad_line_class_has_its_reason() -> None:
    lines = [
        b'{"a": ',
        b"\xff\xfe",
        b"[1, 2]",
        b"[" * 5000 + b"]" * 5000,
        b'{"x": ' * (MAX_DEPTH + 1) + b"1" + b"}" * (MAX_DEPTH + 1),
        b'"' + b"a" * (MAX_LINE_BYTES + 1) + b'"',
        b'{"c": NaN}',
        b'{"ok": true}',
    ]
    records = parse_bytes(b"\n".join(lines))
    reasons = [r.error or "" for r in records]
    assert "invalid JSON" in reasons[0]
    assert "invalid UTF-8 at byte 0" in reasons[1]
    assert "not a JSON object but a JSON list" in reasons[2]
    assert "nested too deeply" in reasons[3]
    assert "nested too deeply" in reasons[4]
    assert "over the" in reasons[5]
    assert "byte limit" in reasons[5]
    assert "NaN is not valid JSON" in reasons[6]
    assert records[7].obj == {"ok": True}
    assert [r.line for r in records] == list(range(1, 9))
    assert all(r.obj is None for r in records[:7])


def test_a_real_dataset_reads_completely(shared_datasets: Path) -> None:
    path = shared_datasets / "synthetic_gpt5.jsonl"
    records = read_records(path)
    assert len(records) == 100
    assert records[0].obj == json.loads(path.read_text(encoding="utf-8").splitlines()[0])
