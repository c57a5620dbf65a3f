"""``sladsl eval CONTRACT TICKETS``: evaluate ticket timelines, streaming.

One result per input ticket, in input order. Memory stays flat in the number
of tickets: tickets are read, evaluated and written in small batches, and
with ``--jobs N`` at most a few batches per worker are in flight at once.
Exit 0, or 1 if any ticket had an input error, or 2 for a usage/I/O error or
a contract with errors.
"""

from __future__ import annotations

import argparse
import itertools
import multiprocessing
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any, BinaryIO

from sladsl.api import Contract
from sladsl.check.diagnostics import Diagnostic
from sladsl.cli.files import InputFileError, display_name, fail, read_source, use_color
from sladsl.cli.output import WRITERS, Writer
from sladsl.cli.render import render_text
from sladsl.errors import ContractError

BATCH = 500  # tickets per batch: large enough to amortise IPC, small enough to stream


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "eval",
        help="evaluate ticket timelines against a contract",
        description="Evaluate ticket timelines (JSON Lines or a JSON array) against a contract.",
    )
    add_contract_and_tickets(parser)
    parser.add_argument(
        "--format", choices=tuple(WRITERS), default="jsonl", help="output format (default jsonl)"
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="write results here, not stdout")
    parser.add_argument(
        "--jobs", type=_positive, default=1, metavar="N", help="worker processes (default 1)"
    )
    parser.set_defaults(run=run)


