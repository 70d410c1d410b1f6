"""What a language tells the strength check: the node types its mutation operators work on, and
how a stub of the entry's function is written. Data only; each language module holds its own
instances. A type a grammar does not have simply never matches."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pytest_synthetic.languages import templates

if TYPE_CHECKING:
    import tree_sitter

# One replacement per operator keeps the mutant count proportional to the code: the
# boundary shift for ordering, the negation for equality, the inverse for arithmetic.
COMPARISON = {
    "<": "<=",
    "<=": "<",
    ">": ">=",
    ">=": ">",
    "==": "!=",
    "!=": "==",
    "===": "!==",
    "!==": "===",
}
ARITHMETIC = {
    "+": "-",
    "-": "+",
    "*": "/",
    "/": "*",
    "%": "*",
    "+=": "-=",
    "-=": "+=",
    "*=": "/=",
    "/=": "*=",
    "%=": "*=",
}
LOGICAL = {"&&": "||", "||": "&&", "and": "or", "or": "and"}

C_BINARY = frozenset({"binary_expression", "assignment_expression", "augmented_assignment_expression"})
C_CONDITIONS = (("if_statement", "condition"), ("while_statement", "condition"), ("do_statement", "condition"))


@dataclass(frozen=True)
class MutationTable:
    """The node types one grammar uses for what the operators mutate."""

    integers: frozenset[str]  # integer literal node types
    statement_parents: frozenset[str]  # blocks whose simple `statements` may be dropped
    loops: frozenset[str]  # an early return goes before a top-level loop of a function body
    functions: frozenset[str]  # function definitions (stubs; `main` is never mutated)
    # The other node types default to the C family's, which many grammars share.
    # parents whose infix operator (an anonymous token, or a named node in `operator_nodes`) may flip
    binary: frozenset[str] = C_BINARY
    # (node type, field) of conditions to negate; parenthesised conditions are unwrapped first
    conditions: tuple[tuple[str, str], ...] = C_CONDITIONS
    # (node type, then, else) of conditional expressions whose branches swap; an int is a named-child index
    ternaries: tuple[tuple[str, str | int, str | int], ...] = (("ternary_expression", "consequence", "alternative"),)
    statements: frozenset[str] = frozenset({"expression_statement"})  # simple statements that may be dropped
    returns: frozenset[str] = frozenset({"return_statement"})  # return statements (copied as the early return)
    negate: str = "!({})"
    empty_statement: str = ";"  # what a dropped statement becomes
    bare_return: str = "return;"  # early return of a function that ends without one
    implicit_return: str | None = None  # a final bare expression is the result: "return {};" (Rust)
    early_return: str = "{}"  # wraps the early return (Java rejects unreachable code)
    operator_nodes: frozenset[str] = frozenset()  # named operator nodes (Scala, Haskell)
    # language-specific flips, operator -> (kind, replacement); they win over the defaults
    operators: dict[str, tuple[str, str]] = field(default_factory=dict)


VOID = "<void>"  # the zero of a function without a result: an empty body


@dataclass(frozen=True)
class StubStyle:
    returning: str  # body returning `{}`
    throwing: str  # body that throws
    nothing: str = "{ }"  # body of a function without a result
    dynamic: tuple[str, ...] = ()  # zero values tried whatever the declared type says
    # (pattern on the declared result type, zero value); the first full match wins
    zeros: tuple[tuple[str, str], ...] = ()
    null: str | None = None  # also tried when the result type is not a value type
    value_types: str = r"$^"  # result types `null` does not fit
    positional: str | None = None  # the first argument where parameters are not declared (`$1`)
    # the declared result of a definition where the grammar's usual fields do not say it
    result_type: Callable[[tree_sitter.Node], str | None] | None = None
    # zero values from the result type where `zeros` patterns cannot give them (Go's result lists)
    zeros_of: Callable[[str | None], list[str]] | None = None
    equations: bool = False  # a function is several equations, all replaced by one (Haskell)


SCHEMA_VARIABLE = "SYNTHETIC_MUTANT"  # the mutant a schema program runs as; unset or 0: none


def schema_switch(template: str) -> str:
    """A stand-in's schema switch (it reads SYNTHETIC_FILL_VARIABLE), filled."""
    return templates.fill(template, VARIABLE=SCHEMA_VARIABLE).rstrip("\n")


@dataclass(frozen=True)
class SchemaStyle:
    """How a language writes a mutant schema: one program holding every mutant of an entry,
    the active one chosen at run time. Each mutant is a copy of the body of the function it
    changes, so that it compiles in the schema as it compiles alone (its own local types,
    unused variables, constants)."""

    # appended to the reference: what `body` reads the active mutant's number from; it reads
    # SCHEMA_VARIABLE once (a part of the language's stand-in file, through schema_switch)
    switch: str
    # a function body that runs one of two bodies: `{id}` the mutant's number, `{mutated}` its
    # body and `{original}` the body otherwise (both with their braces)
    body: str
    bodies: frozenset[str] = frozenset({"block"})  # the node types of a function body `body` stands for
    first: bool = False  # the switch goes before the reference (declare before use), not after it
    # finds the names (group 1) whose last use a build rejects to lose (Go: an import left unused)
    kept_names: str | None = None
    # finds what makes a body another kind of function (C#'s `yield`: an iterator, which runs
    # nothing until enumerated); a variant whose body gains or loses it is not held, since in
    # the schema its function would keep the kind the other bodies give it
    kind_markers: str | None = None
