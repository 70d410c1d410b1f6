"""PHP: names, grammar, and how an entry becomes a runnable program."""

from __future__ import annotations

import tree_sitter_php

from pytest_synthetic.languages.base import Language

LANGUAGE = Language(
    name='PHP',
    key='php',
    aliases=(),
    grammar=tree_sitter_php.language_php,
    line_comment='//',
    definitions_query="""
(function_definition name: (name) @name)
(method_declaration name: (name) @name)
(class_declaration name: (name) @name)
""",
)
