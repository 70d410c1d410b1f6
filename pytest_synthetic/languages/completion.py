"""The completion rule, written once for every language; each language supplies a table.

An exit in the assertions whose status may be success counts as their verdict only when it is
the last thing their top level does: nothing but inert statements follows it at its level and at
every level above it (through every call of a function that holds it), and no loop, handler,
finally/ensure/defer block, callback or short-circuit operator brings it there. A level whose
last statement always fails (a failing exit, a raise) ends there: what follows the exit at that
level can only report a failure (`if not failures: exit(0)` then `print(failures); exit(1)`). Such an exit is
rewritten into the language's finishing exit, which prints the run's secret when the status is
success. Every other exit stays what it is: a successful one ends the run before the secret is
printed (`incomplete`), a failing one fails the run wherever it stands.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import Enum

import tree_sitter

from pytest_synthetic.languages.base import Rewrites
from pytest_synthetic.languages.toolkit import Edit, apply_edits, named_descendants, text


class Status(Enum):
    SUCCESS = "success"
    FAILURE = "failure"
    UNKNOWN = "unknown"  # computed at run time: it may be success


@dataclass(frozen=True)
class ExitCall:
    node: tree_sitter.Node  # the whole exit (the call, or a bare `exit`)
    start: int  # byte range of the part naming the exit, which a rewrite replaces
    end: int
    status: Status


# Finds the calls of a function by its name (the default reads `CompletionTable.calls`).
CallFinder = Callable[[tree_sitter.Node, "CompletionTable"], Callable[[str], list[tree_sitter.Node]]]


@dataclass(frozen=True, eq=False)
class CompletionTable:
    """What a grammar's nodes mean to the completion rule."""

    blocks: frozenset[str]  # nodes whose named children are statements that run in order
    calls: dict[str, str]  # call node type -> the field (or child type) holding its arguments
    exits: dict[str, Status]  # callee without spaces -> its status; UNKNOWN: read the argument
    inert: frozenset[str] = frozenset({"comment"})  # statements that run nothing after them
    functions: frozenset[str] = frozenset()  # definitions whose calls decide for an exit inside
    entry_points: frozenset[str] = frozenset()  # functions the runtime calls after the top level
    loops: frozenset[str] = frozenset()  # a successful exit there ends the first pass
    handlers: frozenset[str] = frozenset()  # catch/rescue/except, finally/ensure/defer
    # code that runs when something else decides: lambdas, closures, blocks, class initialisers
    callbacks: frozenset[str] = frozenset()
    # methods whose callback runs once, after their receiver finished (`.then(...)`)
    continuations: frozenset[str] = frozenset()
    short_circuit: frozenset[str] = frozenset()  # operators (or node types) of `ok || exit`
    failures: frozenset[str] = frozenset()  # statements (node types or callees) that always fail: raise
    statuses: dict[str, Status] = field(default_factory=dict)  # argument texts besides integers
    no_argument: Status = Status.SUCCESS  # `exit()`
    string_argument: Status = Status.FAILURE  # `sys.exit("failed")` prints it and fails
    ignore_case: bool = False  # function names (PHP)
    # an entry point besides the named ones (Scala's `object Main extends App`)
    is_entry: Callable[[tree_sitter.Node], bool] | None = None
    # grammars with exits that are not plain calls (Ruby's bare `exit`, PHP's `die`)
    find_exit: Callable[[tree_sitter.Node, CompletionTable], ExitCall | None] | None = None
    find_calls: CallFinder | None = None
    # a language's own last word on a final exit, given the nodes that bring it about (PHP's
    # `die("message")` in a branch is as likely the failure report as the success one)
    accept: Callable[[ExitCall, list[tree_sitter.Node]], bool] | None = None


_ZERO = re.compile(r"^[+-]?0+[lLuU]*$")
_INTEGER = re.compile(r"^[+-]?(0[xX][\da-fA-F_]+|0[bBoO][\d_]+|\d[\d_]*)[lLuU]*$")


def arguments_of(call: tree_sitter.Node, table: CompletionTable) -> tree_sitter.Node | None:
    wanted = table.calls.get(call.type)
    if wanted is None:
        return None
    found = call.child_by_field_name(wanted)
    return found if found is not None else next((c for c in call.children if c.type == wanted), None)


