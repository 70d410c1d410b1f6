"""Run the stubs and the chosen mutants of one entry against its assertions.

`score_entry` is pure given its arguments (the entry's content and the limits), so its
report can be cached by content. Each variant runs in its own process (the variants of a
language with a mutant schema share one build of it, schema.py); batches of variants run in
parallel threads (the work is in the child processes).
"""

from __future__ import annotations

import difflib
import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

from pytest_synthetic import languages
from pytest_synthetic.languages.base import Language, Program, Step
from pytest_synthetic.languages.toolkit import Edit
from pytest_synthetic.model import Entry
from pytest_synthetic.runner import Verdict, run_program
from pytest_synthetic.strength import batch, schema
from pytest_synthetic.strength.mutants import generate
from pytest_synthetic.strength.sample import choose, seed_of
from pytest_synthetic.strength.stubs import stubs

Change = tuple[str, tuple[Edit, ...]]  # a variant's kind ("stub" or a mutant's) and its edits
MAX_MUTANTS = 16
SCHEMA_ATTEMPTS = 3  # builds of a schema, each without the mutants the last one's compiler rejected
DIFF_CONTEXT = 2  # lines of context around a change in the diffs shown

PASSED, FAILED, INVALID = "passed", "failed", "invalid"
# A variant that does not build proves nothing either way: it is not counted.
_NOT_BUILT = frozenset({Verdict.COMPILE_ERROR, Verdict.NOT_EXECUTABLE, Verdict.TOOLCHAIN_MISSING})


@dataclass(frozen=True)
class Trial:
    """One variant of the reference run against the assertions."""

    kind: str  # "stub" or the mutant's operator kind
    label: str  # what was changed, e.g. "`<` -> `<=`" or "returns `0`"
    line: int  # 1-based line of the change in the reference
    source: str  # the variant of the reference
    verdict: str  # the runner's verdict
    outcome: str  # PASSED (the assertions hold: a survivor), FAILED (caught) or INVALID (did not build)

    def diff(self, reference: str) -> str:
        lines = difflib.unified_diff(
            reference.splitlines(), self.source.splitlines(), "reference", "variant", n=DIFF_CONTEXT, lineterm=""
        )
        return "\n".join(list(lines)[2:])  # the file header says nothing here

    def around(self, before: int = 1, after: int = 0) -> str:
        """The variant's lines around its change: a stub reads best as the new function itself."""
        lines = self.source.splitlines()
        return "\n".join(lines[max(0, self.line - 1 - before) : self.line + after])


@dataclass(frozen=True)
class StrengthReport:
    stubs: tuple[Trial, ...]
    mutants: tuple[Trial, ...]
    candidates: int  # mutants generated before the cap
    seconds: float  # wall time of all the runs

    @property
    def valid(self) -> int:
        return sum(1 for t in self.mutants if t.outcome != INVALID)

    @property
    def killed(self) -> int:
        return sum(1 for t in self.mutants if t.outcome == FAILED)

    @property
    def basis(self) -> tuple[Trial, ...]:
        """What the score is the share of: the mutants that built, or the stubs when no mutant
        did (a one-line call of a library function offers nothing to mutate; its stubs are
        then the only wrong answers tried)."""
        built = tuple(t for t in self.mutants if t.outcome != INVALID)
        return built or tuple(t for t in self.stubs if t.outcome != INVALID)

    @property
    def score(self) -> float | None:
        """The share of wrong variants the assertions catch; None when none built."""
        basis = self.basis
        return sum(1 for t in basis if t.outcome == FAILED) / len(basis) if basis else None

    @property
    def timeouts(self) -> int:
        """Variants stopped at their time limit: counted as failing, which load can fake."""
        return sum(1 for t in (*self.stubs, *self.mutants) if t.verdict == Verdict.TIMEOUT.value)

    @property
    def survivors(self) -> tuple[Trial, ...]:
        return tuple(t for t in self.mutants if t.outcome == PASSED)

    @property
    def passing_stubs(self) -> tuple[Trial, ...]:
        return tuple(t for t in self.stubs if t.outcome == PASSED)


def _limited(step: Step, run_seconds: float) -> Step:
    if step.name != "run":
        return step
    limits = replace(
        step.limits,
        wall_seconds=min(step.limits.wall_seconds, run_seconds),
        cpu_seconds=min(step.limits.cpu_seconds, run_seconds),
    )
    return replace(step, limits=limits)


def _outcome(verdict: Verdict, step: str) -> str:
    if verdict is Verdict.PASSED:
        return PASSED
    if verdict in _NOT_BUILT or step not in ("run", ""):  # e.g. a compiler that timed out
        return INVALID
    return FAILED


def run_variant(language: Language, entry: Entry, source: str, run_seconds: float) -> tuple[str, str]:
    """(verdict, outcome) of the assertions against one variant of the reference."""
    program = batch.assemble_all(language, [source], entry.assertions, entry.function_name)[0]
    return _run_one(language, entry, program, run_seconds)


def _run_one(language: Language, entry: Entry, program: Program | None, run_seconds: float) -> tuple[str, str]:
    if program is None:
        return Verdict.NOT_EXECUTABLE.value, INVALID
    program = replace(program, steps=tuple(_limited(step, run_seconds) for step in program.steps))
    execution = run_program(language, program, entry.assertions)
    return execution.verdict.value, _outcome(execution.verdict, execution.step)


def _chunks(items: list[int], count: int) -> list[list[int]]:
    size, extra = divmod(len(items), count)
    chunks, start = [], 0
    for index in range(count):
        end = start + size + (1 if index < extra else 0)
        chunks.append(items[start:end])
        start = end
    return [chunk for chunk in chunks if chunk]


