"""Parsing with the official per-language tree-sitter grammars, cached per process."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

import tree_sitter

from pytest_synthetic.languages.base import Language
from pytest_synthetic.languages.toolkit import text, walk


@cache
def _ts_language(language: Language) -> tree_sitter.Language:
    return tree_sitter.Language(language.grammar())


@cache
def parser_for(language: Language) -> tree_sitter.Parser:
    return tree_sitter.Parser(_ts_language(language))


@cache
def _query(language: Language, source: str) -> tree_sitter.Query:
    query: tree_sitter.Query = tree_sitter.Query(_ts_language(language), source)
    return query


# Every check of an entry parses the same reference and assertions (consistency, quality,
# syntax, the assembler): parse each once per process. Bounded, so that a 10,000-entry
# dataset does not keep every tree; the checks of one entry run one after the other.
PARSE_CACHE_SIZE = 256


@lru_cache(maxsize=PARSE_CACHE_SIZE)
def parse(language: Language, code: str) -> tree_sitter.Tree:
    """The syntax tree of the code; shared between callers, so never edit it."""
    return parser_for(language).parse(code.encode("utf-8"))


def captures(language: Language, query_source: str, node: tree_sitter.Node) -> list[tree_sitter.Node]:
    """Every node captured by any name in the query."""
    found = tree_sitter.QueryCursor(_query(language, query_source)).captures(node)
    return [n for nodes in found.values() for n in nodes]


@cache
def _comment_query(language: Language) -> str | None:
    """A query for every kind of comment node the grammar has (comment, line_comment,
    block_comment, ...): found by the query engine instead of a walk over every node."""
    grammar = _ts_language(language)
    names = (
        grammar.node_kind_for_id(i)
        for i in range(grammar.node_kind_count)
        if grammar.node_kind_is_named(i) and grammar.node_kind_is_visible(i)
    )
    kinds = sorted({name for name in names if name is not None and "comment" in name})
    return "[" + " ".join(f"({kind})" for kind in kinds) + "] @comment" if kinds else None


@lru_cache(maxsize=PARSE_CACHE_SIZE)
def comments(language: Language, code: str) -> tuple[tree_sitter.Node, ...]:
    """The comment nodes of the code (nested ones included); several checks ask for them."""
    query = _comment_query(language)
    return () if query is None else tuple(captures(language, query, parse(language, code).root_node))


@dataclass(frozen=True)
class SyntaxProblem:
    line: int  # 1-based
    column: int  # 1-based
    kind: str  # "error" or "missing"
    text: str  # the offending source line


def syntax_problems(language: Language, code: str, limit: int = 5) -> list[SyntaxProblem]:
    """ERROR and MISSING nodes, first ones first, at most `limit`."""
    tree = parse(language, code)
    if not tree.root_node.has_error:
        return []
    lines = code.splitlines()
    problems: list[SyntaxProblem] = []
    for node in walk(tree.root_node):
        if node.is_error or node.is_missing:
            row, col = node.start_point
            line_text = lines[row] if row < len(lines) else ""
            problems.append(SyntaxProblem(row + 1, col + 1, "missing" if node.is_missing else "error", line_text))
            if len(problems) >= limit:
                break
    return problems


def defined_names(language: Language, code: str) -> set[str]:
    """Names of the functions, methods and classes the code defines."""
    root = parse(language, code).root_node
    return {text(n) for n in captures(language, language.definitions_query, root)}


def identifiers(language: Language, code: str) -> set[str]:
    """Every identifier-like leaf in the code (how a use of a name is found)."""
    root = parse(language, code).root_node
    return {
        text(n)
        for n in walk(root)
        if n.child_count == 0 and n.is_named and not n.type.endswith(("literal", "comment", "string"))
    }
