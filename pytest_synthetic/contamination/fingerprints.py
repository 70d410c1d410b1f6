"""Fingerprints of questions (hashed word n-grams) and code (a MinHash sketch of token shingles).

Both sides of a comparison, the shipped index and an entry, go through these functions, so that
a copy yields the same hashes however its identifiers are named or its code is laid out.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass

QUESTION_WIDTH = 5  # words per n-gram
CODE_WIDTH = 5  # tokens per shingle
SKETCH_BINS = 64  # one-permutation MinHash bins
EMPTY_BIN = 0xFFFF  # a bin no shingle fell into
# code shorter than this is a one-liner anyone writes (`return a + b`, `[i ^ (i >> 1) for i in ...]`)
MIN_CODE_TOKENS = 30
MIN_STATEMENTS = 2  # lines that do something: not a declaration, a closing brace or a docstring
MIN_QUESTION_GRAMS = 4  # a question shorter than 8 words proves nothing

_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+")  # camelCase and snake_case split into words
# MultiPL-E rewrites "python" into "<language>thon" ("rsthon", "gothon"); entries name their language
_LANGUAGE_NAMES = (
    "python py java javascript js typescript ts go golang rust rs c cpp csharp cs kotlin kt scala swift "
    "ruby rb php haskell hs lua perl pl julia jl racket rkt bash sh shell r d"
)
_LANGUAGE_WORDS = frozenset(_LANGUAGE_NAMES.split())

# Code: comments go, strings fold to one token, identifiers fold to ID unless they are keywords,
# well-known library names or member names (renaming a variable does not hide a copy; the calls stay).
_CODE = re.compile(
    r"""(?P<comment>//[^\n]*|/\*.*?\*/|\#[^\n]*|--\s[^\n]*)
      |(?P<string>\"\"\"[\s\S]*?\"\"\"|'''[\s\S]*?'''|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\])*`)
      |(?P<name>[A-Za-z_$][A-Za-z0-9_$]*)
      |(?P<number>\d[\d_]*(?:\.\d+)?)
      |(?P<symbol>\S)
      |(?P<newline>\n)""",
    re.VERBOSE | re.DOTALL,
)
_KEYWORDS = (  # of the languages the plugin knows
    "abstract and as assert async await auto bool boolean break case catch char class const continue def "
    "default defer del delete do double elif else elsif end enum except extends false final finally "
    "float fn for foreach fun func function go if impl implements import in instanceof int interface is "
    "lambda let long loop map match mod module mut namespace new nil none not null object of or override "
    "package pass private protected pub public raise range return self static string struct super switch "
    "template then this throw throws trait true try type typedef typename unless until use using val var "
    "vec void when where while with yield"
)
_LIBRARY_NAMES = (  # whose use says what the code does
    "abs all any append sorted sort reverse reversed len length size sum min max count filter reduce zip "
    "enumerate split join strip lower upper replace push pop insert remove keys values items get set add "
    "contains find index substr substring slice charat tostring parseint math sqrt pow floor ceil round "
    "list dict tuple str print println printf fmt strings strconv ord chr isdigit isalpha heapq deque "
    "collections itertools functools re bisect hashmap hashset vector iter collect unwrap"
)
KEPT_NAMES = frozenset(_KEYWORDS.split() + _LIBRARY_NAMES.split())


@dataclass(frozen=True)
class Word:
    text: str  # lower case; a language's name is "lang"
    start: int  # where it is in the original text
    end: int


def words(text: str) -> list[Word]:
    found = []
    for match in _WORD.finditer(text):
        word = match.group().lower()
        if word in _LANGUAGE_WORDS or (word.endswith("thon") and len(word) > 4):
            word = "lang"
        found.append(Word(word, match.start(), match.end()))
    return found


def stable_hash(text: str) -> int:
    """32 bits, the same in every process and on every machine (the index is built elsewhere)."""
    return zlib.crc32(text.encode("utf-8"))


def question_grams(text: str) -> list[int]:
    """The hash of every run of QUESTION_WIDTH words, in order (the caller keeps the positions)."""
    return grams([w.text for w in words(text)], QUESTION_WIDTH)


def grams(tokens: Sequence[str], width: int) -> list[int]:
    return [stable_hash(" ".join(tokens[i : i + width])) for i in range(len(tokens) - width + 1)]


@dataclass(frozen=True)
class Tokens:
    texts: list[str]  # normalised
    spans: list[tuple[int, int]]  # where each one is in the code
    lines: list[int]  # the line each one starts on (a multi-line string or comment counts as one line)


def code_tokens(code: str) -> Tokens:
    tokens = Tokens([], [], [])
    texts, spans, lines = tokens.texts, tokens.spans, tokens.lines
    line = 0
    for match in _CODE.finditer(code):
        kind = match.lastgroup
        if kind == "newline":
            line += 1
            continue
        if kind == "comment":
            continue
        text = match[0]
        if kind == "string":
            text = "STR"
        elif kind == "name":
            # a member's name (`.push(`) stays: a renamed copy renames its variables, not the library's methods
            member = bool(texts) and texts[-1] == "."
            text = text.lower() if member or text.lower() in KEPT_NAMES else "ID"
        texts.append(text)
        spans.append(match.span())
        lines.append(line)
    return tokens


def sketch(shingles: Iterable[int], common: Container[int] = ()) -> tuple[int, ...]:
    """One-permutation MinHash: per bin (the shingle hash's low bits), the smallest remaining
    16 bits. Two sketches agree on a bin filled in both with probability about their Jaccard."""
    return tuple(sketch_with_origin(list(shingles), common)[0])


def sketch_with_origin(shingles: Sequence[int], common: Container[int] = ()) -> tuple[list[int], list[int]]:
    """The sketch of the shingles not in `common` (boilerplate every program has), and for each
    filled bin the position of the shingle that set it (-1: empty)."""
    smallest = [EMPTY_BIN] * SKETCH_BINS
    origin = [-1] * SKETCH_BINS
    for position, shingle in enumerate(shingles):
        if shingle in common:
            continue
        mixed = (shingle * 0x9E3779B1) & 0xFFFFFFFF  # spreads crc32's linear structure over the bits
        slot, value = mixed % SKETCH_BINS, min(mixed >> 16, EMPTY_BIN - 1)
        if value < smallest[slot]:
            smallest[slot], origin[slot] = value, position
    return smallest, origin


def code_shingles(tokens: Tokens) -> list[int]:
    """The hashes of the code's token shingles; none for code too short to be evidence of a copy."""
    if len(tokens.texts) < MIN_CODE_TOKENS or not has_statements(tokens, MIN_STATEMENTS):
        return []
    return grams(tokens.texts, CODE_WIDTH)


_OPENERS = frozenset({":", "{"})  # a line ending so declares (a function, a class, a loop header)
_CLOSERS = frozenset({"}", ")", "]", ";", "end", "STR"})  # a line of only these does nothing


def has_statements(tokens: Tokens, wanted: int) -> bool:
    """Whether `wanted` lines do something (`def f(a, b):`, `}` and a docstring do not)."""
    found = 0
    line: list[str] = []
    for index, text in enumerate(tokens.texts):
        line.append(text)
        last = index + 1 == len(tokens.texts) or tokens.lines[index + 1] != tokens.lines[index]
        if last:
            found += text not in _OPENERS and not set(line) <= _CLOSERS
            if found >= wanted:
                return True
            line = []
    return False


def filled_mask(sketch: Sequence[int]) -> int:
    """Bit i set when bin i is filled: two masks or-ed give the bins filled in either sketch."""
    return sum(1 << slot for slot, value in enumerate(sketch) if value != EMPTY_BIN)
