"""JavaScript: names, grammar, and how an entry becomes a runnable program."""

from __future__ import annotations

import tree_sitter_javascript

from pytest_synthetic.languages import _script_node
from pytest_synthetic.languages._script_node import NODE_MUTATION, NODE_STUBS
from pytest_synthetic.languages.base import Language, Program, Step


def assemble(reference: str, assertions: str, function_name: str) -> Program:
    source, rewrites = _script_node.assemble_node(LANGUAGE, reference, assertions)
    # A syntax error is the program's compile error, not a crash of the reference.
    check = Step("compile", ("node", "--check", "main.js"), _script_node.CHECK_LIMITS, after_failed_run=True)
    return Program({"main.js": source}, "main.js", _script_node.node_steps(check, "main.js"), rewrites)


LANGUAGE = Language(
    name="JavaScript",
    key="javascript",
    aliases=("js", "node", "nodejs", "ecmascript"),
    grammar=tree_sitter_javascript.language,
    # Besides declarations: named function expressions (`module.exports = function slugify`),
    # functions and classes assigned to a property (`exports.f = ...`, `X.prototype.f = ...`), in
    # an object literal (`module.exports = { f: () => ... }`) or in a class field.
    definitions_query=_script_node.FUNCTION_DEFINITIONS
    + """(method_definition name: (property_identifier) @name)
(class_declaration name: (identifier) @name)
(class name: (identifier) @name)
"""
    + _script_node.ASSIGNED_DEFINITIONS
    + """(field_definition property: (property_identifier) @name value: [(arrow_function) (function_expression)])
""",
    toolchains=(_script_node.NODE,),
    assemble=assemble,
    failure=_script_node.NODE_FAILURE,
    mutation=NODE_MUTATION,
    stubs=NODE_STUBS,
    cold_cost=0.1,
)
