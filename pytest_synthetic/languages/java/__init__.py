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
from collections.abc import Callable
from functools import cache

import tree_sitter
import tree_sitter_java

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
from pytest_synthetic.languages.strength_tables import VOID, MutationTable, SchemaStyle, StubStyle, schema_switch
from pytest_synthetic.languages.toolkit import Edit, apply_edits, parse_root, walk
from pytest_synthetic.languages.toolkit import text as node_text

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
_MAIN_METHOD = re.compile(r"\bvoid\s+main\s*\(")
# The generated method's parameter: a name the assertions' own statements cannot have taken.
ARGS = "syntheticArgs"

# standins/SyntheticMain.java: the main class around the assertions.
_MAIN_FILE = "SyntheticMain.java"
PROLOGUE = templates.fill(templates.part(_MAIN_FILE, "PROLOGUE"), COMPLETION_PATH=COMPLETION_PATH)
EPILOGUE = templates.part(_MAIN_FILE, "EPILOGUE")


def _modifiers(node: tree_sitter.Node) -> tree_sitter.Node | None:
    return next((child for child in node.children if child.type == "modifiers"), None)


def _modifier_words(node: tree_sitter.Node) -> set[str]:
    mods = _modifiers(node)
    return {child.type for child in mods.children} if mods is not None else set()


def _classify(node: tree_sitter.Node) -> str:
    kind = node.type
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


def _drop_public(asm: assembly.Assembly, part: assembly.Part) -> str:
    """A top-level type without `public`: a file may hold only one public type."""
    mods = _modifiers(part.node)
    public = next((c for c in mods.children if c.type == "public"), None) if mods is not None else None
    if public is None:
        return part.text
    end = public.end_byte
    data = part.text.encode("utf-8")
    while end - part.start < len(data) and data[end - part.start : end - part.start + 1] in (b" ", b"\t"):
        end += 1
    asm.rewrites.add(_DROPPED_PUBLIC)
    return part.edited([Edit(public.start_byte, end, "")])


def _make_static(part: assembly.Part, name: str | None = None, edits: list[Edit] | None = None) -> tuple[str, bool]:
    """The member's text with `static` added if missing (and renamed when name is given)."""
    edits = list(edits or [])
    added = "static" not in _modifier_words(part.node)
    if added:
        mods = _modifiers(part.node)
        if mods is not None:
            edits.append(Edit(mods.end_byte, mods.end_byte, " static"))
        else:
            edits.append(Edit(part.node.start_byte, part.node.start_byte, "static "))
    name_node = part.node.child_by_field_name("name")
    if name is not None and name_node is not None:
        edits.append(Edit(name_node.start_byte, name_node.end_byte, name))
    return part.edited(edits), added


_LITERAL_TYPES = {
    "string_literal": "String",
    "text_block": "String",
    "character_literal": "char",
    "true": "boolean",
    "false": "boolean",
}


def _initializer_type(declaration: tree_sitter.Node) -> str | None:
    """The type a `var` declaration's initializer obviously has (`new T(...)`, a literal, a
    cast), which a field needs in place of `var`; None when it takes type inference."""
    declarators = [c for c in declaration.named_children if c.type == "variable_declarator"]
    value = declarators[0].child_by_field_name("value") if len(declarators) == 1 else None
    if value is None:
        return None
    operand = value.child_by_field_name("operand")
    if (
        value.type == "unary_expression"
        and operand is not None
        and operand.type.endswith(("integer_literal", "floating_point_literal"))
        and node_text(value)[:1] in "-+"
    ):
        value = operand  # var lowest = -1; (a negated char is an int: left to inference)
    kind, text = value.type, node_text(value)
    if kind in _LITERAL_TYPES:
        return _LITERAL_TYPES[kind]
    if kind.endswith("integer_literal"):
        return "long" if text[-1] in "lL" else "int"
    if kind.endswith("floating_point_literal"):
        return "float" if text[-1] in "fF" else "double"
    written = value.child_by_field_name("type")
    if written is None or kind not in ("object_creation_expression", "array_creation_expression", "cast_expression"):
        return None
    name = node_text(written)
    if kind == "array_creation_expression":
        dims = sum(node_text(c).count("[") for c in value.children if c.type in ("dimensions", "dimensions_expr"))
        return name + "[]" * dims
    return None if "<>" in "".join(name.split()) else name


