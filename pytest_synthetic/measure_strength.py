"""Measure strength over datasets: score distribution and cost per language.

    python -m pytest_synthetic.measure_strength DATASET.jsonl ... [--lang Go] [--json out.json]
    python -m pytest_synthetic.measure_strength --summarise out1.json out2.json ...

Every entry is executed first; only those that pass are scored (as the check does).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from pytest_synthetic.checks import schema
from pytest_synthetic.checks.context import CheckContext
from pytest_synthetic.checks.execution import run as run_execution
from pytest_synthetic.checks.strength import details, run_seconds
from pytest_synthetic.model import Entry
from pytest_synthetic.records import read_records
from pytest_synthetic.runner import Verdict
from pytest_synthetic.strength import score_entry

THRESHOLDS = (0.5, 0.6, 0.65, 0.7, 0.75, 0.8)


def entries(paths: list[Path], wanted: set[str] | None) -> list[tuple[str, Entry]]:
    found = []
    for path in paths:
        for record in read_records(path):
            if record.obj is None:
                continue
            entry = schema.to_entry(record, schema.check_object(record.obj))
            if entry is not None and (wanted is None or entry.language in wanted):
                found.append((path.name, entry))
    return found


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1))]


def measure(dataset: str, entry: Entry, workers: int | None) -> dict[str, Any]:
    context = CheckContext()
    started = time.monotonic()
    execution = run_execution(entry, context)
    row: dict[str, Any] = {
        "dataset": dataset,
        "query_id": entry.query_id,
        "language": entry.language,
        "verdict": execution.verdict.value,
        "execution_seconds": round(execution.seconds, 3),
    }
    if execution.verdict is Verdict.PASSED:
        report = score_entry(entry, run_seconds=run_seconds(execution, 1.0), workers=workers)
        row.update(details(report, context.spec.min_mutation_score))
        row["runs"] = len(report.stubs) + len(report.mutants)
        row["survivors"] = [t.label for t in report.survivors]
        row["passing_stubs"] = [t.label for t in report.passing_stubs]
        row["invalid"] = sum(1 for t in (*report.stubs, *report.mutants) if t.outcome == "invalid")
    row["total_seconds"] = round(time.monotonic() - started, 3)
    return row


def summary(rows: list[dict[str, Any]]) -> str:
    by_language: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_language[row["language"]].append(row)
    lines = [
        f"{'language':<11} {'n':>3} {'pass':>4} {'scored':>6} {'mean':>5} {'p10':>5} {'p25':>5} {'med':>5} "
        f"{'min':>5} {'stub!':>5} {'runs':>5} {'s/entry':>7} {'max s':>6}"
    ]
    everything: list[float] = []
    for language in sorted(by_language):
        group = by_language[language]
        passed = [r for r in group if r["verdict"] == "passed"]
        scores = [r["score"] for r in passed if r.get("score") is not None]
        everything += scores
        costs = [r["seconds"] for r in passed]
        runs = [r["runs"] for r in passed]
        weak_stubs = sum(1 for r in passed if r["stubs_passed"])
        stats = (
            (
                f"{statistics.mean(scores):5.2f} {percentile(scores, 0.10):5.2f} {percentile(scores, 0.25):5.2f} "
                f"{statistics.median(scores):5.2f} {min(scores):5.2f}"
            )
            if scores
            else f"{'-':>5} " * 4 + f"{'-':>5}"
        )
        cost = f"{statistics.mean(runs):5.1f} {statistics.mean(costs):7.2f} {max(costs):6.2f}" if costs else ""
        lines.append(f"{language:<11} {len(group):>3} {len(passed):>4} {len(scores):>6} {stats} {weak_stubs:>5} {cost}")
    if everything:
        deciles = " ".join(f"{percentile(everything, q / 10):.2f}" for q in range(1, 10))
        lines.append(f"all: {len(everything)} scored, mean {statistics.mean(everything):.3f}, deciles {deciles}")
        counts = {t: sum(1 for v in everything if v < t) for t in THRESHOLDS}
        below = ", ".join(f"< {t:.2f}: {n} ({n / len(everything):.0%})" for t, n in counts.items())
        lines.append(f"scores below a threshold: {below}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("datasets", nargs="+", type=Path, help="JSONL datasets (or, with --summarise, JSON rows)")
    parser.add_argument("--summarise", action="store_true", help="only summarise rows written earlier by --json")
    parser.add_argument("--lang", action="append", help="canonical language name (repeatable); default all")
    parser.add_argument("--workers", type=int, default=None, help="parallel runs per entry")
    parser.add_argument("--json", type=Path, help="write one row per entry here")
    parser.add_argument("--limit", type=int, default=None, help="at most this many entries per language")
    args = parser.parse_args()
    if args.summarise:
        print(summary([row for path in args.datasets for row in json.loads(path.read_text(encoding="utf-8"))]))
        return 0
    rows = []
    taken: dict[str, int] = defaultdict(int)
    for dataset, entry in entries(args.datasets, set(args.lang) if args.lang else None):
        taken[entry.language] += 1
        if args.limit is not None and taken[entry.language] > args.limit:
            continue
        row = measure(dataset, entry, args.workers)
        rows.append(row)
        score = row.get("score")
        print(
            f"{dataset}::{entry.query_id} [{entry.language}] {row['verdict']}"
            + (
                f" score={score} ({row['killed']}/{row['valid']}) stubs_passed={row['stubs_passed']} {row['seconds']}s"
                if "score" in row
                else ""
            ),
            flush=True,
        )
    print(summary(rows))
    print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
