"""TypeScript: names, grammar, and how an entry becomes a runnable program."""

from __future__ import annotations

import tree_sitter_typescript

from pytest_synthetic.languages.base import Language

LANGUAGE = Language(
    name='TypeScript',
    key='typescript',
    aliases=('ts',),
    grammar=tree_sitter_typescript.language_typescript,
    line_comment='//',
    definitions_query="""
(function_declaration name: (identifier) @name)
(function_signature name: (identifier) @name)
(method_definition name: (property_identifier) @name)
(class_declaration name: (type_identifier) @name)
(variable_declarator name: (identifier) @name value: [(arrow_function) (function_expression)])
""",
)
