"""Evaluation results, and their JSON form (DATA.md "Results").

The evaluator keeps instants as integer UTC epoch seconds. A
:class:`TicketResult` stores one plain tuple per reported instance (a
:data:`Row`, in DATA.md key order) and builds the :class:`MetricResult`
objects, with aware datetimes, only when ``metrics`` is first read; the
command line goes straight from rows to JSON through :meth:`TicketResult.to_dict`
or :meth:`TicketResult.to_json_bytes`, formatting instants with a cached
formatter, so serializing a result costs no datetime at all.

Example::

    >>> r = TicketResult("1042", "general", None, (("first_reply_time", 1, "general",
    ...     "normal", 14400, "business", "office", "achieved", 1772841600, 1773071940,
    ...     None, 14340, 60),))
    >>> r.metrics[0].stopped_at.isoformat(), r.metrics[0].remaining
    ('2026-03-09T15:59:00+00:00', datetime.timedelta(seconds=60))
    >>> r.to_dict()["metrics"][0]["started_at"]
    '2026-03-07T00:00:00Z'
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, TypeAlias

import attrs
import orjson

from sladsl.errors import TicketError
from sladsl.timeline.instants import format_instant

_UTC = _dt.UTC
_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_UTC)

# (metric, instance, policy, priority, target_seconds, clock, calendar, status,
#  started_at, stopped_at, due_at, elapsed_seconds, remaining_seconds), the
# instants as epoch seconds.
Row: TypeAlias = tuple[
    str,
    int,
    str,
    "str | None",
    int,
    str,
    "str | None",
    str,
    int,
    "int | None",
    "int | None",
    int,
    int,
]

METRIC_KEYS: tuple[str, ...] = (
    "metric",
    "instance",
    "policy",
    "priority",
    "target_seconds",
    "clock",
    "calendar",
    "status",
    "started_at",
    "stopped_at",
    "due_at",
    "elapsed_seconds",
    "remaining_seconds",
)


def _instant(seconds: int | None) -> str | None:
    return None if seconds is None else format_instant(seconds)


def to_datetime(seconds: int) -> _dt.datetime:
    """An aware UTC datetime for epoch seconds."""
    return _EPOCH + _dt.timedelta(seconds=seconds)


def _datetime(seconds: int | None) -> _dt.datetime | None:
    return None if seconds is None else _EPOCH + _dt.timedelta(seconds=seconds)


def _iso(value: _dt.datetime | None) -> str | None:
    if value is None:
        return None
    delta = value - _EPOCH
    return format_instant(delta.days * 86400 + delta.seconds)


def row_to_dict(row: Row) -> dict[str, Any]:
    """The JSON object of one instance row (DATA.md key order)."""
    (
        metric,
        instance,
        policy,
        priority,
        target,
        clock,
        calendar,
        status,
        started,
        stopped,
        due,
        elapsed,
        remaining,
    ) = row
    return {
        "metric": metric,
        "instance": instance,
        "policy": policy,
        "priority": priority,
        "target_seconds": target,
        "clock": clock,
        "calendar": calendar,
        "status": status,
        "started_at": format_instant(started),
        "stopped_at": None if stopped is None else format_instant(stopped),
        "due_at": None if due is None else format_instant(due),
        "elapsed_seconds": elapsed,
        "remaining_seconds": remaining,
    }


def rows_to_dicts(rows: tuple[Row, ...]) -> list[dict[str, Any]]:
    """:func:`row_to_dict` over a ticket's rows, formatting each distinct
    instant once (a ticket's instances share most of their instants)."""
    seen: dict[int | None, str | None] = {None: None}
    out = []
    for (
        metric,
        instance,
        policy,
        priority,
        target,
        clock,
        calendar,
        status,
        started,
        stopped,
        due,
        elapsed,
        remaining,
    ) in rows:
        s = seen.get(started)
        if s is None:
            s = seen[started] = format_instant(started)
        p = seen.get(stopped, "")
        if p == "":
            p = seen[stopped] = format_instant(stopped)  # type: ignore[arg-type]
        d = seen.get(due, "")
        if d == "":
            d = seen[due] = format_instant(due)  # type: ignore[arg-type]
        out.append(
            {
                "metric": metric,
                "instance": instance,
                "policy": policy,
                "priority": priority,
                "target_seconds": target,
                "clock": clock,
                "calendar": calendar,
                "status": status,
                "started_at": s,
                "stopped_at": p,
                "due_at": d,
                "elapsed_seconds": elapsed,
                "remaining_seconds": remaining,
            }
        )
    return out


# ------------------------------------------------------------- results


@attrs.frozen
class MetricResult:
    """One reported metric instance; attributes are DATA.md's keys, instants
    aware UTC datetimes.

    Example::

        for m in result.metrics:
            print(m.metric, m.instance, m.status, m.due_at, m.elapsed, m.remaining)
    """

    metric: str
    instance: int
    policy: str
    priority: str | None
    target_seconds: int
    clock: str
    calendar: str | None
    status: str
    started_at: _dt.datetime
    stopped_at: _dt.datetime | None
    due_at: _dt.datetime | None
    elapsed_seconds: int
    remaining_seconds: int

    @property
    def elapsed(self) -> _dt.timedelta:
        """``elapsed_seconds`` as a timedelta."""
        return _dt.timedelta(seconds=self.elapsed_seconds)

    @property
    def remaining(self) -> _dt.timedelta:
        """``remaining_seconds`` as a timedelta (negative once over target)."""
        return _dt.timedelta(seconds=self.remaining_seconds)

    @property
    def target(self) -> _dt.timedelta:
        """``target_seconds`` as a timedelta."""
        return _dt.timedelta(seconds=self.target_seconds)

    @classmethod
    def from_row(cls, row: Row) -> MetricResult:
        """Build from an evaluator row (epoch-second instants)."""
        (
            metric,
            instance,
            policy,
            priority,
            target,
            clock,
            calendar,
            status,
            started,
            stopped,
            due,
            elapsed,
            remaining,
        ) = row
        return cls(
            metric,
            instance,
            policy,
            priority,
            target,
            clock,
            calendar,
            status,
            to_datetime(started),
            _datetime(stopped),
            _datetime(due),
            elapsed,
            remaining,
        )

    def to_dict(self) -> dict[str, Any]:
        """DATA.md's JSON object for this instance."""
        return {
            "metric": self.metric,
            "instance": self.instance,
            "policy": self.policy,
            "priority": self.priority,
            "target_seconds": self.target_seconds,
            "clock": self.clock,
            "calendar": self.calendar,
            "status": self.status,
            "started_at": _iso(self.started_at),
            "stopped_at": _iso(self.stopped_at),
            "due_at": _iso(self.due_at),
            "elapsed_seconds": self.elapsed_seconds,
            "remaining_seconds": self.remaining_seconds,
        }


@attrs.frozen
class TicketResult:
    """A ticket's evaluation: its id, policy, earliest active due time and
    reported instances (metric-table order, then instance number).

    ``rows`` are the instances as plain tuples (epoch seconds);
    ``metrics`` gives them as :class:`MetricResult` objects.

    Example::

        result = contract.evaluate(ticket, now=now)
        print(result.policy, result.next_due_at, [m.status for m in result.metrics])
        line = result.to_json_bytes()
    """

    ticket: str | int
    policy: str | None
    next_due_seconds: int | None
    rows: tuple[Row, ...]
    _metrics: tuple[MetricResult, ...] | None = attrs.field(
        default=None, init=False, eq=False, repr=False
    )

    @property
    def next_due_at(self) -> _dt.datetime | None:
        """The earliest ``due_at`` among active instances, or None."""
        return _datetime(self.next_due_seconds)

    @property
    def metrics(self) -> tuple[MetricResult, ...]:
        """The reported instances."""
        cached = self._metrics
        if cached is None:
            cached = tuple(MetricResult.from_row(r) for r in self.rows)
            object.__setattr__(self, "_metrics", cached)
        return cached

    def to_dict(self) -> dict[str, Any]:
        """DATA.md's JSON object for this ticket, keys in DATA.md's order."""
        due = self.next_due_seconds
        return {
            "ticket": self.ticket,
            "policy": self.policy,
            "next_due_at": None if due is None else format_instant(due),
            "metrics": rows_to_dicts(self.rows),
        }

    def to_json_bytes(self) -> bytes:
        """``to_dict()`` serialized by orjson (no trailing newline)."""
        return orjson.dumps(self.to_dict())


def _valid_id(value: object) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, str) and value != "")


