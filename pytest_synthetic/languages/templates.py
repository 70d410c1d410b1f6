"""Stand-ins and preludes: real source files in `standins/`, filled by one placeholder syntax.

Every file there is a program of its own language that its own toolchain checks as it is
(tests/test_standins.py). Two markers, each valid in every language the files are written in:

- `SYNTHETIC_PART_<NAME>` alone in a line comment (`#`, `//`, `--`) starts the part NAME, which
  runs to the next part marker or the end of the file. Text before the first part is the file's
  own header: it documents the file and never reaches a program. A file needs parts when its
  pieces are emitted apart, or when a piece compiles only beside code the program supplies
  (then a part that no program uses stands in for that code).
- `SYNTHETIC_FILL_<NAME>` is replaced by a value. It stands inside a string literal (replaced
  alone), alone in a line comment (the whole line is replaced: the value is whole lines), or
  alone in a block comment, `/*...*/` or `{-...-}` (the comment is replaced).
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

_FOLDER = "standins"
_PART = re.compile(r"^[ \t]*(?:#|//|--)[ \t]*SYNTHETIC_PART_([A-Z0-9_]+)[ \t]*\n", re.MULTILINE)
_FILL = re.compile(
    r"^[ \t]*(?:#|//|--)[ \t]*SYNTHETIC_FILL_(?P<line>[A-Z0-9_]+)[ \t]*\n"
    r"|/\*[ \t]*SYNTHETIC_FILL_(?P<block>[A-Z0-9_]+)[ \t]*\*/"
    r"|\{-[ \t]*SYNTHETIC_FILL_(?P<haskell>[A-Z0-9_]+)[ \t]*-\}"
    r"|SYNTHETIC_FILL_(?P<inline>[A-Z0-9_]+)",
    re.MULTILINE,
)


@cache
def source(file_name: str) -> str:
    """The text of standins/<file_name>, exactly as shipped."""
    return resources.files(__package__).joinpath(_FOLDER).joinpath(file_name).read_text(encoding="utf-8")


@cache
def parts(file_name: str) -> dict[str, str]:
    """The parts of standins/<file_name> by name, each with its marker line left out."""
    text = source(file_name)
    markers = list(_PART.finditer(text))
    if not markers:
        raise ValueError(f"{file_name} has no SYNTHETIC_PART_ marker")
    ends = [marker.start() for marker in markers[1:]] + [len(text)]
    return {marker.group(1): text[marker.end() : end] for marker, end in zip(markers, ends, strict=True)}


def part(file_name: str, name: str) -> str:
    """One part of standins/<file_name>."""
    return parts(file_name)[name]


@cache
def _split(template: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The template's text around its markers (one more piece than markers), and the markers' names."""
    texts, names, start = [], [], 0
    for match in _FILL.finditer(template):
        texts.append(template[start : match.start()])
        names.append(next(name for name in match.groups() if name))
        start = match.end()
    return (*texts, template[start:]), tuple(names)


def placeholders(template: str) -> set[str]:
    """The names of the template's SYNTHETIC_FILL_ markers."""
    return set(_split(template)[1])


def fill(template: str, **values: str) -> str:
    """The template with every marker replaced by its value; each value must fill some marker."""
    texts, names = _split(template)
    if set(names) != set(values):
        raise KeyError(f"markers {sorted(set(names))}, values {sorted(values)}")
    return "".join(text + values[name] for text, name in zip(texts, names, strict=False)) + texts[-1]
