"""`python -m pytest_synthetic merge`: shards' reports and kept files make the unsharded run's."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

STATIC = "not execution and not strength"  # the static checks judge entries in milliseconds


def run_pytest(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pytest", "-q", "--synthetic-no-cache", "-k", STATIC, *args]
    return subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=600, check=False)


def merge(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pytest_synthetic", "merge", *args]
    return subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory, shared_datasets: Path) -> Path:
    """One unsharded run and three shards (one with xdist) of a real dataset with bad lines added.
    No result cache: the report tells results read from it from those computed (`source`)."""
    folder = tmp_path_factory.mktemp("merge")
    (folder / "pytest.ini").write_text("[pytest]\nsynthetic_dataset = synthetic_data.jsonl\n")
    rows = (shared_datasets / "synthetic_gpt5.jsonl").read_bytes().splitlines()
    (folder / "synthetic_data.jsonl").write_bytes(b"\n".join([*rows, b"{oops", rows[3]]) + b"\n")
    run_pytest(folder, "--synthetic-report=whole.json", "--synthetic-keep=whole.jsonl")
    for index in (1, 2, 3):
        xdist = ["-n", "2"] if index == 2 else []
        out = folder / f"shard-{index}"
        out.mkdir()
        run_pytest(folder, f"--synthetic-shard={index}/3", f"--synthetic-report={out}/report.json",
                   f"--synthetic-keep={out}/keep.jsonl", *xdist)
    return folder


def comparable(report: dict[str, Any]) -> tuple[list[Any], list[Any]]:
    return report["entries"], sorted(report["dataset"], key=lambda item: item["check"])


def test_merged_shards_equal_the_unsharded_run(runs: Path) -> None:
    reports = [f"shard-{i}/report.json" for i in (3, 1, 2)]
    keeps = [f"shard-{i}/keep.jsonl" for i in (2, 3, 1)]  # in any order: matched by content
    result = merge(runs, *reports, "--keep", *keeps, "--output=merged.json", "--keep-output=merged.jsonl")
    assert result.returncode == 1, result.stderr  # the dataset has failing items
    whole = json.loads((runs / "whole.json").read_text())
    merged = json.loads((runs / "merged.json").read_text())
    assert len(merged["entries"]) == 102
    assert comparable(merged) == comparable(whole)
    shards = [json.loads((runs / r).read_text())["entries"] for r in reports]
    assert all(0 < len(entries) < 60 for entries in shards)
    kept = (runs / "merged.jsonl").read_bytes()
    assert kept == (runs / "whole.jsonl").read_bytes()
    assert kept.count(b"\n") > 50
    assert "verdict: FAIL" in result.stdout
    assert "merged 3 shard report(s)" in result.stdout


def test_a_missing_or_repeated_shard_is_named(runs: Path) -> None:
    missing = merge(runs, "shard-1/report.json", "shard-3/report.json")
    assert missing.returncode == 2
    assert "missing shard(s) 2 of 3" in missing.stderr
    twice = merge(runs, "shard-1/report.json", "shard-1/report.json", "shard-2/report.json")
    assert "shard 1/3 given twice" in twice.stderr
    mixed = merge(runs, "whole.json", "shard-1/report.json")
    assert "shards of different splits" in mixed.stderr
    assert not (runs / "synthetic-report.json").exists()


def test_shards_of_other_settings_or_datasets_are_refused(runs: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(runs, other)
    run_pytest(other, "--synthetic-shard=2/3", "--synthetic-size=90", "--synthetic-report=size.json")
    refused = merge(other, "shard-1/report.json", "size.json", "shard-3/report.json")
    assert refused.returncode == 2
    assert "different settings" in refused.stderr
    assert "'size': 100" in refused.stderr
    assert "'size': 90" in refused.stderr
    with (other / "synthetic_data.jsonl").open("ab") as out:
        out.write(b"{}\n")
    run_pytest(other, "--synthetic-shard=2/3", "--synthetic-report=edited.json")
    refused = merge(other, "shard-1/report.json", "edited.json", "shard-3/report.json")
    assert "different datasets" in refused.stderr


def test_reports_of_another_plugin_version_are_refused(runs: Path, tmp_path: Path) -> None:
    report = json.loads((runs / "shard-2/report.json").read_text())
    assert len(report["run"]["plugin"]["code"]) == 64
    report["run"]["plugin"]["version"] = "0.0.9"
    (tmp_path / "old.json").write_text(json.dumps(report))
    refused = merge(runs, "shard-1/report.json", str(tmp_path / "old.json"), "shard-3/report.json")
    assert refused.returncode == 2
    assert "different plugin versions" in refused.stderr


def test_a_kept_file_of_no_shard_is_refused(runs: Path) -> None:
    reports = [f"shard-{i}/report.json" for i in (1, 2, 3)]
    refused = merge(runs, *reports, "--keep", "whole.jsonl")
    assert refused.returncode == 2
    assert "whole.jsonl: its entries are not the kept entries of any shard" in refused.stderr
    lacking = merge(runs, *reports, "--keep", "shard-1/keep.jsonl", "shard-2/keep.jsonl")
    assert "no kept file given for shard-3/report.json" in lacking.stderr
