"""The repository's own test configuration (the plugin itself is loaded through its entry point)."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent
SHARED_DATASETS = REPO.parent / "shared" / "datasets"


@pytest.fixture(scope="session")
def shared_datasets() -> Path:
    """The real LLM-written datasets that sit beside the repository (../shared/datasets)."""
    if not SHARED_DATASETS.is_dir():
        pytest.skip("../shared/datasets is not beside the repository")
    return SHARED_DATASETS


@pytest.fixture
def interruptible() -> Iterator[None]:
    """Ctrl-C (SIGINT) raises KeyboardInterrupt here, and programs started here get it too.

    A test run may have inherited SIGINT ignored (a background job of a script, `nohup`):
    Python then keeps it ignored, and so does every program it starts.
    """
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    blocked = signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGINT])
    yield
    signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    signal.signal(signal.SIGINT, before)


@pytest.fixture(autouse=True)
def _not_on_a_github_runner(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pytest runs that tests start must not annotate this repository's own CI run or write
    into its job summary; tests/test_github.py sets the runner's variables itself."""
    for name in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "GITHUB_WORKSPACE"):
        monkeypatch.delenv(name, raising=False)
