"""Opt-in full type-checking of TypeScript entries: one `tsc --strict --noEmit` run for many.

esbuild only strips types for running; some users count type errors as defects. Each entry
becomes its own module (`e<N>/main.ts`: reference, then assertions, then `export {}`) so that
names never clash between entries, and one tsc process checks them all.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pytest_synthetic import sandbox, toolchains
from pytest_synthetic.model import Finding

TSC_LIMITS = sandbox.Limits(wall_seconds=300, cpu_seconds=300, memory_bytes=4096 * sandbox.MiB)
# An import of a sibling file stands for the reference, which is in the same module here.
_RELATIVE_IMPORT = re.compile(r"""^\s*import\s[^;]*?from\s+['"]\.{1,2}/[^'"]*['"]\s*;?\s*$""", re.MULTILINE)
_DIAGNOSTIC = re.compile(
    r"^e(?P<index>\d+)/main\.ts\((?P<line>\d+),(?P<column>\d+)\): error (?P<code>TS\d+): (?P<msg>.*)$"
)
COMPILER_OPTIONS = {
    "strict": True,
    "noEmit": True,
    "target": "es2022",
    "module": "esnext",
    "moduleResolution": "bundler",
    "lib": ["es2022"],
    "types": ["node"],
    "skipLibCheck": True,
}


@dataclass(frozen=True)
class TypecheckSource:
    reference: str
    assertions: str

    def text(self) -> str:
        # relative imports are blanked, not removed: line numbers stay those of the entry
        assertions = _RELATIVE_IMPORT.sub("", self.assertions)
        return f"{self.reference}\n{assertions}\nexport {{}};\n"

    def locate(self, line: int) -> tuple[str, int]:
        """(field, line in that field) for a line of the module."""
        reference_lines = self.reference.count("\n") + 1
        if line <= reference_lines:
            return "reference_answer", line
        return "assertions", line - reference_lines


def typecheck(sources: Mapping[str, TypecheckSource]) -> dict[str, list[Finding]] | str:
    """Type errors per key, or a string saying why tsc could not run."""
    tsc = toolchains.which("tsc")
    if tsc is None:
        return "tsc is not installed: scripts/install-toolchains.sh (npm install --prefix .toolchains typescript)"
    node_modules = toolchains.install_root(str(Path(tsc).resolve()))
    if node_modules is None:
        return "tsc must come from a node_modules folder that also holds @types/node"
    keys = list(sources)
    workdir = Path(tempfile.mkdtemp(prefix="synthetic-tsc-"))
    try:
        for index, key in enumerate(keys):
            module = workdir / f"e{index}" / "main.ts"
            module.parent.mkdir()
            module.write_text(sources[key].text(), encoding="utf-8")
        options = {**COMPILER_OPTIONS, "typeRoots": [str(node_modules / "@types")]}
        config = {"compilerOptions": options, "include": ["e*/main.ts"]}
        (workdir / "tsconfig.json").write_text(json.dumps(config), encoding="utf-8")
        node = toolchains.which("node") or "node"
        result = sandbox.run_sandboxed(
            [str(Path(node).resolve()), str(Path(tsc).resolve()), "-p", str(workdir), "--pretty", "false"],
            workdir,
            TSC_LIMITS,
            readonly_paths=[node_modules],
        )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if result.timed_out:
        return f"tsc did not finish within {TSC_LIMITS.wall_seconds:.0f} s"
    return _findings(result.stdout, keys, sources)


def _findings(output: str, keys: list[str], sources: Mapping[str, TypecheckSource]) -> dict[str, list[Finding]]:
    found: dict[str, list[Finding]] = {key: [] for key in keys}
    for line in output.splitlines():
        match = _DIAGNOSTIC.match(line.strip())
        if match is None:
            continue
        key = keys[int(match["index"])]
        source = sources[key]
        field, field_line = source.locate(int(match["line"]))
        code_lines = (source.reference if field == "reference_answer" else source.assertions).splitlines()
        excerpt = code_lines[field_line - 1].rstrip() if 0 < field_line <= len(code_lines) else None
        found[key].append(Finding(f"{match['code']}: {match['msg']}", field, field_line, int(match["column"]), excerpt))
    return found


class TypecheckBatch:
    """Entries registered up front are checked together on the first request (one tsc run)."""

    def __init__(self) -> None:
        self.pending: dict[str, TypecheckSource] = {}
        self.done: dict[str, list[Finding] | str] = {}

    def register(self, key: str, source: TypecheckSource) -> None:
        if key not in self.done:
            self.pending[key] = source

    def findings(self, key: str, source: TypecheckSource) -> list[Finding] | str:
        if key not in self.done:
            self.pending[key] = source
            batch, self.pending = self.pending, {}
            outcome = typecheck(batch)
            for batch_key in batch:
                self.done[batch_key] = outcome if isinstance(outcome, str) else outcome[batch_key]
        return self.done[key]
