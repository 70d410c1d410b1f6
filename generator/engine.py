"""Filling open slots: ask, judge, repair, accept, write; several requests at a time.

Workers (threads) do the slow parts in parallel: the API call and running the code.
Acceptance is serialised under one lock: the id is assigned, duplicates are re-checked
against entries accepted since the candidate was judged, and the line is written and
fsync'd before the next acceptance, so the file always holds exactly the accepted
entries in order.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, replace

from generator.backend import Backend, Candidate
from generator.errors import ApiFatalError, ApiUnavailableError
from generator.judge import Verdict, judge
from generator.plan import Slot
from generator.progress import Progress
from generator.report import Stats
from generator.writer import DatasetWriter, IdScheme
from pytest_synthetic.evaluate import evaluate_object
from pytest_synthetic.model import Entry
from pytest_synthetic.spec import DatasetSpec

API_CHECK = "api"  # a request that failed for good (retries exhausted)
AVOID_LIMIT = 60  # existing problems listed in each prompt


@dataclass(frozen=True)
class EngineConfig:
    concurrency: int = 4
    batch_size: int = 5
    attempts: int = 3  # per candidate: the first answer plus repairs
    slot_tries: int = 4  # fresh requests per slot before it is left unfilled
    execute: bool = True
    require_toolchains: bool = False  # a candidate that cannot be executed here is rejected
    # consecutive requests that fail for good before the run stops: the server is down
    max_api_failures: int = 3


class RunAbortedError(Exception):
    """The run cannot continue (bad key, unknown model, server down)."""


def avoid_line(entry: Entry) -> str:
    question = " ".join(entry.query_text.split())
    return f"{entry.language} `{entry.function_name}`: {question[:100]}"


class Engine:
    def __init__(
        self,
        backend: Backend,
        *,
        writer: DatasetWriter,
        spec: DatasetSpec,
        ids: IdScheme,
        next_number: int,
        accepted: list[Entry],
        config: EngineConfig,
        stats: Stats,
        progress: Progress,
        done_before: int = 0,
    ) -> None:
        self.backend = backend
        self.writer = writer
        self.spec = spec
        self.ids = ids
        self.next_number = next_number
        self.accepted = accepted
        self.config = config
        self.stats = stats
        self.progress = progress
        self.done_before = done_before
        self.lock = threading.Lock()  # guards acceptance: ids, the accepted list, the file
        self._stop = threading.Event()
        self._api_failures = 0
        self._abort_reason = ""
        self._in_flight = 0
        self.unfilled: list[Slot] = []
        self._hopeless: set[Slot] = set()  # slots the backend cannot fill however often asked

    # ---- acceptance (serialised) ----

    def _snapshot(self) -> tuple[str, tuple[Entry, ...]]:
        with self.lock:
            return self.ids.format(self.next_number), tuple(self.accepted)

    def _accept(self, verdict: Verdict) -> Verdict:
        """Write a candidate that passed; a duplicate of an entry accepted meanwhile fails."""
        assert verdict.obj is not None
        assert verdict.entry is not None
        with self.lock:
            query_id = self.ids.format(self.next_number)
            obj = {**verdict.obj, "query_id": query_id}
            entry = replace(verdict.entry, query_id=query_id, raw=obj)
            if len(self.accepted) != verdict.seen:
                # Others were accepted since this one was judged: check those (statically).
                evaluation = evaluate_object(obj, self.spec, accepted=self.accepted, execute=False)
                if not evaluation.ok:
                    reasons = tuple(dict.fromkeys(r.check for r in evaluation.failures))
                    return Verdict(False, reasons, evaluation.feedback(), verdict.obj, None, len(self.accepted))
            self.writer.append(obj)
            self.next_number += 1
            self.accepted.append(entry)
            self.stats.count("accepted")
            self._show()
            return replace(verdict, obj=obj, entry=entry)

    def _show(self) -> None:
        self.progress.update(
            done=self.done_before + self.stats.accepted,
            rejected=self.stats.rejected,
            in_flight=self._in_flight,
        )

    # ---- one request's worth of slots (runs in a worker) ----

    def _avoid(self, slots: Sequence[Slot]) -> list[str]:
        """Recent accepted problems in the requested languages, so the model writes new ones."""
        wanted = {slot.language for slot in slots}
        with self.lock:
            relevant = [entry for entry in self.accepted if entry.language in wanted]
        return [avoid_line(entry) for entry in relevant[-AVOID_LIMIT:]]

    def _api_result(self, ok: bool) -> None:
        with self.lock:
            self._api_failures = 0 if ok else self._api_failures + 1
            if self._api_failures >= self.config.max_api_failures and not self._abort_reason:
                self._abort_reason = (
                    f"{self._api_failures} requests in a row failed after all retries; is the server up?"
                )
                self._stop.set()

    def _settle(self, slot: Slot, candidate: Candidate) -> bool:
        """Judge, repair and accept one candidate; True when its slot got filled."""
        if candidate.final and candidate.obj is None:
            with self.lock:
                self._hopeless.add(slot)
        for attempt in range(1, self.config.attempts + 1):
            query_id, accepted = self._snapshot()
            verdict = judge(
                candidate,
                self.spec,
                query_id=query_id,
                accepted=accepted,
                execute=self.config.execute,
                require_toolchains=self.config.require_toolchains,
            )
            if verdict.ok:
                verdict = self._accept(verdict)
                if verdict.ok:
                    self._note_accepted(candidate, verdict)
                    return True
            if self._stop.is_set():
                return False
            self.stats.reject(verdict.reasons, slot.language)
            self._show()
            if attempt == self.config.attempts:
                break
            try:
                repaired = self.backend.repair(candidate, verdict.feedback)
            except ApiUnavailableError as error:
                self._api_result(ok=False)
                self.stats.reject([API_CHECK], slot.language)
                self.progress.note(f"repair of {candidate.slot.key} failed: {error}")
                return False
            if repaired is None:
                break
            self._api_result(ok=True)
            self.stats.count("repairs")
            candidate = repaired
        return False

    def _note_accepted(self, candidate: Candidate, verdict: Verdict) -> None:
        if candidate.substitute_note:
            self.stats.note_substitution(candidate.substitute_note)
        if verdict.unexecuted and verdict.entry is not None:
            self.stats.note_unexecuted(verdict.entry.language)

    def _fill(self, slots: Sequence[Slot]) -> list[Slot]:
        """Try to fill the slots; returns the ones still open."""
        if self._stop.is_set():
            return list(slots)
        try:
            candidates = self.backend.propose(slots, self._avoid(slots))
        except ApiUnavailableError as error:
            self._api_result(ok=False)
            for slot in slots:
                self.stats.reject([API_CHECK], slot.language)
            self.progress.note(f"request for {len(slots)} slot(s) failed: {error}")
            return list(slots)
        self._api_result(ok=True)
        pairs = zip(slots, candidates, strict=True)
        return [slot for slot, candidate in pairs if not self._settle(slot, candidate)]

    # ---- the scheduler (main thread) ----

    def run(self, slots: Sequence[Slot]) -> list[Slot]:
        """Fill every slot it can; returns the slots left unfilled. Raises RunAbortedError."""
        pending: deque[tuple[Slot, int]] = deque((slot, 1) for slot in slots)
        running: dict[Future[list[Slot]], list[tuple[Slot, int]]] = {}
        fatal: BaseException | None = None
        pool = ThreadPoolExecutor(max_workers=self.config.concurrency, thread_name_prefix="generator")
        drained = False
        try:
            while pending or running:
                while pending and len(running) < self.config.concurrency and not self._stop.is_set():
                    batch = [pending.popleft() for _ in range(min(self.config.batch_size, len(pending)))]
                    running[pool.submit(self._fill, [slot for slot, _ in batch])] = batch
                self._in_flight = sum(len(batch) for batch in running.values())
                self._show()
                if not running:
                    break
                # A timeout keeps the progress line's clock moving while requests are slow.
                finished, _ = wait(running, timeout=1.0, return_when=FIRST_COMPLETED)
                for future in finished:
                    batch = running.pop(future)
                    try:
                        still_open = set(future.result())
                    except ApiFatalError as error:
                        fatal = error
                        self._stop.set()
                        still_open = {slot for slot, _ in batch}
                    for slot, tries in batch:
                        if slot not in still_open:
                            continue
                        if tries < self.config.slot_tries and not self._stop.is_set() and slot not in self._hopeless:
                            pending.append((slot, tries + 1))
                        else:
                            self.unfilled.append(slot)
            drained = True
        finally:
            # Ctrl-C lands here too: let no worker start anything new, and leave without waiting
            # for requests in flight (minutes, maybe; what was accepted is on disk). `running`
            # cannot tell: a Ctrl-C inside pool.submit leaves a request in flight that it misses.
            self._stop.set()
            pool.shutdown(wait=drained, cancel_futures=True)
        self.unfilled.extend(slot for slot, _ in pending)
        self._in_flight = 0
        self._show()
        if fatal is not None:
            raise RunAbortedError(str(fatal)) from fatal
        if self._abort_reason:
            raise RunAbortedError(self._abort_reason)
        return self.unfilled
