"""Kotlin: names, grammar, and how an entry becomes a runnable program.

One file, main.kt: the reference as written (its `main`, if any, renamed), the assertions'
declarations at top level, and their statements in a function that the generated `main`
calls. Imports of both parts go to the top.

Completion secret: the file's first top-level property reads it. Kotlin initialises a
file's top-level properties in order, before its `main`; objects, companions and `init`
blocks initialise on first use, after it. So no reference code runs before the secret is
read. Not covered: code that deliberately reads the private property by reflection.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import tree_sitter
import tree_sitter_kotlin

from pytest_synthetic.languages import _class_assembly as assembly
from pytest_synthetic.languages import _jvm as jvm
from pytest_synthetic.languages import templates
from pytest_synthetic.languages.base import (
    COMPLETION_PATH,
    JVM_FAILURE,
    Language,
    NotRunnable,
    Program,
    Toolchain,
)
from pytest_synthetic.languages.completion import CompletionTable, Status, finish_exits
from pytest_synthetic.languages.strength_tables import VOID, MutationTable, SchemaStyle, StubStyle, schema_switch
from pytest_synthetic.languages.toolkit import Edit, apply_edits, parse_root, walk
from pytest_synthetic.languages.toolkit import text as node_text

# A header line may end in a comment (`import kotlin.math.abs // for floats`).
_LINE_END = r"[ \t]*;?[ \t]*(?://[^\n]*|/\*[^\n]*?\*/[ \t]*)?$"
_PACKAGE_LINE = re.compile(r"^[ \t]*package[ \t]+([\w.`]+)" + _LINE_END, re.MULTILINE)
_IMPORT_LINE = re.compile(r"^[ \t]*(import[ \t]+[\w.`]+(?:\.\*)?(?:[ \t]+as[ \t]+\w+)?)" + _LINE_END, re.MULTILINE)
_KOTLIN_TEST_IMPORT = re.compile(r"import\s+kotlin\.test\b")
_TEST_RUNNERS = re.compile(r"\b(?:org\.junit|io\.kotest|org\.testng)\.")
_TEST_ANNOTATION = re.compile(r"@(?:kotlin\.test\.)?Test\b")
_FILE_ANNOTATION = re.compile(r"^[ \t]*@file:.*$", re.MULTILINE)
_MAIN_FUN = re.compile(r"^(fun[ \t]+)main(?=[ \t]*\()", re.MULTILINE)
_ANY_MAIN_FUN = re.compile(r"\bfun[ \t]+main[ \t]*\(")
_RENAMED_WITHOUT_ARGUMENTS = re.compile(rf"^fun[ \t]+{assembly.RENAMED_MAIN}[ \t]*\([ \t]*\)", re.MULTILINE)
# The standard library in kotlinc's installation. Run steps put it on the class path: copying
# it into every jar (-include-runtime) costs more than compiling a small file.
_RUNTIME = "lib/kotlin-stdlib.jar"
_DECLARATIONS = frozenset({"function_declaration", "class_declaration", "object_declaration", "type_alias"})
_EXITS = frozenset({"exitProcess", "kotlin.system.exitProcess", "System.exit", "java.lang.System.exit"})

# Parts of standins/kotlin_harness.kt (which says where each goes).
_HARNESS = "kotlin_harness.kt"
PROLOGUE = templates.fill(templates.part(_HARNESS, "PROLOGUE"), COMPLETION_PATH=COMPLETION_PATH)
# kotlin.test is a library of its own, not on the class path of a plain kotlinc build. The
# assertions' kotlin.test calls go to these equivalents, which throw AssertionError as the
# originals do (only emitted when the assertions import kotlin.test or call it qualified).
KOTLIN_TEST = templates.part(_HARNESS, "KOTLIN_TEST")
EPILOGUE = templates.part(_HARNESS, "EPILOGUE")


# --- parsing around a grammar bug ------------------------------------------------------------
# tree-sitter-kotlin (1.1) misreads a one-line class body with a member (`class A { val x = 1 }`)
# when more code follows: the body becomes an ERROR, and two such classes in a row swallow the
# rest of the snippet into one top-level ERROR (a `fun main` after them would be lost). A `;`
# after the last member avoids it. Replacing the blank before such a `}` keeps every byte
# offset, so the tree still describes the original text, which is what gets compiled.


def _code_closing_braces(code: str) -> list[int]:
    """Indexes of the `}` that close code blocks: not in strings, templates, chars or comments."""
    closes: list[int] = []
    stack: list[str] = []  # "{" a code block, "$" a string template's expression, '"' / '"""' a string
    i, n = 0, len(code)
    while i < n:
        mode = stack[-1] if stack else "{"
        char = code[i]
        if mode in ('"', '"""'):
            if code.startswith("${", i):
                stack.append("$")
                i += 2
            elif mode == '"' and char == "\\":
                i += 2
            elif mode == '"""' and code.startswith('"""', i):
                i += 3
                while i < n and code[i] == '"':  # quotes before the closing three are content
                    i += 1
                stack.pop()
            else:
                if mode == '"' and char in '"\n':  # the end (or an unterminated string's line end)
                    stack.pop()
                i += 1
        elif code.startswith("//", i):
            end = code.find("\n", i)
            i = n if end < 0 else end
        elif code.startswith("/*", i):  # Kotlin's block comments nest
            depth, i = 1, i + 2
            while i < n and depth:
                step = code.startswith("/*", i) - code.startswith("*/", i)
                depth += step
                i += 2 if step else 1
        elif code.startswith('"""', i) or char == '"':
            stack.append(code[i : i + 3] if code.startswith('"""', i) else '"')
            i += len(stack[-1])
        elif char in "'`":  # a char literal or a `quoted name`: to the closing quote on its line
            end = code.find("\n", i)
            start = i + 3 if code.startswith("'\\", i) else i + 1
            close = code.find(char, start, n if end < 0 else end)
            i = (i if close < 0 else close) + 1
        else:
            if char == "{":
                stack.append("{")
            elif char == "}" and stack and stack.pop() == "{":
                closes.append(i)
            i += 1
    return closes


