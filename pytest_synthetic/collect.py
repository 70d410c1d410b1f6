"""Turn one dataset file into what the plugin shows: entries with their node names and results."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from pytest_synthetic.cache import ResultCache, dataset_key
from pytest_synthetic.checks import schema
from pytest_synthetic.checks.context import Source
from pytest_synthetic.checks.dataset import READS_ENTRIES, run_dataset_check
from pytest_synthetic.model import CheckResult, Entry
from pytest_synthetic.records import (
    Record,
    content_digest,
    iter_light_records,
    iter_records,
    read_records,
    read_records_at,
)
from pytest_synthetic.spec import DatasetSpec

UNSAFE_ID_CHARS = re.compile(r"[^A-Za-z0-9_.-]")
# A query_id that safe_name leaves as it is: safe characters, at most 120, no '.' or '_' at either end.
SAFE_AS_IS = re.compile(r"[A-Za-z0-9-](?:[A-Za-z0-9_.-]{0,118}[A-Za-z0-9-])?")


@dataclass(frozen=True)
class ParsedRecord:
    record: Record
    node_name: str  # unique, safe, stable pytest name
    schema_result: CheckResult | None  # None for a line that is not a JSON object
    entry: Entry | None

    @property
    def query_id(self) -> str:
        value = (self.record.obj or {}).get("query_id")
        return value if isinstance(value, str) else ""


def safe_name(query_id: str, line: int) -> str:
    """A node name from the query_id: unsafe characters mapped to '_' (the ids check flags them)."""
    name = UNSAFE_ID_CHARS.sub("_", query_id)[:120].strip("._")
    return name or f"line-{line}"


NOT_AN_OBJECT = object()  # the query_id given for a line that is not a JSON object


def asked_name(line: int, query_id: object) -> str | None:
    """The name a line asks for, from its query_id value; None for a line that is not a JSON
    object (NOT_AN_OBJECT), which is named by its number alone."""
    if query_id is NOT_AN_OBJECT:
        return None
    if isinstance(query_id, str) and SAFE_AS_IS.fullmatch(query_id):
        return query_id
    return safe_name(query_id if isinstance(query_id, str) else "", line)


def unique_names(
    lines: Sequence[int], asked: Sequence[str | None], only: Iterable[int] | None = None
) -> dict[int, str]:
    """The lines' node names (of those `only`), from the names they ask for, lines in file order:
    a name asked for by an earlier line or by the dataset-wide collector ("dataset"), or one
    that looks like another line's default, gets ".line-N", so names stay distinct and stable."""
    first_asked_by = dict(zip(reversed(asked), reversed(lines), strict=True))  # built in C: every line
    first_asked_by["dataset"] = 0
    asked_by_line = dict(zip(lines, asked, strict=True))
    names: dict[int, str] = {}
    for line in lines if only is None else only:
        name = asked_by_line[line]
        if name is None:
            names[line] = f"line-{line}"
        elif first_asked_by[name] != line or (name.startswith("line-") and name != f"line-{line}"):
            names[line] = f"{name}.line-{line}"
        else:
            names[line] = name
    return names


def node_names(lines: Iterable[tuple[int, object]]) -> dict[int, str]:
    """(line, its query_id value or NOT_AN_OBJECT) in file order -> unique, safe, stable names."""
    numbers, asked = [], []
    for line, query_id in lines:
        numbers.append(line)
        asked.append(asked_name(line, query_id))
    return unique_names(numbers, asked)


def _query_id(record: Record) -> tuple[int, object]:
    return record.line, NOT_AN_OBJECT if record.obj is None else record.obj.get("query_id")


class ParsedDataset:
    """A dataset file parsed once per process; every check of every entry reads from here."""

    def __init__(
        self,
        path: Path,
        spec: DatasetSpec,
        cache: ResultCache | None = None,
        lines: Mapping[int, str] | None = None,
        positions: Mapping[int, int] | None = None,
    ) -> None:
        """`lines`: only these lines (a shard's), with their node names; all of them by default.
        `positions`: where each of `lines` starts in the file, so that only they are read."""
        self.path = path
        self.spec = spec
        self.cache = cache  # where the dataset-wide results are kept between runs
        self._computed: set[str] = set()  # dataset-wide results computed here, not read from the cache
        self.records = read_records(path, only=lines) if positions is None else read_records_at(path, positions)
        self.complete = lines is None  # every line of the file is held here
        self.parsed = self._parse(lines if lines is not None else node_names(map(_query_id, self.records)))

    def _parse(self, names: Mapping[int, str]) -> list[ParsedRecord]:
        parsed: list[ParsedRecord] = []
        for record in self.records:
            if record.obj is None:
                parsed.append(ParsedRecord(record, names[record.line], None, None))
                continue
            result = schema.check_object(record.obj)
            parsed.append(ParsedRecord(record, names[record.line], result, schema.to_entry(record, result)))
        return parsed

    @property
    def entries(self) -> list[Entry]:
        return [p.entry for p in self.parsed if p.entry is not None]

    @cached_property
    def _stored_results(self) -> tuple[str, dict[str, CheckResult]]:
        """The dataset's key in the result cache and what is stored under it (read once)."""
        assert self.cache is not None
        key = dataset_key(content_digest(self.path), self.spec)
        return key, self.cache.get_checks(key)

    def _compute(self, name: str) -> CheckResult:
        """Over every line of the file: those held here, or (in a shard) those read again one at a
        time, lightly when the check reads no more than the entries' identity and metadata."""
        if self.complete:
            records = iter(self.records)
        else:
            records = iter_records(self.path) if name in READS_ENTRIES else iter_light_records(self.path)
        entries = (entry for record in records if (entry := schema.entry_of(record)) is not None)
        return run_dataset_check(name, records, entries, self.spec)

    def dataset_result(self, name: str) -> CheckResult:
        """One dataset-wide check's result, from the result cache or computed (and then stored)."""
        if self.cache is None:
            return self._compute(name)
        key, stored = self._stored_results
        if name not in stored:
            stored[name] = self._compute(name)
            self._computed.add(name)
            self.cache.put_checks(key, {name: stored[name]})
        return stored[name]

    def source(self, name: str) -> Source | None:
        """Where a dataset-wide result came from; None without a result cache."""
        if self.cache is None:
            return None
        return Source.RUN if name in self._computed else Source.CACHE
