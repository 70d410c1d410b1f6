"""Compare the golden files of assembly with what it makes now, or rewrite them.

    python -m tests.golden            # list the differences (exit 1 if there are any)
    python -m tests.golden --update   # rewrite them; then review `git diff tests/golden` like code
"""

from __future__ import annotations

import argparse
import sys

from .expected_files import differences, rendered, write
from .sources import SHARED_DATASETS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.golden", description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="rewrite the golden files that differ")
    args = parser.parse_args(argv)
    if not SHARED_DATASETS.is_dir():
        print(f"{SHARED_DATASETS} is missing: its entries' golden files cannot be checked", file=sys.stderr)
        return 2
    texts = rendered()
    if args.update:
        written, removed = write(texts)
        print(f"{len(texts)} golden files: {written} written, {removed} stale ones removed")
        return 0
    found = differences(texts)
    for change in found:
        print(change.text)
    print(f"{len(texts)} golden files, {len(found)} differ")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
