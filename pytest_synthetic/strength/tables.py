"""Per-language tree-sitter node types the mutation operators and stubs work on.

Data only: one `Table` per language key. Every type name below is the official grammar's;
a type a grammar does not have simply never matches.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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

_C_BINARY = frozenset({"binary_expression", "assignment_expression", "augmented_assignment_expression"})


@dataclass(frozen=True)
class Table:
    """The node types one grammar uses for what the operators mutate."""

    # parents whose infix operator (an anonymous token, or a named node in `operator_nodes`) may flip
    binary: frozenset[str]
    integers: frozenset[str]  # integer literal node types
    # (node type, field) of conditions to negate; parenthesised conditions are unwrapped first
    conditions: tuple[tuple[str, str], ...]
    # (node type, then, else) of conditional expressions whose branches swap; an int is a named-child index
    ternaries: tuple[tuple[str, str | int, str | int], ...]
    statements: frozenset[str]  # simple statements that may be dropped ...
    statement_parents: frozenset[str]  # ... when they sit directly in one of these blocks
    loops: frozenset[str]  # an early return goes before a top-level loop of a function body
    returns: frozenset[str]  # return statements (copied as the early return)
    functions: frozenset[str]  # function definitions (stubs; `main` is never mutated)
    negate: str = "!({})"
    empty_statement: str = ";"  # what a dropped statement becomes
    bare_return: str = "return;"  # early return of a function that ends without one
    implicit_return: str | None = None  # a final bare expression is the result: "return {};" (Rust)
    early_return: str = "{}"  # wraps the early return (Java rejects unreachable code)
    operator_nodes: frozenset[str] = frozenset()  # named operator nodes (Scala, Haskell)
    # language-specific flips, operator -> (kind, replacement); they win over the defaults
    operators: dict[str, tuple[str, str]] = field(default_factory=dict)


TABLES: dict[str, Table] = {
    "python": Table(
        binary=frozenset({"binary_operator", "comparison_operator", "boolean_operator", "augmented_assignment"}),
        integers=frozenset({"integer"}),
        conditions=(("if_statement", "condition"), ("elif_clause", "condition"), ("while_statement", "condition")),
        ternaries=(("conditional_expression", 0, 2),),
        statements=frozenset({"expression_statement"}),
        statement_parents=frozenset({"block"}),
        loops=frozenset({"for_statement", "while_statement"}),
        returns=frozenset({"return_statement"}),
        functions=frozenset({"function_definition"}),
        negate="not ({})",
        empty_statement="pass",
        bare_return="return",
        operators={
            "//": ("arithmetic", "/"),
            "//=": ("arithmetic", "/="),
            "in": ("comparison", "not in"),
            "not in": ("comparison", "in"),
            "is": ("comparison", "is not"),
            "is not": ("comparison", "is"),
        },
    ),
    "typescript": Table(
        binary=_C_BINARY,
        integers=frozenset({"number"}),
        conditions=(("if_statement", "condition"), ("while_statement", "condition"), ("do_statement", "condition")),
        ternaries=(("ternary_expression", "consequence", "alternative"),),
        statements=frozenset({"expression_statement"}),
        statement_parents=frozenset({"statement_block"}),
        loops=frozenset({"for_statement", "for_in_statement", "while_statement", "do_statement"}),
        returns=frozenset({"return_statement"}),
        functions=frozenset(
            {
                "function_declaration",
                "method_definition",
                "function_expression",
                "arrow_function",
                "generator_function_declaration",
            }
        ),
    ),
    "go": Table(
        binary=frozenset({"binary_expression", "assignment_statement"}),
        integers=frozenset({"int_literal"}),
        conditions=(("if_statement", "condition"),),
        ternaries=(),
        statements=frozenset({"expression_statement", "assignment_statement", "inc_statement", "dec_statement"}),
        statement_parents=frozenset({"statement_list", "block"}),
        loops=frozenset({"for_statement"}),
        returns=frozenset({"return_statement"}),
        functions=frozenset({"function_declaration", "method_declaration"}),
        empty_statement="",
        bare_return="return",
    ),
    "rust": Table(
        binary=frozenset({"binary_expression", "compound_assignment_expr"}),
        integers=frozenset({"integer_literal"}),
        conditions=(("if_expression", "condition"), ("while_expression", "condition")),
        ternaries=(),
        statements=frozenset({"expression_statement"}),
        statement_parents=frozenset({"block"}),
        loops=frozenset({"for_expression", "while_expression", "loop_expression"}),
        returns=frozenset({"return_expression"}),
        functions=frozenset({"function_item"}),
        empty_statement="",
        implicit_return="return {};",
    ),
    "java": Table(
        binary=_C_BINARY,
        integers=frozenset({"decimal_integer_literal"}),
        conditions=(("if_statement", "condition"), ("while_statement", "condition"), ("do_statement", "condition")),
        ternaries=(("ternary_expression", "consequence", "alternative"),),
        statements=frozenset({"expression_statement"}),
        statement_parents=frozenset({"block"}),
        loops=frozenset({"for_statement", "enhanced_for_statement", "while_statement", "do_statement"}),
        returns=frozenset({"return_statement"}),
        functions=frozenset({"method_declaration"}),
        early_return="if (true) {}",
    ),
    "cpp": Table(
        binary=_C_BINARY,
        integers=frozenset({"number_literal"}),
        conditions=(("if_statement", "condition"), ("while_statement", "condition"), ("do_statement", "condition")),
        ternaries=(("conditional_expression", "consequence", "alternative"),),
        statements=frozenset({"expression_statement"}),
        statement_parents=frozenset({"compound_statement"}),
        loops=frozenset({"for_statement", "for_range_loop", "while_statement", "do_statement"}),
        returns=frozenset({"return_statement"}),
        functions=frozenset({"function_definition"}),
    ),
    "ruby": Table(
        binary=frozenset({"binary", "operator_assignment"}),
        integers=frozenset({"integer"}),
        conditions=(
            ("if", "condition"),
            ("elsif", "condition"),
            ("unless", "condition"),
            ("while", "condition"),
            ("until", "condition"),
            ("if_modifier", "condition"),
            ("unless_modifier", "condition"),
        ),
        ternaries=(("conditional", "consequence", "alternative"),),
        statements=frozenset({"assignment", "operator_assignment", "call"}),
        statement_parents=frozenset({"body_statement", "then", "else", "do", "block_body"}),
        loops=frozenset({"for", "while", "until"}),
        returns=frozenset({"return"}),
        functions=frozenset({"method", "singleton_method"}),
        empty_statement="nil",
        bare_return="return",
        implicit_return="return {}",
    ),
    "php": Table(
        binary=_C_BINARY,
        integers=frozenset({"integer"}),
        conditions=(("if_statement", "condition"), ("else_if_clause", "condition"), ("while_statement", "condition")),
        ternaries=(("conditional_expression", "body", "alternative"),),
        statements=frozenset({"expression_statement"}),
        statement_parents=frozenset({"compound_statement"}),
        loops=frozenset({"for_statement", "foreach_statement", "while_statement", "do_statement"}),
        returns=frozenset({"return_statement"}),
        functions=frozenset({"function_definition", "method_declaration"}),
    ),
    "kotlin": Table(
        binary=frozenset(
            {
                "binary_expression",
                "assignment",
                "comparison_expression",
                "equality_expression",
                "additive_expression",
                "multiplicative_expression",
                "conjunction_expression",
                "disjunction_expression",
            }
        ),
        integers=frozenset({"number_literal", "integer_literal"}),
        conditions=(("if_expression", "condition"), ("while_statement", "condition")),
        ternaries=(),
        statements=frozenset({"assignment", "call_expression", "unary_expression", "postfix_expression"}),
        statement_parents=frozenset({"block", "statements"}),
        loops=frozenset({"for_statement", "while_statement", "do_while_statement"}),
        returns=frozenset({"return_expression", "jump_expression"}),
        functions=frozenset({"function_declaration"}),
        empty_statement="",
        bare_return="return",
    ),
    "scala": Table(
        binary=frozenset({"infix_expression"}),
        integers=frozenset({"integer_literal"}),
        conditions=(("if_expression", "condition"), ("while_expression", "condition")),
        ternaries=(),
        statements=frozenset({"assignment_expression", "call_expression", "infix_expression"}),
        statement_parents=frozenset({"block"}),
        loops=frozenset({"for_expression", "while_expression"}),
        returns=frozenset({"return_expression"}),
        functions=frozenset({"function_definition"}),
        empty_statement="()",
        bare_return="return",
        implicit_return="return {}",
        operator_nodes=frozenset({"operator_identifier"}),
    ),
    "haskell": Table(
        binary=frozenset({"infix"}),
        integers=frozenset({"integer"}),
        conditions=(("conditional", "if"), ("guards", "guard")),
        ternaries=(),
        statements=frozenset(),
        statement_parents=frozenset(),
        loops=frozenset(),
        returns=frozenset(),
        functions=frozenset({"function", "bind"}),
        negate="not ({})",
        operator_nodes=frozenset({"operator"}),
        operators={"/=": ("comparison", "=="), "==": ("comparison", "/=")},
    ),
    "csharp": Table(
        binary=_C_BINARY,
        integers=frozenset({"integer_literal"}),
        conditions=(("if_statement", "condition"), ("while_statement", "condition"), ("do_statement", "condition")),
        ternaries=(("conditional_expression", "consequence", "alternative"),),
        statements=frozenset({"expression_statement"}),
        statement_parents=frozenset({"block"}),
        loops=frozenset({"for_statement", "foreach_statement", "while_statement", "do_statement"}),
        returns=frozenset({"return_statement"}),
        functions=frozenset({"method_declaration", "local_function_statement"}),
    ),
    "swift": Table(
        binary=frozenset(
            {
                "additive_expression",
                "multiplicative_expression",
                "comparison_expression",
                "equality_expression",
                "conjunction_expression",
                "disjunction_expression",
                "assignment",
            }
        ),
        integers=frozenset({"integer_literal"}),
        conditions=(("if_statement", "condition"), ("while_statement", "condition")),
        ternaries=(("ternary_expression", "if_true", "if_false"),),
        statements=frozenset({"assignment", "call_expression"}),
        statement_parents=frozenset({"statements"}),
        loops=frozenset({"for_statement", "while_statement", "repeat_while_statement"}),
        returns=frozenset({"control_transfer_statement"}),
        functions=frozenset({"function_declaration"}),
        empty_statement="",
        bare_return="return",
    ),
    "bash": Table(
        # `(( a > b ))`, `$(( a + b ))`, and `[[ $a -gt $b ]]` (a named test operator)
        binary=frozenset({"binary_expression"}),
        integers=frozenset({"number"}),
        conditions=(("if_statement", "condition"), ("elif_clause", "condition"), ("while_statement", "condition")),
        ternaries=(("ternary_expression", "consequence", "alternative"),),
        # not `command`: a function hands its result over with `echo`, which must stay mutable
        statements=frozenset({"variable_assignment"}),
        statement_parents=frozenset({"compound_statement", "do_group", "if_statement", "else_clause", "elif_clause"}),
        loops=frozenset({"for_statement", "c_style_for_statement", "while_statement"}),
        returns=frozenset({"command"}),
        functions=frozenset({"function_definition"}),
        negate="! {}",
        empty_statement=":",
        bare_return="return",
        operator_nodes=frozenset({"test_operator"}),
        operators={
            "-lt": ("comparison", "-le"),
            "-le": ("comparison", "-lt"),
            "-gt": ("comparison", "-ge"),
            "-ge": ("comparison", "-gt"),
            "-eq": ("comparison", "-ne"),
            "-ne": ("comparison", "-eq"),
        },
    ),
    "lua": Table(
        binary=frozenset({"binary_expression"}),
        integers=frozenset({"number"}),
        conditions=(
            ("if_statement", "condition"),
            ("elseif_statement", "condition"),
            ("while_statement", "condition"),
            ("repeat_statement", "condition"),
        ),
        ternaries=(),
        statements=frozenset({"assignment_statement", "function_call"}),
        statement_parents=frozenset({"block"}),
        loops=frozenset({"for_statement", "while_statement", "repeat_statement"}),
        returns=frozenset({"return_statement"}),
        functions=frozenset({"function_declaration"}),
        negate="not ({})",
        bare_return="return",
        early_return="do {} end",  # a `return` must end its block
        operators={"~=": ("comparison", "=="), "==": ("comparison", "~="), "//": ("arithmetic", "*")},
    ),
    "perl": Table(
        binary=frozenset(
            {"binary_expression", "equality_expression", "relational_expression", "assignment_expression"}
        ),
        integers=frozenset({"number"}),
        conditions=(
            ("conditional_statement", "condition"),
            ("elsif", "condition"),
            ("loop_statement", "condition"),
            ("postfix_conditional_expression", "condition"),
        ),
        ternaries=(("conditional_expression", "consequent", "alternative"),),
        statements=frozenset({"expression_statement"}),
        statement_parents=frozenset({"block"}),
        loops=frozenset({"for_statement", "cstyle_for_statement", "loop_statement"}),
        returns=frozenset({"return_expression"}),
        functions=frozenset({"subroutine_declaration_statement"}),
        empty_statement="",
        bare_return="return",
        early_return="{};",
        operators={
            "eq": ("comparison", "ne"),
            "ne": ("comparison", "eq"),
            "lt": ("comparison", "le"),
            "le": ("comparison", "lt"),
            "gt": ("comparison", "ge"),
            "ge": ("comparison", "gt"),
        },
    ),
}
TABLES["javascript"] = TABLES["typescript"]


def operator_map(table: Table) -> dict[str, tuple[str, str]]:
    """Operator -> (kind, replacement) for one language."""
    mapping = {op: ("comparison", to) for op, to in COMPARISON.items()}
    mapping.update((op, ("arithmetic", to)) for op, to in ARITHMETIC.items())
    mapping.update((op, ("logical", to)) for op, to in LOGICAL.items())
    mapping.update(table.operators)
    return mapping
