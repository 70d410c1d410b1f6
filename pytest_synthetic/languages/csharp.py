"""C#: names, grammar, and how an entry becomes a runnable program.

One file, main.cs, compiled by Mono's mcs (C# 7 at most: no .NET SDK in Debian) and run
by mono. `using` directives of both parts go to the top, with System, System.Linq and
System.Collections.Generic added when absent. The reference keeps its types; loose
methods become static members of a class. The assertions become the body of a method of
the static class SyntheticMain, whose Main is the entry point (`-main:`), so a `Main` in
the reference is never run and does not clash.

Mono's Debug.Assert and Trace.Assert never stop a program (compiled away without DEBUG,
and with it they only print), so in the assertions they are rewritten to a check that
throws on a false condition.

Completion secret: Main's first statement reads it. Main touches nothing of the reference:
the assertions live in a separate method that is never inlined, so no type initialiser of
the reference (static constructor, static field) can run before the secret is read, even
when Mono runs such initialisers eagerly while compiling the method that uses the type.
Not covered: code that deliberately reads SyntheticMain's private field by reflection.
"""

from __future__ import annotations

import re

import tree_sitter
import tree_sitter_c_sharp

from pytest_synthetic.languages import _jvm_assembly as jvm
from pytest_synthetic.languages.base import (
    COMPLETION_PATH,
    FailurePattern,
    Language,
    NotRunnable,
    Program,
    Step,
    Toolchain,
)
from pytest_synthetic.sandbox import Limits

MAIN_CLASS = "SyntheticMain"
COMMON_USINGS = ("using System;", "using System.Collections.Generic;", "using System.Linq;")
_TYPES = frozenset(
    {
        "class_declaration",
        "struct_declaration",
        "interface_declaration",
        "enum_declaration",
        "record_declaration",
        "record_struct_declaration",
        "delegate_declaration",
        "namespace_declaration",
        "file_scoped_namespace_declaration",
    }
)
_ACCESS = frozenset({"public", "private", "protected", "internal"})
_ASSERTS = frozenset(
    {"Debug.Assert", "Trace.Assert", "System.Diagnostics.Debug.Assert", "System.Diagnostics.Trace.Assert"}
)
_EXITS = frozenset({"Environment.Exit", "System.Environment.Exit"})
_USING_LINE = re.compile(
    r"^[ \t]*using[ \t]+(?:static[ \t]+)?[\w.]+(?:[ \t]*=[ \t]*[\w.<>, ]+)?[ \t]*;[ \t]*$", re.MULTILINE
)
_FILE_NAMESPACE = re.compile(r"^[ \t]*namespace[ \t]+([\w.]+)[ \t]*;[ \t]*$", re.MULTILINE)
_TEST_FRAMEWORKS = re.compile(r"^\s*using\s+(NUnit|Xunit|Microsoft\.VisualStudio\.TestTools)\b", re.MULTILINE)

PROLOGUE = f"""public static class {MAIN_CLASS}
{{
    private static string syntheticDone;

    // Reads the secret first; touches nothing of the reference (see SyntheticTests).
    public static void Main(string[] args)
    {{
        syntheticDone = global::System.IO.File.ReadAllText("{COMPLETION_PATH}");
        SyntheticTests(args);
        SyntheticFinish();
    }}

    internal static void SyntheticFinish()
    {{
        global::System.Console.WriteLine();
        global::System.Console.WriteLine(syntheticDone);
        global::System.Console.Out.Flush();
    }}

    // The assertions' own Environment.Exit: Exit(0) from the assertions means they all ran.
    internal static void SyntheticExit(int status)
    {{
        if (status == 0) SyntheticFinish();
        global::System.Environment.Exit(status);
    }}

    // What Debug.Assert in the assertions becomes: a check that really fails.
    internal static void SyntheticAssert(bool condition, string message = null, string detail = null)
    {{
        if (!condition)
            throw new global::System.Exception("Assertion failed" + (message == null ? "" : ": " + message)
                + (detail == null ? "" : " " + detail));
    }}
"""
EPILOGUE = """
    // Never inlined into Main: compiling it may initialise reference types, after the secret is read.
    [global::System.Runtime.CompilerServices.MethodImpl(
        global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void SyntheticTests(string[] args)
    {
"""
CLOSING = """    }
}
"""


def _csharp() -> Language:
    return LANGUAGE


