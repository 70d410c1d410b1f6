"""Collection and warm-run time of two revisions of the plugin, measured side by side.

    python benchmarks/revisions.py --base REV [--rounds 5] [--size 10000]

Each revision's package is a snapshot (the base from `git archive`, the other the working
tree) that pytest imports through PYTHONPATH, with its own result store. After one cold run
per revision (-n 2, every check), the rounds alternate between the two, so that the machine's
load falls on both alike: `--collect-only` of a SIZE-entry dataset made from the shipped ones
(benchmarks/scale.py), and the warm run of synthetic_gpt5 (every check, no xdist). The table
gives the median and the minimum of each; the minimum is the least disturbed figure.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import scale
from run import DATASET, REPO, SHARED, Timing, measure, pytest_argv


def snapshot(revision: str | None, root: Path) -> Path:
    """The package at `revision` (None: the working tree) in root, beside a link to the npm toolchains."""
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    if revision is None:
        ignore = shutil.ignore_patterns("__pycache__")
        shutil.copytree(REPO / "pytest_synthetic", root / "pytest_synthetic", ignore=ignore)
    else:
        archive = subprocess.run(
            ["git", "-C", str(REPO), "archive", revision, "pytest_synthetic"], check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(root)], input=archive, check=True)
    if (REPO / ".toolchains").is_dir():
        (root / ".toolchains").symlink_to(REPO / ".toolchains")
    return root


class Revision:
    def __init__(self, label: str, package: Path, work: Path) -> None:
        self.label = label
        self.work = work / label
        self.work.mkdir(parents=True, exist_ok=True)
        self.env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        self.env["PYTHONPATH"] = str(package)
        self.cache = self.work / "cache"
        shutil.rmtree(self.cache, ignore_errors=True)
        self.collect: list[Timing] = []
        self.warm: list[Timing] = []

    def pytest(self, name: str, *args: str) -> Timing:
        argv = pytest_argv("-o", f"cache_dir={self.cache}", *args)
        return measure(argv, self.work, self.env, self.work / f"{name}.log")


def _figures(timings: list[Timing]) -> str:
    seconds = [t.seconds for t in timings]
    return f"{statistics.median(seconds):.2f} s (min {min(seconds):.2f} s)"


def _items(log: Path) -> int:
    """How many items a `--collect-only -q` run listed (its `N tests collected` line)."""
    found = re.search(r"(\d+) tests? collected", log.read_text(encoding="utf-8"))
    return int(found[1]) if found else 0


def _per_item(timings: list[Timing], items: int) -> str:
    """Median microseconds per collected item: revisions may make different items per entry."""
    return f"{statistics.median(t.seconds for t in timings) / items * 1e6:.0f} µs" if items else "?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="the revision to compare the working tree with")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--size", type=int, default=10_000, help="entries of the collected dataset")
    parser.add_argument("--scratch", type=Path, default=Path(tempfile.gettempdir()) / "pytest-synthetic-revisions")
    args = parser.parse_args()
    started, load = time.perf_counter(), os.getloadavg()
    work = args.scratch / "work"
    revisions = [
        Revision("base", snapshot(args.base, args.scratch / "base"), work),
        Revision("tree", snapshot(None, args.scratch / "tree"), work),
    ]
    big = args.scratch / f"synthetic_scale_{args.size}.jsonl"
    scale.write_jsonl(
        big,
        scale.scaled_dataset(scale.read_entries(sorted((SHARED / "datasets").glob("synthetic_*.jsonl"))), args.size),
    )
    real = f"--synthetic-dataset={DATASET}"
    for revision in revisions:  # fills each result store; its time is not compared
        cold = revision.pytest("cold", real, "-n", "2", "-q")
        print(f"{revision.label}: cold run {cold.seconds:.1f} s, exit {cold.returncode}", flush=True)
    for round_number in range(args.rounds):
        for revision in revisions if round_number % 2 == 0 else reversed(revisions):
            revision.collect.append(
                revision.pytest(f"collect-{round_number}", f"--synthetic-dataset={big}", "--collect-only", "-q")
            )
            revision.warm.append(revision.pytest(f"warm-{round_number}", real, "-q"))
            print(
                f"round {round_number + 1}: {revision.label} collect {revision.collect[-1].seconds:.2f} s, "
                f"warm {revision.warm[-1].seconds:.2f} s",
                flush=True,
            )
    print(
        f"\nbase {args.base} vs the working tree; {args.rounds} rounds; load average {load[0]:.1f} at the start, "
        f"{os.getloadavg()[0]:.1f} at the end; took {time.perf_counter() - started:.0f} s\n"
    )
    base, tree = revisions
    print("| measure | base | working tree |\n|---|---|---|")
    print(f"| {args.size:,} entries, --collect-only | {_figures(base.collect)} | {_figures(tree.collect)} |")
    print(f"| synthetic_gpt5, warm, every check | {_figures(base.warm)} | {_figures(tree.warm)} |")
    items = [_items(revision.work / "collect-0.log") for revision in revisions]
    print(f"| items collected | {items[0]:,} | {items[1]:,} |")
    print(f"| collection per item | {_per_item(base.collect, items[0])} | {_per_item(tree.collect, items[1])} |")
    codes = {t.returncode for r in revisions for t in [*r.collect, *r.warm]}
    print(f"\nexit codes: {sorted(codes)}")


if __name__ == "__main__":
    main()
