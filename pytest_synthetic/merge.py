"""Merge the JSON reports (and kept files) of a dataset's shards into those of one whole run.

The shards must all come from the same plugin, settings and dataset files (runinfo.py), and be
shards 1..N of one N, each once. The merged report lists every entry and dataset-wide item once,
as an unsharded run's would; the kept file holds the kept entries in file and line order.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pytest_synthetic.report import ItemOutcome, SessionReport


class MergeRefused(Exception):
    """The reports cannot make one run's report: the message says why."""


class MergedReport(SessionReport):
    """A report rebuilt from written reports instead of a session's item reports."""

    def __init__(self) -> None:  # no pytest session behind it
        self.outcomes: dict[tuple[str, int, str], ItemOutcome] = {}

    def add(self, report: dict[str, Any], name: str) -> None:
        for outcome in _outcomes(report):
            key = (outcome.file, outcome.line, outcome.check)
            if key in self.outcomes:
                where = f"{outcome.file} line {outcome.line} {outcome.check}"
                raise MergeRefused(f"{name}: {where} is in another shard's report too")
            self.outcomes[key] = outcome

    def verdict_passed(self) -> bool:
        return not any(o.outcome in {"failed", "error"} for o in self.outcomes.values())


def _outcomes(report: dict[str, Any]) -> list[ItemOutcome]:
    found = []
    for entry in report.get("entries", []):
        for check, data in entry["checks"].items():
            details = {k: v for k, v in data.items() if k not in {"outcome", "reason"}}
            found.append(
                ItemOutcome(
                    entry["file"], entry["query_id"], entry["line"], entry["language"], check,
                    data["outcome"], data["reason"], details,
                )
            )
    for item in report.get("dataset", []):
        details = {k: v for k, v in item.items() if k not in {"file", "check", "outcome", "reason"}}
        found.append(ItemOutcome(item["file"], "", 0, "", item["check"], item["outcome"], item["reason"], details))
    return found


@dataclass(frozen=True)
class ShardReport:
    name: str
    data: dict[str, Any]

    @property
    def run(self) -> dict[str, Any]:
        run = self.data.get("run")
        if not isinstance(run, dict):
            raise MergeRefused(f"{self.name}: no run section (written by an older pytest-synthetic?)")
        return run

    @property
    def shard(self) -> tuple[int, int]:
        text = self.run.get("shard") or "1/1"  # an unsharded run is the only shard of one
        index, count = str(text).split("/")
        return int(index), int(count)


def load(paths: Sequence[Path]) -> list[ShardReport]:
    reports = []
    for path in paths:
        try:
            reports.append(ShardReport(str(path), json.loads(path.read_text(encoding="utf-8"))))
        except (OSError, ValueError) as exc:
            raise MergeRefused(f"{path}: not a readable JSON report ({exc})") from None
    return reports


def check_compatible(reports: Sequence[ShardReport]) -> None:
    """Refuse reports of different runs, and name the shards missing or given twice."""
    if not reports:
        raise MergeRefused("no reports given")
    first = reports[0]
    for report in reports[1:]:
        for part, what in (("plugin", "plugin versions"), ("settings", "settings"), ("datasets", "datasets")):
            if report.run.get(part) != first.run.get(part):
                difference = _difference(first.run.get(part), report.run.get(part))
                raise MergeRefused(f"{report.name} and {first.name} come from different {what}: {difference}")
    counts = {r.shard[1] for r in reports}
    if len(counts) > 1:
        splits = ", ".join(f"{r.name} is {r.shard[0]}/{r.shard[1]}" for r in reports)
        raise MergeRefused(f"shards of different splits: {splits}")
    count = counts.pop()
    seen: dict[int, str] = {}
    for report in reports:
        index = report.shard[0]
        if index in seen:
            raise MergeRefused(f"shard {index}/{count} given twice: {seen[index]} and {report.name}")
        seen[index] = report.name
    missing = sorted(set(range(1, count + 1)) - set(seen))
    if missing:
        raise MergeRefused(f"missing shard(s) {', '.join(map(str, missing))} of {count}")


def _difference(first: Any, other: Any) -> str:
    if isinstance(first, dict) and isinstance(other, dict):
        keys = sorted(k for k in first.keys() | other.keys() if first.get(k) != other.get(k))
        return "; ".join(f"{k}: {first.get(k)!r} vs {other.get(k)!r}" for k in keys)
    return f"{first!r} vs {other!r}"


def merge_reports(reports: Sequence[ShardReport]) -> MergedReport:
    check_compatible(reports)
    merged = MergedReport()
    for report in reports:
        merged.add(report.data, report.name)
    return merged


def merged_json(merged: MergedReport, reports: Sequence[ShardReport]) -> dict[str, Any]:
    data = merged.as_json()
    data["dataset"].sort(key=lambda item: (item["file"], item["check"]))
    run = dict(reports[0].run)
    run["shard"] = None
    run["merged_from"] = len(reports)
    return {**data, "run": run}


def _kept_order(report: SessionReport) -> list[tuple[str, int, str]]:
    """(file, line, query_id) of the kept entries, in the order their kept file lists them."""
    query_ids = {(o.file, o.line): o.query_id for o in report.outcomes.values()}
    kept = report.kept()
    return [(file, line, query_ids[file, line]) for file in sorted(kept) for line in sorted(kept[file])]


def _query_id(raw: str) -> object:
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    return value.get("query_id") if isinstance(value, dict) else None


def merge_kept(reports: Sequence[ShardReport], keep_paths: Sequence[Path]) -> list[str]:
    """The kept entries of every shard, in file and line order. Each kept file is matched to
    the shard whose kept entries it lists (by their query_ids, in order), wherever it lies."""
    expected = []
    for report in reports:
        alone = MergedReport()
        alone.add(report.data, report.name)
        expected.append(_kept_order(alone))
    matched: dict[int, list[str]] = {}
    for path in keep_paths:
        lines = path.read_text(encoding="utf-8").splitlines()
        ids = [_query_id(line) for line in lines]
        index = next(
            (i for i, order in enumerate(expected) if i not in matched and [q for _, _, q in order] == ids), None
        )
        if index is None:
            raise MergeRefused(f"{path}: its entries are not the kept entries of any shard given")
        matched[index] = lines
    by_place: dict[tuple[str, int], str] = {}
    for index, order in enumerate(expected):
        if order and index not in matched:
            raise MergeRefused(f"no kept file given for {reports[index].name} ({len(order)} kept entries)")
        for (file, line, _), raw in zip(order, matched.get(index, []), strict=True):
            by_place[file, line] = raw
    return [by_place[place] for place in sorted(by_place)]
