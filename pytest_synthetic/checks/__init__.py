"""The checks: pure functions from an entry (or the dataset) to a CheckResult."""

from __future__ import annotations

from collections.abc import Callable

from pytest_synthetic.checks import consistency, contamination, execution, quality, strength, syntax
from pytest_synthetic.checks.context import CheckContext
from pytest_synthetic.model import CheckResult, Entry

# In the order they run for an entry: static ones first, then execution and strength.
ENTRY_CHECKS: dict[str, Callable[[Entry, CheckContext], CheckResult]] = {
    "consistency": lambda entry, context: consistency.check(entry),
    "quality": lambda entry, context: quality.check(entry, context.spec),
    "syntax": lambda entry, context: syntax.check(entry),
    "contamination": contamination.check,
    "execution": execution.check,
    "strength": strength.check,  # after execution: it needs a passing reference
}
ALL_ENTRY_CHECK_NAMES = ("schema", *ENTRY_CHECKS)

__all__ = ["ALL_ENTRY_CHECK_NAMES", "ENTRY_CHECKS", "CheckContext"]