def _as_field(part: assembly.Part) -> str | None:
    """A top-level local of the assertions as a static field; None when its type is unknown (`var`)."""
    written = part.node.child_by_field_name("type")
    if written is None or node_text(written) != "var":
        return _make_static(part)[0]
    known = _initializer_type(part.node)
    return None if known is None else _make_static(part, edits=[Edit(written.start_byte, written.end_byte, known)])[0]


def _method_names(body: tree_sitter.Node | None) -> set[str]:
    if body is None:
        return set()
    return {assembly.name_of(child) for child in body.named_children if child.type == "method_declaration"}


def _takes_arguments(method: tree_sitter.Node) -> bool:
    params = method.child_by_field_name("parameters")
    return params is not None and params.named_child_count > 0


def _unqualified_calls(code: str) -> set[str]:
    root = parse_root(LANGUAGE, code)
    return {
        assembly.name_of(node)
        for node in assembly.descendants(root, "method_invocation")
        if node.child_by_field_name("object") is None
    }


COMPLETION = CompletionTable(
    blocks=frozenset({"program", "block", "switch_block_statement_group"}),
    calls={"method_invocation": "arguments"},
    exits={"System.exit": Status.UNKNOWN, "java.lang.System.exit": Status.UNKNOWN},
    inert=frozenset({"line_comment", "block_comment", ";"}),
    functions=frozenset({"method_declaration"}),
    entry_points=frozenset({"main"}),
    loops=frozenset({"for_statement", "enhanced_for_statement", "while_statement", "do_statement"}),
    handlers=frozenset({"catch_clause", "finally_clause"}),
    callbacks=frozenset({"lambda_expression", "class_body", "constructor_declaration", "static_initializer"}),
    short_circuit=frozenset({"||", "&&"}),
    failures=frozenset({"throw_statement"}),
)


def _add_reference(asm: assembly.Assembly, reference: str, assertions: str, function_name: str) -> dict[str, set[str]]:
    """Place the reference; returns its top-level types with their method names."""
    parts = assembly.top_level_parts(LANGUAGE, reference, _classify)
    if parts is None:  # does not parse: keep it whole, javac will say what is wrong
        found = _PACKAGE_LINE.search(reference)
        asm.package = found.group(1) if found else asm.package
        asm.imports += [m.group(0) for m in _IMPORT_LINE.finditer(reference)]
        body, count = _PUBLIC_TYPE.subn(r"\1", _IMPORT_LINE.sub("", _PACKAGE_LINE.sub("", reference)))
        if count:
            asm.rewrites.add(_DROPPED_PUBLIC)
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
            types[assembly.name_of(part.node)] = _method_names(part.node.child_by_field_name("body"))
        elif part.kind in ("method", "field") or part.node.type == "local_variable_declaration":
            text, added = _make_static(part)
            made_static |= added
            loose.append(text)
        else:
            statements.append(part.text)
    if loose or statements:
        taken = {assembly.name_of(n) for n in assembly.descendants(parse_root(LANGUAGE, reference), *_TYPES)}
        calls = assembly.descendants(parse_root(LANGUAGE, assertions), "method_invocation")
        wrapper = assembly.wrapper_name(calls, "object", function_name, taken)
        types[wrapper] = {assembly.name_of(p.node) for p in parts if p.kind == "method"}
        init = ["    static {", *statements, "    }"] if statements else []
        asm.sections.append("\n".join([f"class {wrapper} {{", *loose, *init, "}"]))
        asm.rewrites.add(
            f"wrapped the top-level methods in class {wrapper}" + (" (made static)" if made_static else "")
        )
        if statements:
            asm.rewrites.add(f"moved the reference's top-level statements into a static block of {wrapper}")
    return types


# --- JUnit -------------------------------------------------------------------------------------
# JUnit is not on javac's class path, but its static assertions are simple enough to stand in
# for: ASSERTIONS_CLASS has the overloads of JUnit 4's Assert (message first) or JUnit 5's
# Assertions (message last, or a Supplier), so calls resolve as they would against JUnit (the
# delta of a double comparison included) and fail with an AssertionError as JUnit's do. @Test
# methods run as JUnit runs them: each on a new instance, between its @Before/@After methods.
# What needs JUnit's engine or another library (parameterised tests, runners, extensions,
# rules, Hamcrest matchers, assumptions, TestNG, Mockito) stays not executable.

