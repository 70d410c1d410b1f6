"""Stand-ins for the entry's function: its body replaced, its signature kept.

A strong test suite fails for every stub: one returning the zero value of the declared
result type (or, in dynamic languages, each of None/0/false/[]/""), one returning its first
argument unchanged, and one that throws. In typed languages a stub that does not compile is
simply not counted, so the zero values are picked from the declared type where it is known.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import tree_sitter

from pytest_synthetic.languages import Language
from pytest_synthetic.languages.strength_tables import VOID, StubStyle
from pytest_synthetic.languages.toolkit import Edit, apply_edits, walk
from pytest_synthetic.languages.toolkit import text as node_text
from pytest_synthetic.treesitter import parse

_IDENTIFIERS = frozenset({"identifier", "simple_identifier", "variable_name", "variable"})
_RECEIVERS = frozenset({"self", "cls", "this", "&self", "&mut self", "_"})


@dataclass(frozen=True)
class Stub:
    label: str  # "returns `None`", "echoes `a`", "throws"
    edits: tuple[Edit, ...]

    def apply(self, reference: str) -> str:
        return apply_edits(reference, self.edits)

    @property
    def body(self) -> str:
        return self.edits[0].text


@dataclass(frozen=True)
class _Definition:
    body: tree_sitter.Node  # the node whose text the stub replaces
    result: str | None  # declared result type, when the language declares one
    first_parameter: str | None
    first_parameter_type: str | None = None
    arity: int = 0  # StubStyle.equations: how many patterns the equations take
    end: int | None = None  # StubStyle.equations: the last equation's end (all are replaced)


def _normalised(name: str) -> str:
    return name.replace("_", "").lower()


def _name(node: tree_sitter.Node) -> str:
    name = node.child_by_field_name("name")
    if name is None:
        declarator = node.child_by_field_name("declarator")
        while declarator is not None and declarator.child_by_field_name("declarator") is not None:
            declarator = declarator.child_by_field_name("declarator")
        name = declarator
    return re.split(r"::|[.:]", node_text(name))[-1]  # `Foo::bar`, Lua's `M.bar` and `M:bar`


def _parameter_name(parameter: tree_sitter.Node) -> str | None:
    if parameter.type in _IDENTIFIERS:
        return node_text(parameter)
    if parameter.type == "self_parameter":
        return None
    for field in ("name", "pattern"):
        named = parameter.child_by_field_name(field)
        if named is not None and named.type in _IDENTIFIERS:
            return node_text(named)
    return next((node_text(n) for n in walk(parameter) if n.type in _IDENTIFIERS), None)


def _parameter_type(parameter: tree_sitter.Node) -> str | None:
    declared = parameter.child_by_field_name("type") or next(
        (c for c in parameter.named_children if c.type.endswith("type")), None
    )
    return " ".join(node_text(declared).lstrip(":").split()) or None if declared is not None else None


def _first_parameter(definition: tree_sitter.Node) -> tuple[str | None, str | None]:
    """The first parameter's name and declared type (a method's receiver does not count)."""
    holder = definition.child_by_field_name("parameters") or next(
        (c for c in definition.named_children if c.type in {"function_value_parameters", "patterns"}), None
    )
    declarator = definition.child_by_field_name("declarator")
    while holder is None and declarator is not None:  # C++: int f(int a) keeps them in its declarator
        holder = declarator.child_by_field_name("parameters")
        declarator = declarator.child_by_field_name("declarator")
    candidates = (
        holder.named_children
        if holder is not None
        else [
            c
            for c in definition.named_children
            if c.type == "parameter"  # Swift
        ]
    )
    for parameter in candidates:
        if "comment" in parameter.type:
            continue
        name = _parameter_name(parameter)
        if name and name not in _RECEIVERS:
            return name, _parameter_type(parameter)
    return None, None


def _result_type(style: StubStyle, definition: tree_sitter.Node) -> str | None:
    """The declared result type: the language's own reading, else the usual fields."""
    if style.result_type is not None:
        return style.result_type(definition)
    for field in ("return_type", "returns", "type", "result"):
        node = definition.child_by_field_name(field)
        if node is not None:
            return node_text(node).lstrip(":").strip()
    return None


def _body(definition: tree_sitter.Node) -> tree_sitter.Node | None:
    if definition.type == "variable_declarator":  # const f = (a) => ...
        value = definition.child_by_field_name("value")
        return value.child_by_field_name("body") if value is not None else None
    body = definition.child_by_field_name("body")
    if body is None:
        body = next((c for c in definition.named_children if c.type == "function_body"), None)
    return body


