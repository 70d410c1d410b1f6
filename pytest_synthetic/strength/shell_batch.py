"""Any language: a shell script runs every variant's steps in one sandbox.

Two phases: build every variant, then run every one that built. A mutant schema (schema.py)
is one build that runs once per mutant it holds, with SCHEMA_VARIABLE naming the mutant. Each
step is the command the runner would start (launch.prepare: the same executable, PATH,
variables and class-data archive), so a variant gets the verdict here that it would get
alone. With a shared build cache (Go's) the phases are two sandboxes, and only the first sees
the cache writable. A JVM language first compiles every variant in one compiler process
(jvm_batch), TypeScript in one esbuild call (esbuild_batch). The script only reports how each
run ended; whether it finished is decided on the host (batch.py).
"""

from __future__ import annotations

import math
import shlex
from dataclasses import dataclass, replace
from pathlib import Path

from pytest_synthetic import launch
from pytest_synthetic.languages.base import Program
from pytest_synthetic.languages.strength_tables import SCHEMA_VARIABLE
from pytest_synthetic.sandbox import COMPLETION_FD, Limits
from pytest_synthetic.strength import cpu_limit, deadlines, esbuild_batch, jvm_batch

# Each run adds one row: [kind, exit status, stdout tail, stderr tail], the tails in base64;
# kind "ran", "timeout", "compile error" or "compile timeout" (then the compiler's tails).
PROLOGUE = r"""
ROOT="$(pwd)"
SECRET="$(cat <&%(fd)d)"
exec %(fd)d<&-
CAP=%(cap)d
CPU=none
LIMIT=""
tailed() { if [ -n "$1" ] && [ -s "$1" ]; then tail -c %(tail)d "$1" | base64 -w0; fi; }  # -s: empty costs no fork
# a run's row, in its own file: runs may go in parallel
row() { printf '["%%s",%%s,"%%s","%%s"]' "$2" "$3" "$(tailed "$4")" "$(tailed "$5")" > "$ROOT/r$1"; }
# whether build $1 is built; $state says what its status file holds (empty: nothing yet)
built() { state=; read -r state 2>/dev/null < "$ROOT/s$1"; [ "$state" = built ]; }
timed_out() { [ "$1" -eq 124 ] || [ "$1" -eq 137 ] || [ "$1" -eq 152 ]; }  # 152: SIGXCPU
# milliseconds of processor time the shell's finished children used, from two `times` reports
used_ms() {
  awk 'FNR == 2 { split($1, u, "m"); split($2, s, "m"); sign = FILENAME == ARGV[1] ? -1 : 1
    t += sign * (u[1] * 60 + u[2] + s[1] * 60 + s[2]) } END { printf "%%d", t * 1000 }' "$1" "$2"
}
clamp() { v=$(( $1 * $2 )); [ $v -lt $3 ] && v=$3; [ $v -gt $CAP ] && v=$CAP; echo $v; }
seconds() { printf '%%d.%%03d' $(( $1 / 1000 )) $(( $1 %% 1000 )); }
# The reference's times set the limits of the mutants (deadlines.py): $1 wall, $2 processor ms.
limit_mutants() {
  case "$2" in ''|*[!0-9]*) set -- "$1" "$CAP" ;; esac
  DEADLINE=$(seconds "$(clamp %(wall_factor)d "$1" %(wall_floor)d)")
  cpu=$(clamp %(cpu_factor)d "$2" %(cpu_floor)d)
  CPU=$(( (cpu + 999) / 1000 ))
  if [ -n "%(helper)s" ]; then LIMIT="%(helper)s $(seconds "$cpu")"; fi
}
DEADLINE=$(seconds "$CAP")
"""
EPILOGUE = r"""
ROWS=""; i=0
while [ $i -lt %(runs)d ]; do ROWS="$ROWS${ROWS:+,}$(cat "$ROOT/r$i" 2>/dev/null)"; i=$((i + 1)); done
printf '\n[%%s]\n%%s\n' "$ROWS" "$SECRET"
"""


@dataclass(frozen=True)
class Run:
    """One run of a batch: the build it runs, as which mutant of a schema (0: the build itself)."""

    build: int
    switch: int = 0


@dataclass(frozen=True)
class Script:
    """The sandbox runs of a batch: a build script when it needs the build cache writable, then
    the script that runs (and, without a build script, also builds) every variant."""

    build: launch.Launch | None
    build_limits: Limits
    run: launch.Launch
    run_limits: Limits


