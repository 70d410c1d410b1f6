"""`python -m pytest_synthetic merge REPORT.json... [--keep KEPT.jsonl...]`: one run's report from its shards'."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from pytest_synthetic.merge import MergeRefused, load, merge_kept, merge_reports, merged_json


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pytest_synthetic")
    commands = parser.add_subparsers(dest="command", required=True)
    merge = commands.add_parser("merge", help="merge the --synthetic-report (and --synthetic-keep) files of shards")
    merge.add_argument("reports", nargs="+", type=Path, help="each shard's --synthetic-report file")
    merge.add_argument("--keep", nargs="*", type=Path, default=[], help="each shard's --synthetic-keep file")
    merge.add_argument("--output", type=Path, default=Path("synthetic-report.json"), help="the merged report")
    merge.add_argument("--keep-output", type=Path, default=Path("synthetic-keep.jsonl"), help="the merged kept file")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Exit status 0: every item passed; 1: some failed; 2: the reports were refused."""
    args = _parser().parse_args(argv)
    try:
        reports = load(args.reports)
        merged = merge_reports(reports)
        kept = merge_kept(reports, args.keep) if args.keep else None
    except MergeRefused as exc:
        print(f"merge refused: {exc}", file=sys.stderr)
        return 2
    args.output.write_text(json.dumps(merged_json(merged, reports), indent=1) + "\n", encoding="utf-8")
    print(f"merged {len(reports)} shard report(s) into {args.output}")
    if kept is not None:
        args.keep_output.write_text("".join(line + "\n" for line in kept), encoding="utf-8")
        print(f"{len(kept)} kept entries written to {args.keep_output}")
    print("\n".join(merged.summary_lines()))
    return 0 if merged.verdict_passed() else 1


if __name__ == "__main__":
    sys.exit(main())
