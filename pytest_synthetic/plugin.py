"""pytest hooks and collectors: every dataset entry becomes a class of check items.

Nothing here decides whether an entry is good; the checks do. Node ids:
``<file>::<query_id>::<check>``, ``<file>::dataset::<check>``, ``<file>::line-<N>::json``.
"""

from __future__ import annotations

import functools
import gc
import glob
import os
import sys
import types
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from pytest_synthetic import github, hosts, protocol, sandbox, shard
from pytest_synthetic.checks import ENTRY_CHECKS, CheckContext
from pytest_synthetic.checks.context import PURE_CHECKS, Source
from pytest_synthetic.checks.dataset import DATASET_CHECKS
from pytest_synthetic.collect import ParsedDataset, ParsedRecord
from pytest_synthetic.confirm_session import SessionConfirmations
from pytest_synthetic.contamination import settings as contamination_settings
from pytest_synthetic.languages import ALL as ALL_LANGUAGES
from pytest_synthetic.model import CheckResult, Finding, Outcome, failed
from pytest_synthetic.report import SessionReport
from pytest_synthetic.schedule import costliest_first
from pytest_synthetic.spec import SETTING_NAMES, DatasetSpec, build_spec

SPEC_KEY = pytest.StashKey[DatasetSpec]()
CONTEXT_KEY = pytest.StashKey[CheckContext]()
DATASETS_KEY = pytest.StashKey[set[Path]]()
FROZEN_KEY = pytest.StashKey[bool]()
SANDBOX_INPUT = "synthetic_sandbox"
CONFIRMATIONS_PLUGIN = "synthetic-confirmations"
RESULTS_FOLDER = "synthetic-results"
EXECUTING_CHECKS = frozenset({"execution", "strength"})  # they report where the execution came from


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("synthetic", "synthetic dataset validation (pytest-synthetic)")
    group.addoption(
        "--synthetic-dataset",
        action="append",
        default=[],
        metavar="PATH",
        help="JSONL dataset to validate: a file, a folder (its *.jsonl files) or a glob; repeatable",
    )
    parser.addini("synthetic_dataset", "datasets to validate (files, folders or globs)", type="linelist")
    group.addoption("--synthetic-report", metavar="FILE.json", help="write every entry's check outcomes as JSON")
    group.addoption("--synthetic-keep", metavar="FILE.jsonl", help="write the entries that passed every check")
    group.addoption(
        "--synthetic-keep-unexecuted",
        action="store_true",
        help="--synthetic-keep also writes entries whose execution was skipped (a missing toolchain)",
    )
    github.add_options(group, parser)
    group.addoption(
        "--synthetic-require-toolchains",
        action="store_true",
        help="a missing toolchain fails the execution item instead of skipping it",
    )
    group.addoption(
        "--synthetic-require-sandbox", action="store_true", help="refuse to execute code without namespace isolation"
    )
    group.addoption(
        "--synthetic-no-cache",
        action="store_true",
        help="execute every entry again, neither reading nor writing the result cache (--cache-clear empties it)",
    )
    for name in SETTING_NAMES:
        default = getattr(DatasetSpec(), name)
        group.addoption(
            f"--synthetic-{name.replace('_', '-')}",
            dest=f"synthetic_{name}",
            metavar="VALUE",
            help=f"dataset requirement {name} (default {_show(default)})",
        )
        parser.addini(f"synthetic_{name}", f"dataset requirement {name} (default {_show(default)})")
    contamination_settings.add_options(group, parser)
    shard.add_option(group, parser)


def marker_name(language: str) -> str:
    """`-m go`, `-m cpp`, `-m csharp`: one marker per language."""
    return language.lower().replace("++", "pp").replace("#", "sharp")


LANGUAGE_MARKERS = frozenset(marker_name(language.name) for language in ALL_LANGUAGES)


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return ",".join(f"{k}={v}" for k, v in value.items())
    return str(value)