def _inner(node: tree_sitter.Node) -> tree_sitter.Node:
    """The statement inside a global_statement."""
    return node.named_children[0] if node.type == "global_statement" and node.named_children else node


def _classify(node: tree_sitter.Node) -> str:
    kind = node.type
    if kind == "comment":
        return "comment"
    if kind in ("using_directive", "extern_alias_directive"):
        return "using"
    if kind in _TYPES:
        return "type"
    inner = _inner(node).type
    if inner == "local_function_statement":
        return "method"
    if inner == "local_declaration_statement":
        return "variable"
    return "statement"


def _modifier_words(node: tree_sitter.Node) -> set[str]:
    return {jvm.node_text(child) for child in node.children if child.type == "modifier"}


def _after_attributes(node: tree_sitter.Node) -> int:
    """Where a modifier can be added: after any [Attribute] lists of the declaration."""
    return next((c.start_byte for c in node.children if c.type != "attribute_list"), node.start_byte)


def _as_member(part: jvm.Part, rename: str | None = None, public: bool = False) -> tuple[str, bool]:
    """A loose method or variable as a static class member (`static`, and `public` if asked,
    added when missing: loose code is meant to be callable from the statements)."""
    node = _inner(part.node)
    edits: list[tuple[int, int, str]] = []
    words = _modifier_words(node)
    needs_static = not words & {"static", "const"}  # a const is static already, and may not say so
    needs_public = public and not words & _ACCESS
    added = needs_static or needs_public
    prefix = ("public " if needs_public else "") + ("static " if needs_static else "")
    if prefix:
        edits.append((_after_attributes(node), _after_attributes(node), prefix))
    name = node.child_by_field_name("name")
    if rename and name is not None:
        edits.append((name.start_byte, name.end_byte, rename))
    text = part.edited(edits)
    return text, added


def _qualified_name(node: tree_sitter.Node) -> str:
    """Namespace- and class-qualified name of a type declaration."""
    names = [jvm.name_of(node)]
    parent = node.parent
    while parent is not None:
        if parent.type in (
            "namespace_declaration",
            "file_scoped_namespace_declaration",
            "class_declaration",
            "struct_declaration",
        ):
            names.append(jvm.name_of(parent))
        parent = parent.parent
    return ".".join(reversed(names))


def _namespaces(root: tree_sitter.Node) -> list[str]:
    found = jvm.descendants(root, "namespace_declaration", "file_scoped_namespace_declaration")
    return [_qualified_name(n) for n in found]


def _classes_with_methods(root: tree_sitter.Node) -> dict[str, set[str]]:
    """Non-generic classes and structs (qualified name) -> the names of their methods."""
    found = {}
    for node in jvm.descendants(root, "class_declaration", "struct_declaration"):
        if node.child_by_field_name("type_parameters") is not None:
            continue  # `using static` needs the type arguments of a generic class
        body = node.child_by_field_name("body")
        methods = {jvm.name_of(m) for m in (body.named_children if body else []) if m.type == "method_declaration"}
        found[_qualified_name(node)] = methods
    return found


def _rewrite_calls(code: str, targets: frozenset[str], replacement: str) -> tuple[str, bool]:
    edits = []
    for call in jvm.descendants(jvm.parse(_csharp(), code), "invocation_expression"):
        function = call.child_by_field_name("function")
        if function is not None and "".join(jvm.node_text(function).split()) in targets:
            edits.append((function.start_byte, function.end_byte, replacement))
    return jvm.edit(code, edits), bool(edits)


def _wrapper_name(assertions: str, function_name: str, taken: set[str]) -> str:
    """The class the assertions call the loose reference methods through (Solution.F), if any."""
    for call in jvm.descendants(jvm.parse(_csharp(), assertions), "member_access_expression"):
        target = call.child_by_field_name("expression")
        if target is not None and target.type == "identifier" and jvm.name_of(call) == function_name:
            name = jvm.node_text(target)
            if name[:1].isupper() and name not in taken:
                return name
    return jvm.pick_name("Solution", taken)


