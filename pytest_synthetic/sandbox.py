"""Run one untrusted command under limits, away from the pytest process.

This first version applies resource limits, a fresh process group, a scrubbed
environment and capped output. Namespace isolation (bubblewrap) is layered on top
by the sandbox issue without changing this interface.
"""

from __future__ import annotations

import os
import resource
import selectors
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

MiB = 1024 * 1024
COMPLETION_FD = 3  # where a run step finds its per-run secret


@dataclass(frozen=True)
class Limits:
    wall_seconds: float = 10.0
    cpu_seconds: float = 10.0
    memory_bytes: int = 2048 * MiB
    processes: int = 256
    file_size_bytes: int = 64 * MiB
    open_files: int = 512
    output_bytes: int = 64 * 1024  # per stream


@dataclass(frozen=True)
class RunResult:
    returncode: int | None  # None when killed by a signal
    signal: int | None
    stdout: str
    stderr: str
    timed_out: bool
    output_truncated: bool
    seconds: float

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out


SAFE_ENV_KEYS = ("PATH", "LANG", "LC_ALL", "TZ")


def clean_environment(workdir: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """A minimal environment: no inherited secrets, HOME inside the work folder."""
    env = {key: os.environ[key] for key in SAFE_ENV_KEYS if key in os.environ}
    env.setdefault("PATH", "/usr/local/bin:/usr/bin:/bin")
    env.setdefault("LANG", "C.UTF-8")
    env["HOME"] = str(workdir)
    env["TMPDIR"] = str(workdir)
    if extra:
        env.update(extra)
    return env


def _secret_pipe(secret: bytes) -> int:
    """A pipe already holding the secret, write end closed: readable exactly once."""
    read_end, write_end = os.pipe()
    os.write(write_end, secret)
    os.close(write_end)
    return read_end


def _prepare_child(limits: Limits, secret_fd: int | None) -> None:
    """Runs in the child between fork and exec."""
    if secret_fd is not None and secret_fd != COMPLETION_FD:
        os.dup2(secret_fd, COMPLETION_FD)  # dup2 clears close-on-exec on the copy
        os.close(secret_fd)
    elif secret_fd is not None:
        os.set_inheritable(secret_fd, True)
    cpu = max(1, int(limits.cpu_seconds + 0.999))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_size_bytes, limits.file_size_bytes))
    resource.setrlimit(resource.RLIMIT_NOFILE, (limits.open_files, limits.open_files))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _decode(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def run_sandboxed(
    argv: Sequence[str],
    workdir: Path,
    limits: Limits,
    env: Mapping[str, str] | None = None,
    stdin: bytes | None = None,
    secret: bytes | None = None,
    readonly_paths: Sequence[Path] = (),
    writable_paths: Sequence[Path] = (),
) -> RunResult:
    """Run argv in workdir; never raises for anything the program does.

    With a secret, the child finds it on file descriptor COMPLETION_FD.
    """
    start = time.monotonic()
    secret_fd = _secret_pipe(secret) if secret is not None else None
    try:
        proc = _spawn(argv, workdir, limits, env, stdin, secret_fd)
    finally:
        if secret_fd is not None:
            os.close(secret_fd)
    if stdin is not None and proc.stdin is not None:
        try:
            proc.stdin.write(stdin)
            proc.stdin.close()
        except BrokenPipeError:
            pass
    out, err, truncated, timed_out = _collect(proc, limits, start)
    _kill_group(proc)
    proc.wait()
    code = proc.returncode
    return RunResult(
        returncode=code if code >= 0 else None,
        signal=-code if code < 0 else None,
        stdout=_decode(out),
        stderr=_decode(err),
        timed_out=timed_out,
        output_truncated=truncated,
        seconds=time.monotonic() - start,
    )


def _spawn(
    argv: Sequence[str],
    workdir: Path,
    limits: Limits,
    env: Mapping[str, str] | None,
    stdin: bytes | None,
    secret_fd: int | None,
) -> subprocess.Popen[bytes]:
    # close_fds=False: Python opens files non-inheritable (PEP 446), so only the
    # standard streams and the dup2'ed secret reach the child.
    return subprocess.Popen(
        list(argv),
        cwd=workdir,
        env=clean_environment(workdir, env),
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        close_fds=False,
        preexec_fn=lambda: _prepare_child(limits, secret_fd),
    )


def _collect(proc: subprocess.Popen[bytes], limits: Limits, start: float) -> tuple[bytes, bytes, bool, bool]:
    """Read both streams up to the cap, killing the group on overflow or timeout."""
    assert proc.stdout is not None and proc.stderr is not None
    buffers = {proc.stdout.fileno(): bytearray(), proc.stderr.fileno(): bytearray()}
    selector = selectors.DefaultSelector()
    for stream in (proc.stdout, proc.stderr):
        selector.register(stream, selectors.EVENT_READ)
    truncated = timed_out = False
    open_streams = 2
    while open_streams:
        remaining = limits.wall_seconds - (time.monotonic() - start)
        if remaining <= 0:
            timed_out = True
            break
        for key, _ in selector.select(timeout=min(remaining, 0.5)):
            chunk = os.read(key.fd, 65536)
            if not chunk:
                selector.unregister(key.fileobj)
                open_streams -= 1
                continue
            buf = buffers[key.fd]
            room = limits.output_bytes - len(buf)
            buf.extend(chunk[: max(room, 0)])
            if len(chunk) > room:
                truncated = True
        if truncated:
            break
    selector.close()
    if open_streams == 0:
        try:
            proc.wait(timeout=max(0.0, limits.wall_seconds - (time.monotonic() - start)))
        except subprocess.TimeoutExpired:
            timed_out = True
    return bytes(buffers[proc.stdout.fileno()]), bytes(buffers[proc.stderr.fileno()]), truncated, timed_out


def describe() -> str:
    """One line for the pytest header."""
    return "sandbox: resource limits + process group + clean environment (no namespace isolation)"
