"""C#: names, grammar, and how an entry becomes a runnable program.

One file, main.cs, compiled by Mono's mcs (C# 7 at most: no .NET SDK in Debian) and run
by mono. `using` directives of both parts go to the top, with System, System.Linq and
System.Collections.Generic added when absent. The reference keeps its types; loose
methods become static members of a class. The assertions become the body of a method of
the static class SyntheticMain, whose Main is the entry point (`-main:`), so a `Main` in
the reference is never run and does not clash.

Mono's Debug.Assert and Trace.Assert never stop a program (compiled away without DEBUG,
and with it they only print), so in the assertions they are rewritten to a check that
throws on a false condition (also when called as `Assert` after `using static`).

How the assertions end: the shared completion rule (languages/completion.py) picks the
`Environment.Exit` that ends the assertions, which finishes them when its status is 0; any
other exit is a real one (status 0: incomplete). The entry points' return values are exit
codes: non-zero fails the run, and a `return` from an entry point that the same rule does not
call the assertions' last word, with status 0 (or none), ends the run unfinished.

mcs knows C# 7 only (and not all of it): nullable reference annotations, which change nothing
at run time, are erased; an entry that needs a newer compiler or .NET library is reported as
such rather than as a compile error of the entry.

Completion secret: Main's first statement reads it. Main touches nothing of the reference:
the assertions live in a separate method that is never inlined, so no type initialiser of
the reference (static constructor, static field) can run before the secret is read, even
when Mono runs such initialisers eagerly while compiling the method that uses the type.
Not covered: code that deliberately reads SyntheticMain's private field by reflection.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import tree_sitter
import tree_sitter_c_sharp

from pytest_synthetic.languages import _class_assembly as assembly
from pytest_synthetic.languages import templates
from pytest_synthetic.languages.base import (
    COMPLETION_PATH,
    FailurePattern,
    Language,
    NotRunnable,
    Program,
    Rewrites,
    Step,
    Toolchain,
)
from pytest_synthetic.languages.completion import CompletionTable, Status, ends_the_assertions, finishing_edits
from pytest_synthetic.languages.strength_tables import VOID, MutationTable, SchemaStyle, StubStyle, schema_switch
from pytest_synthetic.languages.toolkit import Edit, apply_edits, parse_root, walk
from pytest_synthetic.languages.toolkit import text as node_text
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
_EXITS = frozenset({"Environment.Exit", "System.Environment.Exit", "global::System.Environment.Exit"})
_DIAGNOSTICS = frozenset({"System.Diagnostics.Debug", "System.Diagnostics.Trace"})
_USING_LINE = re.compile(
    r"^[ \t]*using[ \t]+(?:static[ \t]+)?[\w.]+(?:[ \t]*=[ \t]*[\w.<>, ]+)?[ \t]*;[ \t]*$", re.MULTILINE
)
_GLOBAL_USING = re.compile(r"^\s*global\s+using\b")
_FILE_NAMESPACE = re.compile(r"^[ \t]*namespace[ \t]+([\w.]+)[ \t]*;[ \t]*$", re.MULTILINE)
_TEST_FRAMEWORKS = re.compile(r"^\s*using\s+(NUnit|Xunit|Microsoft\.VisualStudio\.TestTools)\b", re.MULTILINE)

# Parts of standins/csharp_harness.cs (which says where each goes).
_HARNESS = "csharp_harness.cs"
PROLOGUE = templates.fill(templates.part(_HARNESS, "PROLOGUE"), COMPLETION_PATH=COMPLETION_PATH)
EPILOGUE = templates.part(_HARNESS, "EPILOGUE")
CLOSING = templates.part(_HARNESS, "CLOSING")


def _inner(node: tree_sitter.Node) -> tree_sitter.Node:
    """The statement inside a global_statement."""
    return node.named_children[0] if node.type == "global_statement" and node.named_children else node


def _classify(node: tree_sitter.Node) -> str:
    kind = node.type
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
    return {node_text(child) for child in node.children if child.type == "modifier"}


def _after_attributes(node: tree_sitter.Node) -> int:
    """Where a modifier can be added: after any [Attribute] lists of the declaration."""
    return next((c.start_byte for c in node.children if c.type != "attribute_list"), node.start_byte)


def _as_member(part: assembly.Part, rename: str | None = None, public: bool = False) -> tuple[str, bool]:
    """A loose method or variable as a static class member (`static`, and `public` if asked,
    added when missing: loose code is meant to be callable from the statements)."""
    node = _inner(part.node)
    edits: list[Edit] = []
    words = _modifier_words(node)
    needs_static = not words & {"static", "const"}  # a const is static already, and may not say so
    needs_public = public and not words & _ACCESS
    added = needs_static or needs_public
    prefix = ("public " if needs_public else "") + ("static " if needs_static else "")
    if prefix:
        edits.append(Edit(_after_attributes(node), _after_attributes(node), prefix))
    name = node.child_by_field_name("name")
    if rename and name is not None:
        edits.append(Edit(name.start_byte, name.end_byte, rename))
    text = part.edited(edits)
    return text, added


def _qualified_name(node: tree_sitter.Node) -> str:
    """Namespace- and class-qualified name of a type declaration."""
    names = [assembly.name_of(node)]
    parent = node.parent
    while parent is not None:
        if parent.type in (
            "namespace_declaration",
            "file_scoped_namespace_declaration",
            "class_declaration",
            "struct_declaration",
        ):
            names.append(assembly.name_of(parent))
        parent = parent.parent
    return ".".join(reversed(names))


def _namespaces(root: tree_sitter.Node) -> list[str]:
    found = assembly.descendants(root, "namespace_declaration", "file_scoped_namespace_declaration")
    return [_qualified_name(n) for n in found]


def _classes_with_methods(root: tree_sitter.Node) -> dict[str, set[str]]:
    """Non-generic classes and structs (qualified name) -> the names of their methods."""
    found = {}
    for node in assembly.descendants(root, "class_declaration", "struct_declaration"):
        if node.child_by_field_name("type_parameters") is not None:
            continue  # `using static` needs the type arguments of a generic class
        body = node.child_by_field_name("body")
        methods = {assembly.name_of(m) for m in (body.named_children if body else []) if m.type == "method_declaration"}
        found[_qualified_name(node)] = methods
    return found


def _rewrite_calls(code: str, targets: frozenset[str], replacement: str) -> tuple[str, bool]:
    edits = []
    for call in assembly.descendants(parse_root(LANGUAGE, code), "invocation_expression"):
        function = call.child_by_field_name("function")
        if function is not None and "".join(node_text(function).split()) in targets:
            edits.append(Edit(function.start_byte, function.end_byte, replacement))
    return apply_edits(code, edits), bool(edits)


def _assert_targets(assertions: str) -> frozenset[str]:
    """The names by which the assertions call Debug.Assert/Trace.Assert: the qualified ones, an
    alias's (`using D = System.Diagnostics.Debug;`), and a bare `Assert` after `using static`
    (unless the assertions declare their own Assert)."""
    root = parse_root(LANGUAGE, assertions)
    targets = set(_ASSERTS)
    for directive in assembly.descendants(root, "using_directive"):
        named = [c for c in directive.named_children if c.type in ("qualified_name", "alias_qualified_name")]
        target = "".join(node_text(named[-1]).split()).removeprefix("global::") if named else ""
        if target not in _DIAGNOSTICS:
            continue
        alias = directive.child_by_field_name("name")
        if alias is not None:
            targets.add(f"{node_text(alias)}.Assert")
        elif any(c.type == "static" for c in directive.children):
            targets.add("Assert")
    declared = {
        assembly.name_of(n) for n in assembly.descendants(root, "method_declaration", "local_function_statement")
    }
    return frozenset(targets - ({"Assert"} & declared))


# --- nullable reference annotations --------------------------------------------------------

# Generic value types: `KeyValuePair<K, V>?` is a real Nullable and stays.
_VALUE_GENERICS = frozenset(
    {"Nullable", "KeyValuePair", "ValueTuple", "Span", "ReadOnlySpan", "Memory", "ReadOnlyMemory"}
)


def _reference_type_names(*roots: tree_sitter.Node) -> set[str]:
    """Classes, interfaces, records and delegates the snippets declare."""
    kinds = ("class_declaration", "interface_declaration", "record_declaration", "delegate_declaration")
    return {assembly.name_of(n) for root in roots for n in assembly.descendants(root, *kinds)}


def _is_reference_type(node: tree_sitter.Node, classes: set[str]) -> bool:
    if node.type == "predefined_type":
        return node_text(node) in ("string", "object", "dynamic")
    if node.type == "array_type":
        return True
    if node.type == "generic_name":
        return node_text(node).split("<")[0].strip() not in _VALUE_GENERICS
    return node.type == "identifier" and node_text(node) in classes


def _erase_nullable(code: str, classes: set[str]) -> tuple[str, bool]:
    """`string?`, `x!` and `#nullable` are C# 8 annotations for the compiler's null analysis
    that change nothing at run time; mcs rejects them, so they go. `int?` (Nullable) stays."""
    edits: list[Edit] = []
    for node in walk(parse_root(LANGUAGE, code)):
        last = node.children[-1] if node.children else None
        if node.type == "nullable_type" and last is not None and last.type == "?":
            inner = node.child_by_field_name("type")
            if inner is not None and _is_reference_type(inner, classes):
                edits.append(Edit(last.start_byte, last.end_byte, ""))
        elif node.type == "postfix_unary_expression" and last is not None and last.type == "!":
            edits.append(Edit(last.start_byte, last.end_byte, ""))
        elif node.type == "preproc_nullable":
            edits.append(Edit(node.start_byte, node.end_byte, ""))
    return apply_edits(code, edits), bool(edits)


# --- what mcs cannot compile -----------------------------------------------------------------


class NeedsModernCSharp(NotRunnable):
    """The entry needs a C# compiler or .NET library newer than Mono's: a missing toolchain,
    not a fault of the entry (Debian has neither a .NET SDK nor Roslyn)."""


# Syntax tree-sitter knows and mcs does not (each checked against mcs 6.8 -langversion:latest).
_MODERN_SYNTAX = {
    "switch_expression": "switch expressions (C# 8)",
    "range_expression": "ranges `a..b` (C# 8)",
    "recursive_pattern": "property or positional patterns (C# 8)",
    "negated_pattern": "`not` patterns (C# 9)",
    "relational_pattern": "relational patterns (C# 9)",
    "and_pattern": "`and` patterns (C# 9)",
    "or_pattern": "`or` patterns (C# 9)",
    "list_pattern": "list patterns (C# 11)",
    "record_declaration": "records (C# 9)",
    "record_struct_declaration": "record structs (C# 10)",
    "with_expression": "`with` expressions (C# 9)",
    "implicit_object_creation_expression": "target-typed `new()` (C# 9)",
    "raw_string_literal": "raw string literals (C# 11)",
    "collection_expression": "collection expressions (C# 12)",
    "when_clause": "`when` guards in switch cases (C# 7, which mcs lacks)",
}
# .NET Core and .NET 5+ library names that Mono's class library lacks.
_MODERN_TYPES = {"PriorityQueue": ".NET 6", "DateOnly": ".NET 6", "TimeOnly": ".NET 6", "BitOperations": ".NET Core 3"}
_MODERN_LINQ = frozenset({"Chunk", "MaxBy", "MinBy", "DistinctBy", "ExceptBy", "IntersectBy", "UnionBy"})


def _modern_syntax(node: tree_sitter.Node) -> str | None:
    kind = node.type
    words = {c.type for c in node.children}
    if kind in _MODERN_SYNTAX:
        return _MODERN_SYNTAX[kind]
    if kind == "prefix_unary_expression" and "^" in words:
        return "indices from the end `^i` (C# 8)"
    if kind == "assignment_expression" and "??=" in words:
        return "`??=` (C# 8)"
    if kind == "local_declaration_statement" and "using" in words:
        return "`using` declarations (C# 8)"
    if kind == "accessor_declaration" and "init" in words:
        return "`init` accessors (C# 9)"
    if kind in ("class_declaration", "struct_declaration") and "parameter_list" in words:
        return "primary constructors (C# 12)"
    if kind == "local_function_statement" and node.parent is not None and node.parent.type != "global_statement":
        return "local functions inside methods (C# 7, which mcs lacks)"
    if kind == "foreach_statement" and {"tuple_pattern", "declaration_expression"} & words:
        return "deconstruction in foreach (C# 7, which mcs lacks)"
    if kind == "declaration_pattern" and node.parent is not None and node.parent.type == "switch_section":
        return "type patterns in switch cases (C# 7, which mcs lacks)"
    return None


def _modern_library(node: tree_sitter.Node, declared: set[str]) -> str | None:
    name = node_text(node)
    if node.type == "identifier" and name in _MODERN_TYPES and name not in declared:
        return f"{name} ({_MODERN_TYPES[name]})"
    if node.type == "member_access_expression":
        member = assembly.name_of(node)
        if member in _MODERN_LINQ and member not in declared:
            return f"Enumerable.{member} (.NET 6)"
        if "".join(name.split()) in ("Random.Shared", "System.Random.Shared"):
            return "Random.Shared (.NET 6)"
    return None


def _needs_modern_csharp(*codes: str) -> str | None:
    """The first construct of the snippets that needs a newer C# compiler or .NET than Mono's."""
    roots = [parse_root(LANGUAGE, code) for code in codes]
    kinds = ("method_declaration", "local_function_statement", *_TYPES)
    declared = {assembly.name_of(n) for root in roots for n in assembly.descendants(root, *kinds)}
    for root in roots:
        for node in walk(root):
            found = _modern_syntax(node) or _modern_library(node, declared)
            if found:
                return found
    return None