def _first_argument(arguments: tree_sitter.Node) -> tree_sitter.Node | None:
    """The first argument, unwrapped from the nodes that only hold it (`value_argument`, parentheses)."""
    node = arguments
    while node is arguments or "argument" in node.type or "parenthes" in node.type:
        inner = [c for c in node.named_children if "comment" not in c.type]
        if not inner:
            return None
        if node is not arguments and len(inner) > 1:
            return node
        node = inner[0]
    return node


def status_of(argument: tree_sitter.Node | None, table: CompletionTable) -> Status:
    if argument is None:
        return table.no_argument
    written = re.sub(r"\s+", "", text(argument)).strip("()")
    if written in table.statuses:
        return table.statuses[written]
    if _INTEGER.match(written):
        return Status.SUCCESS if _ZERO.match(written) else Status.FAILURE
    if "string" in argument.type:
        return table.string_argument
    return Status.UNKNOWN


def _callee_end(call: tree_sitter.Node, arguments: tree_sitter.Node) -> int:
    """Where the callee ends: before the arguments, and before generic arguments or spaces."""
    source = call.text or b""
    callee = source[: arguments.start_byte - call.start_byte]
    return call.start_byte + len(callee.rstrip())


def callee_text(call: tree_sitter.Node, table: CompletionTable) -> str | None:
    arguments = arguments_of(call, table)
    if arguments is None:
        return None
    source = call.text or b""
    return re.sub(r"\s+", "", source[: arguments.start_byte - call.start_byte].decode("utf-8", "replace"))


def find_exit(node: tree_sitter.Node, table: CompletionTable) -> ExitCall | None:
    """The exit this node makes, if it is a call of one of the table's exits."""
    if table.find_exit is not None:
        found = table.find_exit(node, table)
        if found is not None:
            return found
    callee = callee_text(node, table)
    if callee is None or callee not in table.exits:
        return None
    arguments = arguments_of(node, table)
    assert arguments is not None
    status = table.exits[callee]
    if status is Status.UNKNOWN:
        status = status_of(_first_argument(arguments), table)
    return ExitCall(node, node.start_byte, _callee_end(node, arguments), status)


def _name_key(name: str, table: CompletionTable) -> str:
    return name.lower() if table.ignore_case else name


def function_name(node: tree_sitter.Node) -> str:
    """A definition's name: its `name` field, or its first identifier (grammars without fields)."""
    named = node.child_by_field_name("name")
    if named is None:
        declarator = node.child_by_field_name("declarator")  # C++: int main() {...}
        while declarator is not None and declarator.child_by_field_name("declarator") is not None:
            declarator = declarator.child_by_field_name("declarator")
        named = declarator
    if named is None:
        named = next((c for c in node.named_children if "identifier" in c.type), None)
    return text(named)


def _default_calls(root: tree_sitter.Node, table: CompletionTable) -> Callable[[str], list[tree_sitter.Node]]:
    def calls(name: str) -> list[tree_sitter.Node]:
        found = []
        for node in named_descendants(root):
            callee = callee_text(node, table)
            if callee is not None and _name_key(re.split(r"[.:>]", callee)[-1], table) == name:
                found.append(node)
        return found

    return calls


