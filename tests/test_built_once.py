"""toolchains.built_once: the helpers this project builds for itself, once per machine, and
the real builds that use it (the processor-time helper, the JVM compile driver), from scratch."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from pytest_synthetic import toolchains
from pytest_synthetic.strength import cpu_limit, jvm_batch


def _file_maker(calls: list[Path], content: str | None) -> Callable[[Path], Path | None]:
    def build(scratch: Path) -> Path | None:
        calls.append(scratch)
        if content is None:
            return None
        made = scratch / "made"
        made.write_text(content)
        return made

    return build


def test_a_build_is_moved_into_place_once_and_older_ones_go(tmp_path: Path) -> None:
    older, building = tmp_path / "kind" / "old-digest", tmp_path / "kind" / ".building-other-worker"
    building.mkdir(parents=True)
    older.mkdir()
    (older / "stale").write_text("x")
    target = tmp_path / "kind" / "digest"
    calls: list[Path] = []
    assert toolchains.built_once(target, _file_maker(calls, "v1"), Path.is_file) == target
    assert target.read_text() == "v1"
    assert not older.exists()  # an earlier source's build
    assert building.exists()  # another worker's build under way is left alone
    assert toolchains.built_once(target, _file_maker(calls, "v2"), Path.is_file) == target
    assert len(calls) == 1  # ready: not built again
    assert target.read_text() == "v1"


def test_a_failed_build_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "kind" / "digest"
    assert toolchains.built_once(target, _file_maker([], None), Path.is_file) is None
    assert list(target.parent.iterdir()) == []


def test_the_processor_time_helper_builds_on_a_fresh_machine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    built = cpu_limit.helper.__wrapped__()
    if built is None:
        pytest.skip("no C compiler")
    assert built.is_relative_to(tmp_path)
    assert os.access(built, os.X_OK)
    assert subprocess.run([str(built), "1", "true"], timeout=60, check=False).returncode == 0


def test_the_jvm_compile_driver_builds_on_a_fresh_machine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    java = toolchains.which("java")
    if java is None or not (Path(java).resolve().parent / "javac").is_file():
        pytest.skip("no JDK")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    built = jvm_batch.compiled_driver.__wrapped__(java)
    assert built is not None
    assert built.is_relative_to(tmp_path)
    assert (built / jvm_batch.DRIVER_CLASS).is_file()
