"""The language registry: canonical names, aliases and their modules."""

from __future__ import annotations

import importlib
import re

from pytest_synthetic.languages.base import Language

# Each language is the folder of that key, holding LANGUAGE; in this order in listings.
KEYS = (
    *("python", "typescript", "javascript", "go", "rust", "java", "cpp", "ruby", "php"),
    *("kotlin", "scala", "haskell", "csharp", "swift", "bash", "lua", "perl"),
)
ALL: tuple[Language, ...] = tuple(importlib.import_module(f"{__name__}.{key}").LANGUAGE for key in KEYS)
_BY_ALIAS: dict[str, Language] = {}
for _language in ALL:
    for _alias in (_language.name, _language.key, *_language.aliases):
        _BY_ALIAS[_alias.lower()] = _language


def _normalise(name: str) -> str:
    return re.sub(r"\s+", " ", name.strip().lower())


def lookup(name: str) -> Language | None:
    """The language for a metadata value, tolerant of case, spacing and common aliases."""
    key = _normalise(name)
    return _BY_ALIAS.get(key) or _BY_ALIAS.get(key.replace(" ", ""))


def by_name(name: str) -> Language:
    """The language with this canonical name (KeyError if unknown)."""
    language = lookup(name)
    if language is None:
        raise KeyError(name)
    return language


__all__ = ["ALL", "Language", "by_name", "lookup"]
