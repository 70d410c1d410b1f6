"""`--synthetic-shard K/N`: which entries a shard collects, and the dataset-wide items on shard 1."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from pytest_synthetic import forked, shard
from pytest_synthetic.checks.dataset import DATASET_CHECKS, READS_ENTRIES, run_dataset_check
from pytest_synthetic.collect import NOT_AN_OBJECT, ParsedDataset, node_names
from pytest_synthetic.languages import ALL as LANGUAGES
from pytest_synthetic.records import (
    LIGHT_FIELDS,
    iter_light_records,
    iter_records,
    parse_light,
    parse_line,
    read_identity,
)
from pytest_synthetic.spec import DatasetSpec

pytest_plugins = ["pytester"]


def collected_ids(pytester: pytest.Pytester, *args: str) -> list[str]:
    result = pytester.runpytest_subprocess("--collect-only", "-q", *args)
    assert result.ret == 0, result.stdout.str()
    return [line for line in result.outlines if "::" in line]


@pytest.fixture
def gpt5(pytester: pytest.Pytester, shared_datasets: Path) -> Path:
    return Path(shutil.copy(shared_datasets / "synthetic_gpt5.jsonl", pytester.path))


@pytest.fixture
def awkward(pytester: pytest.Pytester, gpt5: Path) -> Path:
    """Real entries, plus repeated and unsafe ids and lines that are not entries."""
    rows = gpt5.read_bytes().splitlines()[:30]
    first = json.loads(rows[0])
    extra = [
        json.dumps({**first, "query_id": "a/b"}).encode(),
        json.dumps({**first, "query_id": "a_b"}).encode(),
        rows[0],
        b'{"query_id": "broken", oops',
        b"[1, 2]",
        json.dumps({**first, "query_id": "dataset"}).encode(),
    ]
    path = pytester.path / "synthetic_awkward.jsonl"
    path.write_bytes(b"\n".join([*rows, b"", *extra]) + b"\n")
    return path


@pytest.mark.parametrize("text", ["0/2", "3/2", "2", "a/b", "1/0", ""])
def test_bad_shards_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="shard"):
        shard.parse_shard(text)


def test_a_bad_shard_is_a_usage_error(pytester: pytest.Pytester, gpt5: Path) -> None:
    result = pytester.runpytest_subprocess(f"--synthetic-dataset={gpt5.name}", "--synthetic-shard=4/3")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--synthetic-shard: shard '4/3': K must be between 1 and N*"])


def test_shards_split_the_items_with_the_unsharded_node_ids(pytester: pytest.Pytester, awkward: Path) -> None:
    whole = collected_ids(pytester, awkward.name)
    parts = [collected_ids(pytester, awkward.name, f"--synthetic-shard={k}/3") for k in (1, 2, 3)]
    assert sorted(i for part in parts for i in part) == sorted(whole)  # each item on exactly one shard
    dataset_items = [i for i in whole if "::dataset::" in i]
    assert len(dataset_items) == 5
    assert set(dataset_items) <= set(parts[0])  # shard 1 has them
    assert all("::dataset::" not in i for part in parts[1:] for i in part)
    assert all(part for part in parts)


def test_the_ini_file_names_the_shard(pytester: pytest.Pytester, gpt5: Path) -> None:
    pytester.makeini(f"[pytest]\nsynthetic_dataset = {gpt5.name}\nsynthetic_shard = 2/2\n")
    from_ini = collected_ids(pytester)
    assert from_ini == collected_ids(pytester, "--synthetic-shard=2/2")
    assert from_ini != collected_ids(pytester, "--synthetic-shard=1/2")


def test_a_shard_parses_only_its_own_lines(gpt5: Path) -> None:
    lines, positions = shard.own_lines(gpt5, shard.Shard(2, 4))
    dataset = ParsedDataset(gpt5, DatasetSpec(), lines=lines, positions=positions)
    assert {r.line for r in dataset.records} == set(lines)
    assert 10 < len(dataset.records) < 40
    assert [p.node_name for p in dataset.parsed] == [lines[r.line] for r in dataset.records]
    assert dataset.records == ParsedDataset(gpt5, DatasetSpec(), lines=lines).records  # read by scanning


def test_an_entry_keeps_its_shard_when_others_change(gpt5: Path, tmp_path: Path) -> None:
    rows = gpt5.read_text().splitlines()
    before = {json.loads(r)["query_id"]: k for k in range(1, 5) for r in _own_rows(gpt5, rows, k)}
    edited = tmp_path / "synthetic_edited.jsonl"
    changed = [json.dumps({**json.loads(r), "query_text": "edited"}) if i % 10 == 0 else r for i, r in enumerate(rows)]
    edited.write_text("\n".join([*reversed(changed[5:]), json.dumps({**json.loads(rows[0]), "query_id": "new"})]))
    new_rows = edited.read_text().splitlines()
    after = {json.loads(r)["query_id"]: k for k in range(1, 5) for r in _own_rows(edited, new_rows, k)}
    moved = [q for q in before if q in after and before[q] != after[q]]
    assert len(after) == 96
    assert len(moved) <= 5, moved  # only where a preferred shard filled up


def _own_rows(path: Path, rows: list[str], index: int) -> list[str]:
    return [rows[line - 1] for line in shard.own_lines(path, shard.Shard(index, 4)).names]


def test_shards_carry_similar_estimated_costs(gpt5: Path) -> None:
    summaries, _ = shard.summarize(gpt5)
    for count in (2, 3, 4):
        loads = [0.0] * count
        shard_of = shard.assign(summaries, count)
        for _, line, _, cost in summaries:
            loads[shard_of[line] - 1] += cost
        share = sum(loads) / count
        assert max(loads) <= shard.SLACK * share + max(language.cold_cost for language in LANGUAGES) / 10, loads
        assert min(loads) >= share * 0.75, loads


def test_shard_one_judges_the_whole_dataset(pytester: pytest.Pytester, gpt5: Path) -> None:
    args = ("--synthetic-no-cache", "-rA", "-k", "dataset", gpt5.name, "--synthetic-size=120")
    whole = pytester.runpytest_subprocess(*args)
    first = pytester.runpytest_subprocess(*args, "--synthetic-shard=1/4")
    for result in (whole, first):
        result.stdout.fnmatch_lines(["*100 entries, expected 120*", "*Python 40/48, TypeScript 40/48*"])
        result.stdout.fnmatch_lines(["PASSED*dataset::ids", "PASSED*dataset::duplicates"])
        result.assert_outcomes(passed=2, failed=3)


# Lines where a fast JSON decoder could read another query_id than json does, or accept a line
# records.parse_line refuses: each must come out as parse_line reads it.
TRICKY_LINES = [
    b'{"query_id": "a", "metadata": {"language": "Python"}}',
    b'{"query_id": "first", "query_id": "last"}',  # a repeated key: the last one counts
    b'{"query\\u005fid": "escaped key"}',
    b'{"query_id": "\\ud800 lone surrogate"}',
    b'{"query_id": NaN}',
    b'{"query_id": 123456789012345678901234567890}',
    b'{"query_id": 1.5e999}',
    b'{"metadata": "not an object"}',
    b"[1, 2]",
    b'{"query_id": "trailing"} x',
    b'{"query_id": "\xff"}',
    b'{"query_id": "deep", "x": ' + b"[" * 70 + b"]" * 70 + b"}",
    b'{"query_id": "many brackets in text", "code": "' + b"{" * 70 + b'"}',
]


@pytest.mark.parametrize("data", TRICKY_LINES)
def test_the_light_reading_agrees_with_parse_line(data: bytes) -> None:
    full = parse_line(7, data).obj
    light = parse_light(7, data).obj
    if full is None:
        assert light is None
    else:
        assert light == {field: full.get(field) for field in LIGHT_FIELDS}
        assert type(light["query_id"]) is type(full.get("query_id"))


# Metadata a decoder that reads only the language could read otherwise than json does.
TRICKY_METADATA = [
    b'{"query_id": "m", "metadata": {"language": "Go", "language": "Rust"}}',
    b'{"query_id": "m", "metadata": {"lang\\u0075age": "Go"}}',
    b'{"query_id": "m", "metadata": {"language": "Go"}, "metadata": {"difficulty": "medium"}}',
    b'{"query_id": "m", "metadata": null}',
    b'{"query_id": "m", "metadata": ["Go"]}',
    b'{"query_id": "m", "metadata": {"language": 1e999}}',
    b'{"query_id": "m", "metadata": {"language": "\\ud800"}}',
    b'{"query_id": "m", "metadata": {"language": 123456789012345678901234567890}}',
    b'{"query_id": "m", "metadata": {"language": ["Go"], "x": NaN}}',
]


@pytest.mark.parametrize("data", TRICKY_LINES + TRICKY_METADATA)
def test_the_identity_read_for_the_assignment_agrees_with_parse_line(data: bytes) -> None:
    full = parse_line(7, data).obj
    found = read_identity(7, data)
    if full is None:
        assert found is None
        return
    metadata = full.get("metadata")
    language = metadata.get("language") if isinstance(metadata, dict) else None
    assert found == (full.get("query_id"), language)
    assert [type(value) for value in found] == [type(full.get("query_id")), type(language)]


def test_node_names_keep_safe_ids_and_tell_the_others_apart() -> None:
    ids = ["a", "_a_", "a.", "-a-", "a" * 120, "a" * 121, "line-2", "line-9", "é", "a", 5, NOT_AN_OBJECT, "dataset"]
    names = node_names(enumerate(ids, start=1))
    assert list(names.values()) == [
        *("a", "a.line-2", "a.line-3", "-a-", "a" * 120, "a" * 120 + ".line-6", "line-2.line-7"),
        *("line-9.line-8", "line-9.line-9", "a.line-10", "line-11", "line-12", "dataset.line-13"),
    ]


def test_each_line_lands_on_one_shard_under_its_unsharded_name(awkward: Path) -> None:
    with awkward.open("ab") as out:
        out.write(b"\n".join(TRICKY_LINES + TRICKY_METADATA) + b"\n")
    whole = {parsed.record.line: parsed.node_name for parsed in ParsedDataset(awkward, DatasetSpec()).parsed}
    parts = [shard.own_lines(awkward, shard.Shard(k, 3)).names for k in (1, 2, 3)]
    assert sum(len(part) for part in parts) == len(whole)
    assert {line: name for part in parts for line, name in part.items()} == whole


def test_the_counts_and_ids_read_lightly_equal_those_read_in_full(awkward: Path) -> None:
    with awkward.open("ab") as out:
        out.write(b"\n".join(TRICKY_LINES) + b"\n")
    spec = DatasetSpec(size=40)
    for name in sorted(set(DATASET_CHECKS) - READS_ENTRIES):
        light = run_dataset_check(name, iter_light_records(awkward), [], spec)
        full = run_dataset_check(name, iter_records(awkward), [], spec)
        assert light == full, name
        assert light.findings, name  # the awkward lines give every one of them something to say


def test_shard_one_takes_fewer_entries_for_its_dataset_wide_items() -> None:
    # entries as cheap as the dataset-wide work per line: that work alone nearly fills shard 1
    cost = shard.DATASET_COST_PER_LINE
    summaries = [(identity, line, f"q{line}", cost) for line, identity in enumerate(range(4000), 1)]
    counts = Counter(shard.assign(summaries, 2).values())
    assert counts[1] + counts[2] == 4000
    assert counts[1] < 0.4 * 4000 < 0.6 * 4000 < counts[2], counts


def test_a_file_read_in_parts_gives_what_one_reading_gives(awkward: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = awkward.read_bytes() + b"\r\n".join(TRICKY_LINES + TRICKY_METADATA) + b"\n\n  \n"
    data = b"\xef\xbb\xbf" + content  # a BOM before the first line
    awkward.write_bytes(data)
    one_reading = [shard.own_lines(awkward, shard.Shard(k, 3)) for k in (1, 2, 3)]
    monkeypatch.setattr(shard, "MIN_PART_BYTES", len(data) // 20)
    monkeypatch.setattr(forked, "processors", lambda: 7)
    parts = shard._parts(awkward)
    assert len(parts) == 7
    assert [start for _, start, _, _ in parts[1:]] == [end for _, _, end, _ in parts[:-1]]
    assert all(data[start - 1 : start] == b"\n" for _, start, _, _ in parts[1:])  # cut at line starts
    assert [shard.own_lines(awkward, shard.Shard(k, 3)) for k in (1, 2, 3)] == one_reading
    # and with the parts read by forked children (this xdist worker runs threads: it never forks)
    code = (
        "import json, sys; from pathlib import Path; from pytest_synthetic import forked, shard\n"
        f"shard.MIN_PART_BYTES = {len(data) // 20}; forked.processors = lambda: 7\n"
        "print(json.dumps([shard.own_lines(Path(sys.argv[1]), shard.Shard(k, 3)) for k in (1, 2, 3)]))"
    )
    done = subprocess.run([sys.executable, "-c", code, awkward], capture_output=True, check=True, timeout=60)
    as_json = json.loads(json.dumps([tuple(own) for own in one_reading]))  # its line numbers as text
    assert json.loads(done.stdout) == as_json
