"""The result cache: real runs through pytester, and the store itself under concurrent writers.

What is observed is where each result came from (`source` in the JSON report: "run" when
computed or executed in that session, "cache" when read), never timing.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import stat
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from pytest_synthetic import store, toolchains
from pytest_synthetic.cache import FORMAT, TIMEOUTS, ResultCache, cacheable, execution_key
from pytest_synthetic.languages.base import Program, Rewrites, Step, Toolchain
from pytest_synthetic.model import CheckResult, Outcome
from pytest_synthetic.runner import Execution, Verdict
from pytest_synthetic.sandbox import Limits
from pytest_synthetic.store import DocumentStore

pytest_plugins = ["pytester"]


def python_entry(query_id: str, name: str, body: str, checks: str) -> dict[str, Any]:
    return {
        "query_id": query_id,
        "query_text": f"Write a Python function named `{name}` that computes the documented result for the "
        f"given numbers and strings. Language: Python. Function name: {name}",
        "reference_answer": f"def {name}(x):\n    {body}\n",
        "assertions": checks,
        "metadata": {"language": "Python", "function_name": name, "difficulty": "medium",
                     "category": "math", "complexity": 0.3},
    }


ENTRIES = [
    python_entry("c-001", "double_it", "return 2 * x", "assert double_it(2) == 4\nassert double_it(0) == 0\n"),
    python_entry("c-002", "square_it", "return x * x", "assert square_it(3) == 9\nassert square_it(-2) == 4\n"),
    python_entry("c-003", "grow_it", "return abs(x) + 1", "assert grow_it(-5) == 6\nassert grow_it(0) == 1\n"),
]


def write_dataset(path: Path, entries: list[dict[str, Any]]) -> None:
    path.write_text("".join(json.dumps(e) + "\n" for e in entries), encoding="utf-8")


def checked_sources(pytester: pytest.Pytester, *args: str, select: str = "execution") -> dict[str, dict[str, str]]:
    """query_id -> check -> where its result came from, read from the JSON report of a real run."""
    report = pytester.path / "report.json"
    report.unlink(missing_ok=True)
    result = pytester.runpytest_subprocess(
        "synthetic_cache.jsonl", "--synthetic-size=3", "-k", select, f"--synthetic-report={report}", *args
    )
    assert result.ret == pytest.ExitCode.OK, result.stdout.str()
    data = json.loads(report.read_text())
    return {e["query_id"]: {name: c.get("source", "") for name, c in e["checks"].items()} for e in data["entries"]}


def sources(pytester: pytest.Pytester, *args: str) -> dict[str, str]:
    """query_id -> where its execution came from."""
    return {query_id: checks["execution"] for query_id, checks in checked_sources(pytester, *args).items()}


@pytest.fixture
def dataset(pytester: pytest.Pytester) -> Path:
    path = pytester.path / "synthetic_cache.jsonl"
    write_dataset(path, ENTRIES)
    return path


ALL_RUN = {"c-001": "run", "c-002": "run", "c-003": "run"}
ALL_CACHED = {"c-001": "cache", "c-002": "cache", "c-003": "cache"}


@pytest.mark.parametrize("xdist", [[], ["-n", "2"]], ids=["plain", "xdist"])
def test_second_run_reads_every_result_from_the_cache(
    pytester: pytest.Pytester, dataset: Path, xdist: list[str]
) -> None:
    assert sources(pytester, *xdist) == ALL_RUN
    assert sources(pytester, *xdist) == ALL_CACHED
    assert sources(pytester) == ALL_CACHED  # workers and a plain run share one cache


def test_editing_one_entry_executes_only_that_one(pytester: pytest.Pytester, dataset: Path) -> None:
    assert sources(pytester) == ALL_RUN
    edited = [*ENTRIES]
    edited[1] = {**ENTRIES[1], "assertions": ENTRIES[1]["assertions"] + "assert square_it(4) == 16\n"}
    write_dataset(dataset, edited)
    assert sources(pytester) == {"c-001": "cache", "c-002": "run", "c-003": "cache"}
    assert sources(pytester) == ALL_CACHED


def test_static_check_results_are_cached_too(pytester: pytest.Pytester, dataset: Path) -> None:
    static = "consistency or quality or syntax or schema"
    first = checked_sources(pytester, select=static)
    assert first["c-001"] == {"schema": "", "consistency": "run", "quality": "run", "syntax": "run"}
    again = checked_sources(pytester, select=static)
    assert {checks["quality"] for checks in again.values()} == {"cache"}
    assert again["c-001"] == {"schema": "", "consistency": "cache", "quality": "cache", "syntax": "cache"}
    # the requirements are part of the key: another threshold judges again
    other = checked_sources(pytester, "--synthetic-min-question-words=3", select=static)
    assert {checks["quality"] for checks in other.values()} == {"run"}
    edited = [*ENTRIES]
    edited[0] = {**ENTRIES[0], "query_text": ENTRIES[0]["query_text"].replace("documented", "expected")}
    write_dataset(dataset, edited)
    changed = checked_sources(pytester, select=static)
    assert changed["c-001"]["quality"] == "run"
    assert changed["c-002"]["quality"] == "cache"


def dataset_sources(pytester: pytest.Pytester, *args: str) -> set[str]:
    report = pytester.path / "report.json"
    pytester.runpytest_subprocess("synthetic_cache.jsonl", "-k", "dataset", f"--synthetic-report={report}", *args)
    return {item["source"] for item in json.loads(report.read_text())["dataset"]}


def test_dataset_wide_results_are_cached_per_file_content(pytester: pytest.Pytester, dataset: Path) -> None:
    assert dataset_sources(pytester) == {"run"}
    assert dataset_sources(pytester) == {"cache"}
    assert dataset_sources(pytester, "--synthetic-size=4") == {"run"}  # another requirement
    with dataset.open("a", encoding="utf-8") as out:
        out.write("\n")  # a blank line changes nothing that is judged...
    assert dataset_sources(pytester) == {"cache"}
    write_dataset(dataset, ENTRIES[:2])  # ...one entry less does
    assert dataset_sources(pytester) == {"run"}


def test_a_dataset_check_is_computed_only_when_its_own_item_runs(pytester: pytest.Pytester, dataset: Path) -> None:
    # under xdist the five dataset items may run on different workers: none computes the others
    report = pytester.path / "dataset.json"

    def by_check(*selection: str) -> dict[str, str]:
        pytester.runpytest_subprocess("synthetic_cache.jsonl", f"--synthetic-report={report}", *selection)
        return {item["check"]: item["source"] for item in json.loads(report.read_text())["dataset"]}

    assert by_check("-k", "dataset and size") == {"size": "run"}
    later = by_check("-k", "dataset")
    assert later == {"size": "cache", "languages": "run", "difficulties": "run", "ids": "run", "duplicates": "run"}
    assert set(by_check("-k", "dataset").values()) == {"cache"}


def test_moving_entries_keeps_their_results(pytester: pytest.Pytester, dataset: Path) -> None:
    """Keyed by content, not by line or id: reordering and renaming re-executes nothing."""
    assert sources(pytester) == ALL_RUN
    write_dataset(dataset, [ENTRIES[2], ENTRIES[0], {**ENTRIES[1], "query_id": "c-009"}])
    assert sources(pytester) == {"c-003": "cache", "c-001": "cache", "c-009": "cache"}


def test_no_cache_option_neither_reads_nor_writes(pytester: pytest.Pytester, dataset: Path) -> None:
    assert sources(pytester, "--synthetic-no-cache") == ALL_RUN
    assert sources(pytester) == ALL_RUN  # nothing was written
    assert sources(pytester, "--synthetic-no-cache") == ALL_RUN  # nor read
    assert sources(pytester) == ALL_CACHED


@pytest.mark.parametrize("xdist", [[], ["-n", "2"]], ids=["plain", "xdist"])
def test_cache_clear_runs_everything_again(pytester: pytest.Pytester, dataset: Path, xdist: list[str]) -> None:
    assert sources(pytester) == ALL_RUN
    assert sources(pytester, "--cache-clear", *xdist) == ALL_RUN
    assert sources(pytester) == ALL_CACHED


def test_a_timeout_is_reused_only_after_two_runs_saw_it(pytester: pytest.Pytester) -> None:
    """One timeout may be the machine's load; the same timeout in two separate sessions is the entry.
    (Each session would confirm its own timeouts at its end: test_confirm.py; not here.)"""
    looping = python_entry("t-001", "spin_forever", "while True:\n        pass",
                           "assert spin_forever(1) is None\nassert spin_forever(2) is None\n")
    write_dataset(pytester.path / "synthetic_cache.jsonl", [looping])
    report = pytester.path / "report.json"
    seen = []
    for xdist in ([], ["-n", "2"], []):
        result = pytester.runpytest_subprocess(
            "synthetic_cache.jsonl", "--synthetic-size=1", "--synthetic-timeout-factor=0.1", "-k", "execution",
            f"--synthetic-report={report}", "-p", "no:synthetic-confirmations", *xdist,
        )
        assert result.ret == pytest.ExitCode.TESTS_FAILED
        execution = json.loads(report.read_text())["entries"][0]["checks"]["execution"]
        seen.append((execution["verdict"], execution["source"]))
    assert seen == [("timeout", "run"), ("timeout", "run"), ("timeout", "cache")]


def test_without_cacheprovider_everything_runs(pytester: pytest.Pytester, dataset: Path) -> None:
    assert sources(pytester, "-p", "no:cacheprovider") == ALL_RUN
    assert sources(pytester, "-p", "no:cacheprovider") == ALL_RUN


# ---- the store and its key --------------------------------------------------------------

PROGRAM = Program(
    files={"main.py": "print(1)\n"},
    main_file="main.py",
    steps=(Step("run", ("python3", "main.py"), Limits(wall_seconds=10, cpu_seconds=10)),),
)


def key_of(program: Program = PROGRAM, **changes: Any) -> str:
    arguments: dict[str, Any] = {
        "assertions": "assert True",
        "toolchains": {"python3": "Python 3.11.7"},
        "timeout_factor": 1.0,
        "sandbox": "bubblewrap",
        **changes,
    }
    return execution_key(program, **arguments)


def test_the_key_changes_with_everything_that_decides_the_result() -> None:
    step = PROGRAM.steps[0]
    variants = [
        key_of(),
        key_of(replace(PROGRAM, files={"main.py": "print(2)\n"})),
        key_of(replace(PROGRAM, files={**PROGRAM.files, "util.py": ""})),
        key_of(replace(PROGRAM, steps=(replace(step, argv=("python3", "-O", "main.py")),))),
        key_of(replace(PROGRAM, steps=(replace(step, limits=Limits(wall_seconds=5)),))),
        key_of(replace(PROGRAM, steps=(replace(step, env=(("GOFLAGS", "-mod=mod"),)),))),
        key_of(toolchains={"python3": "Python 3.12.1"}),
        key_of(timeout_factor=2.0),
        key_of(sandbox="weak fallback"),
        key_of(assertions="assert 1"),
    ]
    assert len(set(variants)) == len(variants)
    assert key_of() == key_of(replace(PROGRAM, rewrites=Rewrites(["shown only"])))  # not part of the result


def make_execution(verdict: Verdict, stderr: str = "") -> Execution:
    return Execution(verdict, verdict.value, PROGRAM, "run", "", stderr, 0.25)


def test_store_round_trip_and_what_is_not_kept(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path)
    failed = make_execution(Verdict.ASSERTION_FAILED, "Traceback ...\nAssertionError\n")
    assert cache.put("a" * 64, failed)
    assert cache.get("a" * 64, PROGRAM) == failed
    assert cache.get("b" * 64, PROGRAM) is None
    for verdict in (Verdict.TOOLCHAIN_MISSING, Verdict.NOT_EXECUTABLE):
        assert not cacheable(make_execution(verdict))
        assert not cache.put("c" * 64, make_execution(verdict))
    assert cache.get("c" * 64, PROGRAM) is None


def test_files_of_the_file_per_key_layout_are_removed_and_nothing_else(tmp_path: Path) -> None:
    old = tmp_path / "ab"
    old.mkdir()
    (old / f"ab{'0' * 62}.json").write_text("{}", encoding="utf-8")
    mixed = tmp_path / "cd"  # not only result files: not the old layout, left alone
    mixed.mkdir()
    (mixed / "notes.txt").write_text("mine", encoding="utf-8")
    cache = ResultCache(tmp_path)
    assert cache.get("a" * 64, PROGRAM) is None
    assert not old.exists()
    assert (mixed / "notes.txt").exists()
    assert cache.put("a" * 64, make_execution(Verdict.PASSED))


def test_a_timeout_needs_two_sessions(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path)
    timeout = make_execution(Verdict.TIMEOUT)
    key = "f" * 64
    assert cache.put(key, timeout, "session-1")
    assert cache.get(key, PROGRAM) is None
    assert cache.put(key, timeout, "session-1")  # the same session again (another xdist worker)
    assert cache.get(key, PROGRAM) is None
    assert cache.put(key, timeout, "session-2")
    assert cache.get(key, PROGRAM) == timeout
    assert not cacheable(replace(make_execution(Verdict.PASSED), program=None))


def test_a_check_result_that_counted_timeouts_needs_two_sessions(tmp_path: Path) -> None:
    """Strength counts a timed-out mutant as killed; load can fake that, so such a result is
    trusted like a timeout. A result without timeouts is reused at once."""
    cache = ResultCache(tmp_path)
    key = "c" * 64
    strong = CheckResult("strength", Outcome.PASSED, reason="killed", details={TIMEOUTS: 2, "score": 1.0})
    assert cache.put_checks(key, {"strength": strong}, "session-1")
    assert cache.get_checks(key) == {}
    assert cache.put_checks(key, {"strength": strong}, "session-1")  # another worker of that session
    assert cache.get_checks(key) == {}
    assert cache.put_checks(key, {"strength": strong}, "session-2")
    assert cache.get_checks(key) == {"strength": strong}
    # a later result without timeouts replaces it and is reused at once; one with timeouts again
    # starts counting anew (the earlier sessions saw another result)
    clean = replace(strong, details={TIMEOUTS: 0, "score": 0.5})
    assert cache.put_checks(key, {"strength": clean}, "session-3")
    assert cache.get_checks(key) == {"strength": clean}
    assert cache.put_checks(key, {"strength": strong}, "session-4")
    assert cache.get_checks(key) == {}


def test_unreadable_or_foreign_entries_are_misses(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path)
    key = "d" * 64
    cache.put(key, make_execution(Verdict.PASSED))
    documents = DocumentStore(tmp_path)
    stored = json.loads(documents.get(key) or "")
    for broken in ('{"format": ', json.dumps({**stored, "format": FORMAT + 1}),
                   json.dumps({**stored, "key": "e" * 64}), json.dumps({**stored, "verdict": "maybe"})):
        assert documents.put(key, broken)
        assert cache.get(key, PROGRAM) is None


def test_a_damaged_store_is_begun_again_and_an_unusable_one_only_misses(tmp_path: Path) -> None:
    (tmp_path / "results.sqlite3").write_bytes(b"not a database at all, " * 100)
    cache = ResultCache(tmp_path)
    assert cache.put("a" * 64, make_execution(Verdict.PASSED))
    assert cache.get("a" * 64, PROGRAM) == make_execution(Verdict.PASSED)
    cache.close()
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder should be")
    unusable = ResultCache(blocked)
    assert not unusable.put("a" * 64, make_execution(Verdict.PASSED))
    assert unusable.get("a" * 64, PROGRAM) is None
    assert unusable.get_checks("a" * 64) == {}


def test_a_store_that_starts_like_sqlite_is_never_removed(tmp_path: Path) -> None:
    """It may be another process's store caught mid-write: not used this time, not deleted."""
    content = b"SQLite format 3\x00" + b"\xff" * 4000
    (tmp_path / store.FILE_NAME).write_bytes(content)
    documents = DocumentStore(tmp_path)
    assert documents.get("a") is None
    assert not documents.put("a", "text")
    assert (tmp_path / store.FILE_NAME).read_bytes() == content