@dataclass(frozen=True)
class _Walk:
    table: CompletionTable
    calls: Callable[[str], list[tree_sitter.Node]]

    def _inert(self, node: tree_sitter.Node) -> bool:
        """Runs nothing where it stands: a comment, a declaration, or a wrapper of one (C#'s
        `global_statement` holding a local function)."""
        inner = node.named_children[0] if len(node.named_children) == 1 else None
        return node.type in self.table.inert or (inner is not None and inner.type in self.table.inert)

    def _following(self, child: tree_sitter.Node) -> list[tree_sitter.Node]:
        found, following = [], child.next_named_sibling
        while following is not None:
            if not self._inert(following):
                found.append(following)
            following = following.next_named_sibling
        return found

    def _always_fails(self, statement: tree_sitter.Node) -> bool:
        """A failing exit or a raise, as a whole statement (or the one thing a wrapper holds)."""
        wrapped = statement.named_children if len(statement.named_children) == 1 else []
        for node in (statement, *wrapped):
            call = find_exit(node, self.table)
            if call is not None:
                return call.status is Status.FAILURE
            if node.type in self.table.failures or callee_text(node, self.table) in self.table.failures:
                return True
        return False

    def _is_function(self, node: tree_sitter.Node) -> bool:
        """A definition its calls decide for: one with a name (`x <- action` binds no function)."""
        return node.type in self.table.functions and bool(function_name(node))

    def callers(self, function: tree_sitter.Node, seen: frozenset[str]) -> list[tree_sitter.Node] | None:
        """The calls of the function holding an exit; None for an entry point (nothing calls it)."""
        name = _name_key(function_name(function), self.table)
        if name in self.table.entry_points or (self.table.is_entry is not None and self.table.is_entry(function)):
            return None
        return [] if name in seen else self.calls(name)

    def runs_last(self, node: tree_sitter.Node, seen: frozenset[str] = frozenset()) -> bool:
        """Only inert statements follow the node at its level and every level above it."""
        child, parent = node, node.parent
        while parent is not None:
            if self._is_function(parent):
                callers = self.callers(parent, seen)
                name = _name_key(function_name(parent), self.table)
                return callers is None or (
                    bool(callers) and all(self.runs_last(call, seen | {name}) for call in callers)
                )
            if parent.type in self.table.blocks and (following := self._following(child)):
                return self._always_fails(following[-1])
            child, parent = parent, parent.parent
        return True

    def around(self, node: tree_sitter.Node, seen: frozenset[str] = frozenset()) -> Iterator[tree_sitter.Node]:
        """The nodes that bring the node about, up to the top level, through every call."""
        parent = node.parent
        while parent is not None:
            if self._is_function(parent):
                name = _name_key(function_name(parent), self.table)
                for call in self.callers(parent, seen) or []:
                    yield from self.around(call, seen | {name})
                return
            yield parent
            parent = parent.parent

    def conditional(self, node: tree_sitter.Node) -> bool:
        """Whether the node brings an exit about only sometimes, more than once, or on failure."""
        table = self.table
        if node.type in table.loops or node.type in table.handlers or node.type in table.short_circuit:
            return True
        if node.type in table.callbacks:
            return not self._continuation(node)
        # a binary operator is an unnamed child token (`||`, `or`), in every grammar
        return any(not child.is_named and child.type in table.short_circuit for child in node.children)

    def _continuation(self, callback: tree_sitter.Node) -> bool:
        arguments = callback.parent
        call = arguments.parent if arguments is not None else None
        callee = callee_text(call, self.table) if call is not None else None
        return callee is not None and re.split(r"[.:>]", callee)[-1] in self.table.continuations


def _walk(root: tree_sitter.Node, table: CompletionTable) -> _Walk:
    return _Walk(table, (table.find_calls or _default_calls)(root, table))


def ends_the_assertions(node: tree_sitter.Node, root: tree_sitter.Node, table: CompletionTable) -> bool:
    """Whether a statement that may end the run successfully (C#'s `return` from Main) is the
    assertions' last word: it runs last and nothing conditional brings it about."""
    walk = _walk(root, table)
    return walk.runs_last(node) and not any(map(walk.conditional, walk.around(node)))


def final_exits(root: tree_sitter.Node, table: CompletionTable) -> list[ExitCall]:
    """The exits that end the assertions: the ones the language rewrites into its finishing exit."""
    walk = _walk(root, table)
    found = []
    for node in named_descendants(root):
        call = find_exit(node, table)
        if call is None or not walk.runs_last(node):
            continue
        around = list(walk.around(node))
        if call.status is not Status.FAILURE and any(map(walk.conditional, around)):
            continue  # `for (...) { check(); exit(0); }`, `catch { exit(0); }`: stays a plain exit
        if table.accept is None or table.accept(call, around):
            found.append(call)
    found.sort(key=lambda call: call.start)
    return found


FINISHING_REWRITE = "the exit that ends the assertions finishes them (a successful one completes the run)"
# The text a final exit's callee becomes: a name, or made from the call (`synthetic_finishing(os.Exit)`).
Replacement = str | Callable[[ExitCall], str]


def finishing_edits(
    root: tree_sitter.Node, table: CompletionTable, replacement: Replacement, rewrites: Rewrites
) -> list[Edit]:
    """Edits that make each final exit call its finishing replacement (same arguments)."""
    calls = final_exits(root, table)
    if calls:
        rewrites.add(FINISHING_REWRITE)
    return [Edit(c.start, c.end, replacement if isinstance(replacement, str) else replacement(c)) for c in calls]


def finish_exits(
    code: str, root: tree_sitter.Node, table: CompletionTable, replacement: Replacement, rewrites: Rewrites
) -> tuple[str, bool]:
    """The code (parsed as `root`) with its final exits finishing, and whether it had any."""
    edits = finishing_edits(root, table, replacement, rewrites)
    return apply_edits(code, edits), bool(edits)
