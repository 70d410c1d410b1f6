"""Ruby: names, grammar, and how an entry becomes a runnable program."""

from __future__ import annotations

import tree_sitter_ruby

from pytest_synthetic.languages.base import Language

LANGUAGE = Language(
    name='Ruby',
    key='ruby',
    aliases=('rb',),
    grammar=tree_sitter_ruby.language,
    line_comment='#',
    definitions_query="""
(method name: (identifier) @name)
(singleton_method name: (identifier) @name)
(class name: (constant) @name)
(module name: (constant) @name)
""",
)
