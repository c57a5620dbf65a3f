"""The public Python API: load a contract, check text, evaluate tickets.

Example::

    >>> import sladsl, datetime as dt
    >>> contract = sladsl.loads('''
    ... calendar office { timezone "America/New_York"  hours mon-fri 09:00-20:00 }
    ... policy general { calendar office  first_reply_time: 4h }
    ... ''', filename="support.sla")
    >>> ticket = {"id": 1, "updates": [{"at": "2026-03-06T19:00:00-05:00",
    ...     "by": "requester", "comment": "public"}]}
    >>> now = dt.datetime(2026, 3, 9, 15, 0, tzinfo=dt.timezone.utc)
    >>> contract.evaluate(ticket, now=now).metrics[0].status
    'active'
"""

from __future__ import annotations

import datetime as _dt
import itertools
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sladsl.check import check_text
from sladsl.check.diagnostics import Diagnostic, has_errors
from sladsl.errors import ContractError, TicketError

if TYPE_CHECKING:
    from sladsl.calendar.business import BusinessCalendar
    from sladsl.engine.compile import CompiledContract
    from sladsl.engine.results import ErrorResult, TicketResult
    from sladsl.syntax.ast import Contract as ContractAST


def check(text: str, filename: str = "<string>") -> list[Diagnostic]:
    """Every problem in a contract's text, sorted by position. Never raises on bad input.

    Example::

        >>> [d.code for d in check("policy p { first_reply_time: 4hours }")]
        ['SLA405']
    """
    return check_text(text, filename)[1]


def loads(text: str, filename: str = "<string>") -> Contract:
    """Parse, check and compile a contract from text; raise :class:`ContractError`
    (with ``.diagnostics``) if it has errors. Warnings are kept on the result."""
    return Contract(text, filename)


def load(path: str | Path) -> Contract:
    """:func:`loads` on a file's contents (UTF-8).

    Raises :class:`ContractError` for a contract with errors and ``OSError`` or
    ``UnicodeDecodeError`` for a file that cannot be read as UTF-8 text.
    """
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    return Contract(text, str(path))


def to_epoch(value: _dt.datetime, what: str = "datetime") -> int:
    """UTC epoch seconds of an aware datetime, truncated toward the past."""
    if not isinstance(value, _dt.datetime):
        raise TypeError(f"{what} must be a datetime, not {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware (got naive {value.isoformat()})")
    delta = value - _EPOCH
    return delta.days * 86400 + delta.seconds


_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.UTC)


class Contract:
    """A checked, compiled contract, ready to evaluate tickets.

    Build it with :func:`sladsl.load` or :func:`sladsl.loads`. It is immutable
    and picklable (it pickles as its source text and recompiles), so it can be
    shipped to worker processes.
    """

    def __init__(self, text: str, filename: str = "<string>") -> None:
        from sladsl.calendar.compile import compile_calendars
        from sladsl.engine.compile import compile_contract

        tree, diagnostics = check_text(text, filename)
        if tree is None or has_errors(diagnostics):
            raise ContractError(diagnostics)
        self.source = text
        self.filename = filename
        self.diagnostics: list[Diagnostic] = diagnostics
        self.ast: ContractAST = tree
        self.calendars: Mapping[str, BusinessCalendar] = compile_calendars(tree)
        self.compiled: CompiledContract = compile_contract(tree, dict(self.calendars))

    def __reduce__(self) -> tuple[Any, ...]:
        return (Contract, (self.source, self.filename))

    def __repr__(self) -> str:
        return f"<sladsl.Contract {self.filename!r}: {len(self.ast.policies)} policies>"

    @property
    def priorities(self) -> tuple[str, ...]:
        return self.compiled.priorities

    def evaluate(self, ticket: Mapping[str, Any], *, now: _dt.datetime) -> TicketResult:
        """Evaluate one ticket (a dict in DATA.md's format) as of ``now``.

        Raises :class:`TicketError` for a bad ticket and ``ValueError`` for a
        naive ``now``.
        """
        from sladsl.engine.evaluate import evaluate
        from sladsl.timeline.reader import parse_ticket

        now_s = to_epoch(now, "now")
        parsed = parse_ticket(ticket, priorities=self.priorities, line=None)
        return evaluate(self.compiled, parsed, now_s)

    def evaluate_many(
        self, tickets: Iterable[Mapping[str, Any]], *, now: _dt.datetime
    ) -> Iterator[TicketResult | ErrorResult]:
        """Evaluate tickets lazily, in order; a bad ticket yields an
        :class:`ErrorResult` in its place (``line`` = its 1-based position)."""
        now_s = to_epoch(now, "now")
        return self.evaluate_numbered(zip(itertools.count(1), tickets), now_s)

    def evaluate_numbered(
        self, items: Iterable[tuple[int, object]], now: int
    ) -> Iterator[TicketResult | ErrorResult]:
        """The batch loop behind :meth:`evaluate_many` and ``sladsl eval``.

        ``items`` pairs each decoded ticket with its input position (a
        :class:`TicketError` in place of the ticket means it could not even be
        decoded); ``now`` is UTC epoch seconds. One bad ticket never stops the
        batch: it yields an :class:`ErrorResult` in its place.
        """
        from sladsl.engine.evaluate import evaluate
        from sladsl.engine.results import ErrorResult
        from sladsl.timeline.reader import parse_ticket

        compiled = self.compiled
        priorities = compiled.priorities
        for line, obj in items:
            if isinstance(obj, TicketError):
                yield ErrorResult.from_error(obj, None)
                continue
            try:
                yield evaluate(compiled, parse_ticket(obj, priorities=priorities, line=line), now)
            except TicketError as error:
                if error.line is None:
                    error.line = line
                yield ErrorResult.from_error(error, obj)
