"""``python -m generator`` / ``synthetic-generate``: write a dataset, resuming if it exists."""

from __future__ import annotations

import argparse
import math
import os
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from generator import plan as planning
from generator.api_backend import ApiBackend
from generator.backend import Backend
from generator.bank import DEFAULT_BANK, BankBackend, load_bank
from generator.engine import Engine, EngineConfig, RunAbortedError
from generator.errors import ApiFatalError
from generator.progress import Progress
from generator.prompt import REPAIR_TEMPLATE, REQUEST_TEMPLATE, load_template
from generator.report import Stats, prices_for, summary
from generator.specfile import read_spec_settings
from generator.toolchain_gate import require_toolchains
from generator.writer import DatasetWriter, Existing, IdScheme, OutputBusyError, inspect, next_id
from pytest_synthetic.evaluate import evaluate_object
from pytest_synthetic.model import Entry
from pytest_synthetic.spec import DatasetSpec, build_spec

EXIT_OK, EXIT_UNFILLED, EXIT_USAGE, EXIT_ABORTED, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


class UsageError(Exception):
    pass


def safe_filename(name: str) -> str:
    """A model name as a file name part: ``meta-llama/Llama-3:8b`` -> ``meta-llama-Llama-3-8b``."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.") or "model"


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    invoked = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else ""
    parser = argparse.ArgumentParser(
        prog="python -m generator" if invoked in {"", "__main__.py", "-c"} else invoked,
        description=(
            "Write a synthetic programming-challenge dataset through an OpenAI-compatible API (or the "
            "offline problem bank), keeping only entries that pass pytest-synthetic's checks. Running the "
            "same command again resumes an interrupted run."
        ),
    )
    source = parser.add_argument_group("source")
    source.add_argument("--backend", choices=("api", "bank"), default="api", help="where entries come from")
    source.add_argument("--model", default=os.environ.get("OPENAI_MODEL"), help="model name (env OPENAI_MODEL)")
    source.add_argument(
        "--base-url",
        default=os.environ.get("OPENAI_BASE_URL"),
        help="API base URL, e.g. http://localhost:8000/v1 (env OPENAI_BASE_URL; default OpenAI)",
    )
    source.add_argument(
        "--api-key",
        default=os.environ.get("OPENAI_API_KEY"),
        help="API key (env OPENAI_API_KEY, preferred: flags show up in process lists)",
    )
    source.add_argument("--bank", type=Path, default=DEFAULT_BANK, help="problem bank file for --backend bank")

    dataset = parser.add_argument_group("dataset")
    dataset.add_argument(
        "--count", type=_positive, help="entries in the finished file (default: the spec's size, or 100)"
    )
    dataset.add_argument("--out", type=Path, help="output file (default datasets/synthetic_{model}.jsonl)")
    dataset.add_argument("--spec", type=Path, help="TOML file of dataset requirements (the plugin's setting names)")
    dataset.add_argument("--language-quotas", help='e.g. "Python=40,TypeScript=40,Go=7,Rust=3,other=10"')
    dataset.add_argument("--difficulty-quotas", help='e.g. "medium=33,advanced=34,very_advanced=33"')
    dataset.add_argument("--id-prefix", default="synthetic", help="query ids are PREFIX-001, PREFIX-002, ...")
    dataset.add_argument("--seed", type=int, help="makes the plan (and the API's sampling, if supported) repeatable")

    run = parser.add_argument_group("run")
    run.add_argument("--concurrency", type=_positive, default=4, help="requests in flight at once (default 4)")
    run.add_argument("--batch-size", type=_positive, default=5, help="challenges asked for per request (default 5)")
    run.add_argument(
        "--attempts",
        type=_positive,
        default=3,
        help="tries per candidate: the first answer plus repairs with the checks' findings (default 3)",
    )
    run.add_argument(
        "--slot-tries",
        type=_positive,
        help="fresh requests per slot before leaving it unfilled (default 4; 10 with --backend bank)",
    )
    run.add_argument("--temperature", type=float, default=0.7, help="sampling temperature (default 0.7)")
    run.add_argument("--max-tokens", type=_positive, help="cap on tokens per reply (default: the server's)")
    run.add_argument("--timeout", type=float, default=180.0, help="seconds per request (default 180)")
    run.add_argument("--retries", type=int, default=6, help="retries per request on 429, 5xx, timeouts (default 6)")
    run.add_argument(
        "--retry-backoff",
        type=float,
        default=1.0,
        help="seconds before the first retry when the server gives no retry-after; doubles each time (default 1)",
    )
    run.add_argument("--no-structured", action="store_true", help="never send a JSON-schema response_format")
    run.add_argument("--no-execute", action="store_true", help="skip running the code (faster, weaker)")
    run.add_argument(
        "--require-toolchains",
        action=argparse.BooleanOptionalAction,
        help="reject candidates whose code cannot be executed here for a missing toolchain (default: on when "
        "the plan includes such a language; --no-require-toolchains accepts them without execution)",
    )
    run.add_argument("--prompt", type=Path, help=f"a custom request template (default prompts/{REQUEST_TEMPLATE})")
    run.add_argument("--input-price", type=float, help="USD per 1M prompt tokens, for the cost estimate")
    run.add_argument("--output-price", type=float, help="USD per 1M completion tokens, for the cost estimate")
    run.add_argument("--dry-run", action="store_true", help="print the plan and the first prompt; call nothing")
    run.add_argument("--quiet", action="store_true", help="no progress line")
    return parser


@dataclass(frozen=True)
class Setup:
    spec: DatasetSpec
    count: int
    model: str
    out: Path
    seed: int


def resolve(args: argparse.Namespace, err: TextIO) -> Setup:
    settings: dict[str, str] = {}
    try:
        if args.spec is not None:
            settings.update(read_spec_settings(args.spec))
        if args.language_quotas:
            settings["language_quotas"] = args.language_quotas
        if args.difficulty_quotas:
            settings["difficulty_quotas"] = args.difficulty_quotas
        spec = build_spec(settings)
    except (OSError, ValueError) as error:
        raise UsageError(str(error)) from error
    count = args.count or (spec.size if "size" in settings else 100)
    quotas = ("language_quotas", "difficulty_quotas")
    if spec.size != count or any(sum(getattr(spec, name).values()) != count for name in quotas):
        for name in quotas:
            total = sum(getattr(spec, name).values())
            if name in settings and total != count:
                err.write(f"note: {name} add up to {total}; scaled to {count}\n")
        spec = spec.scaled(count)
    if args.backend == "api":
        if not args.model:
            raise UsageError("--model is required (or set OPENAI_MODEL)")
        model = str(args.model)
    else:
        model = str(args.model or "bank")
    out = args.out or Path("datasets") / f"synthetic_{safe_filename(model)}.jsonl"
    return Setup(spec, count, model, out, args.seed if args.seed is not None else 0)


def accepted_entries(objects: Sequence[dict[str, Any]], spec: DatasetSpec) -> tuple[list[Entry], int]:
    """Typed entries of what the file already holds, and how many of them fail the static checks."""
    entries: list[Entry] = []
    failing = 0
    for obj in objects:
        evaluation = evaluate_object(obj, spec, execute=False)
        if evaluation.entry is not None:
            entries.append(evaluation.entry)
        if not evaluation.ok:
            failing += 1
    return entries, failing


def _pairs(objects: Sequence[dict[str, Any]]) -> list[tuple[str, str]]:
    pairs = []
    for obj in objects:
        metadata = obj.get("metadata")
        if isinstance(metadata, dict):
            pairs.append((str(metadata.get("language")), str(metadata.get("difficulty"))))
    return pairs


@dataclass(frozen=True)
class Resume:
    """The output file's state and what is still to do."""

    existing: Existing
    full_plan: list[planning.Slot]
    open_slots: list[planning.Slot]
    surplus: int  # existing entries that fit no slot
    ids: IdScheme
    next_number: int

    @property
    def objects(self) -> list[dict[str, Any]]:
        return self.existing.objects


