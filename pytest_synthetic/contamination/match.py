"""Comparing one entry with an index: which benchmark items its question or code copies."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from pytest_synthetic.contamination.build import SAMPLE_EVERY
from pytest_synthetic.contamination.fingerprints import (
    CODE_WIDTH,
    MIN_QUESTION_GRAMS,
    QUESTION_WIDTH,
    Tokens,
    Word,
    code_shingles,
    code_tokens,
    filled_mask,
    grams,
    sketch_with_origin,
    words,
)
from pytest_synthetic.contamination.index import Index
from pytest_synthetic.contamination.sources import MULTIPLE_WILDCARD

MIN_SHARED_GRAMS = 3  # fewer shared phrases than this is chance, whatever the share
# the MultiPL-E file suffix of each language the plugin knows
_MULTIPLE_CODES = {
    "C++": "cpp", "C#": "cs", "Go": "go", "Java": "java", "JavaScript": "js", "PHP": "php",
    "Ruby": "rb", "Rust": "rs", "Scala": "scala", "Swift": "swift", "TypeScript": "ts",
}  # fmt: skip


@dataclass(frozen=True)
class Match:
    source: str
    item_id: str
    part: str  # "question" or "code"
    similarity: float
    item: int = field(compare=False)  # the item's number in the index (code: its sketch row)
    language: str = field(default="", compare=False)  # the item's, "" when it has none (MultiPL-E)


@dataclass
class Fingerprint:
    """An entry's question and code as the index sees them, computed once for every index."""

    language: str
    words: list[Word]
    question_grams: list[int]
    tokens: Tokens
    shingles: list[int]


def fingerprint(question: str, code: str, language: str) -> Fingerprint:
    found = words(question)
    tokens = code_tokens(code)
    return Fingerprint(language, found, grams([w.text for w in found], QUESTION_WIDTH), tokens, code_shingles(tokens))


def name_for(item_id: str, language: str) -> str:
    """A MultiPL-E id names the translation into the entry's language, when there is one."""
    if MULTIPLE_WILDCARD not in item_id:
        return item_id
    code = _MULTIPLE_CODES.get(language)
    return item_id.replace(f"-{MULTIPLE_WILDCARD}", f"-{code}" if code else "")


def question_matches(index: Index, entry: Fingerprint, threshold: float) -> list[Match]:
    """Items whose question has at least `threshold` of its (kept) 5-word phrases in the entry's."""
    common = index.common[0]
    hashes = {gram for gram in entry.question_grams if gram not in common}
    if len(hashes) < MIN_QUESTION_GRAMS:
        return []
    matches = []
    for item, shared in index.question_hits(hashes).items():
        stored = index.item_grams[item]
        similarity = min(1.0, shared / stored) if stored else 0.0
        if shared >= min(MIN_SHARED_GRAMS, stored) and similarity >= threshold:
            name = name_for(index.ids[item], entry.language)
            matches.append(Match(index.source_of(item), name, "question", similarity, item, index.language_of(item)))
    return matches


def code_matches(index: Index, entry: Fingerprint, threshold: float) -> list[Match]:
    """Sketch rows agreeing with the entry's code in at least `threshold` of the filled bins."""
    if not entry.shingles:
        return []
    sketch, _ = sketch_with_origin(entry.shingles, index.common[1])
    mask = filled_mask(sketch)
    matches = []
    for row, agree in index.code_agreements(sketch).items():
        similarity = agree / (mask | index.code_masks[row]).bit_count()  # over the bins filled in either
        if similarity >= threshold:
            item = index.code_items[row]
            name = name_for(index.ids[item], entry.language)
            matches.append(Match(index.source_of(item), name, "code", similarity, row, index.language_of(item)))
    return matches


def shared_spans(index: Index, entry: Fingerprint, match: Match) -> tuple[tuple[int, int], ...]:
    """Where in the entry's own text (query_text or reference_answer) the shared passages are."""
    if match.part == "question":
        hits = [i for i, gram in enumerate(entry.question_grams) if match.item in index.items_with_gram(gram)]
        found = entry.words
        # sampled phrases leave holes of a few words between the hits of one shared passage
        return _runs([(found[i].start, found[i + QUESTION_WIDTH - 1].end) for i in hits], gap=SAMPLE_EVERY * 8)
    sketch, origin = sketch_with_origin(entry.shingles, index.common[1])
    shared = sorted(origin[slot] for slot, value in enumerate(sketch) if match.item in index.rows_with(slot, value))
    spans = entry.tokens.spans
    return _runs([(spans[i][0], spans[i + CODE_WIDTH - 1][1]) for i in shared], gap=0)


def _runs(spans: Sequence[tuple[int, int]], gap: int) -> tuple[tuple[int, int], ...]:
    """Overlapping (or nearly touching) ranges merged."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1] + gap:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)
