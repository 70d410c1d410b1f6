"""Class-data archives for the JVM compilers: kotlinc starts in ~1.7 s instead of ~4.2 s.

A JVM compiler spends most of a small compile loading and verifying its own classes. The
JVM can map them from an archive written by an earlier run (AppCDS), so each compiler gets
one archive per machine, made once from a built-in training program and kept beside the
detected toolchain versions. Entries never write it: the training run is the only writer,
the archive is moved into place by this process, and compile steps see it read-only. A
missing, stale or damaged archive is ignored by the JVM (-Xshare:auto), so an archive can
cost time, never a verdict.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import replace
from functools import cache
from pathlib import Path

from pytest_synthetic import sandbox, toolchains
from pytest_synthetic.jvm_compilers import BY_LAUNCHER, Compiler, classpath
from pytest_synthetic.languages._jvm import JVM_COMPILER_FLAGS, JVM_ENV
from pytest_synthetic.languages.base import Step

# Small programs that touch what entries commonly use (collections, lambdas, strings,
# exceptions), so that the archive holds the classes real compiles load.
TRAINING = {
    "kotlin": (
        "Training.kt",
        """
data class Point(val x: Int, val y: Int)
fun <T : Comparable<T>> largest(items: List<T>): T? = items.maxOrNull()
fun main() {
    val points = mutableListOf(Point(1, 2), Point(3, 4))
    val byX = points.associateBy { it.x }.mapValues { (_, p) -> p.y }
    val words = "a b c".split(" ").filter { it.isNotEmpty() }.joinToString(",")
    val seen = HashMap<String, Int>()
    for ((i, w) in words.withIndex()) seen[w.toString()] = i
    val result = when (val n = largest(listOf(3, 1, 2))) { null -> 0; else -> n * 2 }
    check(result == 6) { "wrong $result ${byX.size}" }
    try { require(seen.isNotEmpty()) } catch (e: IllegalArgumentException) { println(e.message) }
    println(points.sortedByDescending { it.y }.map { "${it.x}:${it.y}" })
}
""",
    ),
    "scala": (
        "Training.scala",
        """
import scala.collection.mutable
case class Point(x: Int, y: Int)
object Training {
  def largest[T](items: Seq[T])(implicit order: Ordering[T]): Option[T] =
    if (items.isEmpty) None else Some(items.max)
  def main(args: Array[String]): Unit = {
    val points = List(Point(1, 2), Point(3, 4))
    val byX = points.map(p => p.x -> p.y).toMap
    val seen = mutable.HashMap[String, Int]()
    for ((w, i) <- "a b c".split(" ").zipWithIndex) seen(w) = i
    val result = largest(Seq(3, 1, 2)) match { case Some(n) => n * 2; case None => 0 }
    assert(result == 6, s"wrong $result ${byX.size}")
    try require(seen.nonEmpty) catch { case e: IllegalArgumentException => println(e.getMessage) }
    println(points.sortBy(-_.y).map(p => s"${p.x}:${p.y}").mkString(","))
  }
}
""",
    ),
    "javac": (
        "Training.java",
        """
import java.util.*;
import java.util.stream.*;
public class Training {
    record Point(int x, int y) {}
    static <T extends Comparable<T>> Optional<T> largest(List<T> items) {
        return items.stream().max(Comparator.naturalOrder());
    }
    public static void main(String[] args) {
        List<Point> points = new ArrayList<>(List.of(new Point(1, 2), new Point(3, 4)));
        Map<Integer, Integer> byX = points.stream().collect(Collectors.toMap(Point::x, Point::y));
        Map<String, Integer> seen = new HashMap<>();
        String[] words = "a b c".split(" ");
        for (int i = 0; i < words.length; i++) seen.put(words[i], i);
        int result = largest(Arrays.asList(3, 1, 2)).map(n -> n * 2).orElse(0);
        if (result != 6) throw new IllegalStateException("wrong " + result + byX.size());
        System.out.println(String.join(",", seen.keySet()));
    }
}
""",
    ),
}
_RETRY_AFTER_SECONDS = 24 * 3600
_UNUSED_FOR_SECONDS = 30 * 24 * 3600
_QUIET = ("-Xshare:auto", "-Xlog:cds=off", "-Xlog:cds+dynamic=off")


def accelerate(step: Step) -> tuple[Step, tuple[Path, ...]]:
    """The compile step using its compiler's archive, and the folders its sandbox must show
    read-only for that; the step unchanged when there is no archive to use."""
    compiler = BY_LAUNCHER.get(step.argv[0]) if step.name == "compile" else None
    located = classpath(compiler) if compiler is not None else None
    if compiler is None or located is None:
        return step, ()
    flags = [arg[2:] for arg in step.argv[1:] if arg.startswith("-J")]
    archive = archive_for(compiler, tuple(flags))
    if archive is None:
        return step, ()
    use = using(archive)
    args = [arg for arg in step.argv[1:] if not arg.startswith("-J")]
    if not compiler.main_class:  # javac: its launcher takes JVM flags as -J
        return replace(step, argv=(step.argv[0], *(f"-J{flag}" for flag in (*flags, *use)), *args)), (archive.parent,)
    installation, jars = located
    argv = ("java", *flags, *use, *_direct(compiler, installation, jars), *args)
    return replace(step, argv=argv), (archive.parent, Path(installation))


def using(archive: Path) -> tuple[str, ...]:
    """The JVM flags that map an archive's classes (and ignore it quietly if it does not fit)."""
    return (f"-XX:SharedArchiveFile={archive}", *_QUIET)


