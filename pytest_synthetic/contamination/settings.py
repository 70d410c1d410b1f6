"""What the contamination item compares entries with: options, their ini mirrors, and the indexes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from pytest_synthetic.contamination.index import Index
from pytest_synthetic.contamination.sources import SOURCE_NAMES

# measured on copies of benchmark items and on the shared datasets (README, "Contamination")
QUESTION_THRESHOLD = 0.5  # share of a benchmark question's 5-word phrases found in the entry's question
CODE_THRESHOLD = 0.9  # estimated Jaccard similarity of normalised token 5-grams
NO_SOURCES = "none"


@dataclass(frozen=True)
class ContaminationSettings:
    sources: tuple[str, ...] = SOURCE_NAMES  # shipped sources compared with
    against: tuple[Path, ...] = ()  # the user's own reference files
    text_field: str | None = None  # in those files; None: detected
    code_field: str | None = None
    question_threshold: float = QUESTION_THRESHOLD
    code_threshold: float = CODE_THRESHOLD

    @property
    def active(self) -> bool:
        return bool(self.sources or self.against)

    def indexes(self) -> list[Index]:
        """Loaded on the first call (the first contamination item), never at collection."""
        from pytest_synthetic.contamination import references, shipped  # noqa: PLC0415 (loaded when used)

        found = [shipped.load()] if self.sources else []
        found += [references.load(path, self.text_field, self.code_field) for path in self.against]
        return found


_OPTIONS: tuple[tuple[str, str, str], ...] = (
    (
        "sources",
        "shipped benchmark sources to compare with, comma-separated, or none (default: all of "
        + ", ".join(SOURCE_NAMES)
        + ")",
        "args",
    ),
    ("against", "a JSONL or JSON file of your own references (e.g. a private test set); repeatable", "linelist"),
    (
        "fields",
        "TEXT,CODE: the question and code fields of --synthetic-contamination-against files (default: detected)",
        "args",
    ),
    (
        "question-threshold",
        f"share of a benchmark question's phrases that makes a copy (default {QUESTION_THRESHOLD})",
        "args",
    ),
    ("code-threshold", f"code similarity that makes a copy (default {CODE_THRESHOLD})", "args"),
)


def add_options(group: Any, parser: pytest.Parser) -> None:
    for name, help_text, ini_type in _OPTIONS:
        dest = "synthetic_contamination_" + name.replace("-", "_")
        action = "append" if name == "against" else "store"
        group.addoption(f"--synthetic-contamination-{name}", dest=dest, action=action, metavar="VALUE", help=help_text)
        if ini_type == "linelist":
            parser.addini(dest, help_text, type="linelist")
        else:
            parser.addini(dest, help_text)


def from_config(config: pytest.Config) -> ContaminationSettings:
    def value(name: str) -> Any:
        dest = "synthetic_contamination_" + name
        return config.getoption(dest) or config.getini(dest)

    ini_base = config.inipath.parent if config.inipath else config.rootpath
    against = [config.invocation_params.dir / p for p in config.getoption("synthetic_contamination_against") or []]
    against += [ini_base / p for p in config.getini("synthetic_contamination_against")]
    try:
        return build_settings(
            value("sources"), against, value("fields"), value("question_threshold"), value("code_threshold")
        )
    except ValueError as exc:
        raise pytest.UsageError(f"pytest-synthetic: {exc}") from None


def build_settings(
    sources: str, against: Sequence[Path], fields: str, question: str, code: str
) -> ContaminationSettings:
    for path in against:
        if not path.is_file():
            raise ValueError(f"--synthetic-contamination-against: no such file: {path}")
    text_field, _, code_field = (fields or "").partition(",")
    return ContaminationSettings(
        sources=_sources(sources),
        against=tuple(against),
        text_field=text_field.strip() or None,
        code_field=code_field.strip() or None,
        question_threshold=_share("question-threshold", question, QUESTION_THRESHOLD),
        code_threshold=_share("code-threshold", code, CODE_THRESHOLD),
    )


def _sources(text: str) -> tuple[str, ...]:
    names = [name.strip().lower() for name in (text or "").split(",") if name.strip()]
    if not names:
        return SOURCE_NAMES
    if names == [NO_SOURCES]:
        return ()
    unknown = sorted(set(names) - set(SOURCE_NAMES))
    if unknown:
        raise ValueError(
            f"--synthetic-contamination-sources: unknown {', '.join(unknown)} "
            f"(known: {', '.join(SOURCE_NAMES)}, or {NO_SOURCES})"
        )
    return tuple(name for name in SOURCE_NAMES if name in names)


def _share(name: str, text: str, default: float) -> float:
    if not text:
        return default
    number = float(text)
    if not 0 < number <= 1:
        raise ValueError(f"--synthetic-contamination-{name}: expected a number in (0, 1], got {text}")
    return number
