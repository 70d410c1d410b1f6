"""Contamination: catch rates on made copies, flag rates on the shared datasets, index cost.

    .venv/bin/python benchmarks/contamination.py [--flagged] [--cost]

Copies: every HumanEval-X item (Python, C++, Java, JavaScript, Go, Rust) and every 10th MBPP,
LeetCode and BigCodeBench item, as verbatim, renamed, reformatted and paraphrased-question
copies (pytest_synthetic/contamination/copies.py). A copy is caught at a threshold when its own
item is among the matches of its question or its code. With --flagged, every shared-dataset
entry flagged at the lowest threshold is printed with its closest item, for reading.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pytest_synthetic.checks import contamination  # noqa: E402
from pytest_synthetic.checks.context import CheckContext  # noqa: E402
from pytest_synthetic.contamination import copies  # noqa: E402
from pytest_synthetic.contamination.index import Index  # noqa: E402
from pytest_synthetic.contamination.match import Match, code_matches, fingerprint, question_matches  # noqa: E402
from pytest_synthetic.contamination.settings import CODE_THRESHOLD, QUESTION_THRESHOLD  # noqa: E402
from pytest_synthetic.contamination.shipped import load  # noqa: E402
from pytest_synthetic.contamination.sources import SOURCES, BenchmarkItem, read_items  # noqa: E402
from pytest_synthetic.model import Entry  # noqa: E402

BENCHMARKS = ROOT.parent / "shared" / "benchmarks"
DATASETS = ROOT.parent / "shared" / "datasets"
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95)
EVERY = 10  # of the large Python-only sources, one item in this many


def sampled_items() -> Iterator[BenchmarkItem]:
    for source in SOURCES:
        if source.name in {"humaneval-x", "mbpp", "leetcode", "bigcodebench"}:
            step = 1 if source.name == "humaneval-x" else EVERY
            yield from list(read_items(source, BENCHMARKS))[::step]


def variants(item: BenchmarkItem) -> dict[str, tuple[str, str]]:
    return {
        "verbatim": (item.question, item.code),
        "renamed": (item.question, copies.renamed(item.code)),
        "reformatted": (item.question, copies.reformatted(item.code, item.language)),
        "paraphrased": (copies.paraphrased(item.question), item.code),
        "paraphrased+renamed": (copies.paraphrased(item.question), copies.renamed(item.code)),
    }


def best(matches: list[Match], item_id: str) -> float:
    return max((m.similarity for m in matches if m.item_id.endswith(item_id.split(" ", 1)[-1])), default=0.0)


def catch_rates(index: Index) -> None:
    low = min(THRESHOLDS)
    caught: dict[tuple[str, str], Counter[float]] = {}
    totals: Counter[str] = Counter()
    defaults: Counter[str] = Counter()
    for item in sampled_items():
        for name, (question, code) in variants(item).items():
            entry = fingerprint(question, code, item.language)
            q = best(question_matches(index, entry, low), item.item_id)
            c = best(code_matches(index, entry, low), item.item_id)
            totals[name] += 1
            for part, score in (("question", q), ("code", c), ("either", max(q, c))):
                counts = caught.setdefault((name, part), Counter())
                counts.update(t for t in THRESHOLDS if score >= t)
            defaults[name] += q >= QUESTION_THRESHOLD or c >= CODE_THRESHOLD
    print("catch rate (copies whose own item matches at the threshold)")
    print(f"{'variant':<22}{'part':<10}" + "".join(f"{t:>7}" for t in THRESHOLDS) + "   copies")
    for (name, part), counts in caught.items():
        rates = "".join(f"{counts[t] / totals[name]:>7.1%}" for t in THRESHOLDS)
        print(f"{name:<22}{part:<10}{rates}   {totals[name]}")
    print(f"at the defaults (question {QUESTION_THRESHOLD} or code {CODE_THRESHOLD}):")
    for name, count in defaults.items():
        print(f"  {name:<22}{count / totals[name]:.1%}")


def shared_entries() -> Iterator[tuple[str, dict[str, object]]]:
    for path in sorted(DATASETS.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                yield path.name, json.loads(line)


def flag_rates(index: Index, show: bool) -> float:
    low = min(THRESHOLDS)
    flagged: dict[str, Counter[float]] = {"question": Counter(), "code": Counter()}
    count, started = 0, time.perf_counter()
    for name, obj in shared_entries():
        meta = obj["metadata"]
        assert isinstance(meta, dict)
        entry = fingerprint(str(obj["query_text"]), str(obj["reference_answer"]), str(meta["language"]))
        for part, matches in (
            ("question", question_matches(index, entry, low)),
            ("code", code_matches(index, entry, low)),
        ):
            top = max(matches, key=lambda m: m.similarity, default=None)
            if top is None:
                continue
            flagged[part].update(t for t in THRESHOLDS if top.similarity >= t)
            if show:
                print(f"  {name}::{obj['query_id']} [{meta['language']}] {part} {top.similarity:.2f} {top.item_id}")
        count += 1
    del started
    print(f"flagged among the {count} shared-dataset entries")
    print(f"{'part':<10}" + "".join(f"{t:>7}" for t in THRESHOLDS))
    for part, counts in flagged.items():
        print(f"{part:<10}" + "".join(f"{counts[t]:>7}" for t in THRESHOLDS))
    return count


def per_entry_ms(rounds: int = 5) -> tuple[float, float]:
    """The contamination item itself, at the default settings, over every shared-dataset entry:
    wall and CPU time (the CPU time holds still on a machine shared with other work)."""
    entries = [
        Entry(str(obj["query_id"]), str(obj["query_text"]), str(obj["reference_answer"]), "",
              str(obj["metadata"]["language"]), "", "", "", 0.0, 1, raw={})  # type: ignore[index]
        for _, obj in shared_entries()
    ]  # fmt: skip
    context = CheckContext()
    contamination.check(entries[0], context)  # the index is loaded before the clock starts
    wall = cpu = float("inf")
    for _ in range(rounds):
        started, started_cpu = time.perf_counter(), time.process_time()
        for entry in entries:
            contamination.check(entry, context)
        wall = min(wall, (time.perf_counter() - started) / len(entries))
        cpu = min(cpu, (time.process_time() - started_cpu) / len(entries))
    return wall * 1000, cpu * 1000


_LOAD = """
import time, tracemalloc
from pytest_synthetic.contamination.shipped import INDEX_PATH, load
started = time.perf_counter()
load()
seconds = time.perf_counter() - started
load.cache_clear()
tracemalloc.start()
load()
print(seconds, tracemalloc.get_traced_memory()[1])
"""


def load_cost() -> tuple[float, int]:
    """In a fresh interpreter: the index read (timed without tracemalloc, which slows it), and
    the peak memory of a second read."""
    out = subprocess.run([sys.executable, "-c", _LOAD], capture_output=True, text=True, check=True, cwd=ROOT)
    seconds, peak = out.stdout.split()
    return float(seconds), int(peak)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--flagged", action="store_true", help="print every flagged shared-dataset entry")
    parser.add_argument("--cost", action="store_true", help="only the load and per-entry times")
    args = parser.parse_args()
    seconds, peak = min(load_cost() for _ in range(3))
    print(f"index load: {seconds * 1000:.0f} ms, peak {peak / 1e6:.1f} MB (best of 3, fresh interpreter)")
    wall, cpu = per_entry_ms()
    print(f"per entry (the contamination item at its defaults, best of 5): {wall:.2f} ms wall, {cpu:.2f} ms CPU")
    if not args.cost:
        index = load()
        flag_rates(index, args.flagged)
        catch_rates(index)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
