"""One JVM compiles every variant of a Java, Kotlin or Scala entry.

A JVM compiler spends seconds starting and warming up, then a fraction of a second per small
file: kotlinc takes ~6 s for a one-file program from cold and well under one once warm. So
the batch first runs a driver that loads the language's compiler once and calls it for each
variant in turn, with exactly the arguments the variant's own compile step has, inside the
same sandbox. The driver only ever marks a variant built; whatever it did not build (an error,
a crash, its own time running out) goes through the variant's ordinary compile step after it,
so a failing driver costs time and never a verdict.

The driver is compiled once per machine and JDK into the toolchain cache (as the processor-time
helper is), so that no batch pays for compiling it: `java File.java` would compile it in memory
at every start. Without javac the batch runs it that way.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import shlex
import subprocess
from functools import cache
from pathlib import Path

from pytest_synthetic import class_data, launch, toolchains
from pytest_synthetic.jvm_compilers import COMPILERS, classpath
from pytest_synthetic.languages.base import Program, Step

DRIVER_MAIN = "SyntheticCompileMany"
DRIVER_FILE = f"{DRIVER_MAIN}.java"
DRIVER_CLASS = f"{DRIVER_MAIN}.class"
LIST_FILE = "compile-many.txt"

# Java source run with `java File.java` (source-file mode, JDK 11+). Each line of the list:
# the status file to write on success, then the compiler arguments, separated by tabs.
DRIVER_SOURCE = r"""
import java.io.*;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.*;
import java.util.concurrent.*;

public class SyntheticCompileMany {
    static boolean compile(String kind, String main, String[] args, PrintStream out) throws Exception {
        if (kind.equals("javac")) {
            return javax.tools.ToolProvider.getSystemJavaCompiler().run(null, out, out, args) == 0;
        }
        Class<?> compiler = Class.forName(main);
        if (kind.equals("kotlin")) {
            Object tool = compiler.getDeclaredConstructor().newInstance();
            Method exec = compiler.getMethod("exec", PrintStream.class, String[].class);
            return String.valueOf(exec.invoke(tool, out, args)).equals("OK");
        }
        Method process = compiler.getMethod("process", String[].class);  // scala.tools.nsc.Main
        Object result = process.invoke(null, (Object) args);
        if (result instanceof Boolean) return (Boolean) result;  // Scala 2.12 and later
        Object reporter = compiler.getMethod("reporter").invoke(null);  // 2.11: void process
        return !(Boolean) reporter.getClass().getMethod("hasErrors").invoke(reporter);
    }

