"""End to end: ``python -m generator`` against a real loopback OpenAI-compatible server."""

from __future__ import annotations

import io
import json
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openai_server import FakeOpenAI, Reply, Script, slots_of

from generator.cli import main, safe_filename

PYTHON_ONLY = ["--language-quotas", "Python=1", "--difficulty-quotas", "medium=1,advanced=1,very_advanced=1"]


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        yield fake


def run(server: FakeOpenAI, out: Path, *extra: str, count: int = 4) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    argv = [
        "--base-url", server.url, "--model", "fake-model", "--out", str(out), "--count", str(count),
        *PYTHON_ONLY, "--retry-backoff", "0.01", "--timeout", "5", *extra,
    ]
    code = main(argv, out=stdout, err=stderr)
    return code, stdout.getvalue(), stderr.getvalue()


def entries(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def assert_complete(path: Path, count: int) -> list[dict[str, Any]]:
    """Exactly ``count`` entries, numbered 1..count, no problem twice, the difficulty mix met."""
    found = entries(path)
    assert [e["query_id"] for e in found] == [f"synthetic-{n:03d}" for n in range(1, count + 1)]
    names = [e["metadata"]["function_name"] for e in found]
    assert len(set(names)) == count, Counter(names).most_common(3)
    difficulties = Counter(e["metadata"]["difficulty"] for e in found)
    assert max(difficulties.values()) - min(difficulties.values()) <= 1
    return found


def test_valid_replies_fill_the_file(server: FakeOpenAI, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    code, report, _ = run(server, out, "--no-execute", "--batch-size", "3", "--concurrency", "2",
                          "--input-price", "1", "--output-price", "2", count=7)
    assert code == 0
    found = assert_complete(out, 7)
    assert {e["metadata"]["language"] for e in found} == {"Python"}
    assert len(server.requests) == 3  # 3 + 3 + 1 slots
    assert "no candidate was rejected" in report
    assert "tokens: 300 in, 120 out; estimated cost $0.0005" in report


def chatty(server: FakeOpenAI, request: dict[str, Any]) -> Reply:
    body = json.dumps({"entries": server.entries_for(request)}, indent=2)
    return Reply(content=f"Of course! Here are the challenges you asked for:\n\n```json\n{body}\n```\nEnjoy!")


def listed(server: FakeOpenAI, request: dict[str, Any]) -> Reply:
    return Reply(content="\n".join(json.dumps(e) for e in server.entries_for(request)))


def test_fenced_chatty_and_loose_replies_are_understood(server: FakeOpenAI, tmp_path: Path) -> None:
    server.push(chatty, listed)
    out = tmp_path / "out.jsonl"
    code, report, _ = run(server, out, "--no-execute", "--batch-size", "2", "--concurrency", "1", count=4)
    assert code == 0
    assert_complete(out, 4)
    assert len(server.requests) == 2
    assert "no candidate was rejected" in report


def test_malformed_json_is_sent_back_for_repair(server: FakeOpenAI, tmp_path: Path) -> None:
    server.push(Reply(content='{"entries": [{"query_id": "S001", "query_text": "Write a Python'))
    out = tmp_path / "out.jsonl"
    code, report, _ = run(server, out, "--no-execute", "--batch-size", "1", "--concurrency", "1", count=2)
    assert code == 0
    assert_complete(out, 2)
    repair = server.requests[1]["messages"]
    assert [m["role"] for m in repair] == ["user", "assistant", "user"]
    assert repair[1]["content"].startswith('{"entries": [{"query_id": "S001"')  # what the model said
    assert "not valid JSON" in repair[2]["content"]
    assert "json 1" in report


def wrong_language(server: FakeOpenAI, request: dict[str, Any]) -> Reply:
    [entry] = server.entries_for(request)
    entry["metadata"]["language"] = "TypeScript"
    return Reply(content=json.dumps({"entries": [entry]}))


def test_a_wrong_language_is_sent_back_for_repair(server: FakeOpenAI, tmp_path: Path) -> None:
    server.push(wrong_language)
    out = tmp_path / "out.jsonl"
    code, report, _ = run(server, out, "--no-execute", "--batch-size", "1", "--concurrency", "1", count=2)
    assert code == 0
    assert {e["metadata"]["language"] for e in assert_complete(out, 2)} == {"Python"}
    feedback = server.requests[1]["messages"][2]["content"]
    assert "must be written in Python" in feedback
    assert "'TypeScript'" in feedback
    assert "slot 1" in report


def failing_reference(server: FakeOpenAI, request: dict[str, Any]) -> Reply:
    """An answer whose first assertion expects a wrong value."""
    [entry] = server.entries_for(request)
    lines = entry["assertions"].splitlines()
    lines[0] = lines[0].rsplit("==", 1)[0] + "== 'a wrong expected value'"
    entry["assertions"] = "\n".join(lines)
    return Reply(content=json.dumps({"entries": [entry]}))


def fixed(server: FakeOpenAI, request: dict[str, Any]) -> Reply:
    """The repair: the same problem with its assertions put right."""
    previous = json.loads(request["messages"][1]["content"])["entries"][0]
    name = previous["metadata"]["function_name"]
    original = next(p for p in server.pool if p["metadata"]["function_name"] == name)
    previous["assertions"] = original["assertions"]
    return Reply(content=json.dumps({"entries": [previous]}))


def placeholder_assertions(server: FakeOpenAI, request: dict[str, Any]) -> Reply:
    """A problem whose only assertion holds for any function at all."""
    [entry] = server.entries_for(request)
    entry["assertions"] = f"assert callable({entry['metadata']['function_name']})\n"
    return Reply(content=json.dumps({"entries": [entry]}))


@pytest.mark.parametrize(
    ("first", "feedback_says", "rejected"),
    [
        (failing_reference, ["execution", "assertion failed"], "execution 1"),
        (placeholder_assertions, ["strength: weak assertions", "the assertions also pass when the function returns"],
         "strength 1"),
    ],
    ids=["failing-assertion", "assertions-proving-nothing"],
)
def test_a_failing_candidate_is_repaired_with_the_findings(
    server: FakeOpenAI, tmp_path: Path, first: Script, feedback_says: list[str], rejected: str
) -> None:
    server.push(first, fixed)
    out = tmp_path / "out.jsonl"
    code, report, stderr = run(server, out, "--batch-size", "1", "--concurrency", "1", count=1)
    assert code == 0, stderr
    [entry] = assert_complete(out, 1)
    feedback = server.requests[1]["messages"][2]["content"]
    for text in feedback_says:
        assert text in feedback
    original = next(p for p in server.pool if p["metadata"]["function_name"] == entry["metadata"]["function_name"])
    assert entry["assertions"] == original["assertions"]  # the repaired answer was the one kept
    assert rejected in report


def test_api_trouble_is_retried_during_a_run(server: FakeOpenAI, tmp_path: Path) -> None:
    server.push(
        Reply(status=429, headers={"retry-after": "0.2"}),
        Reply(status=500),
        Reply(delay=1.5),
        Reply(drop=True),
    )
    out = tmp_path / "out.jsonl"
    code, report, _ = run(server, out, "--no-execute", "--concurrency", "1", "--timeout", "0.5", count=3)
    assert code == 0
    assert_complete(out, 3)
    assert "API retries 4" in report


def test_a_dead_server_stops_the_run(server: FakeOpenAI, tmp_path: Path) -> None:
    server.push(*[Reply(status=500)] * 20)
    out = tmp_path / "out.jsonl"
    code, report, stderr = run(server, out, "--no-execute", "--batch-size", "1", "--concurrency", "1",
                               "--retries", "1", count=3)
    assert code == 3
    assert "requests in a row failed" in stderr
    assert "3 slot(s) left unfilled" in report
    assert entries(out) == []


def test_a_bad_key_stops_the_run_at_once(server: FakeOpenAI, tmp_path: Path) -> None:
    server.push(Reply(status=401, message="Incorrect API key provided"))
    code, _, stderr = run(server, tmp_path / "out.jsonl", "--no-execute", "--concurrency", "1", count=2)
    assert code == 3
    assert "HTTP 401: Incorrect API key provided" in stderr
    assert len(server.requests) == 1


def duplicate_of_first(server: FakeOpenAI, request: dict[str, Any]) -> Reply:
    [slot] = slots_of(request)
    entry = json.loads(json.dumps(server.pool[0]))
    entry["query_id"] = slot[0]
    entry["metadata"].update(language="Python", difficulty=slot[2], category=slot[3], complexity=0.5)
    return Reply(content=json.dumps({"entries": [entry]}))


def test_a_duplicate_of_an_accepted_entry_is_rejected(server: FakeOpenAI, tmp_path: Path) -> None:
    server.push(lambda fake, request: Reply(), duplicate_of_first)  # a fresh problem, then the same again
    out = tmp_path / "out.jsonl"
    code, report, _ = run(server, out, "--no-execute", "--batch-size", "1", "--concurrency", "1", count=2)
    assert code == 0
    assert_complete(out, 2)
    assert "duplicates 1" in report
    assert "repeats the already accepted synthetic-001" in server.requests[2]["messages"][2]["content"]


def test_a_torn_last_line_is_cut_and_the_run_continues(server: FakeOpenAI, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    assert run(server, out, "--no-execute", count=2)[0] == 0
    before = out.read_text(encoding="utf-8")
    out.write_text(before + before.splitlines()[0][:50], encoding="utf-8")  # a write cut short
    code, _, stderr = run(server, out, "--no-execute", count=5)
    assert code == 0
    assert "cutting a torn last line (50 bytes)" in stderr
    assert "resuming" in stderr
    assert out.read_text(encoding="utf-8").startswith(before)
    assert_complete(out, 5)


def test_dry_run_calls_nothing(server: FakeOpenAI, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    code, printed, _ = run(server, out, "--dry-run", "--batch-size", "2", count=6)
    assert code == 0
    assert server.requests == []
    assert not out.exists()
    assert "plan for 6 entries" in printed
    assert "--- first request ---" in printed
    assert len(re.findall(r"^\| S\d+ \| Python \|", printed, re.MULTILINE)) == 2  # the first request's rows


def test_a_spec_file_sets_the_requirements(server: FakeOpenAI, tmp_path: Path) -> None:
    spec = tmp_path / "big.toml"
    spec.write_text('size = 500\nlanguage_quotas = {Python = 300, Go = 100, other = 100}\n', encoding="utf-8")
    stdout = io.StringIO()
    code = main(["--model", "m", "--spec", str(spec), "--dry-run", "--out", str(tmp_path / "o.jsonl")], out=stdout)
    assert code == 0
    table = stdout.getvalue()
    assert "plan for 500 entries" in table
    python_row = next(line for line in table.splitlines() if line.startswith("Python "))
    assert python_row.split()[-1] == "300"
    assert "TypeScript*" in table  # not named, so part of "other"


def test_bad_settings_are_usage_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stderr = io.StringIO()
    assert main(["--model", "m", "--language-quotas", "Python=x", "--dry-run"], err=stderr) == 2
    assert "bad quota" in stderr.getvalue()
    spec = tmp_path / "s.toml"
    spec.write_text("sise = 5\n", encoding="utf-8")
    stderr = io.StringIO()
    assert main(["--model", "m", "--spec", str(spec), "--dry-run"], err=stderr) == 2
    assert "unknown setting 'sise'" in stderr.getvalue()
    monkeypatch.delenv("OPENAI_MODEL", raising=False)
    stderr = io.StringIO()
    assert main(["--dry-run"], err=stderr) == 2
    assert "--model is required" in stderr.getvalue()


def test_the_default_output_name_comes_from_the_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert safe_filename("meta-llama/Llama-3.1-8B:q4") == "meta-llama-Llama-3.1-8B-q4"
    monkeypatch.chdir(tmp_path)
    stdout = io.StringIO()
    assert main(["--model", "org/Model:7b", "--dry-run"], out=stdout) == 0
    assert str(Path("datasets") / "synthetic_org-Model-7b.jsonl") in stdout.getvalue()


def generator_args(server: FakeOpenAI, out: Path, count: int) -> list[str]:
    return [
        "--base-url", server.url, "--model", "fake", "--out", str(out), "--count", str(count), *PYTHON_ONLY,
        "--no-execute", "--batch-size", "1", "--concurrency", "2", "--quiet",
    ]


def wait_for_lines(path: Path, lines: int, process: subprocess.Popen[bytes], limit: float = 90.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if path.exists() and path.read_bytes().count(b"\n") >= lines:
            return
        assert process.poll() is None, process.communicate()
        time.sleep(0.02)
    pytest.fail(f"{path} never reached {lines} lines")


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["SIGKILL", "SIGINT"])
@pytest.mark.usefixtures("interruptible")
def test_a_killed_run_resumes_without_losing_or_repeating_entries(tmp_path: Path, sig: signal.Signals) -> None:
    count, before_kill = 16, 6
    out = tmp_path / "out.jsonl"
    # The first answers come at once, later ones hang: the kill lands mid-run, with requests
    # in flight, however slow this machine is.
    with FakeOpenAI(default_delay=60.0) as server:
        server.push(*[Reply() for _ in range(before_kill)])
        args = generator_args(server, out, count)
        process = subprocess.Popen([sys.executable, "-m", "generator", *args], stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, cwd=tmp_path)
        wait_for_lines(out, before_kill, process)
        process.send_signal(sig)
        _, stderr = process.communicate(timeout=60)
        if sig == signal.SIGINT:
            assert process.returncode == 130
            assert b"6 new entries saved; run the same command to resume" in stderr
        else:
            assert process.returncode == -signal.SIGKILL
        kept = out.read_bytes()
        assert kept.count(b"\n") == before_kill
        # resume: the same command again (in this process, to keep the test fast)
        server.default_delay = 0.0
        resumed = io.StringIO()
        assert main(args, out=io.StringIO(), err=resumed) == 0, resumed.getvalue()
        assert f"resuming {out}: {before_kill} entries there, {count - before_kill} to go" in resumed.getvalue()
    assert out.read_bytes().startswith(kept)  # nothing accepted before the kill was touched
    assert_complete(out, count)
