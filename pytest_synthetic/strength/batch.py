"""Python variants in one sandboxed process: a driver forks a child per variant.

Starting a sandbox and an interpreter costs far more than running a small program, and a
strength test runs ~20 of them per entry. Here one sandboxed `python3` runs a driver that,
for each variant, forks (a fresh copy of a process that never ran entry code), runs the
assembled program as `__main__` in its own folder with its own completion secret on file
descriptor 3, and kills it (and what it started) at the per-variant deadline.

Not a security boundary between variants: all of them are mutants of the same reference,
and the sandbox around the whole batch stays the boundary to the host. A reference written
to defeat mutation testing can do so anyway (e.g. by hashing its own source).
"""

from __future__ import annotations

import base64
import json
import math
import os
import secrets
import shlex
import shutil
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from pytest_synthetic import sandbox, toolchains
from pytest_synthetic.languages.base import Language, Program, Step
from pytest_synthetic.runner import Verdict, classify_failure, completed
from pytest_synthetic.strength import jvm_batch

LANGUAGES = frozenset({"python"})  # whose variants run batched
DRIVER = "synthetic_batch.py"
_TAIL_BYTES = 4096
_MIN_DEADLINE = 2  # seconds a mutant may always run (shell batch)

DRIVER_SOURCE = r"""
import json, os, sys, time, types
SECRET = os.read(os.open("/dev/fd/3", os.O_RDONLY), 4096)
os.close(3)
TIMEOUT = float(sys.argv[1])
COUNT = int(sys.argv[2])
TAIL = int(sys.argv[3])


def child(index, code, token_fd, out_path):
    status = 1
    try:
        os.setpgid(0, 0)  # its own group: the deadline kills whatever it started
        out = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(out, 1)
        os.dup2(out, 2)
        os.close(out)
        if token_fd != 3:  # the driver closed its own 3, so the pipe may already be there
            os.dup2(token_fd, 3)
            os.close(token_fd)
        os.chdir("v%d" % index)
        module = types.ModuleType("__main__")
        module.__file__ = os.path.abspath("main.py")
        sys.modules["__main__"] = module
        sys.argv = ["main.py"]
        exec(code, module.__dict__)
        status = 0
    except SystemExit as stop:
        if stop.code is None or isinstance(stop.code, int):
            status = stop.code or 0
        else:
            print(stop.code, file=sys.stderr)
    except BaseException:
        import traceback
        traceback.print_exc()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException:
        pass
    os._exit(status & 0xFF)


def tail(path):
    with open(path, "rb") as handle:
        handle.seek(0, 2)
        handle.seek(max(0, handle.tell() - TAIL))
        return handle.read().decode("utf-8", "replace")


def run(index, timeout):
    with open(os.path.join("v%d" % index, "main.py"), "rb") as handle:
        source = handle.read()
    try:
        code = compile(source, os.path.abspath(os.path.join("v%d" % index, "main.py")), "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as error:
        return ["compile error", repr(error)[:TAIL]]
    token = os.urandom(16).hex()
    read_end, write_end = os.pipe()
    os.write(write_end, token.encode())
    os.close(write_end)
    out_path = os.path.abspath("out%d.txt" % index)
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        child(index, code, read_end, out_path)
    os.close(read_end)
    started = time.monotonic()
    deadline = started + timeout
    status = None
    while status is None:
        done, code_or_zero = os.waitpid(pid, os.WNOHANG)
        if done:
            status = code_or_zero
        elif time.monotonic() >= deadline:
            break
        else:
            time.sleep(0.002)
    try:
        os.killpg(pid, 9)
    except OSError:
        pass
    if status is None:
        os.waitpid(pid, 0)
        return ["timeout", tail(out_path)]
    output = tail(out_path)
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    exited_zero = os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    if exited_zero and lines and lines[-1] == token:
        return ["passed", time.monotonic() - started]
    return ["incomplete" if exited_zero else "failed", output]


# Program 0 is the unchanged reference: it must pass here too (else the batch proves nothing),
# and its time sets the deadline of the others (a mutant stuck in a loop is the common case).
results = [run(0, TIMEOUT)]
if results[0][0] == "passed":
    deadline = min(TIMEOUT, max(1.0, 10 * results[0][1]))
    results += [run(index, deadline) for index in range(1, COUNT)]
sys.stdout.write("\n" + json.dumps(results) + "\n" + SECRET.decode() + "\n")
sys.stdout.flush()
"""

