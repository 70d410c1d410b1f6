"""Haskell: names, grammar, and how an entry becomes a runnable program."""

from __future__ import annotations

import tree_sitter_haskell

from pytest_synthetic.languages.base import Language

LANGUAGE = Language(
    name='Haskell',
    key='haskell',
    aliases=('hs',),
    grammar=tree_sitter_haskell.language,
    line_comment='--',
    definitions_query="""
(function name: (variable) @name)
(bind name: (variable) @name)
(signature name: (variable) @name)
""",
)
