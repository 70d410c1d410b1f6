"""`schema`: the entry has the fields, types and values the format requires."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any

import jsonschema

from pytest_synthetic import languages
from pytest_synthetic.model import CheckResult, Entry, Finding, from_findings
from pytest_synthetic.records import Record

CHECK = "schema"
TEXT_FIELDS = ("query_text", "reference_answer", "assertions")


@cache
def _validator() -> jsonschema.protocols.Validator:
    text = resources.files("pytest_synthetic").joinpath("entry.schema.json").read_text(encoding="utf-8")
    schema = json.loads(text)
    validator_class = jsonschema.validators.extend(  # type: ignore[no-untyped-call]  # untyped upstream
        jsonschema.validators.validator_for(schema), validators={"pattern": _pattern}
    )
    validator: jsonschema.protocols.Validator = validator_class(schema)
    return validator


@cache
def ecma_pattern(pattern: str) -> re.Pattern[str]:
    """A JSON Schema pattern with ECMA-262's `$` (the end of the text only).

    Python's `$` also matches before a final newline, so "id\\n" would pass "^[a-z]+$".
    """
    translated: list[str] = []
    in_class = escaped = False
    for char in pattern:
        is_anchor = char == "$" and not (escaped or in_class)
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in "[]":
            in_class = char == "["
        translated.append(r"\Z" if is_anchor else char)
    return re.compile("".join(translated))


def _pattern(
    validator: jsonschema.protocols.Validator, pattern: str, instance: Any, schema: Any
) -> Iterator[jsonschema.ValidationError]:
    if validator.is_type(instance, "string") and ecma_pattern(pattern).search(instance) is None:
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


def _path(parts: Any) -> str:
    return ".".join(str(p) for p in parts) or "(entry)"


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "..."


def _message(error: jsonschema.ValidationError) -> str:
    if error.validator == "pattern":
        return f"{_short(error.instance)} has characters outside {error.validator_value}"
    if error.validator == "required":
        return error.message.replace("is a required property", "is missing")
    return error.message if len(error.message) <= 200 else error.message[:197] + "..."


def _value_findings(obj: dict[str, Any]) -> list[Finding]:
    """What JSON Schema cannot say: known languages, finite numbers, non-blank text."""
    findings = []
    metadata = obj.get("metadata")
    if isinstance(metadata, dict):
        language = metadata.get("language")
        if isinstance(language, str) and language.strip() and languages.lookup(language) is None:
            known = ", ".join(lang.name for lang in languages.ALL)
            findings.append(Finding(f"unknown language {language!r} (known: {known})", "metadata.language"))
        complexity = metadata.get("complexity")
        if isinstance(complexity, float) and not math.isfinite(complexity):
            findings.append(Finding(f"complexity must be a finite number, got {complexity}", "metadata.complexity"))
    for name in TEXT_FIELDS:
        value = obj.get(name)
        if isinstance(value, str) and value and not value.strip():
            findings.append(Finding("is blank (only white space)", name))
    return findings


def check_object(obj: dict[str, Any]) -> CheckResult:
    errors = sorted(_validator().iter_errors(obj), key=lambda e: (list(map(str, e.absolute_path)), e.message))
    findings = [Finding(_message(e), _path(e.absolute_path)) for e in errors]
    findings.extend(_value_findings(obj))
    return from_findings(CHECK, findings)


def to_entry(record: Record, result: CheckResult) -> Entry | None:
    """The typed entry, when the record passed the schema check."""
    obj = record.obj
    if obj is None or result.findings:
        return None
    metadata = obj["metadata"]
    language = languages.by_name(metadata["language"])
    return Entry(
        query_id=obj["query_id"],
        query_text=obj["query_text"],
        reference_answer=obj["reference_answer"],
        assertions=obj["assertions"],
        language=language.name,
        function_name=metadata["function_name"],
        difficulty=metadata["difficulty"],
        category=metadata["category"],
        complexity=float(metadata["complexity"]),
        line=record.line,
        raw=obj,
    )


def entry_of(record: Record) -> Entry | None:
    """The record's typed entry, when it is a JSON object that passes the schema check."""
    return to_entry(record, check_object(record.obj)) if record.obj is not None else None
