"""Content-addressed check results, shared by every process that runs checks.

An execution is keyed by everything that decides it: the assembled program's files, each
step's argv, limits and environment, the toolchain versions of the commands the steps
use, the sandbox in use and this file's format version. The static checks' results are
keyed by the entry, the requirements and the code that judges it (this package and the
tree-sitter grammars). Equal keys mean equal results, so concurrent writers (xdist workers)
never conflict: a result is one row of one SQLite file (store.py), replaced whole, and a
reader sees either nothing or a whole result.

Not kept: a missing toolchain (the machine's state) and an error or a skip. A timeout is kept
but reused only after two separate sessions saw it (one alone may have been load); so is a
check result whose outcome rests on timeouts (`details["decisive_timeouts"]`: strength's
timed-out variants, when counting them as survivors would change its outcome). The session
that finds one runs it again at its end, as a session of its own (confirm.py).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Mapping
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from pytest_synthetic.languages.base import Program
from pytest_synthetic.model import CheckResult, Entry, Finding, Outcome
from pytest_synthetic.runner import Execution, Verdict
from pytest_synthetic.spec import DatasetSpec
from pytest_synthetic.store import DocumentStore

# Bump whenever what is stored, or what a verdict means, changes: old entries are then ignored.
FORMAT = 1
# Outputs are already capped by the sandbox; this only bounds what a file on disk may hold.
OUTPUT_CAP = 64 * 1024
# A missing toolchain is the machine's state, not the entry's: always looked at again.
UNCACHED = frozenset({Verdict.TOOLCHAIN_MISSING, Verdict.NOT_EXECUTABLE})
# A timeout may be the machine's load. It is reused only once this many separate runs
# (pytest sessions) saw it; an entry that really never ends then stops costing its limit.
TIMEOUT_CONFIRMATIONS = 2
# A check result's details key: how many timed-out runs its outcome rests on (confirmed like a
# timeout; 0 when the outcome would be the same had they not timed out).
TIMEOUTS = "decisive_timeouts"
VERSIONS_FILE = "toolchain-versions.json"


def execution_key(
    program: Program,
    *,
    assertions: str,
    toolchains: Mapping[str, str],
    timeout_factor: float,
    sandbox: str,
) -> str:
    """sha256 over a canonical JSON document of what decides the program's result.

    The raw assertions are part of it because the verdict's wording (assertion failed or
    runtime error) looks for their string literals in the output.
    """
    document = {
        "format": FORMAT,
        "files": sorted(program.files.items()),
        "steps": [
            {
                "name": step.name,
                "argv": list(step.argv),
                "limits": dataclasses.asdict(step.limits),
                "env": sorted(map(list, step.env)),
            }
            for step in program.steps
        ],
        "toolchains": dict(toolchains),
        "timeout_factor": timeout_factor,
        "sandbox": sandbox,
        "assertions": assertions,
    }
    return _sha256(document)


def _sha256(document: Any) -> str:
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@cache
def code_signature() -> str:
    """Changes whenever the code that judges an entry may have: any file of this package, the
    tree-sitter grammars (path, size and mtime: no reading), or the Python version."""
    package = Path(__file__).resolve().parent
    files = [path for pattern in ("*.py", "*.json") for path in package.rglob(pattern)]
    files += [
        Path(str(module.__file__))
        for name, module in list(sys.modules.items())
        if name.startswith("tree_sitter") and getattr(module, "__file__", None)
    ]
    states = []
    for path in sorted(set(files)):
        try:
            stat = path.stat()
        except OSError:
            continue
        states.append((str(path), stat.st_size, stat.st_mtime_ns))
    return _sha256({"python": sys.version_info[:2], "files": states})


def requirements_signature(spec: DatasetSpec) -> str:
    """Every requirement and the code, as one hash: computed once, part of every entry's key."""
    return _sha256({"spec": dataclasses.asdict(spec), "code": code_signature()})


def entry_key(entry: Entry, requirements: str) -> str:
    """Key of an entry's static check results: the entry as written and where (its fields are
    read from that by the code), and `requirements_signature` (the requirements, the code)."""
    return _sha256(
        {"format": FORMAT, "kind": "checks", "line": entry.line, "raw": entry.raw, "requirements": requirements}
    )