def _prologue(run_seconds: float, tail_bytes: int, helper: Path | None) -> str:
    rule = deadlines.Rule(run_seconds)
    return PROLOGUE % {
        "fd": COMPLETION_FD,
        "cap": round(rule.cap * 1000),
        "tail": tail_bytes,
        "wall_factor": round(rule.wall_factor),
        "wall_floor": round(rule.wall_floor * 1000),
        "cpu_factor": round(rule.cpu_factor),
        "cpu_floor": round(rule.cpu_floor * 1000),
        "helper": str(helper) if helper else "",
    }


def _command(prepared: launch.Launch) -> str:
    variables = [f"{key}={value}" for key, value in prepared.env.items()]
    return shlex.join(["env", *variables, *prepared.argv])


def _build(index: int, program: Program, steps: list[launch.Launch]) -> str:
    """The compile steps of one variant; its status file says `built` or why not."""
    out, err, status = f'"$ROOT/bo{index}"', f'"$ROOT/be{index}"', f'"$ROOT/s{index}"'
    lines = [
        f"built {index} && continue",  # built by a shared compiler already
        f'cd "$ROOT/v{index}" || {{ echo "compile error" > {status}; continue; }}',
    ]
    for step, prepared in zip(program.steps[:-1], steps, strict=True):
        lines += [
            f"timeout -k 2 {math.ceil(step.limits.wall_seconds)} {_command(prepared)} > {out} 2> {err}",
            f'rc=$?; if [ $rc -ne 0 ]; then if timed_out $rc; then echo "compile timeout" > {status}; '
            f'else echo "compile error" > {status}; fi; continue; fi',
        ]
    lines.append(f"echo built > {status}")
    return "\n".join(lines)


def _run(index: int, run: Run, prepared: launch.Launch, token: str) -> str:
    """The run step of one built variant, and its row."""
    out, err, secret = f'"$ROOT/o{index}"', f'"$ROOT/e{index}"', f'"$ROOT/t{index}"'
    if run.switch:  # the mutant a schema build runs as
        prepared = replace(prepared, env={**prepared.env, SCHEMA_VARIABLE: str(run.switch)})
    reference = index == 0  # its times set the mutants' limits, before they start
    lines = [
        # a build that failed: its row carries what the compiler said
        f'if ! built {run.build}; then row {index} "${{state:-compile error}}" 1 '
        f'"$ROOT/bo{run.build}" "$ROOT/be{run.build}"; continue; fi',
        f'cd "$ROOT/v{run.build}" || {{ row {index} ran 1; continue; }}',
        f"printf %s {token} > {secret}",
        *(['times > "$ROOT/before"; started=$(date +%s%3N)'] if reference else []),
        # the processor limit ends a loop however busy the machine is (its wall time is not)
        f'( [ "$CPU" = none ] || ulimit -t "$CPU"; exec timeout -k 2 "$DEADLINE" $LIMIT '
        f"{_command(prepared)} ) {COMPLETION_FD}< {secret} > {out} 2> {err}",
        "rc=$?",
        *(['elapsed=$(( $(date +%s%3N) - started )); times > "$ROOT/after"'] if reference else []),
        f"if timed_out $rc; then row {index} timeout null; else row {index} ran $rc {out} {err}; fi",
    ]
    if reference:
        lines.append('limit_mutants "$elapsed" "$(used_ms "$ROOT/before" "$ROOT/after")"')
    return "\n".join(lines)


def _runs(runs: list[Run], prepared: list[list[launch.Launch]], tokens: list[str], parallel: int) -> list[str]:
    """Every run's part of the script: the reference first, then the others in `parallel`
    subshells at once. One after the other, a build's folder goes once its last run is done."""
    last = {run.build: index for index, run in enumerate(runs)}
    parts = []
    for index, (run, token) in enumerate(zip(runs, tokens, strict=True)):
        cleanup = f'; rm -rf "$ROOT/v{run.build}"' if last[run.build] == index and parallel == 1 else ""
        parts.append(_loop(_run(index, run, prepared[run.build][-1], token)) + cleanup)
    return [parts[0], *_at_once(parts[1:], parallel)]


def _at_once(parts: list[str], parallel: int) -> list[str]:
    """The parts in `parallel` background subshells and a wait for them all."""
    if parallel == 1 or len(parts) < 2:
        return parts
    groups = [parts[start::parallel] for start in range(parallel)]
    return [*("(\n" + "\n".join(group) + "\n) &" for group in groups if group), "wait"]


