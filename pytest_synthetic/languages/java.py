"""Java: names, grammar, and how an entry becomes a runnable program.

Everything goes into one file, SyntheticMain.java, in one package (the reference's own
package, else `synthetic`): the reference's types (without `public`, which a shared file
allows only once), the assertions' own types, and the public class SyntheticMain whose
main runs the assertion statements.

Completion secret: SyntheticMain reads it in its static initialiser. The JVM initialises
the main class before main() and any other class only on its first use, so no reference
code (static initialisers, field initialisers, constructors) can run before the secret is
read; a reference that exits early, from anywhere, leaves the run incomplete.
Not covered: code that deliberately reads SyntheticMain's private field by reflection.
"""

from __future__ import annotations

import re

import tree_sitter
import tree_sitter_java

from pytest_synthetic.languages import _jvm_assembly as jvm
from pytest_synthetic.languages.base import (
    COMPLETION_PATH,
    JVM_FAILURE,
    Language,
    NotRunnable,
    Program,
    Step,
    Toolchain,
)

MAIN_CLASS = "SyntheticMain"
DEFAULT_PACKAGE = "synthetic"
# Assertions are statements for main(); the file around them imports what such statements
# commonly use (Arrays, List, Collectors, Function). On-demand imports never shadow a type
# the file declares or imports by name.
COMMON_IMPORTS = ("import java.util.*;", "import java.util.function.*;", "import java.util.stream.*;")

_TYPES = frozenset(
    {
        "class_declaration",
        "interface_declaration",
        "enum_declaration",
        "record_declaration",
        "annotation_type_declaration",
    }
)
_MEMBER_MODIFIERS = frozenset({"static", "public", "private", "protected"})
_IMPORT_LINE = re.compile(r"^\s*import\s+(static\s+)?[\w.]+(\.\*)?\s*;\s*$", re.MULTILINE)
_PACKAGE_LINE = re.compile(r"^\s*package\s+([\w.]+)\s*;", re.MULTILINE)
_PUBLIC_TYPE = re.compile(
    r"^(\s*)public\s+(?=(?:(?:abstract|final|sealed|non-sealed|static|strictfp)\s+)*"
    r"(?:class|interface|enum|record|@interface)\b)",
    re.MULTILINE,
)
_DROPPED_PUBLIC = "dropped `public` from top-level types so they share one file"
_JUNIT = re.compile(r"\borg\.junit\b|@Test\b|@ParameterizedTest\b")

PROLOGUE = f"""public class {MAIN_CLASS} {{
    // Static initialiser of the main class: runs before main() and before any reference class.
    private static final String SYNTHETIC_DONE = syntheticReadDone();

    private static String syntheticReadDone() {{
        try {{
            return new String(java.nio.file.Files.readAllBytes(java.nio.file.Paths.get("{COMPLETION_PATH}")),
                java.nio.charset.StandardCharsets.UTF_8);
        }} catch (java.io.IOException e) {{
            throw new java.io.UncheckedIOException(e);
        }}
    }}

    static void syntheticFinish() {{
        System.out.println();
        System.out.println(SYNTHETIC_DONE);
        System.out.flush();
    }}

    // The assertions' own System.exit: exit(0) from the assertions means they all ran.
    static void syntheticExit(int status) {{
        if (status == 0) {{
            syntheticFinish();
        }}
        System.exit(status);
    }}
"""
EPILOGUE = """
    public static void main(String[] args) throws Throwable {
        syntheticTests(args);
        syntheticFinish();
    }
}
"""


def _java() -> Language:
    return LANGUAGE


def _modifiers(node: tree_sitter.Node) -> tree_sitter.Node | None:
    return next((child for child in node.children if child.type == "modifiers"), None)


def _modifier_words(node: tree_sitter.Node) -> set[str]:
    mods = _modifiers(node)
    return {child.type for child in mods.children} if mods is not None else set()


def _classify(node: tree_sitter.Node) -> str:
    kind = node.type
    if kind in ("line_comment", "block_comment"):
        return "comment"
    if kind == "package_declaration":
        return "package"
    if kind == "import_declaration":
        return "import"
    if kind in _TYPES:
        return "type"
    if kind == "method_declaration":
        return "method"
    if kind in ("local_variable_declaration", "field_declaration") and _modifier_words(node) & _MEMBER_MODIFIERS:
        return "field"
    return "statement"


def _drop_public(asm: jvm.Assembly, part: jvm.Part) -> str:
    """A top-level type without `public`: a file may hold only one public type."""
    mods = _modifiers(part.node)
    public = next((c for c in mods.children if c.type == "public"), None) if mods is not None else None
    if public is None:
        return part.text
    end = public.end_byte
    data = part.text.encode("utf-8")
    while end - part.start < len(data) and data[end - part.start : end - part.start + 1] in (b" ", b"\t"):
        end += 1
    asm.note(_DROPPED_PUBLIC)
    return part.edited([(public.start_byte, end, "")])


