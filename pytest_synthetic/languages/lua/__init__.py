"""Lua: names, grammar, and how an entry becomes a runnable program.

`main.lua` is one chunk: prologue, reference, assertions, epilogue, so that the reference's
`local function`s are in scope for the assertions. A module-style reference (`local M = {}
... return M`) cannot return there: its final `return` becomes the module's value, and every
name the assertions `require` that Lua cannot find is bound to it (`require("solution")`).
A reference without a `return` is bound as a table of its top-level functions.

The secret lives in the prologue's closure, out of the code's reach. An `os.exit` that ends
the assertions finishes them; every other `os.exit` stays a plain exit.
"""

from __future__ import annotations

from collections.abc import Callable

import tree_sitter
import tree_sitter_lua

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
from pytest_synthetic.languages.completion import CompletionTable, Status, callee_text, finish_exits
from pytest_synthetic.languages.strength_tables import MutationTable, StubStyle
from pytest_synthetic.languages.toolkit import Edit, apply_edits, named_descendants, parse_root, require_code, text
from pytest_synthetic.sandbox import Limits

INTERPRETER = "lua5.4"
# Parts of standins/lua_harness.lua (which says where each goes).
_HARNESS = "lua_harness.lua"
PROLOGUE = templates.fill(templates.part(_HARNESS, "PROLOGUE"), COMPLETION_PATH=COMPLETION_PATH)
EPILOGUE = templates.part(_HARNESS, "EPILOGUE")
EXIT = "__synthetic_exit"
# A module the assertions load: the reference's value, where Lua itself has none of that name.
BIND_MODULE = templates.part(_HARNESS, "BIND_MODULE")

# Loading compiles the whole chunk without running it: a syntax error is a compile error.
_LOAD = "local ok, err = loadfile('main.lua') if not ok then io.stderr:write(err, '\\n') os.exit(1) end"
CHECK = Step("compile", (INTERPRETER, "-e", _LOAD), Limits(wall_seconds=20, cpu_seconds=20), after_failed_run=True)
RUN = Step("run", (INTERPRETER, "main.lua"), Limits(wall_seconds=10, cpu_seconds=10))


def _calls(root: tree_sitter.Node, table: CompletionTable) -> Callable[[str], list[tree_sitter.Node]]:
    """Calls of a function by its name, `M.run` or `M:run` as well as `run`."""

    def calls(name: str) -> list[tree_sitter.Node]:
        short = name.replace(":", ".").rsplit(".", 1)[-1]
        found = []
        for node in named_descendants(root):
            callee = callee_text(node, table)
            if callee is not None and callee.replace(":", ".").rsplit(".", 1)[-1] == short:
                found.append(node)
        return found

    return calls


COMPLETION = CompletionTable(
    blocks=frozenset({"chunk", "block"}),
    calls={"function_call": "arguments"},
    exits={"os.exit": Status.UNKNOWN},
    inert=frozenset({"comment", "empty_statement"}),
    functions=frozenset({"function_declaration"}),
    loops=frozenset({"for_statement", "while_statement", "repeat_statement"}),
    # anonymous functions: callbacks, and the protected calls `pcall(function() ... end)`
    callbacks=frozenset({"function_definition"}),
    short_circuit=frozenset({"or", "and"}),
    failures=frozenset({"error"}),
    statuses={"true": Status.SUCCESS, "false": Status.FAILURE, "nil": Status.SUCCESS},
    find_calls=_calls,
)


def _module_value(reference: str, rewrites: Rewrites) -> tuple[str, str]:
    """The reference without its final top-level `return`, and the expression of its module."""
    root = parse_root(LANGUAGE, reference)
    statements = [child for child in root.named_children if child.type != "comment"]
    last = statements[-1] if statements else None
    if last is not None and last.type == "return_statement" and last.named_children:
        rewrites.add("the reference's final `return` is the module the assertions require")
        value = text(last.named_children[0])
        return apply_edits(reference, [Edit(last.start_byte, last.end_byte, "")]), f"({value})"
    names = [
        text(node.child_by_field_name("name"))
        for node in statements
        if node.type == "function_declaration" and node.child_by_field_name("name") is not None
    ]
    fields = ", ".join(f"{name} = {name}" for name in names if name.isidentifier())
    return reference, f"setmetatable({{{fields}}}, {{__index = _G}})"


def _required(assertions: tree_sitter.Node) -> list[str]:
    """Names the assertions `require` with a plain string."""
    found = []
    for node in named_descendants(assertions):
        arguments = node.child_by_field_name("arguments") if node.type == "function_call" else None
        if arguments is None or text(node.child_by_field_name("name")) != "require":
            continue
        strings = [child for child in arguments.named_children if child.type == "string"]
        content = strings[0].child_by_field_name("content") if strings else None
        if content is not None:
            found.append(text(content))
    return list(dict.fromkeys(found))


def assemble(reference: str, assertions: str, function_name: str) -> Program:
    del function_name
    rewrites = Rewrites()
    root = require_code(LANGUAGE, assertions)
    reference, module = _module_value(reference, rewrites)
    required = _required(root)
    binding = ""
    if required:
        names = "{" + ", ".join(f'"{name}"' for name in required) + "}"
        binding = f"local __synthetic_module = {module}\n" + templates.fill(BIND_MODULE, NAMES=names)
        rewrites.add(f"`require` of {', '.join(required)} bound to the reference in the same file")
    assertions, _ = finish_exits(assertions, root, COMPLETION, EXIT, rewrites)
    source = "\n".join([PROLOGUE, reference, binding, assertions, EPILOGUE])
    return Program({"main.lua": source}, "main.lua", (CHECK, RUN), rewrites)


# What the strength check mutates, and how it writes a stub of the function.
MUTATION = MutationTable(
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
    functions=frozenset({"function_declaration"}),
    negate="not ({})",
    bare_return="return",
    early_return="do {} end",  # a `return` must end its block
    operators={"~=": ("comparison", "=="), "==": ("comparison", "~="), "//": ("arithmetic", "*")},
)
STUBS = StubStyle("return {}", 'error("stub")', dynamic=("nil", "0", "false", "{}", '""'))


LANGUAGE = Language(
    name="Lua",
    key="lua",
    grammar=tree_sitter_lua.language,
    definitions_query="""
(function_declaration name: (identifier) @name)
(function_declaration name: (dot_index_expression field: (identifier) @name))
(function_declaration name: (method_index_expression method: (identifier) @name))
(assignment_statement
  (variable_list name: (identifier) @name)
  (expression_list value: (function_definition)))
(assignment_statement
  (variable_list name: (dot_index_expression field: (identifier) @name))
  (expression_list value: (function_definition)))
""",
    toolchains=(Toolchain(INTERPRETER, ("-v",), "apt-get install lua5.4"),),
    assemble=assemble,
    # `lua5.4: main.lua:12: add(1, 2)` (an assert's message, or error's), then a traceback
    failure=FailurePattern(
        r"^lua[\d.]*: (?:[^\s:]+:\d+: )?(?P<name>)(?P<message>.*)$", (), assertion_messages=("assertion failed!",)
    ),
    mutation=MUTATION,
    stubs=STUBS,
    cold_cost=0.1,
)
