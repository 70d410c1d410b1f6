"""Dataset requirements: sizes, quotas, tolerances and quality thresholds.

Every number has a default (the design's 100-entry mix) and can be set in the ini
file (``synthetic_<name> = value``) or on the command line (``--synthetic-<name>``),
the command line winning. Quotas are written ``Python=40,TypeScript=40,...``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

DIFFICULTIES = ("medium", "advanced", "very_advanced")
OTHER_BUCKET = "other"

DEFAULT_LANGUAGE_QUOTAS: dict[str, int] = {
    "Python": 40,
    "TypeScript": 40,
    "Go": 7,
    "Rust": 3,
    OTHER_BUCKET: 10,
}
DEFAULT_DIFFICULTY_QUOTAS: dict[str, int] = {"medium": 33, "advanced": 34, "very_advanced": 33}


@dataclass(frozen=True)
class DatasetSpec:
    size: int = 100
    size_tolerance: int = 0
    # languages named here have their own bucket; all others count towards "other"
    language_quotas: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_LANGUAGE_QUOTAS))
    language_tolerance: int = 0
    difficulty_quotas: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_DIFFICULTY_QUOTAS))
    difficulty_tolerance: int = 1  # 33/34/33 and 34/33/33 are both an even split
    # duplicates: shingled Jaccard similarity at or above this is a near-duplicate
    near_duplicate_threshold: float = 0.85
    # quality thresholds
    min_question_words: int = 6  # words besides the language and function names
    min_assertion_checks: int = 1  # lines that can fail (assert, throw, panic, comparisons)
    # execution
    timeout_factor: float = 1.0
    typecheck: bool = False  # run tsc --noEmit on TypeScript too
    # strength: minimum share of killed mutants (docs/strength.md: the measured tenth percentile)
    min_mutation_score: float = 0.6

    def scaled(self, size: int) -> DatasetSpec:
        """The same mix for another size (quotas scaled proportionally, remainders spread)."""
        return replace(
            self,
            size=size,
            language_quotas=scale_quotas(self.language_quotas, size),
            difficulty_quotas=scale_quotas(self.difficulty_quotas, size),
        )

    def bucket_of(self, language: str) -> str:
        return language if language in self.language_quotas else OTHER_BUCKET


def scale_quotas(quotas: Mapping[str, int], size: int) -> dict[str, int]:
    """Largest-remainder scaling, deterministic in the order of the quotas."""
    total = sum(quotas.values()) or 1
    exact = {k: v * size / total for k, v in quotas.items()}
    result = {k: int(x) for k, x in exact.items()}
    leftover = size - sum(result.values())
    by_remainder = sorted(quotas, key=lambda k: (-(exact[k] - result[k]), list(quotas).index(k)))
    for key in by_remainder[:leftover]:
        result[key] += 1
    return result


def parse_quotas(text: str) -> dict[str, int]:
    """``"Python=40, TypeScript=40, other=20"`` -> mapping; raises ValueError with the bad part."""
    quotas: dict[str, int] = {}
    for part in filter(None, (p.strip() for p in text.replace(";", ",").split(","))):
        name, sep, number = part.partition("=")
        if not sep or not name.strip() or not number.strip().isdigit():
            raise ValueError(f"bad quota {part!r}: expected NAME=COUNT")
        quotas[name.strip()] = int(number)
    if not quotas:
        raise ValueError("empty quota list")
    return quotas


SETTING_NAMES = tuple(f.name for f in fields(DatasetSpec))


def convert_setting(name: str, value: str) -> Any:
    """Turn the text of one setting into its typed value (ValueError when it does not fit)."""
    kind = {f.name: f.type for f in fields(DatasetSpec)}[name]
    if name.endswith("_quotas"):
        return parse_quotas(value)
    if kind == "bool":
        lowered = value.strip().lower()
        if lowered not in {"1", "0", "true", "false", "yes", "no", "on", "off"}:
            raise ValueError(f"{name}: expected true or false, got {value!r}")
        return lowered in {"1", "true", "yes", "on"}
    if kind == "int":
        return int(value)
    return float(value)


def build_spec(settings: Mapping[str, str]) -> DatasetSpec:
    """A spec from textual settings; only the names given override the defaults."""
    values = {name: convert_setting(name, text) for name, text in settings.items()}
    spec = DatasetSpec(**values)
    if "size" in values:  # quotas not given follow the size; given ones are taken as written
        scaled = spec.scaled(spec.size)
        spec = replace(
            spec,
            language_quotas=spec.language_quotas if "language_quotas" in values else scaled.language_quotas,
            difficulty_quotas=spec.difficulty_quotas if "difficulty_quotas" in values else scaled.difficulty_quotas,
        )
    return spec