def _make_static(part: jvm.Part, name: str | None = None) -> tuple[str, bool]:
    """The member's text with `static` added if missing (and renamed when name is given)."""
    edits: list[tuple[int, int, str]] = []
    added = "static" not in _modifier_words(part.node)
    if added:
        mods = _modifiers(part.node)
        if mods is not None:
            edits.append((mods.end_byte, mods.end_byte, " static"))
        else:
            edits.append((part.node.start_byte, part.node.start_byte, "static "))
    name_node = part.node.child_by_field_name("name")
    if name is not None and name_node is not None:
        edits.append((name_node.start_byte, name_node.end_byte, name))
    return part.edited(edits), added


def _method_names(body: tree_sitter.Node | None) -> set[str]:
    if body is None:
        return set()
    return {jvm.name_of(child) for child in body.named_children if child.type == "method_declaration"}


def _is_main(method: tree_sitter.Node) -> bool:
    return jvm.name_of(method) == "main"


def _takes_arguments(method: tree_sitter.Node) -> bool:
    params = method.child_by_field_name("parameters")
    return params is not None and params.named_child_count > 0


def _unqualified_calls(code: str) -> set[str]:
    root = jvm.parse(_java(), code)
    return {
        jvm.name_of(node)
        for node in jvm.descendants(root, "method_invocation")
        if node.child_by_field_name("object") is None
    }


def _rewrite_exit(assertions: str) -> tuple[str, bool]:
    """System.exit(...) in the assertions -> SyntheticMain.syntheticExit(...)."""
    root = jvm.parse(_java(), assertions)
    edits = []
    for call in jvm.descendants(root, "method_invocation"):
        target = call.child_by_field_name("object")
        if (
            target is not None
            and jvm.node_text(target) in ("System", "java.lang.System")
            and jvm.name_of(call) == "exit"
        ):
            name = call.child_by_field_name("name")
            assert name is not None
            edits.append((target.start_byte, name.end_byte, f"{MAIN_CLASS}.syntheticExit"))
    return jvm.edit(assertions, edits), bool(edits)


def _wrapper_name(assertions: str, function_name: str, taken: set[str]) -> str:
    """The class the assertions call the bare reference methods through (Solution.f), if any."""
    root = jvm.parse(_java(), assertions)
    for call in jvm.descendants(root, "method_invocation"):
        target = call.child_by_field_name("object")
        if target is not None and target.type == "identifier" and jvm.name_of(call) == function_name:
            name = jvm.node_text(target)
            if name[:1].isupper() and name not in taken:
                return name
    return jvm.pick_name("Solution", taken)


def _add_reference(asm: jvm.Assembly, reference: str, assertions: str, function_name: str) -> dict[str, set[str]]:
    """Place the reference; returns its top-level types with their method names."""
    parts = jvm.top_level_parts(_java(), reference, _classify)
    if parts is None:  # does not parse: keep it whole, javac will say what is wrong
        found = _PACKAGE_LINE.search(reference)
        asm.package = found.group(1) if found else asm.package
        asm.imports += [m.group(0) for m in _IMPORT_LINE.finditer(reference)]
        body, count = _PUBLIC_TYPE.subn(r"\1", _IMPORT_LINE.sub("", _PACKAGE_LINE.sub("", reference)))
        if count:
            asm.note(_DROPPED_PUBLIC)
        asm.sections.append(body)
        return {}
    types: dict[str, set[str]] = {}
    loose: list[str] = []
    statements: list[str] = []
    made_static = False
    for part in parts:
        if part.kind == "package":
            found = _PACKAGE_LINE.search(part.text)
            asm.package = found.group(1) if found else asm.package
        elif part.kind == "import":
            asm.imports.append(part.text)
        elif part.kind == "type":
            asm.sections.append(_drop_public(asm, part))
            types[jvm.name_of(part.node)] = _method_names(part.node.child_by_field_name("body"))
        elif part.kind in ("method", "field") or part.node.type == "local_variable_declaration":
            text, added = _make_static(part)
            made_static |= added
            loose.append(text)
        else:
            statements.append(part.text)
    if loose or statements:
        taken = {jvm.name_of(n) for n in jvm.descendants(jvm.parse(_java(), reference), *_TYPES)}
        wrapper = _wrapper_name(assertions, function_name, taken)
        types[wrapper] = {jvm.name_of(p.node) for p in parts if p.kind == "method"}
        init = ["    static {", *statements, "    }"] if statements else []
        asm.sections.append("\n".join([f"class {wrapper} {{", *loose, *init, "}"]))
        asm.note(f"wrapped the top-level methods in class {wrapper}" + (" (made static)" if made_static else ""))
        if statements:
            asm.note(f"moved the reference's top-level statements into a static block of {wrapper}")
    return types


