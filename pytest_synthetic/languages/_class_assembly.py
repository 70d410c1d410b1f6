"""Shared pieces for the class-based languages (Java, Kotlin, Scala, C#, Swift).

They all turn "a reference + loose assertion statements" into one source file whose entry
point reads the completion secret first, runs the assertions, then prints the secret.
What is shared: splitting a snippet into its top-level parts with tree-sitter and gathering
where each goes. The JVM's flags and budgets are in _jvm.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import tree_sitter

from pytest_synthetic.languages.base import Language, NotRunnable, Rewrites
from pytest_synthetic.languages.toolkit import NO_CODE, Edit, apply_edits, parse_root, walk
from pytest_synthetic.languages.toolkit import text as node_text

# --- tree-sitter -----------------------------------------------------------------------------
# pytest_synthetic.treesitter imports the language registry, which imports this module:
# import it when first used, not at module import time.


def unqualified_names(language: Language, code: str, root: tree_sitter.Node | None = None) -> set[str]:
    """Identifiers used on their own, not as the `b` of `a.b` (which names a member of `a`).

    `root`: the code's tree when the language parses it its own way (Kotlin's workaround).
    """
    names = set()
    for node in walk(parse_root(language, code) if root is None else root):
        if node.child_count == 0 and "identifier" in node.type:
            before = node.prev_sibling
            parent = node.parent
            if before is None and parent is not None and parent.type in ("navigation_suffix",):
                before = parent.prev_sibling if parent.child_count == 1 else parent.children[0]
            if before is None or before.type not in (".", "?.", "::"):
                names.add(node_text(node))
    return names


# --- what an assembly gathers --------------------------------------------------------------


@dataclass
class Assembly:
    """Where each piece of the two snippets goes, gathered part by part."""

    package: str | None = None
    imports: list[str] = field(default_factory=list)  # import/using lines of both snippets
    sections: list[str] = field(default_factory=list)  # top-level code, in order
    members: list[str] = field(default_factory=list)  # members of the generated main class
    statements: list[str] = field(default_factory=list)  # body of the generated assertions method
    calls: list[str] = field(default_factory=list)  # entry points of the assertions, called last
    rewrites: Rewrites = field(default_factory=Rewrites)


# --- top-level parts -----------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """One top-level item of a snippet, with the comments written right above it."""

    kind: str  # chosen by the language's classifier ("import", "type", "statement", ...)
    text: str
    node: tree_sitter.Node
    start: int  # byte offset of `text` in the snippet

    def edited(self, edits: Iterable[Edit]) -> str:
        """The text with edits given in the snippet's byte offsets."""
        return apply_edits(self.text, edits, base=self.start)


def top_level_parts(
    language: Language,
    code: str,
    classify: Callable[[tree_sitter.Node], str],
    root: tree_sitter.Node | None = None,
) -> list[Part] | None:
    """The snippet's top-level items in order; None when its top level does not parse.

    `classify` returns a kind for each top-level node but comments, which travel with the item
    after them (or before them, at the end of the snippet). An error inside an item (a grammar's
    blind spot, or a real mistake the compiler will report) does not move the items' boundaries,
    so only errors at the top level count here.
    `root`: a tree with the code's byte offsets, when the language parses it its own way.
    """
    data = code.encode("utf-8")
    root = parse_root(language, code) if root is None else root
    if any(child.is_error or child.is_missing for child in root.children):
        return None
    spans: list[tuple[str, int, int, tree_sitter.Node]] = []
    pending: int | None = None
    for node in root.named_children:
        kind = "comment" if "comment" in node.type else classify(node)
        if kind == "comment":
            pending = node.start_byte if pending is None else pending
            continue
        spans.append((kind, node.start_byte if pending is None else pending, node.end_byte, node))
        pending = None
    if pending is not None and spans:
        kind, start, _, node = spans[-1]
        spans[-1] = (kind, start, len(data), node)
    return [Part(kind, data[start:end].decode("utf-8"), node, start) for kind, start, end, node in spans]


def assertion_parts(
    language: Language, code: str, classify: Callable[[tree_sitter.Node], str], root: tree_sitter.Node | None = None
) -> list[Part] | None:
    """The assertions' top-level parts (None: their top level does not parse); NotRunnable when
    they hold no code at all."""
    parts = top_level_parts(language, code, classify, root)
    if parts == []:
        raise NotRunnable(NO_CODE)
    return parts


def wrapper_name(calls: Iterable[tree_sitter.Node], target_field: str, function_name: str, taken: set[str]) -> str:
    """The class the assertions call the loose reference functions through (`Solution.f`), if
    any; `calls` are member calls whose receiver is in `target_field`."""
    for call in calls:
        target = call.child_by_field_name(target_field)
        if target is not None and target.type == "identifier" and name_of(call) == function_name:
            name = node_text(target)
            if name[:1].isupper() and name not in taken:
                return name
    return pick_name("Solution", taken)


RENAMED_MAIN = "syntheticTestsMain"  # the assertions' own main, called after their statements


def add_unparsed(
    asm: Assembly, body: str, top_main: re.Pattern[str], entry: re.Pattern[str], call: Callable[[str], str]
) -> None:
    """Assertions whose top level does not parse, whole in the assertions' method for the
    compiler to judge. A main at their top level (`top_main`, its keyword in group 1) becomes a
    local function, called last (`call` of the renamed text); an `entry` point anywhere else
    could not be called, so it must not pass silently either."""
    renamed, count = top_main.subn(rf"\1{RENAMED_MAIN}", body)
    if entry.search(renamed):
        raise NotRunnable(
            "the assertions do not parse, and their main is not at the top level where it could be called"
        )
    asm.statements.append(renamed)
    if count:
        asm.calls.append(call(renamed))
        asm.rewrites.add("renamed the assertions' main and called it")


def texts(parts: Iterable[Part], *kinds: str) -> list[str]:
    return [part.text for part in parts if part.kind in kinds]


def unique(lines: Iterable[str]) -> list[str]:
    """Lines without repeats (imports from both snippets), first occurrence first."""
    seen: set[str] = set()
    kept = []
    for line in lines:
        key = " ".join(line.split())
        if key not in seen:
            seen.add(key)
            kept.append(line.strip())
    return kept


def name_of(node: tree_sitter.Node) -> str:
    name = node.child_by_field_name("name")
    return node_text(name) if name is not None else ""


def descendants(node: tree_sitter.Node, *types: str) -> list[tree_sitter.Node]:
    return [n for n in walk(node) if n.type in types]


def names_in(nodes: Iterable[tree_sitter.Node]) -> set[str]:
    """Every identifier written inside the nodes."""
    return {node_text(n) for node in nodes for n in walk(node) if n.child_count == 0 and "identifier" in n.type}


def shared_variables(
    parts: list[Part],
    is_variable: Callable[[Part], bool],
    is_declaration: Callable[[Part], bool],
    declared: Callable[[Part], set[str]],
) -> set[int]:
    """Indexes of the assertions' top-level variables that their own functions or classes use.

    Such a variable cannot stay a local of the generated test method (a method or class
    declared beside it would not see it): it becomes a field or top-level property.
    """
    used = names_in(p.node for p in parts if is_declaration(p))
    return {i for i, part in enumerate(parts) if is_variable(part) and declared(part) & used}


def pick_name(wanted: str, taken: set[str]) -> str:
    """`wanted`, or a clearly generated name when the snippets already use it."""
    return wanted if wanted not in taken else f"Synthetic{wanted}"
