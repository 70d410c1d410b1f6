"""Speed benchmarks of pytest-synthetic: one command, a table on stdout, benchmarks/results.md.

    python benchmarks/run.py [--quick]

Measures, on this machine and side by side in one run:
  cold      every check with execution but strength, empty result cache, -n 2, against the
            naive one-entry-at-a-time runner (../shared/bench/naive_runner.py) on the same
            file; then the strength items alone (their cost per entry per language); then, back
            to back on empty caches, every check but strength and every check at once
  warm      the same command again with nothing changed, with and without -n 2
  edit      one entry edited: how many entries are executed again
  language  seconds per entry per language, cold and warm (from the JUnit XML)
  dist      xdist scheduling modes on a cold run (load, loadscope, worksteal)
  scale     a 10,000-entry dataset made from the real ones: --collect-only, the static
            checks with -n 2, peak memory of the largest process
  dups      duplicate detection alone, 1,000 -> 10,000 entries

Everything is written below a scratch folder (--scratch, default <tmp>/pytest-synthetic-bench),
and so is the table of a run with --only (benchmarks/results.md keeps the last whole run);
the npm packages the naive runner needs (typescript, tsx) are installed there once.
Python writes bytecode caches as it does by default (PYTHONDONTWRITEBYTECODE is dropped).
pytest runs a snapshot of the package taken at the start (PYTHONPATH), so that edits made
to the checkout meanwhile neither change the code measured nor invalidate the cache between
the cold and the warm runs. A reference row times pytest on as many trivial tests, which is
the floor any plugin's warm run sits on, on this machine, at that moment.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(BENCH))

import scale  # noqa: E402

from pytest_synthetic import toolchains  # noqa: E402
from pytest_synthetic.checks import dataset as dataset_checks  # noqa: E402
from pytest_synthetic.checks.dataset import duplicate_pairs  # noqa: E402
from pytest_synthetic.collect import ParsedDataset  # noqa: E402
from pytest_synthetic.spec import DatasetSpec  # noqa: E402

SHARED = REPO.parent / "shared"
DATASET = SHARED / "datasets" / "synthetic_gpt5.jsonl"
NAIVE = SHARED / "bench" / "naive_runner.py"
STATIC_ONLY = "not execution and not strength"


@dataclass(frozen=True)
class Timing:
    seconds: float
    peak_mib: float  # largest resident size of any process of the command
    returncode: int


def measure(argv: Sequence[str], cwd: Path, env: dict[str, str], log: Path) -> Timing:
    """Wall time and the peak RSS over the process tree (wait4 reports the largest descendant)."""
    with log.open("w", encoding="utf-8") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(list(argv), cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Timing(seconds, usage.ru_maxrss / 1024, proc.returncode)


def pytest_argv(*args: str) -> list[str]:
    return [sys.executable, "-m", "pytest", "-p", "no:randomly", *args]


class Bench:
    def __init__(self, scratch: Path, quick: bool) -> None:
        self.scratch = scratch
        self.quick = quick
        self.work = scratch / "work"
        self.work.mkdir(parents=True, exist_ok=True)
        self.env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        self.env["PYTHONPATH"] = str(self.snapshot())
        self.rows: list[tuple[str, str, str, str]] = []  # section, what, figure, target / note
        self.sections: dict[str, list[str]] = defaultdict(list)  # extra markdown per section

    def row(self, section: str, what: str, figure: str, note: str = "") -> None:
        self.rows.append((section, what, figure, note))
        print(f"{section:<9} {what:<58} {figure:>14}  {note}", flush=True)

    # ---- helpers ----------------------------------------------------------------------

    def snapshot(self) -> Path:
        """A copy of the package as it is now (mtimes kept), next to a link to the npm toolchains."""
        root = self.scratch / "snapshot"
        shutil.rmtree(root, ignore_errors=True)
        shutil.copytree(REPO / "pytest_synthetic", root / "pytest_synthetic",
                        ignore=shutil.ignore_patterns("__pycache__"))
        if (REPO / ".toolchains").is_dir():
            (root / ".toolchains").symlink_to(REPO / ".toolchains")
        return root

    def pytest(self, name: str, cache: Path, *args: str) -> Timing:
        return measure(pytest_argv("-o", f"cache_dir={cache}", *args), self.work, self.env, self.work / f"{name}.log")

    def repeat(self, name: str, times: int, cache: Path, *args: str) -> list[Timing]:
        return [self.pytest(f"{name}-{i}", cache, *args) for i in range(times)]

    def dataset_for_run(self) -> Path:
        """The real file, or in quick mode its first 30 entries (the same for both runners)."""
        if not self.quick:
            return DATASET
        target = self.scratch / "quick.jsonl"
        lines = DATASET.read_text(encoding="utf-8").splitlines()[:30]
        target.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return target

    def node_dir(self) -> Path:
        """A folder whose node_modules has typescript and tsx, installed once."""
        folder = self.scratch / "naive-node"
        modules = folder / "node_modules"
        if not (modules / "typescript").is_dir() or not (modules / ".bin" / "tsx").exists():
            folder.mkdir(parents=True, exist_ok=True)
            subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(folder), "typescript", "tsx"],
                           check=True, capture_output=True)
        return folder

    # ---- cold, naive, warm, edit ------------------------------------------------------

    def cold_and_warm(self) -> None:
        dataset = self.dataset_for_run()
        entries = sum(1 for line in dataset.read_text(encoding="utf-8").splitlines() if line.strip())
        size = f"--synthetic-size={entries}"
        cache = self.scratch / "cache-main"
        shutil.rmtree(cache, ignore_errors=True)
        common = (f"--synthetic-dataset={dataset}", size)
        # Per-machine toolchain state, as scripts/setup leaves it: the JVM compilers' class-data
        # archives (made once per machine; the Go build cache likewise outlives result caches).
        subprocess.run([sys.executable, "-m", "pytest_synthetic.class_data"], env=self.env, check=True,
                       capture_output=True)
        # The naive runner executes each entry once; the like-for-like run is every check but
        # strength (which runs ~20 variants of each entry). Strength is timed on its own after it.
        cold = self.pytest("cold", cache, *common, "-n", "2", "-k", "not strength",
                           f"--synthetic-report={self.work / 'cold.json'}", f"--junitxml={self.work / 'cold.xml'}")
        naive_seconds, naive_rows = self.naive(dataset)
        ratio = naive_seconds / cold.seconds
        self.row("cold", f"naive runner, {entries} entries", f"{naive_seconds:.1f} s")
        self.row("cold", "pytest -n 2, empty result cache, every check but strength", f"{cold.seconds:.1f} s",
                 f"{ratio:.1f}x faster than naive (target >= 8x)")
        self.shorter_limits(common, naive_seconds)
        executed = self.sources(self.work / "cold.json")
        self.row("cold", "entries executed / read from cache", f"{executed.get('run', 0)} / {executed.get('cache', 0)}")
        strength = self.pytest("cold-strength", cache, *common, "-n", "2", "-k", "strength",
                               f"--junitxml={self.work / 'cold-strength.xml'}")
        self.row("cold", "then strength, -n 2 (stubs and up to 16 mutants per entry)", f"{strength.seconds:.1f} s",
                 f"{strength.seconds / entries:.2f} s per entry; the whole cold run: "
                 f"{cold.seconds + strength.seconds:.1f} s")
        self.whole_against_no_strength(common)
        confirmed = [confirmation(self.work / f"{name}.log") for name in ("cold", "cold-strength")]
        self.row("cold", "of which confirming the timeouts found, at each session's end",
                 f"{sum(seconds for _, _, seconds in confirmed):.1f} s",
                 "; ".join(f"{label}: {done} of {found} confirmed" for label, (done, found, _) in
                           zip(("all but strength", "strength"), confirmed, strict=True)))

        times = 3 if self.quick else 5
        first = self.pytest("warm-first", cache, *common, f"--synthetic-report={self.work / 'first.json'}")
        again = self.sources(self.work / "first.json").get("run", 0)
        verdict = "meets" if first.seconds < 1.5 else "MISSES"
        self.row("warm", "first re-run after the cold run, no xdist", f"{first.seconds:.2f} s",
                 f"{again} entries executed again (missing toolchains); {verdict} target < 1.5 s")
        warm_report = self.work / "warm.json"
        plain = self.repeat("warm", times, cache, *common, f"--synthetic-report={warm_report}",
                            f"--junitxml={self.work / 'warm.xml'}")
        sources = self.sources(warm_report)
        xdist = self.repeat("warm-n2", times, cache, *common, "-n", "2")
        for label, runs, target in (("no xdist", plain, 1.5), ("-n 2", xdist, 3.0)):
            seconds = [r.seconds for r in runs]
            median = statistics.median(seconds)
            verdict = "meets" if median < target else "MISSES"
            self.row("warm", f"nothing changed, {label} (median of {len(runs)}, min)",
                     f"{median:.2f} s", f"min {min(seconds):.2f} s; {verdict} target < {target} s")
        self.row("warm", "entries executed again / read from cache", f"{sources.get('run', 0)} / "
                 f"{sources.get('cache', 0)}", "missing toolchains and entries with nothing to run are not cached")
        self.reference("warm", entries * 5 + 5, times)  # the warm run's items: 5 per entry + 5
        self.edit_one(dataset, cache, size)
        self.per_language(naive_rows)

    def whole_against_no_strength(self, common: tuple[str, ...]) -> None:
        """Every check against every check but strength, back to back, each on its own empty
        result cache: the first cold run of a session also pays for reading the toolchains
        from disk, which would flatter the ratio."""
        runs = {}
        for name, selection in (("cold-again", ("-k", "not strength")), ("cold-whole", ())):
            cache = self.scratch / f"cache-{name}"
            shutil.rmtree(cache, ignore_errors=True)
            runs[name] = self.pytest(name, cache, *common, "-n", "2", *selection)
        base, whole = runs["cold-again"].seconds, runs["cold-whole"].seconds
        self.row("cold", "every check but strength again, -n 2, its own empty result cache", f"{base:.1f} s")
        verdict = "meets" if whole <= 2 * base else "MISSES"
        self.row("cold", "then every check with strength, -n 2, its own empty result cache", f"{whole:.1f} s",
                 f"{whole / base:.1f}x the run just before; {verdict} target <= 2x")

    def shorter_limits(self, common: tuple[str, ...], naive_seconds: float) -> None:
        """The cold run again with every time limit x0.3 (run limit 3 s instead of 10 s): an entry
        that never ends costs its whole limit, which bounds the cold run from below."""
        cache = self.scratch / "cache-short"
        shutil.rmtree(cache, ignore_errors=True)
        report = self.work / "cold-short.json"
        short = self.pytest("cold-short", cache, *common, "-n", "2", "-k", "not strength",
                            "--synthetic-timeout-factor=0.3", f"--synthetic-report={report}")
        default, changed = self.verdicts(self.work / "cold.json"), self.verdicts(report)
        differ = sorted(k for k in default if default[k] != changed.get(k))
        self.row("cold", "the same with every time limit x0.3 (run limit 3 s)", f"{short.seconds:.1f} s",
                 f"{naive_seconds / short.seconds:.1f}x faster than naive; verdicts that differ from the "
                 f"default limits': {', '.join(differ) or 'none'}")

    @staticmethod
    def verdicts(report: Path) -> dict[str, str]:
        entries = json.loads(report.read_text(encoding="utf-8"))["entries"]
        return {e["query_id"]: e["checks"].get("execution", {}).get("verdict", "") for e in entries}

    def reference(self, section: str, count: int, times: int) -> None:
        """pytest itself on as many trivial tests as a run has items: the floor under any plugin."""
        tests = self.work / "test_reference.py"
        tests.write_text(f"import pytest\n\n@pytest.mark.parametrize('i', range({count}))\n"
                         "def test_nothing(i):\n    pass\n", encoding="utf-8")
        cache = self.scratch / "cache-reference"
        for label, extra in (("no xdist", ()), ("-n 2", ("-n", "2"))):
            runs = self.repeat("reference", times, cache, str(tests), "-q", *extra)
            seconds = [r.seconds for r in runs]
            self.row(section, f"reference: pytest, {count:,} empty tests, {label}",
                     f"{statistics.median(seconds):.2f} s", f"min {min(seconds):.2f} s; no dataset: the floor")
        tests.unlink()

    def naive(self, dataset: Path) -> tuple[float, list[dict[str, Any]]]:
        env = dict(self.env)
        go = toolchains.which("go")
        if go:
            env["NAIVE_GO"] = go
        env["NAIVE_NODE_DIR"] = str(self.node_dir())
        out = self.work / "naive.jsonl"
        timing = measure([sys.executable, str(NAIVE), str(dataset), "--out", str(out)], self.work, env,
                         self.work / "naive.log")
        rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if line.strip()]
        return timing.seconds, rows

    @staticmethod
    def sources(report: Path) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for entry in json.loads(report.read_text(encoding="utf-8"))["entries"]:
            source = entry["checks"].get("execution", {}).get("source")
            if source:
                counts[source] += 1
        return counts

    def edit_one(self, dataset: Path, cache: Path, size: str) -> None:
        lines = dataset.read_text(encoding="utf-8").splitlines()
        first = json.loads(lines[0])
        comment = "# edited\n" if first["metadata"]["language"] == "Python" else "// edited\n"
        first["assertions"] = first["assertions"] + "\n" + comment
        edited = self.scratch / "edited.jsonl"
        edited.write_text("\n".join([json.dumps(first), *lines[1:]]) + "\n", encoding="utf-8")
        report = self.work / "edit.json"
        timing = self.pytest("edit", cache, f"--synthetic-dataset={edited}", size, f"--synthetic-report={report}")
        sources = self.sources(report)
        self.row("edit", "one entry's assertions edited: executed / from cache",
                 f"{sources.get('run', 0)} / {sources.get('cache', 0)}", f"{timing.seconds:.2f} s")

    def per_language(self, naive_rows: list[dict[str, Any]]) -> None:
        cold, warm = seconds_per_entry(self.work / "cold.xml"), seconds_per_entry(self.work / "warm.xml")
        strength = seconds_per_entry(self.work / "cold-strength.xml")
        naive: dict[str, list[float]] = defaultdict(list)
        for row in naive_rows:
            naive[row["language"]].append(float(row["seconds"]))
        lines = ["| language | entries | naive s/entry | cold s/entry but strength (item time, -n 2) "
                 "| cold strength s/entry | warm s/entry (every check) |",
                 "|---|---|---|---|---|---|"]
        for language in sorted(cold, key=lambda name: -len(cold[name])):
            c, w, n, m = cold[language], warm.get(language, []), naive.get(language, []), strength.get(language, [])
            lines.append(f"| {language} | {len(c)} | {mean(n)} | {mean(c)} | {mean(m)} | {mean(w, 4)} |")
        self.sections["language"] = lines
        for line in lines[2:]:
            print("language  " + line, flush=True)

    # ---- scheduling -------------------------------------------------------------------

    def scheduling(self) -> None:
        dataset = self.dataset_for_run()
        entries = sum(1 for line in dataset.read_text(encoding="utf-8").splitlines() if line.strip())
        for mode in ("load", "worksteal", "loadscope"):
            cache = self.scratch / f"cache-dist-{mode}"
            shutil.rmtree(cache, ignore_errors=True)
            report = self.work / f"dist-{mode}.json"
            timing = self.pytest(f"dist-{mode}", cache, f"--synthetic-dataset={dataset}",
                                 f"--synthetic-size={entries}", "-n", "2", "--dist", mode, "-k", "not strength",
                                 f"--synthetic-report={report}")
            default = "the plugin's default with -n" if mode == "worksteal" else ""
            self.row("dist", f"cold, -n 2 --dist {mode}, all but strength", f"{timing.seconds:.1f} s", default)

    # ---- scale --------------------------------------------------------------------------

    def scale(self) -> None:
        size = 2_000 if self.quick else 10_000
        sources = scale.read_entries(sorted((SHARED / "datasets").glob("synthetic_*.jsonl")))
        big = self.scratch / f"synthetic_scale_{size}.jsonl"
        scale.write_jsonl(big, scale.scaled_dataset(sources, size))
        cache = self.scratch / "cache-scale"
        shutil.rmtree(cache, ignore_errors=True)
        args = (f"--synthetic-dataset={big}", f"--synthetic-size={size}")
        collect = self.pytest("scale-collect", cache, *args, "--collect-only", "-q")
        self.row("scale", f"{size:,} entries: --collect-only", f"{collect.seconds:.1f} s",
                 f"peak {collect.peak_mib:.0f} MiB (target < 10 s at 10,000)")
        for label, extra in (("-n 2, empty cache", ("-n", "2")), ("-n 2, warm", ("-n", "2")),
                             ("no xdist, empty cache", ())):
            if "empty" in label:
                shutil.rmtree(cache, ignore_errors=True)
            run = self.pytest(f"scale-static-{len(extra)}", cache, *args, "-q", "-k", STATIC_ONLY, *extra)
            note = f"peak {run.peak_mib:.0f} MiB, largest process"
            if label == "-n 2, empty cache":
                note += " (targets < 60 s, < 1024 MiB)"
            self.row("scale", f"{size:,} entries: static + dataset checks, {label}", f"{run.seconds:.1f} s",
                     f"{note}; {run.seconds / size * 1000:.1f} ms per entry")
        self.reference("scale", size * 4 + 5, 1)  # the static run's items: 4 per entry + 5
        spec = DatasetSpec()
        for count in (size // 10, size):
            subset = self.scratch / f"scale-{count}.jsonl"
            scale.write_jsonl(subset, scale.scaled_dataset(sources, count))
            entries = ParsedDataset(subset, spec).entries
            seconds, pairs = _best_of(3, lambda e=entries: len(duplicate_pairs(e, spec.near_duplicate_threshold)))
            self.row("dups", f"copies of real entries, {count:,} entries", f"{seconds:.2f} s",
                     f"{pairs} near-duplicate pairs found (copies of one problem)")

    def duplicates(self) -> None:
        """duplicate_pairs alone, 1,000 -> 10,000 entries, on two kinds of all-different problems."""
        spec = DatasetSpec()
        sources = scale.read_entries(sorted((SHARED / "datasets").glob("synthetic_*.jsonl")))
        kinds = (
            ("independent texts (no shared runs)", scale.independent_entries),
            ("realistic distinct problems (Markov walks over real entries)",
             lambda count: scale.distinct_entries(sources, count)),
        )
        for label, make in kinds:
            measured = {}
            for count in (1_000, 10_000):
                entries = make(count)
                seconds, pairs = _best_of(3, lambda e=entries: len(duplicate_pairs(e, spec.near_duplicate_threshold)))
                candidates = sum(len(_candidates(entries, language)) for language in {e.language for e in entries})
                measured[count] = seconds
                self.row("dups", f"{label}, {count:,}", f"{seconds:.2f} s",
                         f"{candidates:,} candidate pairs compared, {pairs} flagged")
            ratio = measured[10_000] / measured[1_000]
            self.row("dups", f"{label}: cost 1,000 -> 10,000", f"{ratio:.1f}x", "target <= 12x")

    # ---- output -----------------------------------------------------------------------

    def write(self, started: float, load: tuple[float, float, float], target: Path) -> None:
        end_load = os.getloadavg()
        lines = [
            "# pytest-synthetic benchmark results",
            "",
            f"Written by `python benchmarks/run.py{' --quick' if self.quick else ''}` on "
            f"{time.strftime('%Y-%m-%d %H:%M')}; {os.cpu_count()} CPUs; Python {sys.version.split()[0]}; "
            f"took {time.perf_counter() - started:.0f} s.",
            f"Load average before / after: {load[0]:.1f} / {end_load[0]:.1f} "
            "(other work on the machine slows every figure, the naive runner's too).",
            "",
            "| section | measure | figure | note |",
            "|---|---|---|---|",
            *(f"| {s} | {w} | {f} | {n} |" for s, w, f, n in self.rows),
        ]
        if self.sections.get("language"):
            lines += ["", "## Seconds per entry per language", "",
                      "Item times from the JUnit XML, summed per entry (all checks of the entry); "
                      "naive: its own per-entry time.", "", *self.sections["language"]]
        target.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _candidates(entries: list[Any], language: str) -> set[tuple[int, int]]:
    """The pairs duplicate detection compares in full (those sharing a sketch value)."""
    return dataset_checks._candidate_pairs([dataset_checks.fingerprint(e) for e in entries if e.language == language])


def confirmation(log: Path) -> tuple[int, int, float]:
    """(confirmed, found, seconds) from a session's output: its timeouts confirmed at its end."""
    match = re.search(r"synthetic: (\d+) of (\d+) confirmed in ([\d.]+) s", log.read_text(encoding="utf-8"))
    return (int(match[1]), int(match[2]), float(match[3])) if match else (0, 0, 0.0)


