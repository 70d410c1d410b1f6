"""The dataset-wide checks read the records once, as a stream, and keep only fingerprints."""

from __future__ import annotations

import dataclasses
import random
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from pytest_synthetic.checks import dataset as dataset_checks
from pytest_synthetic.checks import schema
from pytest_synthetic.model import Entry
from pytest_synthetic.records import iter_records, read_records
from pytest_synthetic.spec import DatasetSpec


def real_entries(shared_datasets: Path) -> list[Entry]:
    records = read_records(shared_datasets / "synthetic_gpt5.jsonl")
    return [e for r in records if r.obj and (e := schema.to_entry(r, schema.check_object(r.obj)))]


def with_copies(entries: list[Entry]) -> list[Entry]:
    """Each entry twice, the copy one word different: near-duplicates to find."""
    rng = random.Random(5)
    copies = []
    for index, entry in enumerate(entries):
        words = entry.query_text.split()
        words[rng.randrange(len(words))] = "other"
        copy = dataclasses.replace(entry, query_id=f"copy-{index}", line=500 + index, query_text=" ".join(words))
        copies.append(copy)
    return entries + copies


def test_bounded_counting_finds_the_same_common_shingles(
    shared_datasets: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    prints = [dataset_checks.fingerprint(e) for e in with_copies(real_entries(shared_datasets))]
    prints = [p for p in prints if p.entry.language == "Python"]
    limit = max(3, int(len(prints) * dataset_checks.COMMON_SHINGLE_SHARE))
    exact = Counter(h for p in prints for h in p.shingles)
    expected = {h for h, n in exact.items() if n > limit}
    assert expected  # boilerplate shingles exist in real code
    assert dataset_checks._common_shingles(prints) == expected  # counted without dropping
    for room in (200, 3000, 4000):  # too many drops (room doubled), then a few
        monkeypatch.setattr(dataset_checks, "COUNTED_SHINGLES", room)
        assert dataset_checks._bounded_counts(prints, room)[1] > 0
        assert dataset_checks._common_shingles(prints) == expected


def test_duplicates_are_the_same_streamed_or_in_memory(
    shared_datasets: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    entries = with_copies(real_entries(shared_datasets))
    spec = DatasetSpec(near_duplicate_threshold=0.7)
    whole = dataset_checks.check_duplicates(entries, spec)
    assert whole.details["pairs"] >= 50

    def stream() -> Iterator[Entry]:
        yield from entries

    monkeypatch.setattr(dataset_checks, "COUNTED_SHINGLES", 300)
    streamed = dataset_checks.check_duplicates(stream(), spec)
    assert streamed.render() == whole.render()
    assert {(a.line, b.line) for a, b, _ in dataset_checks.duplicate_pairs(entries, 0.7)} == {
        (int(f.message.split("(line ")[1].split(")")[0]), int(f.message.split("(line ")[2].split(")")[0]))
        for f in streamed.findings
    }


def test_record_checks_read_a_file_once(shared_datasets: Path) -> None:
    path = shared_datasets / "synthetic_gpt5.jsonl"
    spec = DatasetSpec()
    for name in ("size", "languages", "difficulties", "ids"):
        streamed = dataset_checks.run_dataset_check(name, iter_records(path), iter(()), spec)
        listed = dataset_checks.run_dataset_check(name, read_records(path), [], spec)
        assert streamed == listed
        assert streamed.outcome.value == "passed"
