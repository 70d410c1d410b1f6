"""Scala: names, grammar, and how an entry becomes a runnable program."""

from __future__ import annotations

import tree_sitter_scala

from pytest_synthetic.languages.base import Language

LANGUAGE = Language(
    name='Scala',
    key='scala',
    aliases=(),
    grammar=tree_sitter_scala.language,
    line_comment='//',
    definitions_query="""
(function_definition name: (identifier) @name)
(object_definition name: (identifier) @name)
(class_definition name: (identifier) @name)
""",
)
