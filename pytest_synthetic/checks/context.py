"""What a check may need besides the entry: the requirements, options and the result cache."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pytest_synthetic.model import Entry
from pytest_synthetic.runner import Execution
from pytest_synthetic.spec import DatasetSpec


@dataclass
class CheckContext:
    spec: DatasetSpec = field(default_factory=DatasetSpec)
    require_toolchains: bool = False
    cache_dir: Path | None = None  # None: no result cache
    # one process may run several checks of an entry: execute it once
    _executions: dict[str, Execution] = field(default_factory=dict, repr=False)

    def cached_execution(self, entry: Entry, compute: Callable[[], Execution]) -> Execution:
        key = f"{entry.line}:{entry.query_id}:{hash((entry.reference_answer, entry.assertions))}"
        if key not in self._executions:
            self._executions[key] = compute()
        return self._executions[key]
