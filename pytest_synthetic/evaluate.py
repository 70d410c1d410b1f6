"""The checks as a library: one candidate object in, every check's result out (the generator's gate)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pytest_synthetic.checks import ENTRY_CHECKS, CheckContext, schema
from pytest_synthetic.checks.dataset import duplicate_pairs
from pytest_synthetic.model import CheckResult, Entry, Finding, Outcome, failed, passed
from pytest_synthetic.records import Record
from pytest_synthetic.spec import DatasetSpec

STATIC_CHECKS = ("consistency", "quality", "syntax", "contamination")


@dataclass
class EntryEvaluation:
    entry: Entry | None
    results: list[CheckResult] = field(default_factory=list)

    @property
    def failures(self) -> list[CheckResult]:
        return [r for r in self.results if r.outcome in {Outcome.FAILED, Outcome.ERROR}]

    @property
    def ok(self) -> bool:
        """Every check passed; a skip (a toolchain missing here) is not a failure."""
        return self.entry is not None and not self.failures

    def feedback(self) -> str:
        """The failure texts, as a model or a person needs them to repair the entry."""
        return "\n\n".join(r.render() for r in self.failures)


def check_duplicate(entry: Entry, accepted: Sequence[Entry], spec: DatasetSpec) -> CheckResult:
    """Whether the candidate repeats a problem already accepted (same language)."""
    same_language = [a for a in accepted if a.language == entry.language]
    pairs = [p for p in duplicate_pairs([*same_language, entry], spec.near_duplicate_threshold) if entry in p[:2]]
    if not pairs:
        return passed("duplicates")
    findings = [
        Finding(f"repeats the already accepted {other.query_id} (similarity {sim:.2f})")
        for first, second, sim in pairs
        for other in (second if first is entry else first,)
    ]
    return failed("duplicates", findings)


def evaluate_object(
    obj: dict[str, Any],
    spec: DatasetSpec,
    *,
    accepted: Sequence[Entry] = (),
    execute: bool = True,
    workdir: Path | None = None,
    context: CheckContext | None = None,
) -> EntryEvaluation:
    """Run the plugin's checks on one candidate: schema first, then static, duplicates, execution."""
    del workdir  # every run gets its own temporary folder from the runner
    context = context or CheckContext(spec=spec)
    schema_result = schema.check_object(obj)
    entry = schema.to_entry(Record(0, "", obj), schema_result)
    evaluation = EntryEvaluation(entry, [schema_result])
    if entry is None:
        return evaluation
    for name in STATIC_CHECKS:
        evaluation.results.append(ENTRY_CHECKS[name](entry, context))
    evaluation.results.append(check_duplicate(entry, accepted, spec))
    if execute and not evaluation.failures:  # running code is the costly part: only for good candidates
        for name, check in ENTRY_CHECKS.items():
            if name not in STATIC_CHECKS:
                evaluation.results.append(check(entry, context))
    return evaluation
