"""Run one untrusted command under limits and isolation, away from the pytest process.

Two layers:

* Isolation (Linux, bubblewrap): new mount, PID, network, IPC and UTS namespaces. The
  sandbox sees the system folders read-only, the caller's extra toolchain folders
  read-only, its work folder writable at the same absolute path, and a private /tmp;
  nothing else of the host (no home folder, no repository, no other entry's folder).
  It has no network at all, not even the host's loopback, and cannot see or signal a
  process outside. When the PID namespace's first process exits, the kernel kills
  everything left inside, so detached children never outlive a run.
  As root, bwrap runs privileged and the program drops to a fresh unprivileged uid for
  every run (RLIMIT_NPROC never binds uid 0, and a uid of its own makes the process
  count per run). Otherwise bwrap makes a user namespace and `prlimit` sets the process
  count inside it, where the kernel counts only that namespace's processes.
* Limits (always): wall clock, CPU time, memory (RLIMIT_DATA: private writable memory,
  which JVMs, Go, GHC and V8 survive, unlike RLIMIT_AS that breaks on their address-space
  reservations), processes, file size, open files, bytes written to the work folder, and
  captured output (head and tail of each stream). Sandboxed processes are the host OOM
  killer's first choice. (No lower CPU priority: on a busy CI machine a niced compiler
  starves and hits its wall-clock limit.)

Without bubblewrap (macOS, a container without namespaces) only the limits, a process
group, a scrubbed environment, no-new-privileges and, as root, the throwaway uid apply (so
a root run still cannot write root's files, signal other processes or leave any behind);
`describe()` says so.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import re
import resource
import secrets
import selectors
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

MiB = 1024 * 1024
COMPLETION_FD = 3  # where a run step finds its per-run secret

# Host folders a toolchain may need, bound read-only (symlinks among them are mirrored).
# Debian's GHC keeps its package database under /var/lib/ghc.
SYSTEM_PATHS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc", "/opt", "/var/lib/ghc")
# PATH inside the sandbox after the folders of a step's own toolchain.
SYSTEM_SEARCH_PATH = ("/usr/local/bin", "/usr/bin", "/bin")
# Where helper binaries must live to be usable inside the sandbox.
_SYSTEM_BIN = "/usr/bin:/bin:/usr/sbin:/sbin"
# Throwaway uids for runs started as root: a range no distribution or directory service
# hands out; one shared gid so compile caches written by one run are usable by the next.
_UID_BASE = 1 << 30
_UID_SPAN = 1 << 24
SANDBOX_GID = _UID_BASE - 1
_DISK_SCAN_SECONDS = 0.2
_MAX_WORK_ENTRIES = 20_000  # more files than this in the work folder counts as filling the disk
_MAX_WORK_DEPTH = 64
_READ_CHUNK = 1 << 20
_DRAIN_SECONDS = 0.5  # after the program ended, how long leftover pipe holders may keep writing
_MAX_SECRET = 4096  # fits a pipe buffer, so writing it never blocks


@dataclass(frozen=True)
class Limits:
    wall_seconds: float = 10.0
    cpu_seconds: float = 10.0
    memory_bytes: int = 2048 * MiB  # private writable memory per process (RLIMIT_DATA)
    processes: int = 256  # processes and threads of the run together
    file_size_bytes: int = 64 * MiB
    open_files: int = 512
    output_bytes: int = 64 * 1024  # kept per stream: the first 3/4 and the last 1/4
    disk_bytes: int = 512 * MiB  # written to the work folder; also the size of each private tmpfs
    flood_bytes: int = 16 * MiB  # output per stream after which the run is stopped


@dataclass(frozen=True)
class RunResult:
    returncode: int | None  # None when killed by a signal
    signal: int | None
    stdout: str
    stderr: str
    timed_out: bool  # the wall clock or the CPU time ran out
    output_truncated: bool  # a stream went over Limits.output_bytes; its middle is left out
    seconds: float
    memory_exceeded: bool = False  # the run failed for want of memory
    disk_exceeded: bool = False  # the run wrote more than Limits.disk_bytes and was stopped
    isolated: bool = False  # ran inside namespaces, not in the weak fallback

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not (self.timed_out or self.memory_exceeded or self.disk_exceeded)


class SandboxUnavailable(RuntimeError):
    """Isolation was required but this machine cannot provide it."""


SAFE_ENV_KEYS = ("PATH", "LANG", "LC_ALL", "TZ")


def clean_environment(workdir: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """A minimal environment: no inherited secrets, HOME inside the work folder."""
    env = {key: os.environ[key] for key in SAFE_ENV_KEYS if key in os.environ}
    env.setdefault("PATH", ":".join(SYSTEM_SEARCH_PATH))
    env.setdefault("LANG", "C.UTF-8")
    env["HOME"] = str(workdir)
    env["TMPDIR"] = str(workdir)
    if extra:
        env.update(extra)
    return env


# ---------------------------------------------------------------------------------------
# What this machine offers


@dataclass(frozen=True)
class _Backend:
    bwrap: str | None  # None: the fallback
    as_root: bool
    helper: str | None  # setpriv (root) or prlimit (user namespace), run inside the sandbox
    disable_userns: bool  # bwrap --disable-userns works
    reason: str  # why the fallback, or ""


def _system_tool(name: str) -> str | None:
    return shutil.which(name, path=_SYSTEM_BIN)


@cache
def _backend() -> _Backend:
    """Probe once per process: a real sandboxed `true` must succeed."""
    as_root = hasattr(os, "geteuid") and os.geteuid() == 0
    if not sys.platform.startswith("linux"):
        return _Backend(None, as_root, None, False, f"no namespaces on {sys.platform}")
    bwrap = _system_tool("bwrap") or shutil.which("bwrap")
    if bwrap is None:
        return _Backend(None, as_root, None, False, "bubblewrap (bwrap) is not installed")
    wanted = "setpriv" if as_root else "prlimit"
    helper = _system_tool(wanted)
    true = _system_tool("true")
    if helper is None or true is None:
        return _Backend(None, as_root, None, False, f"util-linux {wanted} or coreutils true is missing")
    error = ""
    for disable_userns in (False,) if as_root else (True, False):
        candidate = _Backend(bwrap, as_root, helper, disable_userns, "")
        with tempfile.TemporaryDirectory(prefix="synthetic-sandbox-probe-") as probe:
            result = _run(candidate, _Request([true], Path(probe), Limits(wall_seconds=30)))
        if result.returncode == 0:
            return candidate
        error = (result.stderr.strip().splitlines() or [f"exit status {result.returncode}"])[-1]
    return _Backend(None, as_root, None, False, f"bubblewrap cannot create namespaces here: {error}")


def isolation_available() -> bool:
    """True when runs are isolated with namespaces (probed once per process)."""
    return _backend().bwrap is not None


def describe() -> str:
    """One line for the pytest header."""
    backend = _backend()
    if backend.bwrap is not None:
        who = "a throwaway uid per run" if backend.as_root else "a user namespace"
        return (
            "sandbox: bubblewrap (mount, pid, net, ipc, uts namespaces; read-only system folders; "
            f"private work folder and /tmp; no network; {who}) + limits on time, memory, processes, "
            "files, disk and output"
        )
    uid = "; throwaway uid per run" if backend.as_root else ""
    return (
        f"sandbox: WEAK fallback ({backend.reason}): limits + process group + clean environment{uid}; "
        "no filesystem or network isolation"
    )


# ---------------------------------------------------------------------------------------
# Running


def run_sandboxed(  # noqa: PLR0917 - the positional form is the established interface
    argv: Sequence[str],
    workdir: Path,
    limits: Limits,
    env: Mapping[str, str] | None = None,
    stdin: bytes | None = None,
    secret: bytes | None = None,
    *,
    readonly_paths: Sequence[Path] = (),
    writable_paths: Sequence[Path] = (),
    isolate: bool | None = None,
) -> RunResult:
    """Run argv in workdir; never raises for anything the program does.

    With a secret, the program finds it on file descriptor COMPLETION_FD, readable once.
    readonly_paths / writable_paths: extra host folders seen at the same path inside
    (project-local toolchains; shared compile caches). isolate: None = namespaces when
    available, True = raise SandboxUnavailable without them, False = the weak fallback.
    Raises ValueError only for a caller's mistake (empty argv, NUL bytes, no work folder).
    """
    argv = list(argv)
    if not argv or any("\0" in part for part in argv):
        raise ValueError(f"argv must be a non-empty list without NUL bytes: {argv!r}")
    folder = Path(workdir).absolute()
    if not folder.is_dir():
        raise ValueError(f"the work folder {folder} does not exist")
    for place in (folder, *map(Path, writable_paths)):
        _refuse_shared_folder(Path(place).absolute())
    if secret is not None and len(secret) > _MAX_SECRET:
        raise ValueError(f"the secret must be at most {_MAX_SECRET} bytes")
    backend = _backend()
    if isolate is False:
        backend = _Backend(None, backend.as_root, None, False, "isolation switched off by the caller")
    elif isolate and backend.bwrap is None:
        raise SandboxUnavailable(backend.reason)
    request = _Request(
        argv,
        folder,
        limits,
        env,
        stdin,
        secret,
        tuple(Path(p).absolute() for p in readonly_paths),
        tuple(Path(p).absolute() for p in writable_paths),
    )
    return _run(backend, request)


def _refuse_shared_folder(place: Path) -> None:
    """Run as root, the sandbox hands every file in its writable folders to the run's
    throwaway uid: a shared folder given by mistake (/tmp, a home, the checkout) would
    lose its owner. Only folders made for runs are accepted."""
    try:
        mode = place.lstat().st_mode
    except OSError:
        return  # a missing extra folder is the toolchain's problem, and it will say so
    if stat.S_ISLNK(mode):
        raise ValueError(f"{place} is a symlink: give the sandbox the real folder")
    if mode & (stat.S_ISVTX | stat.S_IWOTH):
        raise ValueError(
            f"{place} is shared with every user: give the sandbox a folder made for the run (tempfile.mkdtemp())"
        )
    resolved = place.resolve()
    own = [Path.home()]
    with contextlib.suppress(OSError):
        own.append(Path.cwd())
    for folder in (mine.resolve() for mine in own):
        if resolved == folder or resolved in folder.parents:
            raise ValueError(
                f"{place} holds the caller's own files ({folder}): give the sandbox a folder "
                "made for the run (tempfile.mkdtemp())"
            )


@dataclass(frozen=True)
class _Request:
    argv: list[str]
    workdir: Path
    limits: Limits
    env: Mapping[str, str] | None = None
    stdin: bytes | None = None
    secret: bytes | None = None
    readonly_paths: tuple[Path, ...] = ()
    writable_paths: tuple[Path, ...] = ()


@dataclass
class _Plan:
    """What the child does between fork and exec, prepared in the parent."""

    limits: Limits
    uid: int | None = None  # switch to this uid (fallback as root)
    nproc: int | None = None  # RLIMIT_NPROC to set, None = leave as it is
    no_new_privs: Callable[[], None] | None = None  # the fallback's guard against setuid programs
    secret_fd: int | None = None
    keep_fds: list[int] = field(default_factory=list)  # bwrap's folder and status descriptors
    opened: list[int] = field(default_factory=list)  # closed by the parent once the child runs
    status_fd: int | None = None  # parent's end of bwrap's --json-status-fd


def _run(backend: _Backend, request: _Request) -> RunResult:
    start = time.monotonic()
    oom_before = _oom_kills()
    isolated = backend.bwrap is not None
    uid = _UID_BASE + secrets.randbelow(_UID_SPAN) if backend.as_root else None
    if uid is not None:
        # The throwaway uid must be able to write where the program may write.
        _hand_over(request.workdir, uid, always=True)
        for place in request.writable_paths:
            _hand_over(place, uid, always=False)
    plan = _Plan(request.limits)
    try:
        if request.secret is not None:
            plan.secret_fd = _secret_pipe(request.secret, uid)
            plan.opened.append(plan.secret_fd)
        if isolated:
            status_read, status_write = os.pipe()
            plan.status_fd = status_read
            status_write = _above_stdio(status_write)
            plan.opened.append(status_write)
            plan.keep_fds.append(status_write)
            argv = _bwrap_argv(backend, request, plan, uid, status_write)
            plan.nproc = request.limits.processes if uid is not None else None
        else:
            argv = request.argv
            plan.uid = uid
            plan.no_new_privs = _no_new_privs_setter()
            plan.nproc = request.limits.processes if uid is not None else _user_nproc(request.limits.processes)
        try:
            proc = subprocess.Popen(
                argv,
                cwd=request.workdir,
                env=clean_environment(request.workdir, request.env),
                stdin=subprocess.PIPE if request.stdin is not None else subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=True,
                close_fds=False,  # _prepare_child marks every other descriptor close-on-exec
                preexec_fn=lambda: _prepare_child(plan),  # noqa: PLW1509 - it only sets limits and descriptors
            )
        except OSError as error:
            if plan.status_fd is not None:
                os.close(plan.status_fd)
            return _spawn_failure(request.argv, error, start, isolated)
    finally:
        for fd in plan.opened:
            os.close(fd)
    try:
        outcome = _Supervisor(proc, request, start, plan.status_fd).run()
    finally:
        _kill_group(proc.pid)
        if not isolated:
            if uid is not None:
                _kill_uid(uid)  # detached children too: every process of the throwaway uid
            _await_fallback_exit(proc.pid, uid)
    return _result(outcome, request.limits, isolated, start, oom_before)


def _spawn_failure(argv: Sequence[str], error: OSError, start: float, isolated: bool) -> RunResult:
    return RunResult(
        returncode=127 if error.errno == errno.ENOENT else 126,
        signal=None,
        stdout="",
        stderr=f"sandbox: cannot execute {argv[0]!r}: {error.strerror}\n",
        timed_out=False,
        output_truncated=False,
        seconds=time.monotonic() - start,
        isolated=isolated,
    )


def _secret_pipe(secret: bytes, uid: int | None) -> int:
    """A pipe already holding the secret, write end closed: readable exactly once.

    Programs reopen it as /dev/fd/3, which checks the pipe's owner: hand it to the
    sandbox uid. Numbered above the standard descriptors so that moving it to 3 in the
    child never overwrites another descriptor the child needs.
    """
    read_end, write_end = os.pipe()
    try:
        os.write(write_end, secret)
    finally:
        os.close(write_end)
    if uid is not None:
        os.fchown(read_end, uid, SANDBOX_GID)
    return _above_stdio(read_end)


def _above_stdio(fd: int) -> int:
    high = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return high


def _hand_over(place: Path, uid: int, always: bool) -> None:
    """Give the run's uid the folder, and the shared sandbox group what the caller put in it.

    Only entries the caller owns change; symlinks and multiply linked files never do, so
    an earlier run cannot trick us into changing a file outside the folder. A shared cache
    that runs already own (always=False) is not walked again.
    """
    caller = os.geteuid()
    try:
        top = place.lstat()
    except OSError:
        return
    if not stat.S_ISDIR(top.st_mode):
        return
    if always or top.st_uid == caller:
        for path, info in _walk(place):
            if info.st_uid == caller and (stat.S_ISDIR(info.st_mode) or stat.S_ISREG(info.st_mode)):
                _give(path, uid, caller)
    with contextlib.suppress(OSError):
        os.chown(place, uid, SANDBOX_GID, follow_symlinks=False)


def _give(path: str, uid: int, caller: int) -> None:
    """Hand one file or folder over, through a descriptor of what is really there."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return  # a symlink (O_NOFOLLOW) or gone
    try:
        info = os.fstat(fd)
        if info.st_uid != caller or (stat.S_ISREG(info.st_mode) and info.st_nlink > 1):
            return
        group = stat.S_IRGRP | stat.S_IWGRP
        if stat.S_ISDIR(info.st_mode) or info.st_mode & stat.S_IXUSR:
            group |= stat.S_IXGRP
        os.fchown(fd, uid, SANDBOX_GID)
        os.fchmod(fd, stat.S_IMODE(info.st_mode) | stat.S_IRWXU | group)
    except OSError:
        pass
    finally:
        os.close(fd)


