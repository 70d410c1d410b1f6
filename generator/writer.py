"""The output file: append-only, one fsync'd line per accepted entry, and resume.

Each entry is written with a single ``write`` of the whole line (newline included) on
an ``O_APPEND`` descriptor and fsync'd before the next one is accepted, so a run killed
at any moment leaves complete lines plus at most one torn last line. Resume cuts that
torn line away and carries on from what the file holds; nothing else ever rewrites it.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.schema import ENTRY_FIELDS, METADATA_FIELDS
from pytest_synthetic.records import Record, read_records

if sys.platform != "win32":
    import fcntl


class OutputBusyError(Exception):
    """Another generator is writing the same file."""


@dataclass(frozen=True)
class IdScheme:
    prefix: str = "synthetic"
    width: int = 3

    def format(self, number: int) -> str:
        return f"{self.prefix}-{number:0{self.width}d}"

    def number_of(self, query_id: object) -> int | None:
        if not isinstance(query_id, str):
            return None
        match = re.fullmatch(re.escape(self.prefix) + r"-(\d+)", query_id)
        return int(match.group(1)) if match else None


@dataclass
class Existing:
    """What a previous run left in the output file."""

    records: list[Record] = field(default_factory=list)  # complete lines only
    torn_bytes: int = 0  # length of a torn last line (0 when there is none)
    missing_newline: bool = False  # the last line is complete but lacks its newline

    @property
    def objects(self) -> list[dict[str, Any]]:
        return [r.obj for r in self.records if r.obj is not None]

    @property
    def bad_lines(self) -> list[Record]:
        return [r for r in self.records if r.obj is None]


def inspect(path: Path) -> Existing:
    """Read the output file without changing it (a missing file is an empty dataset)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return Existing()
    existing = Existing(records=read_records(path))
    if data and not data.endswith(b"\n"):
        tail = data[data.rfind(b"\n") + 1 :]
        if tail.strip() and existing.records[-1].obj is not None:
            # Complete on its own (written by hand, or cut just before its newline): keep it.
            existing.missing_newline = True
        else:
            # An interrupted write: it goes, and the entry it held was never accepted.
            existing.torn_bytes = len(tail)
            if tail.strip():
                existing.records = existing.records[:-1]
    return existing


def next_id(objects: Sequence[dict[str, Any]], target: int, prefix: str = "synthetic") -> tuple[IdScheme, int]:
    """The id scheme (width 3 or more, wide enough for the target and the existing ids) and
    the next free number, after the highest existing one."""
    probe = IdScheme(prefix)
    ids = [o["query_id"] for o in objects if probe.number_of(o.get("query_id")) is not None]
    numbers = [n for n in map(probe.number_of, ids) if n is not None]
    width = max([3, len(str(target)), *(len(i) - len(prefix) - 1 for i in ids)])
    return IdScheme(prefix, width), max(numbers, default=0) + 1


def ordered(obj: dict[str, Any]) -> dict[str, Any]:
    """The entry with the format's fields in the format's order, and nothing else."""
    result = {name: obj[name] for name in ENTRY_FIELDS if name in obj}
    metadata = obj.get("metadata")
    if isinstance(metadata, dict):
        result["metadata"] = {name: metadata[name] for name in METADATA_FIELDS if name in metadata}
    return result


def encode(obj: dict[str, Any]) -> bytes:
    return (json.dumps(ordered(obj), ensure_ascii=False) + "\n").encode("utf-8")


class DatasetWriter:
    """Appends accepted entries to the output file; holds an exclusive lock on it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        self.written = 0

    def open(self, existing: Existing) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        created = not self.path.exists()
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)
        try:
            if sys.platform != "win32":
                try:
                    # An advisory lock: a second generator on the same file would interleave
                    # ids. The kernel drops it when the process dies, even on SIGKILL.
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    raise OutputBusyError(f"{self.path} is being written by another generator") from None
            size = os.fstat(fd).st_size
            if existing.torn_bytes:
                os.ftruncate(fd, size - existing.torn_bytes)
                os.fsync(fd)
            elif existing.missing_newline:
                self._write_all(fd, b"\n")
                os.fsync(fd)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        if created:
            _fsync_directory(self.path.parent)

    @staticmethod
    def _write_all(fd: int, data: bytes) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]

    def append(self, obj: dict[str, Any]) -> None:
        """Write one entry as one line and make it durable before returning."""
        if self._fd is None:
            raise RuntimeError("the writer is not open")
        self._write_all(self._fd, encode(obj))
        os.fsync(self._fd)
        self.written += 1

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def _fsync_directory(folder: Path) -> None:
    """Make a new file's directory entry durable too (not possible on Windows)."""
    if sys.platform == "win32":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
