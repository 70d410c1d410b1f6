"""TypeScript: names, grammar, and how an entry becomes a runnable program."""

from __future__ import annotations

import re

import tree_sitter_typescript

from pytest_synthetic.languages import _script_node
from pytest_synthetic.languages._script_node import NODE_MUTATION, NODE_STUBS
from pytest_synthetic.languages.base import Language, Program, Step, Toolchain
from pytest_synthetic.languages.toolkit import parse_root

# esbuild only strips the types (milliseconds); full type-checking with tsc is a separate opt-in.
_STRIP_TYPES = (
    "esbuild",
    "main.ts",
    "--format=cjs",
    "--platform=node",
    "--target=node18",
    "--sourcemap=inline",
    "--log-level=error",
    "--outfile=main.cjs",
)
_LEGACY_DECORATORS = '--tsconfig-raw={"compilerOptions":{"experimentalDecorators":true}}'
# Decorators come in two incompatible kinds: legacy ones (`experimentalDecorators`, called with
# target, key, descriptor), which most TypeScript code and LLMs write, and standard ones (TS 5+,
# called with value, context), esbuild's default. Standard unless the code shows the legacy shape
# (a PropertyDescriptor) or nothing of the standard API (a *DecoratorContext type, addInitializer).
_LEGACY_SHAPE = re.compile(r"\b(?:Typed)?PropertyDescriptor\b")
_STANDARD_SHAPE = re.compile(r"\w*DecoratorContext\b|\baddInitializer\b")


def _has_decorator(code: str) -> bool:
    if "@" not in code:
        return False
    stack = [parse_root(LANGUAGE, code)]
    while stack:
        node = stack.pop()
        if node.type == "decorator":
            return True
        stack.extend(node.named_children)
    return False


def _legacy_decorators(*codes: str) -> bool:
    if not any(_has_decorator(code) for code in codes):
        return False
    joined = "\n".join(codes)
    return _LEGACY_SHAPE.search(joined) is not None or _STANDARD_SHAPE.search(joined) is None


def assemble(reference: str, assertions: str, function_name: str) -> Program:
    source, rewrites = _script_node.assemble_node(LANGUAGE, reference, assertions)
    command: tuple[str, ...] = _STRIP_TYPES
    if _legacy_decorators(reference, assertions):
        command = (*_STRIP_TYPES, _LEGACY_DECORATORS)
        rewrites.add("legacy (experimentalDecorators) decorators")
    strip = Step("compile", command, _script_node.CHECK_LIMITS)
    return Program({"main.ts": source}, "main.ts", _script_node.node_steps(strip, "main.cjs"), rewrites)


LANGUAGE = Language(
    name="TypeScript",
    key="typescript",
    aliases=("ts",),
    grammar=tree_sitter_typescript.language_typescript,
    # As JavaScript's, plus signatures, abstract classes and namespaces.
    definitions_query=_script_node.FUNCTION_DEFINITIONS
    + """(function_signature name: (identifier) @name)
(method_definition name: (property_identifier) @name)
(abstract_method_signature name: (property_identifier) @name)
(class_declaration name: (type_identifier) @name)
(abstract_class_declaration name: (type_identifier) @name)
(class name: (type_identifier) @name)
(internal_module name: (identifier) @name)
(module name: (identifier) @name)
"""
    + _script_node.ASSIGNED_DEFINITIONS
    + """(public_field_definition name: (property_identifier) @name value: [(arrow_function) (function_expression)])
""",
    toolchains=(
        Toolchain(
            "esbuild", ("--version",), "scripts/install-toolchains.sh (npm install --prefix .toolchains esbuild)"
        ),
        _script_node.NODE,
    ),
    assemble=assemble,
    failure=_script_node.NODE_FAILURE,
    mutation=NODE_MUTATION,
    stubs=NODE_STUBS,
    cold_cost=0.4,
)
