"""What the scripting languages share before assembly: assertions that hold code."""

from __future__ import annotations

import tree_sitter

from pytest_synthetic.languages.base import Language, NotRunnable
from pytest_synthetic.languages.toolkit import parse_root


def require_code(language: Language, assertions: str, ignorable: tuple[str, ...] = ()) -> tree_sitter.Node:
    """The parsed assertions, or NotRunnable when they hold nothing but comments."""
    root = parse_root(language, assertions)
    skipped = {"comment", *ignorable}
    if not any(child.type not in skipped for child in root.named_children):
        raise NotRunnable("the assertions contain no code (only comments or blank lines)")
    return root
