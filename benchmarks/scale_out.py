"""Scale-out benchmarks: shards of a large dataset, and the dataset-wide items of a huge one.

    python benchmarks/scale_out.py [--size 100000] [--big 1000000] [--skip-big] [--rounds 3] [--scratch DIR]

  shards    a --size dataset of varied copies of the real entries (scale.scaled_dataset):
            --collect-only unsharded, then shard 1 of 2, 4 and 10 (wall time, peak memory, items);
            the static checks of shard 1/10 with -n 2 on this one host
  rounds    --rounds pairs of the unsharded and the 1/10 --collect-only, back to back
  big       a --big dataset of problems sharing no runs (scale.independent_rows): the five
            dataset-wide items alone (shard 1 of 1000, -k dataset), -n 2, no result cache

The datasets are written below the scratch folder (default <tmp>/pytest-synthetic-scale-out),
never into the repository. The table goes to stdout and to --results (benchmarks/scale_out_results.md).
The plugin's bytecode is compiled first, as scripts/setup does, so that no measured run compiles it.
"""

from __future__ import annotations

import argparse
import compileall
import os
import platform
import re
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import scale  # noqa: E402
from run import SHARED, STATIC_ONLY, Timing, measure, pytest_argv  # noqa: E402

SHARDS = (2, 4, 10)


