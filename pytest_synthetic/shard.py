"""Which entries a shard (`--synthetic-shard K/N`) makes items for.

Every shard reads the whole file once, lightly (records.read_identity decodes only each line's
query_id and language; a large file in parts, one per processor, forked.map_parts), and makes
the same assignment; it then parses in full only its own lines. An entry's identity is its
query_id (its line's bytes when it has none), so editing, adding or removing other entries does
not move it. Each entry prefers the shard its identity hashes to; shards are filled in the order
of those hashes up to a little over their share of the estimated cost (each language's
cold_cost), and an entry whose preferred shard is full takes the next one with room. Entries
move only when their preferred shard is full, and the shards' costs stay within a few percent of
each other.
"""

from __future__ import annotations

import functools
import hashlib
import operator
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pytest

from pytest_synthetic import forked, languages
from pytest_synthetic.collect import asked_name, unique_names
from pytest_synthetic.records import count_lines_before, iter_lines_between, read_identity

SHARD_PATTERN = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")
SLACK = 1.05  # a shard holds up to this much more than its share of the cost
UNKNOWN_COST = 0.05  # a line that is not an entry of a known language: read, not executed
# CPU seconds per line of the dataset-wide items, which shard 1 runs besides its entries
# (fingerprinting for duplicates dominates: about 27 s per 100,000 entries, docs/scaling.md)
DATASET_COST_PER_LINE = 0.0003
MIN_PART_BYTES = 8 << 20  # a smaller part costs more to fork for and send back than it saves


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


# A line as the assignment sees it: (identity, line, the name it asks for, cost). The identity is
# a 64-bit hash; the name is collect.asked_name's (None for a line that is not an object). A bare
# tuple: one is made for every line of the file, and a NamedTuple takes longer to make.
LineSummary = tuple[int, int, str | None, float]


_identity_of = operator.itemgetter(0)  # a LineSummary's fields
_line_of = operator.itemgetter(1)
_asked_of = operator.itemgetter(2)


def _identity_hash(query_id: object, data: bytes) -> int:
    if isinstance(query_id, str) and query_id:  # JSON allows a lone surrogate ("\ud800") in it
        key = b"id:" + query_id.encode("utf-8", "surrogatepass")
    else:
        key = b"line:" + data
    return int.from_bytes(hashlib.blake2b(key, digest_size=8).digest(), "big")


def _cost(language: object) -> float:
    return _language_cost(language) if isinstance(language, str) else UNKNOWN_COST


@functools.lru_cache(maxsize=256)  # a dataset names a handful of languages, in a few spellings
def _language_cost(name: str) -> float:
    language = languages.lookup(name)
    return (language.cold_cost or UNKNOWN_COST) if language else UNKNOWN_COST


def _summaries(lines: Iterable[tuple[int, bytes]]) -> list[LineSummary]:
    summaries: list[LineSummary] = []
    for number, data in lines:  # once per line of the file: kept lean
        found = read_identity(number, data)
        if found is None:
            summaries.append((_identity_hash(None, data), number, None, UNKNOWN_COST))
        else:
            query_id, language = found
            asked = asked_name(number, query_id)
            summaries.append((_identity_hash(query_id, data), number, asked, _cost(language)))
    return summaries


# A part of the file: (path, first byte, end byte, number of its first line).
FilePart = tuple[Path, int, int, int]


def _parts(path: Path) -> list[FilePart]:
    """The file cut at line starts into one part per processor, none under MIN_PART_BYTES."""
    size = path.stat().st_size
    count = max(1, min(forked.processors(), size // MIN_PART_BYTES))
    cuts = [0]
    with path.open("rb") as stream:
        for index in range(1, count):
            stream.seek(max(size * index // count - 1, cuts[-1]))
            stream.readline()  # to the start of the next line
            cuts.append(stream.tell())
    cuts = sorted({*cuts, size})
    firsts = count_lines_before(path, cuts[:-1])
    return [(path, start, end, first + 1) for start, end, first in zip(cuts[:-1], cuts[1:], firsts, strict=True)]


def _summarize_part(part: FilePart) -> tuple[list[LineSummary], dict[int, int]]:
    positions: dict[int, int] = {}
    return _summaries(iter_lines_between(*part, positions=positions)), positions


def summarize(path: Path) -> tuple[list[LineSummary], dict[int, int]]:
    """Each line's identity and estimated cost, from its query_id and language alone, in line
    order, and where each line starts in the file. A large file's parts are read in parallel."""
    summaries: list[LineSummary] = []
    positions: dict[int, int] = {}
    for part_summaries, part_positions in forked.map_parts(_summarize_part, _parts(path)):
        summaries += part_summaries
        positions.update(part_positions)
    return summaries, positions


def assign(summaries: Iterable[LineSummary], count: int) -> dict[int, int]:
    """Line number -> 1-based shard, for every line given in line order, as summarize gives them
    (the file's order does not matter). Shard 1 starts with the estimated cost of the
    dataset-wide items it runs."""
    # by identity, then line: the sort is stable, and comparing bare ints is fastest
    ordered = sorted(summaries, key=_identity_of)
    dataset_wide = DATASET_COST_PER_LINE * len(ordered)  # shard 1's, counted before any entry
    capacity = SLACK * (sum(cost for _, _, _, cost in ordered) + dataset_wide) / count
    loads = [dataset_wide] + [0.0] * (count - 1)
    shard_of: dict[int, int] = {}
    for identity, line, _, cost in ordered:  # unpacked: this loop runs once per line of the file
        preferred = identity % count
        chosen: int | None = preferred
        if loads[preferred] + cost > capacity:  # full: the next shard with room
            candidates = ((preferred + step) % count for step in range(1, count))
            chosen = next((c for c in candidates if loads[c] + cost <= capacity), None)
        if chosen is None:  # an entry costlier than a share, or rounding at the end: the least loaded
            chosen = loads.index(min(loads))
        loads[chosen] += cost
        shard_of[line] = chosen + 1
    return shard_of


class OwnLines(NamedTuple):
    names: dict[int, str]  # line -> node name
    positions: dict[int, int]  # line -> where it starts in the file


def own_lines(path: Path, shard: Shard) -> OwnLines:
    """The shard's lines with their node names and where they start. The names are those an
    unsharded run gives them, since a repeated name is told apart by every line of the file."""
    summaries, positions = summarize(path)
    shard_of = assign(summaries, shard.count)
    own = [line for line, index in shard_of.items() if index == shard.index]
    names = unique_names(list(map(_line_of, summaries)), list(map(_asked_of, summaries)), own)
    return OwnLines(names, {line: positions[line] for line in own})


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
