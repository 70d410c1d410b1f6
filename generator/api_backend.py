"""The model backend: prompts a chat model for slots and for repairs."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from generator.backend import Candidate
from generator.parsing import extract_entries
from generator.plan import Slot
from generator.prompt import render_repair, render_request
from pytest_synthetic import languages

if TYPE_CHECKING:  # the openai package is imported only when a model is really asked
    from generator.client import ChatClient, Reply


def _language_of(obj: dict[str, Any]) -> str | None:
    metadata = obj.get("metadata")
    name = metadata.get("language") if isinstance(metadata, dict) else None
    found = languages.lookup(name) if isinstance(name, str) else None
    return found.name if found else None


def _difficulty_of(obj: dict[str, Any]) -> object:
    metadata = obj.get("metadata")
    return metadata.get("difficulty") if isinstance(metadata, dict) else None


def match_to_slots(entries: list[dict[str, Any]], slots: Sequence[Slot]) -> list[dict[str, Any] | None]:
    """Pair each slot with the entry meant for it: by id, then language and difficulty,
    then language, then what is left in order (the slot check then explains the mismatch)."""
    pool = list(entries)
    matched: list[dict[str, Any] | None] = [None] * len(slots)
    tests: tuple[Callable[[dict[str, Any], Slot], bool], ...] = (
        lambda obj, slot: obj.get("query_id") == slot.key,
        lambda obj, slot: _language_of(obj) == slot.language and _difficulty_of(obj) == slot.difficulty,
        lambda obj, slot: _language_of(obj) == slot.language,
        lambda obj, slot: True,
    )
    for test in tests:
        for index, slot in enumerate(slots):
            if matched[index] is not None:
                continue
            found = next((obj for obj in pool if test(obj, slot)), None)
            if found is not None:
                matched[index] = found
                pool.remove(found)
    return matched


class ApiBackend:
    name = "api"

    def __init__(
        self,
        model: str,
        client: ChatClient | None,
        request_template: str,
        repair_template: str,
        *,
        on_reply: Callable[[Reply], None] = lambda reply: None,
    ) -> None:
        self.model = model
        self.client = client  # None for previews (--dry-run), which call nothing
        self.request_template = request_template
        self.repair_template = repair_template
        self._on_reply = on_reply

    def _request_text(self, slots: Sequence[Slot], avoid: Sequence[str]) -> str:
        return render_request(self.request_template, slots, model=self.model, avoid=avoid)

    def preview(self, slots: Sequence[Slot], avoid: Sequence[str]) -> str:
        return self._request_text(slots, avoid)

    def _ask(self, messages: list[dict[str, str]]) -> Reply:
        if self.client is None:
            raise RuntimeError("this backend was built for previews only")
        reply = self.client.complete(messages)
        self._on_reply(reply)
        return reply

    def propose(self, slots: Sequence[Slot], avoid: Sequence[str]) -> list[Candidate]:
        reply = self._ask([{"role": "user", "content": self._request_text(slots, avoid)}])
        parsed = extract_entries(reply.text)
        matched = match_to_slots(parsed.entries, slots)
        candidates = []
        for slot, obj in zip(slots, matched, strict=True):
            # Each slot's repair conversation pretends it was asked for alone: shorter,
            # and the model sees only its own entry.
            question = {"role": "user", "content": self._request_text([slot], avoid)}
            answer = json.dumps({"entries": [obj]}, ensure_ascii=False) if obj is not None else reply.text
            problem = "" if obj is not None else _missing(parsed.error, reply)
            candidates.append(Candidate(slot, obj, problem, (question, {"role": "assistant", "content": answer})))
        return candidates

    def repair(self, candidate: Candidate, feedback: str) -> Candidate | None:
        request = {"role": "user", "content": render_repair(self.repair_template, candidate.slot, feedback)}
        messages = [*candidate.conversation[:2], request]
        reply = self._ask(messages)
        parsed = extract_entries(reply.text)
        obj = match_to_slots(parsed.entries, [candidate.slot])[0]
        answer = json.dumps({"entries": [obj]}, ensure_ascii=False) if obj is not None else reply.text
        return Candidate(
            candidate.slot,
            obj,
            "" if obj is not None else _missing(parsed.error, reply),
            (messages[0], {"role": "assistant", "content": answer}),
        )


def _missing(error: str | None, reply: Reply) -> str:
    text = error or "the reply held no entry for this challenge"
    if reply.finish_reason == "length":
        text += " (the reply was cut off at the token limit)"
    return text