def _loop(body: str) -> str:
    """A `for` around one variant's part, so that `continue` ends it early."""
    return f'for _ in 1; do\n{body}\ndone\ncd "$ROOT"'


def _prepare_all(runnable: list[Program], workdir: Path) -> list[list[launch.Launch]] | None:
    """Every step of every variant as the runner would start it in the variant's folder."""
    prepared: list[list[launch.Launch]] = []
    for index, program in enumerate(runnable):
        steps = [launch.prepare(step, workdir / f"v{index}") for step in program.steps]
        if any(step is None for step in steps):
            return None
        prepared.append([step for step in steps if step is not None])
    return prepared


def _sandbox_launch(
    prepared: list[list[launch.Launch]], argv: tuple[str, ...], extra: tuple[Path, ...], *, build: bool
) -> launch.Launch:
    """The script's own launch: the folders every step inside needs to see, and the build
    cache writable only while building. Its PATH is the system's: each step sets its own."""
    steps = [step for steps in prepared for step in steps]
    readonly = tuple(dict.fromkeys([*(folder for step in steps for folder in step.readonly), *extra]))
    writable = tuple(dict.fromkeys(folder for step in steps for folder in step.writable)) if build else ()
    return launch.Launch(argv, {"PATH": launch.search_path(())}, readonly, writable)


def plan(
    runnable: list[Program],
    tokens: list[str],
    workdir: Path,
    run_seconds: float,
    *,
    tail_bytes: int,
    language_key: str,
    runs: list[Run] | None = None,
    parallel: int = 1,
) -> Script | None:
    """The batch's scripts written into `workdir` with every build's files; None when a
    build is not compile steps and one run step, or a command is missing. `runs` (one token
    each) say what runs, in order, the reference first; by default each build once. Builds go
    `parallel` at once, and so do the runs after the reference's."""
    runs = runs if runs is not None else [Run(index) for index in range(len(runnable))]
    if any(sum(1 for s in p.steps if s.name == "run") != 1 or p.steps[-1].name != "run" for p in runnable):
        return None
    prepared = _prepare_all(runnable, workdir)
    if prepared is None:
        return None
    for index, program in enumerate(runnable):
        launch.write_files(workdir / f"v{index}", program.files)
    helper = cpu_limit.helper()
    prologue = _prologue(run_seconds, tail_bytes, helper)
    build = [_loop(_build(i, p, steps[:-1])) for i, (p, steps) in enumerate(zip(runnable, prepared, strict=True))]
    build = _at_once(build, parallel)
    extra: tuple[Path, ...] = (helper.parent,) if helper else ()
    java = launch.locate("java")
    shared = jvm_batch.prelude(language_key, runnable, str(workdir), java[0]) if java else None
    if shared is not None:
        build, extra = [shared[0], *build], (*extra, *shared[1])
    elif (transpile := esbuild_batch.prelude(runnable, prepared, str(workdir))) is not None:
        build = [transpile, *build]
    run = _runs(runs, prepared, tokens, parallel)
    epilogue = EPILOGUE % {"runs": len(runs)}
    compile_seconds = sum(s.limits.wall_seconds for p in runnable for s in p.steps[:-1]) + 10
    run_total = len(runs) * (run_seconds + 3) + 10
    memory = max(s.limits.memory_bytes for p in runnable for s in p.steps)
    base = replace(runnable[0].steps[-1].limits, memory_bytes=memory)
    shell = "/bin/sh"
    if any(launch.uses_build_cache(s) for p in runnable for s in p.steps):
        (workdir / "build.sh").write_text("\n".join([prologue, *build, EPILOGUE % {"runs": 0}]), encoding="utf-8")
        builder = _sandbox_launch(prepared, (shell, "build.sh"), extra, build=True)
        script, total = [prologue, *run, epilogue], run_total
    else:
        builder, script, total = None, [prologue, *build, *run, epilogue], compile_seconds + run_total
    (workdir / "batch.sh").write_text("\n".join(script), encoding="utf-8")
    runner = _sandbox_launch(prepared, (shell, "batch.sh"), extra, build=builder is None)
    return Script(
        builder,
        replace(base, wall_seconds=compile_seconds, cpu_seconds=compile_seconds),
        runner,
        replace(base, wall_seconds=total, cpu_seconds=total),
    )
