"""The plugin end to end through pytester, with and without xdist."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from pytest_synthetic.checks import ALL_ENTRY_CHECK_NAMES
from pytest_synthetic.checks.dataset import DATASET_CHECKS

pytest_plugins = ["pytester"]

GOOD = {
    "query_id": "good-001",
    "query_text": "Write a Python function named `count_vowels` that returns how many vowels (a, e, i, o, u, "
    "either case) a string contains. Language: Python. Function name: count_vowels",
    "reference_answer": (
        "def count_vowels(text: str) -> int:\n    return sum(1 for ch in text.lower() if ch in 'aeiou')\n"
    ),
    "assertions": "assert count_vowels('') == 0\nassert count_vowels('AbE') == 2\nassert count_vowels('xyz') == 0\n",
    "metadata": {
        "language": "Python",
        "function_name": "count_vowels",
        "difficulty": "medium",
        "category": "strings",
        "complexity": 0.3,
    },
}
GOOD2 = {
    **GOOD,
    "query_id": "good-002",
    "query_text": "Write a Python function named `is_palindrome` that tells whether a string reads the same "
    "backwards, ignoring case. Language: Python. Function name: is_palindrome",
    "reference_answer": "def is_palindrome(s: str) -> bool:\n    t = s.lower()\n    return t == t[::-1]\n",
    "assertions": "assert is_palindrome('Abba')\nassert not is_palindrome('abc')\nassert is_palindrome('')\n",
    "metadata": {**GOOD["metadata"], "function_name": "is_palindrome", "difficulty": "advanced"},
}
BAD_LINES = [
    b'{"query_id": "x", oops',
    b"\xff\xfe not utf-8",
    b"[1, 2, 3]",
    b"[" * 3000 + b"]" * 3000,
    b'"' + b"a" * (4 * 1024 * 1024 + 10) + b'"',
]


def dumps(obj: dict[str, Any]) -> bytes:
    return json.dumps(obj).encode()


@pytest.fixture
def bad_file(pytester: pytest.Pytester) -> Path:
    path = pytester.path / "synthetic_mixed.jsonl"
    lines = [b"\xef\xbb\xbf" + dumps(GOOD), b"", *BAD_LINES, dumps(GOOD2) + b"\r"]
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def outcomes_by_id(result: pytest.RunResult) -> dict[str, str]:
    found = {}
    for line in result.outlines:
        for word in ("PASSED", "FAILED", "ERROR", "SKIPPED"):
            if line.startswith(word + " ") or line.endswith(" " + word) or f" {word} " in line:
                nodeid = next((part for part in line.split() if "::" in part), None)
                if nodeid:
                    found[nodeid] = word
    return found


def run_verbose(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_subprocess("-rA", "-p", "no:cacheprovider", *args)


@pytest.mark.parametrize("xdist", [[], ["-n", "2"]], ids=["plain", "xdist"])
def test_bad_lines_become_json_items(pytester: pytest.Pytester, bad_file: Path, xdist: list[str]) -> None:
    result = run_verbose(pytester, str(bad_file.name), "--synthetic-size=2", *xdist)
    assert result.ret == 1
    outcomes = outcomes_by_id(result)
    for line in range(3, 8):
        assert outcomes[f"synthetic_mixed.jsonl::line-{line}::json"] == "FAILED"
    for query_id in ("good-001", "good-002"):
        for check in ("schema", "consistency", "quality", "syntax", "execution"):
            assert outcomes[f"synthetic_mixed.jsonl::{query_id}::{check}"] == "PASSED"
    text = result.stdout.str()
    assert "line 3: invalid JSON" in text
    assert "line 4: invalid UTF-8" in text
    assert "line 5: not a JSON object" in text
    assert "line 6: JSON nested too deeply" in text
    assert "byte limit" in text


def test_same_collection_with_and_without_xdist(pytester: pytest.Pytester, bad_file: Path) -> None:
    plain = pytester.runpytest_subprocess("--collect-only", "-q", bad_file.name, "-p", "no:cacheprovider")
    ids = [line for line in plain.outlines if "::" in line]
    assert len(ids) == 5 + 2 * len(ALL_ENTRY_CHECK_NAMES) + len(DATASET_CHECKS)
    again = pytester.runpytest_subprocess("--collect-only", "-q", bad_file.name, "-p", "no:cacheprovider")
    assert [line for line in again.outlines if "::" in line] == ids
    plain_run = outcomes_by_id(run_verbose(pytester, bad_file.name, "--synthetic-size=2"))
    xdist_run = outcomes_by_id(run_verbose(pytester, bad_file.name, "--synthetic-size=2", "-n", "2"))
    assert plain_run == xdist_run
    assert sorted(plain_run) == sorted(ids)


def test_option_ini_and_cli_precedence(pytester: pytest.Pytester, bad_file: Path) -> None:
    pytester.makeini(f"[pytest]\nsynthetic_dataset = {bad_file.name}\nsynthetic_size = 7\n")
    result = run_verbose(pytester, "-k", "size")
    assert (
        "synthetic_mixed.jsonl::dataset::size FAILED" in result.stdout.str()
        or "FAILED synthetic_mixed.jsonl::dataset::size" in result.stdout.str()
    )
    result.stdout.fnmatch_lines(["*2 entries, expected 7*"])
    result = run_verbose(pytester, "-k", "size", "--synthetic-size=2")
    assert outcomes_by_id(result)["synthetic_mixed.jsonl::dataset::size"] == "PASSED"


def test_bad_settings_and_paths_are_usage_errors(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest_subprocess("--synthetic-dataset=nowhere.jsonl")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*no such file or folder: nowhere.jsonl*"])
    result = pytester.runpytest_subprocess("--synthetic-language-quotas=Python")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*bad quota 'Python'*"])


def test_report_keep_and_junit(pytester: pytest.Pytester, bad_file: Path) -> None:
    broken = {**GOOD, "query_id": "broken-003", "assertions": "assert count_vowels('aa') == 3\n"}
    with bad_file.open("ab") as out:
        out.write(dumps(broken) + b"\n")
    result = run_verbose(
        pytester,
        bad_file.name,
        "--synthetic-size=3",
        "--synthetic-report=r.json",
        "--synthetic-keep=clean.jsonl",
        "--junitxml=j.xml",
        "-k",
        "not duplicates",
    )
    assert result.ret == 1
    report = json.loads((pytester.path / "r.json").read_text())
    by_id = {e["query_id"]: e for e in report["entries"]}
    assert by_id["good-001"]["checks"]["execution"]["outcome"] == "passed"
    assert by_id["broken-003"]["checks"]["execution"]["outcome"] == "failed"
    assert "assertion failed" in by_id["broken-003"]["checks"]["execution"]["reason"]
    kept = (pytester.path / "clean.jsonl").read_text().splitlines()
    assert [json.loads(line)["query_id"] for line in kept] == ["good-001", "good-002"]
    assert kept[0] == json.dumps(GOOD)  # unchanged bytes of the line
    cases = ET.parse(pytester.path / "j.xml").getroot().iter("testcase")
    props = [{p.get("name"): p.get("value") for p in case.iter("property")} for case in cases]
    assert {"query_id": "broken-003", "line": "9", "language": "Python", "check": "execution"} in props


def test_summary_and_failure_text(pytester: pytest.Pytester, bad_file: Path) -> None:
    result = run_verbose(
        pytester,
        bad_file.name,
        "--synthetic-size=2",
        "--synthetic-language-quotas=Python=2",
        "--synthetic-difficulty-quotas=medium=1,advanced=1",
    )
    result.stdout.fnmatch_lines(
        [
            "*synthetic dataset summary*",
            "synthetic_mixed.jsonl:",
            "  per check:",
            "    json * 0/5 * passed  (5 failed)",
            "*per language*",
            "    Python * 2/2",
            "  verdict: FAIL (5 failing item(s))",
        ]
    )
    assert "Traceback" not in result.stdout.str()


def test_unsafe_and_duplicate_ids_stay_unique(pytester: pytest.Pytester) -> None:
    path = pytester.path / "synthetic_ids.jsonl"
    rows = [{**GOOD, "query_id": "a/../b"}, GOOD, GOOD, {**GOOD, "query_id": "dataset"}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    result = pytester.runpytest_subprocess("--collect-only", "-q", path.name, "-p", "no:cacheprovider")
    ids = [line for line in result.outlines if "::" in line]
    assert len(ids) == len(set(ids))
    groups = {i.split("::")[1] for i in ids}
    assert groups == {"a_.._b", "good-001", "good-001.line-3", "dataset.line-4", "dataset"}
    run = run_verbose(pytester, path.name, "-k", "ids or schema")
    text = run.stdout.str()
    assert "query_id 'good-001' is used 2 times, on lines 2, 3" in text
    assert 'query_id: "a/../b" has characters outside' in text


def test_shared_datasets_meet_or_miss_their_mix(pytester: pytest.Pytester, shared_datasets: Path) -> None:
    for name in ("synthetic_gpt5", "synthetic_claude-sonnet-4-5", "synthetic_auto"):
        shutil.copy(shared_datasets / f"{name}.jsonl", pytester.path)
    result = run_verbose(pytester, "-k", "dataset and (size or languages or difficulties)", ".")
    outcomes = outcomes_by_id(result)
    assert outcomes["synthetic_gpt5.jsonl::dataset::size"] == "PASSED"
    assert outcomes["synthetic_gpt5.jsonl::dataset::languages"] == "PASSED"
    assert outcomes["synthetic_gpt5.jsonl::dataset::difficulties"] == "PASSED"
    assert outcomes["synthetic_claude-sonnet-4-5.jsonl::dataset::languages"] == "FAILED"
    result.stdout.fnmatch_lines(["*Python 44/40, TypeScript 42/40, Go 7/7, Rust 3/3, other 4/10*"])
    assert outcomes["synthetic_auto.jsonl::dataset::languages"] == "FAILED"
    assert outcomes["synthetic_auto.jsonl::dataset::difficulties"] == "FAILED"


def test_composer_example_passes_every_item(pytester: pytest.Pytester, shared_datasets: Path) -> None:
    source = shared_datasets / "synthetic_composer_example.jsonl"
    result = run_verbose(pytester, f"--synthetic-dataset={source}", "--synthetic-size=1")
    assert result.ret == 0
    result.assert_outcomes(passed=len(ALL_ENTRY_CHECK_NAMES) + len(DATASET_CHECKS))
