"""`contamination`: the entry's question or reference answer is a near-copy of a public benchmark
problem (or of the user's own references)."""

from __future__ import annotations

from pytest_synthetic.checks.context import CheckContext
from pytest_synthetic.contamination.index import Index
from pytest_synthetic.contamination.match import Match, code_matches, fingerprint, question_matches, shared_spans
from pytest_synthetic.contamination.settings import ContaminationSettings
from pytest_synthetic.model import CheckResult, Entry, Finding, Outcome, failed, passed

CHECK = "contamination"
MAX_MATCHES = 5  # listed in the details; the findings show the closest item of each part
EXCERPT_CONTEXT = 60  # characters shown around a shared passage
MAX_EXCERPT = 600
MAX_CODE_LINES = 20


def check(entry: Entry, context: CheckContext) -> CheckResult:
    settings = context.contamination
    if not settings.active:
        return CheckResult(CHECK, Outcome.SKIPPED, reason="no sources (--synthetic-contamination-sources none)")
    found = find(entry, settings)
    if not found:
        return passed(CHECK)
    closest: dict[str, tuple[Match, tuple[tuple[int, int], ...]]] = {}
    for match, spans in found:
        closest.setdefault(match.part, (match, spans))
    return failed(
        CHECK,
        [_finding(entry, match, spans) for match, spans in closest.values()],
        sources=sorted({match.source for match, _ in found}),
        matches=[
            {"source": m.source, "item": m.item_id, "part": m.part, "similarity": round(m.similarity, 3)}
            for m, _ in found[:MAX_MATCHES]
        ],
    )


def find(entry: Entry, settings: ContaminationSettings) -> list[tuple[Match, tuple[tuple[int, int], ...]]]:
    """Every benchmark item the entry copies, closest first, the first few with the shared passages;
    shipped sources not chosen are left out."""
    print_ = fingerprint(entry.query_text, entry.reference_answer, entry.language)
    found: list[tuple[Match, Index]] = []
    for number, index in enumerate(settings.indexes()):
        matches = question_matches(index, print_, settings.question_threshold)
        matches += code_matches(index, print_, settings.code_threshold)
        shipped = number == 0 and bool(settings.sources)
        found += [(m, index) for m in matches if not shipped or m.source in settings.sources]
    # among equals, the item in the entry's own language first (HumanEval-X Go/36 for a Go entry)
    found.sort(
        key=lambda pair: (
            -round(pair[0].similarity, 2),
            pair[0].language != entry.language,
            pair[0].part,
            pair[0].item_id,
        )
    )
    shown: set[str] = set()
    located = []
    for match, index in found:
        first = match.part not in shown
        shown.add(match.part)
        located.append((match, shared_spans(index, print_, match) if first else ()))
    return located


def _finding(entry: Entry, match: Match, spans: tuple[tuple[int, int], ...]) -> Finding:
    if match.part == "question":
        message = (
            f"copies the question of {match.item_id} ({match.source}): {match.similarity:.0%} of its "
            "5-word phrases are in it; write an original problem instead"
        )
        return Finding(message, "query_text", excerpt=marked(entry.query_text, spans))
    message = (
        f"copies the code of {match.item_id} ({match.source}): similarity {match.similarity:.2f} with "
        "identifiers normalised; write an original problem instead"
    )
    return Finding(message, "reference_answer", excerpt=marked_lines(entry.reference_answer, spans))


def marked(text: str, spans: tuple[tuple[int, int], ...]) -> str:
    """The entry's own text around the shared passages, each passage between [[ and ]]."""
    if not spans:
        return ""
    start = max(0, spans[0][0] - EXCERPT_CONTEXT)
    end = min(len(text), spans[-1][1] + EXCERPT_CONTEXT)
    pieces, at = [], start
    for low, high in spans:
        pieces += [text[at:low], "[[", text[low:high], "]]"]
        at = high
    pieces.append(text[at:end])
    excerpt = ("..." if start else "") + "".join(pieces) + ("..." if end < len(text) else "")
    return excerpt if len(excerpt) <= MAX_EXCERPT else excerpt[:MAX_EXCERPT] + "..."


def marked_lines(code: str, spans: tuple[tuple[int, int], ...]) -> str:
    """The entry's code from the first to the last line holding a shared passage, those lines
    marked with `>`."""
    lines = code.splitlines(keepends=True)
    starts = [sum(len(line) for line in lines[:i]) for i in range(len(lines))]
    shared = {
        i for i, start in enumerate(starts) for low, high in spans if low < start + len(lines[i]) and high > start
    }
    if not shared:
        return ""
    first, last = min(shared), min(max(shared), min(shared) + MAX_CODE_LINES - 1)
    return "".join(
        (("> " if i in shared else "  ") + lines[i].rstrip("\n") + "\n") for i in range(first, last + 1)
    ).rstrip("\n")
