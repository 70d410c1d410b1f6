"""A failed execution in the entry's own terms: which line of which field, and what went wrong.

The toolchain names lines of the assembled program; the author edits `assertions` and
`reference_answer`. A program line the output names is traced back to the entry when its text
is on exactly one line of one field (rewritten lines and the harness's own lines are not).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pytest_synthetic.languages.base import Language
from pytest_synthetic.model import Entry
from pytest_synthetic.runner import Execution, Verdict

FIELDS = ("assertions", "reference_answer")
LOCATED_VERDICTS = frozenset({Verdict.ASSERTION_FAILED, Verdict.RUNTIME_ERROR, Verdict.COMPILE_ERROR})
DETAIL_CAP = 200  # characters of the error message in the first line
MIN_WRAPPED = 8  # an entry line found inside a rewritten program line must be this long


@dataclass(frozen=True)
class Place:
    field: str
    line: int  # 1-based, within the field
    text: str  # the line, stripped


def entry_place(program_line: str, entry: Entry) -> Place | None:
    """The entry line the program line is, or failing that the one it wraps (`track(<line>)`)."""
    text = program_line.strip()
    if len(text) < 2:
        return None
    lines = [
        Place(name, number, line.strip())
        for name in FIELDS
        for number, line in enumerate(getattr(entry, name).splitlines(), start=1)
    ]
    same = [place for place in lines if place.text == text]
    if not same:
        same = [place for place in lines if len(place.text) >= MIN_WRAPPED and place.text.rstrip(";") in text]
    return same[0] if len(same) == 1 else None


def _location_pattern(main_file: str) -> re.Pattern[str]:
    """`./main.go:21:13: message`, `main.ts:67:19)`, Python's `File ".../main.py", line 16`."""
    name = re.escape(Path(main_file).name)
    return re.compile(rf'(?<![\w-]){name}(?:[:(]|", line )(\d+)(?::\d+)?:?\)? ?(.*)$', re.MULTILINE)


def places(execution: Execution, entry: Entry) -> list[tuple[Place, str]]:
    """Every entry line the output names, in the output's order, with the rest of its output line."""
    program = execution.program
    if program is None:
        return []
    lines = program.files[program.main_file].splitlines()
    found = []
    for match in _location_pattern(program.main_file).finditer(execution.stderr + "\n" + execution.stdout):
        number = int(match.group(1))
        place = entry_place(lines[number - 1], entry) if 0 < number <= len(lines) else None
        if place is not None:
            found.append((place, match.group(2).strip()))
    return found


def _chosen(execution: Execution, entry: Entry) -> tuple[Place, str] | None:
    """A failed assertion is where the assertions caught it; an error where the reference caused it."""
    found = places(execution, entry)
    wanted = "assertions" if execution.verdict is Verdict.ASSERTION_FAILED else "reference_answer"
    return next((pair for pair in found if pair[0].field == wanted), found[0] if found else None)


def _error_message(execution: Execution, language: Language) -> str:
    """The language's uncaught-error line when it has a pattern for it, else the first line of output."""
    output = execution.stderr + "\n" + execution.stdout
    pattern = language.failure
    if pattern is not None:
        matches = list(re.finditer(pattern.regex, output, re.MULTILINE))
        if matches:
            match = matches[-1] if pattern.last else matches[0]
            name, message = (match.group("name") or "").strip(), (match.group("message") or "").strip()
            return f"{name}: {message}" if name and message else name or message
    useful = (line.strip() for line in output.splitlines())
    return next((line for line in useful if line and not line.startswith(("#", "Traceback", "at "))), "")


def _capped(text: str) -> str:
    return text if len(text) <= DETAIL_CAP else text[:DETAIL_CAP] + "..."


def headline(execution: Execution, entry: Entry, language: Language) -> str:
    """The failure's first line: the entry's field and line when known, then the error."""
    if execution.verdict not in LOCATED_VERDICTS:
        return execution.message
    chosen = _chosen(execution, entry)
    after_location = chosen[1] if chosen is not None else ""  # `main.go:21:13: undefined: x`
    compiler_said = execution.verdict is Verdict.COMPILE_ERROR and re.search(r"[A-Za-z]{3}", after_location)
    detail = after_location if compiler_said else _error_message(execution, language) or after_location
    detail = _capped(detail)
    if chosen is None:
        return f"{execution.message}: {detail}" if detail else execution.message
    place = chosen[0]
    where = f"{execution.verdict.value} at line {place.line} of the {place.field}: `{_capped(place.text)}`"
    return f"{where}: {detail}" if detail else where