def add_contract_and_tickets(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("contract", metavar="CONTRACT", help="the .sla contract")
    parser.add_argument(
        "tickets", metavar="TICKETS", help="ticket file (.jsonl or .json); - for stdin"
    )
    parser.add_argument(
        "--now",
        metavar="INSTANT",
        help="evaluate as of this instant, e.g. 2026-03-09T15:00:00Z (default: the current time)",
    )


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def load_contract(path: str) -> Contract | None:
    """The contract, or None after printing why it cannot be used (exit 2)."""
    try:
        text = read_source(path)
    except InputFileError as error:
        fail(str(error))
        return None
    name = display_name(path)
    try:
        contract = Contract(text, name)
    except ContractError as error:
        print_diagnostics(error.diagnostics, name, text)
        fail(f"{name}: the contract has errors; nothing was evaluated")
        return None
    return contract


def print_diagnostics(diagnostics: list[Diagnostic], name: str, text: str) -> None:
    sys.stderr.write(render_text(diagnostics, {name: text}, color=use_color(sys.stderr)))


def parse_now(text: str | None) -> int | None:
    """``--now`` as epoch seconds (default: the current time), or None after an error."""
    from sladsl.timeline.reader import parse_instant

    if text is None:
        return int(time.time())
    try:
        return parse_instant(text)
    except ValueError as error:
        fail(f"--now: {error}")
        return None


def open_tickets(path: str) -> BinaryIO | None:
    if path == "-":
        return sys.stdin.buffer
    try:
        handle: BinaryIO = open(path, "rb")  # noqa: SIM115 - closed by the caller
        return handle
    except OSError as error:
        reason = "no such file" if isinstance(error, FileNotFoundError) else error.strerror
        fail(f"{path}: {reason}")
        return None


def open_inputs(args: argparse.Namespace) -> tuple[int, Contract, BinaryIO] | None:
    """``--now``, the contract and the ticket stream of eval/explain, or None
    after printing why one of them cannot be used (the command exits 2)."""
    now = parse_now(args.now)
    if now is None:
        return None
    contract = load_contract(args.contract)
    if contract is None:
        return None
    stream = open_tickets(args.tickets)
    if stream is None:
        return None
    return now, contract, stream


def run(args: argparse.Namespace) -> int:
    inputs = open_inputs(args)
    if inputs is None:
        return 2
    now, contract, stream = inputs
    try:
        # Closed in the `finally` below, after streaming: not a `with` block.
        out: IO[bytes] = open(args.output, "wb") if args.output else sys.stdout.buffer  # noqa: SIM115
    except OSError as error:
        fail(f"{args.output}: cannot write: {error.strerror}")
        return 2
    writer = WRITERS[args.format]()
    progress = Progress(enabled=_isatty(sys.stderr))
    try:
        out.write(writer.header())
        from sladsl.timeline.reader import iter_ticket_objects

        chunks: Iterator[tuple[int, bool, bytes]]
        if args.jobs > 1 and _splittable(args.tickets):
            blocks = file_blocks(args.tickets)
            chunks = _parallel(contract, args.format, now, args.jobs, _work_block, blocks)
        else:
            # With workers, the reading process only splits lines; JSON is
            # decoded in the workers, so the reader is not the bottleneck.
            name = display_name(args.tickets)
            items = iter_ticket_objects(stream, name, decode=args.jobs == 1)
            batches = _batched(items, BATCH)
            if args.jobs == 1:
                chunks = (_evaluate_batch(contract, writer, batch, now) for batch in batches)
            else:
                chunks = _parallel(contract, args.format, now, args.jobs, _work_lines, batches)
        any_error = False
        for count, has_error, data in chunks:
            any_error |= has_error
            out.write(data)
            progress.advance(count)
        out.flush()
    finally:
        progress.done()
        if stream is not sys.stdin.buffer:
            stream.close()
        if args.output:
            out.close()
    return 1 if any_error else 0


def _isatty(stream: Any) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _batched(items: Iterable[tuple[int, object]], size: int) -> Iterator[list[tuple[int, object]]]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _evaluate_batch(
    contract: Contract, writer: Writer, batch: list[tuple[int, object]], now: int
) -> tuple[int, bool, bytes]:
    from sladsl.engine.results import ErrorResult

    results = list(contract.evaluate_numbered(batch, now))
    has_error = any(isinstance(r, ErrorResult) for r in results)
    return len(batch), has_error, writer.batch(results)


# ----------------------------------------------------------- worker processes

BLOCK_BYTES = 1 << 20  # a --jobs task for a JSON Lines file: about 1,400 tickets

_worker: tuple[Contract, Writer, int] | None = None


def _init_worker(source: str, filename: str, output_format: str, now: int) -> None:
    global _worker
    _worker = (Contract(source, filename), WRITERS[output_format](), now)


def _work_lines(batch: list[tuple[int, object]]) -> tuple[int, bool, bytes]:
    """A batch of raw JSON Lines (or decoded array elements) from the main process."""
    from sladsl.timeline.reader import decode_line

    assert _worker is not None
    contract, writer, now = _worker
    decoded = [
        (number, decode_line(number, item) if isinstance(item, bytes) else item)
        for number, item in batch
    ]
    return _evaluate_batch(contract, writer, decoded, now)


def _work_block(task: tuple[str, int, int, int]) -> tuple[int, bool, bytes]:
    """A block of whole lines that the worker reads from the file itself."""
    from sladsl.timeline.reader import decode_line, split_json_lines

    assert _worker is not None
    contract, writer, now = _worker
    path, offset, length, first_line = task
    with open(path, "rb") as handle:
        handle.seek(offset)
        block = handle.read(length)
    batch = [(n, decode_line(n, raw)) for n, raw in split_json_lines(block, first_line)]
    return _evaluate_batch(contract, writer, batch, now)


def file_blocks(path: str, size: int = BLOCK_BYTES) -> Iterator[tuple[str, int, int, int]]:
    """``(path, offset, length, first line number)`` of consecutive blocks of
    whole lines covering the file. Finding newlines and counting them runs at
    C speed, so the main process stays nearly idle while workers read, decode
    and evaluate their own blocks: nothing but results crosses a pipe."""
    with open(path, "rb") as handle:
        offset, line, pending = 0, 1, b""
        while True:
            chunk = handle.read(size)
            data = pending + chunk if pending else chunk
            if not chunk:
                if data:
                    yield path, offset, len(data), line
                return
            cut = data.rfind(b"\n") + 1
            if cut == 0:  # one line longer than a block: keep reading
                pending = data
                continue
            yield path, offset, cut, line
            line += data.count(b"\n", 0, cut)
            offset += cut
            pending = data[cut:]


def _splittable(path: str) -> bool:
    """True for a regular JSON Lines file, whose workers can read their own blocks."""
    from sladsl.timeline.reader import is_json_array

    if path == "-" or not os.path.isfile(path):
        return False
    with open(path, "rb") as handle:
        head = handle.read(1 << 16)
    # A head of blanks alone cannot tell the format: use the general path.
    return bool(head.strip()) and not is_json_array(head, path)


def _parallel(
    contract: Contract,
    output_format: str,
    now: int,
    jobs: int,
    work: Callable[[Any], tuple[int, bool, bytes]],
    tasks: Iterator[Any],
) -> Iterator[tuple[int, bool, bytes]]:
    """Tasks done by ``jobs`` processes, results yielded in task order.

    ``Pool.imap`` would read the whole input ahead of the workers; a bounded
    window of pending tasks keeps memory flat instead.
    """
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    window = jobs * 3
    with context.Pool(
        jobs,
        initializer=_init_worker,
        initargs=(contract.source, contract.filename, output_format, now),
    ) as pool:
        pending: deque[Any] = deque()
        for task in tasks:
            pending.append(pool.apply_async(work, (task,)))
            if len(pending) >= window:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


class Progress:
    """A ticket counter on stderr, only when stderr is a terminal."""

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled
        self.count = 0
        self.started = time.monotonic()
        self.shown = 0.0

    def advance(self, count: int) -> None:
        self.count += count
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.shown >= 0.2:
            self.shown = now
            rate = self.count / max(now - self.started, 1e-9)
            sys.stderr.write(f"\r{self.count:,} tickets ({rate:,.0f}/s)")
            sys.stderr.flush()

    def done(self) -> None:
        if self.enabled and self.shown:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()
