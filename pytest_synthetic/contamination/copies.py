"""Made copies of benchmark items, as a model that reproduces a classic would write them: the
measurements in benchmarks/contamination.py and the tests run the check on these.

Each keeps the item's problem and changes its surface: identifiers renamed, code laid out
differently, the question reworded.
"""

from __future__ import annotations

import re

from pytest_synthetic.contamination.fingerprints import KEPT_NAMES

_NAME = re.compile(r"(?<![\w.$])[A-Za-z_][A-Za-z0-9_]*")
_COMMENT_OR_STRING = re.compile(r"//[^\n]*|#[^\n]*|\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*'")
# plain rewordings of the words benchmark questions use most
_REWORDINGS = {
    "write": "implement", "function": "routine", "given": "provided", "list": "sequence", "return": "produce",
    "returns": "produces", "number": "value", "numbers": "values", "find": "determine", "string": "text",
    "strings": "texts", "check": "test", "whether": "if", "array": "collection", "integer": "whole number",
    "integers": "whole numbers", "element": "item", "elements": "items", "each": "every", "the": "the",
    "all": "every one of the", "count": "tally", "sum": "total", "characters": "letters", "first": "initial",
    "you": "we", "are": "are being", "input": "argument", "output": "result", "example": "sample",
}  # fmt: skip
_REWORD = re.compile(r"\b(" + "|".join(sorted(_REWORDINGS, key=len, reverse=True)) + r")\b", re.IGNORECASE)
_EXAMPLE_LINE = re.compile(r"^.*(>>>|=>|Example|example|Input:|Output:).*$", re.MULTILINE)


def renamed(code: str) -> str:
    """Every identifier that is not a keyword or a library name gets a new name (`name` -> `v_name_2`);
    comments and strings stay as they are."""
    protected = [(m.start(), m.end()) for m in _COMMENT_OR_STRING.finditer(code)]

    def rename(match: re.Match[str]) -> str:
        name = match.group()
        inside = any(low <= match.start() < high for low, high in protected)
        if inside or name.lower() in KEPT_NAMES:
            return name
        return f"v_{name.lower()}_2"

    return _NAME.sub(rename, code)


def reformatted(code: str, language: str) -> str:
    """The same tokens laid out otherwise: spaces around operators, a blank line after each
    line, trailing spaces, a comment of one's own at the top."""
    spaced = re.sub(r"[ \t]*([=+\-*/<>,;])[ \t]*", r" \1 ", code)  # within lines: comments stay comments
    lines = [line.rstrip() + "  " for line in spaced.splitlines()]
    comment = "#" if language in {"Python", "Ruby"} else "//"
    return f"{comment} my own solution\n" + "\n\n".join(lines)


def paraphrased(question: str) -> str:
    """The question reworded: common words swapped for synonyms, examples dropped, sentences
    in the opposite order."""
    text = _EXAMPLE_LINE.sub("", question)
    text = _REWORD.sub(lambda m: _REWORDINGS[m.group().lower()], text)
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]
    return " ".join(reversed(sentences))