@dataclass(frozen=True)
class Job:
    """What every batch of one entry's variants shares."""

    language: Language
    entry: Entry
    run_seconds: float
    parallel: int = 1  # runs of a shell batch going at once


def _run_schema(job: Job, programs: list[Program | None], changes: list[Change | None]) -> list[Verdict] | None:
    """The verdicts of a batch whose mutants share one build (schema.py), or None when the
    schema holds none of them, does not build, or its reference run does not pass. The
    mutants whose bodies a compiler rejects are left to their own builds, and it tries again."""
    language, entry = job.language, job.entry
    held = [change if program is not None else None for program, change in zip(programs, changes, strict=True)]
    for _ in range(SCHEMA_ATTEMPTS):
        built = schema.build(language, entry.reference_answer, held)
        if built is None:
            return None
        program = batch.assemble_all(language, [built.source], entry.assertions, entry.function_name)[0]
        if program is None:
            return None
        outcome = batch.run(
            language, entry.assertions, program, programs, job.run_seconds, built.switches, job.parallel
        )
        if outcome.verdicts is not None or not outcome.build_output:
            return outcome.verdicts
        culprits = built.culprits(program.files[program.main_file], program.main_file, outcome.build_output)
        if not culprits:
            return None
        held = [None if index in culprits else change for index, change in enumerate(held)]
    return None


def _batch_verdicts(job: Job, programs: list[Program | None], changes: list[Change | None]) -> list[Verdict] | None:
    """The verdicts of one batch: through a schema where the language has one, else a build
    per variant; None when the batch itself could not run."""
    language, entry = job.language, job.entry
    verdicts = _run_schema(job, programs, changes) if language.schema else None
    if verdicts is None:  # no schema, or it did not build: a build per variant
        reference = batch.assemble_all(language, [entry.reference_answer], entry.assertions, entry.function_name)[0]
        if reference is not None:
            run = batch.run(language, entry.assertions, reference, programs, job.run_seconds, parallel=job.parallel)
            verdicts = run.verdicts
    return verdicts


def run_variants(
    language: Language,
    entry: Entry,
    sources: list[str],
    run_seconds: float,
    workers: int,
    *,
    batched: bool = True,
    changes: list[Change | None] | None = None,
) -> list[tuple[str, str]]:
    """(verdict, outcome) per variant, in order: Python in `workers` batches (a forking driver
    each), any other language in one batch whose builds and runs go `workers` at once (its
    reference or schema built once), and one process per variant that no batch judged.
    `changes` (the kind and edits of each variant) let a batch build its mutants as one schema."""
    programs = batch.assemble_all(language, sources, entry.assertions, entry.function_name)
    known: list[Change | None] = changes if changes is not None else [None] * len(sources)
    every = list(range(len(programs)))
    if not batched:
        chunks: list[list[int]] = []  # every variant alone
    elif language.key in batch.LANGUAGES:
        chunks = _chunks(every, workers)
    else:
        chunks = [every]
    job = Job(language, entry, run_seconds, workers)
    results: dict[int, tuple[str, str]] = {}
    with ThreadPoolExecutor(max_workers=workers) as pool:
        judged = pool.map(lambda c: _batch_verdicts(job, [programs[i] for i in c], [known[i] for i in c]), chunks)
        for chunk, verdicts in zip(chunks, judged, strict=True):
            if verdicts is not None:
                results.update((i, (v.value, _outcome(v, "run"))) for i, v in zip(chunk, verdicts, strict=True))
        alone = [index for index in every if index not in results]
        ran = pool.map(lambda index: _run_one(language, entry, programs[index], run_seconds), alone)
        results.update(zip(alone, ran, strict=True))
    return [results[index] for index in every]


def default_workers() -> int:
    return max(1, min(8, os.cpu_count() or 2))


def score_entry(
    entry: Entry,
    *,
    max_mutants: int = MAX_MUTANTS,
    run_seconds: float = 10.0,
    workers: int | None = None,
    batched: bool = True,
    schemata: bool = True,
) -> StrengthReport:
    """Stub test and mutation score of one entry whose reference passes its assertions."""
    language = languages.by_name(entry.language)
    if language.assemble is None:
        return StrengthReport((), (), 0, 0.0)
    reference = entry.reference_answer
    stub_list = stubs(language, reference, entry.function_name)
    candidates = generate(language, reference)
    chosen = choose(candidates, max_mutants, seed_of(reference, entry.assertions, entry.function_name))
    encoded = reference.encode("utf-8")
    variants = [("stub", s.label, encoded.count(b"\n", 0, s.edits[0].start) + 1, s.apply(reference)) for s in stub_list]
    variants += [(m.kind, m.description, m.line, m.apply(reference)) for m in chosen]
    changes: list[Change | None] = [("stub", s.edits) for s in stub_list]
    changes += [(m.kind, m.edits) for m in chosen]
    start = time.monotonic()
    sources = [v[3] for v in variants]
    count = workers or default_workers()
    held = changes if schemata else None  # without them, a build per variant
    results = run_variants(language, entry, sources, run_seconds, count, batched=batched, changes=held)
    trials = [
        Trial(kind, label, line, source, verdict, outcome)
        for (kind, label, line, source), (verdict, outcome) in zip(variants, results, strict=True)
    ]
    stub_trials = tuple(t for t in trials if t.kind == "stub")
    mutant_trials = tuple(t for t in trials if t.kind != "stub")
    return StrengthReport(stub_trials, mutant_trials, len(candidates), time.monotonic() - start)
