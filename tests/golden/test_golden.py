"""Assembly against its golden files: every entry's program, the same bytes on any machine.

Only `assemble` runs here, never a toolchain: a change to assembly shows on a machine without
Go or Kotlin as well. `python -m tests.golden --update` rewrites the files after a change.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from pytest_synthetic import toolchains
from pytest_synthetic.languages import ALL

from . import machine
from .expected_files import UPDATE_COMMAND, difference, expected_path, stale
from .render import MachineTextError, render
from .sources import REPO, SHARED_DATASETS, GoldenEntry, golden_entries

ENTRIES = golden_entries() if SHARED_DATASETS.is_dir() else []


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda entry: f"{entry.language_key}/{entry.name}")
def test_the_assembled_program_is_its_golden_file(entry: GoldenEntry) -> None:
    change = difference(expected_path(entry), render(entry))
    if change is not None:
        pytest.fail(change.text, pytrace=False)


def test_every_golden_file_belongs_to_an_entry(shared_datasets: Path) -> None:
    del shared_datasets  # the shared entries' files would all look stale without it
    left = [str(path.relative_to(REPO)) for path in stale({expected_path(entry) for entry in ENTRIES})]
    if left:
        pytest.fail(f"golden files of entries that no longer exist (`{UPDATE_COMMAND}` removes them):\n"
                    + "\n".join(left), pytrace=False)


def test_every_language_has_golden_files_of_several_entries(shared_datasets: Path) -> None:
    del shared_datasets
    per_language = Counter(entry.language_key for entry in ENTRIES)
    assert {language.name: per_language[language.key] for language in ALL if per_language[language.key] < 3} == {}


# A machine without any toolchain: every executable lookup finds nothing (the project's own
# folders, which the lookup searches besides PATH, included).
_WITHOUT_TOOLCHAINS = """
import runpy, shutil
shutil.which = lambda *args, **kwargs: None
runpy.run_module("tests.golden", run_name="__main__")
"""


def test_the_golden_texts_are_the_same_without_toolchains_and_under_another_hash_seed(
    shared_datasets: Path, tmp_path: Path
) -> None:
    del shared_datasets
    # Other string hashes (set orders), no toolchain found, another home folder: every golden
    # file must be found as it is.
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PATH": str(tmp_path), "HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", _WITHOUT_TOOLCHAINS], cwd=REPO, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "0 differ" in done.stdout


def test_a_changed_program_shows_as_a_diff_of_its_lines(tmp_path: Path) -> None:
    golden = tmp_path / "entry.txt"
    golden.write_text("main file: main.py\nassert add(1, 2) == 3\n", encoding="utf-8")
    change = difference(golden, "main file: main.py\nassert add(1, 2) == 4\n")
    assert change is not None
    assert "-assert add(1, 2) == 3\n+assert add(1, 2) == 4\n" in change.text
    assert difference(golden, golden.read_text(encoding="utf-8")) is None
    missing = difference(tmp_path / "other.txt", "anything")
    assert missing is not None
    assert "missing" in missing.text


def test_a_golden_file_without_its_entry_is_stale(tmp_path: Path) -> None:
    kept, left = tmp_path / "go" / "kept.txt", tmp_path / "go" / "left.txt"
    kept.parent.mkdir()
    kept.write_text("", encoding="utf-8")
    left.write_text("", encoding="utf-8")
    assert stale({kept}, tmp_path) == [left]


def test_toolchain_paths_and_versions_show_as_placeholders() -> None:
    go = GoldenEntry(
        "go", "Go", "package main\n\nfunc Add(a, b int) int { return a + b }\n",
        'if Add(1, 2) != 3 { panic("Add") }\n', "Add",
    )
    text = render(go)
    assert "step compile: /<go-root>/bin/go build" in text
    assert "env GOROOT=/<go-root>\n" in text
    assert "\ngo <go-version>\n" in text
    kotlin = render(GoldenEntry("kotlin", "Kotlin", "fun add(a: Int, b: Int) = a + b", "check(add(1, 2) == 3)", "add"))
    assert "-cp main.jar:/<kotlin-home>/lib/kotlin-stdlib.jar" in kotlin


@pytest.mark.skipif(toolchains.which("scalac") is None, reason="scalac missing: apt-get install scala")
def test_a_fact_of_the_machine_left_unpinned_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(machine.PINS, "_scala_library")  # the class path names the installed library
    reference = "object Solution { def f(x: Int): Int = x + 1 }"
    entry = GoldenEntry("scala", "Scala", reference, "assert(Solution.f(1) == 2)", "f")
    with pytest.raises(MachineTextError, match="a path of this machine"):
        render(entry)


def test_a_pin_that_no_language_module_has_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(machine.PINS, "_installed_compiler_release", lambda: "<release>")
    with pytest.raises(LookupError, match="_installed_compiler_release"), machine.pinned():
        pass


def test_a_path_of_this_machine_in_a_program_is_refused() -> None:
    checkout = machine.machine_paths()[0]
    entry = GoldenEntry("leak", "Python", f"PATH = {checkout!r}\ndef add(a, b):\n    return a + b\n",
                        "assert add(1, 2) == 3\n", "add")
    with pytest.raises(MachineTextError, match="a path of this machine"):
        render(entry)
