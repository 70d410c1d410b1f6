"""`quality`: vague, placeholder or trivial entries that would make a worthless benchmark item."""

from __future__ import annotations

import re

import tree_sitter

from pytest_synthetic import languages
from pytest_synthetic.checks.consistency import normalised
from pytest_synthetic.model import CheckResult, Entry, Finding, from_findings
from pytest_synthetic.spec import DatasetSpec
from pytest_synthetic.treesitter import captures, comments, node_text, parse, walk

CHECK = "quality"

_LANGUAGE_WORDS = "|".join(
    sorted({re.escape(w.lower()) for lang in languages.ALL for w in (lang.key, *lang.aliases) if w.isalnum()})
)
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
    r"|\b(?:lorem ipsum|placeholder|to be (?:determined|defined))\b",
    re.IGNORECASE,
)
TRAILER = re.compile(r"language\s*:.*$", re.IGNORECASE | re.DOTALL)
PLACEHOLDER_CODE = re.compile(
    r"\b(?:TODO|FIXME|XXX|TBD)\b|your code here|implement (?:me|this)|not implemented|NotImplementedError"
    r"|\bunimplemented!|\btodo!|NotImplementedException|\?\?\?",
    re.IGNORECASE,
)
CHECK_LINE = re.compile(
    r"(?i)\b(?:assert\w*|check|require|expect\w*|precondition|panic|throw|raise|error|fail\w*|unless)\b"
    r"|[!=]==?|/=|\bne\b|\beq\b"
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


def _trivial_body(language: languages.Language, entry: Entry) -> str | None:
    """Why the named function's body is trivial (identity, constant, empty), or None."""
    root = parse(language, entry.reference_answer).root_node
    for name_node in captures(language, language.definitions_query, root):
        if node_text(name_node) != entry.function_name or name_node.parent is None:
            continue
        definition = name_node.parent
        if "class" in definition.type or "object" in definition.type or "struct" in definition.type:
            return None
        body = definition.child_by_field_name("body") or definition.child_by_field_name("match")
        if body is None:
            return None
        leaves = _code_leaves(body)
        if len(leaves) <= 1:
            shown = node_text(body).strip().replace("\n", " ")
            return f"the body of `{entry.function_name}` does nothing real: {shown[:80]}"
    return None


def check(entry: Entry, spec: DatasetSpec) -> CheckResult:
    language = languages.by_name(entry.language)
    findings = []
    if GENERIC_NAME.match(entry.function_name):
        findings.append(Finding(f"generic placeholder function name `{entry.function_name}`", "metadata.function_name"))
    question = TRAILER.sub("", entry.query_text)
    boilerplate = BOILERPLATE_QUESTION.search(question)
    if boilerplate:
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
    for field, code in (("reference_answer", entry.reference_answer), ("assertions", entry.assertions)):
        for number, line in enumerate(code.splitlines(), start=1):
            if PLACEHOLDER_CODE.search(line):
                findings.append(Finding("placeholder marker", field, number, excerpt=line.strip()))
                break
    if not _non_comment_lines(language, entry.reference_answer):
        findings.append(Finding("reference_answer is only comments", "reference_answer"))
    elif (why := _trivial_body(language, entry)) is not None:
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
