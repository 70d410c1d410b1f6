"""`consistency`: the question, the metadata and the code talk about the same function."""

from __future__ import annotations

import re

from pytest_synthetic import languages
from pytest_synthetic.model import CheckResult, Entry, Finding, from_findings
from pytest_synthetic.treesitter import defined_names, identifiers

CHECK = "consistency"


def normalised(name: str) -> str:
    """Case- and underscore-blind form, so `prefix_sum_matrix` matches `PrefixSumMatrix`."""
    return name.replace("_", "").lower()


def _mentions(text: str, word: str) -> bool:
    """The word appears on its own (not inside a longer identifier)."""
    return re.search(rf"(?<![\w$]){re.escape(word)}(?![\w$])", text, flags=re.IGNORECASE) is not None


def _names_language(text: str, language: languages.Language) -> bool:
    if language.name in {"C++", "C#"}:  # word boundaries do not work around + and #
        return language.name.lower() in text.lower()
    return any(_mentions(text, name) for name in (language.name, *language.aliases))


def check(entry: Entry) -> CheckResult:
    language = languages.by_name(entry.language)
    name = entry.function_name
    findings = []
    if not _names_language(entry.query_text, language):
        findings.append(Finding(f"query_text does not name the language {language.name}", "query_text"))
    if not _mentions(entry.query_text, name):
        findings.append(Finding(f"query_text does not name the function `{name}`", "query_text"))
    defined = defined_names(language, entry.reference_answer)
    if normalised(name) not in {normalised(d) for d in defined}:
        shown = ", ".join(sorted(defined)[:8]) or "nothing"
        findings.append(
            Finding(f"`{name}` is not defined in reference_answer (it defines: {shown})", "reference_answer")
        )
    wanted = normalised(name)
    # a use may be a call of the function itself, or of a class-style helper like NewMedianStream
    if not any(wanted in normalised(token) for token in identifiers(language, entry.assertions)):
        findings.append(Finding(f"the assertions never use `{name}`", "assertions"))
    return from_findings(CHECK, findings)
