"""forked.map_parts: the parts' results in order, wherever they were computed.

Each case runs in a fresh interpreter: a pytest-xdist worker runs threads of its own, and a
process with threads never forks."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

PRELUDE = """
import json, os, threading
from pytest_synthetic import forked
here = os.getpid()
def pid_and_square(number):
    return os.getpid() != here, number * number
"""


def _run(case: str) -> object:
    code = PRELUDE + textwrap.dedent(case)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    return json.loads(done.stdout)


def test_the_parts_after_the_first_run_in_children() -> None:
    results = _run("""
        results = forked.map_parts(pid_and_square, [1, 2, 3, 4])
        print(json.dumps(results))
    """)
    assert results == [[False, 1], [True, 4], [True, 9], [True, 16]]


def test_a_failing_child_leaves_its_part_to_this_process() -> None:
    results = _run("""
        def fails_in_a_child(number):
            if os.getpid() != here and number == 2:
                os._exit(3)  # dies without a word
            if os.getpid() != here:
                raise RuntimeError("only in a child")
            return -number
        print(json.dumps(forked.map_parts(fails_in_a_child, [1, 2, 3])))
    """)
    assert results == [-1, -2, -3]


def test_a_process_with_threads_does_not_fork() -> None:
    results = _run("""
        release = threading.Event()
        thread = threading.Thread(target=release.wait)
        thread.start()
        print(json.dumps(forked.map_parts(pid_and_square, [1, 2, 3])))
        release.set()
    """)
    assert results == [[False, 1], [False, 4], [False, 9]]


def test_an_error_here_ends_the_children_and_is_raised() -> None:
    results = _run("""
        def fails_here(number):
            if os.getpid() == here:
                raise ValueError("here")
            threading.Event().wait(60)  # a child still at work
        try:
            forked.map_parts(fails_here, [1, 2, 3])
        except ValueError as error:
            try:
                os.waitpid(-1, os.WNOHANG)
                left = "a child is left"
            except ChildProcessError:
                left = "no child left, running or not reaped"
            print(json.dumps([str(error), left]))
    """)
    assert results == ["here", "no child left, running or not reaped"]