ASSERTIONS_CLASS = "SyntheticAssertions"
_OTHER_FRAMEWORKS = {
    "org.testng": "TestNG",
    "org.mockito": "Mockito",
    "org.hamcrest": "Hamcrest",
    "org.assertj": "AssertJ",
    "org.easymock": "EasyMock",
    "com.google.common.truth": "Truth",
    "junit.framework": "JUnit 3 (TestCase)",
    "org.junit.runner": "a JUnit runner",
    "org.junit.platform": "the JUnit platform",
    "org.junit.rules": "JUnit rules",
    "org.junit.experimental": "JUnit's experimental runners",
    "org.junit.jupiter.params": "JUnit parameterized tests",
    "org.junit.jupiter.api.extension": "JUnit extensions",
}
_OTHER_FRAMEWORK = re.compile(r"\b(" + "|".join(re.escape(name) for name in _OTHER_FRAMEWORKS) + r")\b")
# What needs JUnit's engine (parameters, extensions, nesting, repetition) or Hamcrest.
_ENGINE_ANNOTATIONS = frozenset(
    {
        "ParameterizedTest",
        "RepeatedTest",
        "TestFactory",
        "TestTemplate",
        "Nested",
        "RunWith",
        "ExtendWith",
        "RegisterExtension",
        "Rule",
        "ClassRule",
        "TestInstance",
        "Theory",
        "Parameters",
        "TempDir",
    }
)
# Engine annotations count too, written without their import: they are then reported as
# needing JUnit rather than left to javac as unknown annotations.
_JUNIT_USED = re.compile(r"\borg\.junit\b|@(?:Test|" + "|".join(sorted(_ENGINE_ANNOTATIONS)) + r")\b")
_ENGINE_CALLS = frozenset({"assertThat", "assumeTrue", "assumeFalse", "assumingThat", "assumeThat", "assertLinesMatch"})
_LIFECYCLE = {
    "Before": "before_each",
    "BeforeEach": "before_each",
    "After": "after_each",
    "AfterEach": "after_each",
    "BeforeClass": "before_all",
    "BeforeAll": "before_all",
    "AfterClass": "after_all",
    "AfterAll": "after_all",
}
# Annotations left out of the program: the generated calls do what they ask, or they only describe.
_DROPPED_ANNOTATIONS = frozenset(
    {"Test", "Disabled", "Ignore", "DisplayName", "Tag", "Order", "TestMethodOrder", "Timeout", *_LIFECYCLE}
)
_QUALIFIED = {"org.junit.Assert": "Assert", "org.junit.jupiter.api.Assertions": "Assertions"}
_PRIMITIVES = (
    ("byte", "Byte"),
    ("short", "Short"),
    ("char", "Character"),
    ("int", "Integer"),
    ("long", "Long"),
    ("float", "Float"),
    ("double", "Double"),
)
_SUPPLIER = "java.util.function.Supplier<String>"
_NOT_EQUAL = '"expected: not equal but was: <" + actual + ">"'

# standins/junit_standin.java: the class with its helpers, then JUnit 5's extras.
_STANDIN = "junit_standin.java"
_JUNIT4_EXTRAS = """
    static void fail() { throw new AssertionError(); }
    static void fail(String message) { throw syntheticFailure(message, ""); }
"""


def _overloads(junit: int, head: str, params: str, body: str) -> list[str]:
    """`head(params) { body }` with each of JUnit's message parameters ({m} in body: the message)."""
    if junit == 4:
        forms = [(params, "null"), (f"String message, {params}", "message")]
    else:
        forms = [
            (params, "null"),
            (f"{params}, String message", "message"),
            (f"{params}, {_SUPPLIER} message", "message"),
        ]
    return [f"    {head}({signature}) {{ {body.replace('{m}', message)} }}" for signature, message in forms]


_Add = Callable[[str, str, str], None]  # (head, parameters, body with {m} for the message)
_FLAT_ARRAYS, _DEEP_ARRAYS = (
    f"syntheticCheck(java.util.Arrays.{equals}(expected, actual), {{m}},"
    f" syntheticDiffer(java.util.Arrays.{show}(expected), java.util.Arrays.{show}(actual)));"
    for equals, show in (("equals", "toString"), ("deepEquals", "deepToString"))
)


@cache
def _assertions_class(junit: int) -> str:
    """The stand-in for org.junit.Assert (junit=4) or org.junit.jupiter.api.Assertions (5)."""
    lines: list[str] = []

    def add(head: str, params: str, body: str) -> None:
        lines.extend(_overloads(junit, head, params, body))

    _add_equality(junit, add)
    _add_conditions(junit, add)
    if junit == 4:
        _add_junit4_only(add)
        return _assemble_class(junit, lines, _JUNIT4_EXTRAS)
    _add_junit5_only(add)
    return _assemble_class(junit, lines, templates.part(_STANDIN, "JUNIT5"))


