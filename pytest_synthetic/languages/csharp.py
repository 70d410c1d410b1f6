"""C#: names, grammar, and how an entry becomes a runnable program."""

from __future__ import annotations

import tree_sitter_c_sharp

from pytest_synthetic.languages.base import Language

LANGUAGE = Language(
    name='C#',
    key='csharp',
    aliases=('c#', 'cs', 'c-sharp', 'c sharp', 'dotnet'),
    grammar=tree_sitter_c_sharp.language,
    line_comment='//',
    definitions_query="""
(method_declaration name: (identifier) @name)
(class_declaration name: (identifier) @name)
(local_function_statement name: (identifier) @name)
""",
)
