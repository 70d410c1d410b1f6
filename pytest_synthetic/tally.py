"""Counting item outcomes for the summaries: per check, per language, the verdict.

One place for the rules the terminal summary, the job summary and the kept file share:
an entry whose execution was skipped (a missing toolchain) is "not executed", never "passed".
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pytest_synthetic.report import ItemOutcome

FAILING = frozenset({"failed", "error"})
EXECUTION = "execution"

# what an entry's items add up to
PASSED, NOT_EXECUTED, FAILING_ENTRY = "passed", "not executed", "failing"


def entry_status(items: Iterable[ItemOutcome]) -> str:
    """failing (any item failed), not executed (its execution was skipped) or passed."""
    items = list(items)
    if any(i.outcome in FAILING for i in items):
        return FAILING_ENTRY
    if any(i.check == EXECUTION and i.outcome == "skipped" for i in items):
        return NOT_EXECUTED
    return PASSED


def failing_items(items: Iterable[ItemOutcome]) -> list[ItemOutcome]:
    return [i for i in items if i.outcome in FAILING]


def verdict(items: Iterable[ItemOutcome]) -> str:
    bad = failing_items(items)
    return "PASS" if not bad else f"FAIL ({len(bad)} failing item(s))"


def per_check(items: Iterable[ItemOutcome]) -> dict[str, Counter[str]]:
    """Outcome counts per check, in the order the checks first appear."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for item in items:
        counts[item.check][item.outcome] += 1
    return counts


@dataclass
class LanguageTally:
    passed: int = 0
    not_executed: int = 0
    failing: int = 0

    @property
    def total(self) -> int:
        return self.passed + self.not_executed + self.failing


def per_language(items: Iterable[ItemOutcome]) -> dict[str, LanguageTally]:
    """Entries per language by status, most entries first."""
    entries: dict[tuple[str, int, str], list[ItemOutcome]] = defaultdict(list)
    for item in items:
        if item.language:
            entries[(item.file, item.line, item.language)].append(item)
    tallies: dict[str, LanguageTally] = defaultdict(LanguageTally)
    for (_, _, language), grouped in entries.items():
        tally = tallies[language]
        status = entry_status(grouped)
        if status == PASSED:
            tally.passed += 1
        elif status == NOT_EXECUTED:
            tally.not_executed += 1
        else:
            tally.failing += 1
    return dict(sorted(tallies.items(), key=lambda kv: (-kv[1].total, kv[0])))