_VERDICTS = {
    "passed": Verdict.PASSED,
    "compile error": Verdict.COMPILE_ERROR,
    "compile timeout": Verdict.COMPILE_ERROR,  # not built: not counted
    "timeout": Verdict.TIMEOUT,
    "incomplete": Verdict.INCOMPLETE,
}


def _run_step(program: Program) -> Step | None:
    runs = [step for step in program.steps if step.name == "run"]
    return runs[0] if len(runs) == 1 and program.main_file in runs[0].argv else None


@dataclass(frozen=True)
class _Resolved:
    executables: dict[str, str]  # command -> real path on the host
    readonly: list[Path]


def _resolve(programs: list[Program]) -> _Resolved | None:
    executables: dict[str, str] = {}
    readonly: list[Path] = []
    for command in {step.argv[0] for program in programs for step in program.steps}:
        if command.startswith("./"):  # built by an earlier step, in the variant's folder
            executables[command] = command
            continue
        found = toolchains.which(command)
        if found is None:
            return None
        executables[command] = os.path.realpath(found)  # a venv's python3 links into another folder
        root = toolchains.install_root(executables[command])
        if root is not None and root not in readonly:
            readonly.append(root)
    for folder in {Path(read) for program in programs for step in program.steps for read in step.reads}:
        if folder not in readonly:
            readonly.append(folder)
    return _Resolved(executables, readonly)


def _write(workdir: Path, index: int, program: Program) -> None:
    for relative, text in program.files.items():
        target = workdir / f"v{index}" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def _verdicts(
    language: Language, assertions: str, programs: list[Program | None], rows: list[list[str]], expected: int
) -> list[Verdict] | None:
    if len(rows) != expected or rows[0][0] != "passed":  # the reference did not pass in the batch
        return None
    verdicts = iter(_VERDICTS.get(kind) or classify_failure(language, output, assertions) for kind, output in rows[1:])
    return [next(verdicts) if program is not None else Verdict.NOT_EXECUTABLE for program in programs]


def run_batch(
    language: Language, assertions: str, reference: Program, programs: list[Program | None], run_seconds: float
) -> list[Verdict] | None:
    """The verdict of each program (None: it could not be assembled -> NOT_EXECUTABLE), or
    None for the whole batch when it could not run (the caller then runs them one by one).

    Program 0 of the batch is the unchanged reference: it must pass there too (else the batch
    proves nothing), and its time sets the deadline of the others.
    """
    runnable = [reference, *(p for p in programs if p is not None)]
    resolved = _resolve(runnable)
    if resolved is None:
        return None
    if language.key in LANGUAGES:
        rows = _python_batch(runnable, resolved, run_seconds)
    else:
        rows = _shell_batch(runnable, resolved, run_seconds, language.key)
    return None if rows is None else _verdicts(language, assertions, programs, rows, len(runnable))


def _sandboxed(  # noqa: PLR0917 - private, two call sites
    workdir: Path,
    argv: list[str],
    limits: sandbox.Limits,
    resolved: _Resolved,
    env: dict[str, str],
    writable: list[Path] | None = None,
) -> list[list[str]] | None:
    secret = secrets.token_hex(16)
    paths = dict.fromkeys(str(Path(e).parent) for e in resolved.executables.values() if not e.startswith("./"))
    environment = {"PATH": ":".join([*paths, "/usr/local/bin", "/usr/bin", "/bin"]), **env}
    result = sandbox.run_sandboxed(
        argv,
        workdir,
        limits,
        env=environment,
        secret=secret.encode(),
        readonly_paths=resolved.readonly,
        writable_paths=writable or [],
    )
    if result.returncode != 0 or not completed(result.stdout, secret):
        return None
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    try:
        rows = json.loads(lines[-2]) if len(lines) >= 2 else None
    except ValueError:
        return None
    return rows if isinstance(rows, list) else None