class ScaleOut:
    def __init__(self, scratch: Path) -> None:
        self.scratch = scratch
        self.scratch.mkdir(parents=True, exist_ok=True)
        self.env = dict(os.environ)
        # as scripts/setup leaves it: no run compiles the plugin, whatever PYTHONDONTWRITEBYTECODE says
        compileall.compile_dir(BENCH.parent / "pytest_synthetic", quiet=1)
        self.rows: list[tuple[str, str, str, str]] = []
        self.sources = scale.read_entries(sorted((SHARED / "datasets").glob("synthetic_*.jsonl")))

    def row(self, section: str, what: str, figure: str, note: str = "") -> None:
        self.rows.append((section, what, figure, note))
        print(f"{section:<7} {what:<52} {figure:>10}  {note}", flush=True)

    def pytest(self, name: str, *args: str) -> Timing:
        argv = pytest_argv("-p", "no:cacheprovider", "--synthetic-no-cache", *args)
        return measure(argv, self.scratch, self.env, self.scratch / f"{name}.log")

    def collected(self, name: str) -> str:
        found = re.search(r"(\d+) tests? collected", (self.scratch / f"{name}.log").read_text())
        return f"{int(found[1]):,} items" if found else "items: see the log"

    def shards(self, size: int) -> None:
        data = self.scratch / f"synthetic_scale_{size}.jsonl"
        if not data.exists():
            scale.write_jsonl(data, scale.scaled_dataset(self.sources, size))
        args = (f"--synthetic-dataset={data}", f"--synthetic-size={size}")
        whole = self.pytest("collect-whole", *args, "--collect-only", "-q")
        self.row("shards", f"{size:,} entries, --collect-only, unsharded", f"{whole.seconds:.1f} s",
                 f"peak {whole.peak_mib:.0f} MiB; {self.collected('collect-whole')}")
        for count in SHARDS:
            name = f"collect-1-of-{count}"
            part = self.pytest(name, *args, f"--synthetic-shard=1/{count}", "--collect-only", "-q")
            speed = f"{whole.seconds / part.seconds:.1f}x faster" if part.seconds else ""
            memory = f"{part.peak_mib / whole.peak_mib:.0%} of the memory" if whole.peak_mib else ""
            self.row("shards", f"shard 1/{count}, --collect-only", f"{part.seconds:.1f} s",
                     f"peak {part.peak_mib:.0f} MiB; {self.collected(name)}; {speed}, {memory}")
            if count == SHARDS[-1]:
                target = whole.seconds / count + 1
                met = part.seconds < target and part.peak_mib < whole.peak_mib / 5
                self.row("shards", f"target: 1/{count} under {target:.1f} s and {whole.peak_mib / 5:.0f} MiB",
                         "met" if met else "missed")
        static = self.pytest("static-1-of-10", *args, "--synthetic-shard=1/10", "-n", "2", "-k", STATIC_ONLY)
        self.row("shards", "shard 1/10, static + dataset checks, -n 2", f"{static.seconds:.1f} s",
                 f"peak {static.peak_mib:.0f} MiB, largest process; exit {static.returncode}")

    def rounds(self, size: int, count: int) -> None:
        """Unsharded and 1/10 --collect-only back to back, `count` times: on a shared machine one
        pair can land either side of the target by noise alone."""
        args = (f"--synthetic-dataset={self.scratch / f'synthetic_scale_{size}.jsonl'}", f"--synthetic-size={size}")
        met = 0
        for round_number in range(1, count + 1):
            whole = self.pytest("again-whole", *args, "--collect-only", "-q")
            part = self.pytest("again-tenth", *args, "--synthetic-shard=1/10", "--collect-only", "-q")
            target = whole.seconds / 10 + 1
            met += part.seconds < target
            figures = f"{whole.seconds:.1f} s, {part.seconds:.2f} s"
            self.row("rounds", f"round {round_number}: unsharded, then shard 1/10", figures,
                     f"target {target:.2f} s: {'met' if part.seconds < target else 'missed'}; "
                     f"load {os.getloadavg()[0]:.1f}")
        self.row("rounds", "shard 1/10 under the unsharded tenth + 1 s", f"{met} of {count}")

    def big(self, size: int) -> None:
        data = self.scratch / f"synthetic_independent_{size}.jsonl"
        if not data.exists():
            start = time.perf_counter()
            scale.write_jsonl(data, scale.independent_rows(size))
            self.row("big", f"{size:,} independent entries written", f"{time.perf_counter() - start:.0f} s",
                     f"{data.stat().st_size / 2**20:.0f} MiB (not measured below)")
        args = (f"--synthetic-dataset={data}", f"--synthetic-size={size}", "-rA", "-k", "dataset")
        run = self.pytest("big-dataset-items", *args, "--synthetic-shard=1/1000", "-n", "2")
        log = (self.scratch / "big-dataset-items.log").read_text()
        outcomes = re.findall(r"^(PASSED|FAILED|ERROR) \S+::dataset::(\w+)", log, re.MULTILINE)
        target = "met" if run.seconds < 600 and run.peak_mib < 4096 else "missed"
        self.row("big", f"{size:,} entries: the 5 dataset-wide items, -n 2", f"{run.seconds:.0f} s",
                 f"peak {run.peak_mib:.0f} MiB, largest process; target < 600 s, < 4096 MiB: {target}; "
                 + ", ".join(f"{check} {outcome.lower()}" for outcome, check in outcomes))

    def write(self, started: float, target: Path) -> None:
        load = os.getloadavg()[0]
        lines = [
            "# pytest-synthetic scale-out benchmark",
            "",
            f"Written by `python benchmarks/scale_out.py` on {time.strftime('%Y-%m-%d %H:%M')}; "
            f"{os.cpu_count()} CPUs; Python {platform.python_version()}; took {time.time() - started:.0f} s; "
            f"load average at the end {load:.1f} (other work on the machine slows every figure).",
            "",
            "| section | measure | figure | note |",
            "|---|---|---|---|",
            *(f"| {s} | {w} | {f} | {n} |" for s, w, f, n in self.rows),
        ]
        target.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--big", type=int, default=1_000_000)
    parser.add_argument("--skip-big", action="store_true")
    parser.add_argument("--skip-shards", action="store_true")
    parser.add_argument("--rounds", type=int, default=3, help="paired unsharded / 1/10 rounds after the shards")
    parser.add_argument("--scratch", type=Path, default=Path(tempfile.gettempdir()) / "pytest-synthetic-scale-out")
    parser.add_argument("--results", type=Path, default=BENCH / "scale_out_results.md")
    args = parser.parse_args()
    started = time.time()
    bench = ScaleOut(args.scratch)
    if not args.skip_shards:
        bench.shards(args.size)
        bench.rounds(args.size, args.rounds)
    if not args.skip_big:
        bench.big(args.big)
    bench.write(started, args.results)


if __name__ == "__main__":
    main()
