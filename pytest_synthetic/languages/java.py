"""Java: names, grammar, and how an entry becomes a runnable program."""

from __future__ import annotations

import tree_sitter_java

from pytest_synthetic.languages.base import Language

LANGUAGE = Language(
    name='Java',
    key='java',
    aliases=(),
    grammar=tree_sitter_java.language,
    line_comment='//',
    definitions_query="""
(method_declaration name: (identifier) @name)
(class_declaration name: (identifier) @name)
(record_declaration name: (identifier) @name)
(interface_declaration name: (identifier) @name)
""",
)
