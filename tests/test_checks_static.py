"""The static checks on small real entries: each one can fail, and says where."""

from __future__ import annotations

import copy
import dataclasses
import itertools
import random
from pathlib import Path
from typing import Any

import pytest

from pytest_synthetic.checks import consistency, quality, schema, syntax
from pytest_synthetic.checks import dataset as dataset_checks
from pytest_synthetic.checks.dataset import check_duplicates, check_ids, check_languages, duplicate_pairs
from pytest_synthetic.model import Entry, Outcome
from pytest_synthetic.records import Record, read_records
from pytest_synthetic.spec import DatasetSpec, build_spec

GOOD: dict[str, Any] = {
    "query_id": "q-001",
    "query_text": "Write a Python function named `count_vowels` that returns how many vowels (a, e, i, o, u, "
    "either case) a string contains. Language: Python. Function name: count_vowels",
    "reference_answer": (
        "def count_vowels(text: str) -> int:\n    return sum(1 for ch in text.lower() if ch in 'aeiou')\n"
    ),
    "assertions": "assert count_vowels('') == 0\nassert count_vowels('AbE') == 2\nassert count_vowels('xyz') == 0\n",
    "metadata": {
        "language": "python",
        "function_name": "count_vowels",
        "difficulty": "medium",
        "category": "strings",
        "complexity": 0.3,
    },
}


def make(**changes: Any) -> dict[str, Any]:
    obj = copy.deepcopy(GOOD)
    for key, value in changes.items():
        if key in obj["metadata"]:
            obj["metadata"][key] = value
        else:
            obj[key] = value
    return obj


def entry(obj: dict[str, Any], line: int = 1) -> Entry:
    result = schema.check_object(obj)
    built = schema.to_entry(Record(line, "", obj), result)
    assert built is not None, result.render()
    return built


def test_schema_accepts_good_entry_and_canonicalises_language() -> None:
    assert schema.check_object(GOOD).outcome is Outcome.PASSED
    assert entry(GOOD).language == "Python"


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"difficulty": "hard"}, "metadata.difficulty: 'hard' is not one of"),
        ({"complexity": 1.5}, "metadata.complexity: 1.5 is greater than the maximum of 1"),
        ({"complexity": 1e999}, "finite"),
        ({"language": "Cobol"}, "unknown language 'Cobol'"),
        ({"function_name": "rm -rf"}, "metadata.function_name"),
        ({"query_id": "../etc/passwd"}, "query_id"),
        # JSON Schema's `$` is the end of the text: a trailing newline is outside the pattern
        ({"query_id": "q-001\n"}, "query_id"),
        ({"function_name": "count_vowels\n"}, "metadata.function_name"),
        ({"assertions": "   "}, "assertions: is blank"),
    ],
)
def test_schema_names_the_field(changes: dict[str, Any], expected: str) -> None:
    result = schema.check_object(make(**changes))
    assert result.outcome is Outcome.FAILED
    assert expected in result.render()


@pytest.mark.parametrize(
    ("pattern", "text", "matches"),
    [
        ("^[a-z]+$", "abc", True),
        ("^[a-z]+$", "abc\n", False),
        ("^[a-z$]+$", "a$b", True),  # a `$` in a class is a character
        (r"^a\$$", "a$", True),  # an escaped one too
        (r"^a\$$", "a$\n", False),
    ],
)
def test_schema_patterns_end_where_json_schema_says(pattern: str, text: str, matches: bool) -> None:
    assert (schema.ecma_pattern(pattern).search(text) is not None) is matches


def test_schema_reports_missing_fields() -> None:
    obj = make()
    del obj["metadata"]["category"]
    del obj["assertions"]
    text = schema.check_object(obj).render()
    assert "'assertions' is missing" in text
    assert "metadata: 'category' is missing" in text


@pytest.mark.parametrize("alias", ["TS", "typescript", "c#", "CSharp", "cpp", "C++", "golang", "Go"])
def test_language_aliases(alias: str) -> None:
    assert schema.check_object(make(language=alias)).outcome is Outcome.PASSED


