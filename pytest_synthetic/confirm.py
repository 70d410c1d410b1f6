"""Run once more, alone, what a session saw time out, so that the next session only reads it.

A timeout, and a strength result that rests on timeouts, is reused only once two sessions saw
it (cache.py): one sighting may have been the machine's load. Left to the next session, its
first re-run would pay every such limit again. So the session that found them runs them again
at its end, when nothing else of it runs, and records the second sighting only when it comes
out the same: the program times out again, or strength reaches the same outcome still resting
on timeouts. One that does not stays unconfirmed, and the next session judges it again.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum

from pytest_synthetic.cache import TIMEOUTS
from pytest_synthetic.checks import execution as execution_check
from pytest_synthetic.checks import schema
from pytest_synthetic.checks import strength as strength_check
from pytest_synthetic.checks.context import CheckContext
from pytest_synthetic.languages.base import Program
from pytest_synthetic.model import Entry
from pytest_synthetic.records import iter_records
from pytest_synthetic.runner import Verdict, run_program


@dataclass(frozen=True)
class Pending:
    """A result this session computed that the result store may hold as seen once."""

    file: str
    line: int
    check: str  # execution or strength
    seconds: float  # what it cost when found: the cheapest are confirmed first


class Confirmation(str, Enum):
    CONFIRMED = "confirmed"  # the same again: the second sighting is recorded
    NOT_REPRODUCED = "not reproduced"  # left unconfirmed: the next session judges it again
    NOTHING = "nothing to confirm"  # the entry changed, or another session confirmed it


@dataclass(frozen=True)
class Task:
    """A pending result still stored as seen once, with the entry as its file has it now."""

    check: str
    entry: Entry
    key: str  # of the stored result
    seconds: float


@dataclass
class Tally:
    counts: dict[Confirmation, int] = field(default_factory=lambda: dict.fromkeys(Confirmation, 0))
    left: int = 0  # not tried: the time budget was spent
    seconds: float = 0.0


def entries_at(pending: Iterable[Pending]) -> dict[tuple[str, int], Entry]:
    """The entries on the pending results' lines, read from their files as they are now."""
    lines: dict[str, set[int]] = defaultdict(set)
    for item in pending:
        lines[item.file].add(item.line)
    found = {}
    for file, numbers in lines.items():
        try:
            records = list(iter_records(file, only=numbers))
        except OSError:
            continue  # the file is gone: nothing to confirm
        for record in records:
            entry = schema.entry_of(record)
            if entry is not None:
                found[file, record.line] = entry
    return found


def _key_awaiting(check: str, entry: Entry, context: CheckContext) -> str | None:
    """The key of the entry's stored result of `check` if it awaits a confirmation (nothing runs)."""
    cache = context.result_cache
    _, program = execution_check.program_of(entry)
    if cache is None or not isinstance(program, Program):
        return None
    if check == strength_check.CHECK:
        key = context.derived_key_of(check, entry, program)
        return key if key is not None and cache.awaiting_confirmation(key, check) is not None else None
    key = context.key_of(entry, program)
    return key if key is not None and cache.awaits_confirmation(key) else None


def awaiting(pending: Iterable[Pending], context: CheckContext) -> list[Task]:
    """The pending results that the result store still holds as seen once, cheapest first (an
    entry since edited, or a result another session confirmed meanwhile, is not one)."""
    pending = list(pending)
    entries = entries_at(pending)
    tasks = []
    for item in pending:
        entry = entries.get((item.file, item.line))
        key = _key_awaiting(item.check, entry, context) if entry is not None else None
        if entry is not None and key is not None:
            tasks.append(Task(item.check, entry, key, item.seconds))
    return sorted(tasks, key=lambda task: task.seconds)


def confirm_execution(task: Task, context: CheckContext, timeout_factor: float) -> Confirmation:
    """Run the entry's program again; record the sighting only if it times out again."""
    language, program = execution_check.program_of(task.entry)
    cache = context.result_cache
    if cache is None or not isinstance(program, Program):
        return Confirmation.NOTHING
    again = run_program(language, program, task.entry.assertions, timeout_factor)
    if again.verdict is not Verdict.TIMEOUT:
        return Confirmation.NOT_REPRODUCED
    cache.put(task.key, again, context.run_id)
    return Confirmation.CONFIRMED


def confirm_strength(task: Task, context: CheckContext) -> Confirmation:
    """Score the entry again; record the sighting only for the same outcome, again resting on timeouts."""
    cache = context.result_cache
    before = cache.awaiting_confirmation(task.key, task.check) if cache is not None else None
    execution = execution_check.run(task.entry, context)  # it passed: read from the result cache
    if cache is None or before is None or execution.verdict is not Verdict.PASSED:
        return Confirmation.NOTHING
    again = strength_check.score(task.entry, execution, context)
    if again.outcome is not before.outcome or not again.details.get(TIMEOUTS):
        return Confirmation.NOT_REPRODUCED
    cache.put_checks(task.key, {task.check: again}, context.run_id)
    return Confirmation.CONFIRMED


def confirm_all(
    tasks: Sequence[Task],
    context: CheckContext,
    *,
    budget_seconds: float,
    timeout_factor: float | None = None,
    done: Callable[[Task, Confirmation], None] = lambda task, outcome: None,
) -> Tally:
    """Confirm the tasks in order, starting none once `budget_seconds` are spent; `done` hears of each.

    `context` should be a session of its own (CheckContext.for_confirmation); `timeout_factor`
    (the session's by default) is what the programs run with.
    """
    factor = context.spec.timeout_factor if timeout_factor is None else timeout_factor
    tally = Tally()
    start = time.monotonic()
    try:
        for index, task in enumerate(tasks):
            if time.monotonic() - start >= budget_seconds:
                tally.left = len(tasks) - index
                break
            if task.check == strength_check.CHECK:
                outcome = confirm_strength(task, context)
            else:
                outcome = confirm_execution(task, context, factor)
            tally.counts[outcome] += 1
            done(task, outcome)
    finally:
        tally.seconds = time.monotonic() - start
    return tally
