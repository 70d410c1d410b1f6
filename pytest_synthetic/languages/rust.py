"""Rust: names, grammar, and how an entry becomes a runnable program.

One crate, main.rs: the assertions' inner attributes; the reference (its own `fn main`
renamed); the assertions' modules (a `#[cfg(test)] mod tests` is compiled in and its `#[test]`
functions made callable); `fn synthetic_checks()` holding everything else of the assertions
(statements and items alike: Rust allows items in a block, and `use` lines there cannot clash
with the reference's), followed by calls of their `main` and `#[test]` functions; and `fn main`,
which reads the completion secret first. Built in debug mode: debug assertions and overflow
checks stay on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import tree_sitter
import tree_sitter_rust

from pytest_synthetic.languages._native_common import (
    BINARY,
    Edit,
    apply_edits,
    children,
    leaf_texts,
    only_comments,
    parse,
    real_toolchain,
    run_binary_step,
    text_of,
)
from pytest_synthetic.languages.base import COMPLETION_PATH, Language, NotRunnable, Program, Step, Toolchain
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

COMPILE_LIMITS = Limits(wall_seconds=120, cpu_seconds=120)


@dataclass(frozen=True)
class _Test:
    path: str  # e.g. tests::adds_numbers
    should_panic: bool
    expected: str | None  # #[should_panic(expected = "...")]


@dataclass
class _Assertions:
    inner_attributes: list[str] = field(default_factory=list)
    modules: list[str] = field(default_factory=list)  # top-level items (mods, extern crates)
    body: str = ""
    tests: list[_Test] = field(default_factory=list)
    has_main: bool = False
    rewrites: list[str] = field(default_factory=list)


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


def _names_missing_module(node: tree_sitter.Node, reference_modules: set[str]) -> bool:
    """`use solution::f;`, `use crate::solution::f;`, `use super::*;`: paths into a crate or
    module that stands for the reference, which is this crate's root already."""
    argument = node.child_by_field_name("argument")
    text = (argument.text or b"").decode() if argument is not None else ""
    segments = [s.strip() for s in text.lstrip(":").split("{")[0].split("::")]
    if not segments or segments[0] == "super":
        return bool(segments)
    if segments[0] in {"crate", "self"}:
        # crate::f names an item of the reference; crate::solution::f a module it lacks.
        return len(segments) > 2 and segments[1] not in reference_modules and bool(segments[2])
    return segments[0] not in _KNOWN_CRATES and segments[0] not in reference_modules


def _split_assertions(assertions: str, reference_modules: set[str]) -> _Assertions:
    source, root = parse(tree_sitter_rust.language, assertions)
    split = _Assertions()
    edits: list[Edit] = []
    top_level_tests: list[_Test] = []
    for node in children(root):
        if node.type == "inner_attribute_item":
            split.inner_attributes.append(text_of(source, node))
            edits.append(Edit(node.start_byte, node.end_byte, ""))
        elif node.type in {"mod_item", "extern_crate_declaration"}:
            tests: list[_Test] = []
            module_edits = _test_edits(node, f"{_name(node)}::", tests) if node.type == "mod_item" else []
            if any(_attribute_name(a) == "cfg" for a in _attributes(node)):
                module_edits.extend(_drop_attributes(node, {"cfg"}))
                split.rewrites.append(f"compiled in the assertions' #[cfg(test)] mod {_name(node)}")
            start = min([node.start_byte, *(a.start_byte for a in _attributes(node))])
            relative = [Edit(e.start - start, e.end - start, e.text) for e in module_edits]
            split.modules.append(apply_edits(source[start : node.end_byte], relative))
            split.tests.extend(tests)
            edits.append(Edit(start, node.end_byte, ""))
        elif node.type == "use_declaration":
            if _names_missing_module(node, reference_modules):
                # `use super::*` / `use solution::f`: the reference is this crate's root already.
                edits.append(Edit(node.start_byte, node.end_byte, ""))
                split.rewrites.append(f"dropped `{text_of(source, node)}` (the reference is in the same crate)")
        elif node.type == "function_item":
            attributes = _attributes(node)
            names = {_attribute_name(a) for a in attributes}
            name = node.child_by_field_name("name")
            if "test" in names and name is not None:
                edits.extend(_drop_attributes(node, {"test", "should_panic", "ignore"}))
                if "ignore" not in names:
                    expected = next(
                        (_expected_message(a) for a in attributes if _attribute_name(a) == "should_panic"), None
                    )
                    top_level_tests.append(_Test(_name(node), "should_panic" in names, expected))
            elif name is not None and name.text == b"main":
                split.has_main = True
                edits.append(Edit(name.start_byte, name.end_byte, _ASSERTIONS_MAIN))
                split.rewrites.append(f"renamed the assertions' fn main to {_ASSERTIONS_MAIN}")
    split.tests.extend(top_level_tests)
    if split.tests:
        split.rewrites.append("called the assertions' #[test] functions from main")
    split.body = apply_edits(source, edits)
    return split


def _name(node: tree_sitter.Node) -> str:
    name = node.child_by_field_name("name")
    return (name.text or b"").decode() if name is not None else ""


