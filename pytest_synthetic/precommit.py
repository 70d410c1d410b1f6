"""`synthetic-check FILE...`: the command of the pre-commit hooks (.pre-commit-hooks.yaml).

pytest on the named JSONL files only, with the per-file checks a commit can be judged by: the
static ones by default, execution too with --execute (and strength with --strength). The
dataset-wide quotas (size, language and difficulty mix) are left out: a commit changes a few
files, which need not meet the whole dataset's mix on their own.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

import pytest

from pytest_synthetic.plugin import CheckItem

STATIC_CHECKS = ("json", "schema", "consistency", "quality", "syntax", "contamination", "duplicates", "ids")


class OnlyChecks:
    """A pytest plugin object: deselects every check item not named."""

    def __init__(self, checks: Sequence[str]) -> None:
        self.checks = frozenset(checks)

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, config: pytest.Config, items: list[pytest.Item]) -> None:
        dropped = [item for item in items if isinstance(item, CheckItem) and item.name not in self.checks]
        if dropped:
            config.hook.pytest_deselected(items=dropped)
            gone = set(dropped)
            items[:] = [item for item in items if item not in gone]


def parse(argv: Sequence[str] | None) -> tuple[argparse.Namespace, list[str]]:
    parser = argparse.ArgumentParser(
        prog="synthetic-check",
        description="Validate JSONL datasets with the static checks of pytest-synthetic (a pre-commit hook). "
        "Other arguments go to pytest.",
    )
    parser.add_argument("--execute", action="store_true", help="also run each entry's code (the execution check)")
    parser.add_argument("--strength", action="store_true", help="also the strength check (mutants; implies --execute)")
    parser.add_argument("files", nargs="+", help="the JSONL datasets to check")
    return parser.parse_known_args(argv)


def pytest_arguments(files: Sequence[str], extra: Sequence[str]) -> list[str]:
    # The named files only (not the datasets a pytest.ini names), in this process: the
    # deselecting plugin object would not reach xdist workers.
    datasets = [f"--synthetic-dataset={name}" for name in files]
    # This module's import imported the plugin's package before pytest could rewrite its asserts
    # (they are the tool's own invariants, not tests): nothing to warn about.
    quiet = ["-W", "ignore:Module already imported so cannot be rewritten:pytest.PytestAssertRewriteWarning"]
    return ["-q", "-n", "0", "-o", "synthetic_dataset=", *quiet, *datasets, *extra]


def main(argv: Sequence[str] | None = None) -> int:
    args, extra = parse(argv)
    checks = [*STATIC_CHECKS]
    if args.execute or args.strength:
        checks.append("execution")
    if args.strength:
        checks.append("strength")
    return int(pytest.main(pytest_arguments(args.files, extra), plugins=[OnlyChecks(checks)]))


if __name__ == "__main__":
    raise SystemExit(main())
