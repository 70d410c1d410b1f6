"""Dataset-wide checks: `size`, `languages`, `difficulties`, `ids`, `duplicates`."""

from __future__ import annotations

import bisect
import contextlib
import gc
import hashlib
import re
import zlib
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any, Generic, NamedTuple, Protocol, TypeVar

from pytest_synthetic import languages
from pytest_synthetic.model import CheckResult, Entry, Finding, failed, from_findings, passed
from pytest_synthetic.records import Record
from pytest_synthetic.spec import OTHER_BUCKET, DatasetSpec

SAFE_ID = re.compile(r"^[A-Za-z0-9_.-]+$")


def _metadata(record: Record) -> Mapping[str, object]:
    meta = (record.obj or {}).get("metadata")
    return meta if isinstance(meta, dict) else {}


def check_size(records: Iterable[Record], spec: DatasetSpec) -> CheckResult:
    count = bad = 0
    for record in records:
        count += record.obj is not None
        bad += record.obj is None
    if abs(count - spec.size) <= spec.size_tolerance:
        return passed("size", count=count)
    extra = f" ({bad} more line(s) are not JSON objects)" if bad else ""
    return failed(
        "size", [Finding(f"{count} entries, expected {spec.size} ± {spec.size_tolerance}{extra}")], count=count
    )


def _quota_findings(what: str, counts: Counter[str], quotas: Mapping[str, int], tolerance: int) -> list[Finding]:
    findings = []
    for bucket in [*quotas, *sorted(set(counts) - set(quotas))]:
        have, want = counts.get(bucket, 0), quotas.get(bucket, 0)
        if abs(have - want) > tolerance:
            findings.append(Finding(f"{what} {bucket}: {have}, expected {want} ± {tolerance}"))
    return findings


def _table(counts: Counter[str], quotas: Mapping[str, int]) -> str:
    order = [*quotas, *sorted(set(counts) - set(quotas))]
    return ", ".join(f"{bucket} {counts.get(bucket, 0)}/{quotas.get(bucket, 0)}" for bucket in order)


def check_languages(records: Iterable[Record], spec: DatasetSpec) -> CheckResult:
    counts: Counter[str] = Counter()
    per_language: Counter[str] = Counter()
    for record in records:
        if record.obj is None:
            continue
        value = _metadata(record).get("language")
        language = languages.lookup(value) if isinstance(value, str) else None
        name = language.name if language else "unknown"
        per_language[name] += 1
        counts[spec.bucket_of(name)] += 1
    findings = _quota_findings("language", counts, spec.language_quotas, spec.language_tolerance)
    table = _table(counts, spec.language_quotas)
    others = ", ".join(f"{n} {c}" for n, c in sorted(per_language.items()) if spec.bucket_of(n) == OTHER_BUCKET)
    reason = f"counts (have/want): {table}" + (f"; {OTHER_BUCKET}: {others}" if others else "")
    result = from_findings("languages", findings, counts=dict(counts))
    return CheckResult(result.check, result.outcome, result.findings, reason, result.details)


def check_difficulties(records: Iterable[Record], spec: DatasetSpec) -> CheckResult:
    counts: Counter[str] = Counter()
    for record in records:
        if record.obj is None:
            continue
        value = _metadata(record).get("difficulty")
        counts[value if isinstance(value, str) else "missing"] += 1
    findings = _quota_findings("difficulty", counts, spec.difficulty_quotas, spec.difficulty_tolerance)
    result = from_findings("difficulties", findings, counts=dict(counts))
    reason = f"counts (have/want): {_table(counts, spec.difficulty_quotas)}"
    return CheckResult(result.check, result.outcome, result.findings, reason, result.details)


def check_ids(records: Iterable[Record]) -> CheckResult:
    lines_by_id: dict[str, list[int]] = defaultdict(list)
    findings = []
    for record in records:
        if record.obj is None:
            continue
        query_id = record.obj.get("query_id")
        if not isinstance(query_id, str) or not query_id:
            findings.append(Finding("entry has no query_id", line=record.line))
            continue
        lines_by_id[query_id].append(record.line)
        if not SAFE_ID.match(query_id):
            findings.append(Finding(f"query_id {query_id!r} has characters outside [A-Za-z0-9_.-]", line=record.line))
    for query_id, lines in lines_by_id.items():
        if len(lines) > 1:
            where = ", ".join(map(str, lines))
            findings.append(
                Finding(f"query_id {query_id!r} is used {len(lines)} times, on lines {where}", line=lines[1])
            )
    return from_findings("ids", findings)