def test_rows_unused_for_the_keep_period_are_pruned_once_a_day(tmp_path: Path) -> None:
    documents = DocumentStore(tmp_path)
    for key in ("stale", "recent", "read"):
        assert documents.put(key, key)
    documents.close()
    day = store.today()
    with contextlib.closing(sqlite3.connect(tmp_path / store.FILE_NAME)) as raw, raw:
        for key, last_use in (("stale", day - store.KEEP_DAYS - 1), ("recent", day - store.KEEP_DAYS + 1),
                              ("read", day - 5)):
            raw.execute("UPDATE results SET used = ? WHERE key = ?", (last_use, key))
        raw.execute("UPDATE housekeeping SET day = ?", (day,))  # pruned today already

    def used() -> dict[str, int]:
        with contextlib.closing(sqlite3.connect(tmp_path / store.FILE_NAME)) as raw:
            return dict(raw.execute("SELECT key, used FROM results").fetchall())

    again = DocumentStore(tmp_path)
    assert again.get("stale") == "stale"  # not pruned twice in a day; the read marks it used today
    assert again.get("read") == "read"
    assert used()["read"] == day - 5  # marked in one transaction when the store closes
    again.close()
    assert used() == {"stale": day, "recent": day - store.KEEP_DAYS + 1, "read": day}
    with contextlib.closing(sqlite3.connect(tmp_path / store.FILE_NAME)) as raw, raw:
        raw.execute("UPDATE results SET used = ? WHERE key = 'stale'", (day - store.KEEP_DAYS - 1,))
        raw.execute("UPDATE housekeeping SET day = ?", (day - 1,))  # last pruned yesterday
    later = DocumentStore(tmp_path)
    assert later.get("stale") is None
    assert later.get("recent") == "recent"
    assert set(used()) == {"recent", "read"}
    later.close()


