"""A strength batch gives each variant the verdict the runner gives it alone, and starts its
steps as the runner does (a JVM compile maps the class-data archive)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from test_strength_languages import SAMPLES

from pytest_synthetic import languages, toolchains
from pytest_synthetic.languages.base import Program, Step
from pytest_synthetic.model import Entry
from pytest_synthetic.runner import Verdict, missing_toolchain
from pytest_synthetic.strength import batch, shell_batch
from pytest_synthetic.strength.score import run_variant

RUN_SECONDS = 2.0

# A reference, its assertions, and variants that end every way a run can end.
CASES = {
    "Python": (
        "def f(x):\n    return x + 1\n",
        "assert f(1) == 2\nassert f(2) == 3\n",
        [
            "def f(x):\n    return x\n",  # caught by an assertion
            "import sys\ndef f(x):\n    sys.exit(0)\n",  # exits 0 before the assertions finish
            "def f(x):\n    while True:\n        pass\n",  # loops until its deadline
            "def f(x):\n    return {}[x]\n",  # crashes
            "def f(x):\n    return 1 + x\n",  # still right
        ],
    ),
    "JavaScript": (
        "function f(x) { return x + 1; }\n",
        "if (f(1) !== 2) throw new Error('f(1) is wrong');\nif (f(2) !== 3) throw new Error('f(2) is wrong');\n",
        [
            "function f(x) { return x; }\n",
            "function f(x) { process.exit(0); }\n",
            "function f(x) { while (true) {} }\n",
            "function f(x) { return x.y.z; }\n",
            "function f(x) { return 1 + x; }\n",
        ],
    ),
    "TypeScript": (
        "function f(x: number): number { return x + 1; }\n",
        "if (f(1) !== 2) throw new Error('f(1) is wrong');\nif (f(2) !== 3) throw new Error('f(2) is wrong');\n",
        [
            "function f(x: number): number { return x; }\n",
            "function f(x: number): number { process.exit(0); }\n",
            "function f(x: number): number { while (true) {} }\n",
            "function f(x: any): number { return x.y.z; }\n",
            "function f(x: number): number { return 1 + x; }\n",
        ],
    ),
}


def batch_verdicts(
    name: str, reference: str, assertions: str, variants: list[str], run_seconds: float = RUN_SECONDS
) -> list[Verdict] | None:
    """The verdicts of the variants of `f` in one batch, two runs at a time; the test is
    skipped when the language's toolchain is missing."""
    language = languages.by_name(name)
    [assembled] = batch.assemble_all(language, [reference], assertions, "f")
    assert assembled is not None
    if (hint := missing_toolchain(language, assembled)) is not None:
        pytest.skip(hint)
    programs = batch.assemble_all(language, variants, assertions, "f")
    return batch.run(language, assertions, assembled, programs, run_seconds, parallel=2).verdicts


@pytest.mark.toolchains
@pytest.mark.parametrize("name", sorted(CASES))
def test_each_variant_gets_the_verdict_it_gets_alone(name: str) -> None:
    language = languages.by_name(name)
    reference, assertions, variants = CASES[name]
    verdicts = batch_verdicts(name, reference, assertions, variants)
    assert verdicts is not None  # the batch itself ran: no fallback to one run per variant
    assert verdicts == [
        Verdict.ASSERTION_FAILED,
        Verdict.INCOMPLETE,
        Verdict.TIMEOUT,
        Verdict.RUNTIME_ERROR,
        Verdict.PASSED,
    ]
    entry = Entry("q-1", f"Write f in {name}.", reference, assertions, name, "f", "medium", "math", 0.1, 1, {})
    alone = [run_variant(language, entry, variant, RUN_SECONDS)[0] for variant in variants]
    assert alone == [verdict.value for verdict in verdicts]


