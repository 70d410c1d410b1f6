"""A mutant schema: every mutant of an entry in one program, so that it is built once.

Each mutant changes the body of one function of the reference. The schema gives that body a
choice, made at run time from SCHEMA_VARIABLE (read once): `{ if (m == 3) { mutant 3's body }
else { the body } }`. Only the chosen body ever runs (a branch, never an eager helper), so with
the variable unset the program is the reference, and set to a mutant's number it behaves as
that mutant alone. A whole body per mutant, not just the changed expression, keeps what a
compiler decides inside a function the same as in the mutant's own build: the types it infers
for locals, variables left unused, constants it folds and warns about. A function whose body
holds other functions holds their choices in its original body.

Stubs are choices too: a stub replaces the whole body. A variant whose body the compiler rejects
in the schema is left out and the schema built again (score.py). What a schema cannot hold gets
its own build: variants outside a function body, variants that remove the last mention of a
name (an import or a variable left unused fails some compilers, which the schema, still
mentioning it elsewhere, would hide), and variants whose body gains or loses what makes its
function another kind (a C# iterator's stub has no `yield`: alone it throws at the call, in the
schema it would stay an iterator that runs nothing until enumerated). The language's data says
how to write the choice (`SchemaStyle`); this module is the same for every language.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import tree_sitter

from pytest_synthetic.languages.base import Language
from pytest_synthetic.languages.strength_tables import MutationTable, SchemaStyle
from pytest_synthetic.languages.toolkit import Edit, apply_edits
from pytest_synthetic.treesitter import parse


@dataclass(frozen=True)
class Schema:
    source: str  # the reference with a choice in every changed body; the reference with none active
    switches: tuple[int | None, ...]  # per variant: the number that makes it active, None: not held
    # per mutant number: the text that starts its body in the schema, and the body itself
    bodies: dict[int, tuple[str, str]] = field(default_factory=dict)

    def culprits(self, program_text: str, main_file: str, compiler_output: str) -> frozenset[int]:
        """The variants (indices) whose bodies hold a line the compiler complained about.

        A mutant whose body does not compile in the schema would not compile alone either
        (what it changed is local to that body); leaving it to its own build costs a build,
        never a verdict. Found by the lines `main_file:LINE`, `main_file(LINE` or `main_file on
        line LINE` the compiler names, on the program as assembled."""
        name = re.escape(main_file.rsplit("/", 1)[-1])  # compilers name it from their own folder
        said = rf"(?<![\w.-]){name}(?::|\(| on line )(\d+)"  # PHP: "... in main.php on line 12"
        lines = {int(n) for n in re.findall(said, compiler_output)}
        guilty = set()
        for number, (opening, body) in self.bodies.items():
            at = program_text.find(opening + body)
            if at < 0:
                continue
            first = program_text.count("\n", 0, at + len(opening)) + 1
            if any(first <= line <= first + body.count("\n") for line in lines):
                guilty.add(self.switches.index(number))
        return frozenset(guilty)


@dataclass
class _Body:
    start: int
    end: int
    choices: list[tuple[int, str]] = field(default_factory=list)  # (mutant number, mutated body)
    inner: list[_Body] = field(default_factory=list)


def _body(
    style: SchemaStyle, table: MutationTable, root: tree_sitter.Node, kind: str, edits: Sequence[Edit]
) -> _Body | None:
    """The body of the innermost function that holds every edit (a stub's edit is the body
    itself), or None."""
    start, end = min(e.start for e in edits), max(e.end for e in edits)
    whole = kind == "stub"
    if whole and len(edits) != 1:  # overloads stubbed together: one body per variant here
        return None
    node: tree_sitter.Node | None = root.descendant_for_byte_range(start, end)
    while node is not None:
        body = _block(style, node) if node.type in table.functions else None
        inside = body is not None and body.start_byte < start and end < body.end_byte
        if body is not None and (((body.start_byte, body.end_byte) == (start, end)) if whole else inside):
            return _Body(body.start_byte, body.end_byte)
        node = node.parent
    return None


def _block(style: SchemaStyle, function: tree_sitter.Node) -> tree_sitter.Node | None:
    """The function's body when it is a block (Kotlin's sits in a function_body node)."""
    body = function.child_by_field_name("body")
    if body is None:
        body = next((c for c in function.named_children if c.type == "function_body"), None)
    if body is not None and body.type not in style.bodies and body.named_child_count == 1:
        body = body.named_children[0]
    return body if body is not None and body.type in style.bodies else None


def _forgets_a_name(style: SchemaStyle, reference: str, edits: Sequence[Edit]) -> bool:
    """Whether the variant no longer mentions a name whose last use the language's build
    rejects (Go's imports) and the reference does."""
    if style.kept_names is None:
        return False
    kept = re.compile(style.kept_names)
    return bool(set(kept.findall(reference)) - set(kept.findall(apply_edits(reference, edits))))


def _changes_kind(style: SchemaStyle, original: str, mutated: str) -> bool:
    """Whether the body gains or loses what makes its function another kind (a generator)."""
    if style.kind_markers is None:
        return False
    marker = re.compile(style.kind_markers)
    return bool(marker.search(original)) != bool(marker.search(mutated))


def _render(style: SchemaStyle, source: bytes, body: _Body) -> str:
    """The body with its inner bodies rendered, as a choice between its mutants and it."""
    inner = [Edit(b.start, b.end, _render(style, source, b)) for b in body.inner]
    text = apply_edits(source[body.start : body.end], inner, base=body.start)
    for number, mutated in body.choices:
        text = style.body.format(id=number, mutated=mutated, original=text)
    return text


def _nest(bodies: list[_Body]) -> list[_Body]:
    """The outermost bodies, each holding the bodies inside it (bodies nest or are apart)."""
    outer: list[_Body] = []
    stack: list[_Body] = []
    for body in sorted(bodies, key=lambda b: (b.start, -b.end)):
        while stack and not (stack[-1].start <= body.start and body.end <= stack[-1].end):
            stack.pop()
        (stack[-1].inner if stack else outer).append(body)
        stack.append(body)
    return outer


def build(language: Language, reference: str, changes: Sequence[tuple[str, Sequence[Edit]] | None]) -> Schema | None:
    """The schema of the mutants among `changes` (kind and edits per variant; None: leave it to
    its own build), or None when the language has no schema or it would hold no mutant."""
    style, table = language.schema, language.mutation
    if style is None or table is None:
        return None
    tree = parse(language, reference)
    if tree.root_node.has_error:
        return None
    source = reference.encode("utf-8")
    bodies: dict[int, _Body] = {}
    switches: list[int | None] = []
    for change in changes:
        found = None
        if change is not None and not _forgets_a_name(style, reference, change[1]):
            found = _body(style, table, tree.root_node, *change)
        if change is None or found is None:
            switches.append(None)
            continue
        original = source[found.start : found.end]
        mutated = apply_edits(original, change[1], base=found.start)
        if _changes_kind(style, original.decode("utf-8"), mutated):
            switches.append(None)
            continue
        body = bodies.setdefault(found.start, found)
        number = sum(1 for s in switches if s is not None) + 1
        body.choices.append((number, mutated))
        switches.append(number)
    if not bodies:
        return None
    rendered = [Edit(b.start, b.end, _render(style, source, b)) for b in _nest(list(bodies.values()))]
    opening = style.body.split("{mutated}", 1)[0]
    texts = {n: (opening.format(id=n), mutated) for b in bodies.values() for n, mutated in b.choices}
    text = apply_edits(source, rendered).rstrip("\n")
    text = f"{style.switch}\n\n{text}\n" if style.first else f"{text}\n\n{style.switch}\n"
    return Schema(text, tuple(switches), texts)
