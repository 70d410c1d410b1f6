"""Pure-Python work over parts of a large file, spread over the processors by forking.

The work is CPU-bound Python (decoding every line), which threads cannot share, and starting
fresh interpreters costs more than it saves. A forked child starts with everything already
imported, computes its part and sends the result back pickled. A process that runs other
threads is not forked (a child could inherit one of their locks held), nor is one without
fork; then, and whenever a child fails, its part is computed here: forking only ever changes
how long the work takes, never its result.
"""

from __future__ import annotations

import contextlib
import functools
import os
import pickle
import signal
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar, cast

Part = TypeVar("Part")
Result = TypeVar("Result")


def processors() -> int:
    """The processors this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _single_threaded() -> bool:
    try:
        return sum(1 for _ in Path("/proc/self/task").iterdir()) == 1  # C libraries' threads too
    except OSError:
        return threading.active_count() == 1


def map_parts(work: Callable[[Part], Result], parts: Sequence[Part]) -> list[Result]:
    """[work(part) for part in parts], the first part here and the others in forked children."""
    if len(parts) < 2 or not hasattr(os, "fork") or not _single_threaded():
        return [work(part) for part in parts]
    children = [_start(work, part) for part in parts[1:]]
    try:
        results = [work(parts[0])]
    except BaseException:  # an error here, or ^C: the children's work is not wanted
        for child in children:
            _abandon(child)
        raise
    for part, child in zip(parts[1:], children, strict=True):
        results.append(_finish(child, functools.partial(work, part)))
    return results


def _start(work: Callable[[Part], Result], part: Part) -> tuple[int, int] | None:
    """(pid, read end of its pipe) of a child computing work(part), or None if none started."""
    try:
        read, write = os.pipe()
        pid = os.fork()
    except OSError:
        return None
    if pid == 0:  # the child: never returns, never runs the parent's exit handlers
        status = 1
        try:
            os.close(read)
            with os.fdopen(write, "wb") as out:
                pickle.dump(work(part), out, protocol=pickle.HIGHEST_PROTOCOL)
            status = 0
        finally:
            os._exit(status)
    os.close(write)
    return pid, read


def _finish(child: tuple[int, int] | None, again: Callable[[], Result]) -> Result:
    """The child's result; when it failed, `again()` computes it here."""
    if child is None:
        return again()
    pid, read = child
    with os.fdopen(read, "rb") as stream:
        data = stream.read()  # read before waiting: a large result fills the pipe
    _, status = os.waitpid(pid, 0)
    if status != 0 or not data:
        return again()
    try:
        return cast(Result, pickle.loads(data))  # noqa: S301 -- written by our own child
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
        return again()


def _abandon(child: tuple[int, int] | None) -> None:
    if child is not None:
        pid, read = child
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.waitpid(pid, 0)
        os.close(read)