# --- how the assertions end --------------------------------------------------------------------

COMPLETION = CompletionTable(
    blocks=frozenset({"compilation_unit", "block", "switch_section"}),
    calls={"invocation_expression": "arguments"},
    exits=dict.fromkeys(_EXITS, Status.UNKNOWN),
    inert=frozenset({"comment", "empty_statement", "local_function_statement", "using_directive", *_TYPES}),
    functions=frozenset({"method_declaration", "local_function_statement"}),
    entry_points=frozenset({"Main"}),
    loops=frozenset({"for_statement", "foreach_statement", "while_statement", "do_statement"}),
    handlers=frozenset({"catch_clause", "finally_clause"}),
    callbacks=frozenset({"lambda_expression", "anonymous_method_expression", "constructor_declaration"}),
    short_circuit=frozenset({"||", "&&", "??"}),
    failures=frozenset({"throw_statement"}),
)
# Code that does not run where it is written.
_NESTED_CODE = frozenset({"lambda_expression", "anonymous_method_expression", "local_function_statement", *_TYPES})


@dataclass(frozen=True)
class _EntryPoint:
    """Code the assembled program runs as an entry point of the assertions."""

    body: tree_sitter.Node  # a Main's block, or the compilation unit for top-level statements
    returns: str  # "int" (an exit code), "void", or "top" (top-level statements: either)


