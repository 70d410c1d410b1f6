"""JVM compiles map their compiler's classes from an archive made once per machine from a
built-in training program; verdicts do not change, and a damaged archive costs nothing."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from test_strength_languages import SAMPLES, Sample

from pytest_synthetic import class_data, languages
from pytest_synthetic.jvm_compilers import BY_LAUNCHER, COMPILERS
from pytest_synthetic.languages._jvm import JVM_COMPILER_FLAGS
from pytest_synthetic.languages.base import Program
from pytest_synthetic.runner import Verdict, execute, missing_toolchain

JVM_SAMPLES = [pytest.param(s, id=s.language) for s in SAMPLES if languages.by_name(s.language).key in COMPILERS]


@pytest.fixture
def machine_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A machine whose per-machine store is empty."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path


def _program(sample: Sample, reference: str) -> Program:
    language = languages.by_name(sample.language)
    assert language.assemble is not None
    program = language.assemble(reference, sample.strong, sample.function_name)
    if (hint := missing_toolchain(language, program)) is not None:
        pytest.skip(hint)
    return program


def _archive_of(argv: tuple[str, ...]) -> Path:
    [archive] = [arg.split("=", 1)[1] for arg in argv if "SharedArchiveFile=" in arg]
    return Path(archive)


@pytest.mark.parametrize("sample", JVM_SAMPLES)
def test_compiles_use_an_archive_made_once_and_keep_their_verdicts(sample: Sample, machine_cache: Path) -> None:
    language = languages.by_name(sample.language)
    program = _program(sample, sample.reference)
    compile_step = program.steps[0]
    accelerated, folders = class_data.accelerate(compile_step)
    archive = _archive_of(accelerated.argv)
    assert archive.is_file(), list((machine_cache / "pytest-synthetic" / "toolchains" / "class-data").iterdir())
    assert archive.is_relative_to(machine_cache)
    assert archive.stat().st_size > 1 << 20  # the compiler's classes, not an empty shell
    assert archive.parent in folders
    # the compile's own arguments are all still there, in order
    own = [arg for arg in compile_step.argv[1:] if not arg.startswith("-J")]
    assert accelerated.argv[-len(own) :] == tuple(own)
    made = archive.stat().st_mtime_ns

    assert execute(language, sample.reference, sample.strong, sample.function_name).verdict is Verdict.PASSED
    broken = sample.reference.replace("0", '"zero"', 1)
    failed = execute(language, broken, sample.strong, sample.function_name)
    assert failed.verdict is Verdict.COMPILE_ERROR, failed.stderr
    assert "error" in (failed.stderr + failed.stdout).lower()
    assert class_data.accelerate(compile_step)[0].argv == accelerated.argv
    assert archive.stat().st_mtime_ns == made  # made once, then only read


def test_a_damaged_archive_is_ignored(machine_cache: Path) -> None:
    [sample] = [s for s in SAMPLES if s.language == "Java"]
    _program(sample, sample.reference)
    javac = BY_LAUNCHER["javac"]
    archive = class_data.archive_for(javac, JVM_COMPILER_FLAGS)
    assert archive is not None
    archive.write_bytes(b"\x00garbage" * 100_000)  # e.g. a disk that filled up while it was written
    language = languages.by_name("Java")
    assert execute(language, sample.reference, sample.strong, sample.function_name).verdict is Verdict.PASSED
    assert (
        execute(language, sample.reference.replace("0", '"zero"', 1), sample.strong, sample.function_name).verdict
        is Verdict.COMPILE_ERROR
    )


def test_steps_of_other_languages_are_left_alone() -> None:
    python = languages.by_name("Python")
    assert python.assemble is not None
    program = python.assemble("def f():\n    return 1\n", "assert f() == 1\n", "f")
    for step in program.steps:
        assert class_data.accelerate(step) == (step, ())


def test_a_training_that_fails_leaves_the_step_as_it_was_and_is_not_retried_at_once(
    machine_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    [sample] = [s for s in SAMPLES if s.language == "Java"]
    program = _program(sample, sample.reference)
    monkeypatch.setitem(class_data.TRAINING, "javac", ("Training.java", "class Training { not java }"))
    attempts: list[str] = []
    make = class_data._make

    def counted(*args: object) -> str:
        attempts.append("made")
        return make(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(class_data, "_make", counted)
    compile_step = program.steps[0]
    assert class_data.accelerate(compile_step) == (compile_step, ())
    [marker] = (machine_cache / "pytest-synthetic" / "toolchains" / "class-data").glob("javac-*.failed")
    assert "training compile failed" in marker.read_text()
    class_data._archive.cache_clear()  # a later run on the same machine
    assert class_data.accelerate(compile_step) == (compile_step, ())
    assert attempts == ["made"]
    language = languages.by_name("Java")
    assert execute(language, sample.reference, sample.strong, sample.function_name).verdict is Verdict.PASSED


def test_archives_unused_for_a_month_go_when_their_compiler_makes_a_new_one(machine_cache: Path) -> None:
    [sample] = [s for s in SAMPLES if s.language == "Java"]
    _program(sample, sample.reference)
    folder = machine_cache / "pytest-synthetic" / "toolchains" / "class-data"
    folder.mkdir(parents=True)
    month_ago = time.time() - 31 * 24 * 3600
    stale, recent, other_compiler = folder / "javac-0.jsa", folder / "javac-1.jsa", folder / "kotlin-0.jsa"
    for archive in (stale, recent, other_compiler):
        archive.write_bytes(b"old")
    for archive in (stale, other_compiler):
        os.utime(archive, (month_ago, month_ago))
    made = class_data.archive_for(BY_LAUNCHER["javac"], JVM_COMPILER_FLAGS)
    assert made is not None
    assert made.is_file()
    assert not stale.exists()
    assert recent.exists()
    assert other_compiler.exists()  # only a compiler's own archives are looked at when it makes one
    assert time.time() - made.stat().st_atime < 3600  # marked as used
