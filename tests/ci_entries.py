"""Entries for the CI-gate tests: one good, one whose assertion fails, one in Swift.

Debian has no Swift toolchain, so the Swift entry passes every static check and its execution
is skipped: the case the summaries must show as "not executed".
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import test_plugin

GOOD: dict[str, Any] = {**test_plugin.GOOD, "query_id": "vowels-001"}
FAILING: dict[str, Any] = {
    **GOOD,
    "query_id": "digits-002",
    "query_text": "Write a Python function named `digit_sum` that returns the sum of the decimal digits of a "
    "non-negative integer. Language: Python. Function name: digit_sum",
    "reference_answer": "def digit_sum(n: int) -> int:\n    return sum(int(d) for d in str(n))\n",
    "assertions": "assert digit_sum(0) == 0\nassert digit_sum(12) == 3\nassert digit_sum(999) == 26\n",
    "metadata": {**GOOD["metadata"], "function_name": "digit_sum", "difficulty": "advanced", "category": "math"},
}
SWIFT: dict[str, Any] = {
    "query_id": "fib-003",
    "query_text": "Write a Swift function named `fibonacci` that returns the n-th Fibonacci number, with "
    "fibonacci(0) = 0 and fibonacci(1) = 1. Language: Swift. Function name: fibonacci",
    "reference_answer": "func fibonacci(_ n: Int) -> Int {\n    if n <= 1 { return n }\n"
    "    return fibonacci(n - 1) + fibonacci(n - 2)\n}\n",
    "assertions": "precondition(fibonacci(0) == 0)\nprecondition(fibonacci(1) == 1)\n"
    "precondition(fibonacci(10) == 55)\n",
    "metadata": {
        "language": "Swift",
        "function_name": "fibonacci",
        "difficulty": "very_advanced",
        "category": "recursion",
        "complexity": 0.5,
    },
}


def write_dataset(path: Path, *entries: dict[str, Any]) -> Path:
    path.write_text("".join(json.dumps(entry) + "\n" for entry in entries), encoding="utf-8")
    return path
