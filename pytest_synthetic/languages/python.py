"""Python: names, grammar, and how an entry becomes a runnable program."""

from __future__ import annotations

import re
import textwrap

import tree_sitter_python

from pytest_synthetic.languages.base import COMPLETION_PATH, Language, Program, Step, Toolchain
from pytest_synthetic.sandbox import Limits

_FUTURE_IMPORT = re.compile(r"^from __future__ import [^\n]+$", re.MULTILINE)

# Reads the per-run secret before any reference code runs; the name keeps clear of user code.
PROLOGUE = f"""import os as _synthetic_os
_synthetic_done = _synthetic_os.read(_synthetic_os.open({COMPLETION_PATH!r}, _synthetic_os.O_RDONLY), 256)
"""
EPILOGUE = """
_synthetic_os.write(1, b"\\n" + _synthetic_done + b"\\n")
"""


def assemble(reference: str, assertions: str, function_name: str) -> Program:
    rewrites = []
    futures = _FUTURE_IMPORT.findall(reference)
    if futures:
        reference = _FUTURE_IMPORT.sub("", reference)
        rewrites.append("moved `from __future__` imports to the top")
    dedented = textwrap.dedent(assertions)
    if dedented != assertions:
        rewrites.append("dedented the assertions")
    source = "\n".join([*futures, PROLOGUE, reference, "", "", dedented, EPILOGUE])
    run = Step("run", ("python3", "-I", "-X", "utf8", "main.py"), Limits(wall_seconds=10, cpu_seconds=10))
    return Program({"main.py": source}, "main.py", (run,), tuple(rewrites))


LANGUAGE = Language(
    name="Python",
    key="python",
    aliases=("py", "python3"),
    grammar=tree_sitter_python.language,
    line_comment="#",
    definitions_query="""
(function_definition name: (identifier) @name)
(class_definition name: (identifier) @name)
""",
    toolchains=(Toolchain("python3", ("--version",), "apt-get install python3"),),
    assemble=assemble,
)
