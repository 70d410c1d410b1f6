"""Tolerant, line-numbered JSONL reading: one Record per non-blank line; never raises on bad data."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec

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
    # each level of nesting opens a bracket: a line with few of them needs no walk
    if text.count("{") + text.count("[") > MAX_DEPTH and _depth(value) > MAX_DEPTH:
        return Record(number, text, None, f"JSON nested too deeply (over {MAX_DEPTH} levels)")
    return Record(number, text, value)


class _Light(msgspec.Struct):
    """The fields the light reading keeps; a missing one is None, as with dict.get."""

    query_id: object = None
    metadata: object = None


_LIGHT = msgspec.json.Decoder(_Light)
# What the light reading keeps of an entry: its identity and metadata (language, difficulty).
LIGHT_FIELDS = ("query_id", "metadata")


class _Language(msgspec.Struct):
    language: object = None


class _Identity(msgspec.Struct):
    """What read_identity decodes; metadata that is not an object fails, and parse_light decides."""

    query_id: object = None
    metadata: _Language | None = None


_IDENTITY = msgspec.json.Decoder(_Identity)


def _within_decoder_limits(data: bytes) -> bool:
    """Short enough and with few enough brackets (each level of nesting opens one) that what
    msgspec accepts, parse_line accepts too."""
    return len(data) <= MAX_LINE_BYTES and data.count(b"{") + data.count(b"[") <= MAX_DEPTH


def parse_light(number: int, data: bytes) -> Record:
    """The line as parse_line judges it, but with only LIGHT_FIELDS in its object and no text.

    msgspec decodes just those fields (still checking the whole line is JSON); a line it
    refuses, or one long or bracketed enough for parse_line's limits, goes through parse_line,
    so validity and values are always parse_line's.
    """
    if _within_decoder_limits(data):
        try:
            light = _LIGHT.decode(data)
        except msgspec.DecodeError:
            pass  # parse_line decides: it says the same, or accepts what msgspec does not
        else:
            return Record(number, "", {"query_id": light.query_id, "metadata": light.metadata})
    record = parse_line(number, data)
    obj = None if record.obj is None else {field: record.obj.get(field) for field in LIGHT_FIELDS}
    return Record(number, "", obj, record.error)


def read_identity(number: int, data: bytes) -> tuple[object, object] | None:
    """The line's query_id and its metadata's language, as parse_light reads them (None when
    absent; the language also when metadata is not an object); None for a line that is not a
    JSON object. Makes no Record and decodes nothing else: for every line of a large file."""
    if _within_decoder_limits(data):
        try:
            found = _IDENTITY.decode(data)
        except msgspec.DecodeError:
            pass  # parse_light decides, as for its own fast path
        else:
            return found.query_id, None if found.metadata is None else found.metadata.language
    obj = parse_light(number, data).obj
    if obj is None:
        return None
    metadata = obj["metadata"]
    return obj["query_id"], metadata.get("language") if isinstance(metadata, dict) else None


def iter_light_records(path: Path | str) -> Iterator[Record]:
    """parse_light over every line: for what reads only LIGHT_FIELDS (counts, ids)."""
    for number, line in iter_lines(path):
        yield parse_light(number, line)


def _numbered(
    lines: Iterable[bytes],
    only: Container[int] | None = None,
    positions: dict[int, int] | None = None,
    *,
    first: int = 1,
    at: int = 0,
    end: float = math.inf,
) -> Iterator[tuple[int, bytes]]:
    """(number, content) of every non-blank line (of those numbered `only`) that starts before
    byte `end`: BOM and line endings removed. Lines are numbered from `first`, the first starting
    at byte `at`; `positions` receives each yielded line's byte offset."""
    start = at
    for index, raw_line in enumerate(lines, start=first):
        if start >= end:
            return
        offset, start = start, start + len(raw_line)
        if only is not None and index not in only:
            continue
        line = raw_line.removesuffix(b"\n").removesuffix(b"\r")
        if index == 1:
            line = line.removeprefix(BOM)
        if line and not line.isspace():  # as line.strip(), without copying the line
            if positions is not None:
                positions[index] = offset
            yield index, line


def parse_bytes(content: bytes) -> list[Record]:
    return [parse_line(number, line) for number, line in _numbered(content.split(b"\n"))]


def iter_lines(
    path: Path | str, only: Container[int] | None = None, positions: dict[int, int] | None = None
) -> Iterator[tuple[int, bytes]]:
    """The file's non-blank lines (with `only`, of those numbers), numbered, read one at a time
    (a dataset may exceed memory). `positions` receives where each line starts, for iter_lines_at."""
    with Path(path).open("rb") as stream:
        yield from _numbered(stream, only, positions)


def iter_lines_between(
    path: Path | str, start: int, end: int, first: int, positions: dict[int, int] | None = None
) -> Iterator[tuple[int, bytes]]:
    """iter_lines over the bytes [start, end) of the file, both at line starts, the first line
    there being number `first`: a part of a large file read on its own."""
    with Path(path).open("rb") as stream:
        stream.seek(start)
        yield from _numbered(stream, None, positions, first=first, at=start, end=end)


def count_lines_before(path: Path | str, offsets: Sequence[int]) -> list[int]:
    """How many lines start before each of these ascending byte offsets (each a line start)."""
    counts, seen, done = [], 0, 0
    with Path(path).open("rb") as stream:
        for offset in offsets:
            while done < offset:
                chunk = stream.read(min(1 << 20, offset - done))
                if not chunk:
                    break
                seen, done = seen + chunk.count(b"\n"), done + len(chunk)
            counts.append(seen)
    return counts


def iter_lines_at(path: Path | str, positions: Mapping[int, int]) -> Iterator[tuple[int, bytes]]:
    """The lines of these numbers, in order, each read where it starts (number -> byte offset, as
    iter_lines records them): a few lines of a large file without reading the others."""
    with Path(path).open("rb") as stream:
        for number in sorted(positions):
            stream.seek(positions[number])
            yield from _numbered((stream.readline(),), first=number)


def iter_records(path: Path | str, only: Container[int] | None = None) -> Iterator[Record]:
    """Records one at a time; with `only`, just the lines of those numbers are parsed."""
    for number, line in iter_lines(path, only):
        yield parse_line(number, line)


def read_records(path: Path | str, only: Container[int] | None = None) -> list[Record]:
    """Every non-blank line of the file as a Record (blank lines keep their numbers counted)."""
    return list(iter_records(path, only))


def read_records_at(path: Path | str, positions: Mapping[int, int]) -> list[Record]:
    """The lines of iter_lines_at as Records."""
    return [parse_line(number, line) for number, line in iter_lines_at(path, positions)]


def content_digest(path: Path | str) -> str:
    """SHA-256 of what is judged in the file: each non-blank line with its number (a blank line
    added at the end, or another line ending, changes nothing)."""
    digest = hashlib.sha256()
    for number, line in iter_lines(path):
        digest.update(b"%d\0%d\0" % (number, len(line)) + line)
    return digest.hexdigest()