def _direct(compiler: Compiler, installation: str, jars: str) -> tuple[str, ...]:
    properties = (p.replace("{home}", installation) for p in compiler.properties)
    return (*properties, "-cp", jars, compiler.main_class)


def archive_for(compiler: Compiler, flags: tuple[str, ...]) -> Path | None:
    """This machine's archive for the compiler started with these JVM flags, made now if
    it is missing (once per machine: concurrent workers wait for the one making it)."""
    key = _key(compiler, flags)
    folder = toolchains.known_versions_dir() / "class-data"
    return None if key is None else _archive(compiler, flags, folder / f"{compiler.kind}-{key}.jsa")


@cache
def _archive(compiler: Compiler, flags: tuple[str, ...], archive: Path) -> Path | None:
    folder = archive.parent
    failed = archive.with_suffix(".failed")
    with _locked(folder):
        if not archive.is_file() and not _failed_lately(failed):
            _remove_unused(folder, compiler.kind)
            reason = _make(compiler, flags, archive)
            if reason:
                failed.write_text(reason + "\n", encoding="utf-8")
        if not archive.is_file():
            return None
        # used now: its access time says so whatever the mount options (its mtime stays "made")
        with contextlib.suppress(OSError):
            os.utime(archive, (time.time(), archive.stat().st_mtime))
    return archive


def _remove_unused(folder: Path, kind: str) -> None:
    """Archives of a compiler or JVM replaced since (tens of MiB each) go once unused for a while."""
    for old in folder.glob(f"{kind}-*.jsa"):
        with contextlib.suppress(OSError):
            if time.time() - old.stat().st_atime > _UNUSED_FOR_SECONDS:
                old.unlink()


def _failed_lately(marker: Path) -> bool:
    """A failed attempt is not repeated by every run, but is after a day (a busy machine may
    have been the reason)."""
    try:
        return time.time() - marker.stat().st_mtime < _RETRY_AFTER_SECONDS
    except OSError:
        return False


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / ".lock").open("a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _key(compiler: Compiler, flags: tuple[str, ...]) -> str | None:
    """What the archive depends on: the JVM, the compiler's jars and the flags."""
    java = toolchains.which("java" if compiler.main_class else compiler.launcher)
    located = classpath(compiler)
    if java is None or located is None:
        return None
    parts = [*flags, compiler.main_class]
    for path in (os.path.realpath(java), *filter(None, located[1].split(":"))):
        info = Path(path).stat()
        parts.append(f"{path}:{info.st_size}:{info.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def _make(compiler: Compiler, flags: tuple[str, ...], archive: Path) -> str:
    """Compile the training program with the archive written at exit; the reason on failure."""
    from pytest_synthetic import launch  # noqa: PLC0415 (launch maps the archives this module makes)

    name, source = TRAINING[compiler.kind]
    with launch.work_folder({name: source}, prefix="synthetic-class-data-") as workdir:
        written = workdir / "classes.jsa"
        dump = (f"-XX:ArchiveClassesAtExit={written}", "-Xlog:cds=off", "-Xlog:cds+dynamic=off")
        training = _training_step(compiler, flags, dump, name)
        if training is None:
            return "the compiler's jars were not found"
        argv, readonly = training
        # an archive is tens of MiB (kotlinc's ~80)
        limits = sandbox.Limits(
            wall_seconds=120,
            cpu_seconds=240,
            memory_bytes=3072 * sandbox.MiB,
            file_size_bytes=512 * sandbox.MiB,
            disk_bytes=1024 * sandbox.MiB,
        )
        # not named "compile": a training run maps no archive, it writes one
        prepared = launch.prepare(Step("train", argv, limits, JVM_ENV, tuple(map(str, readonly))), workdir)
        if prepared is None:
            return f"{argv[0]} not found"
        result = launch.start(prepared, workdir, limits)
        if not result.ok or not written.is_file():
            return f"training compile failed ({result.returncode}): {(result.stderr or result.stdout)[-300:]}"
        partial = archive.with_suffix(f".{os.getpid()}.partial")
        shutil.copyfile(written, partial)
        partial.replace(archive)
        return ""


def _training_step(
    compiler: Compiler, flags: tuple[str, ...], dump: tuple[str, ...], source: str
) -> tuple[tuple[str, ...], tuple[Path, ...]] | None:
    located = classpath(compiler)
    if located is None:
        return None
    output = ("-d", ".", source)
    if not compiler.main_class:
        return (compiler.launcher, *(f"-J{flag}" for flag in (*flags, *dump)), "-proc:none", *output), ()
    installation, jars = located
    return ("java", *flags, *dump, *_direct(compiler, installation, jars), *output), (Path(installation),)


def main() -> None:
    """Make the archives of every JVM compiler installed here (the set-up script runs this, so
    that no test session pays for it)."""
    for compiler in BY_LAUNCHER.values():
        made = archive_for(compiler, JVM_COMPILER_FLAGS)
        print(
            f"class-data archive for {compiler.launcher}: {made or 'none (see the .failed file beside the archives)'}"
        )


if __name__ == "__main__":
    main()
