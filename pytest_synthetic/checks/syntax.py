"""`syntax`: tree-sitter parses the reference and the assertions without ERROR or MISSING nodes."""

from __future__ import annotations

from pytest_synthetic import languages
from pytest_synthetic.model import CheckResult, Entry, Finding, from_findings
from pytest_synthetic.treesitter import SyntaxProblem, syntax_problems

CHECK = "syntax"

def _problems(language: languages.Language, code: str, in_context: bool) -> list[SyntaxProblem]:
    offset = 0
    if language.opening is not None and language.opening not in code:
        code, offset = f"{language.opening}\n{code}", 1
    problems = syntax_problems(language, code)
    context = language.statement_context
    if problems and in_context and context is not None:
        prefix, suffix = context
        if language.statement_indent:
            code = "\n".join(language.statement_indent + line for line in code.splitlines())
        wrapped = syntax_problems(language, prefix + code + suffix)
        shift = prefix.count("\n")
        if len(wrapped) < len(problems) or not wrapped:
            problems = [
                SyntaxProblem(max(p.line - shift, 1), p.column, p.kind, p.text) for p in wrapped if p.line > shift
            ] or [SyntaxProblem(1, 1, p.kind, p.text) for p in wrapped]
    return [SyntaxProblem(max(p.line - offset, 1), p.column, p.kind, p.text) for p in problems]


def _finding(field: str, problem: SyntaxProblem) -> Finding:
    what = "missing token" if problem.kind == "missing" else "syntax error"
    return Finding(what, field, problem.line, problem.column, problem.text.rstrip())


def check(entry: Entry) -> CheckResult:
    language = languages.by_name(entry.language)
    findings = [_finding("reference_answer", p) for p in _problems(language, entry.reference_answer, False)]
    findings += [_finding("assertions", p) for p in _problems(language, entry.assertions, True)]
    return from_findings(CHECK, findings[:6])
