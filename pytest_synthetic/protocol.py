"""How a check item runs: in one step instead of pytest's three hooked phases.

pytest runs an item in three phases, each through its hooks (capture, logging, fixtures,
markers) and each with a report, which xdist sends to the controller: at 40,000 items that
machinery is most of a run (40,000 empty tests: 43 s with -n 2 on 2 cores, 22 s this way).
A check item needs none of it: it has no fixtures and writes no output (the programs it runs
are subprocesses with their own pipes). So the collectors' set-up state is kept exactly as
pytest keeps it, and the reports are the call's (the set-up's instead when the tool itself
failed or the check was skipped there) and the teardown's, on which JUnit closes a test case.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest

# With these, the user wants pytest's own phases (a debugger, the set-up plan shown).
FULL_PROTOCOL_OPTIONS = ("usepdb", "trace", "setupshow", "setuponly", "setupplan")


def wants_full_protocol(config: pytest.Config) -> bool:
    return any(config.getoption(name, default=False) for name in FULL_PROTOCOL_OPTIONS)


def run_in_one_step(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    ihook = item.ihook
    ihook.pytest_runtest_logstart(nodeid=item.nodeid, location=item.location)
    state = item.session._setupstate  # private, but the one place pytest keeps this state
    stop = (pytest.exit.Exception, KeyboardInterrupt)
    setup = pytest.CallInfo.from_call(lambda: state.setup(item), when="setup", reraise=stop)
    first = setup if setup.excinfo is not None else pytest.CallInfo.from_call(item.runtest, when="call", reraise=stop)
    teardown = pytest.CallInfo.from_call(lambda: state.teardown_exact(nextitem), when="teardown", reraise=stop)
    for call in (first, teardown):
        report = ihook.pytest_runtest_makereport(item=item, call=call)
        if call is not setup and call.when == "call":
            # the check is computed while setting up: its time belongs to the item's one step
            report.duration += setup.duration
            report.start = setup.start
        ihook.pytest_runtest_logreport(report=report)
    ihook.pytest_runtest_logfinish(nodeid=item.nodeid, location=item.location)


@contextlib.contextmanager
def silent_reports_set_aside(stats: dict[str, list[Any]]) -> Iterator[None]:
    """pytest's failure summary looks up each failure's teardown output by scanning every
    passed set-up and teardown report (`stats[""]`): failures x items, minutes at 10,000
    entries with a few hundred failures. A report without captured sections prints nothing
    there, so those are set aside while the summary is written and put back after it."""
    quiet = stats.get("")
    if quiet:
        stats[""] = [report for report in quiet if getattr(report, "sections", None)]
    try:
        yield
    finally:
        if quiet is not None:
            stats[""] = quiet
