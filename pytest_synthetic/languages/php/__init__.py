"""PHP: names, grammar, and how an entry becomes a runnable program.

`main.php` is one `<?php` block: hoisted `declare(...)`, the secret read, the reference and
the assertions with their own `<?php` / `?>` tags removed, and the secret echoed last.
Debian's php.ini turns `assert()` into a no-op (zend.assertions=-1): the run re-enables it.

A namespace declaration must be the file's first statement. When either part declares one,
every part becomes a braced namespace block (`namespace App { ... }`, and `namespace { ... }`
for global code) in the same order, and the assertions, if they declare no namespace of their
own, import what the reference's namespaces define (`use App\\Stack;`), so that they can call it
unqualified as LLMs write it.

An `exit` / `die` that ends the assertions (nothing but comments after it) finishes them, and
its status decides; not where a failure is what brings it there (a catch clause, `$ok or
die("failed")`), nor a message in a branch (PHP prints it and exits 0 either way).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable

import tree_sitter
import tree_sitter_php

from pytest_synthetic.languages import templates
from pytest_synthetic.languages.base import (
    COMPLETION_FD,
    FailurePattern,
    Language,
    NotRunnable,
    Program,
    Rewrites,
    Step,
    Toolchain,
)
from pytest_synthetic.languages.completion import (
    FINISHING_REWRITE,
    CompletionTable,
    ExitCall,
    Status,
    final_exits,
    status_of,
)
from pytest_synthetic.languages.strength_tables import SCHEMA_VARIABLE, VOID, MutationTable, SchemaStyle, StubStyle
from pytest_synthetic.languages.toolkit import Edit, apply_edits, named_descendants, parse_root, require_code, text
from pytest_synthetic.sandbox import Limits

TAG_LINE = "<?php\n"
_OPEN_TAG = re.compile(r"\A\ufeff?\s*<\?(php\b|=)?", re.IGNORECASE)
_CLOSE_TAG = re.compile(r"\?>\s*\Z")
_DECLARE = re.compile(r"^[ \t]*declare\s*\(\s*strict_types\s*=\s*[01]\s*\)\s*;[ \t]*$", re.MULTILINE | re.IGNORECASE)
_LOCAL_INCLUDE = re.compile(
    r"""^[ \t]*(require|include)(_once)?\s*\(?\s*(__DIR__\s*\.\s*)?['"][\w./-]+\.php['"]\s*\)?\s*;[ \t]*$""",
    re.MULTILINE | re.IGNORECASE,
)
_PHPUNIT = re.compile(r"PHPUnit\\|extends\s+\\?TestCase\b")

# Parts of standins/php_harness.php (which says where each goes).
_HARNESS = "php_harness.php"
# php://fd: PHP resolves /dev/fd/3 through realpath to "pipe:[...]" and fails to open it.
PROLOGUE = templates.fill(templates.part(_HARNESS, "PROLOGUE"), COMPLETION_FD=str(COMPLETION_FD))
EPILOGUE = templates.part(_HARNESS, "EPILOGUE")
# Replaces an exit that ends the assertions: they finished, and the exit status decides (a
# failing one is their verdict, and the note says so). Like exit itself, it prints a status
# that is not an int (`die("All tests passed")`) and succeeds.
EXIT_FUNCTION = templates.part(_HARNESS, "EXIT")
EXIT = "\\__synthetic_exit"

# Errors to stderr (the CLI default is stdout), assertions on and throwing.
_SETTINGS = (
    "-d",
    "display_errors=stderr",
    "-d",
    "log_errors=0",
    "-d",
    "html_errors=0",
    "-d",
    "error_reporting=-1",
    "-d",
    "zend.assertions=1",
    "-d",
    "assert.exception=1",
)
LINT = Step(
    "compile", ("php", *_SETTINGS, "-l", "main.php"), Limits(wall_seconds=20, cpu_seconds=20), after_failed_run=True
)
RUN = Step("run", ("php", *_SETTINGS, "main.php"), Limits(wall_seconds=10, cpu_seconds=10))

_CALLS = ("function_call_expression", "member_call_expression", "nullsafe_member_call_expression")
_EXIT_NAMES = ("exit", "die")
_BARE_EXIT_PARENTS = ("expression_statement", "binary_expression", "conditional_expression")  # `$ok or die;`
_CONDITIONS = frozenset({"if_statement", "else_clause", "else_if_clause", "switch_statement", "match_expression"})
_LOOPS = frozenset({"while_statement", "do_statement", "for_statement", "foreach_statement"})
_BRANCHES = _CONDITIONS | _LOOPS | {"conditional_expression", "binary_expression"}
_DECLARATIONS = {  # what a namespace defines, and how another namespace imports it
    "class_declaration": "use",
    "interface_declaration": "use",
    "trait_declaration": "use",
    "enum_declaration": "use",
    "function_definition": "use function",
}


def _tagged_root(code: str) -> tree_sitter.Node:
    """The syntax tree of a part whose tags were removed; its offsets count TAG_LINE too."""
    return parse_root(LANGUAGE, TAG_LINE + code)


def _edit_part(code: str, edits: Iterable[Edit]) -> str:
    return apply_edits(TAG_LINE + code, edits)[len(TAG_LINE) :]


def _strip_tags(code: str, part: str, rewrites: Rewrites) -> str:
    stripped = _CLOSE_TAG.sub("", _OPEN_TAG.sub("", code, count=1), count=1)
    if stripped != code:
        rewrites.add(f"removed the `<?php` / `?>` tags of the {part} (one program)")
    return stripped


def _hoist_declares(code: str, declares: list[str]) -> str:
    """`declare(strict_types=1)` must be the file's first statement."""
    declares.extend(match.group(0).strip() for match in _DECLARE.finditer(code))
    return _DECLARE.sub("", code)


def _drop_local_includes(assertions: str, rewrites: Rewrites) -> str:
    """`require_once 'solution.php'`: the reference is already in this file."""

    def drop(match: re.Match[str]) -> str:
        rewrites.add(f"dropped `{match.group(0).strip()}` (the reference is in the same file)")
        return ""

    return _LOCAL_INCLUDE.sub(drop, assertions)


def _exit_edit(node: tree_sitter.Node) -> Edit | None:
    """How to make an `exit` / `die` (statement, call or bare name) call EXIT instead."""
    if node.type == "exit_statement":
        status = [child for child in node.named_children if child.type != "comment"]
        return Edit(node.start_byte, node.end_byte, f"{EXIT}({text(status[0]) if status else ''});")
    if node.type == "function_call_expression":
        function = node.child_by_field_name("function")
        if function is not None and function.type == "name" and text(function).lower() in _EXIT_NAMES:
            return Edit(function.start_byte, function.end_byte, EXIT)
    parent = node.parent.type if node.parent is not None else ""
    if node.type == "name" and text(node).lower() in _EXIT_NAMES and parent in _BARE_EXIT_PARENTS:
        return Edit(node.start_byte, node.end_byte, f"{EXIT}()")
    return None


def _status(node: tree_sitter.Node) -> tree_sitter.Node | None:
    """The status an `exit` / `die` passes, None for none."""
    if node.type == "exit_statement":
        statuses = [child for child in node.named_children if child.type != "comment"]
    else:
        arguments = node.child_by_field_name("arguments") if node.type == "function_call_expression" else None
        statuses = [child for child in arguments.named_children if child.type == "argument"] if arguments else []
    return (statuses[0].named_children or [statuses[0]])[0] if statuses else None


def _outcomes(status: tree_sitter.Node | None) -> list[tree_sitter.Node | None]:
    """The statuses the expression can give: both sides of a ternary, inside parentheses."""
    if status is not None and status.type == "parenthesized_expression" and status.named_children:
        return _outcomes(status.named_children[0])
    if status is not None and status.type == "conditional_expression":
        sides = [status.child_by_field_name("body"), status.child_by_field_name("alternative")]
        return [outcome for side in sides for outcome in (_outcomes(side) if side is not None else [None])]
    return [status]


def _is_int(status: tree_sitter.Node | None) -> bool:
    """No status (0), or an integer literal (`1`, `-1`)."""
    if status is not None and status.type == "unary_op_expression":
        status = status.child_by_field_name("argument")
        return status is not None and status.type == "integer"
    return status is None or status.type == "integer"


def _find_exit(node: tree_sitter.Node, table: CompletionTable) -> ExitCall | None:
    """An `exit` / `die` as a statement, a call or a bare name; a message is printed, status 0."""
    if _exit_edit(node) is None:
        return None
    outcomes = _outcomes(_status(node))
    statuses = {status_of(outcome, table) for outcome in outcomes}
    status = statuses.pop() if len(statuses) == 1 else Status.UNKNOWN
    return ExitCall(node, node.start_byte, node.end_byte, status)


def _calls(root: tree_sitter.Node, table: CompletionTable) -> Callable[[str], list[tree_sitter.Node]]:
    del table

    def calls(name: str) -> list[tree_sitter.Node]:
        found = []
        for node in named_descendants(root):
            called = node.child_by_field_name("function" if node.type == "function_call_expression" else "name")
            if node.type in (*_CALLS, "scoped_call_expression") and text(called).lower() == name:
                found.append(node)
        return found

    return calls


def _no_message_in_a_branch(call: ExitCall, around: list[tree_sitter.Node]) -> bool:
    """A message (which PHP prints, then exits 0) in a branch is as likely the failure report as
    the success one: such an exit stays plain (incomplete)."""
    return all(map(_is_int, _outcomes(_status(call.node)))) or not any(n.type in _BRANCHES for n in around)


COMPLETION = CompletionTable(
    blocks=frozenset({"program", "compound_statement", "colon_block", "case_statement", "default_statement"}),
    calls={},
    exits={},
    inert=frozenset({"comment", "text_interpolation", "php_end_tag", "empty_statement"}),
    functions=frozenset({"function_definition", "method_declaration"}),
    loops=_LOOPS,
    handlers=frozenset({"catch_clause", "finally_clause"}),
    callbacks=frozenset({"anonymous_function", "arrow_function", "declaration_list"}),
    short_circuit=frozenset({"or", "and", "xor", "||", "&&", "??"}),
    failures=frozenset({"throw_expression"}),
    string_argument=Status.SUCCESS,
    ignore_case=True,
    find_exit=_find_exit,
    find_calls=_calls,
    accept=_no_message_in_a_branch,
)


def _final_exits(assertions: str, rewrites: Rewrites) -> tuple[str, bool]:
    """`exit($failures === 0 ? 0 : 1);` or `die("All tests passed")` as the assertions' last word
    ends them; an exit that more assertions follow stays a plain exit (and a successful one
    leaves the run incomplete)."""
    edits = [_exit_edit(call.node) for call in final_exits(_tagged_root(assertions), COMPLETION)]
    if edits:
        rewrites.add(FINISHING_REWRITE)
    return _edit_part(assertions, [edit for edit in edits if edit is not None]), bool(edits)


def _namespaces(root: tree_sitter.Node) -> list[tree_sitter.Node]:
    return [child for child in root.named_children if child.type == "namespace_definition"]


def _braced(code: str) -> str:
    """The part as braced namespace blocks: `namespace App;` up to the next one (or the end)
    becomes `namespace App { ... }`, code without a namespace `namespace { ... }`."""
    namespaces = _namespaces(_tagged_root(code))
    if not namespaces:
        return f"namespace {{\n{code}\n}}"
    if any(n.child_by_field_name("body") is not None for n in namespaces):
        return code  # braced already (or a mix of both, which PHP rejects as written)
    edits = [
        Edit(n.start_byte, n.end_byte, f"{'}' if i else ''}namespace {text(n.child_by_field_name('name'))} {{")
        for i, n in enumerate(namespaces)
    ]
    return _edit_part(code, edits) + "\n}"


def _declared(node: tree_sitter.Node) -> list[tuple[str, str]]:
    """(name, how another namespace imports it) of what a top-level statement declares."""
    if node.type == "const_declaration":
        return [(text(c.named_children[0]), "use const") for c in node.named_children if c.type == "const_element"]
    if node.type in _DECLARATIONS:
        return [(text(node.child_by_field_name("name")), _DECLARATIONS[node.type])]
    return []


def _imports(root: tree_sitter.Node) -> dict[str, str]:
    """`use` lines for what the code's named namespaces declare, by lowercase short name; a
    name two namespaces declare stays out (importing either would be a guess)."""
    declared: list[tuple[str, str, str]] = []  # namespace, name, keyword
    current = ""
    for child in root.named_children:
        if child.type != "namespace_definition":
            declared += [(current, name, keyword) for name, keyword in _declared(child)]
            continue
        name, body = text(child.child_by_field_name("name")), child.child_by_field_name("body")
        if body is None:  # `namespace App;` covers what follows it
            current = name
        else:
            declared += [(name, member, keyword) for c in body.named_children for member, keyword in _declared(c)]
    counts = Counter(name.lower() for namespace, name, _ in declared if namespace)
    return {
        name.lower(): f"{keyword} {namespace}\\{name};"
        for namespace, name, keyword in declared
        if namespace and counts[name.lower()] == 1
    }


def _taken(root: tree_sitter.Node) -> set[str]:
    """Short names (lowercase) the code imports or declares itself: importing them again would clash."""
    taken = {name.lower() for child in root.named_children for name, _ in _declared(child)}
    for node in named_descendants(root):
        if node.type == "namespace_use_clause" and node.named_children:
            named = node.child_by_field_name("alias") or node.named_children[0]
            short = named.named_children[-1] if named.type == "qualified_name" else named  # App\Stack -> Stack
            taken.add(text(short).lower())
    return taken


def _namespaced(prologue: str, reference: str, assertions: str, rewrites: Rewrites) -> list[str] | None:
    """The program's parts as braced namespace blocks, or None when no part declares a namespace."""
    reference_root, assertions_root = _tagged_root(reference), _tagged_root(assertions)
    if not _namespaces(reference_root) and not _namespaces(assertions_root):
        return None
    rewrites.add("made every part a braced namespace block (a namespace declaration must come first)")
    if not _namespaces(assertions_root):
        taken = _taken(assertions_root)
        imports = [line for key, line in _imports(reference_root).items() if key not in taken]
        if imports:
            assertions = "\n".join(imports) + "\n" + assertions
            rewrites.add("imported the reference's namespaced names into the assertions")
    return [_braced(prologue), _braced(reference), _braced(assertions), _braced(EPILOGUE)]


def assemble(reference: str, assertions: str, function_name: str) -> Program:
    rewrites = Rewrites()
    reference = _strip_tags(reference, "reference", rewrites)
    assertions = _strip_tags(assertions, "assertions", rewrites)
    require_code(LANGUAGE, TAG_LINE + assertions, ignorable=("php_tag", "text_interpolation"))
    if _PHPUNIT.search(assertions):
        raise NotRunnable("the assertions are a PHPUnit test case, and PHPUnit is not available to run them")
    declares: list[str] = []
    reference = _hoist_declares(reference, declares)
    assertions = _drop_local_includes(_hoist_declares(assertions, declares), rewrites)
    if declares:
        rewrites.add("moved `declare(strict_types=...)` to the top")
    assertions, exits = _final_exits(assertions, rewrites)
    prologue = PROLOGUE + (EXIT_FUNCTION if exits else "")
    header = ["<?php", *dict.fromkeys(declares)]
    parts = _namespaced(prologue, reference, assertions, rewrites) or [prologue, reference, "", assertions, EPILOGUE]
    source = "\n".join([*header, *parts])
    return Program({"main.php": source}, "main.php", (LINT, RUN), rewrites)


# What the strength check mutates, and how it writes a stub of the function.
MUTATION = MutationTable(
    integers=frozenset({"integer"}),
    conditions=(("if_statement", "condition"), ("else_if_clause", "condition"), ("while_statement", "condition")),
    ternaries=(("conditional_expression", "body", "alternative"),),
    statement_parents=frozenset({"compound_statement"}),
    loops=frozenset({"for_statement", "foreach_statement", "while_statement", "do_statement"}),
    functions=frozenset({"function_definition", "method_declaration"}),
)
# The schema's switch is read in each body, once per run (kept in $GLOBALS): a function of its
# own could not be placed around a reference that opens and closes its own `<?php` / `?>` tags.
# `\getenv`: a namespaced reference may declare a getenv of its own.
SCHEMA = SchemaStyle(
    switch="",
    body="{{ if (($GLOBALS['__synthetic_mutant'] ??= (int) \\getenv('"
    + SCHEMA_VARIABLE
    + "')) === {id}) {mutated} else {original} }}",
    bodies=frozenset({"compound_statement"}),
    kind_markers=r"\byield\b",  # a generator's body runs only once it is iterated
)
STUBS = StubStyle(
    "{{ return {}; }}",
    '{ throw new Exception("stub"); }',
    dynamic=("null", "0", "false", "[]", '""'),
    zeros=((r"void", VOID),),
)


LANGUAGE = Language(
    name="PHP",
    key="php",
    grammar=tree_sitter_php.language_php,
    definitions_query="""
(function_definition name: (name) @name)
(method_declaration name: (name) @name)
(class_declaration name: (name) @name)
(interface_declaration name: (name) @name)
(trait_declaration name: (name) @name)
(enum_declaration name: (name) @name)
""",
    toolchains=(Toolchain("php", ("--version",), "apt-get install php-cli"),),
    assemble=assemble,
    failure=FailurePattern(
        r"Uncaught (?P<name>[\w\\]+)(?:: (?P<message>.*?))? in \S+:\d+",
        ("AssertionError", "AssertionFailedError", "ExpectationFailedException"),
    ),
    mutation=MUTATION,
    schema=SCHEMA,
    stubs=STUBS,
    cold_cost=0.1,
    opening="<?php",
)
