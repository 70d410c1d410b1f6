"""Finding entry objects in a model's reply, however it was wrapped.

Models asked for bare JSON still answer with code fences, a sentence before or after,
several objects one after the other, a top-level list, or ``{"entries": [...]}``. This
module finds every JSON value in the text and keeps the objects that look like entries.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

# strict=False accepts raw newlines and tabs inside strings, a common slip in code fields.
_DECODER = json.JSONDecoder(strict=False)
_FENCE = re.compile(r"```[A-Za-z0-9_-]*[ \t]*\n(.*?)```", re.DOTALL)
_ENTRY_KEYS = frozenset({"query_text", "reference_answer", "assertions"})
_CONTAINER_KEYS = ("entries", "entry", "challenges", "items", "data")


@dataclass(frozen=True)
class Parsed:
    entries: list[dict[str, Any]]
    error: str | None  # why nothing usable was found (None when entries were found)


def _looks_like_entry(value: object) -> bool:
    return isinstance(value, dict) and bool(_ENTRY_KEYS & value.keys())


def _flatten(value: object, into: list[dict[str, Any]]) -> None:
    if _looks_like_entry(value):
        assert isinstance(value, dict)
        into.append(value)
    elif isinstance(value, list):
        for item in value:
            _flatten(item, into)
    elif isinstance(value, dict):
        for key in _CONTAINER_KEYS:
            if key in value:
                _flatten(value[key], into)


def _scan(text: str) -> tuple[list[object], str | None]:
    """Every top-level JSON object or array embedded in the text, left to right."""
    values: list[object] = []
    first_error: str | None = None
    position = 0
    while True:
        starts = [i for i in (text.find("{", position), text.find("[", position)) if i >= 0]
        if not starts:
            break
        start = min(starts)
        try:
            value, end = _DECODER.raw_decode(text, start)
        except json.JSONDecodeError as error:
            if first_error is None:
                first_error = f"{error.msg} at line {error.lineno} column {error.colno}"
            position = start + 1
            continue
        values.append(value)
        position = end
    return values, first_error


def extract_entries(text: str) -> Parsed:
    """The entry-like objects in a reply, in order; never raises."""
    stripped = text.strip()
    if not stripped:
        return Parsed([], "the reply was empty")
    entries: list[dict[str, Any]] = []
    try:
        _flatten(_DECODER.decode(stripped), entries)
    except json.JSONDecodeError:
        pass
    else:
        if entries:
            return Parsed(entries, None)
    # Fenced blocks first: prose around them may hold stray braces.
    blocks = _FENCE.findall(text) or [text]
    error: str | None = None
    for block in blocks:
        values, block_error = _scan(block)
        error = error or block_error
        for value in values:
            _flatten(value, entries)
    if entries:
        return Parsed(entries, None)
    if error:
        return Parsed([], f"the reply is not valid JSON: {error}")
    return Parsed([], "the reply holds no JSON object with query_text, reference_answer and assertions")
