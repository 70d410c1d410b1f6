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
from pytest_synthetic.strength.mutants import Edit, apply_edits
from pytest_synthetic.strength.tables import TABLES
from pytest_synthetic.treesitter import parse, walk

VOID = "<void>"  # the zero of a function without a result: an empty body
_IDENTIFIERS = frozenset({"identifier", "simple_identifier", "variable_name", "variable"})
TYPED = frozenset({"go", "rust", "java", "cpp", "csharp", "kotlin", "scala", "swift"})  # type-checked builds
_RECEIVERS = frozenset({"self", "cls", "this", "&self", "&mut self", "_"})


@dataclass(frozen=True)
class StubStyle:
    returning: str  # body returning `{}`
    throwing: str  # body that throws
    nothing: str = "{ }"  # body of a function without a result
    dynamic: tuple[str, ...] = ()  # zero values tried whatever the declared type says
    # (pattern on the declared result type, zero value); the first full match wins
    zeros: tuple[tuple[str, str], ...] = ()
    null: str | None = None  # also tried when the result type is not a value type
    value_types: str = r"$^"  # result types `null` does not fit
    positional: str | None = None  # the first argument where parameters are not declared (`$1`)


_JAVA_ZEROS = (
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
_KOTLIN_ZEROS = (
    (r"Unit", VOID),
    (r"Int|Long|Short|Byte", "0"),
    (r"Double", "0.0"),
    (r"Float", "0f"),
    (r"Boolean", "false"),
    (r"String", '""'),
    (r"(?:List|Collection|Iterable)<.*>", "emptyList()"),
    (r"MutableList<.*>", "mutableListOf()"),
    (r"Map<.*>", "emptyMap()"),
    (r"MutableMap<.*>", "mutableMapOf()"),
    (r"Set<.*>", "emptySet()"),
    (r"MutableSet<.*>", "mutableSetOf()"),
    (r"(Int|Long|Double|Boolean|Char)Array", r"\1Array(0)"),
    (r"Array<.*>", "emptyArray()"),
    (r"Pair<.*>|Triple<.*>", ""),
)
_SCALA_ZEROS = (
    (r"Unit", "()"),
    (r"Int|Long|Short|Byte", "0"),
    (r"Double|Float", "0.0"),
    (r"Boolean", "false"),
    (r"String", '""'),
    (r"List\[.*\]", "Nil"),
    (r"(Seq|Vector|IndexedSeq|Map|Set|Iterable)\[.*\]", r"\1()"),
    (r"Array\[(.*)\]", r"Array.empty[\1]"),
    (r"Option\[.*\]", "None"),
)

STYLES: dict[str, StubStyle] = {
    "python": StubStyle(
        "return {}",
        "raise NotImplementedError('stub')",
        "return None",
        dynamic=("None", "0", "[]", '""'),
        zeros=(
            (r"(float|int)(\s*\|\s*None)?", "0"),
            (r"bool", "False"),
            (r"(?:dict|Dict|Mapping).*", "{}"),
            (r"(?:set|Set|frozenset).*", "set()"),
            (r"(?:tuple|Tuple).*", "()"),
        ),
    ),
    "typescript": StubStyle(
        "{{ return {}; }}",
        '{ throw new Error("stub"); }',
        dynamic=("null", "0", "false", "[]", '""'),
        zeros=(
            (r"void|Promise<void>", VOID),
            (r"Map<.*>", "new Map()"),
            (r"Set<.*>", "new Set()"),
            (r"Record<.*>|\{.*\}|object", "{}"),
        ),
    ),
    "ruby": StubStyle("{}", 'raise "stub"', "nil", dynamic=("nil", "0", "false", "[]", '""', "{}")),
    "php": StubStyle(
        "{{ return {}; }}",
        '{ throw new Exception("stub"); }',
        dynamic=("null", "0", "false", "[]", '""'),
        zeros=((r"void", VOID),),
    ),
    "go": StubStyle("{{ return {} }}", '{ panic("stub") }'),
    "rust": StubStyle("{{ {} }}", '{ panic!("stub") }', zeros=((r"\(\)", VOID), (r".*", "Default::default()"))),
    "java": StubStyle(
        "{{ return {}; }}",
        '{ throw new RuntimeException("stub"); }',
        zeros=_JAVA_ZEROS,
        null="null",
        value_types=r"int|long|short|byte|char|float|double|boolean|void",
    ),
    "cpp": StubStyle("{{ return {}; }}", "{ throw 0; }", zeros=((r"void", VOID), (r".*", "{}"))),
    "csharp": StubStyle(
        "{{ return {}; }}",
        '{ throw new System.Exception("stub"); }',
        # `default(T)`, not the `default` literal: mono's compiler stops at C# 7.0
        zeros=((r"void", VOID), (r"string", '""'), (r"(.*)", r"default(\1)")),
        null="null",
        value_types=r"int|long|short|byte|char|float|double|decimal|bool|string|void|uint|ulong",
    ),
    "kotlin": StubStyle(
        "{{ return {} }}",
        '{ throw RuntimeException("stub") }',
        zeros=_KOTLIN_ZEROS,
        null="null",
        value_types=r"[^?]*",  # only a nullable type takes null
    ),
    "scala": StubStyle("{{ {} }}", '{ throw new RuntimeException("stub") }', zeros=_SCALA_ZEROS),
    "swift": StubStyle(
        "{{ return {} }}",
        '{ fatalError("stub") }',
        zeros=(
            (r"Void|\(\)", VOID),
            (r"Int\w*|Double|Float", "0"),
            (r"Bool", "false"),
            (r"String", '""'),
            (r"\[[^:]*\]", "[]"),
            (r"\[.*:.*\]", "[:]"),
            (r".*\?", "nil"),
        ),
    ),
    "haskell": StubStyle(
        "{}",
        'error "stub"',
        zeros=(
            (r"Int\w*|Integer|Double|Float|Word", "0"),
            (r"Bool", "False"),
            (r"String|\[.*\]", "[]"),
            (r"Maybe .*", "Nothing"),
        ),
    ),
    # a function's result is what it prints
    "bash": StubStyle("{{ echo {}; }}", '{ echo "stub" >&2; return 1; }', dynamic=("0", '""'), positional='"$1"'),
    "lua": StubStyle("return {}", 'error("stub")', dynamic=("nil", "0", "false", "{}", '""')),
    "perl": StubStyle("{{ return {}; }}", '{ die "stub"; }', dynamic=("undef", "0", '""', "[]"), positional="$_[0]"),
}
STYLES["javascript"] = STYLES["typescript"]


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
    arity: int = 0  # Haskell: how many patterns the equations take
    end: int | None = None  # Haskell: the last equation's end (all equations are replaced)


def _text(node: tree_sitter.Node | None) -> str:
    return "" if node is None else (node.text or b"").decode("utf-8", errors="replace")


def _normalised(name: str) -> str:
    return name.replace("_", "").lower()


def _name(node: tree_sitter.Node) -> str:
    name = node.child_by_field_name("name")
    if name is None:
        declarator = node.child_by_field_name("declarator")
        while declarator is not None and declarator.child_by_field_name("declarator") is not None:
            declarator = declarator.child_by_field_name("declarator")
        name = declarator
    return re.split(r"::|[.:]", _text(name))[-1]  # `Foo::bar`, Lua's `M.bar` and `M:bar`


def _parameter_name(parameter: tree_sitter.Node) -> str | None:
    if parameter.type in _IDENTIFIERS:
        return _text(parameter)
    if parameter.type == "self_parameter":
        return None
    for field in ("name", "pattern"):
        named = parameter.child_by_field_name(field)
        if named is not None and named.type in _IDENTIFIERS:
            return _text(named)
    return next((_text(n) for n in walk(parameter) if n.type in _IDENTIFIERS), None)


def _parameter_type(parameter: tree_sitter.Node) -> str | None:
    declared = parameter.child_by_field_name("type") or next(
        (c for c in parameter.named_children if c.type.endswith("type")), None
    )
    return " ".join(_text(declared).lstrip(":").split()) or None if declared is not None else None


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


def _after_arrow(definition: tree_sitter.Node) -> str | None:
    seen_arrow = False
    for child in definition.children:
        if seen_arrow and child.is_named:
            return _text(child)
        seen_arrow = seen_arrow or child.type == "->"
    return None


def _result_type(key: str, definition: tree_sitter.Node) -> str | None:
    if key == "kotlin":
        after = False
        for child in definition.named_children:
            if child.type == "function_value_parameters":
                after = True
            elif after and child.type.endswith("_type"):
                return _text(child)
        return (
            "Unit" if any(c.type == "function_body" and _text(c).startswith("{") for c in definition.children) else None
        )
    if key == "swift":
        return _after_arrow(definition) or "Void"
    if key == "rust" and definition.child_by_field_name("return_type") is None:
        return "()"
    if key == "go":
        result = definition.child_by_field_name("result")
        if result is None:
            return "void"
        if result.type == "parameter_list":
            types = [_text(p.child_by_field_name("type")) for p in result.named_children if p.type != "comment"]
            counts = [
                max(1, len([n for n in p.named_children if n.type == "identifier"]))
                for p in result.named_children
                if p.type != "comment"
            ]
            return ", ".join(t for t, n in zip(types, counts, strict=True) for _ in range(n))
        return _text(result)
    for field in ("return_type", "returns", "type", "result"):
        node = definition.child_by_field_name(field)
        if node is not None:
            return _text(node).lstrip(":").strip()
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
    table = TABLES[language.key]
    types = table.functions | {"variable_declarator"}
    matches = [n for n in walk(root) if n.type in types and _name(n) == function_name]
    if not matches:
        matches = [n for n in walk(root) if n.type in types and _normalised(_name(n)) == _normalised(function_name)]
    matches = [n for n in matches if n.type != "variable_declarator" or _body(n) is not None]
    if language.key == "haskell":
        return _haskell_definition(root, matches)
    found = []
    for node in matches:
        body = _body(node)
        if body is not None:
            found.append(_Definition(body, _result_type(language.key, node), *_first_parameter(node)))
    return found


def _haskell_definition(root: tree_sitter.Node, equations: list[tree_sitter.Node]) -> list[_Definition]:
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
            result = _text(kind) or None
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


def _go_zeros(result: str | None) -> list[str]:
    if not result or result == "void":
        return [VOID]
    parts = [p.strip() for p in result.split(",")]
    values = [", ".join(f"*new({p})" for p in parts)]
    if len(parts) == 1 and re.match(r"\[|map\[", parts[0]):
        values.append(f"{parts[0]}{{}}")
    return values


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


def _body_text(key: str, style: StubStyle, definition: _Definition, variant: _Variant, name: str) -> str:
    if key == "haskell":
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


def _variants(key: str, style: StubStyle, definition: _Definition) -> list[_Variant]:
    zeros = _go_zeros(definition.result) if key == "go" else _zeros(style, definition.result)
    variants = [_Variant("zero", zero) for zero in zeros]
    # In a compiled language an argument of another type than the result cannot be returned:
    # a build that is bound to fail is not worth its seconds.
    declared, result = definition.first_parameter_type, definition.result
    mismatch = key in TYPED and declared is not None and result is not None and declared != " ".join(result.split())
    first = definition.first_parameter or style.positional
    if first and not mismatch:
        variants.append(_Variant("echo", first))
    variants.append(_Variant("throw"))
    return variants


def stubs(language: Language, reference: str, function_name: str) -> list[Stub]:
    """The stubs of the entry's function (none when it is a class or cannot be found)."""
    style = STYLES.get(language.key)
    if style is None or language.key not in TABLES:
        return []
    definitions = _definitions(language, parse(language, reference).root_node, function_name)
    by_label: dict[str, list[Edit]] = {}
    for definition in definitions:
        end = definition.end if definition.end is not None else definition.body.end_byte
        for variant in _variants(language.key, style, definition):
            text = _body_text(language.key, style, definition, variant, function_name)
            by_label.setdefault(variant.label, []).append(Edit(definition.body.start_byte, end, text))
    # overloads are all stubbed alike; a kind of stub that does not fit every one is left out
    return [Stub(label, tuple(edits)) for label, edits in by_label.items() if len(edits) == len(definitions)]