def _runs_nothing(node: tree_sitter.Node) -> bool:
    """Whether a statement runs no code where it stands (a comment or a declaration)."""
    inner = _inner(node)
    return inner.type in ("comment", "empty_statement", "local_function_statement") or node.type in _TYPES


def _own_code(body: tree_sitter.Node) -> list[tree_sitter.Node]:
    """The nodes of an entry point's body that run as part of it (not in lambdas or declarations)."""
    found: list[tree_sitter.Node] = []
    stack = [c for c in body.children if c.type not in _NESTED_CODE and _inner(c).type not in _NESTED_CODE]
    while stack:
        node = stack.pop()
        found.append(node)
        stack.extend(c for c in node.children if c.type not in _NESTED_CODE)
    return found


def _returns_of(method: tree_sitter.Node) -> str:
    returned = method.child_by_field_name("returns") or method.child_by_field_name("type")
    text = "".join(node_text(returned).split()) if returned is not None else ""
    return "int" if text in ("int", "Int32", "System.Int32") or text.endswith(("Task<int>", "Task<Int32>")) else "void"


def _entry_points(root: tree_sitter.Node) -> list[_EntryPoint]:
    """The entry points in the order the program runs them: the Main of each type and the loose
    Main, as _add_assertions calls them, then the top-level statements (C#'s entry point when
    there are any: it ignores the Mains, which the program runs as well, first)."""
    entries = []
    for child in root.named_children:
        mains = [m for m in assembly.descendants(child, "method_declaration") if _is_entry_main(m)]
        inner = _inner(child)
        if inner.type == "local_function_statement" and assembly.name_of(inner) == "Main":
            mains = [inner]
        body = mains[0].child_by_field_name("body") if mains else None
        if mains and body is not None:
            entries.append(_EntryPoint(body, _returns_of(mains[0])))
    if any(c.type == "global_statement" and not _runs_nothing(c) for c in root.named_children):
        entries.append(_EntryPoint(root, "top"))
    return entries