def _add_equality(junit: int, add: _Add) -> None:
    """assertEquals / assertNotEquals / assertArrayEquals, with the overloads each JUnit has."""
    same = "syntheticCheck(java.util.Objects.equals(expected, actual), {m}, syntheticDiffer(expected, actual));"
    other = f"syntheticCheck(!java.util.Objects.equals(unexpected, actual), {{m}}, {_NOT_EQUAL});"
    close = "syntheticCheck(syntheticClose(expected, actual, delta), {m}, syntheticDiffer(expected, actual));"
    apart = f"syntheticCheck(!syntheticClose(unexpected, actual, delta), {{m}}, {_NOT_EQUAL});"
    close_arrays = (
        "boolean ok = expected == actual || expected != null && actual != null && expected.length == actual.length;"
        " for (int i = 0; ok && i < expected.length; i++) ok = syntheticClose(expected[i], actual[i], delta);"
        " syntheticCheck(ok, {m},"
        " syntheticDiffer(java.util.Arrays.toString(expected), java.util.Arrays.toString(actual)));"
    )
    if junit == 4:
        pairs = [("long", "long"), ("Object", "Object")]
    else:  # JUnit 5 pairs every primitive with its box, so that assertEquals(2, list.get(0)) resolves
        pairs = [(e, a) for p, b in _PRIMITIVES for e, a in ((p, p), (p, b), (b, p), (b, b))] + [("Object", "Object")]
    for expected, actual in pairs:
        add("static void assertEquals", f"{expected} expected, {actual} actual", same)
        add("static void assertNotEquals", f"{expected} unexpected, {actual} actual", other)
    for kind in ("double", "float"):
        add("static void assertEquals", f"{kind} expected, {kind} actual, {kind} delta", close)
        add("static void assertNotEquals", f"{kind} unexpected, {kind} actual, {kind} delta", apart)
        add("static void assertArrayEquals", f"{kind}[] expected, {kind}[] actual, {kind} delta", close_arrays)
    for kind in ("boolean", "byte", "char", "short", "int", "long", *(("float", "double") if junit == 5 else ())):
        add("static void assertArrayEquals", f"{kind}[] expected, {kind}[] actual", _FLAT_ARRAYS)
    add("static void assertArrayEquals", "Object[] expected, Object[] actual", _DEEP_ARRAYS)


def _add_conditions(junit: int, add: _Add) -> None:
    """assertTrue / assertFalse, assertNull / assertNotNull, assertSame / assertNotSame."""
    truth = "" if junit == 4 else "expected: <true> but was: <false>"
    falsity = "" if junit == 4 else "expected: <false> but was: <true>"
    add("static void assertTrue", "boolean condition", f'syntheticCheck(condition, {{m}}, "{truth}");')
    add("static void assertFalse", "boolean condition", f'syntheticCheck(!condition, {{m}}, "{falsity}");')
    add(
        "static void assertNull", "Object actual", "syntheticCheck(actual == null, {m}, syntheticDiffer(null, actual));"
    )
    add("static void assertNotNull", "Object actual", 'syntheticCheck(actual != null, {m}, "expected: not <null>");')
    add(
        "static void assertSame",
        "Object expected, Object actual",
        "syntheticCheck(expected == actual, {m}, syntheticDiffer(expected, actual));",
    )
    add(
        "static void assertNotSame",
        "Object unexpected, Object actual",
        'syntheticCheck(unexpected != actual, {m}, "expected: not same but was: <" + actual + ">");',
    )


def _add_junit4_only(add: _Add) -> None:
    """The double comparison without a delta, Object[] equality, assertThrows with its own runnable."""
    # Deprecated in JUnit 4, kept there so that such calls fail rather than compare exactly.
    add(
        "static void assertEquals",
        "double expected, double actual",
        'throw syntheticFailure({m}, "Use assertEquals(expected, actual, delta) to compare floating-point numbers");',
    )
    add("static void assertEquals", "Object[] expected, Object[] actual", _DEEP_ARRAYS)
    add(
        "static <T extends Throwable> T assertThrows",
        "Class<T> expectedThrowable, ThrowingRunnable runnable",
        "return syntheticThrown(expectedThrowable, false, runnable::run, {m});",
    )


