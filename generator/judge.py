"""Deciding whether a candidate is good: the slot it was asked for, then the plugin's checks.

The generator adds no quality rules of its own beyond "is this what the slot asked
for": everything else is ``pytest_synthetic.evaluate``, the same code the plugin runs,
so an accepted entry passes the test suite by construction.
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from generator.backend import Candidate
from generator.plan import Slot
from generator.writer import ordered
from pytest_synthetic import languages
from pytest_synthetic.checks import CheckContext
from pytest_synthetic.checks.execution import CHECK as EXECUTION
from pytest_synthetic.evaluate import evaluate_object
from pytest_synthetic.model import Entry, Outcome
from pytest_synthetic.spec import DatasetSpec

SLOT_CHECK = "slot"  # the answer is not for the language/difficulty the slot asked for
MAX_FEEDBACK = 6000  # characters; long compiler output helps nobody past this


@dataclass(frozen=True)
class Verdict:
    ok: bool
    reasons: tuple[str, ...]  # names of the failed checks
    feedback: str  # what to tell the model
    obj: dict[str, Any] | None = None  # the normalised entry
    entry: Entry | None = None
    seen: int = 0  # how many accepted entries the duplicate check compared against
    unexecuted: bool = False  # passed with its execution skipped (a toolchain missing here)


def _difficulty_text(value: object) -> object:
    if isinstance(value, str):
        return value.strip().lower().replace(" ", "_").replace("-", "_")
    return value


def normalise(obj: dict[str, Any], slot: Slot, query_id: str) -> dict[str, Any]:
    """The entry as it would be written: our id, canonical language name, the format's
    field order; spelling-only differences fixed, never content."""
    result = copy.deepcopy(obj)
    result["query_id"] = query_id
    metadata = result.get("metadata")
    if isinstance(metadata, dict):
        language = languages.lookup(metadata["language"]) if isinstance(metadata.get("language"), str) else None
        if language is not None:
            metadata["language"] = language.name
        if "difficulty" in metadata:
            metadata["difficulty"] = _difficulty_text(metadata["difficulty"])
        if not metadata.get("category"):
            metadata["category"] = slot.category
        complexity = metadata.get("complexity")
        if isinstance(complexity, str):
            with contextlib.suppress(ValueError):  # if not a number, the schema check says so
                metadata["complexity"] = float(complexity)
    return ordered(result)


def slot_findings(obj: dict[str, Any], slot: Slot) -> list[str]:
    metadata = obj.get("metadata")
    if not isinstance(metadata, dict):
        return []  # the schema check says it better
    findings = []
    if metadata.get("language") != slot.language:
        findings.append(
            f"this challenge must be written in {slot.language}, but metadata.language is "
            f"{metadata.get('language')!r}: rewrite it in {slot.language}"
        )
    if metadata.get("difficulty") != slot.difficulty:
        findings.append(
            f"this challenge must have difficulty {slot.difficulty!r}, but metadata.difficulty is "
            f"{metadata.get('difficulty')!r}"
        )
    return findings


def _cap(text: str) -> str:
    return text if len(text) <= MAX_FEEDBACK else text[:MAX_FEEDBACK] + "\n[... feedback cut ...]"


def judge(
    candidate: Candidate,
    spec: DatasetSpec,
    *,
    query_id: str,
    accepted: Sequence[Entry],
    execute: bool,
    require_toolchains: bool = False,
) -> Verdict:
    if candidate.obj is None:
        return Verdict(False, (candidate.reason,), candidate.problem or "the answer held no challenge object")
    obj = normalise(candidate.obj, candidate.slot, query_id)
    wrong_slot = slot_findings(obj, candidate.slot)
    if wrong_slot:
        # Checking code written in the wrong language would only add noise to the feedback.
        return Verdict(False, (SLOT_CHECK,), "\n".join(wrong_slot), obj)
    evaluation = evaluate_object(
        obj, spec, accepted=accepted, execute=execute, context=CheckContext(spec, require_toolchains=require_toolchains)
    )
    if evaluation.ok and evaluation.entry is not None:
        unexecuted = any(r.check == EXECUTION and r.outcome is Outcome.SKIPPED for r in evaluation.results)
        return Verdict(True, (), "", obj, evaluation.entry, len(accepted), unexecuted)
    reasons = tuple(dict.fromkeys(result.check for result in evaluation.failures)) or ("schema",)
    return Verdict(False, reasons, _cap(evaluation.feedback()), obj, evaluation.entry, len(accepted))