def parseable_source(code: str) -> str:
    """The code, same length, with `;` for the blank before a `}` that ends a line's last
    statement (`class A { val x = 1;}`): what tree-sitter-kotlin reads without the bug above."""
    chars = list(code)
    for close in _code_closing_braces(code):
        before = close - 1
        if before < 1 or code[before] not in " \t":
            continue
        last = before
        while last > 0 and code[last - 1] in " \t":
            last -= 1
        # Not after an opening brace, a separator, a lambda's arrow, or alone on its line.
        if last > 0 and code[last - 1] not in "{;,\r\n" and not code.startswith("->", last - 2):
            chars[before] = ";"
    return "".join(chars)


def _errors(root: tree_sitter.Node) -> int:
    return sum(1 for node in walk(root) if node.is_error or node.is_missing) if root.has_error else 0


def _parse(code: str) -> tree_sitter.Node:
    """The code's tree; on a parse error, the tree of parseable_source(code) when it has fewer."""
    root = parse_root(LANGUAGE, code)
    if root.has_error:
        patched = parseable_source(code)
        if patched != code:
            other = parse_root(LANGUAGE, patched)
            if _errors(other) < _errors(root):
                return other
    return root


def _classify(node: tree_sitter.Node) -> str:
    return "declaration" if node.type in _DECLARATIONS else "statement"


def _header(code: str) -> tuple[str | None, list[str], str, bool]:
    """(package, import lines, the rest, whether file annotations were dropped)."""
    found = _PACKAGE_LINE.search(code)
    imports = [m.group(1) for m in _IMPORT_LINE.finditer(code)]
    rest = _IMPORT_LINE.sub("", _PACKAGE_LINE.sub("", code))
    rest, annotations = _FILE_ANNOTATION.subn("", rest)
    return (found.group(1) if found else None), imports, rest, annotations > 0


def _property_names(node: tree_sitter.Node) -> set[str]:
    names = set()
    for child in node.named_children:
        if child.type == "variable_declaration":
            names |= {node_text(n) for n in child.named_children if n.type in ("identifier", "simple_identifier")}
        elif child.type == "multi_variable_declaration":
            names |= {node_text(n) for n in assembly.descendants(child, "identifier", "simple_identifier")}
    return names