    public static void main(String[] argv) throws Exception {
        String kind = argv[0], main = argv[1];
        long seconds = Long.parseLong(argv[3]);
        ExecutorService pool = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(null, r, "compile", 128L << 20);  // scalac recurses deeply
            thread.setDaemon(true);
            return thread;
        });
        for (String line : Files.readAllLines(Paths.get(argv[2]), StandardCharsets.UTF_8)) {
            if (line.isEmpty()) continue;
            String[] fields = line.split("\t");
            String[] args = Arrays.copyOfRange(fields, 1, fields.length);
            Future<Boolean> done = pool.submit(() -> compile(kind, main, args, System.err));
            boolean built;
            try {
                built = done.get(seconds, TimeUnit.SECONDS);
            } catch (TimeoutException stuck) {
                System.exit(3);  // the rest are compiled one by one
                return;
            } catch (ExecutionException failed) {
                built = false;
            }
            if (built) Files.write(Paths.get(fields[0]), "built\n".getBytes(StandardCharsets.UTF_8));
        }
        System.exit(0);
    }
}
"""


@cache
def compiled_driver(java: str) -> Path | None:
    """The folder holding the driver compiled by the javac beside `java`, compiled now if it
    is missing; None when there is no such javac or it fails."""
    javac = Path(java).resolve().parent / "javac"
    if not javac.is_file():
        return None
    digest = hashlib.sha256(f"{javac}\0{DRIVER_SOURCE}".encode()).hexdigest()[:16]
    target = toolchains.known_versions_dir() / "jvm-compile-many" / digest
    return toolchains.built_once(target, functools.partial(_compile_driver, javac), _has_driver)


def _compile_driver(javac: Path, scratch: Path) -> Path | None:
    source, classes = scratch / DRIVER_FILE, scratch / "classes"
    source.write_text(DRIVER_SOURCE, encoding="utf-8")
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        command = [str(javac), "-nowarn", "-d", str(classes), str(source)]
        subprocess.run(command, capture_output=True, timeout=120, check=True)
    return classes if _has_driver(classes) else None


def _has_driver(folder: Path) -> bool:
    return (folder / DRIVER_CLASS).is_file()


def _compile_step(program: Program, launcher: str) -> Step | None:
    steps = program.steps[:-1]
    return steps[0] if len(steps) == 1 and steps[0].argv[0] == launcher else None


def _absolute(args: tuple[str, ...], program: Program, folder: str) -> list[str]:
    """The variant's relative file arguments (its sources, `-d` target) inside its folder."""
    result: list[str] = []
    for index, arg in enumerate(args):
        inside = (index > 0 and args[index - 1] == "-d") or arg in program.files
        result.append((folder if arg == "." else f"{folder}/{arg}") if inside else arg)
    return result


def prelude(language_key: str, programs: list[Program], root: str, java: str) -> tuple[str, tuple[Path, ...]] | None:
    """Shell lines that compile every variant in one JVM (written before the ordinary build
    loop, which then skips what is built) and the host folders they read besides the
    compiler's installation, or None when this language or batch cannot."""
    compiler = COMPILERS.get(language_key)
    if compiler is None:
        return None
    steps = [_compile_step(program, compiler.launcher) for program in programs]
    located = classpath(compiler)
    if located is None or any(step is None for step in steps):
        return None
    installation, jars = located
    lines = []
    for index, (program, step) in enumerate(zip(programs, steps, strict=True)):
        assert step is not None
        args = tuple(a for a in step.argv[1:] if not a.startswith("-J"))
        fields = [f"{root}/s{index}", *_absolute(args, program, f"{root}/v{index}")]
        if any("\t" in field or "\n" in field for field in fields):
            return None
        lines.append("\t".join(fields))
    Path(root, LIST_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")
    first = steps[0]
    assert first is not None
    flags = [a[2:] for a in first.argv[1:] if a.startswith("-J")]
    # The same class-data archive as the variants' own compiles: same JVM, jars and flags.
    archive = class_data.archive_for(compiler, tuple(flags))
    shown: tuple[Path, ...] = (archive.parent,) if archive is not None else ()
    if archive is not None:
        flags += class_data.using(archive)
    driver = compiled_driver(java)
    if driver is not None:  # after the jars: the archive holds their classes from that classpath
        jars = f"{jars}:{driver}" if jars else str(driver)
        shown, started = (*shown, driver), DRIVER_MAIN
    else:
        Path(root, DRIVER_FILE).write_text(DRIVER_SOURCE, encoding="utf-8")
        started = f"{root}/{DRIVER_FILE}"
    properties = [p.replace("{home}", installation) for p in compiler.properties]
    per_variant = max(int(step.limits.wall_seconds) for step in steps if step is not None)
    env = [f"{key}={value}" for key, value in launch.variables(first, Path(root)).items()]
    argv = [
        "env",
        *env,
        java,
        *flags,
        *properties,
        *(["-cp", jars] if jars else []),
        started,
        compiler.kind,
        compiler.main_class or "-",
        f"{root}/{LIST_FILE}",
        str(per_variant),
    ]
    total = per_variant * len(programs) + 30
    return f'timeout -k 2 {total} {shlex.join(argv)} > "$ROOT/compile-many.log" 2>&1', shown
