"""One entry's assembled program as readable text: what its golden file holds."""

from __future__ import annotations

import dataclasses
import re
import shlex

from pytest_synthetic.languages import lookup
from pytest_synthetic.languages.base import NotRunnable, Program, Step
from pytest_synthetic.sandbox import Limits, MiB

from .machine import machine_paths, pinned
from .sources import GoldenEntry

HEADER = "# The program assembly makes of this entry; `python -m tests.golden --update` rewrites it.\n"
_PLAIN_ARGUMENT = re.compile(r"[^\s'\"\\]+")


class MachineTextError(Exception):
    """A golden text holds a path of this machine: assembly read a fact that is not pinned."""


def _argument(text: str) -> str:
    """An argument as a shell would take it, quoted only when it has to be."""
    return text if _PLAIN_ARGUMENT.fullmatch(text) else shlex.quote(text)


def _budget(name: str, value: object) -> str:
    if name.endswith("_bytes") and isinstance(value, int) and value % MiB == 0:
        return f"{name}={value // MiB} MiB"
    return f"{name}={value}"


def _limits(limits: Limits) -> str:
    """The budgets that differ from the defaults, or "defaults"."""
    default = Limits()
    changed = [
        _budget(field.name, getattr(limits, field.name))
        for field in dataclasses.fields(Limits)
        if getattr(limits, field.name) != getattr(default, field.name)
    ]
    return ", ".join(changed) or "defaults"


def _step(step: Step) -> list[str]:
    lines = [f"step {step.name}: {' '.join(map(_argument, step.argv))}"]
    lines += [f"  env {name}={_argument(value)}" for name, value in step.env]
    lines += [f"  reads {folder}" for folder in step.reads]
    lines.append(f"  limits {_limits(step.limits)}")
    if step.after_failed_run:
        lines.append("  only after a failed run")
    return lines


def _file(path: str, text: str) -> list[str]:
    ending = "" if text.endswith("\n") or not text else "\n(no newline at the end of the file)\n"
    return [f"=== file {path} ===\n{text}{ending}"]


def render_program(program: Program) -> list[str]:
    """The program's parts in a fixed order: main file, rewrites, steps, then its files (main first)."""
    lines = [f"main file: {program.main_file}", "rewrites:"]
    lines += [f"  - {rewrite}" for rewrite in program.rewrites] or ["  (none)"]
    for step in program.steps:
        lines += _step(step)
    others = sorted(path for path in program.files if path != program.main_file)
    for path in [program.main_file, *others] if program.main_file in program.files else others:
        lines += _file(path, program.files[path])
    return lines


def _outcome(entry: GoldenEntry) -> list[str]:
    language = lookup(entry.language)
    if language is None:
        return ["not executable: no known language"]
    if language.assemble is None:
        return [f"not executable: {language.name} has no assembly"]
    try:
        with pinned():
            program = language.assemble(entry.reference, entry.assertions, entry.function_name)
    except NotRunnable as reason:
        return [f"not executable: {reason}"]
    except Exception as error:  # a crash of assembly is what its golden file shows
        return [f"assembly raised {type(error).__name__}: {error}"]
    return render_program(program)


def render(entry: GoldenEntry) -> str:
    """The golden text of an entry; MachineTextError when a path of this machine would be in it."""
    lines = [HEADER.rstrip("\n"), f"entry: {entry.name}", f"language: {entry.language}",
             f"function: {entry.function_name}", *_outcome(entry)]
    text = "\n".join(lines).rstrip("\n") + "\n"
    # a whole path, not the start of a longer name ("/src" of a checkout is not in "/srcfoo")
    leaked = [path for path in machine_paths() if re.search(rf"(?<![\w.-]){re.escape(path)}(?![\w.-])", text)]
    if leaked:
        raise MachineTextError(f"{entry.name}: the assembled program names {leaked[0]}, a path of this machine")
    return text
