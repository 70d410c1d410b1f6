"""Finding entries in replies however they are wrapped."""

from __future__ import annotations

import json

import pytest

from generator.parsing import extract_entries

ENTRY = {
    "query_id": "S001",
    "query_text": "Write a Python function named `f` ...",
    "reference_answer": "def f():\n    return {\"a\": [1, 2]}\n",
    "assertions": "assert f() == {\"a\": [1, 2]}",
    "metadata": {"language": "Python"},
}
OTHER = {**ENTRY, "query_id": "S002"}


@pytest.mark.parametrize(
    "text",
    [
        json.dumps({"entries": [ENTRY, OTHER]}),
        json.dumps([ENTRY, OTHER]),
        json.dumps(ENTRY) + "\n" + json.dumps(OTHER),
        "```json\n" + json.dumps({"entries": [ENTRY, OTHER]}, indent=2) + "\n```",
        "Here are your challenges!\n\n```\n" + json.dumps([ENTRY, OTHER]) + "\n```\nLet me know {if} you need more.",
        "Sure. " + json.dumps(ENTRY) + " and also " + json.dumps({"entry": OTHER}) + ". Done [1].",
        "```json\n" + json.dumps(ENTRY) + "\n```\n\n```json\n" + json.dumps(OTHER) + "\n```",
    ],
    ids=["wrapper", "list", "two-objects", "fenced", "chatty-fenced", "chatty-inline", "two-fences"],
)
def test_entries_are_found_in_any_wrapping(text: str) -> None:
    parsed = extract_entries(text)
    assert parsed.error is None
    assert [e["query_id"] for e in parsed.entries] == ["S001", "S002"]
    assert parsed.entries[0]["reference_answer"] == ENTRY["reference_answer"]


def test_raw_newlines_inside_strings_are_tolerated() -> None:
    text = '{"query_text": "two\nlines", "reference_answer": "x", "assertions": "y"}'
    assert extract_entries(text).entries[0]["query_text"] == "two\nlines"


def test_valid_entries_survive_a_broken_neighbour() -> None:
    broken = json.dumps({"entries": [ENTRY]})[:-2] + ', {"query_text": "cut off'
    parsed = extract_entries(broken)
    assert [e["query_id"] for e in parsed.entries] == ["S001"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("I cannot help with that.", "no JSON object"),
        ('{"entries": [{"query_text": "x", "assertions": ', "not valid JSON"),
        ('{"answer": 42}', "no JSON object"),
    ],
)
def test_unusable_replies_say_why(text: str, message: str) -> None:
    parsed = extract_entries(text)
    assert parsed.entries == []
    assert parsed.error is not None
    assert message in parsed.error
