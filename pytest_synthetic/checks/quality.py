"""`quality`: vague, placeholder or trivial entries that would make a worthless benchmark item."""

from __future__ import annotations

import re

import tree_sitter

from pytest_synthetic import languages
from pytest_synthetic.checks.consistency import normalised
from pytest_synthetic.languages.toolkit import text as node_text
from pytest_synthetic.languages.toolkit import walk
from pytest_synthetic.model import CheckResult, Entry, Finding, from_findings
from pytest_synthetic.spec import DatasetSpec
from pytest_synthetic.treesitter import captures, comments, defined_names, parse

CHECK = "quality"

_LANGUAGE_WORD_SET = frozenset(
    w.lower() for lang in languages.ALL for w in (lang.key, lang.name, *lang.aliases) if w.isalnum()
)
_LANGUAGE_WORDS = "|".join(sorted(re.escape(w) for w in _LANGUAGE_WORD_SET))
# func_11, typescriptFunc47, python_function_3, solution2, foo, f
GENERIC_NAME = re.compile(
    rf"^(?:(?:{_LANGUAGE_WORDS}|my|test|sample|example|generic|synthetic)_?)?"
    r"(?:func|function|fn|method|solution|solve|problem|task|challenge|test|example|sample|code|algo|algorithm)"
    r"_?\d*$|^(?:foo|bar|baz|qux|dummy|placeholder)\d*$|^[a-z]\d*$",
    re.IGNORECASE,
)
BOILERPLATE_QUESTION = re.compile(
    r"implements? an? (?:medium|advanced|very[ _]advanced|simple|basic|complex)[- ]level (?:algorithm|function|task)"
    r"|solves? (?:the|a|this) (?:given )?(?:problem|task)\b(?! of)"
    r"|performs? (?:the|a|some) (?:required|given|specified) (?:operation|task|computation)"
    r"|\b(?:placeholder (?:question|task|description|text)|to be (?:determined|defined))\b",
    re.IGNORECASE,
)
SPECIFIC_WORDS = 3  # words beyond the boilerplate that make a question say something
# Filler without a specification in it (always boilerplate, however long the question).
FILLER_QUESTION = re.compile(r"\blorem ipsum\b", re.IGNORECASE)
# Words that specify nothing: a boilerplate phrase is a finding only when the rest of the
# question is made of these ("solves the given problem efficiently, handling edge cases").
GENERIC_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "to",
        "in",
        "on",
        "for",
        "with",
        "by",
        "as",
        "at",
        "is",
        "are",
        "be",
        "it",
        "its",
        "this",
        "that",
        "which",
        "who",
        "should",
        "must",
        "can",
        "will",
        "write",
        "create",
        "implement",
        "implements",
        "define",
        "build",
        "make",
        "develop",
        "provide",
        "return",
        "returns",
        "returning",
        "function",
        "method",
        "program",
        "code",
        "solution",
        "algorithm",
        "named",
        "called",
        "name",
        "language",
        "using",
        "use",
        "uses",
        "efficient",
        "efficiently",
        "correct",
        "correctly",
        "proper",
        "properly",
        "appropriate",
        "optimal",
        "optimally",
        "robust",
        "clean",
        "given",
        "input",
        "inputs",
        "output",
        "outputs",
        "result",
        "results",
        "data",
        "structure",
        "structures",
        "edge",
        "case",
        "cases",
        "handle",
        "handles",
        "handling",
        "all",
        "any",
        "some",
        "required",
        "specified",
        "problem",
        "task",
        "operation",
        "computation",
        "level",
        "simple",
        "basic",
        "medium",
        "advanced",
        "very",
        "complex",
        "logic",
        "way",
        "approach",
    ]
)
TRAILER = re.compile(r"language\s*:.*$", re.IGNORECASE | re.DOTALL)
# Markers a comment carries in unfinished code: the tags as written, in upper case (a `todo`
# list is a task, a phone format "XXX-XXXX" is data), and template phrases in any case.
COMMENT_MARKER = re.compile(
    r"\b(?:TODO|FIXME|TBD)\b|^\W*XXX\b|(?i:your code (?:goes )?here|implement (?:me|this)\b|not (?:yet )?implemented)",
    re.MULTILINE,
)
# A stub in code: the template phrases anywhere in the reference, the rest only in the named
# function's own body (an abstract base method raising NotImplementedError, an HTTP "Not
# Implemented" status or a test expecting the exception are real code).
TEMPLATE_CODE = re.compile(r"your code (?:goes )?here|implement me\b", re.IGNORECASE)
STUB_CODE = re.compile(
    r"(?i:NotImplementedError|NotImplementedException)|\bunimplemented!|\btodo!|\?\?\?|\b(?:TODO|FIXME)\b"
    r"|(?i:\b(?:throw|raise|panic|abort|fail)\b[^\n]{0,40}not (?:yet )?implemented"  # a thrown "not implemented"
    r"|(?:error|exception)\s*\(\s*[\"'`]not (?:yet )?implemented)"
)
CHECK_LINE = re.compile(
    r"(?i)\b(?:assert\w*|check\w*|require\w*|expect\w*|precondition\w*|panic\w*|throw\w*|raise\w*|error\w*"
    r"|fatal\w*|fail\w*|unless|abort\w*|exitfailure|exitwith)\b"
    r"|[!=]==?|/=|\bne\b|\beq\b|\bif\s*\(?\s*!"  # comparisons, a negated condition
    r"|\bexit\w*\s*\(\s*[1-9]|\breturn\s+[1-9]\d*\s*;|\bexit\s+[1-9]"  # a failing exit status
    r"|\bdie\b|\b(?:is|isnt|is_deeply|ok|cmp_ok|like|unlike)\s*\("  # Perl's die and Test::More
)