def mean(values: list[float], digits: int = 2) -> str:
    return f"{sum(values) / len(values):.{digits}f}" if values else "-"


def _best_of(times: int, work: Any) -> tuple[float, Any]:
    best, value = float("inf"), None
    for _ in range(times):
        start = time.perf_counter()
        value = work()
        best = min(best, time.perf_counter() - start)
    return best, value


def seconds_per_entry(junit: Path) -> dict[str, list[float]]:
    """language -> seconds of each entry (all its items together)."""
    per_entry: dict[tuple[str, str], float] = defaultdict(float)
    for case in ET.parse(junit).getroot().iter("testcase"):
        props = {p.get("name"): p.get("value") for p in case.iter("property")}
        if props.get("language"):
            per_entry[(str(props["language"]), f"{props.get('line')}:{props.get('query_id')}")] += float(
                case.get("time", 0)
            )
    by_language: dict[str, list[float]] = defaultdict(list)
    for (language, _), seconds in per_entry.items():
        by_language[language].append(seconds)
    return by_language


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a 30-entry slice, 2,000 entries at scale, fewer repeats")
    parser.add_argument("--scratch", type=Path, default=Path(tempfile.gettempdir()) / "pytest-synthetic-bench")
    parser.add_argument("--only", choices=["cold", "dist", "scale", "dups"], action="append",
                        help="run only these parts (repeatable)")
    parser.add_argument("--results", type=Path, help="where the table goes (default: benchmarks/results.md, "
                        "or the scratch folder for --only, so that a partial run never replaces the whole table)")
    args = parser.parse_args()
    results = args.results or (args.scratch / "results.md" if args.only else BENCH / "results.md")
    parts = args.only or ["cold", "dist", "scale", "dups"]
    if args.quick and not args.only:
        parts = ["cold", "scale", "dups"]
    started, load = time.perf_counter(), os.getloadavg()
    bench = Bench(args.scratch, args.quick)
    if "cold" in parts:
        bench.cold_and_warm()
    if "dist" in parts:
        bench.scheduling()
    if "scale" in parts:
        bench.scale()
    if "dups" in parts:
        bench.duplicates()
    bench.write(started, load, results)
    print(f"\nwritten: {results}")


if __name__ == "__main__":
    main()