def _declared_names(nodes: list[tree_sitter.Node]) -> set[str]:
    names = set()
    for node in nodes:
        if node.type == "property_declaration":
            names |= _property_names(node)
        elif node.type in _DECLARATIONS:
            names.add(assembly.name_of(node))
    return names


def _body_members(node: tree_sitter.Node) -> list[tree_sitter.Node]:
    body = next((c for c in node.named_children if c.type == "class_body"), None)
    return list(body.named_children) if body is not None else []


def _takes_arguments(function: tree_sitter.Node) -> bool:
    params = next((c for c in function.named_children if c.type == "function_value_parameters"), None)
    return params is not None and any(c.type == "parameter" for c in params.named_children)


def _main_of(node: tree_sitter.Node) -> tree_sitter.Node | None:
    """The `main` an object, or a class's companion object, declares: what the JVM would run."""
    if node.type == "object_declaration":
        members = _body_members(node)
    elif node.type == "class_declaration":
        companions = [c for c in _body_members(node) if c.type == "companion_object"]
        members = [m for companion in companions for m in _body_members(companion)]
    else:
        return None
    return next((m for m in members if m.type == "function_declaration" and assembly.name_of(m) == "main"), None)


def _unqualify_kotlin_test(code: str) -> tuple[str, bool]:
    """`kotlin.test.assertTrue(...)` -> `assertTrue(...)`, which the stand-ins below answer."""
    edits = []
    for node in assembly.descendants(_parse(code), "navigation_expression"):
        parent = node.parent
        if (
            "".join(node_text(node).split()) == "kotlin.test"
            and parent is not None
            and parent.type == "navigation_expression"
            and parent.named_children[0] == node
        ):
            edits.append(Edit(node.start_byte, parent.named_children[-1].start_byte, ""))
    return apply_edits(code, edits), bool(edits)


COMPLETION = CompletionTable(
    blocks=frozenset({"source_file", "block", "statements", "control_structure_body"}),
    calls={"call_expression": "value_arguments"},
    exits=dict.fromkeys(_EXITS, Status.UNKNOWN),
    inert=frozenset({"line_comment", "block_comment", "multiline_comment", "comment"}),
    functions=frozenset({"function_declaration"}),
    entry_points=frozenset({"main"}),
    loops=frozenset({"for_statement", "while_statement", "do_while_statement"}),
    handlers=frozenset({"catch_block", "finally_block"}),
    callbacks=frozenset(
        {"lambda_literal", "annotated_lambda", "anonymous_function", "class_body", "anonymous_initializer"}
    ),
    short_circuit=frozenset({"||", "&&", "?:"}),
    failures=frozenset({"error"}),
)


def _rename_main(reference: str) -> tuple[str, bool]:
    """A top-level `fun main` in the reference would clash with the generated one."""
    root = _parse(reference)
    if not any(c.is_error for c in root.children):
        edits = []
        for node in root.named_children:
            name = node.child_by_field_name("name")
            if node.type == "function_declaration" and name is not None and node_text(name) == "main":
                edits.append(Edit(name.start_byte, name.end_byte, "syntheticReferenceMain"))
        return apply_edits(reference, edits), bool(edits)
    renamed, count = _MAIN_FUN.subn(r"\1syntheticReferenceMain", reference)
    return renamed, count > 0


