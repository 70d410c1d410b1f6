"""The order xdist workers take entries in: the costliest first.

A JVM compile costs seconds where a Python entry costs a tenth of one. When such an entry comes
last, one worker spends the end of the run on it alone while the other idles. Putting the
costly entries first lets the cheap ones fill in behind them. An entry's items stay together
and in their order; entries of equal cost keep their file order. Dataset-wide items come first:
the near-duplicate search grows with the dataset (seconds at 10,000 entries), and run last it
would keep one worker busy while the other has nothing left to take.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import TypeVar

Item = TypeVar("Item")

# Seconds to execute one entry on a cold cache, rounded, from the benchmark (benchmarks/results.md).
# Only the order matters; a language missing here counts as cheap.
COLD_COST = {
    "Kotlin": 8.0,
    "Scala": 5.0,
    "C++": 1.2,
    "Java": 1.0,
    "Haskell": 0.8,
    "Go": 0.5,
    "TypeScript": 0.4,
    "C#": 0.4,
    "Rust": 0.4,
    "Swift": 0.3,
    "Python": 0.2,
    "Ruby": 0.2,
    "PHP": 0.1,
    "JavaScript": 0.1,
    "Perl": 0.1,
    "Bash": 0.1,
    "Lua": 0.1,
}


def costliest_first(items: Sequence[Item], group_of: Callable[[Item], tuple[str, str | None]]) -> list[Item]:
    """`group_of(item)` -> (the entry's key, its language or None for a dataset-wide item)."""
    groups: dict[str, list[Item]] = {}
    cost: dict[str, float] = {}
    for item in items:
        key, language = group_of(item)
        groups.setdefault(key, []).append(item)
        cost[key] = math.inf if language is None else COLD_COST.get(language, 0.0)
    order = sorted(groups, key=lambda key: -cost[key])  # stable: equal costs keep the file order
    return [item for key in order for item in groups[key]]