def _prepare_reference(reference: str) -> tuple[str, set[str], list[str]]:
    """The reference with its fn main renamed, the modules it declares, and the rewrites."""
    source, root = parse(tree_sitter_rust.language, reference)
    edits = []
    rewrites = []
    modules = set()
    for node in children(root):
        if node.type == "function_item":
            name = node.child_by_field_name("name")
            if name is not None and name.text == b"main":
                edits.append(Edit(name.start_byte, name.end_byte, _REFERENCE_MAIN))
                rewrites.append(f"renamed the reference's fn main to {_REFERENCE_MAIN}")
        elif node.type == "mod_item":
            modules.add(_name(node))
    return apply_edits(source, edits), modules, rewrites


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


_HARNESS = """
// Added by pytest-synthetic: the harness around the assertions.
static SYNTHETIC_EXPECTING_PANIC: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
const SYNTHETIC_ASSERTION_LINES: &[(u32, u32)] = &[RANGES];

// A panic raised on a line of the assertions is reported as an assertion failure.
fn synthetic_install_panic_hook() {
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !SYNTHETIC_EXPECTING_PANIC.load(std::sync::atomic::Ordering::SeqCst) {
            if let Some(location) = info.location() {
                let line = location.line();
                if location.file().ends_with("FILE")
                    && SYNTHETIC_ASSERTION_LINES.iter().any(|&(first, last)| first <= line && line <= last)
                {
                    std::eprintln!("assertion failed at FILE:{}", line);
                }
            }
        }
        default_hook(info);
    }));
}

trait SyntheticOutcome {
    fn synthetic_check(self);
}

impl SyntheticOutcome for () {
    fn synthetic_check(self) {}
}

impl<E: std::fmt::Debug> SyntheticOutcome for Result<(), E> {
    fn synthetic_check(self) {
        if let Err(error) = self {
            std::panic!("assertion failed: the test returned Err({:?})", error);
        }
    }
}

fn synthetic_should_panic(name: &str, expected: Option<&str>, test: fn()) {
    SYNTHETIC_EXPECTING_PANIC.store(true, std::sync::atomic::Ordering::SeqCst);
    let outcome = std::panic::catch_unwind(test);
    SYNTHETIC_EXPECTING_PANIC.store(false, std::sync::atomic::Ordering::SeqCst);
    match outcome {
        Ok(()) => std::panic!("assertion failed: test {} did not panic (#[should_panic])", name),
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|text| text.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            if let Some(expected) = expected {
                if !message.contains(expected) {
                    std::panic!("assertion failed: test {} panicked with {:?}, expected {:?}", name, message, expected);
                }
            }
        }
    }
}

fn main() {
    // Read before anything else runs.
    let synthetic_done = std::fs::read_to_string("COMPLETION").unwrap_or_default();
    synthetic_install_panic_hook();
    synthetic_checks();
    let mut out = std::io::stdout().lock();
    let line = ["\\n", synthetic_done.as_str(), "\\n"].concat();
    let _ = std::io::Write::flush(&mut out);
    let _ = std::io::Write::write_all(&mut out, line.as_bytes());
    let _ = std::io::Write::flush(&mut out);
}
"""


def _calls(split: _Assertions) -> str:
    calls = []
    if split.has_main:
        calls.append(f"SyntheticOutcome::synthetic_check({_ASSERTIONS_MAIN}());")
    for test in split.tests:
        if test.should_panic:
            expected = "None" if test.expected is None else f'Some("{test.expected}")'
            calls.append(f'synthetic_should_panic("{test.path}", {expected}, || {test.path}());')
        else:
            calls.append(f"SyntheticOutcome::synthetic_check({test.path}());")
    return "".join(f"{call}\n" for call in calls)


def assemble(reference: str, assertions: str, function_name: str) -> Program:
    del function_name
    _, assertions_root = parse(tree_sitter_rust.language, assertions)
    if only_comments(assertions_root):
        raise NotRunnable("the assertions are only comments")
    if not _can_fail(assertions_root):
        raise NotRunnable("nothing in the assertions can fail (no assert!, assert_eq!, panic! or #[test])")
    prepared, reference_modules, rewrites = _prepare_reference(reference)
    split = _split_assertions(assertions, reference_modules)
    text = "".join(f"{attribute}\n" for attribute in split.inner_attributes)
    text += prepared.rstrip() + "\n"
    ranges: list[tuple[int, int]] = []
    for module in split.modules:
        text += "\n"
        first = text.count("\n") + 1
        text += module.rstrip() + "\n"
        ranges.append((first, text.count("\n")))
    # Not re-indented: a multi-line string literal must keep its exact text.
    text += "\n// The assertions.\nfn synthetic_checks() {\n"
    first = text.count("\n") + 1
    text += split.body.strip("\n") + "\n" + _calls(split)
    ranges.append((first, text.count("\n")))
    text += "}\n"
    text += (
        _HARNESS.replace("RANGES", ", ".join(f"({a}, {b})" for a, b in ranges))
        .replace("FILE", _FILE)
        .replace("COMPLETION", COMPLETION_PATH)
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
    rewrites += split.rewrites
    return Program({_FILE: text}, _FILE, (compile_step, run_binary_step()), tuple(rewrites))


LANGUAGE = Language(
    name="Rust",
    key="rust",
    aliases=("rs",),
    grammar=tree_sitter_rust.language,
    line_comment="//",
    definitions_query="""
(function_item name: (identifier) @name)
(struct_item name: (type_identifier) @name)
(enum_item name: (type_identifier) @name)
(trait_item name: (type_identifier) @name)
""",
    toolchains=(Toolchain("rustc", ("--version",), "apt-get install rustc (or install rustup)"),),
    assemble=assemble,
)
