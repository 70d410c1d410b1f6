"""The public benchmarks as (id, question, code) items, read from ../shared/benchmarks.

Only the index build and the tests read these files; the installed package never sees them.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class BenchmarkItem:
    source: str  # e.g. "humaneval"
    item_id: str  # e.g. "HumanEval/12"
    question: str
    code: str
    language: str  # the code's language as the plugin names it, "" when unknown


@dataclass(frozen=True)
class Source:
    name: str
    title: str
    files: tuple[str, ...]  # globs under the benchmarks folder
    version: str  # the commit of the source repository the files come from
    license_files: tuple[str, ...]  # under LICENSES/
    notice: str  # what the license asks to be shown with derived material
    read: Callable[[Path], Iterator[BenchmarkItem]]


def records(path: Path) -> list[dict[str, Any]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        if path.name.endswith(".json"):
            loaded = json.load(handle)
            return loaded if isinstance(loaded, list) else [loaded]
        return [json.loads(line) for line in handle if line.strip()]


def _humaneval(path: Path) -> Iterator[BenchmarkItem]:
    for r in records(path):
        yield BenchmarkItem("humaneval", r["task_id"], r["prompt"], r["prompt"] + r["canonical_solution"], "Python")


_HUMANEVAL_X_LANGUAGES = {
    "python": "Python",
    "cpp": "C++",
    "java": "Java",
    "js": "JavaScript",
    "go": "Go",
    "rust": "Rust",
}


def _humaneval_x(path: Path) -> Iterator[BenchmarkItem]:
    language = _HUMANEVAL_X_LANGUAGES[path.name.split("_")[1].split(".")[0]]
    for r in records(path):
        code = r.get("declaration", "") + r["canonical_solution"]
        yield BenchmarkItem("humaneval-x", f"HumanEval-X {r['task_id']}", r["prompt"], code, language)


def _mbpp(path: Path) -> Iterator[BenchmarkItem]:
    for r in records(path):
        if "text" in r:  # the original MBPP
            yield BenchmarkItem("mbpp", f"MBPP/{r['task_id']}", r["text"], r["code"], "Python")
        else:  # MBPP+
            number = str(r["task_id"]).split("/")[-1]
            yield BenchmarkItem("mbpp", f"MBPP+/{number}", r["prompt"], r["canonical_solution"], "Python")


MULTIPLE_WILDCARD = "*"  # stands for the language in a MultiPL-E id: the match names the entry's


def _multipl_e(path: Path) -> Iterator[BenchmarkItem]:
    """Prompts only: MultiPL-E has no canonical solutions (SandboxFusion's `gpt_solution` is one
    model's answer). The 18 translations of a problem share one item, named after the entry's
    language when it matches."""
    benchmark = path.stem.partition("-")[0]
    for r in records(path):
        yield BenchmarkItem("multipl-e", f"MultiPL-E {benchmark}-{MULTIPLE_WILDCARD} {r['name']}", r["prompt"], "", "")


def _bigcodebench(path: Path) -> Iterator[BenchmarkItem]:
    for r in records(path):
        code = r["code_prompt"] + r["canonical_solution"]
        yield BenchmarkItem("bigcodebench", r["task_id"], r["instruct_prompt"], code, "Python")


def _cruxeval(path: Path) -> Iterator[BenchmarkItem]:
    for r in records(path):  # code only: its tasks ask for an input or output, not a program
        yield BenchmarkItem("cruxeval", f"CRUXEval {r['id']}", "", r["code"], "Python")


def _classeval(path: Path) -> Iterator[BenchmarkItem]:
    for r in records(path):
        yield BenchmarkItem("classeval", r["task_id"], r["skeleton"], r["solution_code"], "Python")


_LEETCODE_BOILERPLATE = re.compile(r"\s*Please complete the following python code precisely.*", re.DOTALL)


def _leetcode(path: Path) -> Iterator[BenchmarkItem]:
    for r in records(path):
        number = r.get("question_id") or r.get("meta", {}).get("question_id", "")
        question = _LEETCODE_BOILERPLATE.sub("", r.get("problem_description") or r.get("query") or "")
        yield BenchmarkItem("leetcode", f"LeetCode {number} {r['task_id']}", question, r["completion"], "Python")


_MIT = "MIT License"
_APACHE = "Apache License 2.0"
SOURCES: tuple[Source, ...] = (
    Source(
        "humaneval",
        "HumanEval",
        ("humaneval/HumanEval.jsonl.gz",),
        "openai/human-eval@6d43fb980f9fee3c892a914eda09951f772ad10d",
        ("openai+human-eval.txt",),
        f"{_MIT}, Copyright (c) OpenAI (https://openai.com)",
        _humaneval,
    ),
    Source(
        "humaneval-x",
        "HumanEval-X",
        ("humaneval-x/*.jsonl.gz",),
        "THUDM/CodeGeeX@2838420b7b4492cf3d16bce5320e26e65960c9e2",
        ("THUDM+CodeGeeX.txt",),
        f"{_APACHE} (THUDM/CodeGeeX), derived from HumanEval (MIT, Copyright (c) OpenAI)",
        _humaneval_x,
    ),
    Source(
        "mbpp",
        "MBPP and MBPP+",
        ("mbpp/mbpp.jsonl", "mbpp/MbppPlus.jsonl"),
        "mbpp.jsonl sha256 ccf64cea (google-research); evalplus/evalplus@767efcc368e0ef16568bba4ee2f1b005e849e8a6",
        ("google-research+google-research.txt", "evalplus+evalplus.txt"),
        "MBPP: CC BY 4.0, Google Research; MBPP+: Apache License 2.0 (evalplus/evalplus)",
        _mbpp,
    ),
    Source(
        "multipl-e",
        "MultiPL-E",
        ("multipl-e/*.jsonl",),
        "bytedance/SandboxFusion@469de0845cb7d665bc68044d541aa3aa28c5b30a",
        ("nuprl+MultiPL-E.txt", "bytedance+SandboxFusion.txt"),
        "BSD-3-Clause with a Machine Learning Restriction, Copyright (c) 2022, Northeastern University, "
        "Oberlin College, Roblox Inc, Stevens Institute of Technology, University of Massachusetts Amherst, "
        "and Wellesley College; solutions from bytedance/SandboxFusion (Apache License 2.0)",
        _multipl_e,
    ),
    Source(
        "bigcodebench",
        "BigCodeBench",
        ("bigcodebench/*.jsonl.gz",),
        "bigcode-project/bigcodebench-annotation@a3b89850db670d7302571142b881e4f85eef18e3",
        ("bigcode-project+bigcodebench-annotation.txt",),
        _APACHE + " (bigcode-project/bigcodebench-annotation)",
        _bigcodebench,
    ),
    Source(
        "cruxeval",
        "CRUXEval",
        ("cruxeval/cruxeval.jsonl",),
        "facebookresearch/cruxeval@190faf16d175b5847b0af05d937872b1fb395942",
        ("facebookresearch+cruxeval.txt",),
        f"{_MIT}, Copyright (c) 2023 Meta",
        _cruxeval,
    ),
    Source(
        "classeval",
        "ClassEval",
        ("classeval/ClassEval_data.json",),
        "FudanSELab/ClassEval@eaeac44d0d5dcd8a95feec50726d66fedc73a98f",
        ("FudanSELab+ClassEval.txt",),
        f"{_MIT}, Copyright (c) 2023 NLP Group, Nanyang Technological University",
        _classeval,
    ),
    Source(
        "leetcode",
        "LeetCodeDataset",
        ("leetcode/*.jsonl.gz",),
        "newfacade/LeetCodeDataset@182cd19fd53161efd70a1ef074fe1056b659bfa3",
        ("newfacade+LeetCodeDataset.txt",),
        f"{_MIT}, Copyright (c) 2025 newfacade; problem statements from LeetCode",
        _leetcode,
    ),
)
SOURCE_NAMES = tuple(source.name for source in SOURCES)


def source_files(source: Source, root: Path) -> list[Path]:
    return sorted(path for pattern in source.files for path in root.glob(pattern))


def read_items(source: Source, root: Path) -> Iterator[BenchmarkItem]:
    for path in source_files(source, root):
        yield from source.read(path)


def metadata(source: Source, root: Path) -> dict[str, Any]:
    """What the index says about a source: no text of it besides its license."""
    files = {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in source_files(source, root)
    }
    license_text = "\n\n".join((root / "LICENSES" / name).read_text(encoding="utf-8") for name in source.license_files)
    return {
        "name": source.name,
        "title": source.title,
        "version": source.version,
        "files": files,
        "notice": source.notice,
        "license": license_text,
    }