def _add_junit5_only(add: _Add) -> None:
    """Supplier forms, assertThrows, assertDoesNotThrow, assertInstanceOf, assertIterableEquals,
    assertTimeout."""
    truth, falsity = "expected: <true> but was: <false>", "expected: <false> but was: <true>"
    add(
        "static void assertTrue",
        "java.util.function.BooleanSupplier condition",
        f'syntheticCheck(condition.getAsBoolean(), {{m}}, "{truth}");',
    )
    add(
        "static void assertFalse",
        "java.util.function.BooleanSupplier condition",
        f'syntheticCheck(!condition.getAsBoolean(), {{m}}, "{falsity}");',
    )
    for name, exactly in (("assertThrows", "false"), ("assertThrowsExactly", "true")):
        add(
            f"static <T extends Throwable> T {name}",
            "Class<T> expectedType, Executable executable",
            f"return syntheticThrown(expectedType, {exactly}, executable, {{m}});",
        )
    unexpected = (
        'catch (Throwable e) { AssertionError error = syntheticFailure({m}, "Unexpected exception thrown: " + e);'
        " error.initCause(e); throw error; }"
    )
    add("static void assertDoesNotThrow", "Executable executable", f"try {{ executable.execute(); }} {unexpected}")
    add(
        "static <T> T assertDoesNotThrow",
        "ThrowingSupplier<T> supplier",
        f"try {{ return supplier.get(); }} {unexpected}",
    )
    add(
        "static <T> T assertInstanceOf",
        "Class<T> expectedType, Object actualValue",
        "syntheticCheck(expectedType.isInstance(actualValue), {m}, syntheticDiffer(expectedType.getName(),"
        " actualValue == null ? null : actualValue.getClass().getName()));"
        " return expectedType.cast(actualValue);",
    )
    add(
        "static void assertIterableEquals",
        "Iterable<?> expected, Iterable<?> actual",
        "java.util.List<Object> e = new java.util.ArrayList<>(), a = new java.util.ArrayList<>();"
        " if (expected != null) expected.forEach(e::add); if (actual != null) actual.forEach(a::add);"
        " syntheticCheck(expected == null ? actual == null : actual != null && e.equals(a), {m},"
        " syntheticDiffer(e, a));",
    )
    _add_timeouts(add)


def _add_timeouts(add: _Add) -> None:
    """JUnit 5's assertTimeout and assertTimeoutPreemptively."""
    # assertTimeout runs to the end, then compares; the preemptive one is the same here (the
    # program's own time limit stops what never ends).
    run = "try { executable.execute(); } catch (Throwable e) { throw syntheticRethrow(e); }"
    get = "T value; try { value = supplier.get(); } catch (Throwable e) { throw syntheticRethrow(e); }"
    run_timed, get_timed = (
        f"long start = System.nanoTime(); {body} long ms = (System.nanoTime() - start) / 1000000;"
        ' syntheticCheck(ms <= timeout.toMillis(), {m}, "execution exceeded timeout of " + timeout.toMillis()'
        ' + " ms by " + (ms - timeout.toMillis()) + " ms");'
        for body in (run, get)
    )
    for name in ("assertTimeout", "assertTimeoutPreemptively"):
        add(f"static void {name}", "java.time.Duration timeout, Executable executable", run_timed)
        add(
            f"static <T> T {name}",
            "java.time.Duration timeout, ThrowingSupplier<T> supplier",
            get_timed + " return value;",
        )


def _assemble_class(junit: int, overloads: list[str], extras: str) -> str:
    expected, but_was = ("expected:<", "> but was:<") if junit == 4 else ("expected: <", "> but was: <")
    head = templates.fill(
        templates.part(_STANDIN, "CLASS"),
        SEPARATOR=" " if junit == 4 else " ==> ",
        EXPECTED=expected,
        BUT_WAS=but_was,
        OVERLOADS="".join(f"{line}\n" for line in overloads),
    )
    return head + extras + "}"


def _annotation_name(annotation: tree_sitter.Node) -> str:
    name = annotation.child_by_field_name("name")
    return node_text(name).rsplit(".", 1)[-1] if name is not None else ""


def _annotations(node: tree_sitter.Node) -> dict[str, tree_sitter.Node]:
    mods = _modifiers(node)
    found = mods.named_children if mods is not None else []
    return {_annotation_name(a): a for a in found if a.type in ("marker_annotation", "annotation")}


