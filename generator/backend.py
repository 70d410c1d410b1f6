"""What the engine needs from a source of entries: a model, or the offline bank."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from generator.plan import Slot


@dataclass(frozen=True)
class Candidate:
    """A proposed entry for one slot, with what is needed to ask for a repair."""

    slot: Slot  # the slot it is judged against (the bank may substitute a near one)
    obj: dict[str, Any] | None  # None when the answer held no entry for this slot
    problem: str = ""  # why obj is None (e.g. the parse error), for the repair prompt
    # the conversation so far for this slot alone (the model backend's repair context)
    conversation: tuple[dict[str, str], ...] = field(default=(), compare=False)
    substitute_note: str = ""  # set when the slot was filled with a near substitute
    reason: str = "json"  # the check name a missing obj is counted under
    final: bool = False  # no point asking again for this slot (e.g. the bank has nothing left)


class Backend(Protocol):
    name: str

    def propose(self, slots: Sequence[Slot], avoid: Sequence[str]) -> list[Candidate]:
        """One candidate per slot, in the order of ``slots``."""
        ...

    def repair(self, candidate: Candidate, feedback: str) -> Candidate | None:
        """A corrected candidate for the same slot, or None when this backend cannot repair."""
        ...

    def preview(self, slots: Sequence[Slot], avoid: Sequence[str]) -> str:
        """What ``propose`` would send for these slots (for --dry-run); calls nothing."""
        ...