def _add_assertions(asm: assembly.Assembly, body: str) -> list[assembly.Part]:
    """Declarations to the top level, statements into the assertions function."""
    parts = assembly.assertion_parts(LANGUAGE, body, _classify, _parse(body))
    if parts is None:  # the top level does not parse: keep the statements whole for kotlinc
        assembly.add_unparsed(asm, body, _MAIN_FUN, _ANY_MAIN_FUN, _call_renamed_main)
        return []
    shared = assembly.shared_variables(
        parts,
        lambda p: p.node.type == "property_declaration",
        lambda p: p.kind == "declaration",
        lambda p: _property_names(p.node),
    )
    for index, part in enumerate(parts):
        node = part.node
        if index in shared:
            asm.sections.append(part.text)
            asm.rewrites.add("moved the assertions' variables that their functions use to the top level")
        elif part.kind != "declaration":
            asm.statements.append(part.text)
        elif node.type == "function_declaration" and assembly.name_of(node) == "main":
            name = node.child_by_field_name("name")
            assert name is not None
            asm.sections.append(part.edited([Edit(name.start_byte, name.end_byte, assembly.RENAMED_MAIN)]))
            asm.calls.append(f"{assembly.RENAMED_MAIN}({'args' if _takes_arguments(node) else ''})")
            asm.rewrites.add("renamed the assertions' main and called it")
        else:
            asm.sections.append(part.text)
            main = _main_of(node)
            if main is not None:  # Class.main reaches a companion's main, @JvmStatic or not
                asm.calls.append(f"{assembly.name_of(node)}.main({'args' if _takes_arguments(main) else ''})")
                asm.rewrites.add(f"called the assertions' {assembly.name_of(node)}.main")
    if not asm.statements and not asm.calls:
        raise NotRunnable("the assertions only declare functions or classes and nothing runs them (no main)")
    return parts


def _call_renamed_main(body: str) -> str:
    return f"{assembly.RENAMED_MAIN}({'' if _RENAMED_WITHOUT_ARGUMENTS.search(body) else 'args'})"


def _member_imports(
    asm: assembly.Assembly, reference_body: str, test_body: str, test_parts: list[assembly.Part]
) -> None:
    """Import the members of the reference's objects that the assertions call without the object's name."""
    ref_root = _parse(reference_body)
    defined = _declared_names([*ref_root.named_children, *(p.node for p in test_parts)])
    used = assembly.unqualified_names(LANGUAGE, test_body, _parse(test_body)) - defined
    prefix = f"{asm.package}." if asm.package else ""
    for node in ref_root.named_children:
        if node.type == "object_declaration":
            members = sorted(_declared_names(_body_members(node)) & used)
            asm.imports += [f"import {prefix}{assembly.name_of(node)}.{member}" for member in members]
            if members:
                asm.rewrites.add("imported object members that the assertions call unqualified")


def assemble(reference: str, assertions: str, function_name: str) -> Program:
    del function_name  # Kotlin calls top-level functions by name: nothing to wrap
    asm = assembly.Assembly()
    asm.package, asm.imports, reference_body, annotations = _header(reference)
    if annotations:
        asm.rewrites.add("dropped the reference's @file annotations")
    reference_body, renamed = _rename_main(reference_body)
    if renamed:
        asm.rewrites.add("renamed the reference's main to syntheticReferenceMain")
    test_package, test_imports, test_body, _ = _header(assertions)
    if test_package is not None:
        asm.rewrites.add("dropped the assertions' package line")
    if _TEST_RUNNERS.search(assertions):
        raise NotRunnable("the assertions need a test framework (JUnit, Kotest, TestNG): write plain statements")
    if _TEST_ANNOTATION.search(test_body):
        raise NotRunnable("the assertions are @Test functions, which need a test runner: write plain statements")
    kotlin_test = [line for line in test_imports if _KOTLIN_TEST_IMPORT.match(line)]
    test_body, qualified = _unqualify_kotlin_test(test_body)
    if kotlin_test or qualified:
        asm.sections.append(KOTLIN_TEST)
        asm.rewrites.add("kotlin.test assertions -> built-in equivalents (kotlin-test is not on the class path)")
    asm.imports += [line for line in test_imports if line not in kotlin_test]
    test_body, _ = finish_exits(test_body, _parse(test_body), COMPLETION, "syntheticExit", asm.rewrites)
    test_parts = _add_assertions(asm, test_body)
    _member_imports(asm, reference_body, test_body, test_parts)
    lines = [
        *([f"package {asm.package}", ""] if asm.package else []),
        *assembly.unique(asm.imports),
        PROLOGUE,
        reference_body.strip("\n"),
        "",
        *asm.sections,
        "",
        "private fun syntheticTests(args: Array<String>) {",
        *asm.statements,
        *asm.calls,
        "}",
        EPILOGUE,
    ]
    main_class = f"{asm.package}.MainKt" if asm.package else "MainKt"
    runtime = _installed_runtime()
    # The installation's standard library when there is one: -include-runtime would copy it
    # into every jar, which costs more than compiling a small file.
    bundle = () if runtime else ("-include-runtime",)
    compile_step = jvm.compile_step("kotlinc", "-nowarn", "main.kt", *bundle, "-d", "main.jar")
    classpath = f"main.jar:{runtime}" if runtime else "main.jar"
    # Kotlin's assert() checks the JVM's assertion status; check/require always run.
    run = jvm.run_step(classpath, main_class, (str(Path(runtime).parent),) if runtime else ())
    return Program({"main.kt": "\n".join(lines)}, "main.kt", (compile_step, run), asm.rewrites)


