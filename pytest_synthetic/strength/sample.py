"""A deterministic, spread-out subset of the mutants: every run of the same entry picks the same."""

from __future__ import annotations

import hashlib
import random
from collections import defaultdict

from pytest_synthetic.strength.mutants import KINDS, Mutant


def seed_of(*parts: str) -> int:
    """A seed from the entry's content (str hash is randomised per process; xdist workers differ)."""
    digest = hashlib.blake2b("\x00".join(parts).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def choose(mutants: list[Mutant], cap: int, seed: int) -> list[Mutant]:
    """At most `cap` mutants, spread over the operator kinds (round robin) and, within a kind,
    over the source (evenly spaced positions with a seeded offset). Returned in source order."""
    if len(mutants) <= cap:
        return list(mutants)
    rng = random.Random(seed)
    by_kind: dict[str, list[Mutant]] = defaultdict(list)
    for mutant in mutants:
        by_kind[mutant.kind].append(mutant)
    kinds = [kind for kind in KINDS if kind in by_kind]
    rng.shuffle(kinds)  # which kinds get the odd extra slot
    quota = dict.fromkeys(kinds, 0)
    remaining = cap
    while remaining:
        for kind in kinds:
            if remaining and quota[kind] < len(by_kind[kind]):
                quota[kind] += 1
                remaining -= 1
    chosen: list[Mutant] = []
    for kind in kinds:
        group = sorted(by_kind[kind], key=lambda m: m.position)
        step = len(group) / quota[kind] if quota[kind] else 0
        offset = rng.random() * step
        chosen.extend(group[min(int(offset + i * step), len(group) - 1)] for i in range(quota[kind]))
    return sorted(chosen, key=lambda m: (m.position, KINDS.index(m.kind)))