# ---- duplicates -------------------------------------------------------------------------

_WORD = re.compile(r"[A-Za-z0-9]+")
_CODE_TOKEN = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*|\d+|\S")
_TRAILER = re.compile(r"language\s*:.*$", re.IGNORECASE | re.DOTALL)
SKETCH_SIZE = 24  # MinHash bins per entry
BAND_ROWS = 2  # bins per LSH band: 12 bands
COMMON_SHINGLE_SHARE = 0.05  # shingles in more entries than this are boilerplate, not signal
COUNTED_SHINGLES = 1_000_000  # distinct shingles counted at once per language (about 100 MB)


class Named(Protocol):
    """What a duplicate finding names: an Entry, or the little the streaming check keeps of one."""

    @property
    def query_id(self) -> str: ...
    @property
    def line(self) -> int: ...
    @property
    def language(self) -> str: ...


class _Name(NamedTuple):
    query_id: str
    line: int
    language: str


N = TypeVar("N", bound=Named)


@dataclass(frozen=True)
class _Fingerprint(Generic[N]):
    """What the search keeps of an entry: about 8 bytes per shingle, not the entry itself."""

    entry: N
    exact_key: bytes  # digest of the folded question words and code tokens
    shingles: array[int]  # sorted, unique


_MASK = (1 << 64) - 1


def _stable_hash(text: str) -> int:
    """64 bits, the same in every process (str hash is randomised per interpreter, and the
    sketches must not change from run to run); two C checksums cost a third of a blake2b."""
    data = text.encode("utf-8")
    return zlib.crc32(data) << 32 | zlib.adler32(data)


def _question_words(entry: Entry) -> list[str]:
    text = _TRAILER.sub("", entry.query_text).replace(entry.function_name, " ")
    return [w.lower() for w in _WORD.findall(text)]


def _code_tokens(entry: Entry) -> list[str]:
    """Code with every identifier but keywords-like short words folded: renamings do not hide a copy."""
    return ["ID" if tok[0].isalpha() or tok[0] in "_$" else tok for tok in _CODE_TOKEN.findall(entry.reference_answer)]


# Words and code tokens repeat from entry to entry: their hashes are kept across entries
# (a million entries' fingerprints would otherwise spend a third of their time on them).
_TOKEN_HASHES: dict[str, int] = {}
TOKEN_HASHES_KEPT = 200_000


def _shingles(tokens: Sequence[str], width: int, tag: str) -> set[int]:
    """Hashes of every run of `width` tokens: each token is hashed once, and a run's hash is
    that of the tuple of its tokens' hashes (tuples of ints hash the same in every process)."""
    known = _TOKEN_HASHES
    if len(known) > TOKEN_HASHES_KEPT:
        known.clear()
    ids = [known.get(t) or known.setdefault(t, _stable_hash(t)) for t in tokens]
    seed = _stable_hash(tag)
    return {hash((seed, *ids[i : i + width])) & _MASK for i in range(max(len(ids) - width + 1, 1))}


def fingerprint(entry: Entry, owner: N | None = None) -> _Fingerprint[Any]:
    """The entry's fingerprint, naming `owner` (the entry itself by default)."""
    words = _question_words(entry)
    code = _code_tokens(entry)
    exact_key = hashlib.blake2b((" ".join(words) + "\x00" + " ".join(code)).encode(), digest_size=16).digest()
    shingles = array("Q", sorted(_shingles(words, 3, "q:") | _shingles(code, 8, "c:")))
    return _Fingerprint(entry if owner is None else owner, exact_key, shingles)


def jaccard(a: Collection[int], b: Collection[int]) -> float:
    """Of two collections of unique shingles (sets, or the sorted arrays fingerprints keep)."""
    if not a and not b:
        return 1.0
    first = a if isinstance(a, (set, frozenset)) else set(a)
    common = len(first.intersection(b))  # the union's size follows from it: no second set is built
    return common / (len(a) + len(b) - common)


