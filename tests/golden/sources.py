"""The entries whose assembled programs have golden files: every entry of the repository's and the
shared datasets' JSONL files, and tables of per-language cases that the tests already hold."""

from __future__ import annotations

import importlib
import re
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pytest_synthetic.languages import lookup
from pytest_synthetic.records import read_records

REPO = Path(__file__).resolve().parents[2]
TESTS = REPO / "tests"
SHARED_DATASETS = REPO.parent / "shared" / "datasets"

# JSONL files of entries, by the prefix their golden files' names start with. tests/ is searched
# whole, so a conformance file added there gets golden files without a change here.
JSONL_SOURCES: tuple[tuple[str, Path, str], ...] = (
    ("shared", SHARED_DATASETS, "*.jsonl"),
    ("datasets", REPO / "datasets", "*.jsonl"),
    ("bank", REPO / "generator" / "bank", "*.jsonl"),
    ("tests", TESTS, "**/*.jsonl"),
)


@dataclass(frozen=True)
class Tables:
    """Cases in a test module: a dict of name -> assertions (with the module's reference), or
    name -> (reference, assertions), or name -> an object with those fields and its language;
    or one case, the assertions as a string constant."""

    module: str  # a test module in tests/, imported by its file name
    names: tuple[str, ...]
    language: str = ""  # when the cases do not name theirs
    function_name: str = ""
    reference: str = "REFERENCE"  # the module's constant that the assertions test


# The exit cases of the completion rule in each language's tests that have them, and the shapes
# of assertions that assembly rewrites most (test frameworks, main functions, imports).
_EXITS = ("FINAL_EXITS", "EARLY_EXITS", "FAILURE_PATH_EXITS", "LOOP_EXITS")
TABLES: tuple[Tables, ...] = (
    Tables("test_verdicts_compiled", ("CASES",)),
    Tables("test_lang_python", ("PASSING_SHAPES", "PYTEST_SHAPES"), "Python", "add"),
    Tables("test_lang_typescript", ("PASSING",), "TypeScript", "add"),
    Tables("test_lang_javascript", ("PASSING", "JEST_PASSING"), "JavaScript", "add"),
    Tables("test_lang_go", ("GO_TEST", "TEST_BODY"), "Go", "Sum"),
    Tables("test_lang_rust", ("FINAL_EXITS",), "Rust", "double", "DOUBLE"),
    Tables("test_lang_rust", ("ITEMS",), "Rust", "counts", "SHAPES"),
    Tables("test_lang_java", ("INVENTORY_TESTS",), "Java", "add", "INVENTORY"),
    Tables("test_lang_java", ("ACCOUNT_TESTS",), "Java", "withdraw", "ACCOUNT"),
    Tables("test_lang_java", ("TALLY_TESTS",), "Java", "tally", "TALLY"),
    Tables("test_lang_cpp", ("OWN_MAIN", "STATEMENTS_EXIT"), "C++", "total"),
    Tables("test_lang_csharp", ("FINAL_EXIT", "INT_MAIN", "TOP_LEVEL_RETURN"), "C#", "Triple", "RIGHT_TRIPLE"),
    Tables("test_lang_php", _EXITS, "PHP", "add"),
    Tables("test_lang_ruby", (*_EXITS, "RSPEC"), "Ruby", "add"),
    Tables("test_lang_swift", ("ASSERTIONS",), "Swift", "fibonacci"),
)


@dataclass(frozen=True)
class GoldenEntry:
    name: str  # the golden file's name without its folder and suffix; unique within its language
    language: str  # canonical name, or the metadata's value when it names no known language
    reference: str
    assertions: str
    function_name: str

    @property
    def language_key(self) -> str:
        known = lookup(self.language)
        return known.key if known is not None else safe_name(self.language.lower()) or "unknown"


def safe_name(text: str) -> str:
    """A file-name part: letters, digits, `_`, `.` and `-` (any other run becomes one `-`)."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-.")


def _from_object(name: str, obj: dict[str, Any]) -> GoldenEntry | None:
    """The entry in a JSONL object, or None when the object is no entry (a field missing or not text)."""
    meta = obj.get("metadata")
    meta = meta if isinstance(meta, dict) else {}
    fields = (obj.get("reference_answer"), obj.get("assertions"), meta.get("language"), meta.get("function_name"))
    if not all(isinstance(value, str) for value in fields):
        return None
    reference, assertions, language, function_name = (str(value) for value in fields)
    return GoldenEntry(name, language, reference, assertions, function_name)


def _jsonl_entries() -> Iterator[GoldenEntry]:
    for prefix, folder, pattern in JSONL_SOURCES:
        for path in sorted(folder.glob(pattern)):
            source = ".".join((prefix, *path.relative_to(folder).with_suffix("").parts))
            for record in read_records(path):
                obj = record.obj or {}
                # a file without ids (the generator's bank) names its entries by their function
                meta = obj.get("metadata")
                own = obj.get("query_id") or (meta.get("function_name") if isinstance(meta, dict) else None)
                entry = _from_object(f"{source}.{safe_name(str(own or f'line-{record.line}'))}", obj)
                if entry is not None:
                    yield entry


def _test_module(name: str) -> Any:
    """A test module by its file name, as pytest imports those of tests/ (which is no package)."""
    if str(TESTS) not in sys.path:
        sys.path.insert(0, str(TESTS))
    return importlib.import_module(name)


def _indented_literal(text: str) -> str:
    """The tests' triple-quoted cases start with a newline and are indented like their code."""
    return textwrap.dedent(text) if text.startswith("\n") else text


def _cases(tables: Tables, table: str) -> dict[str, Any]:
    """The table's cases by name; a string constant is one case named after the constant."""
    cases = getattr(_test_module(tables.module), table, None)
    if isinstance(cases, str):
        return {table: cases}
    if not isinstance(cases, dict):
        raise TypeError(f"{tables.module}.{table} is no longer a table of cases: update {__name__}.TABLES")
    return cases


def _table_entries(tables: Tables, table: str) -> Iterator[GoldenEntry]:
    for key, case in _cases(tables, table).items():
        name = f"{tables.module}.{table}" + ("" if key == table else f".{safe_name(str(key).lower())}")
        if isinstance(case, str):
            reference, assertions = getattr(_test_module(tables.module), tables.reference), case
        elif isinstance(case, tuple):
            reference, assertions = case
        else:  # a case that names its language, like test_verdicts_compiled.Case
            yield GoldenEntry(name, case.language, case.reference, case.assertions, case.function_name)
            continue
        yield GoldenEntry(
            name, tables.language, _indented_literal(reference), _indented_literal(assertions), tables.function_name
        )


def _unique(entries: Iterator[GoldenEntry]) -> Iterator[GoldenEntry]:
    """A repeated name (two entries of a file with the same id or function) gets `-2`, `-3`, ..."""
    seen: dict[tuple[str, str], int] = {}
    for entry in entries:
        key = (entry.language_key, entry.name)
        seen[key] = seen.get(key, 0) + 1
        yield replace(entry, name=f"{entry.name}-{seen[key]}") if seen[key] > 1 else entry


def golden_entries() -> list[GoldenEntry]:
    """Every entry with a golden file, in a stable order."""

    def every() -> Iterator[GoldenEntry]:
        yield from _jsonl_entries()
        for tables in TABLES:
            for table in tables.names:
                yield from _table_entries(tables, table)

    return list(_unique(every()))
