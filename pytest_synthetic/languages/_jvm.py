"""The JVM's flags and budgets, shared by Java, Kotlin and Scala (and the class-data archives)."""

from __future__ import annotations

from collections.abc import Iterable

from pytest_synthetic.languages.base import Step
from pytest_synthetic.sandbox import Limits, MiB

# JVM compilers are slow to start and use several threads: a generous wall budget and a CPU
# budget above it (CPU time of all threads adds up faster than the wall clock).
COMPILE_LIMITS = Limits(wall_seconds=90, cpu_seconds=180, memory_bytes=3072 * MiB)
RUN_LIMITS = Limits(wall_seconds=10, cpu_seconds=20, memory_bytes=2048 * MiB)

# Without these the JVM reserves a quarter of the machine's memory for its heap and 1 GiB
# for class metadata up front, and fails to start under an address-space limit of 2 GiB.
# The heap caps are what a test program and a one-file compile need, with room to spare.
# C1 only: compiler runs and test programs are short, so the optimising JIT costs more CPU
# than it saves (about half the start-up time of a small program).
_JVM_COMMON = (
    "-XX:ReservedCodeCacheSize=128m",
    "-XX:CompressedClassSpaceSize=256m",
    "-XX:+UseSerialGC",
    "-XX:TieredStopAtLevel=1",
)
JVM_RUN_FLAGS = ("-Xmx768m", "-Xss16m", *_JVM_COMMON)
JVM_COMPILER_FLAGS = ("-Xmx1g", *_JVM_COMMON)
# glibc gives each thread its own 64 MiB malloc arena of address space: cap their number.
JVM_ENV = (("MALLOC_ARENA_MAX", "2"),)


def through_launcher(flags: Iterable[str]) -> tuple[str, ...]:
    """JVM flags as the kotlinc/scalac/javac launchers take them (-J-Xmx1g)."""
    return tuple(f"-J{flag}" for flag in flags)


def compile_step(compiler: str, *arguments: str) -> Step:
    """A JVM compiler's run, with the JVM's flags, budget and environment."""
    return Step("compile", (compiler, *through_launcher(JVM_COMPILER_FLAGS), *arguments), COMPILE_LIMITS, JVM_ENV)


def run_step(classpath: str, main_class: str, reads: tuple[str, ...] = ()) -> Step:
    """`java -ea` (`assert` statements are skipped without it) on the compiled classes."""
    return Step("run", ("java", *JVM_RUN_FLAGS, "-ea", "-cp", classpath, main_class), RUN_LIMITS, JVM_ENV, reads)
