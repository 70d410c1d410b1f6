"""Hostile programs against the sandbox: every run must end in bounded time and leave the
host as it was. Real programs (python3, sh, small C programs) play the model's code.

Most tests run twice: inside namespaces ("isolated", skipped where bubblewrap cannot run)
and in the weak fallback. Threats only namespaces contain (files, network, signals to
the parent, secrets in other processes' environments) are tested on the isolated path.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from pytest_synthetic import sandbox
from pytest_synthetic.sandbox import (
    COMPLETION_FD,
    Limits,
    MiB,
    RunResult,
    SandboxUnavailable,
    clean_environment,
    describe,
    isolation_available,
    run_sandboxed,
)

# A system interpreter: the sandbox shows the system folders, not a virtualenv's.
PYTHON = shutil.which("python3", path=os.defpath)
GCC = shutil.which("gcc", path=os.defpath) or shutil.which("cc", path=os.defpath)
AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
BOUND = 20.0  # seconds: generous, for limits of 2-3 s on a loaded 2-core machine

pytestmark = [
    pytest.mark.skipif(PYTHON is None, reason="needs a system python3 in /usr/bin or /bin"),
    pytest.mark.skipif(sys.platform == "win32", reason="POSIX only"),
]


@pytest.fixture(params=["isolated", "fallback"])
def isolate(request: pytest.FixtureRequest) -> bool:
    if request.param == "isolated":
        if not isolation_available():
            pytest.skip(f"no namespace isolation here: {describe()}")
        return True
    return False


@pytest.fixture
def isolated() -> bool:
    if not isolation_available():
        pytest.skip(f"no namespace isolation here: {describe()}")
    return True


@pytest.fixture
def workdir() -> Iterator[Path]:
    """A run folder made like the runner makes it (under the system temp folder)."""
    folder = Path(tempfile.mkdtemp(prefix="synthetic-sandbox-test-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def python(
    code: str, workdir: Path, isolate: bool, *args: str, limits: Limits | None = None, **kw: object
) -> RunResult:
    assert PYTHON is not None
    argv = [PYTHON, "-c", textwrap.dedent(code), *args]
    started = time.monotonic()
    result = run_sandboxed(argv, workdir, limits or Limits(), isolate=isolate, **kw)  # type: ignore[arg-type]
    assert time.monotonic() - started < BOUND + 10, "the run was not stopped in bounded time"
    return result


def processes_with(marker: str) -> list[int]:
    """Live processes whose command line holds the marker (zombies have an empty one)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def unique(name: str) -> str:
    return f"synthetic-{name}-{uuid.uuid4().hex[:12]}"


