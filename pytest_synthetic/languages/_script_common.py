"""Small helpers shared by the scripting languages' assemblers (Python, JS/TS, Ruby, PHP)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import tree_sitter

from pytest_synthetic.languages.base import Language, NotRunnable


@dataclass(frozen=True)
class Edit:
    """Replace bytes [start, end) of a snippet with text (tree-sitter offsets are bytes)."""

    start: int
    end: int
    text: str


def apply_edits(source: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits; later edits are applied first so offsets stay valid."""
    data = source.encode("utf-8")
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        data = data[: edit.start] + edit.text.encode("utf-8") + data[edit.end :]
    return data.decode("utf-8")


def parse_root(language: Language, code: str) -> tree_sitter.Node:
    # Imported here: the treesitter module imports the language registry, which imports us.
    from pytest_synthetic import treesitter  # noqa: PLC0415

    return treesitter.parse(language, code).root_node


def named_descendants(node: tree_sitter.Node) -> list[tree_sitter.Node]:
    """The node and every named node below it, without recursion (deep trees stay safe)."""
    found, stack = [], [node]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(current.named_children)
    return found


def text(node: tree_sitter.Node | None) -> str:
    return "" if node is None else (node.text or b"").decode("utf-8", errors="replace")


def require_code(language: Language, assertions: str, ignorable: tuple[str, ...] = ()) -> tree_sitter.Node:
    """The parsed assertions, or NotRunnable when they hold nothing but comments."""
    root = parse_root(language, assertions)
    skipped = {"comment", *ignorable}
    if not any(child.type not in skipped for child in root.named_children):
        raise NotRunnable("the assertions contain no code (only comments or blank lines)")
    return root


def top_level(root: tree_sitter.Node, *types: str) -> list[tree_sitter.Node]:
    return [child for child in root.named_children if child.type in types]