def test_consistency_passes_and_fails_with_reasons() -> None:
    assert consistency.check(entry(GOOD)).outcome is Outcome.PASSED
    bad = make(
        query_text="Count the vowels of a string, in Ruby please, quickly and exactly.",
        assertions="assert len('abc') == 3",
    )
    text = consistency.check(entry(bad)).render()
    assert "does not name the language Python" in text
    assert "does not name the function `count_vowels`" in text
    assert "the assertions never use `count_vowels`" in text
    renamed = make(reference_answer="def vowels(text):\n    return 0\n")
    assert (
        "`count_vowels` is not defined in reference_answer (it defines: vowels)"
        in consistency.check(entry(renamed)).render()
    )


def test_consistency_accepts_class_style_names() -> None:
    obj = make(
        function_name="lru_cache_store",
        query_text="Write a Python class `lru_cache_store` for an LRU cache with get and put. "
        "Language: Python. Function name: lru_cache_store",
        reference_answer="class LruCacheStore:\n    def get(self, k):\n        return k\n",
        assertions="c = LruCacheStore()\nassert c.get(1) == 1\n",
    )
    assert consistency.check(entry(obj)).outcome is Outcome.PASSED


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"function_name": "python_func_11"}, "generic placeholder function name"),
        ({"function_name": "typescriptFunc47"}, "generic placeholder function name"),
        (
            {
                "query_text": "Write a Python function named `count_vowels` that implements a advanced level "
                "algorithm. "
                "Language: Python. Function name: count_vowels"
            },
            "boilerplate question",
        ),
        ({"query_text": "Implement count_vowels. Language: Python. Function name: count_vowels"}, "too short"),
        ({"reference_answer": "def count_vowels(text):\n    return text\n"}, "does nothing real"),
        ({"reference_answer": "def count_vowels(text):\n    return 0\n"}, "does nothing real"),
        ({"reference_answer": "def count_vowels(text):\n    pass  # fill in\n"}, "does nothing real"),
        ({"reference_answer": "# def count_vowels(text):\n#    return 1\n"}, "only comments"),
        ({"assertions": "# assert count_vowels('a') == 1\n"}, "assertions are only comments"),
        ({"assertions": "count_vowels('abc')\n"}, "check almost nothing"),
        (
            {"reference_answer": "def count_vowels(text):\n    # TODO: real logic\n    return len(text) - 1\n"},
            "placeholder marker",
        ),
    ],
)
def test_quality_failures(changes: dict[str, Any], expected: str) -> None:
    result = quality.check(entry(make(**changes)), DatasetSpec())
    assert result.outcome is Outcome.FAILED
    assert expected in result.render()


def test_quality_passes_a_real_entry() -> None:
    assert quality.check(entry(GOOD), DatasetSpec()).outcome is Outcome.PASSED


def test_quality_trivial_body_in_a_braced_language() -> None:
    obj = make(
        language="Go",
        function_name="Clamp",
        query_text="Write a Go function named `Clamp` that limits an integer to the closed range [lo, hi]. "
        "Language: Go. Function name: Clamp",
        reference_answer="package main\n\nfunc Clamp(x, lo, hi int) int {\n\treturn x\n}\n",
        assertions='if Clamp(5, 0, 3) != 3 { panic("clamp") }',
    )
    assert "does nothing real" in quality.check(entry(obj), DatasetSpec()).render()


TODO_APP = """class Todo:
    def __init__(self, title):
        self.title = title
        self.done = False


def add_todo(todos, title):
    \"\"\"Append a new todo; phone numbers look like (XXX) XXX-XXXX.\"\"\"
    todo = Todo(title)
    return [*todos, todo]
"""
SHAPES = """class Shape:
    def area(self):
        raise NotImplementedError


class Square(Shape):
    def __init__(self, side):
        self.side = side

    def area(self):
        return self.side * self.side


def total_area(shapes):
    return sum(shape.area() for shape in shapes)
"""


