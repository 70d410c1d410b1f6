"""The stand-ins and preludes in languages/standins/: each file is a program its own toolchain
accepts as it is, and templates.py fills and splits them as its docstring says."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from pytest_synthetic import toolchains, treesitter
from pytest_synthetic.languages import by_name, csharp, haskell, java, scala, templates

LANGUAGES = Path(str(resources.files("pytest_synthetic.languages")))
STANDINS = LANGUAGES / "standins"
FILES = sorted(path.name for path in STANDINS.iterdir() if path.is_file())


def _ruff() -> str | None:
    beside = Path(sys.executable).with_name("ruff")
    return str(beside) if beside.exists() else shutil.which("ruff")


def _check_python(path: Path, work: Path) -> list[str] | None:
    compile(path.read_text(encoding="utf-8"), str(path), "exec")
    ruff = _ruff()
    return None if ruff is None else [ruff, "check", "--no-cache", str(path)]


def _toolchain(name: str, *argv: str) -> list[str] | None:
    found = toolchains.which(name)
    return None if found is None else [found, *argv]


# The command that checks a file (None: the toolchain is missing here), by the file's suffix.
CHECKS = {
    ".py": _check_python,
    ".js": lambda path, work: _toolchain("node", "--check", str(path)),
    ".java": lambda path, work: _toolchain("javac", "-d", str(work), str(path)),
    ".go": lambda path, work: _toolchain("go", "vet", str(path)),
    ".rs": lambda path, work: _toolchain(
        "rustc", "--edition", "2021", "--emit=metadata", "-o", str(work / "check.rmeta"), str(path)
    ),
    ".kt": lambda path, work: _toolchain("kotlinc", "-d", str(work), str(path)),
    ".scala": lambda path, work: _toolchain("scalac", "-d", str(work), str(path)),
    ".cs": lambda path, work: _toolchain("mcs", f"-out:{work / 'check.exe'}", str(path)),
    ".cpp": lambda path, work: _toolchain("g++", "-std=c++20", "-fsyntax-only", str(path)),
    ".hs": lambda path, work: _toolchain("ghc", "-fno-code", "-outputdir", str(work), str(path)),
    ".rb": lambda path, work: _toolchain("ruby", "-c", str(path)),
    ".php": lambda path, work: _toolchain("php", "-l", str(path)),
    ".sh": lambda path, work: _toolchain("bash", "-n", str(path)),
    ".pl": lambda path, work: _toolchain("perl", "-c", str(path)),
    ".lua": lambda path, work: _toolchain("luac5.4", "-p", str(path)),
    ".swift": lambda path, work: _toolchain("swiftc", "-parse", str(path)),
}


SUFFIX_LANGUAGES = {
    suffix: by_name(name)
    for suffix, name in {
        ".py": "python",
        ".js": "javascript",
        ".java": "java",
        ".go": "go",
        ".rs": "rust",
        ".kt": "kotlin",
        ".scala": "scala",
        ".cs": "c#",
        ".cpp": "c++",
        ".hs": "haskell",
        ".rb": "ruby",
        ".php": "php",
        ".sh": "bash",
        ".pl": "perl",
        ".lua": "lua",
        ".swift": "swift",
    }.items()
}


def test_the_package_ships_stand_ins() -> None:
    assert {"pytest_standin.py", "python_harness.py", "jest_standin.js", "junit_standin.java"} <= set(FILES)


@pytest.mark.parametrize("name", FILES)
def test_stand_in_is_a_program_its_toolchain_accepts(name: str, tmp_path: Path) -> None:
    path = STANDINS / name
    assert path.suffix in CHECKS, f"no check for {path.suffix} files: add one to CHECKS"
    command = CHECKS[path.suffix](path, tmp_path)
    if command is None:
        pytest.skip(f"no toolchain for {path.suffix} files here")
    result = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, timeout=600, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("name", FILES)
def test_stand_in_parses_in_its_language_s_grammar(name: str) -> None:
    """Checked on every machine, also where the toolchain is missing (Swift here)."""
    language = SUFFIX_LANGUAGES[(STANDINS / name).suffix]
    root = treesitter.parse(language, (STANDINS / name).read_text(encoding="utf-8")).root_node
    assert not root.has_error, f"{name} does not parse as {language.name}"


@pytest.mark.parametrize(
    ("name", "text"),
    [
        (java.MAIN_CLASS, java.PROLOGUE),
        (java.ASSERTIONS_CLASS, java._assertions_class(5)),
        (scala.MAIN_OBJECT, scala.PROLOGUE),
        (csharp.MAIN_CLASS, csharp.PROLOGUE),
        (haskell._EXPECT, haskell._HARNESS),
        (haskell._ASSERTIONS_MAIN, haskell._HARNESS),
    ],
)
def test_names_the_assemblers_write_are_those_the_stand_ins_use(name: str, text: str) -> None:
    assert re.search(rf"\b{name}\b", text)


@pytest.mark.parametrize("name", FILES)
def test_every_stand_in_is_loaded_by_a_language(name: str) -> None:
    sources = "".join(path.read_text(encoding="utf-8") for path in LANGUAGES.glob("**/*.py"))
    assert f'"{name}"' in sources


def test_fill_replaces_a_marker_in_a_string_a_line_comment_and_a_block_comment() -> None:
    template = (
        'path = "SYNTHETIC_FILL_PATH"\n'
        "def finish():\n"
        "    # SYNTHETIC_FILL_STEPS\n"
        "    done()\n"
        "ranges := [][2]int{/*SYNTHETIC_FILL_RANGES*/}\n"
        "lines = [{- SYNTHETIC_FILL_LINES -}]\n"
    )
    filled = templates.fill(template, PATH="/dev/fd/3", STEPS="    a()\n    b()\n", RANGES="{1, 2}", LINES="3")
    assert filled == (
        'path = "/dev/fd/3"\ndef finish():\n    a()\n    b()\n    done()\nranges := [][2]int{{1, 2}}\nlines = [3]\n'
    )


def test_fill_takes_values_verbatim() -> None:
    assert templates.fill('x = "SYNTHETIC_FILL_X"', X=r"\1 \g<0>") == r'x = "\1 \g<0>"'


@pytest.mark.parametrize(
    "values", [{}, {"PATH": "/p", "OTHER": "1"}, {"OTHER": "1"}], ids=["missing", "extra", "wrong"]
)
def test_fill_wants_a_value_for_exactly_the_markers(values: dict[str, str]) -> None:
    with pytest.raises(KeyError, match="PATH"):
        templates.fill('open("SYNTHETIC_FILL_PATH")', **values)


def test_parts_split_at_their_markers_and_leave_the_header_out() -> None:
    harness = templates.source("python_harness.py")
    parts = templates.parts("python_harness.py")
    assert list(parts) == ["PROLOGUE", "PYTEST", "PYTEST_STANDIN", "UNITTEST", "EXIT", "DOCTEST", "FINISH"]
    assert harness.endswith("".join(f"# SYNTHETIC_PART_{name}\n{text}" for name, text in parts.items()))
    assert harness.startswith('"""')
    assert all(text.endswith("\n") and "SYNTHETIC_PART_" not in text for text in parts.values())


def test_a_file_without_parts_is_refused_as_one_with_parts() -> None:
    with pytest.raises(ValueError, match="no SYNTHETIC_PART_ marker"):
        templates.parts("pytest_standin.py")


def test_markers_name_upper_case_words_only() -> None:
    for name in FILES:
        text = (STANDINS / name).read_text(encoding="utf-8")
        for marker in re.findall(r"SYNTHETIC_(?:FILL|PART)_\w*", text):
            assert re.fullmatch(r"SYNTHETIC_(?:FILL|PART)_[A-Z0-9_]+", marker), (name, marker)
