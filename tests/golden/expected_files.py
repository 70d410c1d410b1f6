"""The checked-in golden files: where each entry's lives, and how they differ from assembly now."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from .render import render
from .sources import REPO, GoldenEntry, golden_entries

EXPECTED = Path(__file__).resolve().parent / "expected"
UPDATE_COMMAND = "python -m tests.golden --update"


def expected_path(entry: GoldenEntry) -> Path:
    return EXPECTED / entry.language_key / f"{entry.name}.txt"


def rendered() -> dict[Path, str]:
    """Every entry's golden text as assembly makes it now, by its golden file."""
    return {expected_path(entry): render(entry) for entry in golden_entries()}


def stale(paths: set[Path], folder: Path = EXPECTED) -> list[Path]:
    """Golden files in folder of entries that no longer exist (paths are those of the entries)."""
    return sorted(path for path in folder.rglob("*.txt") if path not in paths)


@dataclass(frozen=True)
class Difference:
    path: Path
    text: str  # what to show: a unified diff, or why the file is missing or stale


def difference(path: Path, actual: str) -> Difference | None:
    """How the golden file differs from the text assembly makes now, or None when it does not."""
    shown = path.relative_to(REPO) if path.is_relative_to(REPO) else path
    if not path.is_file():
        return Difference(path, f"{shown} is missing: `{UPDATE_COMMAND}` writes it")
    expected = path.read_bytes().decode("utf-8")  # byte for byte: no newline translation
    if expected == actual:
        return None
    diff = difflib.unified_diff(
        expected.splitlines(keepends=True),
        actual.splitlines(keepends=True),
        f"{shown} (checked in)",
        f"{shown} (assembled now)",
    )
    return Difference(path, f"{''.join(diff)}\n(`{UPDATE_COMMAND}` rewrites it; review the diff like code)")


def differences(texts: dict[Path, str]) -> list[Difference]:
    found = [change for path, text in texts.items() if (change := difference(path, text)) is not None]
    for path in stale(set(texts)):
        gone = "is stale: its entry no longer exists"
        found.append(Difference(path, f"{path.relative_to(REPO)} {gone} (`{UPDATE_COMMAND}` removes it)"))
    return found


def write(texts: dict[Path, str]) -> tuple[int, int]:
    """Rewrite the golden files that differ and remove the stale ones: (written, removed)."""
    written = 0
    for path, text in texts.items():
        if difference(path, text) is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8"))
            written += 1
    removed = stale(set(texts))
    for path in removed:
        path.unlink()
    for folder in sorted(EXPECTED.iterdir()) if EXPECTED.is_dir() else []:
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    return written, len(removed)
