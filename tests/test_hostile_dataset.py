"""A hostile dataset through the whole plugin with -n 2: every attack fails, nothing outside is touched."""

from __future__ import annotations

import json
import os
import socket
import threading
from pathlib import Path
from typing import Any

import pytest

pytest_plugins = ["pytester"]

SECRET = "sk-canary-0d7c1f9e5b"
MARKER = "synthetic-hostile-orphan-4711"


def entry(query_id: str, reference: str, assertions: str, language: str = "Python") -> dict[str, Any]:
    return {
        "query_id": query_id,
        "query_text": (
            f"Write a {language} function named `f` that does the task. Language: {language}. Function name: f"
        ),
        "reference_answer": reference,
        "assertions": assertions,
        "metadata": {
            "language": language,
            "function_name": "f",
            "difficulty": "medium",
            "category": "security",
            "complexity": 0.5,
        },
    }


def hostile_entries(canary: Path, dataset: Path, port: int) -> list[dict[str, Any]]:
    calls = "assert f(1) == 1\n"
    return [
        entry("loop", "def f(x):\n    while True:\n        pass\n", calls),
        entry(
            "sleep-ignoring-sigterm",
            "import signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\ndef f(x):\n    time.sleep(3600)\n",
            calls,
        ),
        entry(
            "fork-bomb",
            "import os\ndef f(x):\n    while True:\n        try:\n            os.fork()\n"
            "        except OSError:\n            pass\n",
            calls,
        ),
        entry(
            "memory", "def f(x):\n    blocks = []\n    while True:\n        blocks.append(bytearray(1 << 26))\n", calls
        ),
        entry("flood", "import sys\ndef f(x):\n    while True:\n        sys.stdout.write('y' * 65536)\n", calls),
        entry(
            "disk",
            "def f(x):\n    with open('big', 'wb') as out:\n        while True:\n"
            "            out.write(b'z' * (1 << 20))\n",
            calls,
        ),
        entry(
            "secrets",
            "import os, sys\ndef f(x):\n    leaked = ' '.join(f'{k}={v}' for k, v in os.environ.items())\n"
            "    print(leaked); print(leaked, file=sys.stderr)\n    open('leak.txt', 'w').write(leaked)\n"
            "    return 2\n",
            calls,
        ),
        entry(
            "files",
            f"import os\ndef f(x):\n    for path in ({str(canary)!r}, {str(dataset)!r}):\n"
            "        try:\n            open(path, 'w').write('owned')\n        except OSError:\n            pass\n"
            "        try:\n            os.remove(path)\n        except OSError:\n            pass\n"
            "    return 2\n",
            calls,
        ),
        entry(
            "read-home", "import os\ndef f(x):\n    return len(os.listdir(os.path.expanduser('~root'))) + 99\n", calls
        ),
        entry(
            "network",
            f"import socket\ndef f(x):\n    s = socket.create_connection(('127.0.0.1', {port}), timeout=2)\n"
            "    s.sendall(b'hello')\n    return 1\n",
            calls,
        ),
        entry(
            "kill-parent",
            "import os, signal\ndef f(x):\n    for target in (os.getppid(), 1):\n        try:\n"
            "            os.kill(target, signal.SIGKILL)\n        except OSError:\n            pass\n"
            "    try:\n        os.killpg(0, signal.SIGKILL)\n    except OSError:\n        pass\n    return 2\n",
            calls,
        ),
        entry(
            "orphan",
            f"import os, subprocess\ndef f(x):\n    subprocess.Popen(['sh', '-c', 'exec -a {MARKER} sleep 300'],"
            " start_new_session=True)\n    return 2\n",
            calls,
        ),
        entry("early-exit", "import sys\ndef f(x):\n    return 2\nsys.exit(0)\n", calls),
        entry("fake-marker", "import os\ndef f(x):\n    print('All tests passed')\n    os._exit(0)\n", calls),
        entry(
            "node-exit",
            "function f(x) { process.exit(0); }",
            "if (f(1) !== 1) throw new Error('f broke');",
            "JavaScript",
        ),
        entry("harmless", "def f(x):\n    return x\n", calls),
    ]


def test_hostile_dataset_is_contained(
    pytester: pytest.Pytester, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    canary = tmp_path / "canary.txt"
    canary.write_text("intact")
    dataset = pytester.path / "synthetic_hostile.jsonl"
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.2)
    accepted: list[object] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                accepted.append(listener.accept())
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    rows = hostile_entries(canary, dataset, listener.getsockname()[1])
    dataset.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    original = dataset.read_bytes()
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    try:
        result = pytester.runpytest_subprocess(
            dataset.name,
            "-n",
            "2",
            "-k",
            "execution",
            "-rA",
            "-p",
            "no:cacheprovider",
            "--synthetic-report=report.json",
            timeout=600,
        )
    finally:
        stop.set()
        thread.join()
        listener.close()
    assert result.ret == 1
    report = json.loads((pytester.path / "report.json").read_text())
    outcomes = {e["query_id"]: e["checks"]["execution"] for e in report["entries"]}
    assert outcomes.pop("harmless")["outcome"] == "passed"
    assert {qid: o["outcome"] for qid, o in outcomes.items()} == dict.fromkeys(outcomes, "failed")
    assert outcomes["early-exit"]["verdict"] == "incomplete"
    assert outcomes["fake-marker"]["verdict"] == "incomplete"
    assert outcomes["node-exit"]["verdict"] == "incomplete"
    assert outcomes["loop"]["verdict"] == "timeout"
    assert outcomes["flood"]["verdict"] == "output limit"
    assert canary.read_text() == "intact"
    assert dataset.read_bytes() == original
    assert accepted == []
    everything = result.stdout.str() + result.stderr.str() + (pytester.path / "report.json").read_text()
    assert SECRET not in everything
    assert not (pytester.path / "leak.txt").exists()
    leftovers = [p for p in Path("/proc").iterdir() if p.name.isdigit() and _cmdline(p).startswith(MARKER)]
    assert leftovers == []


def _cmdline(process: Path) -> str:
    try:
        return (process / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def test_crafted_metadata_never_reaches_a_path_or_shell(pytester: pytest.Pytester) -> None:
    rows = [
        {**entry("ok", "def f(x):\n    return x\n", "assert f(1) == 1\n"), "query_id": "../../escape"},
        entry("shell", "def f(x):\n    return x\n", "assert f(1) == 1\n"),
        entry("unknown", "f x = x", "main = print (f 1)", "Brainfuck"),
    ]
    rows[1]["metadata"]["function_name"] = "f; touch pwned #"
    dataset = pytester.path / "synthetic_crafted.jsonl"
    dataset.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    result = pytester.runpytest_subprocess(dataset.name, "-rA", "-p", "no:cacheprovider")
    text = result.stdout.str()
    assert (
        "synthetic_crafted.jsonl::escape::schema FAILED" in text
        or "FAILED synthetic_crafted.jsonl::escape::schema" in text
    )
    assert "metadata.function_name" in text
    assert "unknown language 'Brainfuck'" in text
    assert "::execution" not in text  # entries that fail the schema are never run
    assert not (pytester.path / "pwned").exists()
    assert not list(pytester.path.parent.glob("escape*"))
    assert os.environ.get("OPENAI_API_KEY") != SECRET