def _could_reach(a: Collection[int], b: Collection[int], threshold: float) -> bool:
    """Jaccard similarity is at most the smaller size over the larger: a cheap exact bound."""
    size_a, size_b = len(a), len(b)
    return min(size_a, size_b) >= threshold * max(size_a, size_b)


# Bin i holds the hashes in [_BOUNDS[i], _BOUNDS[i + 1]): bins by range, so that the minimum of
# every bin is read off the sorted shingles with a bisection instead of a loop over each one.
_BOUNDS = [(slot << 64) // SKETCH_SIZE for slot in range(SKETCH_SIZE + 1)]


def _sketch(informative: Iterable[int]) -> list[tuple[int, int]]:
    """One-permutation MinHash: the smallest hash in each of SKETCH_SIZE bins (by hash range),
    so that bin i of two entries agrees with a probability close to their Jaccard similarity.
    An empty bin borrows the next filled one's value, tagged with the distance (densification)."""
    ordered = sorted(informative)
    if not ordered:
        return []
    smallest: list[int | None] = []
    for slot in range(SKETCH_SIZE):
        at = bisect.bisect_left(ordered, _BOUNDS[slot])
        smallest.append(ordered[at] if at < len(ordered) and ordered[at] < _BOUNDS[slot + 1] else None)
    sketch: list[tuple[int, int]] = []
    for slot, value in enumerate(smallest):
        if value is not None:
            sketch.append((value, 0))
            continue
        distance = next(d for d in range(1, SKETCH_SIZE) if smallest[(slot + d) % SKETCH_SIZE] is not None)
        borrowed = smallest[(slot + distance) % SKETCH_SIZE]
        assert borrowed is not None
        sketch.append((borrowed, distance))
    return sketch


def _common_shingles(prints: Sequence[_Fingerprint[Any]]) -> set[int]:
    """Shingles in more than COMMON_SHINGLE_SHARE of the entries, found exactly in bounded memory.

    A million entries hold a hundred million distinct shingles, too many to count each; see
    _bounded_counts. Its counts lie at most `drops` below the truth, so while drops stay within
    the limit every shingle above the limit is among them, and those that may be are counted
    again exactly. More drops than that (a small share of very varied entries) double the room.
    """
    limit = max(3, int(len(prints) * COMMON_SHINGLE_SHARE))
    room = COUNTED_SHINGLES
    counts, drops = _bounded_counts(prints, room)
    while drops > limit:
        room *= 2
        counts, drops = _bounded_counts(prints, room)
    if drops:
        possible = {h for h, n in counts.items() if n + drops > limit}
        counts = Counter()
        for fp in prints:
            counts.update(possible.intersection(fp.shingles))
    return {h for h, n in counts.items() if n > limit}


def _bounded_counts(prints: Sequence[_Fingerprint[Any]], room: int) -> tuple[Counter[int], int]:
    """Entries per shingle, at most `room` shingles at once (Misra-Gries): when the counts
    outgrow it, every count drops by one and those at zero go. Returns the counts and the drops."""
    counts: Counter[int] = Counter()
    drops = 0
    for fp in prints:
        counts.update(fp.shingles)
        if len(counts) > room:
            counts = Counter({h: n - 1 for h, n in counts.items() if n > 1})
            drops += 1
    return counts, drops


def _band_keys(prints: Sequence[_Fingerprint[Any]], common: set[int]) -> list[array[int] | None]:
    """Per entry, one hash per band of its sketch (None when nothing is left to sketch)."""
    keys: list[array[int] | None] = []
    for fp in prints:
        sketch = _sketch(h for h in fp.shingles if h not in common) if common else _sketch(fp.shingles)
        bands = range(0, len(sketch), BAND_ROWS)
        keys.append(array("q", (hash(tuple(sketch[b : b + BAND_ROWS])) for b in bands)) if sketch else None)
    return keys


def _candidate_pairs(prints: Sequence[_Fingerprint[Any]]) -> set[tuple[int, int]]:
    """Pairs whose sketches agree on all the bins of at least one band (MinHash LSH).

    With bands of BAND_ROWS bins, a pair of similarity J becomes a candidate with probability
    1 - (1 - J^BAND_ROWS)^bands: all but certain at 0.85, 99% at 0.6, rare for unrelated entries.
    Bands are bucketed one at a time, by the hash of their bins, so that only one band's
    buckets are held at once.
    """
    keys = _band_keys(prints, _common_shingles(prints))
    pairs: set[tuple[int, int]] = set()
    for band in range(SKETCH_SIZE // BAND_ROWS):
        first: dict[int, int] = {}
        shared: dict[int, list[int]] = {}
        for index, entry_keys in enumerate(keys):
            if entry_keys is None:
                continue
            seen = first.setdefault(entry_keys[band], index)
            if seen != index:
                shared.setdefault(entry_keys[band], [seen]).append(index)
        for members in shared.values():
            pairs.update(combinations(members, 2))
    return pairs


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Millions of small sets and tuples, none in a cycle: without this the collector rescans
    everything alive again and again while they are built, which grows faster than the input."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def duplicate_pairs(entries: Iterable[Entry], threshold: float) -> list[tuple[Entry, Entry, float]]:
    """(first, second, similarity) for exact and near-duplicate problems within one language."""
    with _no_cycle_collection():
        return _pairs((fingerprint(entry) for entry in entries), threshold)


def _pairs(prints: Iterable[_Fingerprint[N]], threshold: float) -> list[tuple[N, N, float]]:
    by_language: dict[str, list[_Fingerprint[N]]] = defaultdict(list)
    for fp in prints:
        by_language[fp.entry.language].append(fp)
    found = []
    for language in sorted(by_language):
        prints_of_language = by_language.pop(language)  # released once searched
        found.extend(_pairs_of_language(prints_of_language, threshold))
    return sorted(found, key=lambda t: (t[0].line, t[1].line))


def _pairs_of_language(prints: list[_Fingerprint[N]], threshold: float) -> list[tuple[N, N, float]]:
    found = []
    exact: dict[bytes, _Fingerprint[N]] = {}
    for fp in prints:
        if fp.exact_key in exact:
            found.append((exact[fp.exact_key].entry, fp.entry, 1.0))
        else:
            exact[fp.exact_key] = fp
    del exact
    for i, j in sorted(_candidate_pairs(prints)):  # in index order: neighbours in memory
        a, b = prints[i], prints[j]
        if a.exact_key == b.exact_key or not _could_reach(a.shingles, b.shingles, threshold):
            continue
        similarity = jaccard(a.shingles, b.shingles)
        if similarity >= threshold:
            found.append((a.entry, b.entry, similarity))
    return found


def check_duplicates(entries: Iterable[Entry], spec: DatasetSpec) -> CheckResult:
    """Streams the entries: each is dropped once fingerprinted, and only its name is kept."""
    with _no_cycle_collection():
        prints = (fingerprint(e, _Name(e.query_id, e.line, e.language)) for e in entries)
        pairs = _pairs(prints, spec.near_duplicate_threshold)
    findings = [
        Finding(
            f"{a.query_id} (line {a.line}) and {b.query_id} (line {b.line}) "
            + ("are the same problem" if sim >= 1.0 else f"are near-duplicates, similarity {sim:.2f}")
            + f" ({a.language})"
        )
        for a, b, sim in pairs
    ]
    return from_findings("duplicates", findings, pairs=len(pairs))


# Each dataset-wide item computes only its own check: the duplicates search is the costly one,
# and under xdist the items may land on different workers.
_DATASET_CHECKS: dict[str, Callable[[Iterable[Record], Iterable[Entry], DatasetSpec], CheckResult]] = {
    "size": lambda records, entries, spec: check_size(records, spec),
    "languages": lambda records, entries, spec: check_languages(records, spec),
    "difficulties": lambda records, entries, spec: check_difficulties(records, spec),
    "ids": lambda records, entries, spec: check_ids(records),
    "duplicates": lambda records, entries, spec: check_duplicates(entries, spec),
}
DATASET_CHECKS = tuple(_DATASET_CHECKS)
READS_ENTRIES = frozenset({"duplicates"})  # the other dataset-wide checks read only records.LIGHT_FIELDS


def run_dataset_check(name: str, records: Iterable[Record], entries: Iterable[Entry], spec: DatasetSpec) -> CheckResult:
    """`records` and `entries` may be one pass over the file each: a check reads only one of them."""
    return _DATASET_CHECKS[name](records, entries, spec)
