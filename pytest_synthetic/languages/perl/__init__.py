"""Perl: names, grammar, and how an entry becomes a runnable program.

`main.pl` is prologue, reference, assertions, epilogue. The prologue reads the secret in a
BEGIN block and defines the first END block, which Perl runs last: after the code's own END
blocks and after Test::More's, which sets the exit status from the failed tests and a plan
that was not met. It prints the secret only when the assertions reached their end and the
status is still 0 and Test::More (if loaded) saw no failure (an END block of the code could
reset the status). An `exit` that ends the assertions finishes them; every other exit stays
a plain exit.

A reference that declares a package the assertions `use` (`package Solution; ... 1;` and
`use Solution qw(add);`) is in the same file: the `use` becomes a run-time import.
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Callable

import tree_sitter
import tree_sitter_perl

from pytest_synthetic.languages import templates
from pytest_synthetic.languages.base import (
    COMPLETION_PATH,
    FailurePattern,
    Language,
    Program,
    Rewrites,
    Step,
    Toolchain,
)
from pytest_synthetic.languages.completion import CompletionTable, ExitCall, Status, finish_exits, status_of
from pytest_synthetic.languages.strength_tables import MutationTable, StubStyle
from pytest_synthetic.languages.toolkit import Edit, apply_edits, named_descendants, parse_root, require_code, text
from pytest_synthetic.sandbox import Limits

# Parts of standins/perl_harness.pl (which says where each goes).
_HARNESS = "perl_harness.pl"
PROLOGUE = templates.fill(templates.part(_HARNESS, "PROLOGUE"), COMPLETION_PATH=COMPLETION_PATH)
# Replaces an exit that ends the assertions: they finished, and the status decides.
EXIT_FUNCTION = templates.part(_HARNESS, "EXIT")
EXIT = "main::__synthetic_exit"
EPILOGUE = templates.part(_HARNESS, "EPILOGUE")

CHECK = Step("compile", ("perl", "-c", "main.pl"), Limits(wall_seconds=20, cpu_seconds=20), after_failed_run=True)
RUN = Step("run", ("perl", "main.pl"), Limits(wall_seconds=10, cpu_seconds=10))

# `__END__` / `__DATA__` end the program text: the assertions after them would never run.
_DATA_SECTION = re.compile(r"^__(END|DATA)__\s*$", re.MULTILINE)
_CALLS = ("function_call_expression", "ambiguous_function_call_expression", "method_call_expression")


def _grammar() -> object:
    """The grammar's capsule: the wheel hands out a raw pointer, which tree-sitter deprecates."""
    pointer = tree_sitter_perl.language()
    if not isinstance(pointer, int):
        return pointer
    capsule = ctypes.pythonapi.PyCapsule_New
    capsule.restype = ctypes.py_object
    capsule.argtypes = (ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p)
    return capsule(pointer, b"tree_sitter.Language", None)


def _is_exit(node: tree_sitter.Node) -> bool:
    return node.type == "func1op_call_expression" and text(node.child_by_field_name("function")) == "exit"


def _status(node: tree_sitter.Node) -> tree_sitter.Node | None:
    arguments = [child for child in node.named_children if child.type != "comment"]
    argument = arguments[0] if arguments else None
    while argument is not None and argument.type == "parenthesized_expression" and argument.named_children:
        argument = argument.named_children[0]
    return argument


def _find_exit(node: tree_sitter.Node, table: CompletionTable) -> ExitCall | None:
    """`exit`, `exit 0`, `exit(1)`: the whole call is what a rewrite replaces."""
    if not _is_exit(node):
        return None
    return ExitCall(node, node.start_byte, node.end_byte, status_of(_status(node), table))


def _called_name(node: tree_sitter.Node) -> str | None:
    if node.type not in _CALLS:
        return None
    called = node.child_by_field_name("method" if node.type == "method_call_expression" else "function")
    return re.split(r"::|'", text(called))[-1]


def _calls(root: tree_sitter.Node, table: CompletionTable) -> Callable[[str], list[tree_sitter.Node]]:
    """Calls of a sub by name: `f(1)`, `f 1`, `Solution::f(1)`, `Solution->f(1)`, `&f`."""
    del table
    return lambda name: [node for node in named_descendants(root) if _called_name(node) == name]


