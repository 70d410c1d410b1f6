"""The offline bank backend: exact picks, reported substitutes, and a full offline run."""

from __future__ import annotations

import io
import json
from pathlib import Path

from generator.bank import BankBackend, load_bank
from generator.cli import main
from generator.plan import Slot
from pytest_synthetic.spec import build_spec

BANK = Path(__file__).parent / "generator_data" / "bank_small.jsonl"
SPEC = build_spec({"language_quotas": "Python=4,other=2", "difficulty_quotas": "medium=3,advanced=3"})


def slot(language: str, difficulty: str, bucket: str | None = None, key: str = "S001") -> Slot:
    return Slot(key, language, bucket or language, difficulty, "algorithms")


def backend(**kwargs: object) -> BankBackend:
    problems, _ = load_bank(BANK)
    return BankBackend(problems, SPEC, seed=0, **kwargs)  # type: ignore[arg-type]


def test_loading_skips_what_is_not_a_problem() -> None:
    problems, warnings = load_bank(BANK)
    assert len(problems) == 8
    assert len(warnings) == 1
    assert "bank_small.jsonl:9" in warnings[0]


def test_a_slot_gets_a_problem_of_its_language_and_difficulty() -> None:
    bank = backend()
    [candidate] = bank.propose([slot("Python", "advanced")], [])
    assert candidate.obj is not None
    assert candidate.obj["metadata"]["difficulty"] == "advanced"
    assert candidate.substitute_note == ""
    assert bank.available("Python", "advanced") == 1
    assert bank.repair(candidate, "anything") is None


def test_the_nearest_difficulty_is_a_reported_substitute() -> None:
    bank = backend()
    bank.propose([slot("Python", "very_advanced")], [])  # the only one
    [candidate] = bank.propose([slot("Python", "very_advanced", key="S002")], [])
    assert candidate.obj is not None
    assert candidate.obj["metadata"]["difficulty"] == "advanced"
    assert candidate.slot.difficulty == "advanced"  # judged against what it really is
    assert "S002 Python/very_advanced" in candidate.substitute_note
    assert "used Python/advanced" in candidate.substitute_note


def test_the_other_bucket_takes_a_sibling_language_before_another_difficulty() -> None:
    bank = backend()
    [candidate] = bank.propose([slot("Java", "medium", bucket="other")], [])
    assert candidate.obj is not None
    assert candidate.obj["metadata"]["language"] == "Ruby"
    assert candidate.slot.difficulty == "medium"
    assert "used Ruby/medium" in candidate.substitute_note


def test_an_empty_bank_says_so() -> None:
    bank = backend()
    for index in range(8):
        bank.propose([slot("Python", "medium", key=f"S{index}")], [])
    [candidate] = bank.propose([slot("Python", "medium", key="S9")], [])
    assert candidate.obj is None
    assert "no unused problem" in candidate.problem


def test_problems_already_in_the_output_are_not_served_again() -> None:
    problems, _ = load_bank(BANK)
    taken = [p.obj["query_text"] for p in problems if p.language == "Python" and p.difficulty == "advanced"]
    bank = backend(used=taken)
    assert bank.available("Python", "advanced") == 0


def test_an_offline_run_fills_the_plan(tmp_path: Path) -> None:
    out = tmp_path / "bank.jsonl"
    stdout, stderr = io.StringIO(), io.StringIO()
    argv = [
        "--backend", "bank", "--bank", str(BANK), "--out", str(out), "--count", "6",
        "--language-quotas", "Python=4,other=2", "--difficulty-quotas", "medium=3,advanced=3", "--no-execute",
    ]
    assert main(argv, out=stdout, err=stderr) == 0, stderr.getvalue()
    entries = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [e["query_id"] for e in entries] == [f"synthetic-{n:03d}" for n in range(1, 7)]
    assert len({e["metadata"]["function_name"] for e in entries}) == 6
    languages = sorted(e["metadata"]["language"] for e in entries)
    assert languages == ["JavaScript", "Python", "Python", "Python", "Python", "Ruby"]
    assert "bank: skipping" in stderr.getvalue()
    report = stdout.getvalue()
    assert "the file holds 6 of 6" in report
    assert "tokens" not in report  # no API, no cost
    # a second run has nothing left to do
    assert main(argv, out=io.StringIO(), err=io.StringIO()) == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 6


def test_slots_the_bank_cannot_fill_are_reported_not_retried(tmp_path: Path) -> None:
    out = tmp_path / "bank.jsonl"
    stdout, stderr = io.StringIO(), io.StringIO()
    argv = [
        "--backend", "bank", "--bank", str(BANK), "--out", str(out), "--count", "5",
        "--language-quotas", "Python=3,Go=2", "--difficulty-quotas", "medium=3,advanced=2", "--no-execute",
    ]
    assert main(argv, out=stdout, err=stderr) == 1
    assert "the bank has nothing for 2 slot(s)" in stderr.getvalue()
    report = stdout.getvalue()
    assert "2 slot(s) left unfilled: the bank has no problem left for them" in report
    assert "bank 2" in report  # asked once each, not once per --slot-tries
    assert [e["metadata"]["language"] for e in map(json.loads, out.read_text().splitlines())] == ["Python"] * 3
