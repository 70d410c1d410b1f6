"""Haskell: names, grammar, and how an entry becomes a runnable program.

Both snippets are cut into top-level chunks (a line starting in column 0 starts one; indented
lines continue it) and merged into one `Main` module: LANGUAGE pragmas first, the module
headers dropped (an `import` of the reference's own module too), every import hoisted, the
reference's declarations (its `main` renamed), the assertions' declarations (their `main`
renamed), bare assertion statements wrapped into a `do` block, and a `main` that reads the
completion secret first. `print (x == y)` (a printed comparison, which can never fail) becomes
a checked expectation. The harness refers to the Prelude only qualified, so it cannot clash
with a reference that defines its own `length` or hides Prelude names.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import tree_sitter
import tree_sitter_haskell

from pytest_synthetic.languages import templates
from pytest_synthetic.languages._native_common import BINARY, children, leaf_texts, parse, run_binary_step
from pytest_synthetic.languages.base import COMPLETION_PATH, Language, NotRunnable, Program, Rewrites, Step, Toolchain
from pytest_synthetic.languages.completion import CompletionTable, ExitCall, Status, final_exits
from pytest_synthetic.languages.strength_tables import MutationTable, StubStyle
from pytest_synthetic.languages.toolkit import Edit, apply_edits, named_descendants, parse_root, text
from pytest_synthetic.sandbox import Limits

_REFERENCE_MAIN = "synthetic_reference_main"
_ASSERTIONS_MAIN = "synthetic_checks_main"
_GIVEN_MAIN = "synthetic_checks_given_main"
_EXPECT = "synthetic_expect"
_FILE = "main.hs"

# Single-segment modules of the installed libraries; any other single-segment import in the
# assertions (`import Solution`) names the reference's own module, which is merged in.
_LIBRARY_TOP_MODULES = frozenset({"Prelude", "Numeric"})

# Names by which Haskell assertions can fail; assertions with none of them prove nothing.
_FAILING_NAMES = frozenset(
    {
        "error",
        "errorWithoutStackTrace",
        "assert",
        "throw",
        "throwIO",
        "ioError",
        "fail",
        "exitFailure",
        "exitWith",
        "undefined",
        "die",
        _EXPECT,
        "assertEqual",
        "assertBool",
        "assertFailure",
        "shouldBe",
        "@?=",
        "@=?",
        "@?",
    }
)
# Fixity levels (higher binds tighter) of operators whose result type is known; a printed
# expression whose loosest operator is a comparison or a boolean connective is a Bool.
_PRECEDENCE = {
    "||": 2,
    "&&": 3,
    "==": 4,
    "/=": 4,
    "<": 4,
    "<=": 4,
    ">": 4,
    ">=": 4,
    "`elem`": 4,
    "`notElem`": 4,
    "++": 5,
    ":": 5,
    "+": 6,
    "-": 6,
    "*": 7,
    "/": 7,
    "`div`": 7,
    "`mod`": 7,
    "`quot`": 7,
    "`rem`": 7,
    "^": 8,
    "**": 8,
    "!!": 9,
    ".": 9,
}
_BOOLEAN_OPERATORS = frozenset({"||", "&&", "==", "/=", "<", "<=", ">", ">=", "`elem`", "`notElem`"})
_BOOLEAN_FUNCTIONS = frozenset(
    {
        "and",
        "or",
        "all",
        "any",
        "not",
        "elem",
        "notElem",
        "null",
        "isPrefixOf",
        "isSuffixOf",
        "isInfixOf",
        "even",
        "odd",
    }
)
_DECLARATION_TYPES = frozenset(
    {
        "function",
        "bind",
        "signature",
        "data_type",
        "newtype",
        "type_synomym",
        "type_synonym",
        "class",
        "instance",
        "type_family",
        "deriving_instance",
        "fixity",
        "pattern_synonym",
        "foreign_import",
        "type_instance",
        "data_family",
        "kind_signature",
        "role_annotation",
        "comment",
        "pragma",
    }
)

COMPILE_LIMITS = Limits(wall_seconds=240, cpu_seconds=240)
FLAGS = ("-O0", "-fno-ignore-asserts", "-outputdir", "build")  # Control.Exception.assert stays on


@dataclass
class _Parts:
    pragmas: list[str] = field(default_factory=list)
    module: str = ""
    imports: list[str] = field(default_factory=list)
    declarations: list[str] = field(default_factory=list)
    statements: list[str] = field(default_factory=list)
    has_main: bool = False


def _chunks(code: str) -> list[str]:
    """Top-level chunks: each starts with a non-blank line in column 0 (outside a {- -} comment)."""
    chunks: list[list[str]] = []
    depth = 0
    for line in code.splitlines():
        starts = depth == 0 and line[:1].strip() != "" and not line.startswith(("}", ")", "]"))
        if starts or not chunks:
            chunks.append([])
        chunks[-1].append(line)
        depth = max(0, depth + line.count("{-") - line.count("-}"))
    # Trailing blank lines stay with their chunk: joined with "\n", declarations keep their layout.
    return ["\n".join(chunk) for chunk in chunks if "\n".join(chunk).strip()]


def _is_comment(chunk: str) -> bool:
    stripped = re.sub(r"\{-(?!#).*?-\}", "", chunk, flags=re.DOTALL)
    return all(not line.strip() or line.strip().startswith("--") for line in stripped.splitlines())


def _is_declaration(chunk: str) -> bool:
    _, root = parse(LANGUAGE, chunk)
    if root.has_error:
        return False
    declarations = [child for child in children(root) if child.type == "declarations"]
    items = [item for block in declarations for item in children(block)]
    return bool(items) and all(item.type in _DECLARATION_TYPES for item in items)


_MAIN_START = re.compile(r"^main\b(?=\s*(::|=|\|))")


def _split(code: str, main_name: str) -> tuple[_Parts, list[str]]:
    parts = _Parts()
    rewrites = Rewrites()
    for chunk in _chunks(code):
        if chunk.startswith("{-#"):
            parts.pragmas.append(chunk.strip())
        elif chunk.startswith("module ") or chunk == "module":
            match = re.match(r"module\s+([\w.']+)", chunk)
            parts.module = match.group(1) if match else ""
        elif chunk.startswith(("import ", "import\t")):
            parts.imports.append(chunk.strip())
        elif _MAIN_START.match(chunk):
            parts.has_main = True
            parts.declarations.append(_MAIN_START.sub(main_name, chunk))
        elif _is_comment(chunk) or _is_declaration(chunk):
            parts.declarations.append(chunk)
        else:
            parts.statements.append(chunk)
    if parts.has_main:
        rewrites.add(f"renamed main to {main_name}")
    return parts, rewrites


def _imported_module(import_chunk: str) -> str:
    match = re.match(
        r"import\s+(?:\{-#\s*SOURCE\s*#-\}\s*)?(?:safe\s+)?(?:qualified\s+)?(?:\"[^\"]*\"\s+)?([\w.']+)", import_chunk
    )
    return match.group(1) if match else ""


def _spine(node: tree_sitter.Node) -> tuple[list[str], list[tree_sitter.Node]]:
    """Operators and operands of an operator chain (tree-sitter nests chains to the right,
    knowing no fixities)."""
    operators: list[str] = []
    operands: list[tree_sitter.Node] = []
    while node.type == "infix":
        operator = node.child_by_field_name("operator")
        left = node.child_by_field_name("left_operand")
        right = node.child_by_field_name("right_operand")
        if operator is None or left is None or right is None:
            break
        operators.append((operator.text or b"").decode())
        operands.append(left)
        node = right
    operands.append(node)
    return operators, operands


def _is_boolean(node: tree_sitter.Node) -> bool:
    """Whether an expression is certainly a Bool (without type checking)."""
    while node.type == "parens":
        inner = node.child_by_field_name("expression")
        if inner is None:
            return False
        node = inner
    if node.type == "infix":
        operators, _ = _spine(node)
        if any(op not in _PRECEDENCE for op in operators):
            return False
        loosest = min(_PRECEDENCE[op] for op in operators)
        return any(op in _BOOLEAN_OPERATORS for op in operators if _PRECEDENCE[op] == loosest)
    if node.type == "apply":
        head = node
        while head.type == "apply":
            function = head.child_by_field_name("function")
            if function is None:
                return False
            head = function
        return head.type == "variable" and head.text is not None and head.text.decode() in _BOOLEAN_FUNCTIONS
    return False


def _haskell_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{escaped}"'


def _expect_printed_comparisons(code: str) -> tuple[str, int]:
    """`print (x == y)` / `print $ x == y` -> `synthetic_expect "..." (x == y)`: a printed
    comparison can never fail, and its author clearly expects True."""
    source, root = parse(LANGUAGE, code)
    edits: list[Edit] = []
    stack = [root]
    while stack:
        node = stack.pop()
        target: tree_sitter.Node | None = None
        function: tree_sitter.Node | None = None
        if node.type == "apply":
            function, target = node.child_by_field_name("function"), node.child_by_field_name("argument")
        elif node.type == "infix":
            operator = node.child_by_field_name("operator")
            if operator is not None and operator.text == b"$":
                function, target = node.child_by_field_name("left_operand"), node.child_by_field_name("right_operand")
        if (
            function is not None
            and target is not None
            and function.type == "variable"
            and function.text == b"print"
            and _is_boolean(target)
        ):
            description = _haskell_string(f"{(target.text or b'').decode()} should be True")
            edits.append(Edit(function.start_byte, function.end_byte, f"{_EXPECT} {description}"))
            continue
        stack.extend(children(node))
    return apply_edits(source, edits), len(edits)


def _expect_bare_comparison(statement: str) -> str | None:
    """A bare Bool expression as a statement (`f 3 == 4`) becomes a checked expectation."""
    _, root = parse(LANGUAGE, statement)
    if root.has_error:
        return None
    declarations = [c for c in children(root) if c.type == "declarations"]
    items = [item for block in declarations for item in children(block)]
    if len(items) != 1 or items[0].type != "top_splice" or items[0].named_child_count != 1:
        return None
    expression = items[0].named_children[0]
    if not _is_boolean(expression):
        return None
    return f"{_EXPECT} {_haskell_string(statement.strip() + ' should be True')} ({statement.strip()})"


def _can_fail(code: str) -> bool:
    _, root = parse(LANGUAGE, code)
    # A qualified name (E.assert) holds its name as a variable node too.
    return bool(leaf_texts(root, frozenset({"variable", "operator"})) & _FAILING_NAMES)


def _indent(chunk: str) -> str:
    return "\n".join(f"    {line}" if line.strip() else "" for line in chunk.splitlines())


# standins/haskell_harness.hs: the harness after the assertions (it calls _ASSERTIONS_MAIN).
_HARNESS_IMPORTS = (
    "import qualified Prelude as SyntheticPrelude\nimport qualified System.IO as SyntheticIO\n"
    "import qualified Control.Exception as SyntheticException\nimport qualified System.Exit as SyntheticExit\n"
)
_HARNESS = templates.fill(templates.part("haskell_harness.hs", "HARNESS"), COMPLETION_PATH=COMPLETION_PATH)


_EXIT_NAMES = {"exitSuccess": Status.SUCCESS, "exitFailure": Status.FAILURE}
_NONZERO_FAILURE = re.compile(r"^\(?\s*ExitFailure\s+\(?\s*-?\s*[1-9]\d*\s*\)?\s*\)?$")


def _find_exit(node: tree_sitter.Node, table: CompletionTable) -> ExitCall | None:
    """`exitSuccess`, `exitFailure` (qualified or not) and `exitWith status`."""
    del table
    name = node.child_by_field_name("id") if node.type == "qualified" else node
    if node.type in ("variable", "qualified") and name is not None and text(name) in _EXIT_NAMES:
        if node.type == "variable" and node.parent is not None and node.parent.type == "qualified":
            return None  # the qualified name stands for it
        return ExitCall(node, node.start_byte, node.end_byte, _EXIT_NAMES[text(name)])
    function, argument = node.child_by_field_name("function"), node.child_by_field_name("argument")
    if node.type == "apply" and function is not None and text(function).split(".")[-1] == "exitWith":
        written = text(argument).strip()
        status = Status.SUCCESS if written.strip("() ") == "ExitSuccess" else Status.UNKNOWN
        if _NONZERO_FAILURE.match(written):
            status = Status.FAILURE
        return ExitCall(node, function.start_byte, function.end_byte, status)
    return None


def _calls(root: tree_sitter.Node, table: CompletionTable) -> Callable[[str], list[tree_sitter.Node]]:
    """Uses of a name as a value that runs: `check 5`, or a bare action `finish`."""
    del table

    def calls(name: str) -> list[tree_sitter.Node]:
        return [
            node
            for node in named_descendants(root)
            if node.type == "variable"
            and text(node) == name
            and node.parent is not None
            and node.parent.type not in ("function", "bind", "signature", "patterns")
        ]

    return calls


COMPLETION = CompletionTable(
    blocks=frozenset({"do"}),
    calls={},
    exits={},
    functions=frozenset({"function", "bind"}),
    entry_points=frozenset({"main"}),
    callbacks=frozenset({"lambda", "lambda_case"}),
    short_circuit=frozenset({"||", "&&"}),
    find_exit=_find_exit,
    find_calls=_calls,
)


# A final successful exit becomes syntheticExitWith (standins/haskell_harness.hs), which ends the
# assertions with an exception the harness's main catches; the harness exits as asked otherwise.
def _finishing_exits(assertions: str) -> tuple[str, bool]:
    """The exit that ends the assertions -> syntheticExitWith (failing ones stay as written)."""
    edits = []
    for call in final_exits(parse_root(LANGUAGE, assertions), COMPLETION):
        if call.status is Status.FAILURE:
            continue
        bare = call.node.type != "apply"
        edits.append(
            Edit(call.start, call.end, "(syntheticExitWith SyntheticExit.ExitSuccess)" if bare else "syntheticExitWith")
        )
    return apply_edits(assertions, edits), bool(edits)


def _merged_imports(ref: _Parts, tests: _Parts, pragmas: list[str], rewrites: Rewrites) -> list[str]:
    """Both parts' imports once each, without the assertions' imports of the reference itself."""
    own_modules = {ref.module, tests.module} - {""}
    imports = list(ref.imports)
    for chunk in tests.imports:
        module = _imported_module(chunk)
        if module in own_modules or ("." not in module and module not in _LIBRARY_TOP_MODULES):
            rewrites.add(f"dropped `import {module}` (the reference is in the same module)")
        elif chunk not in imports:
            imports.append(chunk)
    if not any(_imported_module(chunk) == "Prelude" for chunk in imports) and not any(
        "NoImplicitPrelude" in pragma for pragma in pragmas
    ):
        # The harness's qualified Prelude import would switch off the implicit one.
        imports.insert(0, "import Prelude")
    return imports


def assemble(reference: str, assertions: str, function_name: str) -> Program:
    del function_name
    if all(_is_comment(chunk) for chunk in _chunks(assertions)):
        raise NotRunnable("the assertions are only comments")
    rewrites = Rewrites()
    checked, printed = _expect_printed_comparisons(assertions)
    if printed:
        rewrites.add(f"turned {printed} printed comparison(s) `print (x == y)` into checked expectations")
    checked, finishing = _finishing_exits(checked)
    if finishing:
        rewrites.add("the exit that ends the assertions finishes them (exitSuccess completes the run)")
    ref, ref_rewrites = _split(reference, _REFERENCE_MAIN)
    tests, test_rewrites = _split(checked, _ASSERTIONS_MAIN)
    if tests.has_main and tests.statements:
        # Statements outside their main as well: a generated main runs both, statements first.
        tests, test_rewrites = _split(checked, _GIVEN_MAIN)
    rewrites += [f"the reference: {r}" for r in ref_rewrites] + [f"the assertions: {r}" for r in test_rewrites]
    statements = []
    for statement in tests.statements:
        expectation = _expect_bare_comparison(statement)
        if expectation is not None:
            rewrites.add(f"checked the bare comparison `{statement.strip()[:60]}`")
        statements.append(expectation or statement)
    if not _can_fail("\n".join([*tests.declarations, *statements])):
        raise NotRunnable("nothing in the assertions can fail (no error, assert, throw, exitFailure or check)")
    if not tests.has_main and not statements:
        raise NotRunnable("the assertions define no main and no statements to run")
    if ref.module or tests.module:
        rewrites.add("merged the module headers into one Main module")
    pragmas = list(dict.fromkeys([*ref.pragmas, *tests.pragmas]))
    imports = _merged_imports(ref, tests, pragmas, rewrites)
    sections = [
        *pragmas,
        "module Main (main) where",
        _HARNESS_IMPORTS + "\n".join(chunk.strip("\n") for chunk in imports),
        "\n".join(ref.declarations).strip("\n"),
        "-- The assertions.\n" + "\n".join(tests.declarations).strip("\n"),
    ]
    if statements:
        body = "\n".join(_indent(s) for s in statements).rstrip()
        if tests.has_main:
            body += f"\n    {_GIVEN_MAIN}"
        sections.append(f"{_ASSERTIONS_MAIN} :: SyntheticPrelude.IO ()\n{_ASSERTIONS_MAIN} = do\n{body}")
        rewrites.add("wrapped the assertions' statements into a do block")
    text = "\n\n".join(section for section in sections if section.strip()) + "\n" + _HARNESS
    compile_step = Step("compile", ("ghc", *FLAGS, "-o", BINARY, _FILE), COMPILE_LIMITS)
    return Program({_FILE: text}, _FILE, (compile_step, run_binary_step()), rewrites)


# What the strength check mutates, and how it writes a stub of the function.
MUTATION = MutationTable(
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
)
STUBS = StubStyle(
    "{}",
    'error "stub"',
    zeros=(
        (r"Int\w*|Integer|Double|Float|Word", "0"),
        (r"Bool", "False"),
        (r"String|\[.*\]", "[]"),
        (r"Maybe .*", "Nothing"),
    ),
    equations=True,
)


LANGUAGE = Language(
    name="Haskell",
    key="haskell",
    aliases=("hs",),
    grammar=tree_sitter_haskell.language,
    definitions_query="""
(function name: (variable) @name)
(bind name: (variable) @name)
(signature name: (variable) @name)
""",
    toolchains=(Toolchain("ghc", ("--version",), "apt-get install ghc"),),
    assemble=assemble,
    mutation=MUTATION,
    stubs=STUBS,
    cold_cost=0.8,
    statement_context=("main :: IO ()\nmain = do\n", "\n"),
    statement_indent="  ",
)
