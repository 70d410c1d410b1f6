"""Counting what happened during a run, and the summary printed at the end."""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

# USD per 1M tokens (input, output): list prices when this was written, used only when no
# --input-price/--output-price is given. Prices change; the flags always win.
KNOWN_PRICES: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1": (2.00, 8.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1-nano": (0.10, 0.40),
}


def prices_for(model: str, input_price: float | None, output_price: float | None) -> tuple[float, float] | None:
    if input_price is not None or output_price is not None:
        return (input_price or 0.0, output_price or 0.0)
    return KNOWN_PRICES.get(model)


@dataclass
class Stats:
    """Thread-safe counters shared by the workers."""

    accepted: int = 0
    requests: int = 0
    repairs: int = 0
    api_retries: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    rejections: Counter[str] = field(default_factory=Counter)
    # the same per language of the slot: why a language's slots stay unfilled
    rejections_by_language: defaultdict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    unexecuted: Counter[str] = field(default_factory=Counter)  # accepted without execution, per language
    substitutions: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def reject(self, reasons: Iterable[str], language: str = "") -> None:
        with self._lock:
            self.rejections.update(set(reasons))
            if language:
                self.rejections_by_language[language].update(set(reasons))

    def note_unexecuted(self, language: str) -> None:
        with self._lock:
            self.unexecuted[language] += 1

    def count_reply(self, prompt_tokens: int, completion_tokens: int) -> None:
        with self._lock:
            self.requests += 1
            self.prompt_tokens += prompt_tokens
            self.completion_tokens += completion_tokens

    def count(self, what: str) -> None:
        with self._lock:
            setattr(self, what, getattr(self, what) + 1)

    def note_substitution(self, text: str) -> None:
        with self._lock:
            self.substitutions.append(text)

    @property
    def rejected(self) -> int:
        with self._lock:  # another thread may be updating the counter
            return sum(self.rejections.values())


def summary(
    stats: Stats,
    *,
    target: int,
    in_file: int,
    unfilled: int,
    seconds: float,
    prices: tuple[float, float] | None,
    backend: str,
    unfilled_hint: str = "run the same command again to retry them",
    unfilled_languages: Sequence[str] = (),
) -> str:
    lines = [
        f"accepted {stats.accepted} new entries in {seconds:.1f}s; the file holds {in_file} of {target}",
    ]
    lines.extend(unexecuted_lines(stats))
    if unfilled:
        lines.append(f"{unfilled} slot(s) left unfilled: {unfilled_hint}")
        lines.extend(unfilled_lines(stats, unfilled_languages))
    if stats.rejections:
        reasons = ", ".join(f"{name} {count}" for name, count in stats.rejections.most_common())
        lines.append(f"rejected candidates by failed check: {reasons}")
    else:
        lines.append("no candidate was rejected")
    if backend == "api":
        lines.append(f"requests {stats.requests} (repairs {stats.repairs}), API retries {stats.api_retries}")
        tokens = f"tokens: {stats.prompt_tokens:,} in, {stats.completion_tokens:,} out"
        if prices is not None:
            cost = (stats.prompt_tokens * prices[0] + stats.completion_tokens * prices[1]) / 1_000_000
            tokens += f"; estimated cost ${cost:.4f} (at ${prices[0]}/${prices[1]} per 1M tokens)"
        else:
            tokens += "; cost unknown (pass --input-price and --output-price, USD per 1M tokens)"
        lines.append(tokens)
    if stats.substitutions:
        lines.append(f"{len(stats.substitutions)} slot(s) filled with a substitute:")
        lines.extend(f"  {text}" for text in stats.substitutions)
    return "\n".join(lines)


def unexecuted_lines(stats: Stats) -> list[str]:
    """Entries whose execution was skipped (a toolchain missing here): accepted on the static checks alone."""
    total = sum(stats.unexecuted.values())
    if not total:
        return []
    languages = ", ".join(name if n == 1 else f"{name} ({n})" for name, n in sorted(stats.unexecuted.items()))
    noun = "entry" if total == 1 else "entries"
    return [f"{total} {noun} accepted without execution: {languages}, toolchain missing"]


def by_count(item: tuple[str, int]) -> tuple[int, str]:
    return -item[1], item[0]


def unfilled_lines(stats: Stats, languages: Sequence[str]) -> list[str]:
    """Per language of the unfilled slots: the checks that rejected its candidates, and how often."""
    lines = []
    for language, slots in sorted(Counter(languages).items()):
        rejected = stats.rejections_by_language.get(language)
        why = (
            "candidates rejected by " + ", ".join(f"{name} {n}" for name, n in sorted(rejected.items(), key=by_count))
            if rejected
            else "no candidate was rejected"
        )
        lines.append(f"  {language} {slots}: {why}")
    return lines
