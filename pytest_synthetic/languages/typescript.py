"""TypeScript: names, grammar, and how an entry becomes a runnable program."""

from __future__ import annotations

import tree_sitter_typescript

from pytest_synthetic.languages import _script_node
from pytest_synthetic.languages.base import Language, Program, Step, Toolchain

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


def assemble(reference: str, assertions: str, function_name: str) -> Program:
    source, rewrites = _script_node.assemble_node(LANGUAGE, reference, assertions)
    strip = Step("compile", _STRIP_TYPES, _script_node.CHECK_LIMITS)
    return Program({"main.ts": source}, "main.ts", _script_node.node_steps(strip, "main.cjs"), rewrites)


LANGUAGE = Language(
    name="TypeScript",
    key="typescript",
    aliases=("ts",),
    grammar=tree_sitter_typescript.language_typescript,
    line_comment="//",
    definitions_query="""
(function_declaration name: (identifier) @name)
(generator_function_declaration name: (identifier) @name)
(function_signature name: (identifier) @name)
(method_definition name: (property_identifier) @name)
(class_declaration name: (type_identifier) @name)
(variable_declarator name: (identifier) @name value: [(arrow_function) (function_expression)])
""",
    toolchains=(
        Toolchain(
            "esbuild", ("--version",), "scripts/install-toolchains.sh (npm install --prefix .toolchains esbuild)"
        ),
        _script_node.NODE,
    ),
    assemble=assemble,
    failure=_script_node.NODE_FAILURE,
)