def prepare(args: argparse.Namespace, setup: Setup) -> Resume:
    try:
        full_plan = planning.make_plan(setup.spec, setup.seed)
    except ValueError as error:
        raise UsageError(str(error)) from error
    existing = inspect(setup.out)
    open_slots, surplus = planning.remaining(full_plan, _pairs(existing.objects), setup.spec)
    ids, next_number = next_id(existing.objects, setup.count, args.id_prefix)
    return Resume(existing, full_plan, open_slots, surplus, ids, next_number)


def make_backend(
    args: argparse.Namespace,
    setup: Setup,
    *,
    stats: Stats,
    progress: Progress,
    used: Sequence[str],
    err: TextIO,
) -> Backend:
    if args.backend == "bank":
        try:
            problems, warnings = load_bank(args.bank)
        except OSError as error:
            raise UsageError(f"cannot read the bank: {error}") from error
        for warning in warnings:
            err.write(f"bank: skipping {warning}\n")
        return BankBackend(problems, setup.spec, seed=setup.seed, used=used)
    try:
        request = load_template(REQUEST_TEMPLATE, args.prompt)
        repair = load_template(REPAIR_TEMPLATE)
    except OSError as error:
        raise UsageError(f"cannot read the prompt: {error}") from error
    if args.dry_run:
        return ApiBackend(setup.model, None, request, repair)
    # Imported here: the openai package is slow to import and only needed to call a model.
    from generator.client import ApiSettings, ChatClient, Reply  # noqa: PLC0415

    def on_retry(reason: str, wait: float) -> None:
        stats.count("api_retries")
        if wait:
            progress.wait(f"{reason}; retrying in {wait:.1f}s")
        else:
            progress.note(reason)

    def on_reply(reply: Reply) -> None:
        stats.count_reply(reply.prompt_tokens, reply.completion_tokens)

    settings = ApiSettings(
        model=setup.model,
        base_url=args.base_url,
        api_key=args.api_key,
        timeout=args.timeout,
        retries=args.retries,
        backoff_base=args.retry_backoff,
        temperature=args.temperature,
        seed=args.seed,
        max_tokens=args.max_tokens,
        structured=not args.no_structured,
    )
    try:
        client = ChatClient(settings, on_retry=on_retry)
    except ApiFatalError as error:
        raise UsageError(f"{error} (set OPENAI_API_KEY, or --base-url for a local server)") from error
    return ApiBackend(setup.model, client, request, repair, on_reply=on_reply)


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    stdout = out or sys.stdout
    stderr = err or sys.stderr
    args = build_parser().parse_args(argv)
    try:
        setup = resolve(args, stderr)
        resume = prepare(args, setup)
        if args.dry_run:
            return dry_run(args, setup, resume, stdout, stderr)
        return generate(args, setup, resume, stdout, stderr)
    except UsageError as error:
        stderr.write(f"error: {error}\n")
        return EXIT_USAGE


