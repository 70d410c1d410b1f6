"""Data flows one way: checks/ calls strength/, which runs programs through the runner; the
language modules below them describe programs and never reach up to what runs them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "pytest_synthetic"

# What each folder must never import, at module level or inside a function.
FORBIDDEN = {
    "strength": ("pytest_synthetic.checks",),
    "languages": (
        "pytest_synthetic.checks",
        "pytest_synthetic.strength",
        "pytest_synthetic.runner",
        "pytest_synthetic.launch",
        "pytest_synthetic.class_data",
        "pytest_synthetic.jvm_compilers",
    ),
}


def _imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


@pytest.mark.parametrize("folder", sorted(FORBIDDEN))
def test_a_lower_layer_never_imports_a_higher_one(folder: str) -> None:
    files = sorted((PACKAGE / folder).rglob("*.py"))
    assert files
    reaching_up = {
        f"{path.relative_to(PACKAGE)}: {name}"
        for path in files
        for name in _imported(path)
        if name.startswith(FORBIDDEN[folder])
    }
    assert not reaching_up
