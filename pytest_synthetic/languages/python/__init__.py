"""Python: names, grammar, and how an entry becomes a runnable program.

The program is `main.py`: prologue, reference, assertions, epilogue, run by `python3 -I`
(never -O, which would strip every `assert`). The assertions come in the shapes LLMs write:
plain `assert` lines (possibly indented), unittest `TestCase` classes with or without
`unittest.main()`, pytest-style `test_*` functions and `Test*` classes that nothing calls,
`doctest.testmod()`, an `if __name__ == "__main__":` block, and imports of the reference
as if it were a module (`from solution import f`).
"""

from __future__ import annotations

import importlib.util
import re
import sys
import textwrap

import tree_sitter
import tree_sitter_python

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
from pytest_synthetic.languages.completion import CompletionTable, Status, finishing_edits
from pytest_synthetic.languages.strength_tables import MutationTable, StubStyle
from pytest_synthetic.languages.toolkit import Edit, apply_edits, parse_root, require_code, text
from pytest_synthetic.sandbox import Limits

_FUTURE_IMPORT = re.compile(r"^from __future__ import [^\n]+$", re.MULTILINE)
_MAIN_GUARD = re.compile(r"""^__name__==(['"])__main__\1$|^(['"])__main__\2==__name__$""")

# Parts of standins/python_harness.py, each added when the entry needs it.
_HARNESS = "python_harness.py"
# Reads the per-run secret before any reference code runs; the names keep clear of user code.
PROLOGUE = templates.fill(templates.part(_HARNESS, "PROLOGUE"), COMPLETION_PATH=COMPLETION_PATH)
# The exit that ends the assertions (languages/completion.py decides which) completes the run
# when successful.
EXIT_PROLOGUE = templates.part(_HARNESS, "EXIT")
# Buffered prints must reach the pipe before the secret, which must be the last line; its STEPS
# are what the other parts need done once the assertions ran.
FINISH = templates.part(_HARNESS, "FINISH")
EPILOGUE = "\n_synthetic_finish()\n"
COMPLETION = CompletionTable(
    blocks=frozenset({"module", "block"}),
    calls={"call": "arguments"},
    exits=dict.fromkeys(("sys.exit", "exit", "quit", "os._exit", "SystemExit"), Status.UNKNOWN),
    inert=frozenset({"comment", "pass_statement"}),
    functions=frozenset({"function_definition"}),
    loops=frozenset(
        {
            "for_statement",
            "while_statement",
            "list_comprehension",
            "set_comprehension",
            "dictionary_comprehension",
            "generator_expression",
        }
    ),
    handlers=frozenset({"except_clause", "except_group_clause", "finally_clause"}),
    callbacks=frozenset({"lambda", "class_definition"}),
    short_circuit=frozenset({"or", "and"}),
    failures=frozenset({"raise_statement"}),
    statuses={"None": Status.SUCCESS, "False": Status.SUCCESS, "True": Status.FAILURE},
)

UNITTEST_PROLOGUE = templates.part(_HARNESS, "UNITTEST")
DOCTEST_PROLOGUE = templates.part(_HARNESS, "DOCTEST")
PYTEST_PROLOGUE = templates.part(_HARNESS, "PYTEST")
# The sandboxed interpreter is the bare base one, usually without pytest: assertions that use it
# get standins/pytest_standin.py beside main.py, in a folder searched last (a real pytest wins).
_STANDIN_FOLDER = "_synthetic_standin"
PYTEST_STANDIN_PATH = f"{_STANDIN_FOLDER}/pytest.py"
PYTEST_STANDIN = templates.source("pytest_standin.py")
PYTEST_STANDIN_PROLOGUE = templates.fill(templates.part(_HARNESS, "PYTEST_STANDIN"), STANDIN_FOLDER=_STANDIN_FOLDER)

# Compiling (without writing bytecode) tells a syntax error from a crash, after a failed run.
# It needs no site-packages (-S): their start-up files cost more than the compile itself.
COMPILE = Step(
    "compile",
    (
        "python3",
        "-I",
        "-S",
        "-c",
        "import sys; compile(open(sys.argv[1], 'rb').read(), sys.argv[1], 'exec')",
        "main.py",
    ),
    Limits(wall_seconds=20, cpu_seconds=20),
    after_failed_run=True,
)
RUN = Step("run", ("python3", "-I", "-X", "utf8", "main.py"), Limits(wall_seconds=10, cpu_seconds=10))


