"""JavaScript and TypeScript on node: one CommonJS program made from reference + assertions.

Layout of the assembled `main.js` / `main.ts`:

    the completion prologue (reads the secret before any other code runs)
    [helpers the entry uses but never imports: node's `assert`, a Jest stand-in]
    the reference's package imports as `require` calls (hoisted, as import declarations are)
    the reference, its `export` keywords removed
    [the reference as a module object, when the assertions import it by a relative path]
    __synthetic.run(async () => { the assertions });

The program stays CommonJS whatever module kind the entry was written in: imports and exports
are rewritten, `import.meta` becomes an equivalent object, and a reference with top-level
`await` runs inside the async wrapper too (the assertions then in a nested function). No
ES-module syntax is left for node to detect, so `require` works everywhere.

The assertions run inside an async function so that top-level `await` works in CommonJS and
so that the harness knows when they finished; their imports become `require` calls in place.
Promises returned by top-level calls in the assertions (`test();`, `(async () => {...})();`,
`f().then(...)`) are collected and awaited, so an async assertion that rejects fails the run
and one that never settles is "incomplete".
The secret is printed at exit, and only if the event loop drained by itself (`beforeExit`:
timers holding assertions have fired) after the assertions finished, and the exit code is 0;
`process.exit()` from the reference, an uncaught exception or an unhandled rejection never
print it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import tree_sitter

from pytest_synthetic.languages import templates
from pytest_synthetic.languages._script_jest import JEST_API, JEST_MODULES, JEST_NAMES, JEST_STANDIN
from pytest_synthetic.languages.base import COMPLETION_PATH, FailurePattern, Language, Rewrites, Step, Toolchain
from pytest_synthetic.languages.completion import CompletionTable, Status, finishing_edits
from pytest_synthetic.languages.strength_tables import VOID, MutationTable, StubStyle
from pytest_synthetic.languages.toolkit import Edit, apply_edits, named_descendants, parse_root, require_code, text
from pytest_synthetic.sandbox import Limits

MODULE = "__synthetic_module"
DEFAULT = "__synthetic_default"

# The harness object every program starts with: the secret, exits, promises to wait for, import.meta.
PROLOGUE = templates.fill(templates.source("node_prologue.js"), COMPLETION_PATH=json.dumps(COMPLETION_PATH)[1:-1])

# node prints an uncaught error as `TypeError: msg` (or `AssertionError [ERR_ASSERTION]: msg`)
NODE_FAILURE = FailurePattern(r"^(?:Uncaught )?(?P<name>\w*Error)(?: \[\w+\])?: (?P<message>.*)$", ("AssertionError",))
NODE = Toolchain("node", ("--version",), "apt-get install nodejs")
_META_REWRITE = "import.meta as an object (the program is CommonJS)"
_FUNCTIONS = frozenset(
    {
        "function_declaration",
        "generator_function_declaration",
        "function_expression",
        "generator_function",
        "arrow_function",
        "method_definition",
        "class_static_block",
    }
)
# What the strength check mutates in JavaScript and TypeScript, and how it writes a stub.
NODE_MUTATION = MutationTable(
    integers=frozenset({"number"}),
    statement_parents=frozenset({"statement_block"}),
    loops=frozenset({"for_statement", "for_in_statement", "while_statement", "do_statement"}),
    functions=frozenset(
        {
            "function_declaration",
            "method_definition",
            "function_expression",
            "arrow_function",
            "generator_function_declaration",
        }
    ),
)
NODE_STUBS = StubStyle(
    "{{ return {}; }}",
    '{ throw new Error("stub"); }',
    dynamic=("null", "0", "false", "[]", '""'),
    zeros=(
        (r"void|Promise<void>", VOID),
        (r"Map<.*>", "new Map()"),
        (r"Set<.*>", "new Set()"),
        (r"Record<.*>|\{.*\}|object", "{}"),
    ),
)
COMPLETION = CompletionTable(
    blocks=frozenset({"program", "statement_block", "switch_case", "switch_default"}),
    calls={"call_expression": "arguments"},
    exits={"process.exit": Status.UNKNOWN},
    # What may follow a final process.exit: nothing there runs anyway (declarations are hoisted).
    inert=frozenset(
        {
            "comment",
            "empty_statement",
            "function_declaration",
            "generator_function_declaration",
            "interface_declaration",
            "type_alias_declaration",
        }
    ),
    functions=frozenset({"function_declaration", "generator_function_declaration", "method_definition"}),
    loops=frozenset({"for_statement", "for_in_statement", "while_statement", "do_statement"}),
    handlers=frozenset({"catch_clause", "finally_clause"}),
    callbacks=_FUNCTIONS - {"function_declaration", "generator_function_declaration", "method_definition"}
    | {"class_body"},
    continuations=frozenset({"then", "finally"}),
    short_circuit=frozenset({"||", "&&", "??"}),
    failures=frozenset({"throw_statement"}),
    no_argument=Status.UNKNOWN,  # process.exitCode decides
)
# Definition queries both grammars answer alike (JavaScript's and TypeScript's add their own).
FUNCTION_DEFINITIONS = """
(function_declaration name: (identifier) @name)
(generator_function_declaration name: (identifier) @name)
(function_expression name: (identifier) @name)
(generator_function name: (identifier) @name)
"""
# Functions and classes assigned to a variable, a property (`exports.f = ...`) or an object key.
ASSIGNED_DEFINITIONS = """
(variable_declarator
  name: (identifier) @name
  value: [(arrow_function) (function_expression) (generator_function) (class)])