@pytest.mark.parametrize(
    "changes",
    [
        {  # a to-do list task, a data format in a docstring
            "function_name": "add_todo",
            "query_text": "Write a Python function `add_todo` that appends a new open Todo with the given title to "
            "a list of todos without changing the original list. Language: Python. Function name: add_todo",
            "reference_answer": TODO_APP,
            "assertions": "todos = add_todo([], 'milk')\nassert todos[0].title == 'milk' and not todos[0].done\n",
        },
        {  # an abstract base method, and assertions that expect the exception
            "function_name": "total_area",
            "query_text": "Write a Python function `total_area` that sums the areas of a list of Shape objects "
            "(squares). Language: Python. Function name: total_area",
            "reference_answer": SHAPES,
            "assertions": "import pytest\nassert total_area([Square(2)]) == 4\n"
            "with pytest.raises(NotImplementedError):\n    Shape().area()\n",
        },
        {  # an HTTP status text is data
            "function_name": "reason_phrase",
            "query_text": "Write a Python function `reason_phrase` that maps HTTP status codes 200, 404 and 501 to "
            "their reason phrases. Language: Python. Function name: reason_phrase",
            "reference_answer": "def reason_phrase(code):\n    return {200: 'OK', 404: 'Not Found', "
            "501: 'Not Implemented'}.get(code, 'Unknown')\n",
            "assertions": "assert reason_phrase(501) == 'Not Implemented'\nassert reason_phrase(1) == 'Unknown'\n",
        },
        {  # boilerplate words inside a question that specifies the task
            "query_text": "Write a Python function named `count_vowels` that takes a string and an alphabet "
            "flag and performs the specified operation: counting the vowels a, e, i, o, u. "
            "Language: Python. Function name: count_vowels",
        },
        {
            "query_text": "Write a Python function `count_vowels` that replaces nothing but counts each vowel; "
            "the placeholder `{{name}}` in a template counts too. Use dynamic programming to solve the problem "
            "in O(n) time. Language: Python. Function name: count_vowels",
        },
    ],
)
def test_quality_passes_real_code_that_mentions_markers(changes: dict[str, Any]) -> None:
    result = quality.check(entry(make(**changes)), DatasetSpec())
    assert result.outcome is Outcome.PASSED, result.render()


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"reference_answer": "def count_vowels(text):\n    raise NotImplementedError('vowels')\n"},
         "reference_answer:2: placeholder marker"),
        ({"reference_answer": "def count_vowels(text):\n    return len(text)  # your code here\n"},
         "reference_answer:2: placeholder marker"),
        ({"assertions": "assert count_vowels('a') == 1\n# FIXME: more cases\n"}, "assertions:2: placeholder marker"),
        ({"query_text": "Write a Python function named `count_vowels` that solves the given problem efficiently "
                        "using appropriate data structures and handles edge cases properly. Language: Python. "
                        "Function name: count_vowels"}, "boilerplate question"),
        ({"query_text": "Write a Python function named `count_vowels`: lorem ipsum dolor sit amet, consectetur "
                        "adipiscing elit. Language: Python. Function name: count_vowels"}, "boilerplate question"),
    ],
)
def test_quality_flags_markers_where_they_mean_unfinished(changes: dict[str, Any], expected: str) -> None:
    result = quality.check(entry(make(**changes)), DatasetSpec())
    assert result.outcome is Outcome.FAILED
    assert expected in result.render(), result.render()


@pytest.mark.parametrize(
    ("language", "assertions"),
    [
        ("Go", "got := Clamp(5, 0, 3)\nif !reflect.DeepEqual(got, 3) {\n\tt.Errorf(\"got %v\", got)\n}"),
        ("Go", "if !slices.Equal(Sorted(), want) {\n\tlog.Fatalf(\"bad\")\n}"),
        ("C++", "int main() {\n    if (!isLeap(2000)) return 1;\n}"),
        ("C#", "if (!IsLeap(2000)) Environment.Exit(1);"),
        ("Haskell", "main = if and results then putStrLn \"OK\" else exitFailure"),
    ],
)
def test_quality_counts_checks_written_without_assert_words(language: str, assertions: str) -> None:
    lines = [line for line in assertions.splitlines() if quality.CHECK_LINE.search(line)]
    assert lines, assertions


