"""How a step of a program starts in the sandbox, for the runner and the strength batch alike.

The one place that says which file a command is and which installation folder the sandbox
must show for it, the PATH and variables a step gets (`{workdir}`, `{cache}`), the class-data
archive a JVM compile maps, the per-run secret on COMPLETION_FD and the check that a run
finished. The runner starts every step through `prepare` and `start`; the strength batch
writes each variant's steps into its script with `prepare` and starts that script with `start`.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pytest_synthetic import class_data, sandbox, toolchains
from pytest_synthetic.languages.base import Step


@dataclass(frozen=True)
class Launch:
    """A step ready to start: its real argv, its variables and the host folders it sees."""

    argv: tuple[str, ...]
    env: dict[str, str]  # PATH, then the step's own variables
    readonly: tuple[Path, ...]
    writable: tuple[Path, ...]


def built_here(step: Step) -> bool:
    """`./main`: a file an earlier step built in the work folder, not a toolchain command."""
    return step.argv[0].startswith("./")


def locate(command: str) -> tuple[str, Path | None] | None:
    """The real file of a toolchain command and the folder the sandbox must show read-only
    for it (None for a system one); None when the command is not installed."""
    found = toolchains.which(command)
    if found is None:
        return None
    # the real file: a venv's python3 is a link into an interpreter folder the sandbox can see
    executable = os.path.realpath(found)
    return executable, toolchains.install_root(executable)


def search_path(executables: Iterable[str]) -> str:
    """PATH inside the sandbox: the folders of the executables, then the system's."""
    folders = dict.fromkeys(str(Path(executable).parent) for executable in executables)
    return ":".join([*folders, *sandbox.SYSTEM_SEARCH_PATH])


def variables(step: Step, workdir: Path) -> dict[str, str]:
    """The step's own variables: `{workdir}` is its folder, `{cache}` the build cache shared by
    every run (Go's, so the standard library is compiled once)."""
    cache = str(toolchains.build_cache_dir()) if uses_build_cache(step) else ""
    return {key: value.replace("{cache}", cache).replace("{workdir}", str(workdir)) for key, value in step.env}


def uses_build_cache(step: Step) -> bool:
    return any("{cache}" in value for _, value in step.env)


def prepare(planned: Step, workdir: Path) -> Launch | None:
    """The step as it starts in `workdir` (a JVM compile mapping its class-data archive);
    None when its command is not installed."""
    step, archive_folders = class_data.accelerate(planned)
    if built_here(step):
        executable, root = str(workdir / step.argv[0][2:]), None
    else:
        located = locate(step.argv[0])
        if located is None:
            return None
        executable, root = located
    return Launch(
        argv=(executable, *step.argv[1:]),
        env={"PATH": search_path([executable]), **variables(step, workdir)},
        readonly=(*([root] if root else []), *archive_folders, *map(Path, step.reads)),
        writable=(toolchains.build_cache_dir(),) if uses_build_cache(step) else (),
    )


def new_secret() -> str:
    """A per-run completion secret: the run finds it on COMPLETION_FD."""
    return secrets.token_hex(16)


def completed(stdout: str, secret: str) -> bool:
    """The program's last stdout line is the per-run secret: every assertion ran."""
    lines = [line.strip() for line in stdout.splitlines() if line.strip()]
    return bool(lines) and lines[-1] == secret


def finished(result: sandbox.RunResult, secret: str) -> bool:
    """A run that exited 0 after its last stdout line said the secret."""
    return result.returncode == 0 and completed(result.stdout, secret)


def start(launch: Launch, workdir: Path, limits: sandbox.Limits, secret: str | None = None) -> sandbox.RunResult:
    """Run the launch in the sandbox; with a secret, on COMPLETION_FD (readable once)."""
    return sandbox.run_sandboxed(
        launch.argv,
        workdir,
        limits,
        env=launch.env,
        secret=secret.encode() if secret is not None else None,
        readonly_paths=launch.readonly,
        writable_paths=launch.writable,
    )


def write_files(folder: Path, files: Mapping[str, str]) -> None:
    for relative, text in files.items():
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


@contextmanager
def work_folder(files: Mapping[str, str] | None = None, prefix: str = "synthetic-run-") -> Iterator[Path]:
    """A new folder with these files in it, removed afterwards."""
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        write_files(workdir, files or {})
        yield workdir
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