@cache
def _installed_runtime() -> str:
    """kotlin-stdlib.jar of the kotlinc on PATH, or "" when there is none to be found."""
    from pytest_synthetic import toolchains  # noqa: PLC0415 (the language registry imports this module)

    folder = toolchains.installation("kotlinc")
    runtime = folder / _RUNTIME if folder is not None else None
    return str(runtime) if runtime is not None and runtime.is_file() else ""


_ZEROS = (
    (r"Unit", VOID),
    (r"Int|Long|Short|Byte", "0"),
    (r"Double", "0.0"),
    (r"Float", "0f"),
    (r"Boolean", "false"),
    (r"String", '""'),
    (r"(?:List|Collection|Iterable)<.*>", "emptyList()"),
    (r"MutableList<.*>", "mutableListOf()"),
    (r"Map<.*>", "emptyMap()"),
    (r"MutableMap<.*>", "mutableMapOf()"),
    (r"Set<.*>", "emptySet()"),
    (r"MutableSet<.*>", "mutableSetOf()"),
    (r"(Int|Long|Double|Boolean|Char)Array", r"\1Array(0)"),
    (r"Array<.*>", "emptyArray()"),
    (r"Pair<.*>|Triple<.*>", ""),
)
# What the strength check mutates, and how it writes a stub of the function.
MUTATION = MutationTable(
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
)
SCHEMA = SchemaStyle(
    switch=schema_switch(templates.part(_HARNESS, "SCHEMA_SWITCH")),
    body="{{ if (syntheticMutant == {id}) {mutated} else {original} }}",
)


def _result_type(definition: tree_sitter.Node) -> str | None:
    """The type after the parameters; `Unit` for a block body without one (`= expr` infers it)."""
    after = False
    for child in definition.named_children:
        if child.type == "function_value_parameters":
            after = True
        elif after and child.type.endswith("_type"):
            return node_text(child)
    block = any(c.type == "function_body" and node_text(c).startswith("{") for c in definition.children)
    return "Unit" if block else None


STUBS = StubStyle(
    "{{ return {} }}",
    '{ throw RuntimeException("stub") }',
    zeros=_ZEROS,
    null="null",
    value_types=r"[^?]*",  # only a nullable type takes null
    result_type=_result_type,
)


LANGUAGE = Language(
    name="Kotlin",
    key="kotlin",
    aliases=("kt",),
    grammar=tree_sitter_kotlin.language,
    definitions_query="""
(function_declaration name: (identifier) @name)
(class_declaration name: (identifier) @name)
(object_declaration name: (identifier) @name)
""",
    toolchains=(
        Toolchain(
            "kotlinc",
            ("-version",),
            "npm install --prefix .toolchains kotlin-compiler@2.0.21 (Kotlin 2.0; later versions reject "
            "toLowerCase() and other calls LLMs still write, and Debian's `apt-get install kotlin` is "
            "Kotlin 1.3, too old for much of today's code)",
        ),
        Toolchain("java", ("-version",), "apt-get install default-jre-headless"),
    ),
    assemble=assemble,
    failure=JVM_FAILURE,
    mutation=MUTATION,
    stubs=STUBS,
    schema=SCHEMA,
    typed=True,
    cold_cost=8.0,
    statement_context=("fun main() {\n", "\n}\n"),
)
