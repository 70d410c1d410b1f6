"""Bash: names, grammar, and how an entry becomes a runnable program.

`main.sh` is prologue, reference, assertions, epilogue, run by `bash main.sh`. The prologue
reads the secret; the epilogue runs the EXIT trap the code set (it would run after the secret
otherwise), then prints the secret. An `exit` that ends the assertions finishes them; every
other exit stays a plain exit. An exit inside a subshell (`( ... )`, `$( ... )`, a pipeline)
only ends that subshell, so none of them ever counts as the assertions' last word.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import tree_sitter
import tree_sitter_bash

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

# Parts of standins/bash_harness.sh (which says where each goes).
_HARNESS = "bash_harness.sh"
PROLOGUE = templates.fill(templates.part(_HARNESS, "PROLOGUE"), COMPLETION_PATH=COMPLETION_PATH)
# The code's EXIT trap runs first: whatever it prints comes before the secret.
FINISH = templates.part(_HARNESS, "FINISH")
# Replaces an exit that ends the assertions: without a status it passes on the last command's.
EXIT_FUNCTION = templates.part(_HARNESS, "EXIT")
EXIT = "__synthetic_exit"
EPILOGUE = templates.part(_HARNESS, "EPILOGUE")

# `bash -n` only parses: a syntax error is a compile error, not a crash of the reference.
CHECK = Step("compile", ("bash", "-n", "main.sh"), Limits(wall_seconds=20, cpu_seconds=20), after_failed_run=True)
RUN = Step("run", ("bash", "main.sh"), Limits(wall_seconds=10, cpu_seconds=10))

_SOURCED_FILE = re.compile(r"""^["']?[\w./${}()"-]*\.(sh|bash)["']?$""")


def _command_name(node: tree_sitter.Node) -> str | None:
    return text(node.child_by_field_name("name")) if node.type == "command" else None


def _find_exit(node: tree_sitter.Node, table: CompletionTable) -> ExitCall | None:
    """`exit`, `exit 0`, `exit "$failures"`: the command name is what a rewrite replaces."""
    name = node.child_by_field_name("name")
    if _command_name(node) != "exit" or name is None:
        return None
    return ExitCall(node, name.start_byte, name.end_byte, status_of(node.child_by_field_name("argument"), table))


def _calls(root: tree_sitter.Node, table: CompletionTable) -> Callable[[str], list[tree_sitter.Node]]:
    """A function is called as a command of its name."""
    del table
    return lambda name: [node for node in named_descendants(root) if _command_name(node) == name]


COMPLETION = CompletionTable(
    blocks=frozenset(
        {
            "program",
            "compound_statement",
            "do_group",
            "if_statement",
            "elif_clause",
            "else_clause",
            "case_item",
            "subshell",
        }
    ),
    calls={},
    exits={},
    inert=frozenset({"comment", "heredoc_body", "elif_clause", "else_clause"}),
    functions=frozenset({"function_definition"}),
    loops=frozenset({"for_statement", "c_style_for_statement", "while_statement"}),
    # a subshell's exit ends only the subshell: never the assertions' last word
    callbacks=frozenset({"subshell", "command_substitution", "process_substitution", "pipeline"}),
    short_circuit=frozenset({"||", "&&"}),
    no_argument=Status.UNKNOWN,  # the last command's status
    string_argument=Status.UNKNOWN,  # `exit "$failures"`
    find_exit=_find_exit,
    find_calls=_calls,
)


def _drop_sourcing(assertions: str, rewrites: Rewrites) -> str:
    """`source ./solution.sh`: the reference is already in this file."""
    edits = []
    for node in parse_root(LANGUAGE, assertions).named_children:
        argument = node.child_by_field_name("argument")
        if _command_name(node) in ("source", ".") and _SOURCED_FILE.match(text(argument)):
            edits.append(Edit(node.start_byte, node.end_byte, ":"))
            rewrites.add(f"dropped `{text(node)}` (the reference is in the same file)")
    return apply_edits(assertions, edits)


def _disable_main_guard(reference: str, rewrites: Rewrites) -> str:
    """`if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then main "$@"; fi` would run the reference's demo."""
    edits = []
    for node in parse_root(LANGUAGE, reference).named_children:
        condition = node.child_by_field_name("condition") if node.type == "if_statement" else None
        if condition is not None and "BASH_SOURCE" in text(condition):
            edits.append(Edit(condition.start_byte, condition.end_byte, "false"))
    if edits:
        rewrites.add('skipped the reference\'s `if [[ "${BASH_SOURCE[0]}" == "$0" ]]` block')
    return apply_edits(reference, edits)


def assemble(reference: str, assertions: str, function_name: str) -> Program:
    del function_name
    rewrites = Rewrites()
    require_code(LANGUAGE, assertions)
    reference = _disable_main_guard(reference, rewrites)
    assertions = _drop_sourcing(assertions, rewrites)
    assertions, exits = finish_exits(assertions, parse_root(LANGUAGE, assertions), COMPLETION, EXIT, rewrites)
    prologue = PROLOGUE + FINISH + (EXIT_FUNCTION if exits else "")
    source = "\n".join([prologue, reference, "", assertions, EPILOGUE])
    return Program({"main.sh": source}, "main.sh", (CHECK, RUN), rewrites)


# What the strength check mutates, and how it writes a stub of the function.
MUTATION = MutationTable(
    # `(( a > b ))`, `$(( a + b ))`, and `[[ $a -gt $b ]]` (a named test operator)
    binary=frozenset({"binary_expression"}),
    integers=frozenset({"number"}),
    conditions=(("if_statement", "condition"), ("elif_clause", "condition"), ("while_statement", "condition")),
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
)
STUBS = StubStyle("{{ echo {}; }}", '{ echo "stub" >&2; return 1; }', dynamic=("0", '""'), positional='"$1"')


LANGUAGE = Language(
    name="Bash",
    key="bash",
    aliases=("sh", "shell", "bash script", "shell script"),
    grammar=tree_sitter_bash.language,
    definitions_query="(function_definition name: (word) @name)",
    toolchains=(Toolchain("bash", ("--version",), "apt-get install bash"),),
    assemble=assemble,
    # bash's own diagnostics (`main.sh: line 3: bc: command not found`): a crash unless the
    # assertions wrote the message; a silent failing exit or a message they print is theirs
    failure=FailurePattern(r"^main\.sh: line \d+: (?P<name>)(?P<message>.*)$", ()),
    mutation=MUTATION,
    stubs=STUBS,
    cold_cost=0.1,
)