def _is_entry_main(node: tree_sitter.Node) -> bool:
    owner = node.parent.parent if node.parent is not None else None
    return (
        assembly.name_of(node) == "Main"
        and "static" in _modifier_words(node)
        and owner is not None
        and owner.type in ("class_declaration", "struct_declaration")
    )


def _rewrite_endings(assertions: str, rewrites: Rewrites) -> str:
    """The assertions with their exits and returns made to say whether they finished."""
    root = parse_root(LANGUAGE, assertions)
    edits = finishing_edits(root, COMPLETION, f"{MAIN_CLASS}.SyntheticExit", rewrites)
    for entry in _entry_points(root):
        for node in _own_code(entry.body):
            if node.type == "return_statement":
                edits += _return_edit(node, entry, ends_the_assertions(node, root, COMPLETION))
    if any("SyntheticReturnEarly" in edit.text for edit in edits):
        rewrites.add("a return before the end of the assertions' entry point -> with status 0, they stop unfinished")
    return apply_edits(assertions, edits)


def _return_edit(node: tree_sitter.Node, entry: _EntryPoint, final: bool) -> list[Edit]:
    """A return of an entry point: its value is the exit code; before the end, status 0 means
    the assertions stopped unfinished. Top-level statements become a method returning int."""
    values = [c for c in node.named_children if c.type != "comment"]
    value = node_text(values[0]) if values else ""
    early = f"{MAIN_CLASS}.SyntheticReturnEarly"
    if entry.returns == "void":
        return [] if final else [Edit(node.start_byte, node.end_byte, f"{{ {early}(0); return; }}")]
    if final:
        return [] if value else [Edit(node.start_byte, node.end_byte, "return 0;")]
    return [Edit(node.start_byte, node.end_byte, f"return {early}({value or '0'});")]