def _entry_calls(part: jvm.Part) -> tuple[str, list[str]]:
    """A type of the assertions with a static Main: made callable, and the call to it."""
    edits: list[tuple[int, int, str]] = []
    calls = []
    for node in jvm.descendants(part.node, "method_declaration"):
        if jvm.name_of(node) != "Main" or "static" not in _modifier_words(node):
            continue
        owner = node.parent.parent if node.parent is not None else None
        if owner is None or owner.type not in ("class_declaration", "struct_declaration"):
            continue
        access = [c for c in node.children if c.type == "modifier" and jvm.node_text(c) in _ACCESS]
        if not access:
            edits.append((_after_attributes(node), _after_attributes(node), "internal "))
        elif jvm.node_text(access[0]) in ("private", "protected"):
            edits.append((access[0].start_byte, access[0].end_byte, "internal"))
        params = node.child_by_field_name("parameters")
        call = f"{_qualified_name(owner)}.Main({'args' if params is not None and params.named_child_count else ''})"
        if "async" in _modifier_words(node):
            call += ".GetAwaiter().GetResult()"
        calls.append(call + ";")
    return part.edited(edits), calls[:1]


def _block_namespace(asm: jvm.Assembly, reference: str) -> str:
    """`namespace X;` (C# 10) as `namespace X { ... }`, which mcs understands."""
    found = _FILE_NAMESPACE.search(reference)
    if found is None:
        return reference
    asm.note("file-scoped namespace -> namespace block (mcs knows C# 7)")
    return f"{reference[: found.start()]}namespace {found.group(1)}\n{{{reference[found.end() :]}\n}}"


def _add_reference(asm: jvm.Assembly, reference: str, assertions: str, function_name: str) -> dict[str, set[str]]:
    """Place the reference; returns its classes (qualified names) with their method names."""
    reference = _block_namespace(asm, reference)
    root = jvm.parse(_csharp(), reference)
    classes = _classes_with_methods(root)
    parts = jvm.top_level_parts(_csharp(), reference, _classify)
    if parts is None:  # does not parse: keep it whole, mcs will say what is wrong
        asm.imports += [m.group(0) for m in _USING_LINE.finditer(reference)]
        asm.sections.append(_USING_LINE.sub("", reference))
        return classes
    loose: list[str] = []
    statements: list[str] = []
    made_static = False
    for part in parts:
        if part.kind == "using":
            asm.imports.append(part.text)
        elif part.kind == "type":
            asm.sections.append(part.text)
        elif part.kind in ("method", "variable"):
            text, added = _as_member(part, public=True)
            made_static |= added
            loose.append(text)
        else:
            statements.append(part.text)
    if loose or statements:
        wrapper = _wrapper_name(assertions, function_name, {jvm.name_of(n) for n in jvm.descendants(root, *_TYPES)})
        init = [f"    static {wrapper}()", "    {", *statements, "    }"] if statements else []
        asm.sections.append("\n".join([f"public static class {wrapper}", "{", *loose, *init, "}"]))
        classes[wrapper] = {jvm.name_of(_inner(p.node)) for p in parts if p.kind == "method"}
        made = " (made public static)" if made_static else ""
        asm.note(f"wrapped the loose methods in static class {wrapper}{made}")
        if statements:
            asm.note(f"moved the reference's loose statements into {wrapper}'s static constructor")
    return classes


def _add_assertions(asm: jvm.Assembly, assertions: str) -> None:
    parts = jvm.top_level_parts(_csharp(), assertions, _classify)
    if parts is None:  # does not parse: statements as they are, mcs will say what is wrong
        asm.imports += [m.group(0) for m in _USING_LINE.finditer(assertions)]
        asm.statements.append(_USING_LINE.sub("", assertions))
        return
    if not parts:
        raise NotRunnable("the assertions contain no code (empty or only comments)")
    shared = jvm.shared_variables(
        parts,
        lambda p: p.kind == "variable",
        lambda p: p.kind in ("method", "type"),
        lambda p: {jvm.name_of(d) for d in jvm.descendants(p.node, "variable_declarator")},
    )
    for index, part in enumerate(parts):
        if index in shared:
            asm.members.append(_as_member(part)[0])
            asm.note("made the assertions' variables that their methods use static fields")
        elif part.kind == "using":
            asm.imports.append(part.text)
        elif part.kind == "type":
            text, calls = _entry_calls(part)
            asm.sections.append(text)
            asm.calls += calls
            for call in calls:
                asm.note(f"called the assertions' {call.split('(')[0]}")
        elif part.kind == "variable" and _modifier_words(_inner(part.node)) & (_ACCESS | {"static", "readonly"}):
            asm.members.append(_as_member(part)[0])  # a field, as its modifiers say
        elif part.kind == "method":
            is_main = jvm.name_of(_inner(part.node)) == "Main"
            asm.members.append(_as_member(part, "SyntheticTestsMain" if is_main else None)[0])
            if is_main:
                params = _inner(part.node).child_by_field_name("parameters")
                arguments = "args" if params is not None and params.named_child_count else ""
                asm.calls.append(f"SyntheticTestsMain({arguments});")
                asm.note("renamed the assertions' Main and called it")
        else:
            asm.statements.append(part.text)


