"""The pre-commit hooks: `synthetic-check` itself, then `pre-commit try-repo` on this repository
(which installs it into a new virtualenv from PyPI, as a user's pre-commit would)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ci_entries import FAILING, GOOD, write_dataset

from conftest import REPO

BAD_QUESTION = {**GOOD, "query_id": "terse-004", "query_text": "Count them."}


def synthetic_check(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pytest_synthetic.precommit", "-pno:cacheprovider", *args]
    return subprocess.run(command, cwd=folder, capture_output=True, text=True, check=False, timeout=600)


def test_the_static_hook_leaves_out_execution_and_the_quotas(tmp_path: Path) -> None:
    write_dataset(tmp_path / "changed.jsonl", GOOD, FAILING)
    write_dataset(tmp_path / "synthetic_other.jsonl", BAD_QUESTION)
    (tmp_path / "pytest.ini").write_text("[pytest]\nsynthetic_dataset = synthetic_other.jsonl\n")
    static = synthetic_check(tmp_path, "changed.jsonl")
    assert static.returncode == 0, static.stdout
    assert "12 passed, 7 deselected" in static.stdout  # 2 entries x 5 checks + ids, duplicates
    assert "synthetic_other" not in static.stdout  # only the files named

    executed = synthetic_check(tmp_path, "--execute", "changed.jsonl")
    assert executed.returncode == 1
    assert "FAILED changed.jsonl::digits-002::execution" in executed.stdout
    assert "strength" not in executed.stdout

    bad = synthetic_check(tmp_path, "synthetic_other.jsonl")
    assert bad.returncode == 1
    assert "FAILED synthetic_other.jsonl::terse-004::quality" in bad.stdout


def try_repo(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    pre_commit = shutil.which("pre-commit", path=str(Path(sys.executable).parent))
    assert pre_commit is not None, "pre-commit is a dev dependency: pip install -e '.[dev]'"
    command = [pre_commit, "try-repo", str(REPO), *args]
    return subprocess.run(command, cwd=folder, capture_output=True, text=True, check=False, timeout=1800)


@pytest.mark.precommit
def test_pre_commit_try_repo_passes_a_good_dataset_and_fails_a_bad_one(tmp_path: Path) -> None:
    if not (REPO / ".git").exists():
        pytest.skip("the repository is not a git checkout: try-repo needs one")
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    write_dataset(tmp_path / "good.jsonl", GOOD)
    write_dataset(tmp_path / "bad.jsonl", BAD_QUESTION, FAILING)
    subprocess.run(["git", "add", "."], cwd=tmp_path, check=True)

    good = try_repo(tmp_path, "--files", "good.jsonl")  # both hooks
    assert good.returncode == 0, good.stdout + good.stderr
    assert "synthetic dataset (static checks)" in good.stdout
    assert "synthetic dataset (static checks and execution)" in good.stdout
    assert "Failed" not in good.stdout

    bad = try_repo(tmp_path, "--files", "bad.jsonl")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "FAILED bad.jsonl::terse-004::quality" in bad.stdout
    assert "FAILED bad.jsonl::digits-002::execution" in bad.stdout  # only the executing hook
    assert bad.stdout.count("FAILED bad.jsonl::digits-002::execution") == 1
