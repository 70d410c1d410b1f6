"""Where the strength seconds of one entry go, per language: sandbox starts, builds, runs.

    python benchmarks/profile_strength.py ../shared/datasets/synthetic_gpt5.jsonl [--lang Go ...]

For the first entry of each language that passes execution: the cost of an empty sandbox
start, of each step of the reference's program (compile, run) started alone, the number of
variants (stubs and chosen mutants), and the wall time of the whole strength test as the
check runs it. Builds x variants against the whole shows what one build per entry would save.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))

from pytest_synthetic import languages, launch, sandbox  # noqa: E402
from pytest_synthetic.checks.context import CheckContext  # noqa: E402
from pytest_synthetic.checks.execution import run as run_execution  # noqa: E402
from pytest_synthetic.checks.strength import run_seconds  # noqa: E402
from pytest_synthetic.measure_strength import entries  # noqa: E402
from pytest_synthetic.model import Entry  # noqa: E402
from pytest_synthetic.runner import Verdict  # noqa: E402
from pytest_synthetic.strength import score_entry  # noqa: E402
from pytest_synthetic.strength.mutants import generate  # noqa: E402
from pytest_synthetic.strength.sample import choose, seed_of  # noqa: E402
from pytest_synthetic.strength.score import MAX_MUTANTS  # noqa: E402
from pytest_synthetic.strength.stubs import stubs  # noqa: E402


def _empty_start() -> float:
    """Seconds of a sandbox that runs `true`."""
    with launch.work_folder() as workdir:
        started = time.monotonic()
        sandbox.run_sandboxed([shutil.which("true") or "/bin/true"], workdir, sandbox.Limits())
        return time.monotonic() - started


def _steps(entry: Entry) -> list[tuple[str, float]]:
    """(step name, seconds) of the reference's program, each step in its own sandbox."""
    language = languages.by_name(entry.language)
    assert language.assemble is not None
    program = language.assemble(entry.reference_answer, entry.assertions, entry.function_name)
    timed = []
    with launch.work_folder(program.files) as workdir:
        for step in program.steps:
            prepared = launch.prepare(step, workdir)
            if prepared is None:
                return []
            started = time.monotonic()
            launch.start(prepared, workdir, step.limits, launch.new_secret() if step.name == "run" else None)
            timed.append((step.name, time.monotonic() - started))
    return timed


def _variants(entry: Entry) -> int:
    language = languages.by_name(entry.language)
    reference = entry.reference_answer
    seed = seed_of(reference, entry.assertions, entry.function_name)
    chosen = choose(generate(language, reference), MAX_MUTANTS, seed)
    return len(stubs(language, reference, entry.function_name)) + len(chosen)


def profile(entry: Entry) -> str:
    execution = run_execution(entry, CheckContext())
    if execution.verdict is not Verdict.PASSED:
        return ""
    empty = _empty_start()
    steps = _steps(entry)
    count = _variants(entry)
    report = score_entry(entry, run_seconds=run_seconds(execution, 1.0))
    shown = " ".join(f"{name} {seconds:.2f}s" for name, seconds in steps)
    builds = sum(seconds for name, seconds in steps if name != "run")
    runs = sum(seconds for name, seconds in steps if name == "run")
    return (
        f"{entry.language:<10} {entry.query_id:<16} sandbox {empty:.2f}s  {shown}  variants {count:>2}  "
        f"builds x variants {builds * count:5.1f}s  runs x variants {runs * count:5.1f}s  "
        f"strength {report.seconds:5.1f}s"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("datasets", nargs="+", type=Path)
    parser.add_argument("--lang", action="append", help="canonical language name (repeatable); default all")
    args = parser.parse_args()
    done: set[str] = set()
    for _, entry in entries(args.datasets, set(args.lang) if args.lang else None):
        if entry.language in done:
            continue
        line = profile(entry)
        if line:
            done.add(entry.language)
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