def _walk(top: Path) -> Iterator[tuple[str, os.stat_result]]:
    """Every entry under top (top included) without following symlinks, bounded in depth."""
    yield str(top), top.lstat()
    stack: list[tuple[str, int]] = [(str(top), 0)]
    while stack:
        folder, depth = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError:
            continue
        for entry in entries:
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            yield entry.path, info
            if stat.S_ISDIR(info.st_mode) and depth < _MAX_WORK_DEPTH:
                stack.append((entry.path, depth + 1))


def _user_nproc(processes: int) -> int | None:
    """RLIMIT_NPROC counts every process of the user: allow the ones running now plus the run's."""
    uid = str(os.getuid())
    count = 0
    try:
        entries = list(Path("/proc").iterdir())
    except OSError:
        return None
    for entry in entries:
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError):
                status = (entry / "status").read_text(encoding="ascii", errors="replace")
                line = next(line for line in status.splitlines() if line.startswith("Uid:"))
                count += line.split()[1] == uid
    return count + processes


def _bwrap_argv(backend: _Backend, request: _Request, plan: _Plan, uid: int | None, status_fd: int) -> list[str]:
    assert backend.bwrap is not None
    assert backend.helper is not None
    limits = request.limits
    args = [backend.bwrap, "--json-status-fd", str(status_fd)]
    args += ["--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts"]
    args += ["--unshare-cgroup-try", "--hostname", "sandbox", "--die-with-parent", "--new-session"]
    if uid is None:
        args.append("--unshare-user")
        if backend.disable_userns:
            args.append("--disable-userns")
    else:
        # Just enough for setpriv to switch to the throwaway uid; nothing survives that switch.
        args += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    made: set[str] = set()
    for system in map(Path, SYSTEM_PATHS):
        if system.is_symlink():
            args += ["--symlink", str(system.readlink()), str(system)]
        elif system.exists():
            args += [*_parents(system, made), "--ro-bind", str(system), str(system)]
    args += ["--proc", "/proc", "--dev", "/dev"]
    size = str(max(limits.disk_bytes, MiB))
    private = ("/dev/shm", "/tmp")  # noqa: S108 - fresh tmpfs mounts inside the sandbox
    args += ["--perms", "1777", "--size", size, "--tmpfs", private[0], "--remount-ro", "/dev"]
    args += ["--perms", "1777", "--size", size, "--tmpfs", private[1]]
    # Bound through open descriptors: a path swapped for a symlink after we opened it
    # cannot redirect the mount.
    binds = [(path, "--ro-bind-fd") for path in request.readonly_paths]
    binds += [(path, "--bind-fd") for path in (*request.writable_paths, request.workdir)]
    for path, option in binds:
        try:
            fd = _above_stdio(os.open(path, os.O_PATH | os.O_CLOEXEC))
        except OSError:
            continue  # a missing extra folder is the toolchain's problem, and it will say so
        plan.opened.append(fd)
        plan.keep_fds.append(fd)
        args += [*_parents(path, made), option, str(fd), str(path)]
    args += ["--chdir", str(request.workdir), "--"]
    if uid is None:
        # Inside the user namespace the kernel counts only this run's processes.
        args += [backend.helper, f"--nproc={limits.processes}:{limits.processes}", "--"]
    else:
        args += [backend.helper, f"--reuid={uid}", f"--regid={SANDBOX_GID}", "--clear-groups"]
        args += ["--inh-caps=-all", "--"]
    return args + request.argv


