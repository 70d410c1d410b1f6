"""Rust: names, grammar, and how an entry becomes a runnable program."""

from __future__ import annotations

import tree_sitter_rust

from pytest_synthetic.languages.base import Language

LANGUAGE = Language(
    name='Rust',
    key='rust',
    aliases=('rs',),
    grammar=tree_sitter_rust.language,
    line_comment='//',
    definitions_query="""
(function_item name: (identifier) @name)
(struct_item name: (type_identifier) @name)
(enum_item name: (type_identifier) @name)
(trait_item name: (type_identifier) @name)
""",
)
