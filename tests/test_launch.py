"""How a step starts in the sandbox, the same for the runner and the strength batch: its real
executable, PATH, variables, the folders it sees, and when a run counts as finished."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pytest_synthetic import launch, toolchains
from pytest_synthetic.languages.base import COMPLETION_FD, Step
from pytest_synthetic.sandbox import SYSTEM_SEARCH_PATH, Limits, RunResult


def _python3() -> str:
    found = toolchains.which("python3")
    assert found is not None
    return os.path.realpath(found)


def test_a_toolchain_step_gets_its_real_executable_its_folder_first_on_path_and_its_variables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SYNTHETIC_BUILD_CACHE", str(tmp_path / "cache"))
    step = Step("run", ("python3", "main.py"), Limits(), (("A", "{workdir}/x"), ("B", "{cache}/go-build")))
    prepared = launch.prepare(step, tmp_path / "work")
    assert prepared is not None
    assert prepared.argv == (_python3(), "main.py")
    assert prepared.env["PATH"].split(":") == [str(Path(_python3()).parent), *SYSTEM_SEARCH_PATH]
    assert prepared.env["A"] == f"{tmp_path / 'work'}/x"
    assert prepared.env["B"] == f"{tmp_path / 'cache'}/go-build"
    assert prepared.writable == (tmp_path / "cache",)  # only a step that uses the cache may write it


def test_a_file_an_earlier_step_built_runs_from_the_work_folder(tmp_path: Path) -> None:
    step = Step("run", ("./main",), Limits(), reads=(str(tmp_path / "lib"),))
    prepared = launch.prepare(step, tmp_path)
    assert prepared is not None
    assert prepared.argv == (str(tmp_path / "main"),)
    assert prepared.env["PATH"].startswith(f"{tmp_path}:")
    assert prepared.readonly == (tmp_path / "lib",)
    assert prepared.writable == ()


def test_a_missing_command_cannot_be_prepared(tmp_path: Path) -> None:
    assert launch.prepare(Step("run", ("no-such-toolchain-xyz",), Limits()), tmp_path) is None


def test_a_run_finished_only_when_it_exited_0_after_saying_the_secret() -> None:
    def result(returncode: int | None, stdout: str) -> RunResult:
        return RunResult(returncode, None, stdout, "", timed_out=False, output_truncated=False, seconds=0.1)

    assert launch.finished(result(0, "output\nabc123\n\n"), "abc123")
    assert not launch.finished(result(1, "output\nabc123\n"), "abc123")
    assert not launch.finished(result(0, "abc123\nmore output"), "abc123")
    assert not launch.finished(result(None, "abc123\n"), "abc123")


def test_a_started_step_reads_its_secret_on_the_completion_descriptor(tmp_path: Path) -> None:
    code = f"import os\nprint(os.read({COMPLETION_FD}, 64).decode())\n"
    prepared = launch.prepare(Step("run", ("python3", "-c", code), Limits()), tmp_path)
    assert prepared is not None
    secret = launch.new_secret()
    result = launch.start(prepared, tmp_path, Limits(), secret)
    assert launch.finished(result, secret), result


def test_a_work_folder_holds_the_files_and_is_removed_afterwards() -> None:
    with launch.work_folder({"main.py": "print(1)\n", "pkg/util.py": "X = 1\n"}) as folder:
        assert (folder / "main.py").read_text() == "print(1)\n"
        assert (folder / "pkg" / "util.py").is_file()
    assert not folder.exists()
