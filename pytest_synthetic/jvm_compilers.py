"""The JVM compilers as classes to call: where each keeps its jars and how it is started
directly (`java -cp ... Main`), which strength batches and class-data archives both need."""

from __future__ import annotations

from dataclasses import dataclass

from pytest_synthetic import toolchains


@dataclass(frozen=True)
class Compiler:
    launcher: str  # the command of the compile step
    kind: str  # how a driver calls it
    main_class: str  # "" for javac, which its launcher starts from the JDK's own modules
    lib: str  # the folder of its jars, relative to the launcher's installation ("" for javac)
    properties: tuple[str, ...]  # JVM options, with {home} for the installation


COMPILERS = {
    "kotlin": Compiler(
        "kotlinc",
        "kotlin",
        "org.jetbrains.kotlin.cli.jvm.K2JVMCompiler",
        "lib/kotlin-compiler.jar",
        ("-Dkotlin.home={home}", "--add-opens=java.base/java.util=ALL-UNNAMED"),
    ),
    "scala": Compiler(
        "scalac", "scala", "scala.tools.nsc.Main", "lib/*.jar", ("-Dscala.home={home}", "-Dscala.usejavacp=true")
    ),
    "java": Compiler("javac", "javac", "", "", ()),
}
BY_LAUNCHER = {compiler.launcher: compiler for compiler in COMPILERS.values()}


def classpath(compiler: Compiler) -> tuple[str, str] | None:
    """(installation folder, class path of the compiler's jars); empty for javac (in the JDK)."""
    if not compiler.lib:
        return "", ""
    folder = toolchains.installation(compiler.launcher)
    jars = sorted(folder.glob(compiler.lib)) if folder is not None else []
    return (str(folder), ":".join(str(jar) for jar in jars)) if jars else None