@pytest.fixture(scope="session")
def c_programs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Small hostile C programs, built once."""
    if GCC is None:
        pytest.skip("needs gcc")
    folder = tmp_path_factory.mktemp("c-programs")
    sources = {
        "burn": """
            #include <pthread.h>
            static void *spin(void *arg) { volatile unsigned long n = 0; for (;;) n++; return arg; }
            int main(void) {
                pthread_t t;
                for (int i = 0; i < 8; i++) pthread_create(&t, 0, spin, 0);
                spin(0);
            }
        """,
        "eat": """
            #include <stdio.h>
            #include <stdlib.h>
            #include <string.h>
            int main(void) {
                for (;;) {
                    char *block = malloc(16 << 20);
                    if (!block) { perror("malloc"); return 1; }
                    memset(block, 1, 16 << 20);
                }
            }
        """,
    }
    for name, source in sources.items():
        (folder / f"{name}.c").write_text(textwrap.dedent(source))
        subprocess.run([GCC, "-O1", "-pthread", "-o", str(folder / name), str(folder / f"{name}.c")], check=True)
    return folder


def copy_program(c_programs: Path, name: str, workdir: Path) -> str:
    target = workdir / name
    shutil.copy2(c_programs / name, target)
    return str(target)


# ---------------------------------------------------------------------------------------
# The basics


def test_describe_says_which_isolation() -> None:
    text = describe()
    if isolation_available():
        assert "bubblewrap" in text
        assert "no network" in text
    else:
        assert "WEAK fallback" in text


def test_runs_a_program_and_captures_both_streams(workdir: Path, isolate: bool) -> None:
    result = python("import sys; print('out'); print('err', file=sys.stderr); sys.exit(3)", workdir, isolate)
    assert (result.returncode, result.signal) == (3, None)
    assert result.stdout == "out\n"
    assert result.stderr == "err\n"
    assert not result.ok
    assert result.isolated is isolate
    assert python("pass", workdir, isolate).ok


def test_secret_reaches_fd_3_and_reads_only_once(workdir: Path, isolate: bool) -> None:
    code = """
        first = open('/dev/fd/3').read()
        second = open('/dev/fd/3').read()
        print(repr(first), repr(second))
    """
    result = python(code, workdir, isolate, secret=b"per-run-secret-42")
    assert result.stdout.strip() == "'per-run-secret-42' ''"
    assert COMPLETION_FD == 3


def test_without_a_secret_fd_3_is_closed(workdir: Path, isolate: bool) -> None:
    result = python(
        "import os\ntry:\n    os.fstat(3)\n    print('open')\nexcept OSError:\n    print('closed')", workdir, isolate
    )
    assert result.stdout.strip() == "closed"


def test_no_descriptor_of_the_pytest_process_leaks_in(workdir: Path, isolate: bool, tmp_path: Path) -> None:
    leaked = os.open(tmp_path / "pytest-log", os.O_CREAT | os.O_WRONLY)
    os.set_inheritable(leaked, True)  # as a careless C library would leave it
    try:
        code = """
            import os
            open_fds = []
            for fd in range(3, 1024):
                try:
                    os.fstat(fd)
                    open_fds.append(fd)
                except OSError:
                    pass
            print(open_fds)
        """
        result = python(code, workdir, isolate, secret=b"s")
    finally:
        os.close(leaked)
    assert result.stdout.strip() == "[3]", result.stdout  # only the secret


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/status")
def test_program_runs_without_privileges(workdir: Path, isolate: bool) -> None:
    code = """
        import os
        status = dict(line.split(':', 1) for line in open('/proc/self/status'))
        print(os.getuid(), status['NoNewPrivs'].strip(), int(status['CapEff'], 16))
    """
    uid, no_new_privs, capabilities = python(code, workdir, isolate).stdout.split()
    assert int(uid) != 0
    assert no_new_privs == "1", "setuid programs must not raise privileges"
    assert capabilities == "0"


def test_crafted_arguments_never_reach_a_shell(workdir: Path, isolate: bool) -> None:
    hostile = ["; touch pwned", "$(touch pwned2)", "`touch pwned3`", "../../etc/passwd", "a b\nc", "'\""]
    result = python("import sys, json; print(json.dumps(sys.argv[1:]))", workdir, isolate, *hostile)
    assert json.loads(result.stdout) == hostile
    assert not list(workdir.glob("pwned*"))


def test_odd_work_folder_name_is_used_verbatim(isolate: bool) -> None:
    folder = Path(tempfile.mkdtemp(prefix="odd $(touch x); 'q\" ` name-"))
    try:
        result = python("import os; print(os.getcwd()); print(os.environ['HOME'])", folder, isolate)
        assert result.stdout.splitlines() == [str(folder), str(folder)]
        assert sorted(p.name for p in folder.iterdir()) == []
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_unknown_command_is_a_result_not_an_exception(workdir: Path, isolate: bool) -> None:
    result = run_sandboxed([unique("no-such-command")], workdir, Limits(), isolate=isolate)
    assert result.returncode in {126, 127}
    assert not result.ok


def test_caller_mistakes_raise(workdir: Path) -> None:
    with pytest.raises(ValueError):
        run_sandboxed([], workdir, Limits())
    with pytest.raises(ValueError):
        run_sandboxed(["echo", "nul\0byte"], workdir, Limits())
    with pytest.raises(ValueError):
        run_sandboxed(["true"], workdir / "missing", Limits())


def test_requiring_isolation_fails_loudly_without_it(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    weak = sandbox._Backend(None, AS_ROOT, None, False, "bwrap missing (simulated)")
    monkeypatch.setattr(sandbox, "_backend", lambda: weak)
    assert not isolation_available()
    assert "WEAK fallback (bwrap missing (simulated))" in describe()
    with pytest.raises(SandboxUnavailable):
        run_sandboxed(["true"], workdir, Limits(), isolate=True)
    assert run_sandboxed(["true"], workdir, Limits()).isolated is False


# ---------------------------------------------------------------------------------------
# Time


def test_endless_loop_is_stopped_at_the_wall_clock(workdir: Path, isolate: bool) -> None:
    result = python("while True: pass", workdir, isolate, limits=Limits(wall_seconds=2, cpu_seconds=60))
    assert result.timed_out
    assert not result.ok
    assert result.seconds < BOUND


def test_sleeper_that_ignores_sigterm_is_stopped(workdir: Path, isolate: bool) -> None:
    code = """
        import signal, time
        for name in ('SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR1'):
            signal.signal(getattr(signal, name), signal.SIG_IGN)
        time.sleep(1000)
    """
    result = python(code, workdir, isolate, limits=Limits(wall_seconds=2))
    assert result.timed_out
    assert result.seconds < BOUND


def test_threads_burning_every_core_hit_the_cpu_limit(workdir: Path, isolate: bool, c_programs: Path) -> None:
    program = copy_program(c_programs, "burn", workdir)
    result = run_sandboxed([program], workdir, Limits(wall_seconds=BOUND + 20, cpu_seconds=1), isolate=isolate)
    assert result.timed_out
    assert result.seconds < BOUND, "stopped by the CPU limit, well before the wall clock"


# ---------------------------------------------------------------------------------------
# Memory and processes


def test_memory_exhaustion_is_named(workdir: Path, isolate: bool) -> None:
    code = """
        blocks = []
        while True:
            blocks.append(bytearray(64 << 20))
    """
    result = python(code, workdir, isolate, limits=Limits(memory_bytes=256 * MiB))
    assert result.memory_exceeded
    assert not result.timed_out
    assert "MemoryError" in result.stderr
    assert result.seconds < BOUND


def test_native_memory_exhaustion_is_named(workdir: Path, isolate: bool, c_programs: Path) -> None:
    program = copy_program(c_programs, "eat", workdir)
    result = run_sandboxed([program], workdir, Limits(memory_bytes=256 * MiB), isolate=isolate)
    assert result.memory_exceeded, result
    assert result.returncode == 1


def test_memory_limit_leaves_room_for_normal_programs(workdir: Path, isolate: bool) -> None:
    result = python("b = bytearray(100 << 20); print(len(b))", workdir, isolate, limits=Limits(memory_bytes=256 * MiB))
    assert result.ok
    assert not result.memory_exceeded


def test_process_count_is_limited(workdir: Path, isolate: bool) -> None:
    code = """
        import os, time
        started = 0
        for _ in range(200):
            try:
                pid = os.fork()
            except OSError:
                break
            if pid == 0:
                time.sleep(30)
                os._exit(0)
            started += 1
        print(started)
    """
    result = python(code, workdir, isolate, unique("nproc"), limits=Limits(processes=20))
    assert result.returncode == 0, result
    assert 0 < int(result.stdout) < 20


def test_fork_bomb_ends_and_leaves_nothing(workdir: Path, isolate: bool) -> None:
    marker = unique("forkbomb")
    code = """
        import os
        while True:
            try:
                os.fork()
            except OSError:
                pass
    """
    result = python(code, workdir, isolate, marker, limits=Limits(wall_seconds=3, processes=64))
    assert result.timed_out
    assert result.seconds < BOUND
    assert processes_with(marker) == []
    assert subprocess.run(["true"], check=False).returncode == 0  # the host can still start processes


def test_detached_double_forked_child_does_not_outlive_the_run(workdir: Path, isolate: bool) -> None:
    if not isolate and not AS_ROOT:
        pytest.skip("the fallback cannot find setsid'ed children of an ordinary user (documented)")
    marker = unique("orphan")
    code = """
        import os, sys, time
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                devnull = os.open(os.devnull, os.O_RDWR)
                for fd in (0, 1, 2):
                    os.dup2(devnull, fd)
                os.execvp('sleep', ['sleep', '1000', sys.argv[1]])
            os._exit(0)
        time.sleep(0.3)
        print('parent exits 0')
    """
    result = python(code, workdir, isolate, marker)
    assert result.ok
    assert processes_with(marker) == []


# ---------------------------------------------------------------------------------------
# Output


@pytest.mark.parametrize("stream", ["stdout", "stderr"])
def test_output_flood_is_cut_and_stopped(workdir: Path, isolate: bool, stream: str) -> None:
    code = f"""
        import sys
        line = 'x' * 1023 + '\\n'
        while True:
            sys.{stream}.write(line)
    """
    limits = Limits(output_bytes=4096, flood_bytes=2 * MiB, wall_seconds=BOUND + 20)
    result = python(code, workdir, isolate, limits=limits)
    assert result.output_truncated
    assert not result.timed_out, "stopped by the flood limit, not the clock"
    assert result.seconds < BOUND
    for text in (result.stdout, result.stderr):
        assert len(text) < 4096 + 200


def test_last_line_survives_a_flood(workdir: Path, isolate: bool) -> None:
    code = """
        import sys
        for i in range(3000):
            print('noise ' * 170)
        print('FINAL-MARKER')
    """
    result = python(code, workdir, isolate, limits=Limits(output_bytes=8192))
    assert result.ok
    assert result.output_truncated
    assert result.stdout.startswith("noise ")
    assert result.stdout.splitlines()[-1] == "FINAL-MARKER"
    assert "bytes left out by the sandbox" in result.stdout
    assert len(result.stdout) < 8192 + 200


def test_binary_garbage_output_is_decoded(workdir: Path, isolate: bool) -> None:
    result = python("import os, sys; sys.stdout.buffer.write(bytes(range(256)) * 4)", workdir, isolate)
    assert result.ok
    assert "\ufffd" in result.stdout


def test_unread_stdin_cannot_block_the_run(workdir: Path, isolate: bool) -> None:
    result = python("import time; time.sleep(0.2); print('done')", workdir, isolate, stdin=b"z" * (8 * MiB))
    assert result.ok
    assert result.stdout == "done\n"
    echoed = python("import sys; print(len(sys.stdin.buffer.read()))", workdir, isolate, stdin=b"z" * (3 * MiB))
    assert echoed.stdout.strip() == str(3 * MiB)


# ---------------------------------------------------------------------------------------
# Disk


def test_filling_the_work_folder_is_stopped(workdir: Path, isolate: bool) -> None:
    code = """
        import os
        block = b'd' * (1 << 20)
        i = 0
        while True:
            with open(f'fill-{i}', 'wb') as out:
                out.write(block)
            i += 1
    """
    limits = Limits(disk_bytes=32 * MiB, wall_seconds=BOUND + 20)
    result = python(code, workdir, isolate, limits=limits)
    assert result.disk_exceeded
    assert not result.ok
    assert result.seconds < BOUND
    used = sum(p.stat().st_size for p in workdir.iterdir())
    assert used < 1024 * MiB


def test_one_huge_file_stops_at_the_file_size_limit(workdir: Path, isolate: bool) -> None:
    code = """
        with open('huge', 'wb') as out:
            for _ in range(100):
                out.write(b'h' * (1 << 20))
    """
    result = python(code, workdir, isolate, limits=Limits(file_size_bytes=8 * MiB))
    assert not result.ok
    assert (workdir / "huge").stat().st_size <= 8 * MiB


def test_private_tmp_and_shm_are_small(workdir: Path, isolated: bool) -> None:
    code = """
        import errno, os
        for folder in ('/tmp', '/dev/shm'):
            written = 0
            try:
                for i in range(1000):
                    with open(f'{folder}/fill-{i}', 'wb') as out:
                        out.write(b't' * (1 << 20))
                    written += 1 << 20
            except OSError as error:
                print(folder, errno.errorcode[error.errno], written)
    """
    result = python(code, workdir, isolated, limits=Limits(disk_bytes=16 * MiB))
    lines = [line.split() for line in result.stdout.splitlines()]
    assert [line[:2] for line in lines] == [["/tmp", "ENOSPC"], ["/dev/shm", "ENOSPC"]], result
    assert all(int(line[2]) <= 16 * MiB for line in lines)


# ---------------------------------------------------------------------------------------
# Files outside the work folder


def test_files_outside_the_work_folder_are_invisible_and_intact(workdir: Path, isolated: bool, tmp_path: Path) -> None:
    secret_text = unique("canary")
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "id_ed25519").write_text(secret_text)
    dataset = tmp_path / "datasets" / "synthetic.jsonl"
    dataset.parent.mkdir()
    dataset.write_text(json.dumps({"query_id": secret_text}) + "\n")
    other_entry = Path(tempfile.mkdtemp(prefix="synthetic-run-other-"))
    (other_entry / "main.py").write_text(secret_text)
    repository = Path(__file__).resolve().parents[1]
    canaries = [home / ".ssh" / "id_ed25519", dataset, other_entry / "main.py"]
    before = {path: path.read_bytes() for path in canaries}
    targets = [*map(str, canaries), str(repository / "pyproject.toml"), str(Path("~/.bashrc").expanduser())]
    code = """
        import json, os, sys
        report = {}
        for path in sys.argv[1:]:
            seen = []
            try:
                seen.append('read:' + open(path).read())
            except OSError as error:
                seen.append('no-read:' + type(error).__name__)
            try:
                with open(path, 'a') as out:
                    out.write('tampered')
                seen.append('wrote')
            except OSError:
                pass
            try:
                os.remove(path)
                seen.append('deleted')
            except OSError:
                pass
            try:
                seen.append('listed:' + ','.join(os.listdir(os.path.dirname(path))))
            except OSError:
                pass
            report[path] = seen
        for system in ('/usr/bin/pwned', '/etc/pwned', '/pwned'):
            try:
                open(system, 'w').write('x')
                report[system] = ['wrote']
            except OSError as error:
                report[system] = [type(error).__name__]
        print(json.dumps(report))
    """
    try:
        result = python(code, workdir, isolated, *targets)
        report = json.loads(result.stdout)
        for path in targets:
            assert report[path] == ["no-read:FileNotFoundError"], (path, report[path])
        for system in ("/usr/bin/pwned", "/etc/pwned", "/pwned"):
            assert report[system] != ["wrote"]
        assert secret_text not in result.stdout + result.stderr
        assert {path: path.read_bytes() for path in canaries} == before
    finally:
        shutil.rmtree(other_entry, ignore_errors=True)


@pytest.mark.skipif(not AS_ROOT, reason="folders are handed to a throwaway uid only when running as root")
def test_planted_links_cannot_redirect_the_hand_over(workdir: Path, isolate: bool, tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("root's file")
    victim.chmod(0o600)
    code = "import os, sys; os.symlink(sys.argv[1], 'link'); os.mkdir('sub'); os.symlink(sys.argv[1], 'sub/link')"
    assert python(code, workdir, isolate, str(victim)).ok
    assert python("print('next run')", workdir, isolate).ok  # hands the folder over again
    info = victim.stat()
    assert (info.st_uid, info.st_gid, info.st_mode & 0o777) == (0, 0, 0o600)


def test_extra_folders_are_bound_at_the_same_path(workdir: Path, isolated: bool, tmp_path: Path) -> None:
    toolchain = tmp_path / "toolchain"
    toolchain.mkdir()
    (toolchain / "VERSION").write_text("1.2.3")
    cache = tmp_path / "cache"
    cache.mkdir()
    code = """
        import os, sys
        toolchain, cache = sys.argv[1:]
        print(open(os.path.join(toolchain, 'VERSION')).read())
        try:
            open(os.path.join(toolchain, 'pwned'), 'w')
            print('toolchain writable')
        except OSError as error:
            print(type(error).__name__)
        open(os.path.join(cache, 'entry'), 'w').write('cached')
        open('output.txt', 'w').write('in the work folder')
        print(os.getcwd())
    """
    result = python(
        code, workdir, isolated, str(toolchain), str(cache), readonly_paths=[toolchain], writable_paths=[cache]
    )
    lines = result.stdout.splitlines()
    assert lines[0] == "1.2.3"
    assert lines[1] in {"OSError", "PermissionError"}
    assert lines[2] == str(workdir)
    assert (cache / "entry").read_text() == "cached"
    assert (workdir / "output.txt").read_text() == "in the work folder"
    assert not (toolchain / "pwned").exists()


# ---------------------------------------------------------------------------------------
# Network


def test_no_network_not_even_loopback(workdir: Path, isolated: bool) -> None:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.setblocking(False)
    datagram = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    datagram.bind(("127.0.0.1", 0))
    datagram.setblocking(False)
    abstract = unique("abstract")  # an abstract socket name: NUL + this
    unix_listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    unix_listener.bind("\0" + abstract)
    unix_listener.listen(1)
    unix_listener.setblocking(False)
    code = """
        import json, socket, sys
        port, udp_port, abstract = int(sys.argv[1]), int(sys.argv[2]), '\\0' + sys.argv[3]
        report = {}
        def attempt(name, action):
            try:
                action()
                report[name] = 'connected'
            except OSError as error:
                report[name] = type(error).__name__
        attempt('tcp-loopback', lambda: socket.create_connection(('127.0.0.1', port), timeout=2))
        attempt('tcp-internet', lambda: socket.create_connection(('1.1.1.1', 443), timeout=2))
        attempt('dns', lambda: socket.getaddrinfo('example.com', 443))
        def unix():
            s = socket.socket(socket.AF_UNIX)
            s.connect(abstract)
        attempt('abstract-unix', unix)
        def udp():
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.sendto(b'leak', ('127.0.0.1', udp_port))
        attempt('udp-loopback-send', udp)
        print(json.dumps(report))
    """
    try:
        result = python(
            code, workdir, isolated, str(listener.getsockname()[1]), str(datagram.getsockname()[1]), abstract
        )
        report = json.loads(result.stdout)
        for name in ("tcp-loopback", "tcp-internet", "dns", "abstract-unix"):
            assert report[name] != "connected", report
        with pytest.raises(BlockingIOError):
            listener.accept()
        with pytest.raises(BlockingIOError):
            unix_listener.accept()
        with pytest.raises(BlockingIOError):
            datagram.recv(16)
    finally:
        listener.close()
        datagram.close()
        unix_listener.close()


# ---------------------------------------------------------------------------------------
# Secrets and signals


def test_environment_secrets_never_reach_the_program(
    workdir: Path, isolate: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not isolate and not AS_ROOT:
        pytest.skip("in the fallback an ordinary user's program can read its parent's environment")
    canary = unique("sk-canary")
    for name in ("OPENAI_API_KEY", "GITHUB_TOKEN", "CI_JOB_TOKEN", "AWS_SECRET_ACCESS_KEY", "NPM_TOKEN"):
        monkeypatch.setenv(name, canary)
    code = """
        import os
        print(dict(os.environ))
        for pid in ('self', '1', str(os.getppid())):
            try:
                print(open(f'/proc/{pid}/environ', 'rb').read())
            except OSError as error:
                print(pid, type(error).__name__)
        with open('env-dump.txt', 'w') as out:
            out.write(repr(dict(os.environ)))
    """
    result = python(code, workdir, isolate)
    assert result.returncode == 0, result
    assert canary not in result.stdout + result.stderr
    assert canary not in (workdir / "env-dump.txt").read_text()
    assert set(clean_environment(workdir)) <= {"PATH", "LANG", "LC_ALL", "TZ", "HOME", "TMPDIR"}


def test_program_cannot_kill_its_parent_or_a_neighbour(workdir: Path, isolate: bool) -> None:
    if not isolate and not AS_ROOT:
        pytest.skip("in the fallback an ordinary user's program may signal the user's processes")
    neighbour = subprocess.Popen(["sleep", "60"], start_new_session=True)
    code = """
        import json, os, signal, sys
        report = {}
        for name, pid in (('parent', os.getppid()), ('pytest', int(sys.argv[1])), ('neighbour', int(sys.argv[2]))):
            for action, call in (('kill', os.kill), ('killpg', os.killpg)):
                try:
                    call(pid, signal.SIGKILL)
                    report[f'{action}-{name}'] = 'sent'
                except OSError as error:
                    report[f'{action}-{name}'] = type(error).__name__
        print(json.dumps(report), flush=True)
        os.kill(-1, signal.SIGKILL)  # everything it is allowed to signal
    """
    try:
        result = python(code, workdir, isolate, str(os.getpid()), str(neighbour.pid))
        time.sleep(0.2)
        assert neighbour.poll() is None, "the neighbour was killed"
        report = json.loads(result.stdout)
        assert report["kill-pytest"] != "sent" or isolate  # a pid of another namespace: ESRCH or nobody
        assert result.seconds < BOUND
    finally:
        neighbour.kill()
        neighbour.wait()


def test_pid_namespace_shows_only_the_run(workdir: Path, isolated: bool) -> None:
    code = """
        import os
        print(os.getpid(), len([name for name in os.listdir('/proc') if name.isdigit()]))
    """
    result = python(code, workdir, isolated)
    pid, count = map(int, result.stdout.split())
    assert pid < 10
    assert count < 10


@pytest.mark.parametrize("shared", ["temp", "home", "cwd"])
def test_shared_folders_are_refused_before_anything_changes_owner(
    shared: str, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Run as root, the sandbox hands its folders to a throwaway uid: a shared folder given
    # by mistake would lose its owner, so it must be refused before the hand-over.
    if shared == "temp":
        place = workdir / "everyone"
        place.mkdir()
        place.chmod(0o1777)
    else:
        place = workdir / "mine"
        (place / "project").mkdir(parents=True)
        if shared == "home":
            monkeypatch.setenv("HOME", str(place))
        else:
            monkeypatch.chdir(place / "project")
    keep = place / "keep.txt"
    keep.write_text("mine", encoding="utf-8")
    before = keep.stat()
    with pytest.raises(ValueError, match="made for the run"):
        run_sandboxed(["true"], place, Limits())
    with pytest.raises(ValueError, match="made for the run"):
        run_sandboxed(["true"], workdir, Limits(), writable_paths=[place])
    after = keep.stat()
    assert (after.st_uid, after.st_gid, after.st_mode) == (before.st_uid, before.st_gid, before.st_mode)
