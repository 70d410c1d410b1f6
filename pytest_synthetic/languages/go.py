"""Go: names, grammar, and how an entry becomes a runnable program."""

from __future__ import annotations

import tree_sitter_go

from pytest_synthetic.languages.base import Language

LANGUAGE = Language(
    name='Go',
    key='go',
    aliases=('golang',),
    grammar=tree_sitter_go.language,
    line_comment='//',
    definitions_query="""
(function_declaration name: (identifier) @name)
(method_declaration name: (field_identifier) @name)
(type_spec name: (type_identifier) @name)
""",
)
