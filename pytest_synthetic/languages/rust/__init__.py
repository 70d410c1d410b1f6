"""Rust: names, grammar, and how an entry becomes a runnable program.

One crate, main.rs: the assertions' inner attributes; the reference (its own `fn main`
renamed); the assertions' items (functions, types, consts, statics, impls, macros, `use` lines,
modules) at the crate root, where a `#[cfg(test)] mod tests { use super::*; }` sees them (it is
compiled in, its `#[test]` functions made callable); `fn synthetic_checks()` holding the
assertions' statements, followed by calls of their `main` and `#[test]` functions; and `fn main`,
which reads the completion secret first. An item whose name the reference binds at its root, and
a `use` that would clash with or shadow the reference's names (each name of a `use` list on its
own), stay inside synthetic_checks() instead (a block may shadow what the crate root may not
define twice), with the items that need them; so do the `use` lines of assertions without items.
Built in debug mode: debug assertions and overflow checks stay on.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import tree_sitter
import tree_sitter_rust

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
from pytest_synthetic.languages.completion import FINISHING_REWRITE, CompletionTable, Status, final_exits
from pytest_synthetic.languages.strength_tables import VOID, MutationTable, SchemaStyle, StubStyle, schema_switch
from pytest_synthetic.languages.toolkit import Edit, apply_edits, text
from pytest_synthetic.sandbox import Limits

_REFERENCE_MAIN = "synthetic_reference_main"
_ASSERTIONS_MAIN = "synthetic_checks_main"
_FILE = "main.rs"

# Macros by which assertions can fail; assertions with none of them (and no test) prove nothing.
_FAILING_MACROS = frozenset(
    {
        "assert",
        "assert_eq",
        "assert_ne",
        "debug_assert",
        "debug_assert_eq",
        "debug_assert_ne",
        "panic",
        "unreachable",
        "todo",
        "unimplemented",
        "assert_matches",
    }
)
_KNOWN_CRATES = frozenset({"std", "core", "alloc", "crate", "self", "super"})
# Top-level nodes that are items: Rust allows them in a block too, but only at the crate root can
# a module (`use super::*`) see them.
_ITEMS = frozenset(
    {
        "function_item",
        "const_item",
        "static_item",
        "struct_item",
        "enum_item",
        "union_item",
        "impl_item",
        "trait_item",
        "type_item",
        "use_declaration",
        "mod_item",
        "extern_crate_declaration",
        "macro_definition",
        "foreign_mod_item",
    }
)
# Prelude names a crate-root `use` (`use std::fmt::Result;`) would shadow for the reference too.
_PRELUDE = frozenset(
    {
        *("Option", "Some", "None", "Result", "Ok", "Err", "Vec", "String", "Box", "ToString", "ToOwned"),
        *("Clone", "Copy", "Default", "Iterator", "IntoIterator", "Extend", "FromIterator", "Drop"),
        *("Fn", "FnMut", "FnOnce", "Send", "Sync", "Sized", "PartialEq", "PartialOrd", "Eq", "Ord"),
        *("AsRef", "AsMut", "Into", "From", "TryFrom", "TryInto", "DoubleEndedIterator"),
        *("ExactSizeIterator", "drop"),
    }
)
_EXIT_PATHS = frozenset({"std::process::exit", "::std::process::exit", "process::exit"})

COMPILE_LIMITS = Limits(wall_seconds=120, cpu_seconds=120)


@dataclass(frozen=True)
class _Test:
    path: str  # e.g. tests::adds_numbers
    should_panic: bool
    expected: str | None  # #[should_panic(expected = "...")]


@dataclass
class _Assertions:
    rewrites: Rewrites
    inner_attributes: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)  # for the crate root, in their order
    body: str = ""
    tests: list[_Test] = field(default_factory=list)
    has_main: bool = False
    main_exits: bool = False  # their main ends in std::process::exit: call it after the tests


def _attributes(node: tree_sitter.Node) -> list[tree_sitter.Node]:
    """The outer attributes (#[...]) written right before an item."""
    found = []
    sibling = node.prev_named_sibling
    while sibling is not None and sibling.type == "attribute_item":
        found.append(sibling)
        sibling = sibling.prev_named_sibling
    return found


def _attribute_name(attribute: tree_sitter.Node) -> str:
    text = (attribute.text or b"").decode()
    return text.removeprefix("#[").split("(")[0].split("=")[0].strip(" ]")


def _expected_message(attribute: tree_sitter.Node) -> str | None:
    text = (attribute.text or b"").decode()
    if "expected" not in text or '"' not in text:
        return None
    return text.split('"', 1)[1].rsplit('"', 1)[0]


def _test_edits(module: tree_sitter.Node, prefix: str, tests: list[_Test]) -> list[Edit]:
    """Inside a module: find #[test] functions, drop test-only attributes, make the functions
    (and nested modules) visible to the crate so the harness can call them."""
    edits: list[Edit] = []
    body = module.child_by_field_name("body")
    if body is None:
        return edits
    for item in children(body):
        if item.type == "mod_item":
            name = item.child_by_field_name("name")
            nested = f"{prefix}{(name.text or b'').decode()}::" if name is not None else prefix
            nested_edits = _test_edits(item, nested, tests)
            if nested_edits:
                edits.extend(nested_edits)
                edits.extend(_visibility_edit(item))
                edits.extend(_drop_attributes(item, {"cfg"}))
        elif item.type == "function_item":
            attributes = _attributes(item)
            names = {_attribute_name(a) for a in attributes}
            if "test" not in names:
                continue
            name = item.child_by_field_name("name")
            edits.extend(_drop_attributes(item, {"test", "should_panic", "ignore"}))
            if "ignore" in names or name is None:
                continue
            expected = next((_expected_message(a) for a in attributes if _attribute_name(a) == "should_panic"), None)
            tests.append(_Test(f"{prefix}{(name.text or b'').decode()}", "should_panic" in names, expected))
            edits.extend(_visibility_edit(item))
    return edits


def _visibility_edit(item: tree_sitter.Node) -> list[Edit]:
    if any(child.type == "visibility_modifier" for child in children(item)):
        return []
    keyword = next((c for c in item.children if c.type in {"fn", "mod"}), None)
    if keyword is None:
        return []
    # Before any qualifiers (async, unsafe, const) as well.
    start = next((c.start_byte for c in children(item) if c.type == "function_modifiers"), keyword.start_byte)
    return [Edit(start, start, "pub(crate) ")]


def _drop_attributes(item: tree_sitter.Node, names: set[str]) -> list[Edit]:
    return [Edit(a.start_byte, a.end_byte, "") for a in _attributes(item) if _attribute_name(a) in names]


@dataclass(frozen=True)
class _Reference:
    text: str  # with its fn main renamed
    modules: set[str]  # the modules it declares
    items: set[str]  # the names of its top-level items
    bound: set[str]  # every name bound at its root: items and `use` lines
    mentions: set[str]  # every name it uses


def _use_names(node: tree_sitter.Node | None, last: str = "") -> tuple[set[str], bool]:
    """The names a `use` argument binds (the last segment, an alias, `self` in a list), and
    whether it also has a glob."""
    if node is None:
        return set(), False
    if node.type == "use_as_clause":
        alias = node.child_by_field_name("alias")
        return {(alias.text or b"").decode()} if alias is not None else set(), False
    if node.type == "use_wildcard":
        return set(), True
    if node.type in {"scoped_use_list", "use_list"}:
        path = node.child_by_field_name("path")
        prefix = (path.text or b"").decode().rsplit("::", 1)[-1] if path is not None else last
        listed = node.child_by_field_name("list") if node.type == "scoped_use_list" else node
        names: set[str] = set()
        glob = False
        for child in listed.named_children if listed is not None else []:
            found, star = _use_names(child, prefix)
            names |= found
            glob = glob or star
        return names, glob
    text = (node.text or b"").decode().rsplit("::", 1)[-1]
    return ({last} if text == "self" else {text}), False


def _split_list(text: str) -> list[str]:
    """`a, b::{c, d}` as ["a", "b::{c, d}"]."""
    entries = []
    depth = 0
    current = ""
    for char in text:
        depth += (char == "{") - (char == "}")
        if char == "," and depth == 0:
            entries.append(current.strip())
            current = ""
        else:
            current += char
    return [entry for entry in [*entries, current.strip()] if entry]


def _reference_crate_uses(node: tree_sitter.Node, reference: _Reference) -> list[str] | None:
    """A `use` of the crate that stands for the reference (`use solution::f;`, `use
    crate::solution::f;`, `use super::*;`) as `use crate::...` lines: the reference is this
    crate's root. Paths that name a root item of it are dropped (it is in scope already); paths
    that continue into its items (`solution::geometry::area`, `solution::Shape::Circle`) are kept
    from `crate::`. None for any other `use`."""
    argument = node.child_by_field_name("argument")
    text = " ".join((argument.text or b"").decode().split()) if argument is not None else ""
    text = text.replace(" ::", "::").replace(":: ", "::")
    segments = text.lstrip(":").split("::")
    if segments[0] in {"crate", "self"} and len(segments) > 2 and segments[1] not in reference.modules:
        skipped = 2  # crate::solution::f: a module the reference lacks
    elif segments[0] == "super" or (segments[0] not in _KNOWN_CRATES and segments[0] not in reference.modules):
        skipped = 1
    else:
        return None
    rest = "::".join(segments[skipped:])
    entries = _split_list(rest[1:-1]) if rest.startswith("{") and rest.endswith("}") else [rest]
    return [
        f"use crate::{entry};"
        for entry in entries
        if ("::" in entry and entry.split("::")[0] in reference.items) or " as " in entry
    ]


def _leading_start(node: tree_sitter.Node) -> int:
    """Where an item begins with the attributes and comments right before it (a doc comment
    left behind at the end of a block would not compile)."""
    start = node.start_byte
    sibling = node.prev_named_sibling
    while sibling is not None and (sibling.type == "attribute_item" or is_comment(sibling)):
        start = sibling.start_byte
        sibling = sibling.prev_named_sibling
    return start


COMPLETION = CompletionTable(
    blocks=frozenset({"source_file", "block"}),
    calls={"call_expression": "arguments"},
    exits=dict.fromkeys(_EXIT_PATHS, Status.UNKNOWN),
    inert=frozenset({"line_comment", "block_comment", "empty_statement"}),
    functions=frozenset({"function_item"}),
    entry_points=frozenset({"main"}),
    loops=frozenset({"for_expression", "while_expression", "loop_expression"}),
    callbacks=frozenset({"closure_expression", "async_block", "impl_item"}),
    short_circuit=frozenset({"||", "&&"}),
)


def _item_name(node: tree_sitter.Node) -> str | None:
    """The name an item binds (None for impls, uses, extern blocks)."""
    if node.type in {"impl_item", "use_declaration", "foreign_mod_item"}:
        return None
    alias = node.child_by_field_name("alias") if node.type == "extern_crate_declaration" else None
    return (alias.text or b"").decode() if alias is not None else _name(node) or None


def _kept_local(items: list[tree_sitter.Node], reference: _Reference, shadowing: set[str]) -> set[int]:
    """Ids of the items that stay inside synthetic_checks(): those whose name the reference binds
    at its root (the crate root cannot define it twice; a block may shadow it, as the assertions
    meant), and those that use such a local item (an impl of it, a function taking it) or a name
    only a local `use` binds (`shadowing`: `Result` from `use std::fmt::Result;`)."""
    local_names = {name for item in items if (name := _item_name(item)) in reference.bound} | shadowing
    kept = {id(item) for item in items if _item_name(item) in local_names}
    changed = bool(local_names)
    while changed:
        changed = False
        for item in items:
            if id(item) in kept or item.type in {"mod_item", "macro_definition", "use_declaration"}:
                continue
            if leaf_texts(item, frozenset({"identifier", "type_identifier"})) & local_names:
                kept.add(id(item))
                local_names.add(_item_name(item) or "")
                changed = True
    return kept


def _compact(node: tree_sitter.Node | None) -> str:
    return "".join((node.text or b"").decode().split()) if node is not None else ""


def _flat_paths(node: tree_sitter.Node, prefix: str = "") -> list[str]:
    """A `use` argument as one path per name it binds (`std::fmt::{self, Display}` as `std::fmt`
    and `std::fmt::Display`), so that each can go where it fits."""
    if node.type in {"scoped_use_list", "use_list"}:
        scope = node.child_by_field_name("path") if node.type == "scoped_use_list" else None
        listed = node.child_by_field_name("list") if node.type == "scoped_use_list" else node
        inner = f"{prefix}{_compact(scope)}::" if scope is not None else prefix
        entries = [c for c in listed.named_children if not is_comment(c)] if listed is not None else []
        return [flat for entry in entries for flat in _flat_paths(entry, inner)]
    if node.type == "use_as_clause":
        name = _compact(node.child_by_field_name("path"))
        alias = _compact(node.child_by_field_name("alias"))
        return [f"{prefix.removesuffix('::') if name == 'self' else prefix + name} as {alias}"]
    name = _compact(node)
    return [prefix.removesuffix("::") if name == "self" else prefix + name]


def _use_lines(node: tree_sitter.Node) -> list[str]:
    """A `use` declaration as one line per name it binds (same visibility)."""
    argument = node.child_by_field_name("argument")
    visibility = next((f"{_compact(c)} " for c in node.named_children if c.type == "visibility_modifier"), "")
    return [f"{visibility}use {path};" for path in _flat_paths(argument)] if argument is not None else []


def _line_names(line: str) -> set[str]:
    """The names one `use` line binds."""
    _, root = parse(LANGUAGE, line)
    node = next((c for c in root.named_children if c.type == "use_declaration"), None)
    return _use_names(node.child_by_field_name("argument") if node is not None else None)[0]


def _use_at_root(line: str, reference: _Reference) -> bool:
    """Whether a `use` line can go to the crate root: it binds no name the reference binds there,
    and shadows no prelude name the reference uses."""
    names = _line_names(line)
    return not names & reference.bound and not names & _PRELUDE & reference.mentions


def _split_use(
    source: bytes,
    node: tree_sitter.Node,
    *,
    rewritten: list[str] | None,
    lines: list[str],
    at_root: list[str],
    split: _Assertions,
) -> list[Edit]:
    """A `use` of the assertions: its lines for the crate root go to split.items, the edit that
    leaves the others in place is returned (none when it stays as written)."""
    if rewritten is not None:
        done = f"rewrote as `{' '.join(rewritten)}`" if rewritten else "dropped"
        split.rewrites.add(f"{done} `{text_of(source, node)}` (the reference is this crate's root)")
    if rewritten is None and not at_root:
        return []
    # Its attributes (`#[allow(unused_imports)]`) go with each of its lines.
    attributes = _attributes(node)
    prefix = "".join(f"{text_of(source, a)} " for a in reversed(attributes))
    split.items.extend(prefix + line for line in at_root)
    local = " ".join(prefix + line for line in lines if line not in at_root)
    begin = min([node.start_byte, *(a.start_byte for a in attributes)])
    return [Edit(begin, node.end_byte, local)]


def _function_item(node: tree_sitter.Node, tests: list[_Test], split: _Assertions) -> list[Edit]:
    """A #[test] function (added to tests, its attributes dropped) or the assertions' main (renamed)."""
    attributes = _attributes(node)
    names = {_attribute_name(a) for a in attributes}
    name = node.child_by_field_name("name")
    if "test" in names and name is not None:
        if "ignore" not in names:
            expected = next((_expected_message(a) for a in attributes if _attribute_name(a) == "should_panic"), None)
            tests.append(_Test(_name(node), "should_panic" in names, expected))
        return _drop_attributes(node, {"test", "should_panic", "ignore"})
    if name is not None and name.text == b"main":
        split.has_main = True
        split.rewrites.add(f"renamed the assertions' fn main to {_ASSERTIONS_MAIN}")
        return [Edit(name.start_byte, name.end_byte, _ASSERTIONS_MAIN)]
    return []


def _split_assertions(assertions: str, reference: _Reference, rewrites: Rewrites) -> _Assertions:
    source, root = parse(LANGUAGE, assertions)
    split = _Assertions(rewrites)
    nodes = list(children(root))
    items = [node for node in nodes if node.type in _ITEMS]
    # Each `use` as its lines: rewritten against the reference, or one per name it binds.
    uses = {id(n): _reference_crate_uses(n, reference) for n in items if n.type == "use_declaration"}
    lines = {id(n): _use_lines(n) if uses[id(n)] is None else uses[id(n)] or [] for n in items if id(n) in uses}
    local_uses = {line for found in lines.values() for line in found if not _use_at_root(line, reference)}
    # What only a local `use` binds (the reference's own names the crate root sees anyway).
    shadowing = {name for line in local_uses for name in _line_names(line)} - reference.bound
    kept = _kept_local(items, reference, shadowing)
    # Assertions that are only statements and `use` lines keep them together, as written.
    any_at_root = any(node.type != "use_declaration" and id(node) not in kept for node in items)
    inner: list[Edit] = []  # edits inside the nodes, wherever they go
    moved: list[tuple[int, int]] = []
    top_level_tests: list[_Test] = []
    for node in nodes:
        start = _leading_start(node)
        if node.type == "inner_attribute_item":
            split.inner_attributes.append(text_of(source, node))
            inner.append(Edit(node.start_byte, node.end_byte, ""))
            continue
        if node.type == "use_declaration":
            at_root = [line for line in lines[id(node)] if any_at_root and line not in local_uses]
            inner.extend(
                _split_use(source, node, rewritten=uses[id(node)], lines=lines[id(node)], at_root=at_root, split=split)
            )
            continue
        if node.type == "mod_item":
            tests: list[_Test] = []
            inner.extend(_test_edits(node, f"{_name(node)}::", tests))
            split.tests.extend(tests)
            if any(_attribute_name(a) == "cfg" for a in _attributes(node)):
                inner.extend(_drop_attributes(node, {"cfg"}))
                split.rewrites.add(f"compiled in the assertions' #[cfg(test)] mod {_name(node)}")
        elif node.type == "function_item":
            inner.extend(_function_item(node, top_level_tests, split))
        if node.type in _ITEMS and id(node) not in kept:
            moved.append((start, node.end_byte))
    split.tests.extend(top_level_tests)
    if split.tests:
        split.rewrites.add("called the assertions' #[test] functions from main")
    table = replace(COMPLETION, exits=dict.fromkeys(_exits(assertions), Status.UNKNOWN))
    final = final_exits(root, table)
    split.main_exits = split.has_main and bool(final)
    inner.extend(Edit(call.start, call.end, "synthetic_exit") for call in final)
    if final:
        rewrites.add(FINISHING_REWRITE)
    for start, end in moved:
        within = [Edit(e.start - start, e.end - start, e.text) for e in inner if start <= e.start and e.end <= end]
        split.items.append(apply_edits(source[start:end], within))
    outside = [e for e in inner if not any(start <= e.start and e.end <= end for start, end in moved)]
    split.body = apply_edits(source, [*outside, *(Edit(start, end, "") for start, end in moved)])
    if moved:
        split.rewrites.add("moved the assertions' items to the crate root")
    return split


def _exits(assertions: str) -> frozenset[str]:
    """The paths of std::process::exit the assertions may call it by (`exit` once imported)."""
    return _EXIT_PATHS | ({"exit"} if "process::exit" in assertions or "process::{" in assertions else set())


def _name(node: tree_sitter.Node) -> str:
    name = node.child_by_field_name("name")
    return (name.text or b"").decode() if name is not None else ""


def _prepare_reference(reference: str, rewrites: Rewrites) -> _Reference:
    """The reference with its fn main renamed, and the names it binds and uses."""
    source, root = parse(LANGUAGE, reference)
    edits = []
    modules = set()
    items = set()
    bound = set()
    for node in children(root):
        if node.type == "function_item":
            name = node.child_by_field_name("name")
            if name is not None and name.text == b"main":
                edits.append(Edit(name.start_byte, name.end_byte, _REFERENCE_MAIN))
                rewrites.add(f"renamed the reference's fn main to {_REFERENCE_MAIN}")
        if node.type == "mod_item":
            modules.add(_name(node))
        if node.type == "use_declaration":
            bound |= _use_names(node.child_by_field_name("argument"))[0]
        elif node.type in _ITEMS and (item := _item_name(node)) is not None:
            items.add(item)
    mentions = leaf_texts(root, frozenset({"identifier", "type_identifier"}))
    return _Reference(apply_edits(source, edits), modules, items, bound | items, mentions)


def _can_fail(root: tree_sitter.Node) -> bool:
    macros = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type == "macro_invocation":
            macro = node.child_by_field_name("macro")
            if macro is not None:
                macros.add((macro.text or b"").decode().split("::")[-1])
        elif node.type == "attribute_item" and _attribute_name(node) == "test":
            return True
        stack.extend(children(node))
    return bool(macros & _FAILING_MACROS) or "exit" in leaf_texts(root, frozenset({"identifier"}))


# standins/rust_prelude.rs: the harness that follows the assertions.
_HARNESS = templates.part("rust_prelude.rs", "HARNESS")


def _calls(split: _Assertions) -> str:
    calls = []
    for test in split.tests:
        if test.should_panic:
            expected = "None" if test.expected is None else f'Some("{test.expected}")'
            calls.append(f'synthetic_should_panic("{test.path}", {expected}, || {test.path}());')
        else:
            calls.append(f"SyntheticOutcome::synthetic_check({test.path}());")
    if split.has_main:
        # A main that ends the process comes last, or the tests after it would never run.
        calls.insert(len(calls) if split.main_exits else 0, f"SyntheticOutcome::synthetic_check({_ASSERTIONS_MAIN}());")
    return "".join(f"{call}\n" for call in calls)


def assemble(reference: str, assertions: str, function_name: str) -> Program:
    del function_name
    require_checks(LANGUAGE, assertions, _can_fail, "assert!, assert_eq!, panic! or #[test]")
    rewrites = Rewrites()
    prepared = _prepare_reference(reference, rewrites)
    split = _split_assertions(assertions, prepared, rewrites)
    text = "".join(f"{attribute}\n" for attribute in split.inner_attributes)
    text += prepared.text.rstrip() + "\n"
    ranges: list[tuple[int, int]] = []
    if split.items:
        text += "\n// The assertions' items.\n"
        first = text.count("\n") + 1
        text += "".join(f"{item.rstrip()}\n" for item in split.items)
        ranges.append((first, text.count("\n")))
    # Not re-indented: a multi-line string literal must keep its exact text.
    text += "\n// The assertions.\nfn synthetic_checks() {\n"
    first = text.count("\n") + 1
    text += split.body.strip("\n") + "\n" + _calls(split)
    ranges.append((first, text.count("\n")))
    text += "}\n"
    text += templates.fill(
        _HARNESS,
        RANGES=", ".join(f"({a}, {b})" for a, b in ranges),
        FILE=_FILE,
        COMPLETION_PATH=COMPLETION_PATH,
    )
    compile_step = Step(
        "compile",
        (
            real_toolchain("rustc", ("--print", "sysroot")),
            "--edition",
            "2021",
            "-C",
            "opt-level=0",
            "-C",
            "debuginfo=0",
            "-C",
            "debug-assertions=on",
            "-C",
            "overflow-checks=on",
            "-A",
            "warnings",
            "-o",
            BINARY,
            _FILE,
        ),
        COMPILE_LIMITS,
    )
    return Program({_FILE: text}, _FILE, (compile_step, run_binary_step()), rewrites)


# What the strength check mutates, and how it writes a stub of the function.
MUTATION = MutationTable(
    binary=frozenset({"binary_expression", "compound_assignment_expr"}),
    integers=frozenset({"integer_literal"}),
    conditions=(("if_expression", "condition"), ("while_expression", "condition")),
    ternaries=(),
    statement_parents=frozenset({"block"}),
    loops=frozenset({"for_expression", "while_expression", "loop_expression"}),
    returns=frozenset({"return_expression"}),
    functions=frozenset({"function_item"}),
    empty_statement="",
    implicit_return="return {};",
)
SCHEMA = SchemaStyle(
    switch=schema_switch(templates.part("rust_prelude.rs", "SCHEMA_SWITCH")),
    body="{{ if crate::synthetic_mutant() == {id} {mutated} else {original} }}",
)


def _result_type(definition: tree_sitter.Node) -> str:
    declared = definition.child_by_field_name("return_type")
    return "()" if declared is None else text(declared).strip()


STUBS = StubStyle(
    "{{ {} }}",
    '{ panic!("stub") }',
    zeros=((r"\(\)", VOID), (r".*", "Default::default()")),
    result_type=_result_type,
)


LANGUAGE = Language(
    name="Rust",
    key="rust",
    aliases=("rs",),
    grammar=tree_sitter_rust.language,
    definitions_query="""
(function_item name: (identifier) @name)
(struct_item name: (type_identifier) @name)
(enum_item name: (type_identifier) @name)
(trait_item name: (type_identifier) @name)
""",
    toolchains=(Toolchain("rustc", ("--version",), "apt-get install rustc (or install rustup)"),),
    assemble=assemble,
    mutation=MUTATION,
    stubs=STUBS,
    schema=SCHEMA,
    typed=True,
    cold_cost=0.4,
    statement_context=("fn main() {\n", "\n}\n"),
)
