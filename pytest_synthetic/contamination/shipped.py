"""The index shipped with the package: where it lives, how it is built, and loading it once."""

from __future__ import annotations

import functools
from pathlib import Path

from pytest_synthetic.contamination.build import build_index
from pytest_synthetic.contamination.index import Index
from pytest_synthetic.contamination.sources import SOURCES, metadata, read_items

INDEX_PATH = Path(__file__).with_name("benchmarks.index")


def build_shipped(root: Path) -> bytes:
    """The index bytes of every source under `root` (../shared/benchmarks)."""
    return build_index((metadata(source, root), read_items(source, root)) for source in SOURCES).to_bytes()


@functools.cache
def load(path: Path = INDEX_PATH) -> Index:
    """Read on the first contamination check, then kept for the process."""
    return Index.from_bytes(path.read_bytes())
