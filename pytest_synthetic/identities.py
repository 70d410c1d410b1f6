"""Which toolchains an assembled program's steps run, as they go into its result key.

A declared toolchain stands for itself by its version (detected once per machine and kept in
the known-versions folder); an undeclared command, or one whose version cannot be read, by the
exact file. A missing command has no identity: such a result depends on the machine, not the
entry, and is never cached.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from functools import cached_property

from pytest_synthetic import languages, toolchains
from pytest_synthetic.cache import ResultCache
from pytest_synthetic.languages.base import Language, Program, Toolchain
from pytest_synthetic.launch import built_here


@functools.cache
def _declared() -> dict[str, Toolchain]:
    """Every language's toolchains by command (the registry is fixed: built once per process)."""
    return {t.command: t for lang in languages.ALL for t in lang.toolchains}


@dataclass
class ToolchainIdentities:
    # detected versions by executable signature; None until first read from the store
    _versions: dict[str, str] | None = field(default=None, repr=False)
    _versions_seen: int = field(default=0, repr=False)
    _found: dict[tuple[str, Toolchain | None], str | None] = field(default_factory=dict, repr=False)

    @cached_property
    def _store(self) -> ResultCache:
        return ResultCache(toolchains.known_versions_dir())

    @property
    def versions(self) -> dict[str, str]:
        if self._versions is None:
            self._versions = self._store.load_versions()
            self._versions_seen = len(self._versions)
        return self._versions

    def version(self, toolchain: Toolchain) -> str | None:
        return toolchains.version(toolchain, self.versions)

    def save(self) -> None:
        """Keep the versions detected since the store was read."""
        if self._versions is not None and len(self._versions) > self._versions_seen:
            self._store.save_versions(self._versions)
            self._versions_seen = len(self._versions)

    def of(self, program: Program, language: Language | None) -> dict[str, str] | None:
        """Command -> identity for every toolchain command of the program's steps; None when one
        is missing. A file an earlier step built (`./main`) is covered by that step's key."""
        own = {t.command: t for t in language.toolchains} if language is not None else {}
        identities: dict[str, str] = {}
        for command in sorted({step.argv[0] for step in program.steps if not built_here(step)}):
            toolchain = own.get(command) or _declared().get(command)
            if (command, toolchain) not in self._found:
                self._found[command, toolchain] = self._identity(command, toolchain)
            identity = self._found[command, toolchain]
            if identity is None:
                return None
            identities[command] = identity
        return identities

    def _identity(self, command: str, toolchain: Toolchain | None) -> str | None:
        executable = toolchains.which(command)
        if executable is None:
            return None
        identity = self.version(toolchain) if toolchain is not None else None
        if identity is None:  # undeclared or version unknown: the exact file stands for it
            try:
                identity = toolchains.signature(executable)
            except OSError:
                return None
        return identity