def _python_batch(runnable: list[Program], resolved: _Resolved, run_seconds: float) -> list[list[str]] | None:
    step = _run_step(runnable[0])
    if step is None or any(_run_step(p) != step for p in runnable):
        return None
    executable = resolved.executables[step.argv[0]]
    argv = [executable, *(DRIVER if a == runnable[0].main_file else a for a in step.argv[1:])]
    argv += [str(run_seconds), str(len(runnable)), str(_TAIL_BYTES)]
    # the driver's own budget: every variant may use its deadline, plus forking and reading
    total = len(runnable) * (run_seconds + 0.5) + 5
    limits = replace(step.limits, wall_seconds=total, cpu_seconds=total)
    workdir = Path(tempfile.mkdtemp(prefix="synthetic-strength-"))
    try:
        (workdir / DRIVER).write_text(DRIVER_SOURCE, encoding="utf-8")
        for index, program in enumerate(runnable):
            _write(workdir, index, program)
        env = {k: v.replace("{workdir}", str(workdir)) for k, v in step.env}
        return _sandboxed(workdir, argv, limits, resolved, env)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


# ---- any language: a shell script runs every variant's steps in one sandbox -------------------

SHELL_PROLOGUE = r"""
ROOT="$(pwd)"
SECRET="$(cat <&3)"
exec 3<&-
DEADLINE=%(deadline)d
CAP=%(deadline)d
CPU=none
ROWS=""
row() { # kind, output file: one JSON row per variant
    tail_text=""
    if [ -n "$2" ]; then tail_text=$(tail -c %(tail)d "$2" | base64 -w0); fi
    ROWS="$ROWS${ROWS:+,}[\"$1\",\"$tail_text\"]"
}
timed_out() { [ "$1" -eq 124 ] || [ "$1" -eq 137 ] || [ "$1" -eq 152 ]; }  # 152: SIGXCPU
"""
SHELL_EPILOGUE = r"""
printf '\n[%s]\n%s\n' "$ROWS" "$SECRET"
"""


def _command(step: Step, resolved: _Resolved, root: str) -> str:
    cache = str(toolchains.build_cache_dir())
    env = [f"{key}={value.replace('{cache}', cache).replace('{workdir}', root)}" for key, value in step.env]
    argv = [resolved.executables[step.argv[0]], *step.argv[1:]]
    return " ".join(shlex.quote(part) for part in ["env", *env, *argv])


def _shell_build(index: int, program: Program, resolved: _Resolved, root: str) -> str:
    """The compile steps of one variant; its status file says `built` or why not."""
    out, err, status = f'"$ROOT/o{index}"', f'"$ROOT/e{index}"', f'"$ROOT/s{index}"'
    lines = [
        f'[ "$(cat {status} 2>/dev/null)" = built ] && continue',  # built by a shared compiler already
        f'cd "$ROOT/v{index}" || {{ echo "compile error" > {status}; continue; }}',
    ]
    for step in program.steps[:-1]:
        lines += [
            f"timeout -k 2 {math.ceil(step.limits.wall_seconds)} {_command(step, resolved, root)} > {out} 2> {err}",
            f'rc=$?; if [ $rc -ne 0 ]; then if timed_out $rc; then echo "compile timeout" > {status}; '
            f'else cat {out} >> {err}; echo "compile error" > {status}; fi; continue; fi',
        ]
    lines.append(f"echo built > {status}")
    return "\n".join(lines)


def _shell_run(index: int, program: Program, resolved: _Resolved, root: str) -> str:
    """The run step of one built variant, and its row."""
    out, err, token, status = f'"$ROOT/o{index}"', f'"$ROOT/e{index}"', f'"$ROOT/t{index}"', f'"$ROOT/s{index}"'
    lines = [
        f'state=$(cat {status} 2>/dev/null); if [ "$state" != built ]; then row "${{state:-compile error}}" '
        f'"$( [ -f {err} ] && echo {err} )"; continue; fi',
        f'cd "$ROOT/v{index}" || {{ row failed ""; continue; }}',
        f"printf %s {secrets.token_hex(16)} > {token}",
        "started=$(date +%s%3N)",
        # A mutant's processor time is capped too: a loop ends when it has used what the
        # reference needed 5 times over, however busy the machine is (its wall time is not).
        f'( [ "$CPU" = none ] || ulimit -t "$CPU"; exec timeout -k 2 "$DEADLINE" '
        f"{_command(program.steps[-1], resolved, root)} ) 3< {token} > {out} 2> {err}",
        "rc=$?",
        "elapsed=$(( $(date +%s%3N) - started ))",
        f'last=$(grep -v "^[[:space:]]*$" {out} | tail -n 1 | tr -d "[:space:]")',
        'if timed_out $rc; then row timeout ""; '
        f'elif [ $rc -eq 0 ] && [ "$last" = "$(cat {token})" ]; then row passed ""; '
        f"elif [ $rc -eq 0 ]; then row incomplete {out}; else cat {out} >> {err}; row failed {err}; fi",
    ]
    if index == 0:  # the reference sets the deadlines of the mutants: 5x its time and a second
        lines.append(
            f"DEADLINE=$(( (elapsed * 5 + 1999) / 1000 )); [ $DEADLINE -lt {_MIN_DEADLINE} ] && "
            f"DEADLINE={_MIN_DEADLINE}; [ $DEADLINE -gt $CAP ] && DEADLINE=$CAP; "
            f"CPU=$(( (elapsed * 5 + 999) / 1000 )); [ $CPU -lt 1 ] && CPU=1; [ $CPU -gt $CAP ] && CPU=$CAP"
        )
    return "\n".join(lines)


