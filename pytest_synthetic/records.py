"""Tolerant, line-numbered JSONL reading: one Record per non-blank line; never raises on bad data."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MAX_LINE_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 64
BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Record:
    line: int  # 1-based line number in the file
    raw: str  # the line's text without its line ending ("" when it is not valid UTF-8)
    obj: dict[str, Any] | None  # the parsed object, or None with error set
    error: str | None = None


def _depth(value: Any) -> int:
    """Nesting depth without recursion (a hostile line must not blow the stack)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        current, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(current, dict):
            stack.extend((child, depth + 1) for child in current.values())
        elif isinstance(current, list):
            stack.extend((child, depth + 1) for child in current)
    return deepest


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def parse_line(number: int, data: bytes) -> Record:
    if len(data) > MAX_LINE_BYTES:
        return Record(number, "", None, f"line is {len(data):,} bytes, over the {MAX_LINE_BYTES:,}-byte limit")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Record(number, "", None, f"invalid UTF-8 at byte {exc.start}: {data[exc.start : exc.start + 4]!r}")
    try:
        value = json.loads(text, parse_constant=_reject_constant)
    except RecursionError:
        return Record(number, text, None, f"JSON nested too deeply (over {MAX_DEPTH} levels)")
    except ValueError as exc:
        return Record(number, text, None, f"invalid JSON: {exc}")
    if not isinstance(value, dict):
        return Record(number, text, None, f"not a JSON object but a JSON {type(value).__name__}")
    if _depth(value) > MAX_DEPTH:
        return Record(number, text, None, f"JSON nested too deeply (over {MAX_DEPTH} levels)")
    return Record(number, text, value)


def parse_bytes(content: bytes) -> list[Record]:
    content = content.removeprefix(BOM)
    records = []
    for index, raw_line in enumerate(content.split(b"\n"), start=1):
        line = raw_line.removesuffix(b"\r")
        if line.strip():
            records.append(parse_line(index, line))
    return records


def read_records(path: Path | str) -> list[Record]:
    """Every non-blank line of the file as a Record (blank lines keep their numbers counted)."""
    return parse_bytes(Path(path).read_bytes())
