"""PHP: names, grammar, and how an entry becomes a runnable program.

`main.php` is one `<?php` block: hoisted `declare(...)`, the secret read, the reference and
the assertions with their own `<?php` / `?>` tags removed, and the secret echoed last.
Debian's php.ini turns `assert()` into a no-op (zend.assertions=-1): the run re-enables it.
"""

from __future__ import annotations

import re

import tree_sitter_php

from pytest_synthetic.languages._script_common import require_code
from pytest_synthetic.languages.base import (
    COMPLETION_FD,
    FailurePattern,
    Language,
    NotRunnable,
    Program,
    Step,
    Toolchain,
)
from pytest_synthetic.sandbox import Limits

_OPEN_TAG = re.compile(r"\A\ufeff?\s*<\?(php\b|=)?", re.IGNORECASE)
_CLOSE_TAG = re.compile(r"\?>\s*\Z")
_DECLARE = re.compile(r"^[ \t]*declare\s*\(\s*strict_types\s*=\s*[01]\s*\)\s*;[ \t]*$", re.MULTILINE | re.IGNORECASE)
_LOCAL_INCLUDE = re.compile(
    r"""^[ \t]*(require|include)(_once)?\s*\(?\s*(__DIR__\s*\.\s*)?['"][\w./-]+\.php['"]\s*\)?\s*;[ \t]*$""",
    re.MULTILINE | re.IGNORECASE,
)
_PHPUNIT = re.compile(r"PHPUnit\\|extends\s+\\?TestCase\b")

# php://fd: PHP resolves /dev/fd/3 through realpath to "pipe:[...]" and fails to open it.
PROLOGUE = f"$__synthetic_secret = trim(file_get_contents('php://fd/{COMPLETION_FD}'));\n"
EPILOGUE = '\necho "\\n", $__synthetic_secret, "\\n";\n'

# Errors to stderr (the CLI default is stdout), assertions on and throwing.
_SETTINGS = (
    "-d",
    "display_errors=stderr",
    "-d",
    "log_errors=0",
    "-d",
    "html_errors=0",
    "-d",
    "error_reporting=-1",
    "-d",
    "zend.assertions=1",
    "-d",
    "assert.exception=1",
)
LINT = Step(
    "compile", ("php", *_SETTINGS, "-l", "main.php"), Limits(wall_seconds=20, cpu_seconds=20), after_failed_run=True
)
RUN = Step("run", ("php", *_SETTINGS, "main.php"), Limits(wall_seconds=10, cpu_seconds=10))


def _strip_tags(code: str, part: str, rewrites: list[str]) -> str:
    stripped = _CLOSE_TAG.sub("", _OPEN_TAG.sub("", code, count=1), count=1)
    if stripped != code:
        rewrites.append(f"removed the `<?php` / `?>` tags of the {part} (one program)")
    return stripped


def _hoist_declares(code: str, declares: list[str]) -> str:
    """`declare(strict_types=1)` must be the file's first statement."""
    declares.extend(match.group(0).strip() for match in _DECLARE.finditer(code))
    return _DECLARE.sub("", code)


def _drop_local_includes(assertions: str, rewrites: list[str]) -> str:
    """`require_once 'solution.php'`: the reference is already in this file."""

    def drop(match: re.Match[str]) -> str:
        rewrites.append(f"dropped `{match.group(0).strip()}` (the reference is in the same file)")
        return ""

    return _LOCAL_INCLUDE.sub(drop, assertions)


def assemble(reference: str, assertions: str, function_name: str) -> Program:
    rewrites: list[str] = []
    reference = _strip_tags(reference, "reference", rewrites)
    assertions = _strip_tags(assertions, "assertions", rewrites)
    require_code(LANGUAGE, "<?php\n" + assertions, ignorable=("php_tag", "text_interpolation"))
    if _PHPUNIT.search(assertions):
        raise NotRunnable("the assertions are a PHPUnit test case, and PHPUnit is not available to run them")
    declares: list[str] = []
    reference = _hoist_declares(reference, declares)
    assertions = _drop_local_includes(_hoist_declares(assertions, declares), rewrites)
    if declares:
        rewrites.append("moved `declare(strict_types=...)` to the top")
    header = ["<?php", *dict.fromkeys(declares)]
    source = "\n".join([*header, PROLOGUE, reference, "", assertions, EPILOGUE])
    return Program({"main.php": source}, "main.php", (LINT, RUN), tuple(rewrites))


LANGUAGE = Language(
    name="PHP",
    key="php",
    aliases=(),
    grammar=tree_sitter_php.language_php,
    line_comment="//",
    definitions_query="""
(function_definition name: (name) @name)
(method_declaration name: (name) @name)
(class_declaration name: (name) @name)
""",
    toolchains=(Toolchain("php", ("--version",), "apt-get install php-cli"),),
    assemble=assemble,
    failure=FailurePattern(
        r"Uncaught (?P<name>[\w\\]+)(?:: (?P<message>.*?))? in \S+:\d+",
        ("AssertionError", "AssertionFailedError", "ExpectationFailedException"),
    ),
)
