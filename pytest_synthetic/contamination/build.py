"""Building an index from benchmark items: the shipped one and a user's own references."""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pytest_synthetic.contamination.fingerprints import (
    MIN_QUESTION_GRAMS,
    code_shingles,
    code_tokens,
    filled_mask,
    question_grams,
    sketch,
)
from pytest_synthetic.contamination.index import Index, bin_keys
from pytest_synthetic.contamination.sources import BenchmarkItem

SAMPLE_ABOVE = 48  # a question with more n-grams keeps one in SAMPLE_EVERY of them (by hash)
SAMPLE_EVERY = 4


def sampled(grams: set[int]) -> set[int]:
    """A long question keeps the n-grams whose hash is a multiple of SAMPLE_EVERY: the share of
    them an entry holds estimates the share of all of them, at a quarter of the size."""
    if len(grams) <= SAMPLE_ABOVE:
        return grams
    return {gram for gram in grams if gram % SAMPLE_EVERY == 0}


# a phrase or shingle in more items than this share is boilerplate ("write a function to",
# "for i in range("), not evidence: left out on both sides of a comparison
COMMON_SHARE = 0.01
MIN_COMMON_ITEMS = 20


@dataclass
class _Item:
    source: int
    language: str
    grams: set[int] = field(default_factory=set)
    variants: list[set[int]] = field(default_factory=list)  # each translation's own question n-grams
    shingles: list[frozenset[int]] = field(default_factory=list)


def build_index(sources: Iterable[tuple[dict[str, Any], Iterable[BenchmarkItem]]]) -> Index:
    """One index over every source's items; items sharing an id share one entry (the
    translations of a MultiPL-E problem). Items too short to prove a copy are left out."""
    index = Index()
    items: dict[str, _Item] = {}
    for position, (meta, found) in enumerate(sources):
        index.sources.append(meta)
        for benchmark_item in found:
            item = items.setdefault(benchmark_item.item_id, _Item(position, benchmark_item.language))
            grams = set(question_grams(benchmark_item.question))
            if len(grams) >= MIN_QUESTION_GRAMS:
                item.grams |= grams
                item.variants.append(grams)
            shingles = frozenset(code_shingles(code_tokens(benchmark_item.code)))
            if shingles and shingles not in item.shingles:
                item.shingles.append(shingles)
    kept = {key: item for key, item in items.items() if item.grams or item.shingles}
    index.common_grams = _common(item.grams for item in kept.values())
    index.common_shingles = _common(shingles for item in kept.values() for shingles in item.shingles)
    _fill(index, kept)
    return index


def _common(sets: Iterable[set[int] | frozenset[int]]) -> array[int]:
    counts: Counter[int] = Counter()
    total = 0
    for found in sets:
        counts.update(found)
        total += 1
    limit = max(MIN_COMMON_ITEMS, int(total * COMMON_SHARE))
    return array("I", sorted(value for value, count in counts.items() if count > limit))


def _fill(index: Index, items: dict[str, _Item]) -> None:
    postings: list[tuple[int, int]] = []
    sketches: list[tuple[int, ...]] = []
    common_grams, common_shingles = set(index.common_grams), set(index.common_shingles)
    for number, (item_id, item) in enumerate(items.items()):
        index.ids.append(item_id)
        index.item_source.append(item.source)
        if item.language not in index.languages:
            index.languages.append(item.language)
        index.item_language.append(index.languages.index(item.language))
        kept = sampled(item.grams - common_grams)
        # a copy holds one translation's phrases, not the union of all of them
        sizes = sorted(len(variant & kept) for variant in item.variants) or [0]
        index.item_grams.append(sizes[len(sizes) // 2])
        postings.extend((gram, number) for gram in kept)
        own: set[tuple[int, ...]] = set()
        for shingles in item.shingles:
            code_sketch = sketch(shingles, common_shingles)
            if filled_mask(code_sketch) and code_sketch not in own:
                own.add(code_sketch)
                sketches.append(code_sketch)
                index.code_items.append(number)
                index.code_masks.append(filled_mask(code_sketch))
    postings.sort()
    index.gram_hashes.extend(gram for gram, _ in postings)
    index.gram_items.extend(number for _, number in postings)
    index.bin_offsets, index.bin_keys = bin_keys(sketches)
