"""What a language is: data plus a few small functions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pytest_synthetic import sandbox
from pytest_synthetic.languages.strength_tables import MutationTable, SchemaStyle, StubStyle
from pytest_synthetic.sandbox import Limits

# The run step receives a per-run secret on the sandbox's COMPLETION_FD (a drained-once pipe).
# An assembled program reads it first thing (before any reference code runs) from
# COMPLETION_PATH, and prints it as its very last stdout line after every assertion ran.
# Exiting early or printing a fake marker therefore never counts as a pass.
COMPLETION_FD = sandbox.COMPLETION_FD
COMPLETION_PATH = f"/dev/fd/{COMPLETION_FD}"


class NotRunnable(Exception):
    """Raised by assemble when the entry cannot be made into a program that proves anything
    (assertions that are only comments, an assertion style that can never fail, ...)."""


@dataclass(frozen=True)
class Step:
    """One command of a build-and-run; argv runs inside the program's work folder."""

    name: str  # "compile" or "run"
    argv: tuple[str, ...]
    limits: Limits
    # extra variables; in a value "{workdir}" is the run's folder, "{cache}" the shared build cache
    env: tuple[tuple[str, str], ...] = ()
    # host folders the step reads besides its command's own installation (shown read-only)
    reads: tuple[str, ...] = ()
    # A syntax check that the run step would fail on anyway (an interpreter parses the whole
    # file before it runs any of it). It runs only after a failed run, to tell a compile error
    # from a crash; a passing program saves its sandbox start.
    after_failed_run: bool = False


class Rewrites(list[str]):
    """What an assembly changed in the entry's code, in order and each once, for people reading a
    failure. An assembly makes one; every step that rewrites adds to it; the Program carries it."""

    def add(self, rewrite: str) -> None:
        if rewrite not in self:
            self.append(rewrite)


@dataclass(frozen=True)
class Program:
    """An assembled, runnable program made from one entry."""

    files: dict[str, str]  # relative path -> text
    main_file: str  # the file shown (with line numbers) in failure output
    steps: tuple[Step, ...]
    rewrites: Rewrites = field(default_factory=Rewrites)


@dataclass(frozen=True)
class Toolchain:
    """A compiler or interpreter the language needs, and how to get it."""

    command: str  # executable looked up on PATH (or the project's toolchain folder)
    version_argv: tuple[str, ...]
    install_hint: str


@dataclass(frozen=True)
class FailurePattern:
    """How to read a failed run's uncaught error, to tell a failed assertion from a crash.

    `regex` (multiline) has the groups `name` (the error's type) and `message`. A run failed an
    assertion when the type is one of `assertion_names` or the message is one the assertions
    wrote or one of `assertion_messages`; any other named error is a crash of the reference
    (runtime error).
    """

    regex: str
    assertion_names: tuple[str, ...]
    last: bool = False  # the last match decides (Python prints chained tracebacks in order)
    # messages of the language's own assertion helpers (Kotlin's check(): "Check failed.")
    assertion_messages: tuple[str, ...] = ()


# The JVM's report of an uncaught exception, shared by Java, Kotlin and Scala.
JVM_FAILURE = FailurePattern(
    r'Exception in thread "[^"]*" (?P<name>[\w.$]+)(?:: (?P<message>.*))?$',
    ("AssertionError", "AssertionFailedError", "ComparisonFailure"),
    # Kotlin's check()/require(), Scala's assert()/require(), and the common hand-written wording
    assertion_messages=(
        "Check failed",
        "Failed requirement",
        "assertion failed",
        "requirement failed",
        "Assertion failed",
    ),
)


@dataclass(frozen=True, eq=False)  # one object per language: compared and hashed by identity
class Language:
    name: str  # canonical, as written in metadata ("C#")
    key: str  # safe lowercase key ("csharp") for ids, folders and grammars
    grammar: Callable[[], Any]  # returns the tree-sitter language capsule
    # tree-sitter query; every @name capture is a defined function/method/class name
    definitions_query: str
    aliases: tuple[str, ...] = ()  # other names metadata uses ("golang")
    toolchains: tuple[Toolchain, ...] = ()
    # assemble(reference, assertions, function_name) -> Program; None = not executable here
    assemble: Callable[[str, str, str], Program] | None = None
    failure: FailurePattern | None = None
    # strength: the node types the mutation operators work on, and how a stub is written
    mutation: MutationTable | None = None
    stubs: StubStyle | None = None
    schema: SchemaStyle | None = None  # how its mutants share one build; None: one build per mutant
    typed: bool = False  # a type-checked build: a stub of another type than the result cannot compile
    cold_cost: float = 0.0  # seconds to execute one entry on a cold cache (xdist order; only the order matters)
    # what statement-style assertions need around them to parse (`fn main() {`, `}`)
    statement_context: tuple[str, str] | None = None
    statement_indent: str = ""  # before each assertion line inside statement_context (a do block)
    # what the grammar needs at the top of a snippet that lacks it (`<?php`: else it is HTML)
    opening: str | None = None
