"""Mutant schemata against a build per variant, entry by entry: same verdicts, fewer seconds.

    python benchmarks/schema_strength.py ../shared/datasets/*.jsonl [--lang Go ...] [--json rows.json]

For every entry of a language with a schema that passes execution, the strength test runs
twice back to back, once with a build per variant and once with the mutants in a schema
(`score_entry(schemata=...)`), so that both see the same load. Printed per entry: the seconds
of each and every trial whose verdict differs; then per language the mean seconds of each.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))

from pytest_synthetic import languages  # noqa: E402
from pytest_synthetic.checks.context import CheckContext  # noqa: E402
from pytest_synthetic.checks.execution import run as run_execution  # noqa: E402
from pytest_synthetic.checks.strength import run_seconds  # noqa: E402
from pytest_synthetic.measure_strength import entries  # noqa: E402
from pytest_synthetic.model import Entry  # noqa: E402
from pytest_synthetic.runner import Verdict  # noqa: E402
from pytest_synthetic.strength import StrengthReport, score_entry  # noqa: E402


def _trials(report: StrengthReport) -> list[tuple[str, str, str]]:
    return [(t.label, t.verdict, t.outcome) for t in (*report.stubs, *report.mutants)]


def compare(dataset: str, entry: Entry) -> dict[str, Any] | None:
    execution = run_execution(entry, CheckContext())
    if execution.verdict is not Verdict.PASSED:
        return None
    seconds = run_seconds(execution, 1.0)
    alone = score_entry(entry, run_seconds=seconds, schemata=False)
    shared = score_entry(entry, run_seconds=seconds, schemata=True)
    differences = [
        f"{a[0]}: {a[1]} -> {b[1]}" for a, b in zip(_trials(alone), _trials(shared), strict=True) if a[1:] != b[1:]
    ]
    return {
        "dataset": dataset,
        "query_id": entry.query_id,
        "language": entry.language,
        "alone_seconds": round(alone.seconds, 2),
        "schema_seconds": round(shared.seconds, 2),
        "score": [alone.score, shared.score],
        "passing_stubs": [len(alone.passing_stubs), len(shared.passing_stubs)],
        "differences": differences,
    }


def summary(rows: list[dict[str, Any]]) -> str:
    by_language: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_language[row["language"]].append(row)
    lines = [f"{'language':<10} {'entries':>7} {'build each s':>12} {'schema s':>9} {'max schema s':>12} {'differ':>6}"]
    for language in sorted(by_language):
        group = by_language[language]
        alone = statistics.mean(r["alone_seconds"] for r in group)
        shared = [r["schema_seconds"] for r in group]
        differ = sum(1 for r in group if r["differences"])
        lines.append(
            f"{language:<10} {len(group):>7} {alone:>12.2f} {statistics.mean(shared):>9.2f} {max(shared):>12.2f} "
            f"{differ:>6}"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("datasets", nargs="+", type=Path)
    parser.add_argument("--lang", action="append", help="canonical language name (repeatable); default: with a schema")
    parser.add_argument("--json", type=Path, help="write one row per entry here")
    args = parser.parse_args()
    wanted = set(args.lang or [language.name for language in languages.ALL if language.schema is not None])
    rows = []
    for dataset, entry in entries(args.datasets, wanted):
        row = compare(dataset, entry)
        if row is None:
            continue
        rows.append(row)
        print(
            f"{dataset}::{entry.query_id} [{entry.language}] build each {row['alone_seconds']}s, "
            f"schema {row['schema_seconds']}s, score {row['score']}, passing stubs {row['passing_stubs']}"
            + "".join(f"\n    differs: {d}" for d in row["differences"]),
            flush=True,
        )
    print(summary(rows))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