((assignment_expression
  left: (member_expression property: (property_identifier) @name)
  right: [(arrow_function) (function_expression) (generator_function) (class)])
  (#not-eq? @name "exports"))
(pair key: (property_identifier) @name value: [(arrow_function) (function_expression) (generator_function)])
"""
RUN_LIMITS = Limits(wall_seconds=10, cpu_seconds=10)
CHECK_LIMITS = Limits(wall_seconds=20, cpu_seconds=20)


@dataclass
class _Part:
    """One snippet being rewritten: its edits and what was found in it."""

    source: str
    edits: list[Edit] = field(default_factory=list)
    imports: list[str] = field(default_factory=list)  # package imports as require statements
    names: dict[str, str] = field(default_factory=dict)  # exported name -> local expression
    jest_names: set[str] = field(default_factory=set)  # imported from a Jest-like test module
    top_level_await: bool = False  # ES-module only: the reference must run inside the async wrapper


def _is_relative(source: str) -> bool:
    return source.startswith((".", "/"))


def _string_value(node: tree_sitter.Node | None) -> str:
    raw = text(node)
    return raw[1:-1] if len(raw) >= 2 else raw


def _has_token(node: tree_sitter.Node, token: str) -> bool:
    return any(not child.is_named and child.type == token for child in node.children)


def _import_bindings(clause: tree_sitter.Node, module_expr: str, same_file: bool) -> list[str]:
    """`const` statements binding what an import clause names from module_expr."""
    statements = []
    destructured = []
    for part in clause.named_children:
        if part.type == "identifier":  # default import
            default = f"{module_expr}.default" if same_file else f"__synthetic.importDefault({module_expr})"
            statements.append(f"const {text(part)} = {default};")
        elif part.type == "namespace_import":
            statements.append(f"const {text(part.named_children[0])} = {module_expr};")
        elif part.type == "named_imports":
            for spec in part.named_children:
                if spec.type != "import_specifier" or _has_token(spec, "type"):
                    continue
                name, alias = text(spec.child_by_field_name("name")), spec.child_by_field_name("alias")
                destructured.append(f"{name}: {text(alias)}" if alias is not None else name)
    if destructured:
        statements.append(f"const {{ {', '.join(destructured)} }} = {module_expr};")
    return statements


def _rewrite_import(node: tree_sitter.Node, part: _Part, rewrites: Rewrites, hoist: bool) -> None:
    source = _string_value(node.child_by_field_name("source"))
    clause = next((c for c in node.named_children if c.type == "import_clause"), None)
    type_only = _has_token(node, "type")
    if source in JEST_MODULES:  # the stand-in provides these names
        part.jest_names.update(text(n) for n in named_descendants(node) if n.type == "identifier")
        part.edits.append(Edit(node.start_byte, node.end_byte, ""))
        return
    if _is_relative(source):
        # The reference is in this very file: bind the names from its module object instead.
        bindings = [] if type_only or clause is None else _import_bindings(clause, MODULE, same_file=True)
        part.edits.append(Edit(node.start_byte, node.end_byte, " ".join(bindings)))
        rewrites.add(f"import from {source!r} bound to the reference in the same file")
        return
    module_expr = f"require({json.dumps(source)})"
    if type_only:
        statements: list[str] = []
    elif clause is None:
        statements = [f"{module_expr};"]
    else:
        statements = _import_bindings(clause, module_expr, same_file=False)
    if hoist:
        part.imports.extend(statements)
        part.edits.append(Edit(node.start_byte, node.end_byte, ""))
    else:
        part.edits.append(Edit(node.start_byte, node.end_byte, " ".join(statements)))
    rewrites.add(f"import from {source!r} as require")


def _declared_names(node: tree_sitter.Node) -> list[str]:
    """Value names a top-level declaration binds (types and interfaces bind none at run time)."""
    if node.type in ("lexical_declaration", "variable_declaration"):
        names = []
        for declarator in node.named_children:
            target = declarator.child_by_field_name("name")
            if target is not None and target.type == "identifier":
                names.append(text(target))
            elif target is not None:
                names.extend(
                    text(n)
                    for n in named_descendants(target)
                    if n.type in ("shorthand_property_identifier_pattern", "identifier")
                    and n.parent is not None
                    and n.parent.type != "pair_pattern"
                )
        return names
    value_declarations = (
        "function_declaration",
        "generator_function_declaration",
        "class_declaration",
        "abstract_class_declaration",
        "enum_declaration",
        "internal_module",
    )
    if node.type in value_declarations:
        name = node.child_by_field_name("name")
        return [text(name)] if name is not None else []
    return []


def _rewrite_export(node: tree_sitter.Node, part: _Part, rewrites: Rewrites) -> None:
    declaration = node.child_by_field_name("declaration")
    value = node.child_by_field_name("value")
    is_default = _has_token(node, "default")
    if declaration is not None:  # export [default] <declaration>
        part.edits.append(Edit(node.start_byte, declaration.start_byte, ""))
        for name in _declared_names(declaration):
            part.names[name] = name
        if is_default and declaration.child_by_field_name("name") is not None:
            part.names["default"] = text(declaration.child_by_field_name("name"))
    elif value is not None and is_default:  # export default <expression>; edits inside the value stay valid
        part.edits.append(Edit(node.start_byte, value.start_byte, f"const {DEFAULT} = "))
        part.edits.append(Edit(value.end_byte, node.end_byte, ";"))
        part.names["default"] = DEFAULT
    else:  # export { a as b }, export * from "m", export = x
        clause = next((c for c in node.named_children if c.type == "export_clause"), None)
        if clause is not None and node.child_by_field_name("source") is None:
            for spec in clause.named_children:
                local, alias = spec.child_by_field_name("name"), spec.child_by_field_name("alias")
                part.names[text(alias) if alias is not None else text(local)] = text(local)
        part.edits.append(Edit(node.start_byte, node.end_byte, ""))
    rewrites.add("removed `export` (one file, not a module)")


def _is_require_of_relative(node: tree_sitter.Node) -> bool:
    if node.type != "call_expression" or text(node.child_by_field_name("function")) != "require":
        return False
    arguments = node.child_by_field_name("arguments")
    strings = [] if arguments is None else [a for a in arguments.named_children if a.type == "string"]
    return len(strings) == 1 and _is_relative(_string_value(strings[0]))


def _is_commonjs_export(node: tree_sitter.Node) -> bool:
    if node.type != "member_expression":
        return False
    obj = text(node.child_by_field_name("object"))
    return obj == "exports" or (obj == "module" and text(node.child_by_field_name("property")) == "exports")


def _outside_functions(node: tree_sitter.Node) -> bool:
    parent = node.parent
    while parent is not None and parent.type not in _FUNCTIONS:
        parent = parent.parent
    return parent is None


def _is_top_level_await(node: tree_sitter.Node) -> bool:
    is_await = node.type == "await_expression" or (node.type == "for_in_statement" and _has_token(node, "await"))
    return is_await and _outside_functions(node)


def _main_guard(node: tree_sitter.Node) -> str | None:
    """What `require.main === module` (either way round, or negated) is for an imported module."""
    operator = text(node.child_by_field_name("operator")) if node.type == "binary_expression" else ""
    if operator not in ("===", "==", "!==", "!="):
        return None
    sides = (node.child_by_field_name("left"), node.child_by_field_name("right"))
    names = sorted(re.sub(r"\s+", "", text(side)) for side in sides if side is not None)
    if names != ["module", "require.main"]:
        return None
    return "true" if operator.startswith("!") else "false"


def _rewrite_meta(node: tree_sitter.Node, part: _Part, rewrites: Rewrites) -> None:
    part.edits.append(Edit(node.start_byte, node.end_byte, "__synthetic.meta()"))
    rewrites.add(_META_REWRITE)


def _rewrite_reference(language: Language, reference: str, rewrites: Rewrites) -> tuple[_Part, bool]:
    root = parse_root(language, reference)
    part = _Part(reference)
    for child in root.named_children:
        if child.type == "import_statement":
            _rewrite_import(child, part, rewrites, hoist=True)
        elif child.type == "export_statement":
            _rewrite_export(child, part, rewrites)
        else:
            for name in _declared_names(child):
                part.names.setdefault(name, name)
    commonjs = False
    for node in named_descendants(root):
        commonjs = commonjs or _is_commonjs_export(node)
        part.top_level_await = part.top_level_await or _is_top_level_await(node)
        if node.type == "meta_property" and text(node) == "import.meta":
            _rewrite_meta(node, part, rewrites)
        elif (guard := _main_guard(node)) is not None:
            # As the tests would import it, the reference is not the main module: its demo stays off.
            part.edits.append(Edit(node.start_byte, node.end_byte, guard))
            rewrites.add("the reference's `require.main === module` guard made false (the tests import it)")
    if part.top_level_await:
        rewrites.add("the reference's top-level await run inside the async wrapper (ES-module only)")
    return part, commonjs


def _rewrite_assertions(language: Language, assertions: str, rewrites: Rewrites) -> _Part:
    root = require_code(language, assertions)
    part = _Part(assertions)
    for child in root.named_children:
        if child.type == "import_statement":
            # In place: `require` works inside the wrapper, and the assertions' bindings then shadow the
            # reference's instead of clashing with them.
            _rewrite_import(child, part, rewrites, hoist=False)
        elif child.type == "export_statement":
            _rewrite_export(child, part, rewrites)
        elif child.type == "expression_statement":
            expression = child.named_children[0] if child.named_children else None
            if expression is not None and expression.type == "call_expression":
                # Keep the returned promise: an async test must settle before completion.
                part.edits.append(Edit(expression.start_byte, expression.start_byte, "__synthetic.track("))
                part.edits.append(Edit(expression.end_byte, expression.end_byte, ")"))
                rewrites.add("waited for the promises of top-level calls")
    part.edits += finishing_edits(root, COMPLETION, "__synthetic.exit", rewrites)
    for node in named_descendants(root):
        if node.type == "meta_property" and text(node) == "import.meta":
            _rewrite_meta(node, part, rewrites)
        elif node.type == "member_expression" and text(node) == "console.assert":
            # console.assert only prints; the author meant an assertion that fails.
            part.edits.append(Edit(node.start_byte, node.end_byte, "__synthetic.assert"))
            rewrites.add("console.assert made to throw")
        elif _is_require_of_relative(node):
            part.edits.append(Edit(node.start_byte, node.end_byte, MODULE))
            rewrites.add(f"{text(node)} bound to the reference in the same file")
    return part


def _undeclared_uses(language: Language, names: set[str], *codes: str) -> set[str]:
    """Which of names are called (`f(...)`, `f.x(...)`) but never declared, imported or bound."""
    used: set[str] = set()
    declared: set[str] = set()
    for code in codes:
        for node in named_descendants(parse_root(language, code)):
            name = text(node) if node.type in ("identifier", "shorthand_property_identifier_pattern") else ""
            if name not in names:
                continue
            parent = node.parent
            if (
                node.type == "identifier"
                and parent is not None
                and parent.type in ("call_expression", "member_expression")
                and parent.named_children[0] == node
            ):
                used.add(name)
            else:  # declared, imported, a parameter, ...
                declared.add(name)
    return used - declared


def _module_object(part: _Part, commonjs: bool) -> str:
    if commonjs:
        return f"const {MODULE} = module.exports;"
    entries = [name if name == local else f"{json.dumps(name)}: {local}" for name, local in part.names.items()]
    return f"const {MODULE} = {{ {', '.join(entries)} }};"


def _dedupe(lines: list[str]) -> list[str]:
    return list(dict.fromkeys(lines))


def _drop_hashbang(code: str) -> str:
    return "//" + code[2:] if code.startswith("#!") else code


def assemble_node(language: Language, reference: str, assertions: str) -> tuple[str, Rewrites]:
    """The assembled source and the names of the rewrites applied."""
    rewrites = Rewrites()
    reference, assertions = _drop_hashbang(reference), _drop_hashbang(assertions)
    checks = _rewrite_assertions(language, assertions, rewrites)
    ref, commonjs = _rewrite_reference(language, reference, rewrites)
    header = _dedupe([*ref.imports, *checks.imports])
    wanted = _undeclared_uses(language, {"assert", *JEST_NAMES}, reference, assertions)
    if "assert" in wanted:
        header.append('const assert = require("assert");')
        rewrites.add("provided node's `assert` module (used but never imported)")
    jest = sorted((wanted | checks.jest_names) & set(JEST_NAMES))
    closing = []
    if jest:
        header += [JEST_STANDIN, f"const {{ {', '.join(jest)} }} = {JEST_API};"]
        if {"describe", "it", "test"} & set(jest):
            header.append(f"{JEST_API}.expectTests();")
        closing.append(f"await {JEST_API}.run();")
        rewrites.add(f"a small stand-in for Jest's globals ({', '.join(jest)})")
    needs_module = any(MODULE in edit.text for edit in checks.edits)
    reference_code = [apply_edits(reference, ref.edits), "", _module_object(ref, commonjs) if needs_module else ""]
    assertion_code = [apply_edits(assertions, checks.edits), *closing]
    if ref.top_level_await:
        # The assertions in a function of their own, so that their bindings still shadow the reference's.
        body = ["__synthetic.run(async () => {", *reference_code, "await (async () => {", *assertion_code, "})();"]
    else:
        body = [*reference_code, "__synthetic.run(async () => {", *assertion_code]
    return "\n".join([PROLOGUE, *header, *body, "});", ""]), rewrites


def node_steps(compile_step: Step | None, script: str) -> tuple[Step, ...]:
    run = Step(
        "run",
        ("node", "--enable-source-maps", "--unhandled-rejections=strict", script),
        RUN_LIMITS,
    )
    return (run,) if compile_step is None else (compile_step, run)