def _definitions(language: Language, root: tree_sitter.Node, function_name: str) -> list[_Definition]:
    assert language.mutation is not None  # checked by stubs()
    assert language.stubs is not None
    style = language.stubs
    types = language.mutation.functions | {"variable_declarator"}
    matches = [n for n in walk(root) if n.type in types and _name(n) == function_name]
    if not matches:
        matches = [n for n in walk(root) if n.type in types and _normalised(_name(n)) == _normalised(function_name)]
    matches = [n for n in matches if n.type != "variable_declarator" or _body(n) is not None]
    if style.equations:
        return _equations(root, matches)
    found = []
    for node in matches:
        body = _body(node)
        if body is not None:
            found.append(_Definition(body, _result_type(style, node), *_first_parameter(node)))
    return found


def _equations(root: tree_sitter.Node, equations: list[tree_sitter.Node]) -> list[_Definition]:
    """All equations of the function become one: `name args = stub`."""
    if not equations:
        return []
    first, last = equations[0], equations[-1]
    patterns = next((c for c in first.named_children if c.type == "patterns"), None)
    arity = patterns.named_child_count if patterns is not None else 0
    result = None
    name = _name(first)
    for node in walk(root):
        if node.type == "signature" and _name(node) == name:
            kind = node.child_by_field_name("type")
            for _ in range(arity):
                kind = kind.child_by_field_name("result") if kind is not None else None
            result = node_text(kind) or None
            break
    parameter = _first_parameter(first)[0] if arity else None
    return [_Definition(first, result, parameter, None, arity, last.end_byte)]


def _zeros(style: StubStyle, result: str | None) -> list[str]:
    values = list(style.dynamic)
    declared = " ".join(result.split()) if result else None
    if declared is not None:
        for pattern, zero in style.zeros:
            match = re.fullmatch(pattern, declared)
            if match:
                if zero:  # an empty zero: the type has none worth trying (a Pair, ...)
                    values.insert(0, match.expand(zero))
                break
        if style.null and not re.fullmatch(style.value_types, declared):
            values.append(style.null)
    return list(dict.fromkeys(values))


@dataclass(frozen=True)
class _Variant:
    kind: str  # "zero", "echo" or "throw"
    value: str = ""  # the zero value, or the echoed parameter

    @property
    def label(self) -> str:
        if self.kind == "throw":
            return "throws"
        if self.kind == "echo":
            return f"returns its first argument `{self.value}`"
        return "does nothing" if self.value == VOID else f"returns `{self.value}`"


def _body_text(style: StubStyle, definition: _Definition, variant: _Variant, name: str) -> str:
    if style.equations:
        holes = ["_"] * definition.arity
        value = style.throwing if variant.kind == "throw" else variant.value
        if variant.kind == "echo":
            holes[0] = variant.value
        return " ".join([name, *holes, "=", value])
    if variant.kind == "throw":
        return style.throwing
    if variant.value == VOID:
        return style.nothing
    return style.returning.format(variant.value)


def _variants(language: Language, style: StubStyle, definition: _Definition) -> list[_Variant]:
    zeros = style.zeros_of(definition.result) if style.zeros_of else _zeros(style, definition.result)
    variants = [_Variant("zero", zero) for zero in zeros]
    # In a compiled language an argument of another type than the result cannot be returned:
    # a build that is bound to fail is not worth its seconds.
    declared, result = definition.first_parameter_type, definition.result
    mismatch = language.typed and declared is not None and result is not None and declared != " ".join(result.split())
    first = definition.first_parameter or style.positional
    if first and not mismatch:
        variants.append(_Variant("echo", first))
    variants.append(_Variant("throw"))
    return variants


def stubs(language: Language, reference: str, function_name: str) -> list[Stub]:
    """The stubs of the entry's function (none when it is a class or cannot be found)."""
    style = language.stubs
    if style is None or language.mutation is None:
        return []
    definitions = _definitions(language, parse(language, reference).root_node, function_name)
    by_label: dict[str, list[Edit]] = {}
    for definition in definitions:
        end = definition.end if definition.end is not None else definition.body.end_byte
        for variant in _variants(language, style, definition):
            text = _body_text(style, definition, variant, function_name)
            by_label.setdefault(variant.label, []).append(Edit(definition.body.start_byte, end, text))
    # overloads are all stubbed alike; a kind of stub that does not fit every one is left out
    return [Stub(label, tuple(edits)) for label, edits in by_label.items() if len(edits) == len(definitions)]