def _announce(setup: Setup, resume: Resume, err: TextIO) -> None:
    existing = resume.existing
    if existing.torn_bytes:
        err.write(f"{setup.out}: cutting a torn last line ({existing.torn_bytes} bytes) left by a killed run\n")
    for record in existing.bad_lines:
        err.write(f"{setup.out}:{record.line}: kept as is but not counted: {record.error}\n")
    if resume.surplus:
        err.write(f"note: {resume.surplus} existing entries fit no slot of the plan (a different spec?)\n")
    if resume.objects and resume.open_slots:
        err.write(f"resuming {setup.out}: {len(resume.objects)} entries there, {len(resume.open_slots)} to go\n")


def _bank_forecast(backend: Backend, slots: Sequence[planning.Slot], err: TextIO) -> None:
    if not isinstance(backend, BankBackend):
        return
    substitutes, empty = backend.shortfall(slots)
    if substitutes:
        err.write(f"note: the bank is short for {len(substitutes)} slot(s); they get near substitutes\n")
    if empty:
        shown = ", ".join(empty[:8]) + (", ..." if len(empty) > 8 else "")
        err.write(f"note: the bank has nothing for {len(empty)} slot(s), which stay unfilled: {shown}\n")


def generate(args: argparse.Namespace, setup: Setup, resume: Resume, stdout: TextIO, stderr: TextIO) -> int:
    _announce(setup, resume, stderr)
    if not resume.open_slots:
        stdout.write(f"{setup.out} already holds all {setup.count} entries; nothing to do\n")
        return EXIT_OK
    accepted, failing = accepted_entries(resume.objects, setup.spec)
    if failing:
        stderr.write(f"note: {failing} existing entries fail the static checks; they stay (run pytest on the file)\n")
    stats = Stats()
    progress = Progress(stderr, len(resume.objects) + len(resume.open_slots), enabled=not args.quiet)
    used = [str(obj.get("query_text")) for obj in resume.objects]
    backend = make_backend(args, setup, stats=stats, progress=progress, used=used, err=stderr)
    _bank_forecast(backend, resume.open_slots, stderr)
    writer = DatasetWriter(setup.out)
    try:
        writer.open(resume.existing)
    except OutputBusyError as error:
        raise UsageError(str(error)) from error
    config = EngineConfig(
        concurrency=args.concurrency,
        batch_size=args.batch_size,
        attempts=args.attempts,
        slot_tries=args.slot_tries or (10 if args.backend == "bank" else 4),
        execute=not args.no_execute,
        require_toolchains=require_toolchains(
            args.require_toolchains, not args.no_execute, [slot.language for slot in resume.open_slots], stderr
        ),
    )
    engine = Engine(
        backend,
        writer=writer,
        spec=setup.spec,
        ids=resume.ids,
        next_number=resume.next_number,
        accepted=accepted,
        config=config,
        stats=stats,
        progress=progress,
        done_before=len(resume.objects),
    )
    started = time.monotonic()
    code = EXIT_OK
    try:
        unfilled = engine.run(resume.open_slots)
    except KeyboardInterrupt:
        # Workers may sit in a request for minutes; waiting for them is pointless because
        # every accepted entry is already on disk. Take the write lock so no line is half
        # written, then leave at once.
        engine.lock.acquire()
        progress.finish()
        stderr.write(f"\ninterrupted: {stats.accepted} new entries saved; run the same command to resume\n")
        stderr.flush()
        os._exit(EXIT_INTERRUPTED)
    except RunAbortedError as error:
        progress.finish()
        stderr.write(f"error: {error}\n")
        unfilled = engine.unfilled
        code = EXIT_ABORTED
    finally:
        writer.close()
    progress.finish()
    report = summary(
        stats,
        target=setup.count,
        in_file=len(resume.objects) + stats.accepted,
        unfilled=len(unfilled),
        seconds=time.monotonic() - started,
        prices=prices_for(setup.model, args.input_price, args.output_price),
        backend=args.backend,
        unfilled_hint=(
            "the bank has no problem left for them (see the notes above)"
            if args.backend == "bank"
            else "run the same command again to retry them"
        ),
        unfilled_languages=[slot.language for slot in unfilled],
    )
    stdout.write(f"{report}\nwrote {setup.out}\n")
    return EXIT_UNFILLED if code == EXIT_OK and unfilled else code


