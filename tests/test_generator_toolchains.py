"""The generator and a language whose toolchain this machine lacks (Swift: Debian has none),
against the real loopback OpenAI-compatible server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from ci_entries import SWIFT
from openai_server import FakeOpenAI, Reply, slots_of
from test_generator_cli import run

from pytest_synthetic import toolchains

pytestmark = pytest.mark.skipif(toolchains.which("swiftc") is not None, reason="swiftc is installed here")

SWIFT_PLAN = ["--language-quotas", "Swift=1", "--difficulty-quotas", "very_advanced=1"]
ONE_TRY = ["--batch-size", "1", "--concurrency", "1", "--attempts", "1", "--slot-tries", "2"]


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        yield fake


def swift_answer(server: FakeOpenAI, request: dict[str, Any]) -> Reply:
    entries = [{**SWIFT, "query_id": key} for key, *_ in slots_of(request)]
    return Reply(content=json.dumps({"entries": entries}))


def test_by_default_an_entry_that_cannot_run_here_is_refused(server: FakeOpenAI, tmp_path: Path) -> None:
    server.push(swift_answer, swift_answer)
    out = tmp_path / "out.jsonl"
    code, report, stderr = run(server, out, *SWIFT_PLAN, *ONE_TRY, count=1)
    assert "note: no toolchain on this machine for Swift (" in stderr
    assert "--require-toolchains is on" in stderr
    assert code == 1
    assert out.read_text(encoding="utf-8") == ""
    assert "1 slot(s) left unfilled: run the same command again to retry them\n" in report
    assert "\n  Swift 1: candidates rejected by execution 2\n" in report
    assert "accepted without execution" not in report


def test_no_require_toolchains_accepts_it_and_the_summary_says_so(server: FakeOpenAI, tmp_path: Path) -> None:
    server.push(swift_answer)
    out = tmp_path / "out.jsonl"
    code, report, stderr = run(server, out, *SWIFT_PLAN, *ONE_TRY, "--no-require-toolchains", count=1)
    assert "accepted without execution (--no-require-toolchains)" in stderr
    assert code == 0
    assert [json.loads(line)["metadata"]["language"] for line in out.read_text().splitlines()] == ["Swift"]
    assert "1 entry accepted without execution: Swift, toolchain missing" in report


def test_unfilled_slots_name_their_language_and_what_rejected_them(server: FakeOpenAI, tmp_path: Path) -> None:
    # The server answers every slot with a Python problem: right for Python, wrong for Swift.
    plan = ["--language-quotas", "Python=1,Swift=1", "--difficulty-quotas", "medium=1,very_advanced=1"]
    code, report, _ = run(server, tmp_path / "out.jsonl", *plan, *ONE_TRY, "--no-execute", count=2)
    assert code == 1
    assert "1 slot(s) left unfilled: run the same command again to retry them\n" in report
    assert "\n  Swift 1: candidates rejected by consistency 2, syntax 2\n" in report
    assert "  Python" not in report
