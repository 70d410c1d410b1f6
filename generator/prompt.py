"""Loading the prompt templates and filling them in for a request or a repair.

The templates are Markdown with ``{{name}}`` placeholders (double braces, so the code
samples' own braces need no escaping). A line that holds a slot placeholder is a row
template: it is repeated once per requested slot.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from generator.plan import Slot

REQUEST_TEMPLATE = "GENERATE_SYNTHETIC_DATASET_PROMPT.md"
REPAIR_TEMPLATE = "REPAIR_SYNTHETIC_ENTRY_PROMPT.md"
TEMPLATE_NAMES = (REQUEST_TEMPLATE, REPAIR_TEMPLATE)

_PACKAGE_DIR = Path(__file__).resolve().parent
# prompts/ at the repository root is the canonical copy (edited by people); the package
# carries an identical copy for installed use.
SEARCH_DIRS = (_PACKAGE_DIR.parent / "prompts", _PACKAGE_DIR / "prompts")

_SLOT_FIELDS = ("id", "language", "difficulty", "category")
_COMMENT = re.compile(r"<!--.*?-->\s*", re.DOTALL)


def template_path(name: str) -> Path:
    for folder in SEARCH_DIRS:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"prompt template {name} not found in {', '.join(map(str, SEARCH_DIRS))}")


def load_template(name: str, override: Path | None = None) -> str:
    return (override or template_path(name)).read_text(encoding="utf-8")


def _slot_values(slot: Slot) -> dict[str, str]:
    return {
        "id": slot.key,
        "language": slot.language,
        "difficulty": slot.difficulty,
        "category": slot.category,
    }


def _fill(text: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        text = text.replace("{{" + name + "}}", value)
    return text


def render(template: str, slots: Sequence[Slot], values: dict[str, str]) -> str:
    """The template with comments removed, slot rows repeated and placeholders filled."""
    text = _COMMENT.sub("", template)
    lines: list[str] = []
    for line in text.splitlines():
        if any("{{" + name + "}}" in line for name in _SLOT_FIELDS):
            lines.extend(_fill(line, _slot_values(slot)) for slot in slots)
        else:
            lines.append(line)
    return _fill("\n".join(lines), values).strip() + "\n"


def render_request(template: str, slots: Sequence[Slot], *, model: str, avoid: Sequence[str]) -> str:
    avoid_text = "\n".join(f"- {item}" for item in avoid) if avoid else "- (none yet)"
    return render(template, slots, {"model": model, "count": str(len(slots)), "avoid": avoid_text})


def render_repair(template: str, slot: Slot, feedback: str) -> str:
    return render(template, [slot], {"feedback": feedback.strip()})
