"""Plain data shared by every stage: entries, findings and check outcomes."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Outcome(str, Enum):
    """What a check concluded; maps onto pytest's outcomes in the plugin."""

    PASSED = "passed"
    FAILED = "failed"  # the dataset's fault
    ERROR = "error"  # the tool's own fault
    SKIPPED = "skipped"  # e.g. a toolchain is missing


@dataclass(frozen=True)
class Finding:
    """One problem: what is wrong, where, and the offending text."""

    message: str
    field: str | None = None
    line: int | None = None
    column: int | None = None
    excerpt: str | None = None

    def render(self) -> str:
        where = self.field or ""
        if self.line is not None:
            position = f"{self.line}" + (f":{self.column}" if self.column is not None else "")
            where = f"{where}:{position}" if where else f"line {position}"
        text = f"{where}: {self.message}" if where else self.message
        if self.excerpt:
            excerpt = "\n".join("    " + ln for ln in self.excerpt.splitlines())
            text += "\n" + excerpt
        return text


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check on one entry (or on the whole dataset)."""

    check: str
    outcome: Outcome
    findings: tuple[Finding, ...] = ()
    reason: str = ""  # skip reason, or a one-line summary
    details: dict[str, Any] = field(default_factory=dict)  # machine-readable extras

    @property
    def summary(self) -> str:
        return self.headline

    def render(self) -> str:
        """The failure text: the summary first (pytest's short summary shows it), then each finding."""
        parts = [f"{self.check}: {self.headline}"]
        only = self.findings[0] if len(self.findings) == 1 and not self.reason else None
        if only is None or only.excerpt or only.line is not None:  # else the headline said it all
            parts.extend(f.render() for f in self.findings)
        return "\n".join(parts)

    @property
    def headline(self) -> str:
        if self.reason or not self.findings:
            return self.reason or self.outcome.value
        more = f" (+{len(self.findings) - 1} more)" if len(self.findings) > 1 else ""
        first = self.findings[0]
        return (f"{first.field}: " if first.field else "") + first.message + more


def passed(check: str, **details: Any) -> CheckResult:
    return CheckResult(check, Outcome.PASSED, details=details)


def failed(check: str, findings: list[Finding] | tuple[Finding, ...], reason: str = "", **details: Any) -> CheckResult:
    return CheckResult(check, Outcome.FAILED, tuple(findings), reason, details)


def from_findings(check: str, findings: list[Finding], **details: Any) -> CheckResult:
    """Pass when there is nothing to report, fail otherwise."""
    return failed(check, findings, **details) if findings else passed(check, **details)


@dataclass(frozen=True)
class Entry:
    """A schema-valid entry with its language resolved to the canonical name."""

    query_id: str
    query_text: str
    reference_answer: str
    assertions: str
    language: str  # canonical, e.g. "TypeScript"
    function_name: str
    difficulty: str
    category: str
    complexity: float
    line: int  # 1-based line in the dataset file
    raw: dict[str, Any] = field(compare=False, hash=False, repr=False)