def dataset_key(content_digest: str, spec: DatasetSpec) -> str:
    """Key of a dataset's dataset-wide results: the file's bytes (their digest), the requirements, the code."""
    return _sha256(
        {
            "format": FORMAT,
            "kind": "dataset",
            "content": content_digest,
            "spec": dataclasses.asdict(spec),
            "code": code_signature(),
        }
    )


def derived_key(kind: str, execution: str, spec: DatasetSpec) -> str:
    """Key of a result computed from an entry's execution (strength): that execution's key, the
    requirements and the code (which makes the mutants)."""
    return _sha256(
        {
            "format": FORMAT,
            "kind": kind,
            "execution": execution,
            "spec": dataclasses.asdict(spec),
            "code": code_signature(),
        }
    )


def cacheable(execution: Execution) -> bool:
    return execution.program is not None and execution.verdict not in UNCACHED


def _capped(text: str) -> str:
    if len(text) <= OUTPUT_CAP:
        return text
    half = OUTPUT_CAP // 2
    return f"{text[:half]}\n... (output cut by the result cache) ...\n{text[-half:]}"


def write_atomically(path: Path, text: str) -> None:
    """Readers see the old file or the whole new one, never a partial write."""
    path.parent.mkdir(parents=True, exist_ok=True)  # also after another process cleared the cache
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        Path(temporary).replace(path)  # atomic rename within one folder
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _runs(data: Any) -> set[str]:
    runs = data.get("runs") if isinstance(data, dict) else None
    return {str(r) for r in runs} if isinstance(runs, list) else set()


def _with_run(seen: set[str], run_id: str) -> list[str]:
    return sorted(seen | {run_id})[:TIMEOUT_CONFIRMATIONS]


def _confirmed(runs: set[str]) -> bool:
    return len(runs) >= TIMEOUT_CONFIRMATIONS


def _rests_on_timeouts(details: Any) -> bool:
    timeouts = details.get(TIMEOUTS) if isinstance(details, dict) else None
    return isinstance(timeouts, int) and timeouts > 0


def _awaits_confirmation(data: Any) -> bool:
    """A stored timeout, or check result resting on timeouts, that too few sessions saw."""
    if not isinstance(data, dict):
        return False
    timed_out = data.get("verdict") == Verdict.TIMEOUT.value or _rests_on_timeouts(data.get("details"))
    return timed_out and not _confirmed(_runs(data))


def _check_result(check: str, value: Any) -> CheckResult | None:
    try:
        return CheckResult(
            check=check,
            outcome=Outcome(value["outcome"]),
            findings=tuple(Finding(**finding) for finding in value["findings"]),
            reason=str(value["reason"]),
            details=dict(value["details"]),
        )
    except (KeyError, TypeError, ValueError):
        return None


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


_HEX = frozenset("0123456789abcdef")


def _remove_file_per_key_layout(root: Path) -> None:
    """Versions before the SQLite store kept a JSON file per key, in folders named by the key's
    first two hex digits: nothing reads them any more."""
    with contextlib.suppress(OSError):
        for folder in root.iterdir():
            if len(folder.name) == 2 and set(folder.name) <= _HEX and folder.is_dir():
                with contextlib.suppress(OSError):
                    if all(child.suffix == ".json" and child.is_file() for child in folder.iterdir()):
                        shutil.rmtree(folder, ignore_errors=True)