def test_quality_a_constructor_that_makes_a_defined_type_is_not_trivial() -> None:
    obj = make(
        language="Go",
        function_name="NewMinStack",
        query_text="Write a Go constructor `NewMinStack` for a stack that reports its minimum in constant time. "
        "Language: Go. Function name: NewMinStack",
        reference_answer="package main\n\ntype MinStack struct{ items, mins []int }\n\n"
        "func NewMinStack() *MinStack {\n\treturn &MinStack{}\n}\n\n"
        "func (s *MinStack) Push(x int) {\n\ts.items = append(s.items, x)\n}\n",
        assertions="s := NewMinStack()\ns.Push(1)\nif len(s.items) != 1 { panic(\"push\") }",
    )
    assert quality.check(entry(obj), DatasetSpec()).outcome is Outcome.PASSED
    obj["reference_answer"] = "package main\n\nfunc NewMinStack() int {\n\treturn 0\n}\n"
    assert "does nothing real" in quality.check(entry(obj), DatasetSpec()).render()


def test_syntax_reports_field_line_and_column() -> None:
    obj = make(reference_answer="def count_vowels(text):\n    return sum(1 for c in text if c in 'aeiou'\n")
    result = syntax.check(entry(obj))
    assert result.outcome is Outcome.FAILED
    first = result.findings[0]
    assert first.field == "reference_answer"
    assert first.line is not None
    assert first.line >= 2
    assert first.column is not None
    assert "reference_answer:" in result.render()


def test_syntax_parses_statement_assertions_in_their_context() -> None:
    go = make(
        language="Go",
        function_name="Add",
        reference_answer="package main\n\nfunc Add(a, b int) int { return a + b }\n",
        assertions='if Add(1, 2) != 3 { panic("add") }\nif Add(-1, 1) != 0 { panic("add") }',
    )
    assert syntax.check(entry(go)).outcome is Outcome.PASSED
    broken = make(
        language="Go",
        function_name="Add",
        reference_answer="package main\n\nfunc Add(a, b int) int { return a + b }\n",
        assertions='if Add(1, 2) != 3 { panic("add") \nx := := 2',
    )
    result = syntax.check(entry(broken))
    assert result.outcome is Outcome.FAILED
    assert any(f.field == "assertions" and f.line is not None for f in result.findings)


def test_php_without_open_tag_is_still_parsed() -> None:
    php = make(
        language="PHP",
        function_name="add",
        reference_answer="function add($a, $b) { return $a + $b; }",
        assertions="if (add(1, 2) !== 3) { throw new Exception('x'); }",
    )
    assert syntax.check(entry(php)).outcome is Outcome.PASSED
    broken = make(language="PHP", function_name="add", reference_answer="function add($a, $b) { return $a + ; }")
    assert syntax.check(entry(broken)).outcome is Outcome.FAILED


def _records(objs: list[dict[str, Any]]) -> list[Record]:
    return [Record(i, "", o) for i, o in enumerate(objs, start=1)]


def test_ids_reports_both_lines_of_a_duplicate() -> None:
    text = check_ids(_records([make(), make(), make(query_id="ok")])).render()
    assert "query_id 'q-001' is used 2 times, on lines 1, 2" in text


def test_languages_names_every_bucket_that_is_off() -> None:
    spec = build_spec({"language_quotas": "Python=2,Go=1,other=1"})
    records = _records([make(), make(language="Go"), make(language="Go"), make(language="Kotlin")])
    result = check_languages(records, spec)
    assert result.outcome is Outcome.FAILED
    assert "language Python: 1, expected 2" in result.render()
    assert "language Go: 2, expected 1" in result.render()
    assert "other: Kotlin 1" in result.render()


def test_exact_and_near_duplicates_are_named() -> None:
    near = make(query_id="q-002", query_text=GOOD["query_text"].replace("how many", "the number of"))
    renamed = make(query_id="q-003", reference_answer=GOOD["reference_answer"].replace("text", "s"))
    other = make(
        query_id="q-004",
        function_name="reverse_words",
        query_text="Write a Python function named `reverse_words` that reverses the order of words "
        "separated by single spaces. Language: Python. Function name: reverse_words",
        reference_answer="def reverse_words(s):\n    return ' '.join(reversed(s.split(' ')))\n",
    )
    entries = [entry(o, i) for i, o in enumerate([GOOD, near, renamed, other], start=1)]
    pairs = {(a.query_id, b.query_id) for a, b, _ in duplicate_pairs(entries, 0.6)}
    assert ("q-001", "q-003") in pairs  # identifiers renamed only: the same problem
    assert ("q-001", "q-002") in pairs
    assert not any("q-004" in pair for pair in pairs)
    assert "similarity" in check_duplicates(entries, DatasetSpec(near_duplicate_threshold=0.6)).render()


