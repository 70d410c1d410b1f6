"""At the end of a session, on the controller (or the one process without xdist): confirm the
timeouts its items found (confirm.py), with progress on the terminal.

The workers record nothing for this: the reports they send already say where each item is
(file, line, check), whether it was computed in this session or read from the result cache, and
a timeout verdict or the timeouts a strength outcome rests on.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import pytest

from pytest_synthetic.cache import TIMEOUTS
from pytest_synthetic.checks.context import CheckContext, Source
from pytest_synthetic.confirm import Confirmation, Pending, Tally, Task, awaiting, confirm_all
from pytest_synthetic.runner import Verdict

# Confirming may add at most this share of the session's own time (and at least MIN_BUDGET_SECONDS):
# a long list is left partly to the next session rather than doubling a cold run.
BUDGET_SHARE = 0.25
MIN_BUDGET_SECONDS = 30.0


def pending_of(data: Mapping[str, Any]) -> Pending | None:
    """What an item's report asks to confirm: a timeout, or a strength outcome resting on
    timeouts, that this session computed (one read from the result cache is confirmed)."""
    details = data.get("details") or {}
    if details.get("source") != Source.RUN.value:
        return None
    timed_out = data.get("check") == "execution" and details.get("verdict") == Verdict.TIMEOUT.value
    rests_on_timeouts = data.get("check") == "strength" and bool(details.get(TIMEOUTS))
    if not (timed_out or rests_on_timeouts):
        return None
    return Pending(str(data["file"]), int(data["line"]), str(data["check"]), float(details.get("seconds") or 0.0))


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def describe(tally: Tally, total: int) -> str:
    counts = tally.counts
    parts = [f"{counts[Confirmation.CONFIRMED]} of {total} confirmed in {tally.seconds:.1f} s"]
    if counts[Confirmation.NOT_REPRODUCED]:
        parts.append(f"{counts[Confirmation.NOT_REPRODUCED]} did not time out again (judged again next session)")
    if tally.left:
        parts.append(f"time budget spent: {tally.left} left for the next session")
    return "; ".join(parts)


class SessionConfirmations:
    """A pytest plugin object: gathers the pending results from the reports, confirms them at the end."""

    def __init__(self, config: pytest.Config, context: CheckContext) -> None:
        self.config = config
        self.context = context
        self.pending: dict[tuple[str, int, str], Pending] = {}
        self.started = time.monotonic()
        # what the confirming runs' programs get instead of the session's timeout factor: a seam
        # for tests to make a confirmation differ from the first run
        self.timeout_factor: float | None = None

    @pytest.hookimpl
    def pytest_sessionstart(self) -> None:
        self.started = time.monotonic()

    @pytest.hookimpl
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        data = getattr(report, "synthetic", None)
        found = pending_of(data) if data is not None else None
        if found is not None:
            self.pending[found.file, found.line, found.check] = found

    @pytest.hookimpl
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        pending = list(self.pending.values())
        self.pending.clear()
        if not pending:
            return
        if exitstatus == pytest.ExitCode.INTERRUPTED:
            self.write("")  # xdist leaves the cursor after its progress
            self.write(f"interrupted: {plural(len(pending), 'timed-out result')} left unconfirmed")
            return
        confirming = self.context.for_confirmation()
        try:
            tasks = awaiting(pending, confirming)
            if tasks:
                self.confirm(tasks, confirming)
        except KeyboardInterrupt:
            self.write("interrupted while confirming: the rest is left unconfirmed")
            session.exitstatus = pytest.ExitCode.INTERRUPTED
        finally:
            confirming.close()

    def confirm(self, tasks: list[Task], confirming: CheckContext) -> None:
        budget = max(MIN_BUDGET_SECONDS, BUDGET_SHARE * (time.monotonic() - self.started))
        self.write("")
        self.write(f"confirming {plural(len(tasks), 'timed-out result')} once more, alone (up to {budget:.0f} s) ...")
        tally = confirm_all(
            tasks, confirming, budget_seconds=budget, timeout_factor=self.timeout_factor, done=self.progress
        )
        self.write(describe(tally, len(tasks)))

    def progress(self, task: Task, outcome: Confirmation) -> None:
        self.write(f"  {task.entry.query_id}::{task.check}: {outcome.value}")

    def write(self, text: str) -> None:
        reporter = self.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(f"synthetic: {text}" if text else "")