def _parents(path: Path, made: set[str]) -> list[str]:
    """Create the folders leading to a mount point as 0755: bwrap makes them 0700 as root,
    which would lock the sandbox uid out. Folders that already exist are left alone."""
    args: list[str] = []
    for parent in reversed(path.parents[:-1]):
        if str(parent) not in made:
            made.add(str(parent))
            args += ["--perms", "0755", "--dir", str(parent)]
    return args


def _prepare_child(plan: _Plan) -> None:
    """Runs in the child between fork and exec, still with the parent's privileges."""
    _close_inherited(plan.keep_fds)
    if plan.secret_fd is not None:
        os.dup2(plan.secret_fd, COMPLETION_FD)  # dup2 leaves the copy inheritable
    with contextlib.suppress(OSError):
        # If the host runs out of memory, sandboxed code goes first.
        fd = os.open("/proc/self/oom_score_adj", os.O_WRONLY)
        try:
            os.write(fd, b"1000")
        finally:
            os.close(fd)
    os.umask(0o002)  # the shared sandbox group may reuse what a run leaves in a cache
    limits = plan.limits
    cpu = max(1, int(limits.cpu_seconds + 0.999))
    _limit(resource.RLIMIT_CPU, cpu, cpu + 1)
    _limit(resource.RLIMIT_DATA, limits.memory_bytes)
    _limit(resource.RLIMIT_FSIZE, limits.file_size_bytes)
    _limit(resource.RLIMIT_NOFILE, limits.open_files)
    _limit(resource.RLIMIT_CORE, 0)
    if plan.nproc is not None:
        _limit(resource.RLIMIT_NPROC, plan.nproc)
    if plan.no_new_privs is not None:
        plan.no_new_privs()
    if plan.uid is not None:
        os.setgroups([])
        os.setgid(SANDBOX_GID)
        os.setuid(plan.uid)


