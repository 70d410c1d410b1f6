"""A one-line progress display on stderr (no dependency).

On a terminal the line is redrawn in place; otherwise (CI logs, pipes) a plain line is
printed every tenth of the way, so logs stay short. Notes are printed above the line.
"""

from __future__ import annotations

import threading
import time
from typing import TextIO

_BAR_WIDTH = 24


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"


class Progress:
    def __init__(self, stream: TextIO, total: int, *, enabled: bool = True) -> None:
        self.stream = stream
        self.total = total
        self.enabled = enabled
        self.tty = enabled and stream.isatty()
        self.done = 0
        self.rejected = 0
        self.in_flight = 0
        self.waiting = ""  # why the run is paused (a retry), shown until the next update
        self._start = time.monotonic()
        self._lock = threading.Lock()
        self._last_tenth = -1
        self._drawn = False

    def update(self, *, done: int, rejected: int, in_flight: int) -> None:
        with self._lock:
            if done != self.done:
                self.waiting = ""
            self.done, self.rejected, self.in_flight = done, rejected, in_flight
            self._draw()

    def note(self, text: str) -> None:
        with self._lock:
            if not self.enabled:
                return
            if self._drawn:
                self.stream.write("\r\033[K")
            self.stream.write(text + "\n")
            self._drawn = False
            self._draw()

    def wait(self, text: str) -> None:
        with self._lock:
            self.waiting = text
            if self.enabled and not self.tty:
                self.stream.write(text + "\n")  # logs get every wait, a terminal only the latest
                self.stream.flush()
            self._draw()

    def _line(self) -> str:
        elapsed = time.monotonic() - self._start
        share = self.done / self.total if self.total else 1.0
        filled = int(share * _BAR_WIDTH)
        bar = "#" * filled + "." * (_BAR_WIDTH - filled)
        eta = ""
        if 0 < self.done < self.total:
            eta = f", about {_clock(elapsed / self.done * (self.total - self.done))} left"
        text = (
            f"[{bar}] {self.done}/{self.total} accepted, {self.rejected} rejected, "
            f"{self.in_flight} in flight, {_clock(elapsed)}{eta}"
        )
        return text + (f" ({self.waiting})" if self.waiting else "")

    def _draw(self) -> None:
        if not self.enabled:
            return
        if self.tty:
            self.stream.write("\r\033[K" + self._line())
            self._drawn = True
        else:
            tenth = int(10 * self.done / self.total) if self.total else 10
            if tenth == self._last_tenth:
                return
            self._last_tenth = tenth
            self.stream.write(self._line() + "\n")
        self.stream.flush()

    def finish(self) -> None:
        with self._lock:
            if self._drawn:
                self.stream.write("\n")
                self.stream.flush()
                self._drawn = False
