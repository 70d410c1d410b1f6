"""Run the execution step over the shared real-world datasets and compare or record verdicts.

    python scripts/conformance.py [--lang Go --lang Rust] [--record] [--jobs 2]

Without --record it prints every entry whose verdict differs from
tests/realworld/expected/<language-key>.json. With --record it rewrites the verdicts in
those files for the languages run, keeping the written reasons of unchanged verdicts.
"""

from __future__ import annotations

import argparse
import json
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pytest_synthetic.languages import ALL, Language, lookup
from pytest_synthetic.runner import Execution, execute

ROOT = Path(__file__).resolve().parent.parent
DATASETS = ROOT.parent / "shared" / "datasets"
EXPECTED = ROOT / "tests" / "realworld" / "expected"


def entries(languages: set[str]) -> list[tuple[str, dict[str, object], Language]]:
    found = []
    for path in sorted(DATASETS.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            obj = json.loads(line)
            language = lookup(str(obj["metadata"]["language"]))
            if language is not None and language.name in languages:
                found.append((path.name, obj, language))
    return found


def run_one(item: tuple[str, dict[str, object], Language]) -> tuple[str, str, str, Execution]:
    name, obj, language = item
    meta = obj["metadata"]
    assert isinstance(meta, dict)
    done = execute(language, str(obj["reference_answer"]), str(obj["assertions"]), str(meta["function_name"]))
    return name, str(obj["query_id"]), language.key, done


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lang", action="append", help="language name (repeatable); default all")
    parser.add_argument("--record", action="store_true")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--verbose", action="store_true", help="print stderr of non-passing entries")
    args = parser.parse_args()
    wanted = set(args.lang) if args.lang else {language.name for language in ALL}
    with ThreadPoolExecutor(args.jobs) as pool:
        results = list(pool.map(run_one, entries(wanted)))
    differences = 0
    by_key: dict[str, dict[str, dict[str, str]]] = {}
    for dataset, query_id, key, done in results:
        expected_file = EXPECTED / f"{key}.json"
        expected = json.loads(expected_file.read_text()) if expected_file.exists() else {}
        old = expected.get(f"{dataset}::{query_id}", {})
        record = {"verdict": done.verdict.value, "reason": old.get("reason", "")}
        if done.verdict.value == "toolchain missing" and old.get("verdict") not in (None, "toolchain missing"):
            # what was recorded where the toolchain exists stands (tests skip such entries here)
            print(f"{dataset}::{query_id} [{key}] not run here ({done.message}); keeping {old.get('verdict')!r}")
            by_key.setdefault(key, dict(expected))
            continue
        if old.get("verdict") != record["verdict"]:
            differences += 1
            print(f"{dataset}::{query_id} [{key}] expected {old.get('verdict')!r} got {done.verdict.value!r}")
        if args.verbose and done.verdict.value != "passed":
            print(f"--- {dataset}::{query_id}: {done.message}\n{done.stderr[-1500:]}\n{done.stdout[-500:]}")
        by_key.setdefault(key, dict(expected))[f"{dataset}::{query_id}"] = record
    if args.record:
        EXPECTED.mkdir(parents=True, exist_ok=True)
        for key, records in by_key.items():
            text = json.dumps(dict(sorted(records.items())), indent=1, ensure_ascii=False)
            (EXPECTED / f"{key}.json").write_text(text + "\n", encoding="utf-8")
    print(f"{len(results)} entries, {differences} differ from the expected verdicts")
    return 1 if differences and not args.record else 0


if __name__ == "__main__":
    sys.exit(main())
