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

from pytest_synthetic import languages

Item = TypeVar("Item")


def _cold_cost(name: str) -> float:
    """A language's cold cost (seconds to execute one entry, from benchmarks/results.md); an
    unknown one counts as cheap."""
    language = languages.lookup(name)
    return language.cold_cost if language is not None else 0.0


def costliest_first(items: Sequence[Item], group_of: Callable[[Item], tuple[str, str | None]]) -> list[Item]:
    """`group_of(item)` -> (the entry's key, its language or None for a dataset-wide item)."""
    groups: dict[str, list[Item]] = {}
    cost: dict[str, float] = {}
    for item in items:
        key, language = group_of(item)
        groups.setdefault(key, []).append(item)
        cost[key] = math.inf if language is None else _cold_cost(language)
    order = sorted(groups, key=lambda key: -cost[key])  # stable: equal costs keep the file order
    return [item for key in order for item in groups[key]]