def _definitions(root: tree_sitter.Node) -> dict[str, tree_sitter.Node]:
    """Top-level functions and classes by name (decorated ones included)."""
    found = {}
    for child in root.named_children:
        node = child.child_by_field_name("definition") if child.type == "decorated_definition" else child
        if node is not None and node.type in ("function_definition", "class_definition"):
            found[text(node.child_by_field_name("name"))] = child
    return found


def _top_level_names(root: tree_sitter.Node) -> set[str]:
    names = set(_definitions(root))
    for child in root.named_children:
        if child.type == "expression_statement" and child.named_children:
            assignment = child.named_children[0]
            left = assignment.child_by_field_name("left") if assignment.type == "assignment" else None
            if left is not None and left.type == "identifier":
                names.add(text(left))
        elif child.type in ("import_statement", "import_from_statement"):
            names.update(text(n) for n in child.named_children if n.type in ("dotted_name", "aliased_import"))
    return names


def _identifier_uses(root: tree_sitter.Node) -> dict[str, int]:
    counts: dict[str, int] = {}
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type == "identifier":
            counts[text(node)] = counts.get(text(node), 0) + 1
        stack.extend(node.children)
    return counts


def _is_stdlib_or_installed(module: str) -> bool:
    if module in sys.stdlib_module_names:
        return True
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def _disable_main_guard(reference: str, rewrites: Rewrites) -> str:
    """The reference's `if __name__ == "__main__":` demo would not run when the tests import it."""
    edits = []
    for child in parse_root(LANGUAGE, reference).named_children:
        condition = child.child_by_field_name("condition") if child.type == "if_statement" else None
        if condition is not None and _MAIN_GUARD.match(re.sub(r"\s+", "", text(condition))):
            edits.append(Edit(condition.start_byte, condition.end_byte, "False"))
    if edits:
        rewrites.add("skipped the reference's `if __name__ == '__main__':` block")
    return apply_edits(reference, edits)


def _reference_import_edits(root: tree_sitter.Node, reference_names: set[str], rewrites: Rewrites) -> list[Edit]:
    """`from solution import f` / `import solution`: the reference is this very file."""
    edits = []
    stack = [root]
    while stack:
        node = stack.pop()
        stack.extend(node.named_children)
        if node.type == "import_from_statement":
            module = node.child_by_field_name("module_name")
            name = text(module)
            if module is None or module.type != "dotted_name" or "." in name or _is_stdlib_or_installed(name):
                continue
            imported = [
                text(n.child_by_field_name("name") if n.type == "aliased_import" else n)
                for n in node.children_by_field_name("name")
            ]
            aliases = [
                f"{text(n.child_by_field_name('alias'))} = {text(n.child_by_field_name('name'))}"
                for n in node.children_by_field_name("name")
                if n.type == "aliased_import"
            ]
            wildcard = any(n.type == "wildcard_import" for n in node.named_children)
            if wildcard or (imported and set(imported) <= reference_names):
                edits.append(Edit(node.start_byte, node.end_byte, "; ".join(aliases) or "pass"))
                rewrites.add(f"`from {name} import ...` bound to the reference in the same file")
        elif node.type == "import_statement":
            for item in node.named_children:
                target = item.child_by_field_name("name") if item.type == "aliased_import" else item
                name = text(target)
                if "." in name or _is_stdlib_or_installed(name) or len(node.named_children) != 1:
                    continue
                local = text(item.child_by_field_name("alias")) if item.type == "aliased_import" else name
                used = _attributes_of(root, local)
                if not used or not used <= reference_names:
                    continue  # not the reference: leave the import to fail (or work) as written
                edits.append(Edit(node.start_byte, node.end_byte, f"{local} = _synthetic_sys.modules[__name__]"))
                rewrites.add(f"`import {name}` bound to the reference in the same file")
    return edits


def _attributes_of(root: tree_sitter.Node, name: str) -> set[str]:
    """The attributes the code reads from `name` (`name.f(...)` -> {"f"})."""
    found = set()
    stack = [root]
    while stack:
        node = stack.pop()
        stack.extend(node.named_children)
        if node.type == "attribute" and text(node.child_by_field_name("object")) == name:
            found.add(text(node.child_by_field_name("attribute")))
    return found


def _unwrap_decorated(node: tree_sitter.Node) -> tree_sitter.Node:
    definition = node.child_by_field_name("definition") if node.type == "decorated_definition" else node
    assert definition is not None
    return definition


