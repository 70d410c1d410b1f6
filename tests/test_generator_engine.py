"""The engine's scheduler: a Ctrl-C ends a run at once, whatever its workers are doing."""

from __future__ import annotations

import _thread
import io
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from generator import engine as engine_module
from generator.backend import Candidate
from generator.engine import Engine, EngineConfig
from generator.plan import Slot
from generator.progress import Progress
from generator.report import Stats
from generator.writer import DatasetWriter, Existing, IdScheme
from pytest_synthetic.spec import DatasetSpec

HANG_SECONDS = 30.0


class HangingBackend:
    """Every request hangs; with `interrupt`, the first one also interrupts the main thread
    once, as a Ctrl-C would."""

    name = "hanging"

    def __init__(self, interrupt: bool) -> None:
        self.release = threading.Event()
        self._interrupt = threading.Lock() if interrupt else None

    def propose(self, slots: Sequence[Slot], avoid: Sequence[str]) -> list[Candidate]:
        if self._interrupt is not None and self._interrupt.acquire(blocking=False):
            _thread.interrupt_main()
        self.release.wait(HANG_SECONDS)
        return [Candidate(slot, None, "no answer") for slot in slots]

    def repair(self, candidate: Candidate, feedback: str) -> Candidate | None:
        return None

    def preview(self, slots: Sequence[Slot], avoid: Sequence[str]) -> str:
        return ""


class InterruptedInSubmit(ThreadPoolExecutor):
    """A Ctrl-C that lands inside submit, once the request is already in flight. A real signal
    can land there, rarely; this makes it happen every time."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future = super().submit(fn, *args, **kwargs)
        deadline = time.monotonic() + 10
        while not future.running() and time.monotonic() < deadline:
            time.sleep(0.001)
        raise KeyboardInterrupt


def _run_until_interrupted(tmp_path: Path, backend: HangingBackend) -> float:
    """Seconds from the start of the run until it gave up on its hanging requests."""
    writer = DatasetWriter(tmp_path / "out.jsonl")
    writer.open(Existing())
    engine = Engine(
        backend,
        writer=writer,
        spec=DatasetSpec(),
        ids=IdScheme(),
        next_number=1,
        accepted=[],
        config=EngineConfig(concurrency=2, batch_size=1),
        stats=Stats(),
        progress=Progress(io.StringIO(), 4, enabled=False),
    )
    slots = [Slot(f"S{n}", "Python", "Python", "medium", "algorithms") for n in range(4)]
    started = time.monotonic()
    try:
        with pytest.raises(KeyboardInterrupt):
            engine.run(slots)
        return time.monotonic() - started
    finally:
        backend.release.set()
        writer.close()


@pytest.mark.usefixtures("interruptible")
def test_ctrl_c_while_requests_hang_ends_the_run_at_once(tmp_path: Path) -> None:
    assert _run_until_interrupted(tmp_path, HangingBackend(interrupt=True)) < HANG_SECONDS / 2


def test_ctrl_c_inside_a_submit_ends_the_run_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the request just submitted is in flight but not yet among those the scheduler tracks
    monkeypatch.setattr(engine_module, "ThreadPoolExecutor", InterruptedInSubmit)
    assert _run_until_interrupted(tmp_path, HangingBackend(interrupt=False)) < HANG_SECONDS / 2
