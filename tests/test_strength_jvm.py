"""The shared JVM compiler of strength batches really builds the variants (a failing driver
would only be slow, so its work is observed directly), and leaves a broken one to the fallback."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from test_strength_languages import SAMPLES, Sample

from pytest_synthetic import languages, launch, toolchains
from pytest_synthetic.runner import missing_toolchain
from pytest_synthetic.strength import jvm_batch

JVM_SAMPLES = [
    pytest.param(s, id=s.language) for s in SAMPLES if languages.by_name(s.language).key in jvm_batch.COMPILERS
]


def test_every_jvm_language_has_a_sample() -> None:
    assert {languages.by_name(s.values[0].language).key for s in JVM_SAMPLES} == set(jvm_batch.COMPILERS)


@pytest.mark.parametrize("precompiled", [True, False], ids=["driver-compiled-once", "driver-from-source"])
@pytest.mark.parametrize("sample", JVM_SAMPLES)
def test_one_jvm_builds_the_good_variants_and_leaves_the_broken_one(
    sample: Sample, precompiled: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    language = languages.by_name(sample.language)
    assert language.assemble is not None
    good = language.assemble(sample.reference, sample.strong, sample.function_name)
    if (hint := missing_toolchain(language, good)) is not None:
        pytest.skip(hint)
    java = toolchains.which("java")
    assert java is not None
    broken = language.assemble(sample.reference.replace("0", '"zero"', 1), sample.strong, sample.function_name)
    programs = [good, broken, good]
    for index, program in enumerate(programs):
        launch.write_files(tmp_path / f"v{index}", program.files)
    if precompiled:
        assert jvm_batch.compiled_driver(java) is not None  # javac is beside java here
    else:
        monkeypatch.setattr(jvm_batch, "compiled_driver", lambda java: None)
    shared = jvm_batch.prelude(language.key, programs, str(tmp_path), java)
    assert shared is not None
    line, shown = shared
    assert (tmp_path / jvm_batch.DRIVER_FILE).exists() is not precompiled
    assert any((folder / jvm_batch.DRIVER_CLASS).is_file() for folder in shown) is precompiled
    done = subprocess.run(["bash", "-c", f'ROOT="{tmp_path}"\n{line}'], capture_output=True, text=True, check=False)
    assert done.returncode == 0, (tmp_path / "compile-many.log").read_text()
    assert (tmp_path / "s0").read_text() == "built\n", (tmp_path / "compile-many.log").read_text()
    assert (tmp_path / "s2").read_text() == "built\n"
    assert not (tmp_path / "s1").exists()  # compiled again alone, which reports its error


@pytest.mark.parametrize("sample", [p for p in JVM_SAMPLES if languages.by_name(p.values[0].language).key == "kotlin"])
def test_kotlin_programs_run_with_the_installed_runtime(sample: Sample) -> None:
    language = languages.by_name(sample.language)
    assert language.assemble is not None
    program = language.assemble(sample.reference, sample.strong, sample.function_name)
    if missing_toolchain(language, program) is not None:
        pytest.skip("kotlinc missing")
    compile_step, run_step = program.steps
    assert "-include-runtime" not in compile_step.argv
    classpath = run_step.argv[run_step.argv.index("-cp") + 1]
    assert classpath.startswith("main.jar:")
    runtime = Path(classpath.split(":")[1])
    assert runtime.name == "kotlin-stdlib.jar"
    assert runtime.is_file()
    assert run_step.reads == (str(runtime.parent),)  # shown to the run's sandbox
