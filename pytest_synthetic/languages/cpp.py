"""C++: names, grammar, and how an entry becomes a runnable program."""

from __future__ import annotations

import tree_sitter_cpp

from pytest_synthetic.languages.base import Language

LANGUAGE = Language(
    name='C++',
    key='cpp',
    aliases=('c++', 'cplusplus', 'cxx'),
    grammar=tree_sitter_cpp.language,
    line_comment='//',
    definitions_query="""
(function_declarator declarator: (identifier) @name)
(function_declarator declarator: (field_identifier) @name)
(function_declarator declarator: (qualified_identifier name: (identifier) @name))
(class_specifier name: (type_identifier) @name)
(struct_specifier name: (type_identifier) @name)
""",
)