_PR_SET_NO_NEW_PRIVS = 38


@cache
def _no_new_privs_setter() -> Callable[[], None] | None:
    """prctl(PR_SET_NO_NEW_PRIVS), looked up in the parent: without bwrap (which sets it
    itself) a setuid program (su, mount, ping) must not hand the sandboxed code root."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None

    def set_no_new_privs() -> None:
        prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)  # best effort: kernels before 3.5 lack it

    return set_no_new_privs


def _limit(which: int, soft: int, hard: int | None = None) -> None:
    """Lower a limit, never above the hard limit already in force (raising it would fail)."""
    _, current_hard = resource.getrlimit(which)
    ceiling = soft if hard is None else hard
    if current_hard != resource.RLIM_INFINITY:
        ceiling = min(ceiling, current_hard)
    resource.setrlimit(which, (min(soft, ceiling), ceiling))


def _close_inherited(keep_fds: list[int]) -> None:
    """Let only the standard streams and bwrap's folder descriptors through exec.

    Python opens files close-on-exec, but C libraries and plugins may not; an inherited
    descriptor (an xdist channel, a log file) must never reach the program.
    """
    keep = {0, 1, 2, *keep_fds}
    listing = "/proc/self/fd" if Path("/proc/self/fd").is_dir() else "/dev/fd"
    try:
        fds = [int(name) for name in os.listdir(listing)]  # noqa: PTH208 - plain names wanted
    except OSError:
        fds = list(range(3, 1024))
    for fd in fds:
        with contextlib.suppress(OSError):
            os.set_inheritable(fd, fd in keep)


# ---------------------------------------------------------------------------------------
# Watching the run


class _Capture:
    """The head and the tail of a stream, and how much was left out between them."""

    def __init__(self, keep: int) -> None:
        self.tail_cap = keep // 4
        self.head_cap = keep - self.tail_cap
        self.head = bytearray()
        self.tail = bytearray()
        self.total = 0

    def add(self, chunk: bytes) -> None:
        self.total += len(chunk)
        room = self.head_cap - len(self.head)
        if room > 0:
            self.head += chunk[:room]
            chunk = chunk[room:]
        if chunk and self.tail_cap:
            self.tail += chunk[-self.tail_cap :]
            del self.tail[: max(0, len(self.tail) - self.tail_cap)]

    @property
    def omitted(self) -> int:
        return self.total - len(self.head) - len(self.tail)

    def text(self) -> str:
        head = self.head.decode("utf-8", errors="replace")
        tail = self.tail.decode("utf-8", errors="replace")
        if not self.omitted:
            return head + tail
        return f"{head}\n[... {self.omitted} bytes left out by the sandbox ...]\n{tail}"


@dataclass
class _Outcome:
    out: _Capture
    err: _Capture
    status: int = 0  # wait status
    rusage: resource.struct_rusage | None = None
    timed_out: bool = False
    flooded: bool = False
    disk_exceeded: bool = False
    killed: bool = False  # we sent the SIGKILL


class _Supervisor:
    """Feeds stdin, reads both streams, watches the clock and the disk until the run is over."""

    def __init__(self, proc: subprocess.Popen[bytes], request: _Request, start: float, status_fd: int | None) -> None:
        assert proc.stdout is not None
        assert proc.stderr is not None
        self.proc = proc
        self.limits = request.limits
        self.workdir = request.workdir
        self.deadline = start + request.limits.wall_seconds
        self.outcome = _Outcome(_Capture(self.limits.output_bytes), _Capture(self.limits.output_bytes))
        self.captures = {proc.stdout.fileno(): self.outcome.out, proc.stderr.fileno(): self.outcome.err}
        self.selector = selectors.DefaultSelector()
        for fd in self.captures:
            os.set_blocking(fd, False)
            self.selector.register(fd, selectors.EVENT_READ, "read")
        self.pending = memoryview(request.stdin or b"")
        if proc.stdin is not None:
            os.set_blocking(proc.stdin.fileno(), False)
            self.selector.register(proc.stdin.fileno(), selectors.EVENT_WRITE, "write")
        self.pidfd = _pidfd(proc.pid)
        if self.pidfd is not None:
            self.selector.register(self.pidfd, selectors.EVENT_READ, "exit")
        self.exited = False
        self.drain_until: float | None = None
        # bwrap names the namespace's init first thing; once it is gone, so is everything
        # the program left behind (the kernel kills the rest of the namespace first).
        self.status_fd = status_fd
        self.status = b""
        self.init_pidfd: int | None = None
        if status_fd is not None:
            os.set_blocking(status_fd, False)
            self.selector.register(status_fd, selectors.EVENT_READ, "status")

    def run(self) -> _Outcome:
        try:
            self._loop()
        finally:
            self._finish()
        return self.outcome

    def _loop(self) -> None:
        outcome = self.outcome
        next_scan = time.monotonic() + _DISK_SCAN_SECONDS
        while True:
            now = time.monotonic()
            if not self.exited and now >= self.deadline:
                outcome.timed_out = True
                return
            if self.drain_until is not None and (not self.captures or now >= self.drain_until):
                return
            wait = min(self.deadline, next_scan, self.drain_until or self.deadline) - now
            if self.pidfd is None and not self.exited:
                wait = min(wait, 0.02)  # no pidfd: poll for the exit
            for key, _ in self.selector.select(timeout=max(wait, 0.0)):
                if key.data == "read":
                    self._read(key.fd)
                elif key.data == "write":
                    self._feed()
                elif key.data == "status":
                    self._read_status()
            if not self.exited and self._reap(block=False):
                self._on_exit()
            if max(outcome.out.total, outcome.err.total) > self.limits.flood_bytes:
                outcome.flooded = True
                return
            if time.monotonic() >= next_scan:
                next_scan = time.monotonic() + _DISK_SCAN_SECONDS
                if _disk_used(self.workdir, self.limits.disk_bytes) > self.limits.disk_bytes:
                    outcome.disk_exceeded = True
                    return

    def _on_exit(self) -> None:
        self.exited = True
        if self.pidfd is not None:
            self.selector.unregister(self.pidfd)
        # With bwrap nothing is left. In the fallback a detached child may still hold the
        # pipes: it gets a moment for a last write, not the power to keep the run going.
        _kill_group(self.proc.pid)
        self.drain_until = time.monotonic() + _DRAIN_SECONDS

    def _finish(self) -> None:
        if not self.exited:
            self.outcome.killed = True
            _kill_group(self.proc.pid)
            self._reap(block=True)
        self._await_namespace()
        for fd in list(self.captures):  # what the killed processes wrote last
            self._read(fd)
        self.selector.close()
        descriptors: tuple[int | None, ...] = (self.pidfd, self.init_pidfd, self.status_fd)
        for descriptor in descriptors:
            if descriptor is not None:
                os.close(descriptor)
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()

    def _read_status(self) -> None:
        """Learn the namespace init's pid from bwrap's first status line (written before the
        program starts, so the program cannot forge it)."""
        assert self.status_fd is not None
        with contextlib.suppress(BlockingIOError):
            chunk = os.read(self.status_fd, 4096)
            if not chunk:
                self.selector.unregister(self.status_fd)
            self.status += chunk
        if self.init_pidfd is None and b"\n" in self.status:
            match = re.search(rb'"child-pid"\s*:\s*(\d+)', self.status.split(b"\n", 1)[0])
            self.init_pidfd = _pidfd(int(match.group(1))) if match else None
            self.selector.unregister(self.status_fd)

    def _await_namespace(self) -> None:
        """Return only once the PID namespace is empty: its init exits last."""
        if self.status_fd is None:
            return
        if self.init_pidfd is None:
            self._read_status()
        if self.init_pidfd is None:
            return
        with selectors.DefaultSelector() as waiter:
            waiter.register(self.init_pidfd, selectors.EVENT_READ)
            if not waiter.select(timeout=5.0):
                # Still there: bwrap died before it could tear the namespace down.
                with contextlib.suppress(OSError):
                    signal.pidfd_send_signal(self.init_pidfd, signal.SIGKILL)
                waiter.select(timeout=5.0)

    def _read(self, fd: int) -> None:
        if fd not in self.captures:
            return
        try:
            chunk = os.read(fd, _READ_CHUNK)
        except BlockingIOError:
            return
        except OSError:
            chunk = b""
        if chunk:
            self.captures[fd].add(chunk)
            return
        with contextlib.suppress(KeyError, ValueError):
            self.selector.unregister(fd)
        del self.captures[fd]

    def _feed(self) -> None:
        """Write what the pipe takes now: a program that never reads its input cannot block us."""
        stdin = self.proc.stdin
        assert stdin is not None
        try:
            written = os.write(stdin.fileno(), self.pending[:65536]) if self.pending else 0
        except BlockingIOError:
            return
        except OSError:  # the program closed its input
            written = len(self.pending)
        self.pending = self.pending[written:]
        if not self.pending:
            self.selector.unregister(stdin.fileno())
            stdin.close()

    def _reap(self, block: bool) -> bool:
        """Collect the exit status (and, without bwrap, the resource use) of the first process."""
        give_up = time.monotonic() + 10.0
        while True:
            try:
                pid, status, usage = os.wait4(self.proc.pid, os.WNOHANG)
            except ChildProcessError:  # reaped elsewhere: report it as killed
                pid, status, usage = self.proc.pid, signal.SIGKILL, None
            if pid:
                self.outcome.status = status
                self.outcome.rusage = usage
                self.proc.returncode = os.waitstatus_to_exitcode(status)  # Popen must not reap it
                return True
            if not block or time.monotonic() > give_up:
                return False
            time.sleep(0.005)


def _pidfd(pid: int) -> int | None:
    opener: Callable[[int], int] | None = getattr(os, "pidfd_open", None)
    if opener is None:
        return None
    try:
        return opener(pid)
    except OSError:
        return None


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


def _kill_uid(uid: int) -> None:
    """SIGKILL every process of a throwaway uid, from a process of that uid (kill -1)."""
    kill = _system_tool("kill")
    if kill is None:
        return
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        subprocess.run(
            [kill, "-s", "KILL", "--", "-1"],
            user=uid,
            group=SANDBOX_GID,
            extra_groups=[],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={},
            timeout=10,
            check=False,
        )


def _await_fallback_exit(pgid: int, uid: int | None) -> None:
    """Without a PID namespace, return only once the run's processes are gone: the process
    group (and, as root, the throwaway uid). SIGKILLed processes take a moment to exit."""
    give_up = time.monotonic() + 5.0
    while time.monotonic() < give_up:
        left = _fallback_processes(pgid, uid)
        if not left:
            return
        for pid in left:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.01)


def _fallback_processes(pgid: int, uid: int | None) -> list[int]:
    """Live (not zombie) processes of the run, found through /proc where there is one.

    Every process of the run has the run's uid (or ours): a cheap stat of each /proc entry
    narrows the search before any file is read.
    """
    owner = os.getuid() if uid is None else uid
    try:
        entries = [entry for entry in Path("/proc").iterdir() if entry.name.isdigit()]
    except OSError:
        return []
    found = []
    for entry in entries:
        with contextlib.suppress(OSError, ValueError, IndexError):
            if entry.stat().st_uid != owner:
                continue
            fields = (entry / "stat").read_text(encoding="ascii", errors="replace").rsplit(")", 1)[1].split()
            if fields[0] not in {"Z", "X"} and (uid is not None or int(fields[2]) == pgid):
                found.append(int(entry.name))
    return found


def _disk_used(folder: Path, budget: int) -> int:
    """Bytes held by the work folder; a flood of entries counts as over budget."""
    used = 0
    for count, (_, info) in enumerate(_walk(folder)):
        if count > _MAX_WORK_ENTRIES:
            return budget + 1
        used += info.st_blocks * 512
    return used


# ---------------------------------------------------------------------------------------
# Naming what happened

# What runtimes print when an allocation fails under RLIMIT_DATA: Python, Go, Node, JVM,
# .NET/Mono, C++, Rust, Ruby, PHP, GHC, and the C library's strerror(ENOMEM).
_OUT_OF_MEMORY = re.compile(
    r"MemoryError|out of memory|OutOfMemory|Cannot allocate memory|insufficient memory|bad_alloc"
    r"|memory allocation of \d+ bytes failed|failed to allocate memory|Allocation failed"
    r"|Unable to commit \d+ bytes|Allowed memory size of \d+ bytes exhausted",
    re.IGNORECASE,
)


def _oom_kills() -> int:
    """How many processes the kernel's OOM killer has killed since boot (-1: unknown)."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/vmstat").read_text(encoding="ascii").splitlines():
            if line.startswith("oom_kill "):
                return int(line.split()[1])
    return -1