def dry_run(args: argparse.Namespace, setup: Setup, resume: Resume, stdout: TextIO, stderr: TextIO) -> int:
    stdout.write(f"plan for {setup.count} entries -> {setup.out} (seed {setup.seed})\n")
    stdout.write(planning.summarise(resume.full_plan) + "\n")
    if resume.objects:
        stdout.write(f"\nthe file already holds {len(resume.objects)} entries; still open:\n")
        stdout.write(planning.summarise(resume.open_slots) + "\n")
    if args.backend == "api":
        requests = math.ceil(len(resume.open_slots) / args.batch_size)
        stdout.write(
            f"\n{len(resume.open_slots)} slots in about {requests} requests of up to {args.batch_size}, "
            f"{args.concurrency} at a time, model {setup.model} at {args.base_url or 'the OpenAI API'}\n"
        )
    used = [str(obj.get("query_text")) for obj in resume.objects]
    backend = make_backend(
        args, setup, stats=Stats(), progress=Progress(stderr, 0, enabled=False), used=used, err=stderr
    )
    _bank_forecast(backend, resume.open_slots, stdout)
    stdout.write("\n--- first request ---\n" if args.backend == "api" else "\n--- first slot ---\n")
    stdout.write(backend.preview(resume.open_slots[: args.batch_size], []) + "\n")
    return EXIT_OK