# --- the assertions' variables that their methods use --------------------------------------------

_LITERAL_TYPES = {
    "string_literal": "string",
    "verbatim_string_literal": "string",
    "interpolated_string_expression": "string",
    "character_literal": "char",
    "boolean_literal": "bool",
}
_NUMERIC_ORDER = ("int", "uint", "long", "ulong", "float", "double", "decimal")


def _literal_type(node: tree_sitter.Node) -> str | None:
    text = node_text(node).lower().replace("_", "")
    if node.type == "integer_literal":
        if text.endswith(("ul", "lu")):
            return "ulong"
        return "long" if text.endswith("l") else "uint" if text.endswith("u") else "int"
    if node.type == "real_literal":
        return "float" if text.endswith("f") else "decimal" if text.endswith("m") else "double"
    return _LITERAL_TYPES.get(node.type)


def _method_types(roots: list[tree_sitter.Node]) -> dict[str, set[str]]:
    """Method name -> the return types it is declared with (non-generic methods only)."""
    found: dict[str, set[str]] = {}
    for root in roots:
        for method in assembly.descendants(root, "method_declaration", "local_function_statement"):
            returned = method.child_by_field_name("returns") or method.child_by_field_name("type")
            if returned is not None and method.child_by_field_name("type_parameters") is None:
                found.setdefault(assembly.name_of(method), set()).add(node_text(returned))
    return found


def _type_of(node: tree_sitter.Node, methods: dict[str, set[str]]) -> str | None:
    """The static type of an initializer, when its form tells it (what `var` would infer)."""
    kind = node.type
    typed = node.child_by_field_name("type")
    if kind in ("object_creation_expression", "array_creation_expression", "cast_expression", "default_expression"):
        return _type_text(typed) if typed is not None else None
    if kind == "parenthesized_expression" and node.named_children:
        return _type_of(node.named_children[0], methods)
    if kind == "implicit_array_creation_expression":
        items = assembly.descendants(node, "initializer_expression")
        first = items[0].named_children[0] if items and items[0].named_children else None
        element = _type_of(first, methods) if first is not None else None
        return f"{element}[]" if element else None
    if kind == "prefix_unary_expression" and node.named_children:
        operator = node_text(node.children[0])
        return "bool" if operator == "!" else _type_of(node.named_children[0], methods)
    if kind == "binary_expression":
        return _binary_type(node, methods)
    if kind == "conditional_expression":
        branch = node.child_by_field_name("consequence")
        return _type_of(branch, methods) if branch is not None else None
    if kind == "invocation_expression":
        function = node.child_by_field_name("function")
        name = (
            assembly.name_of(function) if function is not None and function.type == "member_access_expression" else ""
        )
        name = node_text(function) if function is not None and function.type == "identifier" else name
        declared = methods.get(name, set())
        return next(iter(declared)) if len(declared) == 1 and declared != {"void"} else None
    return _literal_type(node)


