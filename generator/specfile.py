"""Reading dataset requirements from a small TOML file (--spec).

The file is a flat table of the plugin's setting names, with or without the
``synthetic_`` prefix the ini file uses, e.g.::

    size = 500
    language_quotas = "Python=200,TypeScript=200,Go=35,Rust=15,other=50"
    difficulty_tolerance = 2

Quotas may also be inline tables: ``language_quotas = {Python = 200, other = 300}``.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pytest_synthetic.spec import SETTING_NAMES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]


def _as_text(name: str, value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, str)):
        return str(value)
    if isinstance(value, Mapping) and name.endswith("_quotas"):
        return ",".join(f"{key}={count}" for key, count in value.items())
    raise ValueError(f"{name}: unsupported value {value!r}")


def read_spec_settings(path: Path) -> dict[str, str]:
    """The settings of a spec file as text, ready for ``build_spec``; ValueError when unusable."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"{path}: {error}") from error
    settings: dict[str, str] = {}
    for key, value in data.items():
        name = key.removeprefix("synthetic_")
        if name not in SETTING_NAMES:
            raise ValueError(f"{path}: unknown setting {key!r} (known: {', '.join(SETTING_NAMES)})")
        settings[name] = _as_text(name, value)
    return settings
