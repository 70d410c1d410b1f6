"""The conformance files of Bash, Lua and Perl through the plugin: each entry gets its recorded verdict.

tests/conformance/<language>.jsonl holds entries written the way LLMs write those languages, good
and broken (a wrong reference, an early exit, assertions that cannot fail, a syntax error, a
crash); expected.json records each one's execution verdict, its strength outcome when it ran,
and why a verdict is not a pass.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from pytest_synthetic import toolchains
from pytest_synthetic.languages import by_name

CONFORMANCE = Path(__file__).parent / "conformance"
EXPECTED: dict[str, dict[str, str]] = json.loads((CONFORMANCE / "expected.json").read_text(encoding="utf-8"))
FILES = sorted(CONFORMANCE.glob("*.jsonl"))


def _entries() -> dict[str, dict[str, Any]]:
    found = {}
    for path in FILES:
        for line in path.read_text(encoding="utf-8").splitlines():
            obj = json.loads(line)
            found[f"{path.name}::{obj['query_id']}"] = obj
    return found


def test_every_entry_has_a_recorded_verdict_and_every_failure_a_reason() -> None:
    entries = _entries()
    assert set(entries) == set(EXPECTED)
    for key, expected in EXPECTED.items():
        flawed = expected["execution"] != "passed" or expected.get("strength") == "failed"
        assert flawed == bool(expected["reason"]), key
    counts = {path.name: sum(1 for key in entries if key.startswith(path.name)) for path in FILES}
    assert all(8 <= count <= 12 for count in counts.values()), counts


@pytest.mark.toolchains
def test_the_plugin_gives_every_entry_its_recorded_verdict(pytester: pytest.Pytester) -> None:
    languages = [by_name(name) for name in {obj["metadata"]["language"] for obj in _entries().values()}]
    missing = [t.command for language in languages for t in language.toolchains if toolchains.which(t.command) is None]
    if missing:
        pytest.skip(f"toolchains missing: {', '.join(missing)}")
    for path in FILES:
        shutil.copy(path, pytester.path / path.name)
    result = pytester.runpytest_subprocess(
        *(f"--synthetic-dataset={path.name}" for path in FILES),
        "--synthetic-report=report.json",
        "-k",
        "execution or strength",
        "-n",
        "2",
    )
    assert result.ret in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED), result.stdout.str()[-3000:]
    report = json.loads((pytester.path / "report.json").read_text(encoding="utf-8"))
    got = {}
    for entry in report["entries"]:
        checks = entry["checks"]
        outcome = {"execution": checks["execution"]["verdict"]}
        if checks["strength"]["outcome"] != "skipped":
            outcome["strength"] = checks["strength"]["outcome"]
        got[f"{Path(entry['file']).name}::{entry['query_id']}"] = outcome
    expected = {key: {k: v for k, v in record.items() if k != "reason"} for key, record in EXPECTED.items()}
    assert got == expected
