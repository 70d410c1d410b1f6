"""One esbuild process transpiles every variant of a TypeScript entry.

esbuild takes many entry points in one call and writes each beside its source, so the
batch starts it once instead of once per variant. Only when every variant's compile step is
the same command (same flags, each in its own folder) and the call succeeds are the variants
marked built; otherwise each goes through its own compile step, so a variant that does not
transpile costs time and never a verdict.
"""

from __future__ import annotations

import shlex
from pathlib import PurePosixPath

from pytest_synthetic import launch
from pytest_synthetic.languages.base import Program

_OUTFILE = "--outfile="


def prelude(programs: list[Program], prepared: list[list[launch.Launch]], root: str) -> str | None:
    """A shell line that transpiles every variant at once and marks each built, or None when
    the variants' compile steps are not one and the same esbuild call."""
    compiles = [steps[:-1] for steps in prepared]
    if len(programs) < 2 or any(len(steps) != 1 for steps in compiles):
        return None
    first = compiles[0][0]
    main = programs[0].main_file
    if any(steps[0] != first for steps in compiles) or any(p.main_file != main for p in programs):
        return None
    if PurePosixPath(first.argv[0]).name != "esbuild":
        return None
    outfiles = [arg[len(_OUTFILE) :] for arg in first.argv if arg.startswith(_OUTFILE)]
    output = PurePosixPath(outfiles[0]) if len(outfiles) == 1 else None
    if output is None or output.stem != PurePosixPath(main).stem or first.argv[1:].count(main) != 1:
        return None
    flags = [arg for arg in first.argv[1:] if arg != main and not arg.startswith(_OUTFILE)]
    entries = [f"{root}/v{index}/{main}" for index in range(len(programs))]
    # each output lands beside its entry, named as the variant's own step names it
    placed = [f"--outbase={root}", f"--outdir={root}", f"--out-extension:.js={output.suffix}"]
    variables = [f"{key}={value}" for key, value in first.env.items()]
    command = shlex.join(["env", *variables, first.argv[0], *entries, *flags, *placed])
    marks = " && ".join(f'echo built > "$ROOT/s{index}"' for index in range(len(programs)))
    seconds = 30 + 2 * len(programs)
    return f'timeout -k 2 {seconds} {command} > "$ROOT/compile-many.log" 2>&1 && {marks}'
