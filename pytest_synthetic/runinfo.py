"""What a JSON report says about the run that wrote it, so that shards' reports can be merged.

Reports merge only when they come from the same plugin (its version and the content of its
files), the same settings and selection, and the same dataset files (their SHA-256).
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.metadata
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from pytest_synthetic import shard
from pytest_synthetic.records import content_digest

PACKAGE = Path(__file__).resolve().parent
# options that change which items run or what they conclude (the requirements come from the spec)
VERDICT_OPTIONS = ("synthetic_require_toolchains", "synthetic_require_sandbox", "keyword", "markexpr")


@cache
def plugin_identity() -> dict[str, str]:
    """The installed version and a digest of the package's own files (equal on every host that
    runs the same code, unlike their paths and modification times)."""
    digest = hashlib.sha256()
    for path in sorted(p for pattern in ("*.py", "*.json") for p in PACKAGE.rglob(pattern)):
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return {"version": importlib.metadata.version("pytest-synthetic"), "code": digest.hexdigest()}


def describe_run(config: pytest.Config, files: Iterable[str]) -> dict[str, Any]:
    """The `run` section of a report: `files` are the datasets it has items of."""
    from pytest_synthetic.plugin import SPEC_KEY  # noqa: PLC0415 (plugin -> report -> here: a cycle at import)

    named = {str(Path(a.split("::")[0]).resolve()) for a in config.args if a.split("::")[0].endswith(".jsonl")}
    datasets = sorted({*files, *(f for f in named if Path(f).is_file())})
    part = shard.configured(config)
    settings = {
        "spec": dataclasses.asdict(config.stash[SPEC_KEY]),
        **{name: config.getoption(name, None) for name in VERDICT_OPTIONS},
    }
    return {
        "plugin": plugin_identity(),
        "shard": str(part) if part else None,
        "settings": settings,
        "datasets": {file: content_digest(file) for file in datasets},
    }