def _expected_exception(test: tree_sitter.Node) -> str | None:
    """JUnit 4's @Test(expected = X.class): the class literal."""
    arguments = test.child_by_field_name("arguments")
    for pair in arguments.named_children if arguments is not None else []:
        key = pair.child_by_field_name("key")
        value = pair.child_by_field_name("value")
        if pair.type == "element_value_pair" and key is not None and value is not None and node_text(key) == "expected":
            return node_text(value)
    return None


def _suite_calls(owner: str | None, methods: list[tree_sitter.Node]) -> list[str]:
    """Statements that run the @Test methods of a class (owner) or of the assertions' top level
    (None, static members): a new instance for each test, between its lifecycle methods."""
    roles: dict[str, list[str]] = {"before_all": [], "before_each": [], "after_each": [], "after_all": []}
    tests: list[tuple[str, str | None]] = []
    for method in methods:
        marks = _annotations(method)
        name = assembly.name_of(method)
        if "Disabled" in marks or "Ignore" in marks:
            continue
        if "Test" in marks:
            if _takes_arguments(method):
                raise NotRunnable(f"the @Test method {name} takes parameters, which only JUnit can supply")
            tests.append((name, _expected_exception(marks["Test"])))
        for mark in marks:
            if mark in _LIFECYCLE:
                roles[_LIFECYCLE[mark]].append(name)
    if not tests:
        return []
    on = "syntheticCase." if owner else ""
    calls = [f"{owner or MAIN_CLASS}.{name}();" for name in roles["before_all"]]
    for name, expected in tests:
        run = f"{on}{name}();"
        if expected is not None:
            run = f"{ASSERTIONS_CLASS}.syntheticExpect({expected}, () -> {on}{name}());"
        calls += [
            "{" + (f" {owner} syntheticCase = new {owner}();" if owner else ""),
            *(f"    {on}{before}();" for before in roles["before_each"]),
            f"    try {{ {run} }} finally {{ {' '.join(f'{on}{after}();' for after in roles['after_each'])} }}",
            "}",
        ]
    return calls + [f"{owner or MAIN_CLASS}.{name}();" for name in roles["after_all"]]


def _junit(asm: assembly.Assembly, assertions: str) -> tuple[str, list[str]]:
    """JUnit-style assertions made plain: (their text, the calls that run their @Test methods).

    JUnit imports and annotations go, Assert./Assertions. calls go to the stand-in, which the
    file imports statically in their place.
    """
    junit = 5 if "org.junit.jupiter" in assertions else 4 if "org.junit" in assertions else 5
    root = parse_root(LANGUAGE, assertions)
    edits: list[Edit] = []
    imported: set[str] = set()
    for node in root.named_children:
        text = "".join(node_text(node).split())
        if node.type == "import_declaration" and "org.junit" in text:
            edits.append(Edit(node.start_byte, node.end_byte, ""))
            if not text.startswith("importstatic"):
                imported |= {
                    short
                    for name, short in _QUALIFIED.items()
                    if text in (f"import{name};", f"import{name.rsplit('.', 1)[0]}.*;")
                }
    for node in assembly.descendants(root, "marker_annotation", "annotation"):
        name = _annotation_name(node)
        if name in _ENGINE_ANNOTATIONS:
            raise NotRunnable(
                f"the assertions use JUnit's @{name}, which needs JUnit itself: write plain @Test methods"
            )
        if name in _DROPPED_ANNOTATIONS:
            edits.append(Edit(node.start_byte, node.end_byte, ""))
    for call in assembly.descendants(root, "method_invocation"):
        target = call.child_by_field_name("object")
        qualifier = "".join(node_text(target).split()) if target is not None else None
        junit_call = qualifier is None or qualifier in imported or qualifier in _QUALIFIED
        if junit_call and assembly.name_of(call) in _ENGINE_CALLS:
            raise NotRunnable(
                f"the assertions call {assembly.name_of(call)}, which needs JUnit or Hamcrest: use assertEquals"
            )
        if target is not None and (qualifier in imported or qualifier in _QUALIFIED):
            edits.append(Edit(target.start_byte, target.end_byte, ASSERTIONS_CLASS))
    calls = _suite_calls(None, [n for n in root.named_children if n.type == "method_declaration"])
    for node in root.named_children:
        body = node.child_by_field_name("body")
        if (
            node.type == "class_declaration"
            and body is not None
            and not {"Disabled", "Ignore"} & set(_annotations(node))
        ):
            calls += _suite_calls(
                assembly.name_of(node), [m for m in body.named_children if m.type == "method_declaration"]
            )
    asm.sections.append(_assertions_class(junit))
    asm.imports.append(f"import static {asm.package or DEFAULT_PACKAGE}.{ASSERTIONS_CLASS}.*;")
    asm.rewrites.add(f"JUnit {junit} assertions -> built-in equivalents (JUnit is not on the class path)")
    if calls:
        asm.rewrites.add(
            "ran the @Test methods as JUnit would, each on a new instance between its @Before/@After methods"
        )
    return apply_edits(assertions, edits), calls


