"""Ruby: names, grammar, and how an entry becomes a runnable program.

`main.rb` is prologue, reference, assertions, epilogue. The prologue reads the secret and
registers an `at_exit` hook before anything else: hooks run in reverse order, so it runs last,
after minitest / test-unit / RSpec (which run their tests from their own `at_exit` hooks and
then exit with their result). It prints the secret only if the assertions reached their end
and the program is exiting normally or through a successful `exit`. An `exit` that ends the
assertions (nothing but comments after it) counts as reaching their end, unless a failure is
what brings it there (a rescue clause, `ok or exit`). RSpec specs have finished when the run
that rspec/autorun starts after the end of the file returns.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import tree_sitter
import tree_sitter_ruby

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
from pytest_synthetic.languages.completion import CompletionTable, ExitCall, Status, finish_exits
from pytest_synthetic.languages.strength_tables import MutationTable, StubStyle
from pytest_synthetic.languages.toolkit import Edit, apply_edits, named_descendants, parse_root, require_code, text
from pytest_synthetic.sandbox import Limits

# In a BEGIN block: it runs before any BEGIN block of the reference, and shares the top-level
# local variables with the epilogue.
# Parts of standins/ruby_harness.rb (which says where each goes).
_HARNESS = "ruby_harness.rb"
PROLOGUE = templates.fill(templates.part(_HARNESS, "PROLOGUE"), COMPLETION_PATH=COMPLETION_PATH)
PROLOGUE_END = templates.part(_HARNESS, "PROLOGUE_END")
# Replaces an exit that ends the assertions: they finished, and the exit status decides (a
# failing one is their verdict, and the note says so).
EXIT_METHOD = templates.part(_HARNESS, "EXIT")
EXIT = "__synthetic_exit"
EPILOGUE = "\n__synthetic_finished = true\n"

_MAIN_GUARD = re.compile(r"^(__FILE__==\$0|\$0==__FILE__|__FILE__==\$PROGRAM_NAME|\$PROGRAM_NAME==__FILE__)$")
_END_MARKER = re.compile(r"^__END__\s*$", re.MULTILINE)
_RELATIVE_REQUIRE = re.compile(r"""^[ \t]*require(_relative)?[ \t(]+['"](\./)?[\w./-]*['"][ \t)]*$""")

# `require 'minitest'` alone defines the tests but never runs them (minitest/autorun would).
_MINITEST = re.compile(r"\bminitest\b", re.IGNORECASE)
_MINITEST_STARTED = re.compile(r"minitest/autorun|\bMini[Tt]est(::Unit)?\.(autorun|run)\b")
MINITEST_START = "Minitest.autorun if defined?(Minitest.autorun)\n"
# RSpec specs run from rspec/autorun's at_exit hook (unless the assertions start RSpec themselves);
# minitest/spec has a `describe` too, but its expectations are `must_*` / `_(x)`, not `.to`.
_RSPEC = re.compile(r"\bRSpec\b|require[ \t(]+['\"]rspec")
_SPEC_DSL = re.compile(r"^[ \t]*(describe|context)\b.*\bdo\b", re.MULTILINE)
_SPEC_MATCHER = re.compile(r"\bexpect\b.*\.(to|not_to|to_not)\b")
_RSPEC_RUNNER = re.compile(r"RSpec::Core::Runner")  # the assertions run the specs themselves
_RSPEC_STARTED = re.compile(r"rspec/autorun|RSpec::Core::Runner")
RSPEC_START = "require 'rspec/autorun'\n"
# RSpec reports a failed example without the error's class, which tells a failed expectation
# from a crash of the reference: name the first one as Ruby names an uncaught error.
RSPEC_REPORT = templates.part(_HARNESS, "RSPEC_REPORT")
# rspec/autorun runs the specs from its at_exit hook, after the end of this file: they finished
# when that run returns (an `exit 0` in an example ends the program from inside it instead).
RSPEC_EPILOGUE = templates.part(_HARNESS, "RSPEC_EPILOGUE")

# `ruby -c` only parses: a syntax error is a compile error, not a crash of the reference.
CHECK = Step("compile", ("ruby", "-c", "main.rb"), Limits(wall_seconds=20, cpu_seconds=20), after_failed_run=True)
RUN = Step("run", ("ruby", "main.rb"), Limits(wall_seconds=10, cpu_seconds=10))
# The run loads RSpec as a library; naming its command makes a machine without RSpec skip the
# entry with an install hint (instead of failing it with a LoadError) and puts RSpec's version
# in the result's cache key. It runs only after a failed run, like the syntax check.
RSPEC_CHECK = Step("compile", ("rspec", "--version"), Limits(wall_seconds=20, cpu_seconds=20), after_failed_run=True)


def _strip_data_section(code: str, rewrites: Rewrites, part: str) -> str:
    """`__END__` ends a Ruby program; everything after it would silently never run."""
    match = _END_MARKER.search(code)
    if match is None:
        return code
    rewrites.add(f"removed the {part}'s `__END__` data section")
    return code[: match.start()]


def _disable_main_guard(reference: str, rewrites: Rewrites) -> str:
    """`if __FILE__ == $0` demo code would not run when the tests load the reference."""
    edits = []
    for child in parse_root(LANGUAGE, reference).named_children:
        condition = child.child_by_field_name("condition") if child.type == "if" else None
        if condition is not None and _MAIN_GUARD.match(re.sub(r"\s+", "", text(condition))):
            edits.append(Edit(condition.start_byte, condition.end_byte, "false"))
    if edits:
        rewrites.add("skipped the reference's `if __FILE__ == $0` block")
    return apply_edits(reference, edits)


def _drop_reference_requires(assertions: str, rewrites: Rewrites) -> str:
    """`require_relative 'solution'`: the reference is already in this file."""
    kept = []
    for line in assertions.splitlines():
        if _RELATIVE_REQUIRE.match(line) and ("require_relative" in line or "./" in line):
            rewrites.add(f"dropped `{line.strip()}` (the reference is in the same file)")
            kept.append("")
        else:
            kept.append(line)
    return "\n".join(kept)


def _bare_exit(node: tree_sitter.Node, table: CompletionTable) -> ExitCall | None:
    """`exit`, `Kernel.exit`, `Process.exit` without arguments (no argument list to read)."""
    del table
    if node.type == "call" and node.child_by_field_name("arguments") is None:
        method, receiver = node.child_by_field_name("method"), node.child_by_field_name("receiver")
        if text(method) == "exit" and text(receiver) in ("Kernel", "Process") and method is not None:
            return ExitCall(node, node.start_byte, method.end_byte, Status.SUCCESS)
    elif node.type == "identifier" and text(node) == "exit":
        parent = node.parent
        if parent is not None and parent.type not in ("call", "method", "singleton_method", "assignment"):
            return ExitCall(node, node.start_byte, node.end_byte, Status.SUCCESS)
    return None


def _calls(root: tree_sitter.Node, table: CompletionTable) -> Callable[[str], list[tree_sitter.Node]]:
    """Calls of a method by name, with or without receiver, parentheses or arguments."""
    del table

    def calls(name: str) -> list[tree_sitter.Node]:
        found = []
        for node in named_descendants(root):
            if node.type == "call" and text(node.child_by_field_name("method")) == name:
                found.append(node)
            elif node.type == "identifier" and text(node) == name:
                parent = node.parent
                if parent is not None and parent.type not in ("call", "method", "singleton_method"):
                    found.append(node)  # a call without receiver or arguments
        return found

    return calls


COMPLETION = CompletionTable(
    blocks=frozenset(
        {"program", "body_statement", "then", "else", "do", "block_body", "begin", "ensure", "parenthesized_statements"}
    ),
    calls={"call": "arguments"},
    exits=dict.fromkeys(("exit", "Kernel.exit", "Process.exit"), Status.UNKNOWN),
    inert=frozenset({"comment", "heredoc_body", "empty_statement", "rescue", "else", "ensure"}),
    functions=frozenset({"method", "singleton_method"}),
    loops=frozenset({"while", "until", "for", "while_modifier", "until_modifier"}),
    handlers=frozenset({"rescue", "rescue_modifier", "ensure"}),
    # the blocks of iterators (`cases.each do ... end`) and every other block or lambda
    callbacks=frozenset({"do_block", "block", "lambda"}),
    short_circuit=frozenset({"or", "and", "||", "&&"}),
    failures=frozenset({"raise", "fail", "abort"}),
    statuses={"true": Status.SUCCESS, "false": Status.FAILURE},
    find_exit=_bare_exit,
    find_calls=_calls,
)


def _uses_rspec(assertions: str) -> bool:
    if _RSPEC.search(assertions):
        return True
    return bool(_SPEC_DSL.search(assertions) and _SPEC_MATCHER.search(assertions)) and not _MINITEST.search(assertions)


def assemble(reference: str, assertions: str, function_name: str) -> Program:
    rewrites = Rewrites()
    reference = _strip_data_section(reference, rewrites, "reference")
    assertions = _strip_data_section(assertions, rewrites, "assertions")
    require_code(LANGUAGE, assertions)
    reference = _disable_main_guard(reference, rewrites)
    assertions = _drop_reference_requires(assertions, rewrites)
    # `exit(failures.zero? ? 0 : 1)` as the assertions' last word ends them
    assertions, exits = finish_exits(assertions, parse_root(LANGUAGE, assertions), COMPLETION, EXIT, rewrites)
    prologue = PROLOGUE + (EXIT_METHOD if exits else "") + PROLOGUE_END
    start = ""
    steps: tuple[Step, ...] = (CHECK, RUN)
    rspec = _uses_rspec(assertions)
    if rspec:
        steps = (CHECK, RSPEC_CHECK, RUN)
        if not _RSPEC_STARTED.search(assertions):
            start = RSPEC_START
            rewrites.add("RSpec runs the specs (`require 'rspec/autorun'`)")
    finish = RSPEC_REPORT if rspec else ""
    epilogue = RSPEC_EPILOGUE if rspec and not _RSPEC_RUNNER.search(assertions) else EPILOGUE
    if _MINITEST.search(assertions) and not _MINITEST_STARTED.search(assertions):
        finish += MINITEST_START
        rewrites.add("minitest runs the tests (`Minitest.autorun`)")
    source = "\n".join([prologue, reference, "", start + assertions, finish + epilogue])
    return Program({"main.rb": source}, "main.rb", steps, rewrites)


# What the strength check mutates, and how it writes a stub of the function.
MUTATION = MutationTable(
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
)
STUBS = StubStyle("{}", 'raise "stub"', "nil", dynamic=("nil", "0", "false", "[]", '""', "{}"))


LANGUAGE = Language(
    name="Ruby",
    key="ruby",
    aliases=("rb",),
    grammar=tree_sitter_ruby.language,
    # A constant assigned a class built at run time defines it too: `Point = Struct.new(:x, :y)`,
    # `Data.define(...)`, `Class.new(StandardError) do ... end`.
    definitions_query="""
(method name: (identifier) @name)
(singleton_method name: (identifier) @name)
(class name: (constant) @name)
(module name: (constant) @name)
(assignment left: (constant) @name right: (call receiver: (constant) method: (identifier)))
""",
    toolchains=(Toolchain("ruby", ("--version",), "apt-get install ruby"),),
    assemble=assemble,
    failure=FailurePattern(
        # the class's last name: `Minitest::Assertion`, `RSpec::Expectations::ExpectationNotMetError`
        r":in [`'][^']*': (?P<message>.*) \((?:\w+::)*(?P<name>\w+)\)$",
        ("Assertion", "AssertionFailedError", "ExpectationNotMetError"),
    ),
    mutation=MUTATION,
    stubs=STUBS,
    cold_cost=0.2,
)
