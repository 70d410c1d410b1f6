"""Seconds per entry per language of the execution and strength checks, for any datasets.

    python benchmarks/languages.py [FILE.jsonl ...]      # default: tests/conformance/*.jsonl

Three runs of pytest -n 2 on the files with one fresh result cache: every check but strength
(cold), then strength alone (it reuses the cached executions, so its item time is the stubs'
and mutants' runs), then everything again (warm). Item times come from the JUnit XML, summed
per entry, in the row style of benchmarks/run.py. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from pathlib import Path

from run import REPO, mean, measure, pytest_argv, seconds_per_entry

CONFORMANCE = REPO / "tests" / "conformance"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, default=sorted(CONFORMANCE.glob("*.jsonl")))
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="synthetic-languages-bench-"))
    datasets = [f"--synthetic-dataset={path.resolve()}" for path in args.files]
    common = ["-n", "2", "-q", "-o", f"cache_dir={work / 'cache'}", "-p", "no:randomly", *datasets]
    runs = {"cold": ["-k", "not strength"], "strength": ["-k", "strength"], "warm": []}
    times = {}
    for name, selection in runs.items():
        xml = work / f"{name}.xml"
        argv = pytest_argv(*common, *selection, f"--junitxml={xml}")
        timing = measure(argv, work, dict(os.environ), work / f"{name}.log")
        times[name] = seconds_per_entry(xml)
        print(f"{name}: {timing.seconds:.1f} s wall", flush=True)
    print("\n| language | entries | cold s/entry but strength (item time, -n 2) | cold strength s/entry "
          "| warm s/entry (every check) |")
    print("|---|---|---|---|---|")
    cold, strength, warm = times["cold"], times["strength"], times["warm"]
    for language in sorted(cold):
        print(f"| {language} | {len(cold[language])} | {mean(cold[language])} | {mean(strength.get(language, []))} "
              f"| {mean(warm.get(language, []), 4)} |")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