_DECLARATORS = frozenset(
    {
        "variable_declarator",
        "formal_parameter",
        "catch_formal_parameter",
        "enhanced_for_statement",
        "resource",
        "instanceof_expression",
        "type_pattern",
    }
)


def _declares(nodes: list[tree_sitter.Node], name: str) -> bool:
    """Whether the code declares a variable or parameter of that name (lambdas' included)."""
    for node in nodes:
        for found in walk(node):
            parent = found.parent
            if found.type != "identifier" or node_text(found) != name or parent is None:
                continue
            if parent.type in _DECLARATORS and parent.child_by_field_name("name") == found:
                return True
            if parent.type == "inferred_parameters" or (
                parent.type == "lambda_expression" and parent.child_by_field_name("parameters") == found
            ):
                return True
    return False


def _add_assertions(asm: assembly.Assembly, assertions: str) -> None:
    parts = assembly.assertion_parts(LANGUAGE, assertions, _classify)
    if parts is None:  # does not parse: statements as they are, javac will say what is wrong
        if _MAIN_METHOD.search(assertions):  # one that javac accepts would never be called
            raise NotRunnable("the assertions do not parse, so their main method could not be found to call it")
        asm.imports += [m.group(0) for m in _IMPORT_LINE.finditer(assertions)]
        asm.statements.append(_IMPORT_LINE.sub("", _PACKAGE_LINE.sub("", assertions)))
        return
    shared = assembly.shared_variables(
        parts,
        lambda p: p.kind == "statement" and p.node.type == "local_variable_declaration",
        lambda p: p.kind in ("method", "type"),
        lambda p: {assembly.name_of(d) for d in p.node.named_children if d.type == "variable_declarator"},
    )
    placed: list[tree_sitter.Node] = []
    for index, part in enumerate(parts):
        field = _as_field(part) if index in shared else None
        if field is not None:
            asm.members.append(field)
            asm.rewrites.add("made the assertions' variables that their methods use static fields")
        elif part.kind == "package":
            asm.rewrites.add("dropped the assertions' package line")
        elif part.kind == "import":
            asm.imports.append(part.text)
        elif part.kind == "type":
            asm.sections.append(_drop_public(asm, part))
            body = part.node.child_by_field_name("body")
            mains = [
                m
                for m in (body.named_children if body else [])
                if m.type == "method_declaration" and assembly.name_of(m) == "main" and "static" in _modifier_words(m)
            ]
            for main in mains[:1]:
                asm.calls.append(f"{assembly.name_of(part.node)}.main({ARGS if _takes_arguments(main) else ''});")
                asm.rewrites.add(f"called the assertions' {assembly.name_of(part.node)}.main")
        elif part.kind in ("method", "field"):
            rename = assembly.RENAMED_MAIN if part.kind == "method" and assembly.name_of(part.node) == "main" else None
            asm.members.append(_make_static(part, rename)[0])
            if rename:
                asm.calls.append(f"{rename}({ARGS if _takes_arguments(part.node) else ''});")
                asm.rewrites.add("renamed the assertions' main and called it")
        else:
            asm.statements.append(part.text)
            placed.append(part.node)
    # Statements written for a main(String[] args) may read args; the generated method's
    # parameter has another name, so that statements declaring their own `args` compile too.
    if "args" in assembly.names_in(placed) and not _declares(placed, "args"):
        asm.statements.insert(0, f"String[] args = {ARGS};")


def _steps(package: str) -> tuple[Step, Step]:
    """javac into classes/, then java with assertions enabled."""
    compile_step = jvm.compile_step("javac", "-encoding", "UTF-8", "-proc:none", "-d", "classes", f"{MAIN_CLASS}.java")
    return compile_step, jvm.run_step("classes", f"{package}.{MAIN_CLASS}")


