"""Python variants in one sandboxed process: a driver forks a child per variant.

Starting a sandbox and an interpreter costs far more than running a small program, and a
strength test runs ~20 of them per entry. Here one sandboxed `python3` runs a driver that,
for each variant, forks (a fresh copy of a process that never ran entry code), runs the
assembled program as `__main__` in its own folder with its own completion secret on
COMPLETION_FD, and kills it (and what it started) at the per-variant deadline. The driver
only reports how each variant ended; whether it finished is decided on the host, by the
runner's own rule (batch.py).

Not a security boundary between variants: all of them are mutants of the same reference,
and the sandbox around the whole batch stays the boundary to the host. A reference written
to defeat mutation testing can do so anyway (e.g. by hashing its own source).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from pytest_synthetic import launch
from pytest_synthetic.languages.base import Program, Step
from pytest_synthetic.sandbox import COMPLETION_FD, Limits
from pytest_synthetic.strength import deadlines

DRIVER = "synthetic_batch.py"

# argv: the deadline rule (deadlines.Rule, 5 numbers), the output tail to report, the secret's
# descriptor, then one completion secret per variant. Prints one row per variant (batch.py reads
# them): [kind, exit status or null, stdout tail, stderr tail], kind "ran", "timeout" or
# "compile error".
DRIVER_SOURCE = r"""
import json, os, signal, sys, time, types
CAP, CPU_FACTOR, CPU_FLOOR, WALL_FACTOR, WALL_FLOOR = map(float, sys.argv[1:6])
TAIL = int(sys.argv[6])
FD = int(sys.argv[7])
TOKENS = sys.argv[8:]
SECRET = os.read(os.open("/dev/fd/%d" % FD, os.O_RDONLY), 4096)
os.close(FD)


def redirect(path, target):
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(handle, target)
    os.close(handle)


def child(index, code, token_fd, cpu):
    status = 1
    try:
        os.setpgid(0, 0)  # its own group: the deadline kills whatever it started
        if cpu:  # SIGPROF ends it once it has used this much processor time
            signal.setitimer(signal.ITIMER_PROF, cpu)
        redirect("out%d.txt" % index, 1)
        redirect("err%d.txt" % index, 2)
        if token_fd != FD:  # the driver closed its own FD, so the pipe may already be there
            os.dup2(token_fd, FD)
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


def wait(pid, timeout):
    # (status, processor seconds), or (None, None) when the deadline came first
    deadline = time.monotonic() + timeout
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            return status, usage.ru_utime + usage.ru_stime
        if time.monotonic() >= deadline:
            return None, None
        time.sleep(0.002)


def run(index, wall, cpu=None):
    # (row, wall seconds, processor seconds)
    with open(os.path.join("v%d" % index, "main.py"), "rb") as handle:
        source = handle.read()
    try:
        code = compile(source, os.path.abspath(os.path.join("v%d" % index, "main.py")), "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as error:
        return ["compile error", None, "", repr(error)[:TAIL]], 0.0, 0.0
    read_end, write_end = os.pipe()
    os.write(write_end, TOKENS[index].encode())
    os.close(write_end)
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        child(index, code, read_end, cpu)
    os.close(read_end)
    started = time.monotonic()
    status, used = wait(pid, wall)
    elapsed = time.monotonic() - started
    try:
        os.killpg(pid, 9)
    except OSError:
        pass
    tails = [tail("out%d.txt" % index), tail("err%d.txt" % index)]
    if status is None:
        os.waitpid(pid, 0)
        return ["timeout", None, *tails], elapsed, 0.0
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGPROF and cpu:
        return ["timeout", None, *tails], elapsed, used
    code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else None
    return ["ran", code, *tails], elapsed, used


def clamp(factor, floor, measured):
    return min(CAP, max(floor, factor * measured))


# Program 0 is the unchanged reference: the host checks that it passed here too (else the batch
# proves nothing), and its times set the limits of the others (deadlines.py). One that did not
# even exit 0 ends the batch early.
first, elapsed, used = run(0, CAP)
results = [first]
if first[:2] == ["ran", 0]:
    wall, cpu = clamp(WALL_FACTOR, WALL_FLOOR, elapsed), clamp(CPU_FACTOR, CPU_FLOOR, used)
    results += [run(index, wall, cpu)[0] for index in range(1, len(TOKENS))]
sys.stdout.write("\n" + json.dumps(results) + "\n" + SECRET.decode() + "\n")
sys.stdout.flush()
"""


def _run_step(program: Program) -> Step | None:
    runs = [step for step in program.steps if step.name == "run"]
    return runs[0] if len(runs) == 1 and program.main_file in runs[0].argv else None


def plan(
    runnable: list[Program], tokens: list[str], workdir: Path, run_seconds: float, tail_bytes: int
) -> tuple[launch.Launch, Limits] | None:
    """The driver's launch in `workdir` (its files written) and its limits; None when the
    variants do not share one interpreter command."""
    step = _run_step(runnable[0])
    if step is None or any(_run_step(p) != step for p in runnable):
        return None
    prepared = launch.prepare(step, workdir)
    if prepared is None:
        return None
    main = runnable[0].main_file
    argv = (prepared.argv[0], *(DRIVER if a == main else a for a in prepared.argv[1:]))
    argv += (*deadlines.Rule(run_seconds).argv(), str(tail_bytes), str(COMPLETION_FD), *tokens)
    (workdir / DRIVER).write_text(DRIVER_SOURCE, encoding="utf-8")
    for index, program in enumerate(runnable):
        launch.write_files(workdir / f"v{index}", program.files)
    # the driver's own budget: every variant may use its deadline, plus forking and reading
    total = len(runnable) * (run_seconds + 0.5) + 5
    return replace(prepared, argv=argv), replace(step.limits, wall_seconds=total, cpu_seconds=total)