def _is_comment(node: tree_sitter.Node) -> bool:
    return "comment" in node.type


def _code_leaves(node: tree_sitter.Node) -> list[tree_sitter.Node]:
    """Named leaves that are not comments (what a body really contains)."""
    leaves = []
    for child in walk(node):
        if child.child_count == 0 and child.is_named and not _is_comment(child):
            parent = child.parent
            if parent is not None and _is_comment(parent):
                continue
            leaves.append(child)
    return leaves


_BLANK = bytes(b if b == ord("\n") else ord(" ") for b in range(256))  # keeps line breaks


def _non_comment_lines(language: languages.Language, code: str) -> list[str]:
    """Source lines that hold code (comment nodes blanked out by tree-sitter)."""
    data = bytearray(code.encode("utf-8"))
    for node in comments(language, code):
        data[node.start_byte : node.end_byte] = data[node.start_byte : node.end_byte].translate(_BLANK)
    text = data.decode("utf-8", errors="replace")
    return [line for line in text.splitlines() if line.strip() and line.strip() not in {"<?php", "?>"}]


def _named_definitions(language: languages.Language, entry: Entry) -> list[tree_sitter.Node]:
    """The reference's definitions of the entry's function (or class), outermost node each."""
    root = parse(language, entry.reference_answer).root_node
    return [
        name_node.parent
        for name_node in captures(language, language.definitions_query, root)
        if node_text(name_node) == entry.function_name and name_node.parent is not None
    ]


def _is_type(definition: tree_sitter.Node) -> bool:
    return any(kind in definition.type for kind in ("class", "object", "struct"))


def _trivial_body(language: languages.Language, entry: Entry, named: list[tree_sitter.Node]) -> str | None:
    """Why the named function's body is trivial (identity, constant, empty), or None."""
    defined = None
    for definition in named:
        if _is_type(definition):
            return None
        body = definition.child_by_field_name("body") or definition.child_by_field_name("match")
        if body is None:
            return None
        leaves = _code_leaves(body)
        if len(leaves) <= 1:
            if defined is None:
                defined = defined_names(language, entry.reference_answer) - {entry.function_name}
            if any(node_text(leaf) in defined for leaf in leaves):
                return None  # it makes or hands over to something the reference defines (NewStack)
            shown = node_text(body).strip().replace("\n", " ")
            return f"the body of `{entry.function_name}` does nothing real: {shown[:80]}"
    return None