COMPLETION = CompletionTable(
    blocks=frozenset({"source_file", "block"}),
    calls={},
    exits={},
    inert=frozenset({"comment", "pod", "data_section", "else", "elsif"}),
    functions=frozenset({"subroutine_declaration_statement"}),
    loops=frozenset(
        {
            "for_statement",
            "cstyle_for_statement",
            "loop_statement",
            "postfix_for_expression",
            "postfix_loop_expression",
            "map_grep_expression",
            "sort_expression",
        }
    ),
    # an eval block is a try block: what follows it there may run because it died
    handlers=frozenset({"eval_expression", "try_statement", "defer_statement", "phaser_statement"}),
    callbacks=frozenset({"anonymous_subroutine_expression"}),
    short_circuit=frozenset({"or", "and", "||", "&&", "//"}),
    failures=frozenset({"die", "croak", "confess", "BAIL_OUT"}),
    string_argument=Status.UNKNOWN,  # `exit "0"` is a number to Perl
    find_exit=_find_exit,
    find_calls=_calls,
)


def _strip_data_section(code: str, rewrites: Rewrites, part: str) -> str:
    match = _DATA_SECTION.search(code)
    if match is None:
        return code
    rewrites.add(f"removed the {part}'s `__{match.group(1)}__` section")
    return code[: match.start()]


def _declared_packages(reference: str) -> set[str]:
    root = parse_root(LANGUAGE, reference)
    return {text(n.child_by_field_name("name")) for n in named_descendants(root) if n.type == "package_statement"}


def _import_at_run_time(assertions: str, packages: set[str], rewrites: Rewrites) -> str:
    """`use Solution qw(add);` would load Solution.pm at compile time, before the reference in
    this file ran: import at run time instead (nothing to load)."""
    edits = []
    for node in parse_root(LANGUAGE, assertions).named_children:
        module = node.child_by_field_name("module") if node.type == "use_statement" else None
        if module is None or text(module) not in packages:
            continue
        listed = [text(c) for c in node.named_children if c.start_byte != module.start_byte and c.type != "comment"]
        arguments = f"({', '.join(listed)})" if listed else ""
        name = text(module)
        edits.append(Edit(node.start_byte, node.end_byte, f"{name}->import{arguments} if {name}->can('import');"))
        rewrites.add(f"`use {text(module)}` imports from the reference in the same file")
    return apply_edits(assertions, edits)


def assemble(reference: str, assertions: str, function_name: str) -> Program:
    del function_name
    rewrites = Rewrites()
    reference = _strip_data_section(reference, rewrites, "reference")
    assertions = _strip_data_section(assertions, rewrites, "assertions")
    require_code(LANGUAGE, assertions)
    assertions = _import_at_run_time(assertions, _declared_packages(reference), rewrites)
    root = parse_root(LANGUAGE, assertions)
    assertions, exits = finish_exits(
        assertions, root, COMPLETION, lambda c: f"{EXIT}({text(_status(c.node))})", rewrites
    )
    prologue = PROLOGUE + (EXIT_FUNCTION if exits else "")
    source = "\n".join([prologue, reference, "", assertions, EPILOGUE])
    return Program({"main.pl": source}, "main.pl", (CHECK, RUN), rewrites)


# What the strength check mutates, and how it writes a stub of the function.
MUTATION = MutationTable(
    binary=frozenset({"binary_expression", "equality_expression", "relational_expression", "assignment_expression"}),
    integers=frozenset({"number"}),
    conditions=(
        ("conditional_statement", "condition"),
        ("elsif", "condition"),
        ("loop_statement", "condition"),
        ("postfix_conditional_expression", "condition"),
    ),
    ternaries=(("conditional_expression", "consequent", "alternative"),),
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
)
STUBS = StubStyle("{{ return {}; }}", '{ die "stub"; }', dynamic=("undef", "0", '""', "[]"), positional="$_[0]")


LANGUAGE = Language(
    name="Perl",
    key="perl",
    aliases=("pl", "perl5"),
    grammar=_grammar,
    definitions_query="""
(subroutine_declaration_statement name: (bareword) @name)
(package_statement name: (package) @name)
""",
    toolchains=(Toolchain("perl", ("--version",), "apt-get install perl"),),
    assemble=assemble,
    # `add(1, 2) failed at main.pl line 40.` from die; Test::More's `#   Failed test 'adds'`
    failure=FailurePattern(
        r"^(?:#\s+(?P<name>Failed test)\b.*|(?P<message>[^#\s].*?) at \S+ line \d+(?:, <[^>]*> line \d+)?\.)$",
        ("Failed test",),
        last=True,
    ),
    mutation=MUTATION,
    stubs=STUBS,
    cold_cost=0.1,
)
