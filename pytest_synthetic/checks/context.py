"""What a check may need besides the entry: the requirements, options and the result cache."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property
from pathlib import Path

from pytest_synthetic import languages, sandbox
from pytest_synthetic.cache import ResultCache, derived_key, entry_key, execution_key, requirements_signature
from pytest_synthetic.contamination.settings import ContaminationSettings
from pytest_synthetic.identities import ToolchainIdentities
from pytest_synthetic.languages.base import Program
from pytest_synthetic.model import CheckResult, Entry, Finding
from pytest_synthetic.runner import Execution
from pytest_synthetic.spec import DatasetSpec
from pytest_synthetic.typecheck import TypecheckBatch, TypecheckSource


class Source(str, Enum):
    """Where a result came from in this process."""

    RUN = "run"  # computed (executed) here
    CACHE = "cache"  # read from the result cache


# Checks whose result depends only on the entry, the requirements and this package's code,
# so that a warm run needs neither tree-sitter queries nor parsing for them.
PURE_CHECKS = frozenset({"consistency", "quality", "syntax"})


@dataclass
class CheckContext:
    spec: DatasetSpec = field(default_factory=DatasetSpec)
    require_toolchains: bool = False
    cache_dir: Path | None = None  # None: no result cache
    # the pytest session (xdist workers share it): a timeout is reused once two sessions saw it
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    # sandbox.describe() when already known (xdist workers get the controller's): no second probe
    sandbox_description: str | None = None
    # threads for one entry's strength runs; None: one per CPU (xdist workers share the CPUs)
    strength_workers: int | None = None
    # what the contamination item compares entries with (its indexes load on first use)
    contamination: ContaminationSettings = field(default_factory=ContaminationSettings)
    # --synthetic-typecheck: the TypeScript entries known so far go to one tsc run
    typecheck_batch: TypecheckBatch = field(default_factory=TypecheckBatch, repr=False)
    # one process may run several checks of an entry: execute it once
    _executions: dict[str, tuple[Execution, Source]] = field(default_factory=dict, repr=False)
    # the toolchains' versions that go into execution keys (a store of its own)
    identities: ToolchainIdentities = field(default_factory=ToolchainIdentities, repr=False)
    # per entry: the key of its static results and what the cache held for them
    _checks: dict[Entry, tuple[str, dict[str, CheckResult]]] = field(default_factory=dict, repr=False)
    _unsaved: set[Entry] = field(default_factory=set, repr=False)  # computed here, not written yet
    # where each check computed from an execution (strength) got its result, by (check, entry)
    _derived: dict[tuple[str, str], Source] = field(default_factory=dict, repr=False)

    @cached_property
    def result_cache(self) -> ResultCache | None:
        return ResultCache(self.cache_dir) if self.cache_dir is not None else None

    @cached_property
    def _requirements(self) -> str:
        return requirements_signature(self.spec)

    def save(self) -> None:
        """Write what is not written yet: static results, newly detected toolchain versions."""
        self._write_checks(set(self._unsaved))
        self.identities.save()

    def close(self) -> None:
        """Save what is not saved yet and let go of the result cache's file."""
        self.save()
        if "result_cache" in self.__dict__ and self.result_cache is not None:
            self.result_cache.close()

    def for_confirmation(self) -> CheckContext:
        """The same settings as another session (a fresh run id) with nothing remembered: it runs
        again what this session saw time out, and its sighting counts as a second one."""
        return CheckContext(
            spec=self.spec,
            require_toolchains=self.require_toolchains,
            cache_dir=self.cache_dir,
            sandbox_description=self._sandbox,
            strength_workers=self.strength_workers,
            contamination=self.contamination,
        )

    def cached_check(self, check: str, entry: Entry, compute: Callable[[], CheckResult]) -> tuple[CheckResult, Source]:
        """A pure check's result from the result cache, or computed and stored."""
        cache = self.result_cache
        if cache is None or check not in PURE_CHECKS:
            return compute(), Source.RUN
        if entry not in self._checks:  # one read per entry for all of its checks
            key = entry_key(entry, self._requirements)
            self._checks[entry] = (key, cache.get_checks(key))
        key, stored = self._checks[entry]
        if check in stored:
            return stored[check], Source.CACHE
        # one write per entry, not per check: an entry's checks run one after the other
        self._write_checks(self._unsaved - {entry})
        result = compute()
        stored[check] = result
        self._unsaved.add(entry)
        return result, Source.RUN

    def _write_checks(self, entries: set[Entry]) -> None:
        cache = self.result_cache
        for entry in entries:
            self._unsaved.discard(entry)
            if cache is not None:
                cache.put_checks(*self._checks[entry])

    def cached_derived(
        self, check: str, entry: Entry, execution: Execution, compute: Callable[[], CheckResult]
    ) -> tuple[CheckResult, Source]:
        """A check computed from the entry's execution (strength), cached under that execution's key."""
        cache = self.result_cache
        program = execution.program
        key = self.derived_key_of(check, entry, program) if cache is not None and program is not None else None
        stored = cache.get_checks(key) if cache is not None and key is not None else {}
        if check in stored:
            result, source = stored[check], Source.CACHE
        else:
            result, source = compute(), Source.RUN
            if cache is not None and key is not None:
                cache.put_checks(key, {check: result}, self.run_id)
        self._derived[check, self._memo_key(entry)] = source
        return result, source

    def derived_key_of(self, check: str, entry: Entry, program: Program) -> str | None:
        """The result cache's key of a check computed from the execution of the entry's program."""
        base = self.key_of(entry, program)
        return derived_key(check, base, self.spec) if base is not None else None

    def register_typecheck(self, entries: Iterable[Entry | None]) -> None:
        """Entries that will ask for a type-check: checked together on the first request."""
        if not self.spec.typecheck:
            return
        for entry in entries:
            if entry is not None and entry.language == "TypeScript":
                self.typecheck_batch.register(self._memo_key(entry), _typecheck_source(entry))

    def type_errors(self, entry: Entry) -> list[Finding] | str:
        """tsc's findings for a TypeScript entry, or why tsc could not run."""
        return self.typecheck_batch.findings(self._memo_key(entry), _typecheck_source(entry))

    @staticmethod
    def _memo_key(entry: Entry) -> str:
        return f"{entry.line}:{entry.query_id}:{hash((entry.reference_answer, entry.assertions))}"

    def cached_execution(self, entry: Entry, program: Program | None, compute: Callable[[], Execution]) -> Execution:
        """The entry's execution: from this process, from the result cache, or computed.

        `program` is what the entry assembled into (the cache key rests on it; None when there is
        none to run) and `compute` runs exactly that program.
        """
        key = self._memo_key(entry)
        if key not in self._executions:
            self._executions[key] = self._lookup_or_compute(entry, program, compute)
        return self._executions[key][0]

    def execution_source(self, entry: Entry, check: str = "execution") -> Source | None:
        """Whether this process ran the entry (or the check computed from its execution) or read
        the result, or None if neither happened."""
        derived = self._derived.get((check, self._memo_key(entry)))
        if derived is not None:
            return derived
        found = self._executions.get(self._memo_key(entry))
        return found[1] if found else None

    def _lookup_or_compute(
        self, entry: Entry, program: Program | None, compute: Callable[[], Execution]
    ) -> tuple[Execution, Source]:
        cache = self.result_cache
        key = self.key_of(entry, program) if cache is not None and program is not None else None
        if cache is not None and key is not None and program is not None:
            stored = cache.get(key, program)
            if stored is not None:
                return stored, Source.CACHE
        execution = compute()
        if cache is not None and key is not None:
            cache.put(key, execution, self.run_id)
        return execution, Source.RUN

    @cached_property
    def _sandbox(self) -> str:
        return self.sandbox_description or sandbox.describe()  # part of every key

    def key_of(self, entry: Entry, program: Program) -> str | None:
        """The result cache's key of the entry's execution; None when a command is missing (such
        results depend on the machine, not the entry)."""
        identities = self.identities.of(program, languages.lookup(entry.language))
        if identities is None:
            return None
        return execution_key(
            program,
            assertions=entry.assertions,
            toolchains=identities,
            timeout_factor=self.spec.timeout_factor,
            sandbox=self._sandbox,
        )


def _typecheck_source(entry: Entry) -> TypecheckSource:
    return TypecheckSource(entry.reference_answer, entry.assertions)
