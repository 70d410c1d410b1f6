"""Kotlin: names, grammar, and how an entry becomes a runnable program."""

from __future__ import annotations

import tree_sitter_kotlin

from pytest_synthetic.languages.base import Language

LANGUAGE = Language(
    name='Kotlin',
    key='kotlin',
    aliases=('kt',),
    grammar=tree_sitter_kotlin.language,
    line_comment='//',
    definitions_query="""
(function_declaration name: (identifier) @name)
(class_declaration name: (identifier) @name)
(object_declaration name: (identifier) @name)
""",
)