@pytest.mark.toolchains
def test_a_batch_compiles_through_the_class_data_archive(tmp_path: Path) -> None:
    [sample] = [s for s in SAMPLES if s.language == "Java"]
    language = languages.by_name("Java")
    good, broken = batch.assemble_all(
        language, [sample.reference, sample.reference.replace("0", '"zero"', 1)], sample.strong, "countAbove"
    )
    assert good is not None
    assert broken is not None
    if (hint := missing_toolchain(language, good)) is not None:
        pytest.skip(hint)
    runnable = [good, good, broken]
    script = shell_batch.plan(runnable, ["a", "b", "c"], tmp_path, 4.0, tail_bytes=256, language_key="java")
    assert script is not None
    lines = (tmp_path / "batch.sh").read_text().splitlines()
    # each variant's own compile step (for what the shared compiler did not build)
    compiles = [line for line in lines if line.startswith("timeout -k 2") and '> "$ROOT/bo' in line]
    assert len(compiles) == len(runnable)
    assert all("-XX:SharedArchiveFile=" in line for line in compiles)
    archive = Path(compiles[0].split("-XX:SharedArchiveFile=", 1)[1].split()[0])
    assert archive.is_file()
    assert archive.parent in script.run.readonly
    assert toolchains.which("javac") is not None
    verdicts = batch.run(language, sample.strong, good, [good, broken], 8.0).verdicts
    assert verdicts == [Verdict.PASSED, Verdict.COMPILE_ERROR]


def test_a_batch_that_cannot_start_a_command_is_left_to_the_runner(tmp_path: Path) -> None:
    program = Program({"main.x": ""}, "main.x", (replace(_step(), argv=("no-such-toolchain-xyz", "main.x")),))
    assert shell_batch.plan([program], ["a"], tmp_path, 1.0, tail_bytes=256, language_key="x") is None


def _step() -> Step:
    python = languages.by_name("Python")
    assert python.assemble is not None
    return python.assemble("def f():\n    return 1\n", "assert f() == 1\n", "f").steps[-1]


@pytest.mark.toolchains
def test_typescript_variants_share_one_transpile_and_a_broken_one_keeps_its_own(tmp_path: Path) -> None:
    language = languages.by_name("TypeScript")
    reference, assertions, variants = CASES["TypeScript"]
    [assembled] = batch.assemble_all(language, [reference], assertions, "f")
    assert assembled is not None
    if (hint := missing_toolchain(language, assembled)) is not None:
        pytest.skip(hint)
    programs = [p for p in batch.assemble_all(language, [reference, *variants], assertions, "f") if p is not None]
    script = shell_batch.plan(programs, ["t"] * len(programs), tmp_path, 4.0, tail_bytes=256, language_key="typescript")
    assert script is not None
    transpiles = [line for line in (tmp_path / "batch.sh").read_text().splitlines() if "--outdir=" in line]
    assert len(transpiles) == 1
    assert all(f"{tmp_path}/v{index}/main.ts" in transpiles[0] for index in range(len(programs)))
    # one variant that esbuild rejects fails the shared call: each then has its own
    broken = batch.assemble_all(language, ["function f(x: number): number { return x +; }\n"], assertions, "f")
    verdicts = batch.run(language, assertions, assembled, [broken[0], programs[1]], 4.0).verdicts
    assert verdicts == [Verdict.COMPILE_ERROR, Verdict.ASSERTION_FAILED]


def test_typescript_variants_compiled_with_other_flags_keep_their_own_transpiles(tmp_path: Path) -> None:
    # a variant with a legacy decorator is transpiled with experimentalDecorators: no shared call
    language = languages.by_name("TypeScript")
    plain = "function f(x: number): number { return x + 1; }\n"
    decorated = (
        "function log(target: any, key: string, descriptor: PropertyDescriptor) { return descriptor; }\n"
        "class C { @log static g(x: number): number { return x + 1; } }\n"
        "function f(x: number): number { return C.g(x); }\n"
    )
    assertions = "if (f(1) !== 2) throw new Error('f(1) is wrong');\n"
    programs = [p for p in batch.assemble_all(language, [plain, decorated], assertions, "f") if p is not None]
    assert len(programs) == 2
    assert programs[0].steps[0].argv != programs[1].steps[0].argv
    if (hint := missing_toolchain(language, programs[0])) is not None:
        pytest.skip(hint)
    script = shell_batch.plan(programs, ["a", "b"], tmp_path, 4.0, tail_bytes=256, language_key="typescript")
    assert script is not None
    assert "--outdir=" not in (tmp_path / "batch.sh").read_text()
    assert batch.run(language, assertions, programs[0], [programs[1]], 4.0, parallel=2).verdicts == [Verdict.PASSED]
