"""Scala: names, grammar, and how an entry becomes a runnable program.

One file, main.scala, compiled by scalac (Scala 2 syntax: Debian ships Scala 2.11). A
Scala 2 file holds only classes, objects and traits at its top level, so a reference with
top-level `def`s or `val`s (Scala 3 style) is wrapped whole in `object SyntheticReference`
and imported. The assertions become the body of a method of `object SyntheticMain`.

Completion secret: SyntheticMain's first field reads it. The JVM initialises the object
when its main() is called, before the assertions; the reference's objects initialise on
first use, after it. So no reference code runs before the secret is read.
Not covered: code that deliberately reads the private field by reflection.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import tree_sitter
import tree_sitter_scala

from pytest_synthetic import toolchains
from pytest_synthetic.languages import _class_assembly as assembly
from pytest_synthetic.languages import _jvm as jvm
from pytest_synthetic.languages import templates
from pytest_synthetic.languages.base import (
    COMPLETION_PATH,
    JVM_FAILURE,
    Language,
    NotRunnable,
    Program,
    Step,
    Toolchain,
)
from pytest_synthetic.languages.completion import CompletionTable, Status, finish_exits
from pytest_synthetic.languages.strength_tables import MutationTable, SchemaStyle, StubStyle, schema_switch
from pytest_synthetic.languages.toolkit import Edit, parse_root, walk
from pytest_synthetic.languages.toolkit import text as node_text

MAIN_OBJECT = "SyntheticMain"
WRAPPER = "SyntheticReference"
_TYPES = frozenset({"class_definition", "object_definition", "trait_definition"})
_EXITS = frozenset({"sys.exit", "scala.sys.exit", "System.exit", "java.lang.System.exit"})
_IMPORT_LINE = re.compile(r"^[ \t]*import[ \t]+[^\n]+$", re.MULTILINE)
_PACKAGE_LINE = re.compile(r"^[ \t]*package[ \t]+([\w.]+)[ \t]*;?[ \t]*$", re.MULTILINE)
# Test frameworks that are not on scalac's class path: their suites need a runner anyway.
_TEST_FRAMEWORKS = re.compile(
    r"\b(?:org\.scalatest|org\.specs2|org\.scalacheck|org\.junit|munit|utest)\.|@Test\b"
    r"|\bextends\s+(?:Any)?(?:FunSuite|FlatSpec|WordSpec|FreeSpec|FunSpec|PropSpec|FeatureSpec|Specification)\b"
)
_DEFINITIONS = frozenset({*_TYPES, "function_definition", "function_declaration", "type_definition"})
_TOP_MAIN = re.compile(r"^(def[ \t]+)main(?=[ \t]*[(\[:={])", re.MULTILINE)
_ANY_ENTRY = re.compile(r"\bdef[ \t]+main\b|\bextends[ \t]+App\b")

# Parts of standins/scala_harness.scala; the assertions' lines follow PROLOGUE's last line.
_HARNESS = "scala_harness.scala"
PROLOGUE = templates.fill(templates.part(_HARNESS, "PROLOGUE"), COMPLETION_PATH=COMPLETION_PATH).removesuffix("\n")
EPILOGUE = templates.part(_HARNESS, "EPILOGUE")


def _scala_library() -> str | None:
    """The scala-library.jar beside scalac, when it is in a system folder every sandbox sees."""
    scalac = toolchains.which("scalac")
    if scalac is None:
        return None
    library = Path(scalac).resolve().parent.parent / "lib" / "scala-library.jar"
    system = str(library).startswith(toolchains.SYSTEM_PREFIXES)
    return str(library) if system and library.is_file() else None


def _classify(node: tree_sitter.Node) -> str:
    kind = node.type
    if kind == "package_clause":
        return "package" if node.child_by_field_name("body") is None else "other"
    if kind == "import_declaration":
        return "import"
    if kind in _TYPES:
        return "type"
    return "other"


def _members(node: tree_sitter.Node) -> set[str]:
    """Names of the defs, vals and vars directly in a class/object body."""
    body = node.child_by_field_name("body")
    names: set[str] = set()
    for member in body.named_children if body is not None else []:
        if member.type in ("function_definition", "function_declaration"):
            names.add(assembly.name_of(member))
        elif member.type in ("val_definition", "var_definition", "val_declaration", "var_declaration"):
            pattern = member.child_by_field_name("pattern") or member.child_by_field_name("name")
            if pattern is not None:
                names |= {node_text(n) for n in walk(pattern) if n.type == "identifier"}
    return names


def _top_names(parts: list[assembly.Part]) -> set[str]:
    names: set[str] = set()
    for part in parts:
        node = part.node
        if node.type in ("function_definition", "function_declaration", *_TYPES):
            names.add(assembly.name_of(node))
        elif node.type in ("val_definition", "var_definition"):
            pattern = node.child_by_field_name("pattern")
            if pattern is not None:
                names |= {node_text(n) for n in walk(pattern) if n.type == "identifier"}
    return names


def _is_entry(node: tree_sitter.Node) -> bool:
    """An object the assertions meant to run: `extends App` or with its own main."""
    if node.type != "object_definition":
        return False
    extends = next((c for c in node.named_children if c.type == "extends_clause"), None)
    if extends is not None and re.search(r"\bApp\b", node_text(extends)):
        return True
    return "main" in _members(node)


COMPLETION = CompletionTable(
    blocks=frozenset({"compilation_unit", "block", "template_body", "indented_block"}),
    calls={"call_expression": "arguments"},
    exits=dict.fromkeys(_EXITS, Status.UNKNOWN),
    inert=frozenset({"comment", "block_comment"}),
    # an object's body runs when the object is first used: only one the assertions run is a top level
    functions=frozenset({"function_definition", "object_definition", "class_definition"}),
    entry_points=frozenset({"main"}),
    is_entry=_is_entry,
    loops=frozenset({"while_expression", "for_expression", "do_while_expression"}),
    handlers=frozenset({"catch_clause", "finally_clause"}),
    callbacks=frozenset({"lambda_expression", "case_block"}),
    short_circuit=frozenset({"||", "&&"}),
    failures=frozenset({"throw_expression"}),
)


@dataclass(frozen=True)
class _Reference:
    wrapped: bool  # its definitions live in object SyntheticReference
    names: set[str]  # what it defines at its top level
    objects: list[tuple[str, set[str]]]  # its objects and their members


def _add_reference(asm: assembly.Assembly, reference: str) -> _Reference:
    parts = assembly.top_level_parts(LANGUAGE, reference, _classify)
    if parts is None:  # does not parse: leave it whole for scalac to report
        found = _PACKAGE_LINE.search(reference)
        asm.package = found.group(1) if found else None
        asm.sections.append(_PACKAGE_LINE.sub("", reference))
        return _Reference(False, set(), [])
    body = [p for p in parts if p.kind not in ("package", "import")]
    packages = [node_text(p.node).split(None, 1)[1].strip() for p in parts if p.kind == "package"]
    asm.package = packages[0] if packages else None
    asm.imports += [p.text for p in parts if p.kind == "import"]
    wrapped = any(p.kind != "type" for p in body)
    if wrapped:  # Scala 2 allows only classes, objects and traits at the top level
        asm.sections += [f"object {WRAPPER} {{", *(p.text for p in body), "}"]
        asm.rewrites.add(f"wrapped the reference's top-level definitions in object {WRAPPER} and imported it")
    else:
        asm.sections += [p.text for p in body]
    objects = [(assembly.name_of(p.node), _members(p.node)) for p in body if p.node.type == "object_definition"]
    return _Reference(wrapped, _top_names(body), objects)


def _main_call(parameters: tree_sitter.Node | None) -> str:
    """The call of the renamed main. Scala 2 rejects `()` on a def declared without a
    parameter list (`def main: Unit = ...`): "Unit does not take parameters"."""
    if parameters is None:
        return f"    {assembly.RENAMED_MAIN}"
    return f"    {assembly.RENAMED_MAIN}({'args' if parameters.named_child_count > 0 else ''})"


def _add_assertions(asm: assembly.Assembly, assertions: str) -> set[str]:
    """Place the assertions; returns the names they define at their top level."""
    parts = assembly.assertion_parts(LANGUAGE, assertions, _classify)
    if parts is None:  # does not parse: keep it whole in the method body for scalac
        _add_unparsed(asm, assertions)
        return set()
    runs = False
    for part in parts:
        node = part.node
        if part.kind == "package":
            asm.rewrites.add("dropped the assertions' package line")
        elif part.kind == "import":
            asm.imports.append(part.text)
        elif _is_entry(node):
            asm.sections.append(part.text)
            asm.calls.append(f"    {assembly.name_of(node)}.main(args)")
            asm.rewrites.add(f"called the assertions' {assembly.name_of(node)}.main")
        elif node.type == "function_definition" and assembly.name_of(node) == "main":
            # A bare main (meant for an object around it) becomes a local def: renamed, called last.
            name = node.child_by_field_name("name")
            assert name is not None
            asm.statements.append(part.edited([Edit(name.start_byte, name.end_byte, assembly.RENAMED_MAIN)]))
            asm.calls.append(_main_call(node.child_by_field_name("parameters")))
            asm.rewrites.add("renamed the assertions' main and called it")
        else:
            asm.statements.append(part.text)
            runs |= node.type not in _DEFINITIONS
    if not runs and not asm.calls:
        raise NotRunnable("the assertions only define methods or classes and nothing runs them (no main)")
    return _top_names(parts)


def _add_unparsed(asm: assembly.Assembly, assertions: str) -> None:
    """Assertions whose top level does not parse, whole in the method body for scalac to judge."""
    asm.imports += [m.group(0) for m in _IMPORT_LINE.finditer(assertions)]
    body = _IMPORT_LINE.sub("", _PACKAGE_LINE.sub("", assertions))
    assembly.add_unparsed(asm, body, _TOP_MAIN, _ANY_ENTRY, _call_unparsed_main)


def _call_unparsed_main(body: str) -> str:
    """`def main(): ...` is called with `()`, `def main: ...` without, `def main(args...)` with args."""
    declared = re.search(rf"\bdef[ \t]+{assembly.RENAMED_MAIN}[ \t]*(\([ \t]*\))?[ \t]*[:={{]", body)
    if declared is None:
        return f"    {assembly.RENAMED_MAIN}(args)"
    return f"    {assembly.RENAMED_MAIN}{'()' if declared.group(1) else ''}"


def assemble(reference: str, assertions: str, function_name: str) -> Program:
    del function_name  # Scala calls top-level defs by name once wrapped and imported
    if _TEST_FRAMEWORKS.search(assertions):
        raise NotRunnable("the assertions need a test framework (ScalaTest, specs2, MUnit): write plain statements")
    asm = assembly.Assembly()
    root = parse_root(LANGUAGE, assertions)
    assertions, _ = finish_exits(assertions, root, COMPLETION, f"{MAIN_OBJECT}.syntheticExit", asm.rewrites)
    ref = _add_reference(asm, reference)
    test_names = _add_assertions(asm, assertions)
    used = assembly.unqualified_names(LANGUAGE, assertions) - ref.names - test_names
    prefix = f"{WRAPPER}." if ref.wrapped else ""
    member_imports = [f"import {prefix}{name}._" for name, members in ref.objects if members & used]
    if member_imports:
        asm.rewrites.add("imported the members of the reference's objects that the assertions use unqualified")
    lines = [
        *([f"package {asm.package}", ""] if asm.package else []),
        *assembly.unique(asm.imports),
        *([f"import {WRAPPER}._"] if ref.wrapped else []),
        *member_imports,
        "",
        *asm.sections,
        "",
        PROLOGUE,
        *asm.statements,
        *asm.calls,
        EPILOGUE,
    ]
    main = f"{asm.package}.{MAIN_OBJECT}" if asm.package else MAIN_OBJECT
    compile_step = jvm.compile_step("scalac", "-encoding", "UTF-8", "-nowarn", "-d", ".", "main.scala")
    # Scala's assert is Predef.assert: always on. -ea is for Java-style asserts in libraries.
    library = _scala_library()
    if library is not None:  # plain java: the `scala` launcher costs three times the CPU
        run = jvm.run_step(f".:{library}", main)
    else:
        argv = ("scala", *jvm.through_launcher(jvm.JVM_RUN_FLAGS), "-J-ea", "-cp", ".", main)
        run = Step("run", argv, jvm.RUN_LIMITS, jvm.JVM_ENV)
    return Program({"main.scala": "\n".join(lines)}, "main.scala", (compile_step, run), asm.rewrites)


_ZEROS = (
    (r"Unit", "()"),
    (r"Int|Long|Short|Byte", "0"),
    (r"Double|Float", "0.0"),
    (r"Boolean", "false"),
    (r"String", '""'),
    (r"List\[.*\]", "Nil"),
    (r"(Seq|Vector|IndexedSeq|Map|Set|Iterable)\[.*\]", r"\1()"),
    (r"Array\[(.*)\]", r"Array.empty[\1]"),
    (r"Option\[.*\]", "None"),
)
# What the strength check mutates, and how it writes a stub of the function.
MUTATION = MutationTable(
    binary=frozenset({"infix_expression"}),
    integers=frozenset({"integer_literal"}),
    conditions=(("if_expression", "condition"), ("while_expression", "condition")),
    ternaries=(),
    statements=frozenset({"assignment_expression", "call_expression", "infix_expression"}),
    statement_parents=frozenset({"block"}),
    loops=frozenset({"for_expression", "while_expression"}),
    returns=frozenset({"return_expression"}),
    functions=frozenset({"function_definition"}),
    empty_statement="()",
    bare_return="return",
    implicit_return="return {}",
    operator_nodes=frozenset({"operator_identifier"}),
)
SCHEMA = SchemaStyle(
    switch=schema_switch(templates.part(_HARNESS, "SCHEMA_SWITCH")),
    body="{{ if (SyntheticMutantSwitch.id == {id}) {mutated} else {original} }}",
)
STUBS = StubStyle("{{ {} }}", '{ throw new RuntimeException("stub") }', zeros=_ZEROS)


LANGUAGE = Language(
    name="Scala",
    key="scala",
    grammar=tree_sitter_scala.language,
    definitions_query="""
(function_definition name: (identifier) @name)
(object_definition name: (identifier) @name)
(class_definition name: (identifier) @name)
""",
    toolchains=(
        Toolchain("scalac", ("-version",), "apt-get install scala (Scala 2; Scala 3-only syntax does not compile)"),
        Toolchain("scala", ("-version",), "apt-get install scala"),
        Toolchain("java", ("-version",), "apt-get install default-jre-headless"),
    ),
    assemble=assemble,
    failure=JVM_FAILURE,
    mutation=MUTATION,
    stubs=STUBS,
    schema=SCHEMA,
    typed=True,
    cold_cost=5.0,
    statement_context=("object Main { def main(args: Array[String]): Unit = {\n", "\n} }\n"),
)