def _uncalled_tests(root: tree_sitter.Node) -> list[str]:
    """Top-level pytest-style tests (`test*` functions, `Test*` classes) that nothing calls."""
    uses = _identifier_uses(root)
    definitions = _definitions(root)
    fixtures = _fixtures(root)
    unittest_classes = _unittest_classes(definitions)
    classes = [_unwrap_decorated(n) for n in definitions.values() if _unwrap_decorated(n).type == "class_definition"]
    # a test method may ask for a fixture method of its class or of a base class beside it
    method_fixtures = fixtures.union(*(_fixtures(c.child_by_field_name("body") or c) for c in classes))
    names = []
    for name, node in definitions.items():
        definition = _unwrap_decorated(node)
        is_class = definition.type == "class_definition"
        if uses.get(name, 0) > 1 or not (name.startswith("Test") if is_class else name.startswith("test")):
            continue
        if name in unittest_classes:
            continue  # unittest runs these
        if name in fixtures:
            continue
        if not is_class:
            _require_no_fixtures(name, node, definition, fixtures, method=False)
            names.append(name)
            continue
        for method_name, method in _definitions(definition.child_by_field_name("body") or definition).items():
            if method_name.startswith("test"):
                _require_no_fixtures(
                    f"{name}.{method_name}", method, _unwrap_decorated(method), method_fixtures, method=True
                )
        names.append(name)
    return names


def _unittest_classes(definitions: dict[str, tree_sitter.Node]) -> set[str]:
    """Classes deriving from a TestCase, directly or through a base class defined beside them."""
    found: set[str] = set()
    for name, node in definitions.items():  # in source order, so bases come before their subclasses
        bases = _unwrap_decorated(node).child_by_field_name("superclasses")
        for base in bases.named_children if bases is not None else []:
            if base.type != "keyword_argument" and ("TestCase" in text(base) or text(base) in found):
                found.add(name)
    return found


def _fixtures(container: tree_sitter.Node) -> set[str]:
    """Functions (top-level, or methods of a class body) declared as pytest fixtures."""
    return {
        name
        for name, node in _definitions(container).items()
        if node.type == "decorated_definition"
        and any("fixture" in text(d) for d in node.named_children if d.type == "decorator")
    }


def _parameter_names(function: tree_sitter.Node) -> tuple[list[str], list[str]]:
    """All named parameters in order, and those without a default."""
    parameters = function.child_by_field_name("parameters")
    names, required = [], []
    for parameter in parameters.named_children if parameters is not None else []:
        if parameter.type in ("identifier", "typed_parameter"):
            name = text(parameter if parameter.type == "identifier" else parameter.named_children[0])
            names.append(name)
            required.append(name)
        elif parameter.type in ("default_parameter", "typed_default_parameter"):
            names.append(text(parameter.child_by_field_name("name")))
    return names, required


def _given_parameters(node: tree_sitter.Node, parameters: list[str]) -> set[str]:
    """What hypothesis's @given fills: keyword strategies by name, positional ones the rightmost parameters."""
    filled: set[str] = set()
    for decorator in node.named_children if node.type == "decorated_definition" else []:
        call = decorator.named_children[0] if decorator.type == "decorator" and decorator.named_children else None
        if call is None or call.type != "call" or text(call.child_by_field_name("function")).split(".")[-1] != "given":
            continue
        arguments = call.child_by_field_name("arguments")
        items = [a for a in (arguments.named_children if arguments is not None else []) if a.type != "comment"]
        filled.update(text(a.child_by_field_name("name")) for a in items if a.type == "keyword_argument")
        positional = sum(a.type != "keyword_argument" for a in items)
        if positional:
            filled.update(parameters[-positional:])
    return filled


def _require_no_fixtures(
    name: str, node: tree_sitter.Node, function: tree_sitter.Node, fixtures: set[str], *, method: bool
) -> None:
    names, required = _parameter_names(function)
    decorators = " ".join(text(d) for d in node.named_children if d.type == "decorator")
    if method and "staticmethod" not in decorators:
        required = required[1:]  # self
    parametrized = _given_parameters(node, names)
    missing = [p for p in required if p not in decorators and p not in parametrized and p not in fixtures]
    if missing:
        raise NotRunnable(f"{name} needs pytest fixtures ({', '.join(missing)}), which only pytest provides")


def _calls(root: tree_sitter.Node, dotted: str) -> list[tree_sitter.Node]:
    """The function part of every call of `dotted`."""
    found = []
    stack = [root]
    while stack:
        node = stack.pop()
        stack.extend(node.named_children)
        function = node.child_by_field_name("function") if node.type == "call" else None
        if function is not None and text(function) == dotted:
            found.append(function)
    return found


def _replace_calls(root: tree_sitter.Node, dotted: str, replacement: str) -> list[Edit]:
    return [Edit(f.start_byte, f.end_byte, replacement) for f in _calls(root, dotted)]


