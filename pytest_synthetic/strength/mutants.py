"""Mutants of a reference answer: small source edits on tree-sitter byte ranges.

Operators (the `kind` of a mutant): flip a comparison, arithmetic or logical operator;
change an integer constant by one; negate an if/while condition; swap the branches of a
conditional expression; drop a simple statement; return early (before a top-level loop).
Code that the assertions cannot observe is left alone: `main` functions, `__name__` blocks
and printing statements.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import tree_sitter

from pytest_synthetic.languages import Language
from pytest_synthetic.languages.strength_tables import ARITHMETIC, COMPARISON, LOGICAL, MutationTable
from pytest_synthetic.languages.toolkit import Edit, apply_edits, walk
from pytest_synthetic.languages.toolkit import text as node_text
from pytest_synthetic.treesitter import parse

KINDS = ("comparison", "arithmetic", "logical", "integer", "negate", "swap", "drop", "return")

_INTEGER = re.compile(r"^(0|[1-9][0-9]*)([uUlLiIsz][A-Za-z0-9]*)?$")
# Statements whose only effect is output the assertions never see.
_PRINTING = re.compile(
    r"^\s*(print|println!?|eprintln!?|printf|puts|pp?\b|echo|console\.\w+|fmt\.(Print|Fprint)\w*|"
    r"System\.(out|err)\.|std::(cout|cerr)|cout|cerr|Console\.Write|debugPrint|dump\(|var_dump|print_r|"
    r"log(ger)?\.|Logger\.|putStrLn)"
)
# Types are erased or fixed at compile time: a literal type `0` in TypeScript changes nothing.
_TYPE_CONTEXT = re.compile(
    r"^(type|\w+_type|type_annotation|type_arguments|type_parameters|template_argument_list|"
    r"type_alias_declaration|interface_declaration|signature)$"
)
# Waiting times are invisible to assertions on results: `setTimeout(f, 50)` vs 51 is equivalent.
_TIMER_CALL = re.compile(
    r"^\s*(await\s+)?((\w+(\.|::))*(setTimeout|setInterval|sleep|Sleep|delay|Delay|usleep|sleep_for)|"
    r"new\s+Promise\w*\s*\(\s*\(?\s*\w+\s*\)?\s*=>\s*setTimeout)\b"
)
_SCRIPT_GUARD = re.compile(r"__name__|__FILE__|\$PROGRAM_NAME")  # `if __name__ == "__main__":`
_GUARDS_ALWAYS_TRUE = frozenset({"otherwise", "True", "true", "else"})
_UNNEGATABLE = frozenset({"let_condition", "let_chain"})  # Rust `if let`
_WORD = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")


@dataclass(frozen=True)
class Mutant:
    kind: str
    edits: tuple[Edit, ...]
    line: int  # 1-based line of the first edit
    description: str  # e.g. "`<` -> `<=`"

    @property
    def position(self) -> int:
        return self.edits[0].start

    def apply(self, reference: str) -> str:
        return apply_edits(reference, self.edits)


def _short(text: str, width: int = 40) -> str:
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= width else one_line[: width - 3] + "..."


def operator_map(table: MutationTable) -> dict[str, tuple[str, str]]:
    """Operator -> (kind, replacement) for one language."""
    mapping = {op: ("comparison", to) for op, to in COMPARISON.items()}
    mapping.update((op, ("arithmetic", to)) for op, to in ARITHMETIC.items())
    mapping.update((op, ("logical", to)) for op, to in LOGICAL.items())
    mapping.update(table.operators)
    return mapping


def _name_of(node: tree_sitter.Node) -> str:
    name = node.child_by_field_name("name")
    if name is None:  # C++: the name sits inside the declarator chain
        declarator = node.child_by_field_name("declarator")
        while declarator is not None and declarator.child_by_field_name("declarator") is not None:
            declarator = declarator.child_by_field_name("declarator")
        name = declarator
    return node_text(name).rsplit("::", 1)[-1] if name is not None else ""


def _excluded(table: MutationTable, root: tree_sitter.Node) -> list[tuple[int, int]]:
    """Byte ranges the assertions cannot observe."""
    ranges = []
    condition_types = {kind for kind, _ in table.conditions}
    statement_types = table.statements | {"expression_statement"}
    for node in walk(root):
        main = node.type in table.functions and _name_of(node) in {"main", "Main"}
        script_guard = node.type in condition_types and _SCRIPT_GUARD.search(node_text(node)[:200]) is not None
        text = node_text(node)[:200]
        printing = node.type in statement_types and _PRINTING.match(text) is not None
        typing = _TYPE_CONTEXT.match(node.type) is not None
        calling = "call" in node.type or "invocation" in node.type or node.type in statement_types
        waiting = calling and _TIMER_CALL.match(text) is not None
        if main or script_guard or printing or typing or waiting:
            ranges.append((node.start_byte, node.end_byte))
    return ranges


def _unwrap(node: tree_sitter.Node) -> tree_sitter.Node:
    """The expression inside a parenthesised condition (`if (x)` in C-like grammars)."""
    while node.type in {"parenthesized_expression", "condition_clause", "boolean"} and node.named_child_count == 1:
        inner = node.named_children[0]
        if inner.type == "comment":
            break
        node = inner
    return node


def _operators(table: MutationTable, node: tree_sitter.Node, ops: dict[str, tuple[str, str]]) -> Iterator[Mutant]:
    parent = node.parent
    if parent is None or parent.type not in table.binary:
        return
    if node.is_named and node.type not in table.operator_nodes:
        return
    if node.prev_named_sibling is None or node.next_named_sibling is None:  # not infix (unary, generics)
        return
    text = " ".join(node_text(node).split())
    if text not in ops:
        return
    kind, replacement = ops[text]
    yield Mutant(
        kind,
        (Edit(node.start_byte, node.end_byte, replacement),),
        node.start_point[0] + 1,
        f"`{text}` -> `{replacement}`",
    )


def _integers(node: tree_sitter.Node) -> Iterator[Mutant]:
    """One change per constant: 0 -> 1, 1 -> 0, n -> n + 1. (1 -> 2 is often equivalent where
    only a sign counts, as in a comparator's `return 1`.)"""
    match = _INTEGER.match(node_text(node))
    if match is None:
        return
    value, suffix = int(match.group(1)), match.group(2) or ""
    changed = {0: 1, 1: 0}.get(value, value + 1)
    yield Mutant(
        "integer",
        (Edit(node.start_byte, node.end_byte, f"{changed}{suffix}"),),
        node.start_point[0] + 1,
        f"`{value}` -> `{changed}`",
    )


def _negations(table: MutationTable, node: tree_sitter.Node) -> Iterator[Mutant]:
    for kind, field_name in table.conditions:
        if node.type != kind:
            continue
        condition = node.child_by_field_name(field_name)
        if condition is None:
            continue
        condition = _unwrap(condition)
        text = node_text(condition)
        if condition.type in _UNNEGATABLE or text in _GUARDS_ALWAYS_TRUE:
            continue
        yield Mutant(
            "negate",
            (Edit(condition.start_byte, condition.end_byte, table.negate.format(text)),),
            condition.start_point[0] + 1,
            f"negated `{_short(text)}`",
        )


def _branch(node: tree_sitter.Node, where: str | int) -> tree_sitter.Node | None:
    if isinstance(where, int):
        named = [child for child in node.named_children if child.type != "comment"]
        return named[where] if where < len(named) else None
    return node.child_by_field_name(where)


def _swaps(table: MutationTable, node: tree_sitter.Node) -> Iterator[Mutant]:
    for kind, then_field, else_field in table.ternaries:
        if node.type != kind:
            continue
        then, other = _branch(node, then_field), _branch(node, else_field)
        if then is None or other is None or node_text(then) == node_text(other):
            continue
        edits = (
            Edit(then.start_byte, then.end_byte, node_text(other)),
            Edit(other.start_byte, other.end_byte, node_text(then)),
        )
        yield Mutant("swap", edits, node.start_point[0] + 1, f"swapped the branches of `{_short(node_text(node))}`")


def _drops(table: MutationTable, node: tree_sitter.Node) -> Iterator[Mutant]:
    parent = node.parent
    if node.type not in table.statements or parent is None or parent.type not in table.statement_parents:
        return
    if node.start_point[0] != node.end_point[0]:  # compound statements: dropping them is too coarse
        return
    named = [child for child in node.named_children if child.type != "comment"]
    if len(named) == 1 and "string" in named[0].type:  # a docstring
        return
    yield Mutant(
        "drop",
        (Edit(node.start_byte, node.end_byte, table.empty_statement),),
        node.start_point[0] + 1,
        f"dropped `{_short(node_text(node))}`",
    )


def _function_body(node: tree_sitter.Node) -> tree_sitter.Node | None:
    body = node.child_by_field_name("body")
    if body is None:  # Kotlin: function_body holds the block
        body = next((c for c in node.named_children if c.type == "function_body"), None)
    while body is not None and body.type == "function_body" and body.named_child_count == 1:
        body = body.named_children[0]
    if (
        body is not None
        and body.type == "block"
        and body.named_child_count == 1
        and body.named_children[0].type == "statement_list"
    ):  # Go
        body = body.named_children[0]
    return body


def _is_loop(table: MutationTable, node: tree_sitter.Node) -> bool:
    if node.type in table.loops:
        return True
    return (
        node.type == "expression_statement"
        and node.named_child_count == 1
        and node.named_children[0].type in table.loops
    )


def _final_return(table: MutationTable, statements: list[tree_sitter.Node]) -> str | None:
    last = statements[-1]
    inner = last.named_children[0] if last.type == "expression_statement" and last.named_child_count == 1 else last
    if inner.type in table.returns and node_text(inner).startswith("return"):
        return node_text(last)
    simple = last.start_point[0] == last.end_point[0] and last.type != "expression_statement"
    if table.implicit_return and simple and not last.type.endswith(("statement", "declaration", "definition")):
        return table.implicit_return.format(node_text(last))
    return None


def _early_returns(table: MutationTable, node: tree_sitter.Node, source: bytes) -> Iterator[Mutant]:
    if node.type not in table.functions or not table.loops:
        return
    body = _function_body(node)
    if body is None:
        return
    statements = [c for c in body.named_children if "comment" not in c.type]
    if len(statements) < 2:
        return
    final = _final_return(table, statements) or table.bare_return
    returned = set(_WORD.findall(final)) - {"return"}
    for statement in statements[:-1]:
        if not _is_loop(table, statement):
            continue
        # A value computed only after this point cannot be returned here (it would not compile,
        # or fail trivially): skip rather than waste a run.
        before = source[node.start_byte : statement.start_byte].decode("utf-8", errors="replace")
        after = source[statement.start_byte : statements[-1].start_byte].decode("utf-8", errors="replace")
        if any(
            re.search(rf"\b{re.escape(w)}\b", after) and not re.search(rf"\b{re.escape(w)}\b", before) for w in returned
        ):
            continue
        line_start = source.rfind(b"\n", 0, statement.start_byte) + 1
        indent = source[line_start : statement.start_byte].decode("utf-8", errors="replace")
        if indent.strip():
            indent = ""
        text = table.early_return.format(final) + "\n" + indent
        yield Mutant(
            "return",
            (Edit(statement.start_byte, statement.start_byte, text),),
            statement.start_point[0] + 1,
            f"inserted `{_short(final)}` before the loop",
        )


def _inside(ranges: list[tuple[int, int]], node: tree_sitter.Node) -> bool:
    return any(start <= node.start_byte and node.end_byte <= end for start, end in ranges)


def generate(language: Language, reference: str) -> list[Mutant]:
    """Every mutant of the reference that still parses, deduplicated by its text, in source order."""
    table = language.mutation
    if table is None:
        return []
    source = reference.encode("utf-8")
    tree = parse(language, reference)
    excluded = _excluded(table, tree.root_node)
    ops = operator_map(table)
    found: list[Mutant] = []
    for node in walk(tree.root_node):
        if _inside(excluded, node):
            continue
        if node.child_count == 0 or node.type in table.operator_nodes or node.type in {"is not", "not in"}:
            found.extend(_operators(table, node, ops))
        if node.type in table.integers:
            found.extend(_integers(node))
        found.extend(_negations(table, node))
        found.extend(_swaps(table, node))
        found.extend(_drops(table, node))
        found.extend(_early_returns(table, node, source))
    return _distinct_parsing(language, reference, tree.root_node.has_error, found)


def _distinct_parsing(language: Language, reference: str, had_errors: bool, mutants: list[Mutant]) -> list[Mutant]:
    seen = {reference}
    kept = []
    for mutant in sorted(mutants, key=lambda m: (m.position, KINDS.index(m.kind))):
        text = mutant.apply(reference)
        if text in seen:
            continue
        seen.add(text)
        if not had_errors and parse(language, text).root_node.has_error:
            continue
        kept.append(mutant)
    return kept
