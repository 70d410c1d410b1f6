"""Check items run in one step (a call report and a teardown report), and get pytest's full
protocol back whenever something could need its phases."""

from __future__ import annotations

import gc
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from test_plugin import GOOD, dumps

from pytest_synthetic import protocol

pytest_plugins = ["pytester"]

# Records, on the controller only, which phases reported for each item, and how.
RECORDER = """
import json
ON_WORKER = []
def pytest_configure(config):
    # not the environment variable: this suite itself may run in an xdist worker
    ON_WORKER.append(hasattr(config, "workerinput"))
def pytest_runtest_logreport(report):
    if ON_WORKER[0]:
        return
    with open("phases.jsonl", "a") as out:
        out.write(json.dumps([report.nodeid, report.when, report.outcome]) + "\\n")
"""
BROKEN = {**GOOD, "query_id": "broken-002", "assertions": "assert count_vowels('aa') == 3\n"}


@pytest.fixture
def dataset(pytester: pytest.Pytester) -> Path:
    path = pytester.path / "synthetic_small.jsonl"
    path.write_bytes(dumps(GOOD) + b"\n" + dumps(BROKEN) + b"\n")
    return path


def phases(pytester: pytest.Pytester) -> dict[str, list[tuple[str, str]]]:
    found: dict[str, list[tuple[str, str]]] = {}
    for line in (pytester.path / "phases.jsonl").read_text().splitlines():
        nodeid, when, outcome = json.loads(line)
        found.setdefault(nodeid, []).append((when, outcome))
    return found


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", "--synthetic-size=2", "-k", "not strength", *args)


@pytest.mark.parametrize("xdist", [[], ["-n", "2"]], ids=["plain", "xdist"])
def test_check_items_report_their_call_and_teardown_beside_ordinary_tests(
    pytester: pytest.Pytester, dataset: Path, xdist: list[str]
) -> None:
    pytester.makeconftest(RECORDER)
    # ordinary tests before and after the dataset, in other folders, with module fixtures:
    # the collectors' set-up state must stay exact around the check items
    for folder in ("before", "after"):
        pytester.mkpydir(folder)
        (pytester.path / folder / f"test_{folder}.py").write_text(
            "import pytest\n"
            "@pytest.fixture(scope='module')\n"
            f"def resource():\n    yield 1\n    open('{folder}.done', 'w').close()\n"
            "def test_one(resource):\n    assert resource == 1\n"
            "def test_two(resource):\n    assert resource == 1\n"
        )
    # a failing ordinary test whose fixture prints while tearing down: the failure summary
    # still shows that output (the plugin sets silent teardown reports aside while it is written)
    (pytester.path / "after" / "test_loud.py").write_text(
        "import pytest\n"
        "@pytest.fixture\n"
        "def loud():\n    yield\n    print('said while tearing down')\n"
        "def test_loud(loud):\n    assert False\n"
    )
    result = run(pytester, "before", dataset.name, "after", *xdist, "--junitxml=j.xml", "--durations=3")
    # 2 x 6 entry checks + 5 dataset checks; failed: one execution, the language mix, the near copies
    result.assert_outcomes(passed=4 + 14, failed=3 + 1)
    result.stdout.fnmatch_lines(["*_ test_loud _*", "*Captured stdout teardown*", "said while tearing down"])
    seen = phases(pytester)
    assert seen[f"{dataset.name}::good-001::quality"] == [("call", "passed"), ("teardown", "passed")]
    assert seen[f"{dataset.name}::broken-002::execution"] == [("call", "failed"), ("teardown", "passed")]
    assert seen["before/test_before.py::test_one"] == [("setup", "passed"), ("call", "passed"), ("teardown", "passed")]
    assert (pytester.path / "before.done").exists()
    assert (pytester.path / "after.done").exists()
    assert "not torn down properly" not in result.stdout.str() + result.stderr.str()
    # the time of the check (computed while setting up) is the item's time: a sandboxed run
    # of Python takes tens of milliseconds at the least
    cases = {c.get("name"): c for c in ET.parse(pytester.path / "j.xml").getroot().iter("testcase")}
    assert float(cases["execution"].get("time") or 0) >= 0.02
    result.stdout.fnmatch_lines(["*slowest 3 durations*", "*call*::execution*"])