def _placeholder(language: languages.Language, entry: Entry, named: list[tree_sitter.Node]) -> Finding | None:
    """The first marker of unfinished code: in a comment, a template phrase, or a stub body."""
    for field, code in (("reference_answer", entry.reference_answer), ("assertions", entry.assertions)):
        for node in comments(language, code):
            if match := COMMENT_MARKER.search(text := node_text(node)):
                return _marker(field, code, node.start_point[0] + text[: match.start()].count("\n"))
    reference = entry.reference_answer
    if match := TEMPLATE_CODE.search(reference):
        return _marker("reference_answer", reference, reference[: match.start()].count("\n"))
    for definition in named:
        if not _is_type(definition) and (match := STUB_CODE.search(text := node_text(definition))):
            return _marker("reference_answer", reference, definition.start_point[0] + text[: match.start()].count("\n"))
    return None


def _marker(field: str, code: str, row: int) -> Finding:
    return Finding("placeholder marker", field, row + 1, excerpt=code.splitlines()[row].strip())


def _specifies_something(question: str, phrase: re.Match[str], function_name: str) -> bool:
    """Whether the question says more than its boilerplate phrase and generic words."""
    rest = question[: phrase.start()] + " " + question[phrase.end() :]
    rest = re.sub(re.escape(function_name), " ", rest, flags=re.IGNORECASE)
    words = {w.lower() for w in re.findall(r"[A-Za-z]+", rest)}
    return len(words - GENERIC_WORDS - _LANGUAGE_WORD_SET) >= SPECIFIC_WORDS


def check(entry: Entry, spec: DatasetSpec) -> CheckResult:
    language = languages.by_name(entry.language)
    findings = []
    if GENERIC_NAME.match(entry.function_name):
        findings.append(Finding(f"generic placeholder function name `{entry.function_name}`", "metadata.function_name"))
    question = TRAILER.sub("", entry.query_text)
    boilerplate = FILLER_QUESTION.search(question) or BOILERPLATE_QUESTION.search(question)
    if boilerplate and (
        boilerplate.re is FILLER_QUESTION or not _specifies_something(question, boilerplate, entry.function_name)
    ):
        findings.append(Finding(f"boilerplate question that describes nothing: {boilerplate.group(0)!r}", "query_text"))
    words = [w for w in re.findall(r"[A-Za-z]+", question) if normalised(w) != normalised(entry.function_name)]
    if len(words) < spec.min_question_words:
        findings.append(
            Finding(
                f"question too short to specify a task: {len(words)} words (minimum {spec.min_question_words})",
                "query_text",
                excerpt=question.strip()[:200],
            )
        )
    named = _named_definitions(language, entry)
    if (marker := _placeholder(language, entry, named)) is not None:
        findings.append(marker)
    if not _non_comment_lines(language, entry.reference_answer):
        findings.append(Finding("reference_answer is only comments", "reference_answer"))
    elif (why := _trivial_body(language, entry, named)) is not None:
        findings.append(Finding(why, "reference_answer"))
    assertion_lines = _non_comment_lines(language, entry.assertions)
    if not assertion_lines:
        findings.append(Finding("assertions are only comments: nothing is checked", "assertions"))
    else:
        checks = sum(1 for line in assertion_lines if CHECK_LINE.search(line))
        if checks < spec.min_assertion_checks:
            findings.append(
                Finding(
                    f"assertions check almost nothing: {checks} check(s), minimum {spec.min_assertion_checks}",
                    "assertions",
                )
            )
    return from_findings(CHECK, findings)