@attrs.frozen
class ErrorResult:
    """A ticket that could not be evaluated, in its place among the results.

    Example::

        >>> e = ErrorResult.from_error(TicketError("BAD_TIME", "bad 'at'", line=3), {"id": 7})
        >>> e.to_dict()
        {'ticket': 7, 'error': {'code': 'BAD_TIME', 'message': "bad 'at'", 'line': 3}}
    """

    ticket: str | int | None
    code: str
    message: str
    line: int | None

    @classmethod
    def from_error(cls, error: TicketError, obj: object) -> ErrorResult:
        """The error result for ``error``; the id comes from ``obj`` when it is
        a dict with a valid id (else from the error, else None)."""
        ticket: str | int | None = None
        if isinstance(obj, dict) and _valid_id(obj.get("id")):
            ticket = obj["id"]
        elif _valid_id(error.ticket):
            ticket = error.ticket
        return cls(ticket, error.code, error.message, error.line)

    def to_dict(self) -> dict[str, Any]:
        """DATA.md's error object."""
        return {
            "ticket": self.ticket,
            "error": {"code": self.code, "message": self.message, "line": self.line},
        }

    def to_json_bytes(self) -> bytes:
        """``to_dict()`` serialized by orjson (no trailing newline)."""
        return orjson.dumps(self.to_dict())