@dataclasses.dataclass(frozen=True)
class ResultCache:
    """Results in `root`, one JSON document per key (store.py): an execution, an entry's
    static check results, or a dataset's dataset-wide results."""

    root: Path

    @cached_property
    def _documents(self) -> DocumentStore:
        _remove_file_per_key_layout(self.root)
        return DocumentStore(self.root)

    def _load(self, key: str) -> Any:
        text = self._documents.get(key)
        try:
            return json.loads(text) if text is not None else None
        except ValueError:
            return None

    def close(self) -> None:
        if "_documents" in self.__dict__:
            self._documents.close()

    def get(self, key: str, program: Program) -> Execution | None:
        """The stored result for this key, with the (deterministic) program it was made from."""
        data = self._load(key)
        if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("key") != key:
            return None  # missing, unreadable, or from another format: run again
        if _awaits_confirmation(data):
            return None  # seen in one run only: might have been load
        try:
            return Execution(
                verdict=Verdict(data["verdict"]),
                message=str(data["message"]),
                program=program,
                step=str(data["step"]),
                stdout=str(data["stdout"]),
                stderr=str(data["stderr"]),
                seconds=float(data["seconds"]),
            )
        except (KeyError, TypeError, ValueError):
            return None

    def awaits_confirmation(self, key: str) -> bool:
        """A timeout is stored under the key that fewer than TIMEOUT_CONFIRMATIONS sessions saw."""
        data = self._load(key)
        return isinstance(data, dict) and data.get("format") == FORMAT and data.get("key") == key and (
            _awaits_confirmation(data)
        )

    def put(self, key: str, execution: Execution, run_id: str = "") -> bool:
        """Store a result; False when it is not worth keeping or the disk refused.

        `run_id` names the pytest session (shared by its xdist workers): a timeout counts
        once per session.
        """
        if not cacheable(execution):
            return False
        data: dict[str, Any] = {
            "format": FORMAT,
            "key": key,
            "verdict": execution.verdict.value,
            "message": execution.message,
            "step": execution.step,
            "stdout": _capped(execution.stdout),
            "stderr": _capped(execution.stderr),
            "seconds": execution.seconds,
        }
        if execution.verdict is Verdict.TIMEOUT:
            earlier = self._load(key)
            seen = _runs(earlier) if isinstance(earlier, dict) and earlier.get("key") == key else set()
            data["runs"] = _with_run(seen, run_id)
        return self._documents.put(key, json.dumps(data, ensure_ascii=False))  # False: only costs speed

    def load_versions(self) -> dict[str, str]:
        """Toolchain versions detected earlier, keyed by executable signature (see toolchains.version)."""
        data = _read_json(self.root / VERSIONS_FILE)
        if not isinstance(data, dict):
            return {}
        return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)}

    def save_versions(self, versions: Mapping[str, str]) -> None:
        """Merge into what is stored; a lost race only means detecting a version again later."""
        merged = {**self.load_versions(), **versions}
        with contextlib.suppress(OSError):  # not kept: detected again next time
            write_atomically(self.root / VERSIONS_FILE, json.dumps(merged, indent=0, sort_keys=True))

    def get_checks(self, key: str) -> dict[str, CheckResult]:
        """The check results stored for a key, by check name."""
        found = {}
        for check, value in self._stored_checks(key).items():
            if _awaits_confirmation(value):
                continue  # seen in one session only: computed again
            result = _check_result(check, value)
            if result is not None:  # else that one check is judged again
                found[check] = result
        return found

    def awaiting_confirmation(self, key: str, check: str) -> CheckResult | None:
        """The stored result of `check` if it rests on timeouts that too few sessions saw."""
        value = self._stored_checks(key).get(check)
        return _check_result(check, value) if _awaits_confirmation(value) else None

    def _stored_checks(self, key: str) -> dict[str, Any]:
        data = self._load(key)
        if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("key") != key:
            return {}
        stored = data.get("checks")
        return stored if isinstance(stored, dict) else {}

    def put_checks(self, key: str, results: Mapping[str, CheckResult], run_id: str = "") -> bool:
        """Add results to the key's file (a lost race costs a recomputation, nothing else).

        A result that counted timeouts records the sessions (`run_id`) that computed one.
        """
        kept = {c: r for c, r in results.items() if r.outcome in {Outcome.PASSED, Outcome.FAILED}}
        if not kept:  # an error or a skip is about this run
            return False
        earlier = self._load(key)
        checks = earlier.get("checks") if isinstance(earlier, dict) and earlier.get("key") == key else None
        checks = checks if isinstance(checks, dict) else {}
        stored: dict[str, dict[str, Any]] = {}
        for check, result in kept.items():
            stored[check] = {
                "outcome": result.outcome.value,
                "findings": [dataclasses.asdict(finding) for finding in result.findings],
                "reason": result.reason,
                "details": result.details,
            }
            if _rests_on_timeouts(result.details):
                before = checks.get(check)
                before_details = before.get("details") if isinstance(before, dict) else None
                seen = _runs(before) if _rests_on_timeouts(before_details) else set()
                stored[check]["runs"] = _with_run(seen, run_id)
        data = {"format": FORMAT, "key": key, "checks": {**checks, **stored}}
        try:
            text = json.dumps(data, ensure_ascii=False)
        except (TypeError, ValueError):
            return False  # details that JSON cannot hold: not cached
        return self._documents.put(key, text)