def test_a_fault_of_the_tool_is_an_error_reported_at_setup(pytester: pytest.Pytester, dataset: Path) -> None:
    pytester.makeconftest(
        RECORDER + "import pytest_synthetic.checks as checks\n"
        "def broken_check(entry, context):\n    raise ZeroDivisionError('the tool broke')\n"
        "checks.ENTRY_CHECKS['quality'] = broken_check\n"
    )
    result = run(pytester, dataset.name)
    result.assert_outcomes(passed=12, failed=3, errors=2)
    assert phases(pytester)[f"{dataset.name}::good-001::quality"] == [("setup", "failed"), ("teardown", "passed")]
    result.stdout.fnmatch_lines(["*ZeroDivisionError: the tool broke*"])


def test_markers_and_debugging_options_get_pytest_phases(pytester: pytest.Pytester, dataset: Path) -> None:
    # a curator marks a known-bad entry xfail: the skipping plugin acts in pytest's phases
    pytester.makeconftest(
        RECORDER + "import pytest\n"
        "def pytest_collection_modifyitems(items):\n"
        "    for item in items:\n"
        "        if item.nodeid.endswith('broken-002::execution'):\n"
        "            item.add_marker(pytest.mark.xfail(reason='known bad', strict=True))\n"
    )
    result = run(pytester, dataset.name)
    result.assert_outcomes(passed=14, failed=2, xfailed=1)
    assert [w for w, _ in phases(pytester)[f"{dataset.name}::broken-002::execution"]] == ["setup", "call", "teardown"]
    (pytester.path / "phases.jsonl").unlink()
    run(pytester, dataset.name, "--setup-show")
    assert [w for w, _ in phases(pytester)[f"{dataset.name}::good-001::schema"]] == ["setup", "call", "teardown"]


def test_silent_reports_are_set_aside_only_while_the_summary_is_written() -> None:
    loud = pytest.TestReport(
        "t.py::a", ("t.py", 0, "a"), {}, "passed", None, "teardown", [("Captured stdout teardown", "x")]
    )
    silent = [pytest.TestReport(f"t.py::{n}", ("t.py", 0, n), {}, "passed", None, "teardown") for n in "bcd"]
    quiet = [silent[0], loud, *silent[1:]]
    stats: dict[str, list[object]] = {"": quiet, "failed": []}
    with protocol.silent_reports_set_aside(stats):
        assert stats[""] == [loud]
        assert stats["failed"] == []
    assert stats[""] is quiet  # the same list, every report in it
    assert len(quiet) == 4


def test_collected_nodes_are_frozen_for_the_session_and_released_after_it(
    pytester: pytest.Pytester, dataset: Path
) -> None:
    # frozen: neither the session's collections nor pytest's last one at exit scan them again
    pytester.makeconftest(
        "import gc\n"
        "def pytest_sessionfinish(session):\n"
        "    open('frozen.txt', 'w').write(str(gc.get_freeze_count()))\n"
    )
    before = gc.get_freeze_count()
    pytester.runpytest_inprocess("-p", "no:cacheprovider", "--synthetic-size=2", "-k", "schema", dataset.name)
    assert int((pytester.path / "frozen.txt").read_text()) > before
    assert gc.get_freeze_count() == before  # an in-process session keeps nothing


@pytest.mark.parametrize("workers", [(), ("-n", "2")], ids=["plain", "xdist"])
def test_a_command_line_session_stays_frozen_until_its_process_ends(
    pytester: pytest.Pytester, dataset: Path, workers: tuple[str, ...]
) -> None:
    # the interpreter's closing collection would otherwise scan every node and report again
    pytester.makeconftest(
        "import atexit, gc, os\n"
        "def pytest_configure(config):\n"
        "    name = getattr(config, 'workerinput', {}).get('workerid', 'main')\n"
        "    path = os.path.abspath(f'frozen-at-exit-{name}.txt')\n"
        "    atexit.register(lambda: open(path, 'w').write(str(gc.get_freeze_count())))\n"
    )
    pytester.runpytest_subprocess("-p", "no:cacheprovider", "--synthetic-size=2", *workers, dataset.name)
    counts = {path.name: int(path.read_text()) for path in pytester.path.glob("frozen-at-exit-*.txt")}
    assert len(counts) == (3 if workers else 1), counts
    assert all(count > 0 for count in counts.values()), counts
