"""An entry whose execution was skipped (no Swift toolchain here) is "not executed" in the
summary, and kept only when --synthetic-keep-unexecuted asks for it."""

from __future__ import annotations

import json

import pytest
from ci_entries import GOOD, SWIFT, write_dataset

from pytest_synthetic import toolchains

pytest_plugins = ["pytester"]

pytestmark = pytest.mark.skipif(toolchains.which("swiftc") is not None, reason="swiftc is installed here")


def kept_ids(pytester: pytest.Pytester) -> list[str]:
    lines = (pytester.path / "kept.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["query_id"] for line in lines]


def run(pytester: pytest.Pytester, *extra: str) -> pytest.RunResult:
    write_dataset(pytester.path / "synthetic_two.jsonl", GOOD, SWIFT)
    return pytester.runpytest_subprocess(
        "synthetic_two.jsonl", "--synthetic-size=2", "--synthetic-language-quotas=Python=1,other=1",
        "--synthetic-difficulty-quotas=medium=1,very_advanced=1", "--synthetic-keep=kept.jsonl",
        "-k", "not strength", "-p", "no:cacheprovider", *extra,
    )


def test_an_unexecuted_entry_is_neither_passed_nor_kept(pytester: pytest.Pytester) -> None:
    result = run(pytester)
    assert result.ret == 0  # a skip is not a failure: the gate stays open, the summary says why
    result.stdout.fnmatch_lines(
        [
            "  per language (entries with every check passed):",
            "    Python * 1/1",
            "    Swift * 0/1  (1 not executed)",
            "  verdict: PASS",
        ]
    )
    assert kept_ids(pytester) == ["vowels-001"]


def test_keep_unexecuted_keeps_it(pytester: pytest.Pytester) -> None:
    run(pytester, "--synthetic-keep-unexecuted")
    assert kept_ids(pytester) == ["vowels-001", "fib-003"]
