"""The prompt templates: shipped twice identically, rendered per slot, complete."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.plan import Slot
from generator.prompt import (
    REPAIR_TEMPLATE,
    REQUEST_TEMPLATE,
    TEMPLATE_NAMES,
    load_template,
    render_repair,
    render_request,
)

ROOT = Path(__file__).resolve().parent.parent
SLOTS = [
    Slot("S001", "Python", "Python", "medium", "strings"),
    Slot("S002", "Haskell", "other", "very_advanced", "graphs"),
]


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_the_package_copy_is_identical_to_the_canonical_prompt(name: str) -> None:
    canonical = (ROOT / "prompts" / name).read_text(encoding="utf-8")
    packaged = (ROOT / "generator" / "prompts" / name).read_text(encoding="utf-8")
    assert packaged == canonical, f"copy prompts/{name} to generator/prompts/{name}"


def test_a_request_names_every_slot_and_the_model() -> None:
    text = render_request(load_template(REQUEST_TEMPLATE), SLOTS, model="gpt-test", avoid=["Python `two_sum`: ..."])
    assert "gpt-test" in text
    assert "| S001 | Python | medium | strings |" in text
    assert "| S002 | Haskell | very_advanced | graphs |" in text
    assert "Write 2 new" in text
    assert "- Python `two_sum`: ..." in text
    assert "{{" not in text
    assert "<!--" not in text


def test_the_request_states_the_format_and_the_assertion_styles() -> None:
    text = render_request(load_template(REQUEST_TEMPLATE), SLOTS[:1], model="m", avoid=[])
    for needle in (
        "query_text", "reference_answer", "assertions", "metadata", "function_name", "complexity",
        "at least 5", "console.assert", "panic(", "assert_eq!", "RuntimeException", "check(", "raise ",
        "main = do", "precondition", "throw new Exception", "int main", "No placeholders",
    ):
        assert needle in text, needle
    for language in ("Python", "TypeScript", "JavaScript", "Go", "Rust", "Java", "C++", "C#", "Kotlin",
                     "Scala", "Ruby", "PHP", "Haskell", "Swift", "Bash", "Lua", "Perl"):
        assert f"| {language} |" in text, language


def test_a_repair_carries_the_feedback_and_the_slot() -> None:
    text = render_repair(load_template(REPAIR_TEMPLATE), SLOTS[0], "execution: assertion failed\n  line 3")
    assert "`S001` (Python, medium, strings)" in text
    assert "execution: assertion failed\n  line 3" in text
    assert "{{" not in text


def test_a_custom_template_can_be_given(tmp_path: Path) -> None:
    custom = tmp_path / "mine.md"
    custom.write_text("<!-- note -->\nFor {{model}}:\n- {{id}} in {{language}}\n", encoding="utf-8")
    text = render_request(load_template(REQUEST_TEMPLATE, custom), SLOTS, model="m", avoid=[])
    assert text == "For m:\n- S001 in Python\n- S002 in Haskell\n"