def _usings(asm: jvm.Assembly, reference: str, assertions: str, classes: dict[str, set[str]]) -> list[str]:
    """The using lines: both snippets', the common ones, their namespaces, and static ones
    for the reference classes whose methods the assertions call unqualified."""
    test_root = jvm.parse(_csharp(), assertions)
    names = _namespaces(jvm.parse(_csharp(), reference)) + _namespaces(test_root)
    namespaces = [f"using {name};" for name in jvm.unique(names)]
    functions = (call.child_by_field_name("function") for call in jvm.descendants(test_root, "invocation_expression"))
    called = {jvm.node_text(f) for f in functions if f is not None and f.type == "identifier"}
    statics = [f"using static {name};" for name, methods in classes.items() if methods & called]
    if statics:
        asm.note("`using static` for the reference classes whose methods the assertions call unqualified")
    present = {" ".join(line.split()) for line in asm.imports}
    common = [line for line in COMMON_USINGS if line not in present]
    return jvm.unique(common + asm.imports + namespaces + statics)


def assemble(reference: str, assertions: str, function_name: str) -> Program:
    if _TEST_FRAMEWORKS.search(assertions):
        raise NotRunnable("the assertions use a unit-test framework that is not available: write plain statements")
    asm = jvm.Assembly()
    assertions, asserts = _rewrite_calls(assertions, _ASSERTS, f"{MAIN_CLASS}.SyntheticAssert")
    if asserts:
        asm.note("Debug.Assert/Trace.Assert in the assertions -> a check that throws (Mono's never fail)")
    assertions, exits = _rewrite_calls(assertions, _EXITS, f"{MAIN_CLASS}.SyntheticExit")
    if exits:
        asm.note("Environment.Exit in the assertions -> exit that counts Exit(0) as finished")
    classes = _add_reference(asm, reference, assertions, function_name)
    _add_assertions(asm, assertions)
    lines = [
        *_usings(asm, reference, assertions, classes),
        "",
        *asm.sections,
        "",
        PROLOGUE,
        *asm.members,
        EPILOGUE,
        *asm.statements,
        *asm.calls,
        CLOSING,
    ]
    compile_step = Step(
        "compile",
        (
            "mcs",
            "-debug",
            "-nowarn:0168,0219,0414,0649,1998",
            "-r:System.Numerics",
            "-r:System.Core",
            f"-main:{MAIN_CLASS}",
            "-out:main.exe",
            "main.cs",
        ),
        Limits(wall_seconds=60, cpu_seconds=60),
    )
    # --debug: line numbers in the stack trace of a failed assertion.
    run = Step("run", ("mono", "--debug", "main.exe"), Limits(wall_seconds=10, cpu_seconds=10))
    return Program({"main.cs": "\n".join(lines)}, "main.cs", (compile_step, run), tuple(asm.rewrites))


LANGUAGE = Language(
    name="C#",
    key="csharp",
    aliases=("c#", "cs", "c-sharp", "c sharp", "dotnet"),
    grammar=tree_sitter_c_sharp.language,
    line_comment="//",
    definitions_query="""
(method_declaration name: (identifier) @name)
(class_declaration name: (identifier) @name)
(local_function_statement name: (identifier) @name)
""",
    toolchains=(
        Toolchain(
            "mcs",
            ("--version",),
            "apt-get install mono-mcs mono-runtime libmono-system-core4.0-cil libmono-system-numerics4.0-cil "
            "(Mono's C# compiler: C# 7, no records, switch expressions or local functions)",
        ),
        Toolchain("mono", ("--version",), "apt-get install mono-runtime"),
    ),
    assemble=assemble,
    failure=FailurePattern(
        r"^(?:\[ERROR\] FATAL UNHANDLED EXCEPTION: )?(?P<name>(?:\w+\.)*\w*Exception): (?P<message>.*)$",
        ("AssertFailedException", "AssertionException"),
        assertion_messages=("Assertion failed",),
    ),
)
