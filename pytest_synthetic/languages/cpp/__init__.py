"""C++: names, grammar, and how an entry becomes a runnable program.

main.cpp holds the reference first, exactly as written (its own `main` renamed), so it compiles
with its own #includes only: a reference that forgets a header is reported, not repaired. After
it come the #includes the assertions wrote or need (standard headers found from the names they
use), `using namespace std;` when they use standard names unqualified and the reference did not
open the namespace, the assertions' functions, types and the globals those need (every
top-level declaration when the assertions have their own `main`: they are a whole program), then
`synthetic_checks()` holding their statements, and `main`. A second file, synthetic_done.cpp,
reads the completion secret in a high-priority constructor (before any static initialiser of the
reference) and prints it after the assertions; it keeps its own headers out of the reference's way.
Compiled as C++20 (what current LLMs write: `starts_with`, `contains`, ranges, designated
initialisers), keeping C++17's `u8` string literals.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import tree_sitter
import tree_sitter_cpp

from pytest_synthetic.languages import templates
from pytest_synthetic.languages._native_common import (
    BINARY,
    children,
    parse,
    require_checks,
    run_binary_step,
    text_of,
)
from pytest_synthetic.languages.base import COMPLETION_PATH, Language, Program, Rewrites, Step, Toolchain
from pytest_synthetic.languages.completion import CompletionTable, Status, finish_exits
from pytest_synthetic.languages.strength_tables import VOID, MutationTable, SchemaStyle, StubStyle, schema_switch
from pytest_synthetic.languages.toolkit import Edit, apply_edits
from pytest_synthetic.sandbox import Limits

_REFERENCE_MAIN = "synthetic_reference_main"
_ASSERTIONS_MAIN = "synthetic_checks_main"

# Standard names LLM-written assertions use, and the header that declares each.
_HEADERS: dict[str, tuple[str, ...]] = {
    "<algorithm>": (
        "sort",
        "stable_sort",
        "reverse",
        "max",
        "min",
        "find",
        "find_if",
        "count",
        "count_if",
        "all_of",
        "any_of",
        "none_of",
        "equal",
        "fill",
        "max_element",
        "min_element",
        "unique",
        "lower_bound",
        "upper_bound",
        "binary_search",
        "is_sorted",
        "transform",
        "for_each",
        "next_permutation",
        "remove",
        "remove_if",
        "copy",
        "rotate",
        "minmax",
        "clamp",
        "is_permutation",
    ),
    "<array>": ("array",),
    "<bitset>": ("bitset",),
    "<cassert>": ("assert",),
    "<climits>": ("INT_MAX", "INT_MIN", "LLONG_MAX", "LLONG_MIN", "LONG_MAX", "LONG_MIN", "UINT_MAX", "CHAR_BIT"),
    "<cmath>": (
        "fabs",
        "sqrt",
        "pow",
        "floor",
        "ceil",
        "round",
        "log",
        "log2",
        "log10",
        "exp",
        "sin",
        "cos",
        "isnan",
        "isinf",
        "hypot",
        "fmod",
        "trunc",
    ),
    "<cstdint>": ("int8_t", "int16_t", "int32_t", "int64_t", "uint8_t", "uint16_t", "uint32_t", "uint64_t"),
    "<cstdio>": ("printf", "puts", "fprintf", "stderr"),
    "<cstdlib>": ("exit", "abort", "EXIT_FAILURE", "EXIT_SUCCESS", "abs", "rand", "srand"),
    "<cstring>": ("memset", "memcpy", "memcmp", "strcmp", "strlen", "strcpy"),
    "<deque>": ("deque",),
    "<exception>": ("exception", "terminate"),
    "<functional>": ("function", "greater", "less", "hash", "plus", "multiplies"),
    "<iomanip>": ("setprecision", "setw", "fixed"),
    "<iostream>": ("cout", "cerr", "cin", "endl", "clog"),
    "<iterator>": ("back_inserter", "next", "prev", "advance", "distance"),
    "<limits>": ("numeric_limits",),
    "<list>": ("list",),
    "<map>": ("map", "multimap"),
    "<memory>": ("unique_ptr", "shared_ptr", "make_unique", "make_shared", "weak_ptr"),
    "<numeric>": ("accumulate", "iota", "gcd", "lcm", "partial_sum", "inner_product"),
    "<optional>": ("optional", "nullopt", "make_optional"),
    "<queue>": ("queue", "priority_queue"),
    "<set>": ("set", "multiset"),
    "<sstream>": ("stringstream", "istringstream", "ostringstream"),
    "<stack>": ("stack",),
    "<stdexcept>": (
        "runtime_error",
        "logic_error",
        "invalid_argument",
        "out_of_range",
        "domain_error",
        "length_error",
        "overflow_error",
        "underflow_error",
        "range_error",
    ),
    "<string>": ("string", "to_string", "stoi", "stol", "stoll", "stod", "getline", "wstring"),
    "<string_view>": ("string_view",),
    "<tuple>": ("tuple", "make_tuple", "tie", "get"),
    "<unordered_map>": ("unordered_map",),
    "<unordered_set>": ("unordered_set",),
    "<utility>": ("pair", "make_pair", "swap", "move"),
    "<vector>": ("vector",),
}
_HEADER_OF = {name: header for header, names in _HEADERS.items() for name in names}
# Names of namespace std whose unqualified use means the assertions expect `using namespace std;`
# (the C library names above also exist outside std).
_C_NAMES = frozenset(
    {
        *_HEADERS["<cassert>"],
        *_HEADERS["<climits>"],
        *_HEADERS["<cstdint>"],
        *_HEADERS["<cstdio>"],
        *_HEADERS["<cstring>"],
        *_HEADERS["<cstdlib>"],
        *_HEADERS["<cmath>"],
    }
)
_STD_NAMES = frozenset(_HEADER_OF) - _C_NAMES

# Top-level items of the assertions that cannot live inside a function.
_HOISTED = frozenset(
    {
        "preproc_include",
        "preproc_def",
        "preproc_function_def",
        "preproc_call",
        "using_declaration",
        "alias_declaration",
        "type_definition",
        "template_declaration",
        "namespace_definition",
        "class_specifier",
        "struct_specifier",
        "enum_specifier",
        "union_specifier",
        "linkage_specification",
        "function_definition",
    }
)
# Declarators that lead to the declared name (`*p`, `&r`, `a[3]`, `f(int)`, `x = 1`).
_WRAPPING_DECLARATORS = frozenset(
    {
        "init_declarator",
        "pointer_declarator",
        "reference_declarator",
        "array_declarator",
        "function_declarator",
        "parenthesized_declarator",
        "attributed_declarator",
    }
)
# Ways to call the C library's exit(): from main, `return status;` means the same.
_EXIT_FUNCTIONS = frozenset({"exit", "std::exit", "::exit", "::std::exit"})
_NAME_HOLDERS = frozenset({"template_type", "template_function"})
_FAILING_CALLS = frozenset({"assert", "abort", "exit", "_Exit", "quick_exit", "terminate"})
_TEST_MACRO_PREFIXES = ("EXPECT_", "ASSERT_", "REQUIRE", "CHECK")

COMPILE_LIMITS = Limits(wall_seconds=60, cpu_seconds=60)
# Strict C++20 rather than gnu++20: the GNU dialects define the macros `unix` and `linux`, a
# plausible variable name. -fno-char8_t keeps C++17's `std::string s = u8"..."` compiling.
FLAGS = ("-std=c++20", "-fno-char8_t", "-O0", "-pipe")  # never -DNDEBUG: assert() must stay active

# synthetic_done.cpp of every program: reads the secret first, prints it last.
_DONE_SOURCE = templates.fill(templates.source("cpp_done.cpp"), COMPLETION_PATH=COMPLETION_PATH)


_ARGV = (
    'static char synthetic_program_name[] = "main";\n'
    "static char* synthetic_argv[] = {synthetic_program_name, nullptr};\n"
)


@dataclass
class _Assertions:
    rewrites: Rewrites
    includes: list[str] = field(default_factory=list)
    hoisted: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    main_call: str = ""


def _declarator_name(definition: tree_sitter.Node) -> tree_sitter.Node | None:
    """The identifier a function definition defines (None for methods, operators, ...)."""
    declarator = definition.child_by_field_name("declarator")
    while declarator is not None and declarator.type in {
        "function_declarator",
        "pointer_declarator",
        "reference_declarator",
    }:
        if declarator.type == "function_declarator":
            inner = declarator.child_by_field_name("declarator")
            return inner if inner is not None and inner.type == "identifier" else None
        declarator = declarator.child_by_field_name("declarator")
    return None


def _main_of(root: tree_sitter.Node) -> tree_sitter.Node | None:
    for node in children(root):
        if node.type == "function_definition":
            name = _declarator_name(node)
            if name is not None and name.text == b"main":
                return node
    return None


def _declarators(declaration: tree_sitter.Node) -> list[tree_sitter.Node]:
    """Each declarator's innermost part: the declared identifier, a qualified name (`int
    Counter::total = 0;`), a structured binding; a prototype's function_declarator stays whole."""
    found = []
    for outer in declaration.children_by_field_name("declarator"):
        declarator: tree_sitter.Node | None = outer
        while declarator is not None and declarator.type in _WRAPPING_DECLARATORS - {"function_declarator"}:
            found_inner = declarator.child_by_field_name("declarator")
            if found_inner is None:  # `(name)` and `name [[attribute]]` have no field for it
                found_inner = next((c for c in declarator.named_children if c.type != "attribute_declaration"), None)
            declarator = found_inner
        if declarator is not None:
            found.append(declarator)
    return found


def _declared_names(declaration: tree_sitter.Node) -> set[str]:
    names = set()
    for declarator in _declarators(declaration):
        if declarator.type == "identifier":
            names.add((declarator.text or b"").decode())
        elif declarator.type == "structured_binding_declarator":
            names.update((c.text or b"").decode() for c in declarator.named_children if c.type == "identifier")
    return names


def _only_at_namespace_scope(declaration: tree_sitter.Node) -> bool:
    """A prototype (`void testX();`, harmless anywhere, and the hoisted functions may call it) or
    the definition of a qualified name (`int Counter::total = 0;`, invalid inside a function)."""
    return any(d.type in {"function_declarator", "qualified_identifier"} for d in _declarators(declaration))


# Nodes inside a function or type that declare names of their own.
_DECLARING = frozenset({"declaration", "parameter_declaration", "optional_parameter_declaration", "for_range_loop"})


def _free_names(node: tree_sitter.Node) -> set[str]:
    """The names a hoisted function or type uses without declaring them itself (its parameters
    and locals are its own: a helper's `int actual` parameter is no use of a global `actual`)."""
    own: set[str] = set()
    stack = list(children(node))
    while stack:
        inner = stack.pop()
        if inner.type in _DECLARING:
            own |= _declared_names(inner)
        stack.extend(children(inner))
    return _names(node)[0] - own


def _hoisted_declarations(nodes: list[tree_sitter.Node], hoisted: list[tree_sitter.Node]) -> set[int]:
    """Ids of the top-level declarations to move out of synthetic_checks(): those that only make
    sense at namespace scope, and the globals the hoisted functions and types use (with what their
    initialisers use in turn). The others stay local, in order with the statements around them:
    `vector<int> v{3, 1}; sortAll(v); auto r = v;` reads v after the call."""
    used: set[str] = set()
    for node in hoisted:
        used |= _free_names(node)
    chosen = {id(node) for node in nodes if _only_at_namespace_scope(node)}
    for node in nodes:
        if id(node) in chosen:
            used |= _names(node)[0]
    changed = True
    while changed:
        changed = False
        for node in nodes:
            if id(node) not in chosen and _declared_names(node) & used:
                chosen.add(id(node))
                used |= _names(node)[0]
                changed = True
    return chosen


COMPLETION = CompletionTable(
    blocks=frozenset({"translation_unit", "compound_statement", "case_statement"}),
    calls={"call_expression": "arguments"},
    exits=dict.fromkeys(_EXIT_FUNCTIONS, Status.UNKNOWN),
    # definitions run nothing where they stand (the assembly moves them out of main)
    inert=frozenset(
        {
            "comment",
            ";",
            "function_definition",
            "template_declaration",
            "struct_specifier",
            "class_specifier",
            "preproc_include",
            "using_declaration",
            "alias_declaration",
            "namespace_definition",
        }
    ),
    functions=frozenset({"function_definition"}),
    entry_points=frozenset({"main"}),
    loops=frozenset({"for_statement", "for_range_loop", "while_statement", "do_statement"}),
    handlers=frozenset({"catch_clause"}),
    callbacks=frozenset({"lambda_expression", "field_declaration_list"}),
    short_circuit=frozenset({"||", "&&", "or", "and"}),
    failures=frozenset({"throw_statement", "abort", "std::abort"}),
    statuses={"EXIT_SUCCESS": Status.SUCCESS, "EXIT_FAILURE": Status.FAILURE},
)
_FINISHING_DECLARATION = 'extern "C" [[noreturn]] void synthetic_exit(int status);'


def _renamed_main(source: bytes, main: tree_sitter.Node, split: _Assertions) -> str:
    """The assertions' main as synthetic_checks_main, returning 0 when it falls off its end."""
    name = _declarator_name(main)
    body = main.child_by_field_name("body")
    assert name is not None
    start = main.start_byte
    edits = [Edit(name.start_byte - start, name.end_byte - start, _ASSERTIONS_MAIN)]
    if body is not None and body.end_byte > body.start_byte:
        # Falling off the end of main returns 0; of any other function, garbage.
        edits.append(Edit(body.end_byte - 1 - start, body.end_byte - 1 - start, "return 0;\n"))
    arguments = "1, synthetic_argv" if _takes_arguments(main) else ""
    split.main_call = f"return {_ASSERTIONS_MAIN}({arguments});"
    split.rewrites.add(f"renamed the assertions' main to {_ASSERTIONS_MAIN} and called it")
    return apply_edits(source[start : main.end_byte], edits)


def _split_assertions(assertions: str, rewrites: Rewrites) -> _Assertions:
    source, root = parse(LANGUAGE, assertions)
    split = _Assertions(rewrites)
    main = _main_of(root)
    nodes = list(children(root))
    hoisted_types = [node for node in nodes if node.type in _HOISTED or node is main]
    declarations = [node for node in nodes if node.type == "declaration"]
    if main is not None:
        # With their own main the assertions are a whole program: its globals stay globals.
        global_ids = {id(node) for node in declarations}
    else:
        global_ids = _hoisted_declarations(declarations, hoisted_types)
    moved = False
    target = split.body
    for node in nodes:
        if node.type == "preproc_include":
            path = node.child_by_field_name("path")
            if path is not None and path.type == "string_literal":
                # #include "solution.h": the reference is in this very file already.
                split.rewrites.add(f"dropped `{text_of(source, node).strip()}` (the reference is in main.cpp)")
            else:
                split.includes.append(text_of(source, node).strip())
            continue
        if node is main:
            split.hoisted.append(_renamed_main(source, node, split))
            target = split.hoisted
        elif node.type in _HOISTED or id(node) in global_ids:
            split.hoisted.append(text_of(source, node))
            moved = True
            target = split.hoisted
        elif node.type == ";" and target:
            target[-1] += ";"  # the one after `struct S {...}`
        else:
            split.body.append(text_of(source, node))
            target = split.body
    if moved:
        split.rewrites.add("moved the assertions' functions, types and globals out of main")
    return split


def _takes_arguments(definition: tree_sitter.Node) -> bool:
    """main(int argc, char** argv) rather than main() or main(void)."""
    declarator = definition.child_by_field_name("declarator")
    parameters = declarator.child_by_field_name("parameters") if declarator is not None else None
    if parameters is None:
        return False
    declared = [c for c in children(parameters) if c.type == "parameter_declaration"]
    return bool(declared) and (declared[0].text or b"").strip() != b"void"


def _is_qualified(node: tree_sitter.Node) -> bool:
    """`std::vector` (the name part of a qualified name), as against a bare `vector`."""
    child, parent = node, node.parent
    if parent is not None and parent.type in _NAME_HOLDERS:
        child, parent = parent, parent.parent
    return parent is not None and parent.type == "qualified_identifier" and parent.child_by_field_name("name") == child


def _names(root: tree_sitter.Node) -> tuple[set[str], set[str]]:
    """(every identifier-like name, the names used without a namespace qualifier)."""
    every: set[str] = set()
    unqualified: set[str] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type in {"identifier", "type_identifier", "namespace_identifier"}:
            text = (node.text or b"").decode()
            every.add(text)
            if not _is_qualified(node):
                unqualified.add(text)
        stack.extend(children(node))
    return every, unqualified


def _opens_std(root: tree_sitter.Node) -> bool:
    return any(
        node.type == "using_declaration" and b"namespace" in (node.text or b"") and b"std" in (node.text or b"")
        for node in children(root)
    )


def _can_fail(root: tree_sitter.Node) -> bool:
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type in {"throw_statement", "throw_expression", "static_assert_declaration"}:
            return True
        if node.type == "call_expression":
            function = node.child_by_field_name("function")
            name = (function.text or b"").decode().split("::")[-1] if function is not None else ""
            if name in _FAILING_CALLS or name.startswith(_TEST_MACRO_PREFIXES):
                return True
        if node.type == "return_statement":
            value = (node.text or b"").decode().removeprefix("return").strip(" ;")
            if value not in {"", "0", "EXIT_SUCCESS"}:
                return True
        stack.extend(children(node))
    return False


def _prepare_reference(reference: str, rewrites: Rewrites) -> tuple[str, bool]:
    source, root = parse(LANGUAGE, reference)
    main = _main_of(root)
    if main is None:
        return reference, _opens_std(root)
    name = _declarator_name(main)
    assert name is not None
    rewrites.add(f"renamed the reference's main to {_REFERENCE_MAIN}")
    return apply_edits(source, [Edit(name.start_byte, name.end_byte, _REFERENCE_MAIN)]), _opens_std(root)


def assemble(reference: str, assertions: str, function_name: str) -> Program:
    del function_name
    assertions_root = require_checks(LANGUAGE, assertions, _can_fail, "assert, throw, abort, exit or failing return")
    rewrites = Rewrites()
    prepared, reference_opens_std = _prepare_reference(reference, rewrites)
    assertions, finishing = finish_exits(
        assertions, parse(LANGUAGE, assertions)[1], COMPLETION, "synthetic_exit", rewrites
    )
    split = _split_assertions(assertions, rewrites)
    every, unqualified = _names(assertions_root)
    needed = sorted({_HEADER_OF[name] for name in every if name in _HEADER_OF})
    includes = list(split.includes)
    for header in needed:
        line = f"#include {header}"
        if header == "<cassert>":
            line = "#undef NDEBUG\n" + line  # assert() must check even if the reference defined NDEBUG
        if all(header not in include for include in includes):
            includes.append(line)
            rewrites.add(f"included {header} for the assertions")
    prologue = "\n".join(includes)
    if not reference_opens_std and unqualified & _STD_NAMES and not _opens_std(assertions_root):
        prologue += "\nusing namespace std;"
        rewrites.add("added `using namespace std;` for the assertions")
    body = "\n".join(split.body)
    if split.main_call:
        body += "\n" + split.main_call
    text = (
        prepared.rstrip()
        + "\n\n// Added by pytest-synthetic: what the assertions need, then the assertions.\n"
        + prologue
        + ("\n" + _FINISHING_DECLARATION if finishing else "")
        + "\n\n"
        + "".join(f"{piece.rstrip()}\n\n" for piece in split.hoisted)
        + 'extern "C" void synthetic_complete(void);\n'
        + 'extern "C" void synthetic_failed(int status);\n'
        + (_ARGV if "synthetic_argv" in split.main_call else "")
        + "\n"
        + "static int synthetic_checks() {\n"
        + body.strip("\n")
        + "\nreturn 0;\n}\n\n"
        + "int main() {\n"
        + "    int synthetic_status = synthetic_checks();\n"
        + "    if (synthetic_status != 0) {\n"
        + "        synthetic_failed(synthetic_status);\n"
        + "        return synthetic_status;\n"
        + "    }\n"
        + "    synthetic_complete();\n"
        + "    return 0;\n"
        + "}\n"
    )
    compile_step = Step("compile", ("g++", *FLAGS, "-o", BINARY, "main.cpp", "synthetic_done.cpp"), COMPILE_LIMITS)
    files = {"main.cpp": text, "synthetic_done.cpp": _DONE_SOURCE}
    return Program(files, "main.cpp", (compile_step, run_binary_step()), rewrites)


# What the strength check mutates, and how it writes a stub of the function.
MUTATION = MutationTable(
    integers=frozenset({"number_literal"}),
    ternaries=(("conditional_expression", "consequence", "alternative"),),
    statement_parents=frozenset({"compound_statement"}),
    loops=frozenset({"for_statement", "for_range_loop", "while_statement", "do_statement"}),
    functions=frozenset({"function_definition"}),
)
# C++ needs the switch declared before the functions that read it: it goes first.
SCHEMA = SchemaStyle(
    switch=schema_switch(templates.source("cpp_schema_switch.cpp")),
    body="{{ if (::synthetic_mutant() == {id}) {mutated} else {original} }}",
    bodies=frozenset({"compound_statement"}),
    first=True,
    kind_markers=r"\bco_(?:await|yield|return)\b",  # a coroutine's body runs when it is resumed
)
STUBS = StubStyle("{{ return {}; }}", "{ throw 0; }", zeros=((r"void", VOID), (r".*", "{}")))


LANGUAGE = Language(
    name="C++",
    key="cpp",
    aliases=("c++", "cplusplus", "cxx"),
    grammar=tree_sitter_cpp.language,
    definitions_query="""
(function_declarator declarator: (identifier) @name)
(function_declarator declarator: (field_identifier) @name)
(function_declarator declarator: (qualified_identifier name: (identifier) @name))
(class_specifier name: (type_identifier) @name)
(struct_specifier name: (type_identifier) @name)
""",
    toolchains=(Toolchain("g++", ("--version",), "apt-get install g++"),),
    assemble=assemble,
    mutation=MUTATION,
    stubs=STUBS,
    schema=SCHEMA,
    typed=True,
    cold_cost=1.2,
    statement_context=("int main() {\n", "\n}\n"),
)