def _settings(config: pytest.Config) -> dict[str, str]:
    """CLI wins over ini; names not given keep their defaults."""
    found: dict[str, str] = {}
    for name in SETTING_NAMES:
        value = config.getoption(f"synthetic_{name}") or config.getini(f"synthetic_{name}")
        if value:
            found[name] = str(value)
    return found


def _expand(argument: str, base: Path) -> list[Path]:
    path = Path(argument)
    path = path if path.is_absolute() else base / path
    if path.is_dir():
        found = sorted(path.glob("*.jsonl"))
        if not found:
            raise pytest.UsageError(f"--synthetic-dataset: no *.jsonl file in the folder {argument}")
        return found
    if any(ch in argument for ch in "*?["):
        return sorted(Path(p) for p in glob.glob(str(path)))  # noqa: PTH207 (absolute patterns)
    if not path.is_file():
        raise pytest.UsageError(f"--synthetic-dataset: no such file or folder: {argument}")
    return [path]


def _dataset_paths(config: pytest.Config) -> list[Path]:
    paths = [p for a in config.getoption("synthetic_dataset") for p in _expand(a, config.invocation_params.dir)]
    ini_base = config.inipath.parent if config.inipath else config.rootpath
    paths += [p for a in config.getini("synthetic_dataset") for p in _expand(a, ini_base)]
    return [p.resolve() for p in paths]


@pytest.hookimpl(tryfirst=True)  # before xdist turns `-n` without `--dist` into `--dist load`
def pytest_cmdline_main(config: pytest.Config) -> None:
    """With `-n` and no `--dist`, schedule with `--dist worksteal`.

    `load` deals the first quarter of the items out one by one, so the checks of one entry land
    on both workers and both execute it; `loadscope` keeps an entry's class together but its
    scheduler costs grow with the square of the number of classes (minutes at 10,000 entries).
    `worksteal` hands each worker a contiguous run of items and moves the tail half of a busy
    worker's queue to an idle one: an entry's checks stay together, at a cost linear in items.
    """
    # Registered before any plugin is configured, so it runs after every other clean-up
    # (pytest's last full garbage collection among them, which then skips the frozen nodes).
    config.add_cleanup(functools.partial(_unfreeze, config))
    option = config.option
    if not getattr(option, "numprocesses", None) or getattr(option, "dist", None) != "no" or option.distload:
        return
    if _names_datasets(config):
        option.dist = "worksteal"


def _names_datasets(config: pytest.Config) -> bool:
    named = config.option.synthetic_dataset or config.getini("synthetic_dataset")
    return bool(named) or any(str(arg).split("::")[0].endswith(".jsonl") for arg in config.args)


@pytest.hookimpl(wrapper=True)
def pytest_collection(session: pytest.Session) -> Any:
    """Keep the cyclic garbage collector off the item tree while it is built, and after.

    A dataset becomes tens of thousands of long-lived nodes; every full collection would scan
    them all again (a third of the collection time at 10,000 entries), yet none is garbage.
    They are moved to the permanent generation until the session ends.
    """
    config = session.config
    if not _names_datasets(config) or not gc.isenabled():
        return (yield)
    gc.disable()
    try:
        return (yield)
    finally:
        gc.freeze()
        gc.enable()
        config.stash[FROZEN_KEY] = True


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On xdist workers (which all collect the same order), entries run costliest first."""
    if hasattr(config, "workerinput") and any(isinstance(item.parent, EntryClass) for item in items):
        items[:] = costliest_first(items, _entry_and_language)


def _entry_and_language(item: pytest.Item) -> tuple[str, str | None]:
    """Dataset-wide items (None) go first; other tests count as cheap entries."""
    parent = item.parent
    key = parent.nodeid if parent is not None else item.nodeid
    if isinstance(parent, EntryClass):
        entry = parent.parsed.entry
        return key, entry.language if entry is not None else ""
    return key, None if isinstance(parent, DatasetClass) else ""


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    """The reports (80,000 at 10,000 entries on the xdist controller) are not garbage either:
    pytest's closing full collections need not scan them."""
    config = session.config
    if _names_datasets(config) and gc.isenabled():
        gc.freeze()
        config.stash[FROZEN_KEY] = True