def _result(outcome: _Outcome, limits: Limits, isolated: bool, start: float, oom_before: int) -> RunResult:
    code = os.waitstatus_to_exitcode(outcome.status)
    returncode: int | None = code if code >= 0 else None
    sig: int | None = -code if code < 0 else None
    if isolated and returncode is not None and 128 < returncode <= 128 + 64:
        # bwrap reports a program killed by signal N as exit status 128 + N.
        sig = returncode - 128
        returncode = None
    seconds = time.monotonic() - start
    # Resource use is known only without bwrap: bwrap's outer process exits before it reaps
    # the namespace's init, so wait4 sees none of the program's usage.
    usage = None if isolated else outcome.rusage
    cpu_soft = max(1, int(limits.cpu_seconds + 0.999))
    foreign_kill = sig == signal.SIGKILL and not outcome.killed
    oom_killed = foreign_kill and oom_before >= 0 and _oom_kills() > oom_before
    # RLIMIT_CPU sends SIGXCPU at the soft limit and SIGKILL a second later.
    if usage is not None:
        cpu_killed = foreign_kill and usage.ru_utime + usage.ru_stime >= cpu_soft
    else:
        cpu_killed = foreign_kill and not oom_killed and seconds >= cpu_soft / (os.cpu_count() or 1)
    timed_out = outcome.timed_out or cpu_killed or (sig == signal.SIGXCPU and not outcome.killed)
    stdout, stderr = outcome.out.text(), outcome.err.text()
    stopped = timed_out or outcome.flooded or outcome.disk_exceeded
    max_rss = usage.ru_maxrss * 1024 if usage is not None else 0
    memory = (
        returncode != 0
        and not stopped
        and (
            oom_killed
            or max_rss >= 0.9 * limits.memory_bytes
            or _OUT_OF_MEMORY.search(stderr[-4096:] + "\n" + stdout[-4096:]) is not None
        )
    )
    return RunResult(
        returncode=returncode,
        signal=sig,
        stdout=stdout,
        stderr=stderr,
        timed_out=timed_out,
        output_truncated=outcome.flooded or bool(outcome.out.omitted or outcome.err.omitted),
        seconds=seconds,
        memory_exceeded=memory,
        disk_exceeded=outcome.disk_exceeded,
        isolated=isolated,
    )
