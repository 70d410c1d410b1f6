"""What the user sees: the progress line and the closing summary."""

from __future__ import annotations

import io

from generator.progress import Progress
from generator.report import Stats, prices_for, summary


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_one_line_redrawn_in_place() -> None:
    stream = Terminal()
    progress = Progress(stream, 10)
    progress.update(done=3, rejected=1, in_flight=2)
    progress.wait("HTTP 429: slow down; retrying in 2.0s")
    progress.note("a note")
    progress.finish()
    text = stream.getvalue()
    assert "\r\033[K[#######.................] 3/10 accepted, 1 rejected, 2 in flight" in text
    assert "(HTTP 429: slow down; retrying in 2.0s)" in text
    assert "\r\033[Ka note\n" in text
    assert text.endswith("\n")


def test_a_log_gets_a_line_per_tenth_and_every_wait() -> None:
    stream = io.StringIO()
    progress = Progress(stream, 100)
    for done in range(1, 101):
        progress.update(done=done, rejected=0, in_flight=1)
    progress.wait("request timed out; retrying in 1.0s")
    lines = stream.getvalue().splitlines()
    assert len(lines) == 12  # 0%, 10%, ..., 100%, and the wait
    assert lines[-1] == "request timed out; retrying in 1.0s"
    assert "\r" not in stream.getvalue()


def test_quiet_prints_nothing() -> None:
    stream = Terminal()
    progress = Progress(stream, 5, enabled=False)
    progress.update(done=1, rejected=0, in_flight=0)
    progress.note("x")
    progress.finish()
    assert stream.getvalue() == ""


def test_the_summary_counts_rejections_tokens_and_cost() -> None:
    stats = Stats()
    stats.count("accepted")
    stats.reject(["execution", "quality"])
    stats.reject(["execution"])
    stats.count_reply(1_000_000, 500_000)
    stats.note_substitution("S003 Go/medium: used Go/advanced instead")
    text = summary(stats, target=10, in_file=4, unfilled=2, seconds=3.0, prices=(0.15, 0.6), backend="api")
    assert "accepted 1 new entries in 3.0s; the file holds 4 of 10" in text
    assert "2 slot(s) left unfilled" in text
    assert "rejected candidates by failed check: execution 2, quality 1" in text
    assert "tokens: 1,000,000 in, 500,000 out; estimated cost $0.4500" in text
    assert "S003 Go/medium: used Go/advanced instead" in text


def test_prices_come_from_flags_or_the_known_list() -> None:
    assert prices_for("gpt-4o-mini", None, None) == (0.15, 0.60)
    assert prices_for("gpt-4o-mini", 1.0, None) == (1.0, 0.0)
    assert prices_for("my-local-model", None, None) is None
