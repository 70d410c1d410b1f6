"""Which entries a shard (`--synthetic-shard K/N`) makes items for.

Every shard reads the whole file once, lightly (identity and language of each line), and makes
the same assignment; it then parses in full only its own lines. The light reading decodes only
the two fields it needs (msgspec still checks the whole line is JSON) and reads a line the way
records.parse_line does whenever it could differ: a line msgspec refuses, or one long or
bracketed enough for parse_line's limits. An entry's identity is its
query_id (its line's bytes when it has none), so editing, adding or removing other entries does
not move it. Each entry prefers the shard its identity hashes to; shards are filled in the order
of those hashes up to a little over their share of the estimated cost (each language's cold_cost), and
an entry whose preferred shard is full takes the next one with room. Entries move only when
their preferred shard is full, and the shards' costs stay within a few percent of each other.
"""

from __future__ import annotations

import functools
import hashlib
import operator
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import msgspec
import pytest

from pytest_synthetic import languages
from pytest_synthetic.collect import NOT_AN_OBJECT, node_names
from pytest_synthetic.records import MAX_DEPTH, MAX_LINE_BYTES, iter_lines, parse_line

SHARD_PATTERN = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")
SLACK = 1.05  # a shard holds up to this much more than its share of the cost
UNKNOWN_COST = 0.05  # a line that is not an entry of a known language: read, not executed


@dataclass(frozen=True)
class Shard:
    index: int  # 1-based
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    @property
    def has_dataset_items(self) -> bool:
        """The dataset-wide items run on the first shard only (computed over every entry)."""
        return self.index == 1


def parse_shard(text: str) -> Shard:
    """`"2/10"` -> Shard(2, 10); ValueError naming the problem otherwise."""
    match = SHARD_PATTERN.match(text)
    if not match:
        raise ValueError(f"shard {text!r}: expected K/N, for example 2/10")
    index, count = int(match[1]), int(match[2])
    if count < 1 or not 1 <= index <= count:
        raise ValueError(f"shard {text!r}: K must be between 1 and N")
    return Shard(index, count)


@dataclass(frozen=True)
class LineSummary:
    line: int
    query_id: object  # the query_id value as written (None when absent); NOT_AN_OBJECT for a bad line
    identity: int  # 64-bit hash of the entry's identity
    cost: float


def _identity_hash(query_id: object, data: bytes) -> int:
    key = f"id:{query_id}".encode() if isinstance(query_id, str) and query_id else b"line:" + data
    return int.from_bytes(hashlib.blake2b(key, digest_size=8).digest(), "big")


class _Light(msgspec.Struct):
    """The fields of an entry the shard assignment reads; a missing one is None, as with dict.get."""

    query_id: object = None
    metadata: object = None


_LIGHT = msgspec.json.Decoder(_Light)


def _light(number: int, data: bytes) -> _Light | None:
    """The line's query_id and metadata; None when it is not a JSON object (as parse_line says)."""
    if len(data) <= MAX_LINE_BYTES and data.count(b"{") + data.count(b"[") <= MAX_DEPTH:
        try:
            return _LIGHT.decode(data)
        except msgspec.DecodeError:
            pass  # parse_line decides, and says the same or finds what msgspec does not accept
    obj = parse_line(number, data).obj
    return None if obj is None else _Light(obj.get("query_id"), obj.get("metadata"))


def _cost(metadata: object) -> float:
    name = metadata.get("language") if isinstance(metadata, dict) else None
    return _language_cost(name) if isinstance(name, str) else UNKNOWN_COST


@functools.lru_cache(maxsize=256)  # a dataset names a handful of languages, in a few spellings
def _language_cost(name: str) -> float:
    language = languages.lookup(name)
    return (language.cold_cost or UNKNOWN_COST) if language else UNKNOWN_COST


def summarize(path: Path) -> Iterator[LineSummary]:
    """Each line's identity and estimated cost; the parsed object is dropped at once."""
    for number, data in iter_lines(path):
        light = _light(number, data)
        if light is None:
            yield LineSummary(number, NOT_AN_OBJECT, _identity_hash(None, data), UNKNOWN_COST)
        else:
            yield LineSummary(number, light.query_id, _identity_hash(light.query_id, data), _cost(light.metadata))


def assign(summaries: Iterable[LineSummary], count: int) -> dict[int, int]:
    """Line number -> 1-based shard, for every line (the file's order does not matter)."""
    ordered = sorted(summaries, key=operator.attrgetter("identity", "line"))
    total = sum(s.cost for s in ordered)
    capacity = SLACK * total / count
    loads = [0.0] * count
    shard_of: dict[int, int] = {}
    for summary in ordered:
        preferred = summary.identity % count
        chosen: int | None = preferred
        if loads[preferred] + summary.cost > capacity:  # full: the next shard with room
            candidates = ((preferred + step) % count for step in range(1, count))
            chosen = next((c for c in candidates if loads[c] + summary.cost <= capacity), None)
        if chosen is None:  # an entry costlier than a share, or rounding at the end: the least loaded
            chosen = loads.index(min(loads))
        loads[chosen] += summary.cost
        shard_of[summary.line] = chosen + 1
    return shard_of


def own_lines(path: Path, shard: Shard) -> dict[int, str]:
    """The shard's lines with their node names: the names an unsharded run gives them, since
    a repeated name is told apart by every line of the file, not only the shard's."""
    summaries = list(summarize(path))
    shard_of = assign(summaries, shard.count)
    names = node_names((s.line, s.query_id) for s in summaries)
    return {line: names[line] for line, index in shard_of.items() if index == shard.index}


SHARD_KEY = pytest.StashKey[Shard]()
SHARD_HELP = "make items only for shard K of N (1 <= K <= N); the dataset-wide items run on shard 1"


def add_option(group: pytest.OptionGroup, parser: pytest.Parser) -> None:
    group.addoption("--synthetic-shard", metavar="K/N", help=SHARD_HELP)
    parser.addini("synthetic_shard", SHARD_HELP)


def configure(config: pytest.Config) -> None:
    """Stash the shard asked for by the command line or the ini file (the command line wins)."""
    text = config.getoption("synthetic_shard") or config.getini("synthetic_shard")
    if not text:
        return
    try:
        config.stash[SHARD_KEY] = parse_shard(str(text))
    except ValueError as exc:
        raise pytest.UsageError(f"--synthetic-shard: {exc}") from None


def configured(config: pytest.Config) -> Shard | None:
    return config.stash.get(SHARD_KEY, None)