def assemble(reference: str, assertions: str, function_name: str) -> Program:
    framework = _OTHER_FRAMEWORK.search(assertions)
    if framework:
        name = _OTHER_FRAMEWORKS[framework.group(1)]
        raise NotRunnable(
            f"the assertions need a test framework ({name}), which is not available: write plain statements"
        )
    asm = assembly.Assembly(package=DEFAULT_PACKAGE)
    assertions, _ = finish_exits(
        assertions, parse_root(LANGUAGE, assertions), COMPLETION, f"{MAIN_CLASS}.syntheticExit", asm.rewrites
    )
    types = _add_reference(asm, reference, assertions, function_name)
    assertions, tests = _junit(asm, assertions) if _JUNIT_USED.search(assertions) else (assertions, [])
    _add_assertions(asm, assertions)
    asm.calls += tests
    if not asm.statements and not asm.calls:
        raise NotRunnable("the assertions only declare methods or classes and nothing runs them (no main, no @Test)")
    called = _unqualified_calls(assertions)
    statics = [name for name, methods in types.items() if methods & called]
    if statics:
        asm.rewrites.add("static import of " + ", ".join(statics) + " for unqualified calls")
    package = asm.package or DEFAULT_PACKAGE
    present = {" ".join(line.split()) for line in asm.imports}
    common = [line for line in COMMON_IMPORTS if line not in present]
    lines = [
        f"package {package};",
        "",
        *assembly.unique(asm.imports + common),
        *(f"import static {package}.{name}.*;" for name in statics),
        "",
        *asm.sections,
        "",
        PROLOGUE,
        *asm.members,
        f"    static void syntheticTests(String[] {ARGS}) throws Throwable {{",
        *asm.statements,
        *asm.calls,
        "    }",
        EPILOGUE,
    ]
    compile_step, run = _steps(package)
    source = "\n".join(lines)
    return Program({f"{MAIN_CLASS}.java": source}, f"{MAIN_CLASS}.java", (compile_step, run), asm.rewrites)


_ZEROS = (
    (r"void", VOID),
    (r"int|short|byte|float|double|Integer|Short|Byte", "0"),
    (r"char", "'\\0'"),
    (r"long|Long", "0L"),
    (r"Double", "0.0"),
    (r"Float", "0f"),
    (r"boolean|Boolean", "false"),
    (r"String|CharSequence", '""'),
    (r"(?:java\.util\.)?(?:List|ArrayList|Collection|Iterable)(?:<.*>)?", "new java.util.ArrayList<>()"),
    (r"(?:java\.util\.)?(?:LinkedList)(?:<.*>)?", "new java.util.LinkedList<>()"),
    (r"(?:java\.util\.)?(?:Map|HashMap)(?:<.*>)?", "new java.util.HashMap<>()"),
    (r"(?:java\.util\.)?(?:TreeMap|SortedMap|NavigableMap)(?:<.*>)?", "new java.util.TreeMap<>()"),
    (r"(?:java\.util\.)?(?:Set|HashSet)(?:<.*>)?", "new java.util.HashSet<>()"),
    (r"(?:java\.util\.)?(?:Deque|Queue|ArrayDeque)(?:<.*>)?", "new java.util.ArrayDeque<>()"),
    (r"(?:java\.util\.)?Optional(?:<.*>)?", "java.util.Optional.empty()"),
)
# What the strength check mutates, and how it writes a stub of the function.
MUTATION = MutationTable(
    integers=frozenset({"decimal_integer_literal"}),
    statement_parents=frozenset({"block"}),
    loops=frozenset({"for_statement", "enhanced_for_statement", "while_statement", "do_statement"}),
    functions=frozenset({"method_declaration"}),
    early_return="if (true) {}",
)
SCHEMA = SchemaStyle(
    switch=schema_switch(templates.part(_MAIN_FILE, "SCHEMA_SWITCH")),
    body="{{ if (SyntheticMutantSwitch.ID == {id}) {mutated} else {original} }}",
)
STUBS = StubStyle(
    "{{ return {}; }}",
    '{ throw new RuntimeException("stub"); }',
    zeros=_ZEROS,
    null="null",
    value_types=r"int|long|short|byte|char|float|double|boolean|void",
)


LANGUAGE = Language(
    name="Java",
    key="java",
    grammar=tree_sitter_java.language,
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
    mutation=MUTATION,
    stubs=STUBS,
    schema=SCHEMA,
    typed=True,
    cold_cost=1.0,
    statement_context=("class Main { public static void main(String[] args) throws Exception {\n", "\n} }\n"),
)