def _add_assertions(asm: jvm.Assembly, assertions: str) -> None:
    parts = jvm.top_level_parts(_java(), assertions, _classify)
    if parts is None:  # does not parse: statements as they are, javac will say what is wrong
        asm.imports += [m.group(0) for m in _IMPORT_LINE.finditer(assertions)]
        asm.statements.append(_IMPORT_LINE.sub("", _PACKAGE_LINE.sub("", assertions)))
        return
    if not parts:
        raise NotRunnable("the assertions contain no code (empty or only comments)")
    shared = jvm.shared_variables(
        parts,
        lambda p: p.kind == "statement" and p.node.type == "local_variable_declaration",
        lambda p: p.kind in ("method", "type"),
        lambda p: {jvm.name_of(d) for d in p.node.named_children if d.type == "variable_declarator"},
    )
    for index, part in enumerate(parts):
        if index in shared:
            asm.members.append(_make_static(part)[0])
            asm.note("made the assertions' variables that their methods use static fields")
        elif part.kind == "package":
            asm.note("dropped the assertions' package line")
        elif part.kind == "import":
            asm.imports.append(part.text)
        elif part.kind == "type":
            asm.sections.append(_drop_public(asm, part))
            body = part.node.child_by_field_name("body")
            mains = [
                m
                for m in (body.named_children if body else [])
                if m.type == "method_declaration" and _is_main(m) and "static" in _modifier_words(m)
            ]
            for main in mains[:1]:
                asm.calls.append(f"{jvm.name_of(part.node)}.main({'args' if _takes_arguments(main) else ''});")
                asm.note(f"called the assertions' {jvm.name_of(part.node)}.main")
        elif part.kind in ("method", "field"):
            rename = "syntheticTestsMain" if part.kind == "method" and _is_main(part.node) else None
            asm.members.append(_make_static(part, rename)[0])
            if rename:
                asm.calls.append(f"{rename}({'args' if _takes_arguments(part.node) else ''});")
                asm.note("renamed the assertions' main and called it")
        else:
            asm.statements.append(part.text)


def assemble(reference: str, assertions: str, function_name: str) -> Program:
    if _JUNIT.search(assertions):
        raise NotRunnable("the assertions are JUnit tests; JUnit is not available: write plain statements")
    asm = jvm.Assembly(package=DEFAULT_PACKAGE)
    assertions, exits = _rewrite_exit(assertions)
    if exits:
        asm.note("System.exit in the assertions -> exit that counts exit(0) as finished")
    types = _add_reference(asm, reference, assertions, function_name)
    _add_assertions(asm, assertions)
    called = _unqualified_calls(assertions)
    statics = [name for name, methods in types.items() if methods & called]
    if statics:
        asm.note("static import of " + ", ".join(statics) + " for unqualified calls")
    package = asm.package or DEFAULT_PACKAGE
    present = {" ".join(line.split()) for line in asm.imports}
    common = [line for line in COMMON_IMPORTS if line not in present]
    lines = [
        f"package {package};",
        "",
        *jvm.unique(asm.imports + common),
        *(f"import static {package}.{name}.*;" for name in statics),
        "",
        *asm.sections,
        "",
        PROLOGUE,
        *asm.members,
        "    static void syntheticTests(String[] args) throws Throwable {",
        *asm.statements,
        *asm.calls,
        "    }",
        EPILOGUE,
    ]
    compile_step = Step(
        "compile",
        (
            "javac",
            *jvm.through_launcher(jvm.JVM_COMPILER_FLAGS),
            "-encoding",
            "UTF-8",
            "-proc:none",
            "-d",
            "classes",
            f"{MAIN_CLASS}.java",
        ),
        jvm.COMPILE_LIMITS,
        jvm.JVM_ENV,
    )
    # -ea: Java's `assert` statements are skipped without it.
    run = Step(
        "run",
        ("java", *jvm.JVM_RUN_FLAGS, "-ea", "-cp", "classes", f"{package}.{MAIN_CLASS}"),
        jvm.RUN_LIMITS,
        jvm.JVM_ENV,
    )
    source = "\n".join(lines)
    return Program({f"{MAIN_CLASS}.java": source}, f"{MAIN_CLASS}.java", (compile_step, run), tuple(asm.rewrites))


LANGUAGE = Language(
    name="Java",
    key="java",
    aliases=(),
    grammar=tree_sitter_java.language,
    line_comment="//",
    definitions_query="""
(method_declaration name: (identifier) @name)
(class_declaration name: (identifier) @name)
(record_declaration name: (identifier) @name)
(interface_declaration name: (identifier) @name)
""",
    toolchains=(
        Toolchain("javac", ("-version",), "apt-get install default-jdk-headless (javac, JDK 17 or newer)"),
        Toolchain("java", ("-version",), "apt-get install default-jre-headless"),
    ),
    assemble=assemble,
    failure=JVM_FAILURE,
)
