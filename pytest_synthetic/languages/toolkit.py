"""The edit and tree-query toolkit every language's assembly uses.

Tree-sitter gives byte offsets, so edits are byte ranges of the UTF-8 text. Parsing goes through
`pytest_synthetic.treesitter`, whose cache every check shares.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import tree_sitter

if TYPE_CHECKING:  # the language registry imports this module while it loads
    from pytest_synthetic.languages.base import Language


NO_CODE = "the assertions contain no code (only comments or blank lines)"


@dataclass(frozen=True)
class Edit:
    """Replace bytes [start, end) of a snippet with text."""

    start: int
    end: int
    text: str


def apply_edits(source: str | bytes, edits: Iterable[Edit], base: int = 0) -> str:
    """The source with its edits applied; offsets count from `base` (a part cut out of a snippet).

    Edits apply in order of position; one that overlaps an earlier one is dropped (the earlier
    one wins), so two rewrites of the same node can never splice each other's text.
    """
    data = source.encode("utf-8") if isinstance(source, str) else source
    out: list[bytes] = []
    position = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        start, end = edit.start - base, edit.end - base
        if start < position:
            continue
        out.extend((data[position:start], edit.text.encode("utf-8")))
        position = end
    out.append(data[position:])
    return b"".join(out).decode("utf-8", errors="replace")


def parse_root(language: Language, code: str) -> tree_sitter.Node:
    # Imported here: the treesitter module imports the language registry, which imports this one.
    from pytest_synthetic import treesitter  # noqa: PLC0415

    return treesitter.parse(language, code).root_node


def require_code(language: Language, assertions: str, ignorable: tuple[str, ...] = ()) -> tree_sitter.Node:
    """The parsed assertions, or NotRunnable when they hold nothing but comments."""
    from pytest_synthetic.languages.base import NotRunnable  # noqa: PLC0415  (see parse_root)

    root = parse_root(language, assertions)
    if all("comment" in child.type or child.type in ignorable for child in root.named_children):
        raise NotRunnable(NO_CODE)
    return root


def text(node: tree_sitter.Node | None) -> str:
    return "" if node is None else (node.text or b"").decode("utf-8", errors="replace")


def walk(node: tree_sitter.Node) -> Iterator[tree_sitter.Node]:
    """All nodes, depth first, without recursion (deep trees stay safe)."""
    cursor = node.walk()
    while True:
        current = cursor.node
        assert current is not None
        yield current
        if cursor.goto_first_child() or cursor.goto_next_sibling():
            continue
        while True:
            if not cursor.goto_parent():
                return
            if cursor.goto_next_sibling():
                break


def named_descendants(node: tree_sitter.Node) -> list[tree_sitter.Node]:
    """The node and every named node below it, without recursion (deep trees stay safe)."""
    found, stack = [], [node]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(current.named_children)
    return found
