"""Whether candidates this machine cannot execute may be accepted (--require-toolchains).

An entry whose execution is skipped for a missing toolchain passed the static checks only.
When the plan asks for a language that cannot run here, the run refuses such candidates
unless told otherwise (--no-require-toolchains), and says so before it starts.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from pytest_synthetic import languages, toolchains


def missing_toolchains(language_names: Iterable[str]) -> dict[str, str]:
    """The languages that cannot be executed here, with what to install."""
    missing: dict[str, str] = {}
    for name in sorted(set(language_names)):
        language = languages.by_name(name)
        if language.assemble is None:
            missing[name] = "its execution is not supported"
            continue
        hints = [tool.install_hint for tool in language.toolchains if toolchains.which(tool.command) is None]
        if hints:
            missing[name] = "; ".join(hints)
    return missing


def require_toolchains(requested: bool | None, execute: bool, planned: Iterable[str], err: TextIO) -> bool:
    """The flag's value, or on by default when a planned language has no toolchain here."""
    if not execute:
        return False
    missing = missing_toolchains(planned)
    if missing:
        where = "; ".join(f"{name} ({hint})" for name, hint in missing.items())
        err.write(f"note: no toolchain on this machine for {where}\n")
    if requested is None:
        if missing:
            err.write(
                "note: --require-toolchains is on: candidates that cannot be executed here are rejected "
                "(--no-require-toolchains accepts them without execution)\n"
            )
        return bool(missing)
    if missing and not requested:
        err.write("note: their entries are accepted without execution (--no-require-toolchains)\n")
    return requested