def test_the_first_layout_without_days_of_use_is_dropped(tmp_path: Path) -> None:
    with contextlib.closing(sqlite3.connect(tmp_path / store.FILE_NAME)) as raw, raw:
        raw.execute("CREATE TABLE documents (key TEXT PRIMARY KEY, text TEXT NOT NULL) WITHOUT ROWID")
        raw.execute("INSERT INTO documents VALUES ('old', 'kept forever')")
    documents = DocumentStore(tmp_path)
    assert documents.get("old") is None
    assert documents.put("new", "text")
    assert documents.get("new") == "text"
    documents.close()
    with contextlib.closing(sqlite3.connect(tmp_path / store.FILE_NAME)) as raw:
        tables = {name for (name,) in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables == {"results", "housekeeping"}


WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from pytest_synthetic.cache import ResultCache
    from pytest_synthetic.languages.base import Program, Step
    from pytest_synthetic.runner import Execution, Verdict
    from pytest_synthetic.sandbox import Limits

    program = Program({"main.py": ""}, "main.py", (Step("run", ("python3", "main.py"), Limits()),))
    cache = ResultCache(Path(sys.argv[1]))
    writer = sys.argv[2]
    for round in range(150):
        for number in range(8):
            key = f"{number:02d}" * 32
            cache.put(key, Execution(Verdict.RUNTIME_ERROR, "m", program, "run", "", writer * 3000, 0.5))
            found = cache.get(key, program)
            if found is None or found.stderr not in ("a" * 3000, "b" * 3000):
                sys.exit(f"torn or lost entry {key}: {found!r:.200}")
        cache.save_versions({f"{writer}{round}": "v"})
    """
)


def test_two_processes_writing_the_same_keys_never_corrupt_them(tmp_path: Path) -> None:
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path), name], stderr=subprocess.PIPE, text=True)
        for name in ("a", "b")
    ]
    for writer in writers:
        _, stderr = writer.communicate(timeout=120)
        assert writer.returncode == 0, stderr
    cache = ResultCache(tmp_path)
    for number in range(8):
        key = f"{number:02d}" * 32
        found = cache.get(key, PROGRAM)
        assert found is not None
        assert found.stderr in ("a" * 3000, "b" * 3000)
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]  # no temporary file left over
    assert cache.load_versions()  # whichever writer won, the file is whole


# ---- toolchain versions remembered between runs -------------------------------------------


def test_versions_are_detected_once_per_executable_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = tmp_path / "calls"
    tool = tmp_path / "bin" / "synthetic-cache-test-tool"
    tool.parent.mkdir()
    tool.write_text(f"#!/bin/sh\necho run >> {calls}\necho 'tool 1.0'\n")
    tool.chmod(tool.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{tool.parent}{os.pathsep}{os.environ['PATH']}")
    toolchain = Toolchain(tool.name, ("--version",), "install it")
    known: dict[str, str] = {}
    assert toolchains.version(toolchain, known) == "tool 1.0"
    assert toolchains.version(toolchain, dict(known)) == "tool 1.0"  # a later run with the stored versions
    assert calls.read_text().count("run") == 1
    tool.write_text(tool.read_text().replace("1.0", "2.0"))  # upgraded in place: new mtime and size
    assert toolchains.version(toolchain, known) == "tool 2.0"
    assert calls.read_text().count("run") == 2


def test_a_version_query_that_fails_is_no_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a rustup proxy whose home has no toolchain prints an error and exits non-zero
    tool = tmp_path / "bin" / "synthetic-broken-tool"
    tool.parent.mkdir()
    tool.write_text("#!/bin/sh\necho 'error: rustup could not choose a version of rustc to run' >&2\nexit 1\n")
    tool.chmod(tool.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{tool.parent}{os.pathsep}{os.environ['PATH']}")
    known: dict[str, str] = {}
    assert toolchains.version(Toolchain(tool.name, ("--version",), "install it"), known) is None
    assert known == {}  # asked again next time


def test_versions_are_kept_per_machine_not_per_result_cache(
    pytester: pytest.Pytester, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fresh result cache (or --cache-clear) does not detect the versions again: they are read
    from the machine's store, here a planted one the header then shows."""
    python3 = toolchains.which("python3")
    assert python3 is not None
    store = tmp_path / "xdg" / "pytest-synthetic" / "toolchains"
    store.mkdir(parents=True)
    key = f"{toolchains.signature(python3)}|--version"
    (store / "toolchain-versions.json").write_text(json.dumps({key: "Python 9.99-planted"}))
    pytester.makefile(".jsonl", synthetic_versions=json.dumps(ENTRIES[0]))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    for extra in ([], ["--cache-clear"]):
        result = pytester.run(sys.executable, "-m", "pytest", "synthetic_versions.jsonl", "--collect-only", *extra)
        result.stdout.fnmatch_lines(["*Python (python3 Python 9.99-planted)*"])
    stored = json.loads((store / "toolchain-versions.json").read_text())
    assert stored[key] == "Python 9.99-planted"
    assert len(stored) > 1  # what the header detected besides was added for the next run