def test_real_datasets_have_no_false_duplicates(shared_datasets: Path) -> None:
    records = read_records(shared_datasets / "synthetic_gpt5.jsonl")
    entries = [e for r in records if r.obj and (e := schema.to_entry(r, schema.check_object(r.obj)))]
    assert len(entries) == 100
    assert check_duplicates(entries, DatasetSpec()).outcome is Outcome.PASSED


def test_spec_scales_with_size() -> None:
    spec = build_spec({"size": "500"})
    assert spec.language_quotas == {"Python": 200, "TypeScript": 200, "Go": 35, "Rust": 15, "other": 50}
    assert sum(spec.difficulty_quotas.values()) == 500
    mixed = build_spec({"size": "20", "language_quotas": "Python=20"})
    assert mixed.language_quotas == {"Python": 20}
    assert mixed.difficulty_quotas == {"medium": 7, "advanced": 7, "very_advanced": 6}
    with pytest.raises(ValueError, match="NAME=COUNT"):
        build_spec({"language_quotas": "Python"})


def test_consistency_finds_typescript_generator_functions() -> None:
    obj = make(
        language="TypeScript",
        function_name="mergeStreams",
        query_text="Write a TypeScript async generator `mergeStreams` that interleaves several async iterables. "
        "Language: TypeScript. Function name: mergeStreams",
        reference_answer="export async function* mergeStreams<T>(streams: AsyncIterable<T>[]) {\n"
        "  for (const s of streams) { yield* s; }\n}",
        assertions="(async () => { for await (const v of mergeStreams([])) throw new Error(String(v)); })();",
    )
    assert consistency.check(entry(obj)).outcome is Outcome.PASSED


def test_jaccard_and_its_size_bound_agree_with_the_set_definition() -> None:
    rng = random.Random(7)
    for _ in range(300):
        a = frozenset(rng.sample(range(60), rng.randint(0, 40)))
        b = frozenset(rng.sample(range(60), rng.randint(0, 40)))
        expected = len(a & b) / len(a | b) if a | b else 1.0
        assert dataset_checks.jaccard(a, b) == pytest.approx(expected)
        for threshold in (0.3, 0.85):
            if expected >= threshold:  # the bound never drops a pair that reaches the threshold
                assert dataset_checks._could_reach(a, b, threshold)


def test_near_duplicates_found_match_an_all_pairs_comparison(shared_datasets: Path) -> None:
    """Real entries and lightly edited copies of them: the sketch-based search finds every pair
    that comparing all pairs finds (a pair of edited copies is rarely below the threshold)."""
    records = read_records(shared_datasets / "synthetic_gpt5.jsonl")
    originals = [e for r in records if r.obj and (e := schema.to_entry(r, schema.check_object(r.obj)))]
    rng = random.Random(3)
    copies = []
    for index, original in enumerate(originals):
        words = original.query_text.split()
        words[rng.randrange(len(words))] = "slightly"
        copies.append(dataclasses.replace(original, query_id=f"copy-{index}", line=1000 + index,
                                          query_text=" ".join(words)))
    entries = originals + copies
    prints = [dataset_checks.fingerprint(e) for e in entries]
    for threshold in (0.6, 0.85):
        expected = set()
        for a, b in itertools.combinations(prints, 2):
            first, second = a.entry, b.entry
            if first.language != second.language:
                continue
            if a.exact_key != b.exact_key and dataset_checks.jaccard(a.shingles, b.shingles) >= threshold:
                expected.add((first.line, second.line))
        found = {(a.line, b.line) for a, b, sim in duplicate_pairs(entries, threshold) if sim < 1.0}
        assert len(expected) >= len(originals) // 2  # the copies are there to be found
        assert found == expected
