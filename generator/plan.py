"""The plan: which (language, difficulty, category) slots a dataset needs.

The plan is built from the same requirements the plugin checks (``DatasetSpec``), so a
file whose every slot got filled meets the language and difficulty mix by construction.
It depends only on the spec and the seed, which lets a resumed run rebuild it and strike
out the slots the existing entries already fill.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pytest_synthetic import languages
from pytest_synthetic.spec import DIFFICULTIES, OTHER_BUCKET, DatasetSpec

CATEGORIES: tuple[str, ...] = (
    "algorithms",
    "data_structures",
    "strings",
    "math",
    "dynamic_programming",
    "graphs",
    "sorting_searching",
    "recursion_backtracking",
    "bit_manipulation",
    "parsing",
    "geometry",
    "simulation",
)

# The order the "other" bucket is spread over, round-robin.  Languages that the spec
# names with a quota of their own are left out of the rotation.
ROTATION: tuple[str, ...] = (
    "Java",
    "JavaScript",
    "C++",
    "Ruby",
    "Swift",
    "Kotlin",
    "C#",
    "PHP",
    "Scala",
    "Haskell",
    "Python",
    "TypeScript",
    "Go",
    "Rust",
)


@dataclass(frozen=True)
class Slot:
    """One entry the dataset still needs."""

    key: str  # stable label ("S001") used in prompts and to match replies to requests
    language: str  # canonical language name
    bucket: str  # the quota bucket it counts towards: the language itself or "other"
    difficulty: str
    category: str

    def describe(self) -> str:
        return f"{self.language}/{self.difficulty}/{self.category}"


def canonical_buckets(spec: DatasetSpec) -> dict[str, int]:
    """The language quotas with every named language checked against the registry."""
    buckets: dict[str, int] = {}
    for name, count in spec.language_quotas.items():
        if name == OTHER_BUCKET:
            buckets[name] = count
            continue
        language = languages.lookup(name)
        if language is None:
            raise ValueError(f"language_quotas: unknown language {name!r}")
        if language.name != name:
            # The plugin buckets entries by exact name, so an alias here would silently
            # send every entry of that language to "other".
            raise ValueError(f"language_quotas: write {language.name!r}, not {name!r}")
        buckets[name] = count
    return buckets


def other_languages(spec: DatasetSpec) -> list[str]:
    """The languages that count towards the "other" bucket, in rotation order."""
    return [name for name in ROTATION if spec.bucket_of(name) == OTHER_BUCKET]


def _spread(quotas: dict[str, int], total: int) -> list[str]:
    """A sequence of ``total`` keys meeting ``quotas`` with each key spaced out evenly.

    Any contiguous run of the sequence holds the keys in close to their overall
    proportion, so each language block laid over it gets an even difficulty split.
    """
    given = dict.fromkeys(quotas, 0)
    sequence: list[str] = []
    for position in range(1, total + 1):
        key = max(quotas, key=lambda k: (quotas[k] * position / total - given[k], -list(quotas).index(k)))
        given[key] += 1
        sequence.append(key)
    return sequence


def make_plan(spec: DatasetSpec, seed: int = 0) -> list[Slot]:
    """Every slot of a complete dataset, in the order they are worth requesting."""
    buckets = canonical_buckets(spec)
    total = sum(buckets.values())
    difficulty_total = sum(spec.difficulty_quotas.values())
    if total != difficulty_total:
        raise ValueError(f"the language quotas add up to {total} but the difficulty quotas to {difficulty_total}")
    unknown = sorted(set(spec.difficulty_quotas) - set(DIFFICULTIES))
    if unknown:
        raise ValueError(f"difficulty_quotas: unknown difficulty {unknown[0]!r} (use {', '.join(DIFFICULTIES)})")
    rng = random.Random(seed)
    others = other_languages(spec)
    if buckets.get(OTHER_BUCKET) and not others:
        raise ValueError("language_quotas: an 'other' quota but every language has a quota of its own")
    rotation_start = rng.randrange(len(others)) if others else 0

    # Language of each position: one block per bucket; the "other" block spreads its
    # count round-robin and keeps each language together, so each gets its own
    # difficulty spread from the sequence laid over the blocks.
    language_sequence: list[tuple[str, str]] = []
    for bucket, count in buckets.items():
        if bucket != OTHER_BUCKET:
            language_sequence.extend([(bucket, bucket)] * count)
            continue
        order = [others[(rotation_start + i) % len(others)] for i in range(len(others))]
        shares = {name: count // len(order) + (1 if i < count % len(order) else 0) for i, name in enumerate(order)}
        for name in order:
            language_sequence.extend([(name, bucket)] * shares[name])
    difficulty_sequence = _spread({d: n for d, n in spec.difficulty_quotas.items() if n}, total)

    category_offset = {name: rng.randrange(len(CATEGORIES)) for name, _ in language_sequence}
    seen: dict[str, int] = {}
    slots: list[tuple[str, str, str, str]] = []
    for (language, bucket), difficulty in zip(language_sequence, difficulty_sequence, strict=True):
        index = seen.get(language, 0)
        seen[language] = index + 1
        category = CATEGORIES[(category_offset[language] + index) % len(CATEGORIES)]
        slots.append((language, bucket, difficulty, category))
    # Request in mixed order, so an interrupted run already holds a bit of everything.
    rng.shuffle(slots)
    return [
        Slot(key=f"S{number:03d}", language=lang, bucket=bucket, difficulty=diff, category=cat)
        for number, (lang, bucket, diff, cat) in enumerate(slots, start=1)
    ]


def remaining(plan: Sequence[Slot], existing: Iterable[tuple[str, str]], spec: DatasetSpec) -> tuple[list[Slot], int]:
    """The slots still open once the existing (language, difficulty) entries are placed.

    Each existing entry strikes out the best-matching open slot: same language and
    difficulty, else same bucket and difficulty, else same language, else same bucket.
    Returns the open slots (plan order) and how many existing entries fit no slot.
    """
    open_slots = list(plan)
    waiting: list[tuple[str, str, str]] = []
    for raw_language, difficulty in existing:
        found = languages.lookup(raw_language)
        language = found.name if found else raw_language
        waiting.append((language, spec.bucket_of(language), difficulty))

    def fits(slot: Slot, level: int, language: str, bucket: str, difficulty: str) -> bool:
        same_language = slot.language == language if level in (0, 2) else slot.bucket == bucket
        return same_language and (level >= 2 or slot.difficulty == difficulty)

    # Exact matches for every entry first, so a loose match never takes a slot that
    # another entry fits exactly.
    for level in range(4):
        still_waiting = []
        for item in waiting:
            match = next((slot for slot in open_slots if fits(slot, level, *item)), None)
            if match is None:
                still_waiting.append(item)
            else:
                open_slots.remove(match)
        waiting = still_waiting
    surplus = len(waiting)
    return open_slots, surplus


def summarise(slots: Sequence[Slot]) -> str:
    """A small language x difficulty table of the slots, for --dry-run and reports."""
    difficulties = [d for d in DIFFICULTIES if any(s.difficulty == d for s in slots)]
    labels: dict[str, str] = {}
    for slot in slots:
        labels.setdefault(slot.language, slot.language + ("*" if slot.bucket == OTHER_BUCKET else ""))
    order = sorted(labels, key=lambda n: (labels[n].endswith("*"), ROTATION.index(n) if n in ROTATION else 99, n))
    width = max([len("language"), *(len(label) for label in labels.values())])
    header = f"{'language':<{width}}  " + "  ".join(f"{d:>13}" for d in difficulties) + "  total"
    lines = [header]
    for name in order:
        counts = [sum(1 for s in slots if s.language == name and s.difficulty == d) for d in difficulties]
        lines.append(f"{labels[name]:<{width}}  " + "  ".join(f"{c:>13}" for c in counts) + f"  {sum(counts):>5}")
    totals = [sum(1 for s in slots if s.difficulty == d) for d in difficulties]
    lines.append(f"{'total':<{width}}  " + "  ".join(f"{c:>13}" for c in totals) + f"  {len(slots):>5}")
    if any(s.bucket == OTHER_BUCKET for s in slots):
        lines.append("(* counts towards the 'other' bucket)")
    return "\n".join(lines)
