"""Swift: names, grammar, and how an entry becomes a runnable program."""

from __future__ import annotations

import tree_sitter_swift

from pytest_synthetic.languages.base import Language

LANGUAGE = Language(
    name='Swift',
    key='swift',
    aliases=(),
    grammar=tree_sitter_swift.language,
    line_comment='//',
    definitions_query="""
(function_declaration name: (simple_identifier) @name)
(class_declaration name: (type_identifier) @name)
""",
)