def _loop(body: str) -> str:
    """A `for` around one variant's part, so that `continue` ends it early."""
    return f'for _ in 1; do\n{body}\ndone\ncd "$ROOT"'


def _shell_batch(
    runnable: list[Program], resolved: _Resolved, run_seconds: float, language_key: str
) -> list[list[str]] | None:
    """Two phases: build every variant, then run every one that built. With a shared build
    cache (Go's) the phases are two sandboxes, and only the first sees the cache writable.
    A JVM language first compiles every variant in one compiler process (jvm_batch)."""
    if any(sum(1 for s in p.steps if s.name == "run") != 1 or p.steps[-1].name != "run" for p in runnable):
        return None
    shell = resolved.executables.get("sh") or "/bin/sh"
    cached = any("{cache}" in value for p in runnable for s in p.steps for _, value in s.env)
    workdir = Path(tempfile.mkdtemp(prefix="synthetic-strength-"))
    try:
        root = str(workdir)
        prologue = SHELL_PROLOGUE % {"deadline": math.ceil(run_seconds), "tail": _TAIL_BYTES}
        build = [_loop(_shell_build(i, p, resolved, root)) for i, p in enumerate(runnable)]
        java = resolved.executables.get("java") or toolchains.which("java")
        shared = jvm_batch.prelude(language_key, runnable, root, java) if java else None
        if shared is not None:
            build = [shared[0], *build]
            resolved = replace(resolved, readonly=[*resolved.readonly, *shared[1]])
        run = [_loop(_shell_run(i, p, resolved, root)) + f'; rm -rf "$ROOT/v{i}"' for i, p in enumerate(runnable)]
        for index, program in enumerate(runnable):
            _write(workdir, index, program)
        compile_seconds = sum(s.limits.wall_seconds for p in runnable for s in p.steps[:-1]) + 10
        run_total = len(runnable) * (run_seconds + 3) + 10
        memory = max(s.limits.memory_bytes for p in runnable for s in p.steps)
        base = replace(runnable[0].steps[-1].limits, memory_bytes=memory)
        if cached:
            (workdir / "build.sh").write_text("\n".join([prologue, *build, SHELL_EPILOGUE]), encoding="utf-8")
            limits = replace(base, wall_seconds=compile_seconds, cpu_seconds=compile_seconds)
            writable = [toolchains.build_cache_dir()]
            if _sandboxed(workdir, [shell, "build.sh"], limits, resolved, {}, writable) is None:
                return None
            script, total = [prologue, *run, SHELL_EPILOGUE], run_total
        else:
            script, total = [prologue, *build, *run, SHELL_EPILOGUE], compile_seconds + run_total
        (workdir / "batch.sh").write_text("\n".join(script), encoding="utf-8")
        limits = replace(base, wall_seconds=total, cpu_seconds=total)
        rows = _sandboxed(workdir, [shell, "batch.sh"], limits, resolved, {})
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if rows is None:
        return None
    return [[kind, base64.b64decode(output).decode("utf-8", errors="replace")] for kind, output in rows]


def assemble_all(language: Language, sources: list[str], assertions: str, function_name: str) -> list[Program | None]:
    assemble = language.assemble
    assert assemble is not None
    programs: list[Program | None] = []
    for source in sources:
        try:
            programs.append(assemble(source, assertions, function_name))
        except Exception:  # NotRunnable, or an assembler tripping over a mutant: the variant is not counted
            programs.append(None)
    return programs
