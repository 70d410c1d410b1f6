"""JavaScript: names, grammar, and how an entry becomes a runnable program."""

from __future__ import annotations

import tree_sitter_javascript

from pytest_synthetic.languages.base import Language

LANGUAGE = Language(
    name='JavaScript',
    key='javascript',
    aliases=('js', 'node', 'nodejs', 'ecmascript'),
    grammar=tree_sitter_javascript.language,
    line_comment='//',
    definitions_query="""
(function_declaration name: (identifier) @name)
(method_definition name: (property_identifier) @name)
(class_declaration name: (identifier) @name)
(variable_declarator name: (identifier) @name value: [(arrow_function) (function_expression)])
""",
)
