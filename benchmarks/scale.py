"""Deterministic large datasets for the scale benchmarks.

`scaled_dataset` copies real entries under new ids and varies each copy's constants and
words, so that copies read as different problems (equal seeds give equal bytes).
`distinct_entries` makes problems that are all different from each other, the input on
which duplicate detection is measured on its own.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pytest_synthetic import languages
from pytest_synthetic.model import Entry

_NUMBER = re.compile(r"(?<![\w.])\d{1,6}(?![\w.])")
_WORD = re.compile(r"\b[a-z]{4,}\b")
_TOKEN = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*|\d+|\S")
_KEEP = {"language", "function", "name", "named", "write", "returns", "return"}
# Plain words to swap in: the questions stay readable, and two copies rarely agree.
_VOCABULARY_TEXT = (
    "amber basin cargo delta ember fable glade harbor island jungle kernel lantern meadow nectar orchard "
    "pebble quarry ribbon saddle timber umber valley walnut yonder zephyr anchor beacon canyon dune estuary "
    "falcon garnet hollow inlet juniper kestrel lagoon marble nimbus opal prairie quartz reef summit tundra "
    "upland vessel willow yarrow zenith arbor bramble cedar drift fjord geyser heron ivory jasper knoll lichen "
    "mesa nomad onyx pylon quill ridge sierra thicket umbra vapor wharf yeoman zinnia alloy bluff cobalt "
    "dingo egret fern grove hazel iris jetty kelp loam maple nettle oxbow pine quiver rowan sorrel tarn"
)
VOCABULARY = tuple(_VOCABULARY_TEXT.split())


def read_entries(paths: Iterable[Path]) -> list[dict[str, Any]]:
    """Every JSON object of the files, in order (bad lines are left out)."""
    found = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                value = json.loads(line)
            except ValueError:
                continue
            if isinstance(value, dict) and isinstance(value.get("metadata"), dict):
                found.append(value)
    return found


def _vary_numbers(text: str, shift: int) -> str:
    return _NUMBER.sub(lambda m: str(int(m.group(0)) + shift), text)


def _vary_words(text: str, protected: set[str], rng: random.Random) -> str:
    def swap(match: re.Match[str]) -> str:
        word = match.group(0)
        if word in protected or word in _KEEP or rng.random() > 0.35:
            return word
        return rng.choice(VOCABULARY)

    return _WORD.sub(swap, text)


def vary(entry: dict[str, Any], index: int, copy: int) -> dict[str, Any]:
    """Copy `copy` of an entry, as the `index`-th entry of the big dataset."""
    rng = random.Random(index)
    metadata = dict(entry["metadata"])
    language = languages.lookup(str(metadata.get("language", "")))
    protected = {str(metadata.get("function_name", "")).lower()}
    if language is not None:
        protected |= {w.lower() for w in (language.name, language.key, *language.aliases)}
    shift = copy * 7  # the constants differ from copy to copy, equally in code and assertions
    varied = dict(entry)
    varied["query_id"] = f"scale-{index:05d}"
    question = _vary_numbers(str(entry.get("query_text", "")), shift)
    # the trailer ("Language: ... Function name: ...") stays as it is
    head, sep, tail = question.partition("Language:")
    varied["query_text"] = _vary_words(head, protected, rng) + sep + tail
    for field in ("reference_answer", "assertions"):
        if isinstance(entry.get(field), str):
            varied[field] = _vary_numbers(entry[field], shift)
    varied["metadata"] = metadata
    return varied


def scaled_dataset(sources: list[dict[str, Any]], size: int) -> Iterator[dict[str, Any]]:
    for index in range(size):
        yield vary(sources[index % len(sources)], index, index // len(sources))


def write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    return count


def _chain(sequences: Iterable[list[str]], order: int) -> dict[tuple[str, ...], list[str]]:
    following: dict[tuple[str, ...], list[str]] = {}
    for sequence in sequences:
        for index in range(len(sequence) - order):
            following.setdefault(tuple(sequence[index : index + order]), []).append(sequence[index + order])
    return following


def _walk(chain: dict[tuple[str, ...], list[str]], length: int, rng: random.Random) -> list[str]:
    """A random text that reads locally like the sources (their common idioms stay common)."""
    starts = sorted(chain)
    state = rng.choice(starts)
    out = list(state)
    while len(out) < length:
        choices = chain.get(state)
        if not choices:
            state = rng.choice(starts)
            out.extend(state)
            continue
        out.append(rng.choice(choices))
        state = (*state[1:], out[-1])
    return out


def distinct_entries(sources: list[dict[str, Any]], size: int, seed: int = 7) -> list[Entry]:
    """Problems that are pairwise different but read like real ones (distinct_rows), as entries."""
    return [
        Entry(
            query_id=row["query_id"], query_text=row["query_text"], reference_answer=row["reference_answer"],
            assertions="", language=row["metadata"]["language"], function_name=row["metadata"]["function_name"],
            difficulty="medium", category="synthetic", complexity=0.5, line=index + 1, raw={},
        )
        for index, row in enumerate(distinct_rows(sources, size, seed))
    ]


def distinct_rows(sources: list[dict[str, Any]], size: int, seed: int = 7) -> Iterator[dict[str, Any]]:
    """Problems that are pairwise different but read like real ones, as dataset rows, one at a time.

    Code and questions are random walks over the real entries' token and word pairs (a
    Markov chain of order 2 and 1), numbers redrawn: idioms such as `return result ;` stay
    as common as in real datasets, while whole problems never repeat.
    """
    rng = random.Random(seed)
    code: dict[str, list[list[str]]] = {}
    words = []
    for source in sources:
        language = languages.lookup(str(source["metadata"].get("language", "")))
        if language is None or not isinstance(source.get("reference_answer"), str):
            continue
        code.setdefault(language.name, []).append(_TOKEN.findall(source["reference_answer"]))
        words.append(str(source.get("query_text", "")).partition("Language:")[0].split())
    code_chains = {name: _chain(sequences, 2) for name, sequences in code.items()}
    word_chain = _chain(words, 1)
    names = sorted(code_chains)
    for index in range(size):
        name = names[index % len(names)]
        tokens = _walk(code_chains[name], rng.randint(80, 300), rng)
        text = " ".join(str(rng.randint(0, 9999)) if t.isdigit() else t for t in tokens)
        question = " ".join(_walk(word_chain, rng.randint(20, 45), rng))
        question = _vary_words(_NUMBER.sub(lambda _: str(rng.randint(0, 999)), question), set(), rng)
        yield {
            "query_id": f"distinct-{index:05d}",
            "query_text": f"{question}. Language: {name}",
            "reference_answer": text,
            "assertions": f"check(f{index})",  # not empty, so the entry passes the schema
            "metadata": {"language": name, "function_name": f"f{index}", "difficulty": "medium",
                         "category": "synthetic", "complexity": 0.5},
        }


def independent_entries(size: int, seed: int = 11) -> list[Entry]:
    """Problems sharing no run of words or tokens: the best case, where only the work per entry grows."""
    rng = random.Random(seed)
    names = ("Python", "TypeScript", "Go", "Rust")
    entries = []
    for index in range(size):
        question = " ".join(f"{rng.choice(VOCABULARY)}{rng.randint(0, 99)}" for _ in range(rng.randint(20, 45)))
        tokens = (rng.choice(("x", "(", ")", "+", str(rng.randint(0, 10**6)))) for _ in range(rng.randint(80, 300)))
        code = " ".join(tokens)
        name = names[index % len(names)]
        entries.append(
            Entry(
                query_id=f"independent-{index:05d}", query_text=f"{question}. Language: {name}",
                reference_answer=code, assertions="", language=name, function_name=f"f{index}",
                difficulty="medium", category="synthetic", complexity=0.5, line=index + 1, raw={},
            )
        )
    return entries


def independent_rows(size: int, seed: int = 13) -> Iterator[dict[str, Any]]:
    """Dataset rows sharing no run of words or tokens, made fast enough for a million: words
    and code tokens are drawn from pools of 10,000, so runs of 3 words or 8 tokens rarely recur."""
    rng = random.Random(seed)
    words = [f"{rng.choice(VOCABULARY)}{n}" for n in range(10_000)]
    tokens = [*("x", "(", ")", "+", "-", "*", "return", "if"), *(str(n * 7919 % 10**6) for n in range(10_000))]
    names = ("Python", "TypeScript", "Go", "Rust", "Java", "C++")
    difficulties = ("medium", "advanced", "very_advanced")
    for index in range(size):
        name = names[index % len(names)]
        question = " ".join(rng.choices(words, k=rng.randint(12, 30)))
        yield {
            "query_id": f"independent-{index:07d}",
            "query_text": f"Write f{index} in {name}: {question}. Language: {name}",
            "reference_answer": " ".join(rng.choices(tokens, k=rng.randint(40, 160))),
            "assertions": f"check(f{index})",
            "metadata": {"language": name, "function_name": f"f{index}", "difficulty": difficulties[index % 3],
                         "category": "synthetic", "complexity": 0.5},
        }