def _type_text(node: tree_sitter.Node) -> str:
    """A type as written, without the sizes of an array creation (`int[n]` -> `int[]`)."""
    element, rank = node.child_by_field_name("type"), node.child_by_field_name("rank")
    if node.type != "array_type" or element is None or rank is None:
        return node_text(node)
    return f"{_type_text(element)}[{',' * sum(c.type == ',' for c in rank.children)}]"


def _binary_type(node: tree_sitter.Node, methods: dict[str, set[str]]) -> str | None:
    operator = node.child_by_field_name("operator")
    text = node_text(operator) if operator is not None else ""
    if text in ("==", "!=", "<", ">", "<=", ">=", "&&", "||", "is"):
        return "bool"
    sides = [node.child_by_field_name("left"), node.child_by_field_name("right")]
    types = [_type_of(side, methods) if side is not None else None for side in sides]
    if text == "+" and "string" in types:
        return "string"
    if text in ("??", "as") or not all(t in _NUMERIC_ORDER for t in types):
        return None
    return max((t for t in types if t is not None), key=_NUMERIC_ORDER.index)


def _hoisted(part: assembly.Part, methods: dict[str, set[str]]) -> tuple[str, str]:
    """A top-level variable declaration as static fields (declared with the type `var` infers)
    and the statement assigning their initial values where the declaration stood."""
    inner = _inner(part.node)
    declaration = next((c for c in inner.named_children if c.type == "variable_declaration"), None)
    written = declaration.child_by_field_name("type") if declaration is not None else None
    if declaration is None or written is None or "const" in _modifier_words(inner):
        return _as_member(part)[0], ""
    fields: list[str] = []
    assignments: list[str] = []
    for declarator in (c for c in declaration.named_children if c.type == "variable_declarator"):
        name = assembly.name_of(declarator)
        has_value = any(c.type == "=" for c in declarator.children)
        value = declarator.named_children[-1] if has_value and declarator.named_children else None
        type_text = node_text(written)
        if written.type == "implicit_type":
            type_text = (_type_of(value, methods) if value is not None else None) or "var"  # var: mcs says why
        fields.append(f"    static {type_text} {name};")
        if value is not None:
            prefix = f"new {type_text} " if value.type == "initializer_expression" else ""
            assignments.append(f"{name} = {prefix}{node_text(value)};")
    return "\n".join(fields), " ".join(assignments)


def _entry_calls(part: assembly.Part) -> tuple[str, list[str]]:
    """A type of the assertions with a static Main: made callable, and the call to it."""
    edits: list[Edit] = []
    calls = []
    for node in assembly.descendants(part.node, "method_declaration"):
        if assembly.name_of(node) != "Main" or "static" not in _modifier_words(node):
            continue
        owner = node.parent.parent if node.parent is not None else None
        if owner is None or owner.type not in ("class_declaration", "struct_declaration"):
            continue
        access = [c for c in node.children if c.type == "modifier" and node_text(c) in _ACCESS]
        if not access:
            edits.append(Edit(_after_attributes(node), _after_attributes(node), "internal "))
        elif node_text(access[0]) in ("private", "protected"):
            edits.append(Edit(access[0].start_byte, access[0].end_byte, "internal"))
        params = node.child_by_field_name("parameters")
        call = f"{_qualified_name(owner)}.Main({'args' if params is not None and params.named_child_count else ''})"
        if "async" in _modifier_words(node):
            call += ".GetAwaiter().GetResult()"
        calls.append(f"SyntheticReturn({call});" if _returns_of(node) == "int" else call + ";")
    return part.edited(edits), calls[:1]


def _block_namespace(asm: assembly.Assembly, reference: str) -> str:
    """`namespace X;` (C# 10) as `namespace X { ... }`, which mcs understands."""
    found = _FILE_NAMESPACE.search(reference)
    if found is None:
        return reference
    asm.rewrites.add("file-scoped namespace -> namespace block (mcs knows C# 7)")
    return f"{reference[: found.start()]}namespace {found.group(1)}\n{{{reference[found.end() :]}\n}}"