def _exit_edits(root: tree_sitter.Node, prologue: list[str], rewrites: Rewrites) -> list[Edit]:
    """The exit that ends the assertions ends them; every other exit stays a real exit."""
    final = finishing_edits(root, COMPLETION, "_synthetic_exit", rewrites)
    if final:
        prologue.append(EXIT_PROLOGUE)
    return final


def assemble(reference: str, assertions: str, function_name: str) -> Program:
    rewrites = Rewrites()
    dedented = textwrap.dedent(assertions)
    if dedented != assertions:
        rewrites.add("dedented the assertions")
    root = require_code(LANGUAGE, dedented)
    futures = _FUTURE_IMPORT.findall(reference) + _FUTURE_IMPORT.findall(dedented)
    if futures:
        reference = _FUTURE_IMPORT.sub("", reference)
        dedented = _FUTURE_IMPORT.sub("", dedented)
        root = parse_root(LANGUAGE, dedented)
        rewrites.add("moved `from __future__` imports to the top")
    reference = _disable_main_guard(reference, rewrites)
    reference_names = _top_level_names(parse_root(LANGUAGE, reference))
    files: dict[str, str] = {}
    edits = _reference_import_edits(root, reference_names, rewrites)
    prologue, finish = [PROLOGUE], []
    tests = _uncalled_tests(root)
    if tests:
        prologue.append(PYTEST_PROLOGUE)
        finish.append(f"    _synthetic_run_tests({tests!r})\n")
        rewrites.add(f"called the test functions nothing called ({', '.join(tests)})")
    if "pytest" in dedented:
        files[PYTEST_STANDIN_PATH] = PYTEST_STANDIN
        prologue.append(PYTEST_STANDIN_PROLOGUE)
        rewrites.add("a small stand-in for pytest where pytest is not installed")
    pytest_main = _replace_calls(root, "pytest.main", "(lambda *args, **kwargs: 0)")
    if pytest_main:
        edits += pytest_main
        rewrites.add("pytest.main() left to the harness, which calls the tests")
    if "unittest" in dedented or "TestCase" in dedented:
        prologue.append(UNITTEST_PROLOGUE)
        finish.append("    _synthetic_unittest_finish()\n")
        rewrites.add("unittest runs without exiting and its failures count")
    edits += _exit_edits(root, prologue, rewrites)
    doctests = _replace_calls(root, "doctest.testmod", "_synthetic_doctest")
    if doctests:
        prologue.append(DOCTEST_PROLOGUE)
        edits += doctests
        rewrites.add("doctest.testmod() failures made fatal")
    prologue.append(templates.fill(FINISH, STEPS="".join(finish)))
    body = apply_edits(dedented, edits)
    head = [*futures, *prologue, reference, "", ""]
    files["main.py"] = "\n".join([*head, body, EPILOGUE])
    return Program(files, "main.py", (COMPILE, RUN), rewrites)


# What the strength check mutates, and how it writes a stub of the function.
MUTATION = MutationTable(
    binary=frozenset({"binary_operator", "comparison_operator", "boolean_operator", "augmented_assignment"}),
    integers=frozenset({"integer"}),
    conditions=(("if_statement", "condition"), ("elif_clause", "condition"), ("while_statement", "condition")),
    ternaries=(("conditional_expression", 0, 2),),
    statement_parents=frozenset({"block"}),
    loops=frozenset({"for_statement", "while_statement"}),
    functions=frozenset({"function_definition"}),
    negate="not ({})",
    empty_statement="pass",
    bare_return="return",
    operators={
        "//": ("arithmetic", "/"),
        "//=": ("arithmetic", "/="),
        "in": ("comparison", "not in"),
        "not in": ("comparison", "in"),
        "is": ("comparison", "is not"),
        "is not": ("comparison", "is"),
    },
)
STUBS = StubStyle(
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
)


LANGUAGE = Language(
    name="Python",
    key="python",
    aliases=("py", "python3"),
    grammar=tree_sitter_python.language,
    definitions_query="""
(function_definition name: (identifier) @name)
(class_definition name: (identifier) @name)
""",
    toolchains=(Toolchain("python3", ("--version",), "apt-get install python3"),),
    assemble=assemble,
    failure=FailurePattern(
        r"^(?P<name>[A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt|Failure|Warning))(?:: (?P<message>.*))?$",
        ("AssertionError",),
        last=True,
    ),
    mutation=MUTATION,
    stubs=STUBS,
    cold_cost=0.2,
)
