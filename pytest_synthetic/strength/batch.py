"""Several variants of an entry in one sandbox, each judged as the runner judges a run.

Starting a sandbox (and an interpreter or compiler) costs far more than running a small
program, and a strength test runs ~20 of them per entry. So a batch starts one sandbox for
many variants: Python through a driver that forks a child per variant (python_batch), every
other language through a shell script (shell_batch). Inside, each variant gets its own
completion secret on COMPLETION_FD; the batch reports how each run ended (exit status and the
tails of its output), and the host names the verdict with the runner's own rule
(runner.run_verdict), so a variant's verdict is the one it would get alone.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pytest_synthetic import launch, sandbox
from pytest_synthetic.languages.base import Language, Program
from pytest_synthetic.runner import Verdict, run_verdict
from pytest_synthetic.strength import python_batch, shell_batch

LANGUAGES = frozenset({"python"})  # whose variants run through the forking driver
TAIL_BYTES = 4096  # of each stream of a variant's output
# How a variant that never ran ended: it did not build, which does not count either way.
_NOT_RUN = {"compile error": Verdict.COMPILE_ERROR, "compile timeout": Verdict.COMPILE_ERROR}
_RAN = frozenset({"ran", "timeout"})


@dataclass(frozen=True)
class Outcome:
    """What a batch found: each program's verdict (None: the batch proves nothing), and what
    the compiler said when the reference did not build."""

    verdicts: list[Verdict] | None
    build_output: str = ""


def run(  # noqa: PLR0917 (what a batch is made of)
    language: Language,
    assertions: str,
    reference: Program,
    programs: list[Program | None],
    run_seconds: float,
    switches: Sequence[int | None] | None = None,
    parallel: int = 1,
) -> Outcome:
    """The verdict of each program (None: it could not be assembled -> NOT_EXECUTABLE), or no
    verdicts when the batch could not run (the caller then runs them one by one).

    Program 0 of the batch is the unchanged reference: it must pass there too (else the batch
    proves nothing), and its time sets the deadline of the others. With `switches` the
    reference is a mutant schema (schema.py), built once: a program with a number is not built
    but run as that mutant of the schema, and the reference runs with no mutant active.
    After the reference, `parallel` runs go at once (the Python driver runs one at a time).
    """
    builds, runs = _builds_and_runs(reference, programs, switches or [None] * len(programs))
    tokens = [launch.new_secret() for _ in runs]
    with launch.work_folder(prefix="synthetic-strength-") as workdir:
        if language.key in LANGUAGES:
            rows = None if len(builds) != len(runs) else _python_rows(builds, tokens, workdir, run_seconds)
        else:
            rows = _shell_rows(builds, runs, tokens, workdir, run_seconds, language.key, parallel)
    if rows is None or len(rows) != len(runs):
        return Outcome(None)
    verdicts = [_verdict(language, assertions, row, token) for row, token in zip(rows, tokens, strict=True)]
    if verdicts[0] is not Verdict.PASSED:  # the reference did not pass in the batch
        built = verdicts[0] is not Verdict.COMPILE_ERROR
        return Outcome(None, "" if built else f"{rows[0][3]}\n{rows[0][2]}")
    rest = iter(verdicts[1:])
    return Outcome([next(rest) if program is not None else Verdict.NOT_EXECUTABLE for program in programs])


def _builds_and_runs(
    reference: Program, programs: list[Program | None], switches: Sequence[int | None]
) -> tuple[list[Program], list[shell_batch.Run]]:
    """What the batch builds, and what it runs in order: the reference, then each program."""
    builds, runs = [reference], [shell_batch.Run(0)]
    for program, switch in zip(programs, switches, strict=True):
        if program is None:
            continue
        if switch is not None:
            runs.append(shell_batch.Run(0, switch))
        else:
            builds.append(program)
            runs.append(shell_batch.Run(len(builds) - 1))
    return builds, runs


def _verdict(language: Language, assertions: str, row: list[Any], token: str) -> Verdict:
    kind, returncode, stdout, stderr = row
    if kind in _NOT_RUN:
        return _NOT_RUN[kind]
    ran = sandbox.RunResult(returncode, None, stdout, stderr, kind == "timeout", output_truncated=False, seconds=0.0)
    return run_verdict(language, ran, token, assertions)


def _python_rows(runnable: list[Program], tokens: list[str], workdir: Path, run_seconds: float) -> list[Any] | None:
    planned = python_batch.plan(runnable, tokens, workdir, run_seconds, TAIL_BYTES)
    return None if planned is None else _rows(*planned, workdir, len(runnable))


def _shell_rows(  # noqa: PLR0917 (private)
    builds: list[Program],
    runs: list[shell_batch.Run],
    tokens: list[str],
    workdir: Path,
    run_seconds: float,
    language_key: str,
    parallel: int,
) -> list[Any] | None:
    script = shell_batch.plan(
        builds,
        tokens,
        workdir,
        run_seconds,
        tail_bytes=TAIL_BYTES,
        language_key=language_key,
        runs=runs,
        parallel=parallel,
    )
    if script is None:
        return None
    if script.build is not None and _rows(script.build, script.build_limits, workdir, len(builds)) is None:
        return None
    rows = _rows(script.run, script.run_limits, workdir, len(runs))
    try:
        return None if rows is None else [[k, rc, _decoded(out), _decoded(err)] for k, rc, out, err in rows]
    except (binascii.Error, ValueError):
        return None


def _decoded(tail: str) -> str:
    return base64.b64decode(tail).decode("utf-8", errors="replace")


def _rows(prepared: launch.Launch, limits: sandbox.Limits, workdir: Path, count: int) -> list[Any] | None:
    """The rows a batch printed before its secret, one per variant; None when it did not finish."""
    secret = launch.new_secret()
    # two output tails per variant, base64 or JSON-escaped (up to 6 bytes a character): all kept
    printed = count * 2 * 6 * TAIL_BYTES + sandbox.Limits().output_bytes
    limits = replace(limits, output_bytes=max(limits.output_bytes, printed))
    result = launch.start(prepared, workdir, limits, secret)
    if not launch.finished(result, secret):
        return None
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    try:
        rows = json.loads(lines[-2]) if len(lines) >= 2 else None
    except ValueError:
        return None
    if not isinstance(rows, list) or not all(_well_formed(row) for row in rows):
        return None
    return rows


def _well_formed(row: object) -> bool:
    if not isinstance(row, list) or len(row) != 4:
        return False
    kind, returncode, stdout, stderr = row
    return (
        (kind in _RAN or kind in _NOT_RUN)
        and (returncode is None or isinstance(returncode, int))
        and isinstance(stdout, str)
        and isinstance(stderr, str)
    )


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
