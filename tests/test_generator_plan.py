"""The plan: the requested mix by construction, spread evenly, repeatable for a seed."""

from __future__ import annotations

from collections import Counter

import pytest

from generator.plan import CATEGORIES, make_plan, other_languages, remaining, summarise
from pytest_synthetic.spec import DatasetSpec, build_spec

OTHERS = ["Java", "JavaScript", "C++", "Ruby", "Swift", "Kotlin", "C#", "PHP", "Scala", "Haskell"]


def test_default_plan_meets_the_default_mix() -> None:
    plan = make_plan(DatasetSpec())
    assert len(plan) == 100
    buckets = Counter(slot.bucket for slot in plan)
    assert buckets == {"Python": 40, "TypeScript": 40, "Go": 7, "Rust": 3, "other": 10}
    assert Counter(slot.difficulty for slot in plan) == {"medium": 33, "advanced": 34, "very_advanced": 33}
    # the other bucket: one of each of the ten other languages
    assert sorted(slot.language for slot in plan if slot.bucket == "other") == sorted(OTHERS)
    assert len({slot.key for slot in plan}) == 100


def test_each_language_gets_an_even_difficulty_split_and_varied_categories() -> None:
    plan = make_plan(DatasetSpec())
    for language, expected in (("Python", 40), ("TypeScript", 40), ("Go", 7), ("Rust", 3)):
        counts = Counter(slot.difficulty for slot in plan if slot.language == language)
        assert sum(counts.values()) == expected
        assert max(counts.values()) - min(counts.values()) <= 1, (language, counts)
    python_categories = Counter(slot.category for slot in plan if slot.language == "Python")
    assert set(python_categories) == set(CATEGORIES)
    assert max(python_categories.values()) - min(python_categories.values()) <= 1


def test_a_big_plan_spreads_the_other_bucket_round_robin() -> None:
    spec = build_spec({"size": "500"})
    plan = make_plan(spec, seed=7)
    assert len(plan) == 500
    others = Counter(slot.language for slot in plan if slot.bucket == "other")
    assert set(others) == set(OTHERS)
    assert set(others.values()) == {5}
    assert Counter(slot.difficulty for slot in plan) == spec.difficulty_quotas


def test_the_plan_is_deterministic_for_a_seed() -> None:
    spec = DatasetSpec()
    assert make_plan(spec, seed=3) == make_plan(spec, seed=3)
    assert make_plan(spec, seed=3) != make_plan(spec, seed=4)
    # same mix whatever the seed
    assert Counter(s.bucket for s in make_plan(spec, seed=4)) == Counter(s.bucket for s in make_plan(spec, seed=3))


def test_languages_with_their_own_quota_leave_the_rotation() -> None:
    spec = build_spec({"language_quotas": "Python=5,Java=3,other=4", "difficulty_quotas": "medium=6,advanced=6"})
    assert "Java" not in other_languages(spec)
    assert "TypeScript" in other_languages(spec)
    plan = make_plan(spec)
    assert Counter(s.language for s in plan)["Java"] == 3
    assert all(s.language != "Java" for s in plan if s.bucket == "other")
    assert Counter(s.difficulty for s in plan) == {"medium": 6, "advanced": 6}


@pytest.mark.parametrize(
    ("quotas", "message"),
    [
        ({"language_quotas": "python=100"}, "write 'Python'"),
        ({"language_quotas": "Cobol=100"}, "unknown language"),
        ({"language_quotas": "Python=10", "difficulty_quotas": "medium=5"}, "add up to"),
    ],
)
def test_bad_quotas_are_explained(quotas: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make_plan(build_spec(quotas))


def test_remaining_strikes_out_what_the_file_already_holds() -> None:
    spec = DatasetSpec()
    plan = make_plan(spec)
    existing = [("Python", "medium")] * 5 + [("Kotlin", "advanced"), ("typescript", "very_advanced")]
    open_slots, surplus = remaining(plan, existing, spec)
    assert surplus == 0
    assert len(open_slots) == 93
    assert Counter(s.bucket for s in open_slots)["Python"] == 35
    assert Counter(s.bucket for s in open_slots)["other"] == 9
    assert not any(s.language == "Kotlin" for s in open_slots)


def test_remaining_prefers_exact_matches_and_reports_surplus() -> None:
    spec = build_spec({"language_quotas": "Python=2", "difficulty_quotas": "medium=1,advanced=1"})
    plan = make_plan(spec)
    # the first entry could take either slot loosely; it must not take the one the second fits exactly
    open_slots, surplus = remaining(plan, [("Python", "very_advanced"), ("Python", "medium")], spec)
    assert [s.difficulty for s in open_slots] == []
    assert surplus == 0
    open_slots, surplus = remaining(plan, [("Python", "medium")] * 3, spec)
    assert open_slots == []
    assert surplus == 1


def test_summary_table_counts() -> None:
    text = summarise(make_plan(DatasetSpec()))
    assert "Python" in text
    assert "Haskell*" in text
    assert text.splitlines()[-2].split()[-1] == "100"
