"""The offline backend: serves problems from a bank file as if a model had written them.

The bank holds entries in the dataset format (their query_id, if any, is replaced).
Each slot gets an unused problem of its language and difficulty. When there is none
left it takes, in this order, another language of the same "other" bucket at the same
difficulty, the nearest difficulty in the same language, or the nearest difficulty in
the bucket, and the substitution is reported. Bank problems go through the same checks
as model answers; a failing one is dropped and the slot takes the next problem.
"""

from __future__ import annotations

import json
import random
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from generator.backend import Candidate
from generator.plan import Slot
from pytest_synthetic import languages
from pytest_synthetic.records import read_records
from pytest_synthetic.spec import DIFFICULTIES, DatasetSpec

DEFAULT_BANK = Path(__file__).resolve().parent / "bank" / "problems.jsonl"


@dataclass(frozen=True)
class Problem:
    obj: dict[str, Any]
    language: str  # canonical
    difficulty: str
    line: int


def question_key(text: object) -> str:
    """Problems count as the same when their questions match up to spacing and case."""
    return " ".join(str(text).split()).lower()


def load_bank(path: Path) -> tuple[list[Problem], list[str]]:
    """The usable problems of a bank file and a warning for each line that is not one."""
    problems: list[Problem] = []
    warnings: list[str] = []
    for record in read_records(path):
        obj = record.obj
        if obj is None:
            warnings.append(f"{path.name}:{record.line}: {record.error}")
            continue
        metadata = obj.get("metadata")
        name = metadata.get("language") if isinstance(metadata, dict) else None
        language = languages.lookup(name) if isinstance(name, str) else None
        difficulty = metadata.get("difficulty") if isinstance(metadata, dict) else None
        if language is None or difficulty not in DIFFICULTIES:
            warnings.append(f"{path.name}:{record.line}: no known metadata.language and difficulty")
            continue
        problems.append(Problem(obj, language.name, str(difficulty), record.line))
    return problems, warnings


class BankBackend:
    name = "bank"

    def __init__(self, problems: Sequence[Problem], spec: DatasetSpec, *, seed: int, used: Iterable[str] = ()) -> None:
        self.spec = spec
        self._lock = threading.Lock()
        taken = {question_key(text) for text in used}
        shuffled = list(problems)
        # The seed picks which problems a dataset gets when the bank has more than enough.
        random.Random(seed).shuffle(shuffled)
        self._free: dict[tuple[str, str], list[Problem]] = {}
        for problem in shuffled:
            key = question_key(problem.obj.get("query_text"))
            if key in taken:
                continue
            taken.add(key)
            self._free.setdefault((problem.language, problem.difficulty), []).append(problem)

    def available(self, language: str, difficulty: str) -> int:
        with self._lock:
            return len(self._free.get((language, difficulty), []))

    def shortfall(self, slots: Sequence[Slot]) -> tuple[list[str], list[str]]:
        """What serving these slots would take: (substitutions, slots left empty), by dry run."""
        with self._lock:
            saved = {key: list(free) for key, free in self._free.items()}
        substitutes, empty = [], []
        try:
            for slot in slots:
                problem, note = self._take(slot, consume=True)
                if problem is None:
                    empty.append(f"{slot.key} {slot.language}/{slot.difficulty}")
                elif note:
                    substitutes.append(note)
        finally:
            with self._lock:
                self._free = saved
        return substitutes, empty

    def _choices(self, slot: Slot) -> list[tuple[str, str]]:
        """(language, difficulty) pairs to try for a slot, best first."""
        index = DIFFICULTIES.index(slot.difficulty) if slot.difficulty in DIFFICULTIES else 0
        by_distance = sorted(DIFFICULTIES, key=lambda d: (abs(DIFFICULTIES.index(d) - index), DIFFICULTIES.index(d)))
        siblings = sorted(
            {lang for lang, _ in self._free if lang != slot.language and self.spec.bucket_of(lang) == slot.bucket},
            key=lambda lang: -sum(len(v) for (name, _), v in self._free.items() if name == lang),
        )
        pairs = [(slot.language, slot.difficulty)]
        pairs += [(lang, slot.difficulty) for lang in siblings]
        pairs += [(slot.language, d) for d in by_distance[1:]]
        pairs += [(lang, d) for d in by_distance[1:] for lang in siblings]
        return pairs

    def _take(self, slot: Slot, *, consume: bool) -> tuple[Problem | None, str]:
        with self._lock:
            for language, difficulty in self._choices(slot):
                free = self._free.get((language, difficulty))
                if not free:
                    continue
                problem = free.pop(0) if consume else free[0]
                note = ""
                if (language, difficulty) != (slot.language, slot.difficulty):
                    note = (
                        f"{slot.key} {slot.language}/{slot.difficulty}: the bank has no unused problem left "
                        f"for it; used {language}/{difficulty} instead"
                    )
                return problem, note
        return (
            None,
            f"the bank has no unused problem left for {slot.language}/{slot.difficulty} or a near substitute",
        )

    def propose(self, slots: Sequence[Slot], avoid: Sequence[str]) -> list[Candidate]:
        candidates = []
        for slot in slots:
            problem, note = self._take(slot, consume=True)
            if problem is None:
                candidates.append(Candidate(slot, None, note, reason="bank", final=True))
                continue
            effective = replace(slot, language=problem.language, difficulty=problem.difficulty)
            candidates.append(Candidate(effective, dict(problem.obj), substitute_note=note))
        return candidates

    def repair(self, candidate: Candidate, feedback: str) -> Candidate | None:
        return None  # a bank problem is what it is; the slot takes another one instead

    def preview(self, slots: Sequence[Slot], avoid: Sequence[str]) -> str:
        if not slots:
            return "(nothing to serve)"
        problem, note = self._take(slots[0], consume=False)
        if problem is None:
            return note
        head = f"{slots[0].key} would be served bank line {problem.line}" + (f" ({note})" if note else "")
        return head + ":\n" + json.dumps(problem.obj, ensure_ascii=False, indent=2)
