"""The contamination index: what is stored, how it is written and read, and how it is searched.

It holds no benchmark text: 32-bit hashes of question n-grams, MinHash sketches of code, item
ids, and each source's name, version and license notice. Arrays are little-endian and sorted,
so the same items give the same bytes, and loading is a decompression and a few copies.
"""

from __future__ import annotations

import functools
import json
import struct
import sys
import zlib
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pytest_synthetic.contamination.fingerprints import EMPTY_BIN, SKETCH_BINS

MAGIC = b"SYNTHCONT1"
_TYPECODES = {
    "item_source": "H",
    "item_language": "B",
    "item_grams": "I",
    "gram_hashes": "I",
    "gram_items": "I",
    "code_items": "I",
    "code_masks": "Q",
    "bin_offsets": "I",
    "bin_keys": "I",
    "common_grams": "I",
    "common_shingles": "I",
}
_ARRAYS = tuple(_TYPECODES)


def _array(typecode: str, values: Sequence[int] = ()) -> array[int]:
    return array(typecode, values)


@dataclass
class Index:
    """Items are numbered; questions map n-gram hashes to items, code rows map to items too."""

    sources: list[dict[str, Any]] = field(default_factory=list)  # name, title, version, notice, license
    ids: list[str] = field(default_factory=list)
    item_source: array[int] = field(default_factory=lambda: _array("H"))  # position in `sources`
    languages: list[str] = field(default_factory=lambda: [""])  # of items' code and question
    item_language: array[int] = field(default_factory=lambda: _array("B"))  # position in `languages`
    item_grams: array[int] = field(default_factory=lambda: _array("I"))  # question n-grams kept per item
    gram_hashes: array[int] = field(default_factory=lambda: _array("I"))  # sorted
    gram_items: array[int] = field(default_factory=lambda: _array("I"))  # the item of each hash above
    code_items: array[int] = field(default_factory=lambda: _array("I"))  # the item of each sketch row
    code_masks: array[int] = field(default_factory=lambda: _array("Q"))  # per row, bit i: bin i is filled
    # the rows holding each value of a bin: (value << 16 | row), sorted, bin after bin
    bin_offsets: array[int] = field(default_factory=lambda: _array("I", [0] * (SKETCH_BINS + 1)))
    bin_keys: array[int] = field(default_factory=lambda: _array("I"))
    # phrases and shingles too common to be evidence (sorted): left out of entries' fingerprints too
    common_grams: array[int] = field(default_factory=lambda: _array("I"))
    common_shingles: array[int] = field(default_factory=lambda: _array("I"))

    def to_bytes(self) -> bytes:
        header = json.dumps(
            {"sources": self.sources, "ids": self.ids, "languages": self.languages}, sort_keys=True, ensure_ascii=False
        )
        parts = [header.encode("utf-8")]
        for name in _ARRAYS:
            values = getattr(self, name)
            if sys.byteorder == "big":
                values = array(values.typecode, values)
                values.byteswap()
            parts.append(values.tobytes())
        body = b"".join(struct.pack("<Q", len(part)) + part for part in parts)
        return MAGIC + zlib.compress(body, 9)

    @classmethod
    def from_bytes(cls, data: bytes) -> Index:
        if not data.startswith(MAGIC):
            raise ValueError("not a contamination index")
        body = memoryview(zlib.decompress(data[len(MAGIC) :]))
        parts, at = [], 0
        while at < len(body):
            (size,) = struct.unpack_from("<Q", body, at)
            parts.append(body[at + 8 : at + 8 + size])
            at += 8 + size
        header = json.loads(bytes(parts[0]).decode("utf-8"))
        index = cls(sources=header["sources"], ids=header["ids"], languages=header["languages"])
        for name, part in zip(_ARRAYS, parts[1:], strict=True):
            values = array(_TYPECODES[name])
            values.frombytes(part)
            if sys.byteorder == "big":
                values.byteswap()
            setattr(index, name, values)
        return index

    @functools.cached_property
    def common(self) -> tuple[frozenset[int], frozenset[int]]:
        """The common phrases and shingles, as sets."""
        return frozenset(self.common_grams), frozenset(self.common_shingles)

    def language_of(self, item: int) -> str:
        return self.languages[self.item_language[item]]

    def source_of(self, item: int) -> str:
        return str(self.sources[self.item_source[item]]["name"])

    def items_with_gram(self, gram: int) -> array[int]:
        low = bisect_left(self.gram_hashes, gram)
        return self.gram_items[low : bisect_right(self.gram_hashes, gram, low)]

    def question_hits(self, grams: set[int]) -> Counter[int]:
        """Per item, how many of these n-gram hashes its question holds."""
        hits: Counter[int] = Counter()
        for gram in grams:
            hits.update(self.items_with_gram(gram))
        return hits

    def rows_with(self, slot: int, value: int) -> list[int]:
        """The code sketch rows whose bin `slot` holds `value`."""
        keys, offsets = self.bin_keys, self.bin_offsets
        low = bisect_left(keys, value << 16, offsets[slot], offsets[slot + 1])
        high = bisect_left(keys, (value + 1) << 16, low, offsets[slot + 1])
        return [key & 0xFFFF for key in keys[low:high]]

    def code_agreements(self, sketch: Sequence[int]) -> Counter[int]:
        """Per sketch row, in how many bins it holds the same value as this sketch."""
        agree: Counter[int] = Counter()
        for slot, value in enumerate(sketch):
            if value != EMPTY_BIN:
                agree.update(self.rows_with(slot, value))
        return agree


def bin_keys(sketches: Sequence[Sequence[int]]) -> tuple[array[int], array[int]]:
    """The offsets of each bin's keys and the sorted (value, row) keys of the filled bins."""
    if len(sketches) >= 1 << 16:
        raise ValueError(f"{len(sketches)} code sketches: rows are numbered in 16 bits")
    offsets, keys = _array("I", [0]), _array("I")
    for slot in range(SKETCH_BINS):
        keys.extend(sorted((s[slot] << 16) | row for row, s in enumerate(sketches) if s[slot] != EMPTY_BIN))
        offsets.append(len(keys))
    return offsets, keys
