"""Swift: names, grammar, and how an entry becomes a runnable program.

One file, main.swift, built by swiftc without optimisation (-Onone: `assert` is checked
only in unoptimised builds; `precondition` always). In main.swift the top-level code runs
in order, so the reference and then the assertions follow each other as written, with
the imports of both moved to the top. A `@main` attribute (not allowed next to
top-level code) is dropped: the reference's own entry point is not run.

Completion secret: the file's first statement reads it, and main.swift's globals are
initialised in order as its top-level code runs, so no reference code (a global's
initialiser included) runs before it. Static properties initialise lazily, on first use.
Not covered: code that deliberately reads the global `syntheticDone`.
"""

from __future__ import annotations

import re

import tree_sitter
import tree_sitter_swift

from pytest_synthetic.languages import _class_assembly as assembly
from pytest_synthetic.languages import templates
from pytest_synthetic.languages.base import COMPLETION_FD, Language, NotRunnable, Program, Rewrites, Step, Toolchain
from pytest_synthetic.languages.completion import CompletionTable, Status, finish_exits
from pytest_synthetic.languages.strength_tables import VOID, MutationTable, StubStyle
from pytest_synthetic.languages.toolkit import require_code, text
from pytest_synthetic.sandbox import Limits

_IMPORT_LINE = re.compile(r"^[ \t]*(?:@\w+[ \t]+)*import[ \t]+(?:\w+[ \t]+)?[\w.]+[ \t]*;?[ \t]*$", re.MULTILINE)
_MAIN_ATTRIBUTE = re.compile(r"@main\b(?!\w)")
_EXITS = frozenset({"exit", "Foundation.exit", "Darwin.exit", "Glibc.exit"})

# Parts of standins/swift_harness.swift (which says where each goes).
_HARNESS = "swift_harness.swift"
PROLOGUE = templates.fill(templates.part(_HARNESS, "PROLOGUE"), COMPLETION_FD=str(COMPLETION_FD))
EPILOGUE = templates.part(_HARNESS, "EPILOGUE")


COMPLETION = CompletionTable(
    blocks=frozenset({"source_file", "statements"}),
    calls={"call_expression": "call_suffix"},
    exits=dict.fromkeys(_EXITS, Status.UNKNOWN),
    inert=frozenset({"comment", "multiline_comment"}),
    functions=frozenset({"function_declaration"}),
    loops=frozenset({"for_statement", "while_statement", "repeat_while_statement"}),
    handlers=frozenset({"catch_block", "defer_statement"}),
    callbacks=frozenset({"lambda_literal", "class_body", "init_declaration", "computed_property"}),
    short_circuit=frozenset({"||", "&&", "??"}),
    failures=frozenset({"fatalError", "preconditionFailure"}),
)


def assemble(reference: str, assertions: str, function_name: str) -> Program:
    del function_name  # top-level functions are called by name
    if re.search(r"\bXCTestCase\b", assertions):
        raise NotRunnable(
            "the assertions are XCTest cases, which a single-file build does not run: write top-level statements"
        )
    root = require_code(LANGUAGE, assertions)
    rewrites = Rewrites()
    assertions, _ = finish_exits(assertions, root, COMPLETION, "syntheticExit", rewrites)
    imports = [m.group(0).strip() for m in _IMPORT_LINE.finditer(reference + "\n" + assertions)]
    reference = _IMPORT_LINE.sub("", reference)
    assertions = _IMPORT_LINE.sub("", assertions)
    reference, mains = _MAIN_ATTRIBUTE.subn("", reference)
    if mains:
        rewrites.add("dropped @main (main.swift has top-level code; the reference's entry point is not run)")
    lines = [
        *assembly.unique(["import Foundation", *imports]),
        PROLOGUE,
        reference.strip("\n"),
        "",
        assertions.strip("\n"),
        EPILOGUE,
    ]
    source = "\n".join(lines)
    compile_step = Step(
        "compile", ("swiftc", "-Onone", "-o", "main", "main.swift"), Limits(wall_seconds=90, cpu_seconds=90)
    )
    run = Step("run", ("env", "./main"), Limits(wall_seconds=10, cpu_seconds=10))
    return Program({"main.swift": source}, "main.swift", (compile_step, run), rewrites)


# What the strength check mutates, and how it writes a stub of the function.
MUTATION = MutationTable(
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
)


def _result_type(definition: tree_sitter.Node) -> str:
    """The type after `->`; Void without one."""
    seen_arrow = False
    for child in definition.children:
        if seen_arrow and child.is_named:
            return text(child)
        seen_arrow = seen_arrow or child.type == "->"
    return "Void"


STUBS = StubStyle(
    "{{ return {} }}",
    '{ fatalError("stub") }',
    result_type=_result_type,
    zeros=(
        (r"Void|\(\)", VOID),
        (r"Int\w*|Double|Float", "0"),
        (r"Bool", "false"),
        (r"String", '""'),
        (r"\[[^:]*\]", "[]"),
        (r"\[.*:.*\]", "[:]"),
        (r".*\?", "nil"),
    ),
)


LANGUAGE = Language(
    name="Swift",
    key="swift",
    grammar=tree_sitter_swift.language,
    definitions_query="""
(function_declaration name: (simple_identifier) @name)
(class_declaration name: (type_identifier) @name)
""",
    toolchains=(
        Toolchain(
            "swiftc",
            ("--version",),
            "install swiftc: the toolchain from swift.org, or `apt-get install swiftlang` where the "
            "distribution packages it (Debian 13 and later; not Debian 12)",
        ),
    ),
    assemble=assemble,
    mutation=MUTATION,
    stubs=STUBS,
    typed=True,
    cold_cost=0.3,
)