# pytest's main() and its command-line entry point (their private twins since pytest 9.1)
_MAINS = frozenset({"main", "_main"})
_COMMAND_LINE_MAINS = frozenset({"console_main", "_console_main"})


def _unfreeze(config: pytest.Config) -> None:
    """An in-process session (pytester, an IDE) must not keep its nodes forever. A process that
    ends with the session keeps them frozen: unfrozen, the interpreter's closing collection
    scans them all (4 s at 10,000 entries on the xdist controller, the same on each worker)."""
    if config.stash.get(FROZEN_KEY, False):
        config.stash[FROZEN_KEY] = False
        if not _process_ends_with_session(config):
            gc.unfreeze()


def _process_ends_with_session(config: pytest.Config) -> bool:
    """An xdist worker, or a session run by pytest's command line (`pytest`, `python -m pytest`),
    which exits with its status as soon as main() returns. A session run in-process by
    pytester sits in its own main(), even when the outer run came from the command line."""
    if hasattr(config, "workerinput"):
        return True
    frame: types.FrameType | None = sys._getframe()
    while frame is not None and not _is_pytest_function(frame, _MAINS):
        frame = frame.f_back
    caller = frame.f_back if frame is not None else None
    return caller is not None and _is_pytest_function(caller, _COMMAND_LINE_MAINS)


def _is_pytest_function(frame: types.FrameType, names: frozenset[str]) -> bool:
    return frame.f_code.co_name in names and frame.f_globals.get("__name__") == "_pytest.config"


def pytest_configure(config: pytest.Config) -> None:
    try:
        spec = build_spec(_settings(config))
    except (ValueError, TypeError) as exc:
        raise pytest.UsageError(f"pytest-synthetic: bad setting: {exc}") from None
    for language in ALL_LANGUAGES:
        config.addinivalue_line("markers", f"{marker_name(language.name)}: entries written in {language.name}")
    if config.getoption("synthetic_require_sandbox") and not sandbox.isolation_available():
        raise pytest.UsageError(
            f"--synthetic-require-sandbox: no namespace isolation here ({sandbox.describe()}); "
            "install bubblewrap (apt-get install bubblewrap) and allow user namespaces"
        )
    config.stash[SPEC_KEY] = spec
    shard.configure(config)
    context = CheckContext(
        spec=spec,
        require_toolchains=bool(config.getoption("synthetic_require_toolchains")),
        cache_dir=_result_cache_dir(config),
        run_id=_session_id(config),
        sandbox_description=(getattr(config, "workerinput", None) or {}).get(SANDBOX_INPUT),
        strength_workers=_strength_workers(config),
        contamination=contamination_settings.from_config(config),
    )
    config.stash[CONTEXT_KEY] = context
    if not hasattr(config, "workerinput"):  # the controller (or a plain run) reports
        report = SessionReport(config)
        config.pluginmanager.register(report, "synthetic-report")
        if context.cache_dir is not None:  # once every item ran: confirm the timeouts found
            config.pluginmanager.register(SessionConfirmations(config, context), CONFIRMATIONS_PLUGIN)
        if github.enabled(config):
            config.pluginmanager.register(github.GitHubActions(report), "synthetic-github")
    datasets = _dataset_paths(config)
    config.stash[DATASETS_KEY] = set(datasets)
    if datasets:
        _add_collection_args(config, datasets)


def _result_cache_dir(config: pytest.Config) -> Path | None:
    """Inside pytest's cache folder, shared by xdist workers; None when caching is off."""
    cache = getattr(config, "cache", None)  # absent with -p no:cacheprovider
    if cache is None or config.getoption("synthetic_no_cache"):
        return None
    return Path(cache.mkdir(RESULTS_FOLDER))


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """xdist: workers on this machine take the controller's sandbox description instead of
    probing again; those on other hosts probe their own (hosts.py)."""
    hosts.configure_node(node, SANDBOX_INPUT)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_newgateway(gateway: Any) -> None:
    hosts.probe_gateway(gateway)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodeready(node: Any) -> None:
    hosts.report_node(node)