def _add_reference(asm: assembly.Assembly, reference: str, assertions: str, function_name: str) -> dict[str, set[str]]:
    """Place the reference; returns its classes (qualified names) with their method names."""
    reference = _block_namespace(asm, reference)
    root = parse_root(LANGUAGE, reference)
    classes = _classes_with_methods(root)
    parts = assembly.top_level_parts(LANGUAGE, reference, _classify)
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
        calls = assembly.descendants(parse_root(LANGUAGE, assertions), "member_access_expression")
        taken = {assembly.name_of(n) for n in assembly.descendants(root, *_TYPES)}
        wrapper = assembly.wrapper_name(calls, "expression", function_name, taken)
        init = [f"    static {wrapper}()", "    {", *statements, "    }"] if statements else []
        asm.sections.append("\n".join([f"public static class {wrapper}", "{", *loose, *init, "}"]))
        classes[wrapper] = {assembly.name_of(_inner(p.node)) for p in parts if p.kind == "method"}
        made = " (made public static)" if made_static else ""
        asm.rewrites.add(f"wrapped the loose methods in static class {wrapper}{made}")
        if statements:
            asm.rewrites.add(f"moved the reference's loose statements into {wrapper}'s static constructor")
    return classes


def _add_assertions(asm: assembly.Assembly, assertions: str, reference: str) -> None:
    parts = assembly.assertion_parts(LANGUAGE, assertions, _classify)
    if parts is None:  # does not parse: statements as they are, mcs will say what is wrong
        asm.imports += [m.group(0) for m in _USING_LINE.finditer(assertions)]
        asm.statements.append(_USING_LINE.sub("", assertions))
        return
    # Only the loose methods (local functions in C#) can see the top-level variables.
    shared = assembly.shared_variables(
        parts,
        lambda p: p.kind == "variable",
        lambda p: p.kind == "method",
        lambda p: {assembly.name_of(d) for d in assembly.descendants(p.node, "variable_declarator")},
    )
    methods = _method_types([parse_root(LANGUAGE, reference), parse_root(LANGUAGE, assertions)])
    for index, part in enumerate(parts):
        if index in shared:
            field, assignment = _hoisted(part, methods)
            asm.members.append(field)
            asm.statements += [assignment] if assignment else []
            asm.rewrites.add("made the assertions' variables that their methods use static fields")
        elif part.kind == "using":
            asm.imports.append(part.text)
        elif part.kind == "type":
            text, calls = _entry_calls(part)
            asm.sections.append(text)
            asm.calls += calls
            for call in calls:
                asm.rewrites.add(f"called the assertions' {call.split('(')[0]}")
        elif part.kind == "variable" and _modifier_words(_inner(part.node)) & (_ACCESS | {"static", "readonly"}):
            asm.members.append(_as_member(part)[0])  # a field, as its modifiers say
        elif part.kind == "method":
            is_main = assembly.name_of(_inner(part.node)) == "Main"
            asm.members.append(_as_member(part, "SyntheticTestsMain" if is_main else None)[0])
            if is_main:
                params = _inner(part.node).child_by_field_name("parameters")
                arguments = "args" if params is not None and params.named_child_count else ""
                call = f"SyntheticTestsMain({arguments})"
                asm.calls.append(f"SyntheticReturn({call});" if _returns_of(_inner(part.node)) == "int" else call + ";")
                asm.rewrites.add("renamed the assertions' Main and called it")
        else:
            asm.statements.append(part.text)


def _usings(asm: assembly.Assembly, reference: str, assertions: str, classes: dict[str, set[str]]) -> list[str]:
    """The using lines: both snippets', the common ones, their namespaces, and static ones
    for the reference classes whose methods the assertions call unqualified."""
    test_root = parse_root(LANGUAGE, assertions)
    names = _namespaces(parse_root(LANGUAGE, reference)) + _namespaces(test_root)
    namespaces = [f"using {name};" for name in assembly.unique(names)]
    functions = (
        call.child_by_field_name("function") for call in assembly.descendants(test_root, "invocation_expression")
    )
    called = {node_text(f) for f in functions if f is not None and f.type == "identifier"}
    statics = [f"using static {name};" for name, methods in classes.items() if methods & called]
    if statics:
        asm.rewrites.add("`using static` for the reference classes whose methods the assertions call unqualified")
    imports = [_GLOBAL_USING.sub("using", line) for line in asm.imports]  # one file: global changes nothing
    present = {" ".join(line.split()) for line in imports}
    common = [line for line in COMMON_USINGS if line not in present]
    return assembly.unique(common + imports + namespaces + statics)


def assemble(reference: str, assertions: str, function_name: str) -> Program:
    if _TEST_FRAMEWORKS.search(assertions):
        raise NotRunnable("the assertions use a unit-test framework that is not available: write plain statements")
    asm = assembly.Assembly()
    declared = _reference_type_names(parse_root(LANGUAGE, reference), parse_root(LANGUAGE, assertions))
    reference, erased = _erase_nullable(reference, declared)
    assertions, erased_in_tests = _erase_nullable(assertions, declared)
    if erased or erased_in_tests:
        asm.rewrites.add(
            "erased nullable reference annotations (`string?`, `x!`): mcs knows C# 7, and they change nothing"
        )
    modern = _needs_modern_csharp(reference, assertions)
    if modern is not None:
        raise NeedsModernCSharp(
            f"needs {modern}: Mono's mcs (C# 7) is the only C# compiler here; modern .NET is not available"
        )
    assertions, asserts = _rewrite_calls(assertions, _assert_targets(assertions), f"{MAIN_CLASS}.SyntheticAssert")
    if asserts:
        asm.rewrites.add("Debug.Assert/Trace.Assert in the assertions -> a check that throws (Mono's never fail)")
    assertions = _rewrite_endings(assertions, asm.rewrites)
    classes = _add_reference(asm, reference, assertions, function_name)
    _add_assertions(asm, assertions, reference)
    lines = [
        *_usings(asm, reference, assertions, classes),
        "",
        *asm.sections,
        "",
        PROLOGUE,
        *asm.members,
        EPILOGUE,
        *asm.calls,
        *asm.statements,
        CLOSING,
    ]
    compile_step = Step(
        "compile",
        (
            "mcs",
            "-debug",
            "-nowarn:0162,0168,0219,0414,0649,1998",
            "-langversion:latest",  # C# 7.2 at most, but not 7.0 only (the default)
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
    return Program({"main.cs": "\n".join(lines)}, "main.cs", (compile_step, run), asm.rewrites)


# What the strength check mutates, and how it writes a stub of the function.
MUTATION = MutationTable(
    integers=frozenset({"integer_literal"}),
    ternaries=(("conditional_expression", "consequence", "alternative"),),
    statement_parents=frozenset({"block"}),
    loops=frozenset({"for_statement", "foreach_statement", "while_statement", "do_statement"}),
    functions=frozenset({"method_declaration", "local_function_statement"}),
)
SCHEMA = SchemaStyle(
    switch=schema_switch(templates.part(_HARNESS, "SCHEMA_SWITCH")),
    body="{{ if (SyntheticMutantSwitch.Id == {id}) {mutated} else {original} }}",
    kind_markers=r"\byield\b",  # an iterator's body runs only once it is enumerated
)
STUBS = StubStyle(
    "{{ return {}; }}",
    '{ throw new System.Exception("stub"); }',
    # `default(T)`, not the `default` literal: mono's compiler stops at C# 7.0
    zeros=((r"void", VOID), (r"string", '""'), (r"(.*)", r"default(\1)")),
    null="null",
    value_types=r"int|long|short|byte|char|float|double|decimal|bool|string|void|uint|ulong",
)


LANGUAGE = Language(
    name="C#",
    key="csharp",
    aliases=("c#", "cs", "c-sharp", "c sharp", "dotnet"),
    grammar=tree_sitter_c_sharp.language,
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
            "(Mono's C# compiler: C# 7, no records, switch expressions or local functions inside methods)",
        ),
        Toolchain("mono", ("--version",), "apt-get install mono-runtime"),
    ),
    assemble=assemble,
    failure=FailurePattern(
        r"^(?:\[ERROR\] FATAL UNHANDLED EXCEPTION: )?(?P<name>(?:\w+\.)*\w*Exception): (?P<message>.*)$",
        ("AssertFailedException", "AssertionException"),
        assertion_messages=("Assertion failed",),
    ),
    mutation=MUTATION,
    stubs=STUBS,
    schema=SCHEMA,
    typed=True,
    cold_cost=0.4,
    statement_context=("class Program { static void Main() {\n", "\n} }\n"),
)