def _strength_workers(config: pytest.Config) -> int | None:
    """xdist workers split the CPUs between them; a plain run uses them all (None)."""
    count = (getattr(config, "workerinput", None) or {}).get("workercount")
    if not count:
        return None
    return max(1, (os.cpu_count() or 1) // int(count))


def _session_id(config: pytest.Config) -> str:
    """xdist workers share their session's id; a plain run gets a fresh one."""
    workerinput = getattr(config, "workerinput", None) or {}
    return str(workerinput.get("testrunuid") or uuid.uuid4().hex)


def pytest_unconfigure(config: pytest.Config) -> None:
    context = config.stash.get(CONTEXT_KEY, None)
    if context is not None:
        context.close()


def _add_collection_args(config: pytest.Config, datasets: list[Path]) -> None:
    """Datasets named by option become collection arguments; with no explicit path they are the only ones."""
    if config.args_source != pytest.Config.ArgsSource.ARGS:
        config.args[:] = []
    present = {Path(a.split("::")[0]).resolve() for a in config.args}
    config.args.extend(str(p) for p in datasets if p not in present)


def pytest_report_header(config: pytest.Config) -> list[str]:
    context = config.stash[CONTEXT_KEY]
    lines = [f"synthetic: {sandbox.describe()}", *hosts.toolchain_lines(context.identities.version)]
    context.save()  # before the xdist workers need them
    return lines


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.suffix != ".jsonl":
        return None
    named = file_path.resolve() in parent.config.stash.get(DATASETS_KEY, set())
    if named or file_path.name.startswith("synthetic_"):
        return DatasetFile.from_parent(parent, path=file_path, nodeid=_file_nodeid(parent.config, file_path))
    return None


def _file_nodeid(config: pytest.Config, path: Path) -> str:
    """Relative to the rootdir, with `..` when outside it (pytest would otherwise leave it empty)."""
    return Path(os.path.relpath(path, config.rootpath)).as_posix()


class CheckFailed(Exception):
    """The dataset's fault: shown as the check's failure text, no traceback."""

    def __init__(self, result: CheckResult) -> None:
        super().__init__(result.summary)
        self.result = result


class DatasetFile(pytest.File):
    def collect(self) -> Iterator[pytest.Collector]:
        context = self.config.stash[CONTEXT_KEY]
        part = shard.configured(self.config)
        spec = self.config.stash[SPEC_KEY]
        if part is None:
            dataset = ParsedDataset(self.path, spec, context.result_cache)
        else:
            own = shard.own_lines(self.path, part)
            dataset = ParsedDataset(self.path, spec, context.result_cache, own.names, own.positions)
        context.register_typecheck(parsed.entry for parsed in dataset.parsed)  # nothing unless asked for
        for parsed in dataset.parsed:
            yield EntryClass.from_parent(self, name=parsed.node_name, dataset=dataset, parsed=parsed)
        if part is None or part.has_dataset_items:
            yield DatasetClass.from_parent(self, name="dataset", dataset=dataset)


class _Group(pytest.Class):
    """A class-like collector: IDE test explorers group items under classes only."""

    def __init__(self, *, dataset: ParsedDataset, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.dataset = dataset

    @classmethod
    def from_parent(cls, parent: pytest.Collector, **kwargs: Any) -> Any:
        return cls._create(parent=parent, **kwargs)

    def _getobj(self) -> type:
        return type(self.name, (), {"__test__": False})


class EntryClass(_Group):
    def __init__(self, *, parsed: ParsedRecord, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.parsed = parsed
        if parsed.entry is not None:  # `-m python`: items find their class's marker (once, not per item)
            self.add_marker(marker_name(parsed.entry.language))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, self.parsed.record.line - 1, self.name

    def collect(self) -> Iterator[pytest.Item]:
        parsed = self.parsed
        if parsed.schema_result is None:  # not a JSON object
            error = parsed.record.error or "not a JSON object"
            result = failed("json", [Finding(error, line=parsed.record.line)])
            yield CheckItem.from_parent(self, name="json", compute=lambda: result)
            return
        schema_result = parsed.schema_result
        yield CheckItem.from_parent(self, name="schema", compute=lambda: schema_result)
        entry = parsed.entry
        if entry is None:
            return
        context = self.config.stash[CONTEXT_KEY]
        for name, check in ENTRY_CHECKS.items():
            yield CheckItem.from_parent(
                self,
                name=name,
                compute=lambda check=check: check(entry, context),
            )


class DatasetClass(_Group):
    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, "dataset"

    def collect(self) -> Iterator[pytest.Item]:
        dataset = self.dataset
        for name in DATASET_CHECKS:
            yield CheckItem.from_parent(self, name=name, compute=lambda n=name: dataset.dataset_result(n))


class CheckItem(pytest.Item):
    def __init__(self, *, compute: Callable[[], CheckResult], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.compute = compute
        self.result: CheckResult | None = None
        self.source: Source | None = None  # computed here or read from the result cache
        group = self.parent
        assert isinstance(group, _Group)
        parsed = group.parsed if isinstance(group, EntryClass) else None
        entry = parsed.entry if parsed else None
        self.identity = {
            "file": hosts.reported_path(self.path, self.config),
            "query_id": parsed.query_id if parsed else "",
            "line": parsed.record.line if parsed else 0,
            "language": entry.language if entry else "",
            "check": self.name,
        }
        self.user_properties.extend((k, str(v)) for k, v in self.identity.items() if k != "file")

    def setup(self) -> None:
        # Computed here so that a fault of the tool itself is reported as an error.
        entry = self.parent.parsed.entry if isinstance(self.parent, EntryClass) else None
        if entry is None:
            self.result = self.compute()
            if isinstance(self.parent, DatasetClass):
                self.source = self.parent.dataset.source(self.name)
            return
        self.result, source = self.config.stash[CONTEXT_KEY].cached_check(self.name, entry, self.compute)
        self.source = source if self.name in PURE_CHECKS else self.execution_source()

    def runtest(self) -> None:
        result = self.result
        assert result is not None
        if result.outcome is Outcome.SKIPPED:
            pytest.skip(hosts.locate(result.reason, self.config))
        if result.outcome is not Outcome.PASSED:
            raise CheckFailed(result)

    def execution_source(self) -> Source | None:
        """Executed or read from the cache, for a check that needs the entry's execution."""
        parsed = self.parent.parsed if isinstance(self.parent, EntryClass) else None
        if self.name not in EXECUTING_CHECKS or parsed is None or parsed.entry is None:
            return None
        return self.config.stash[CONTEXT_KEY].execution_source(parsed.entry, self.name)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, CheckFailed):
            return excinfo.value.result.render()
        return str(super().repr_failure(excinfo, style))

    def reportinfo(self) -> tuple[Path, int, str]:
        line = int(str(self.identity["line"] or 1)) - 1
        return self.path, line, f"{self.parent.name if self.parent else ''}::{self.name}"


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> bool | None:
    """Check items run in one step (protocol.py), unless a marker that some plugin acts on in
    pytest's phases (skip, xfail, timeout, ...) or a debugging option asks for the full one."""
    if not isinstance(item, CheckItem) or protocol.wants_full_protocol(item.config):
        return None
    if any(mark.name not in LANGUAGE_MARKERS for mark in item.iter_markers()):
        return None
    protocol.run_in_one_step(item, nextitem)
    return True


@pytest.hookimpl(wrapper=True, tryfirst=True)  # around the terminal's own summary
def pytest_terminal_summary(terminalreporter: Any) -> Any:
    if not _names_datasets(terminalreporter.config):
        return (yield)
    with protocol.silent_reports_set_aside(terminalreporter.stats):
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    # what the summary and the JSON report read: the call's outcome, or a failed phase
    if isinstance(item, CheckItem) and (report.when == "call" or not report.passed):
        result = item.result
        details = dict(result.details) if result else {}
        if item.source is not None:  # which results were read from the result cache
            details["source"] = item.source.value
        report.synthetic = {
            **item.identity,
            "summary": result.summary if result else "",
            "details": details,
        }
    return report
