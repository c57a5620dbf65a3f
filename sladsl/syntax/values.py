"""Turning permissively-lexed value text into numbers, or saying why not.

The lexer accepts any ``\\d+[a-z]+`` as a duration, any ``dddd-dd-dd`` as a
date and any ``dd:dd`` as a clock time, so that the checker (not the parser)
rejects bad values, with a precise message and a hint. Each function here
returns the value, or raises :class:`ValueProblem` with a message meant for
the author of the contract.

Example::

    >>> parse_duration("1h30m")
    5400
    >>> parse_clock("24:00", allow_24=True)
    1440
"""

from __future__ import annotations

import datetime as _dt
import re

from sladsl.syntax.words import MONTHS, ORDINALS, WEEKDAYS

_UNIT_SECONDS = {"w": 7 * 86400, "d": 86400, "h": 3600, "m": 60, "s": 1}
_UNIT_ORDER = "wdhms"
_DURATION_GROUP = re.compile(r"(\d+)([a-z]+)")
_CLOCK = re.compile(r"(\d\d):(\d\d)\Z")
_DATE = re.compile(r"(\d{4})-(\d\d)-(\d\d)\Z")


class ValueProblem(ValueError):
    """A value that the lexer accepted but the language does not."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def parse_duration(text: str) -> int:
    """Seconds in a duration such as ``90m``, ``1h30m`` or ``2d``.

    Units are ``w d h m s``, each at most once and in that order.
    """
    pos = 0
    total = 0
    last_unit = -1
    for match in _DURATION_GROUP.finditer(text):
        if match.start() != pos:
            break
        number, unit = match.group(1), match.group(2)
        if unit not in _UNIT_SECONDS:
            raise ValueProblem(
                f"malformed duration {text!r}: unknown unit {unit!r}",
                hint="units are w, d, h, m, s, as in 90m, 1h30m or 2d",
            )
        index = _UNIT_ORDER.index(unit)
        if index <= last_unit:
            raise ValueProblem(
                f"malformed duration {text!r}: units must appear at most once, "
                "in the order w d h m s",
                hint=_reordered(text),
            )
        last_unit = index
        total += int(number) * _UNIT_SECONDS[unit]
        pos = match.end()
    if pos != len(text) or pos == 0:
        raise ValueProblem(
            f"malformed duration {text!r}",
            hint="write a number and a unit without spaces, as in 90m, 1h30m or 2d",
        )
    return total


def _reordered(text: str) -> str | None:
    groups = _DURATION_GROUP.findall(text)
    units = [u for _, u in groups]
    if len(set(units)) != len(units) or not all(u in _UNIT_SECONDS for u in units):
        return None
    ordered = sorted(groups, key=lambda g: _UNIT_ORDER.index(g[1]))
    return "did you mean " + "".join(n + u for n, u in ordered) + "?"


def format_duration(seconds: int) -> str:
    """The canonical spelling of a number of seconds (``5400`` -> ``1h30m``)."""
    if seconds == 0:
        return "0s"
    parts = []
    for unit in "dhms":
        size = _UNIT_SECONDS[unit]
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts)


def parse_clock(text: str, *, allow_24: bool = False) -> int:
    """Minutes after midnight of an ``HH:MM`` clock time; ``24:00`` only if allowed."""
    match = _CLOCK.match(text)
    if not match:
        raise ValueProblem(f"impossible time {text!r}", hint="write times as HH:MM, 00:00 to 24:00")
    hours, minutes = int(match.group(1)), int(match.group(2))
    if hours == 24 and minutes == 0:
        if allow_24:
            return 1440
        raise ValueProblem("24:00 can only end a range", hint="write 00:00 for the start of a day")
    if hours > 23 or minutes > 59:
        raise ValueProblem(f"impossible time {text!r}", hint="times run from 00:00 to 24:00")
    return hours * 60 + minutes


def parse_date(text: str) -> _dt.date:
    """A ``YYYY-MM-DD`` date, rejecting impossible ones like ``2026-02-30``."""
    match = _DATE.match(text)
    if not match:
        raise ValueProblem(f"impossible date {text!r}", hint="write dates as YYYY-MM-DD")
    try:
        return _dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        raise ValueProblem(f"impossible date {text!r}") from None


def weekday_index(name: str) -> int:
    """0 for ``mon`` ... 6 for ``sun``."""
    try:
        return WEEKDAYS.index(name)
    except ValueError:
        raise ValueProblem(f"unknown weekday {name!r}") from None


def month_number(name: str) -> int:
    """1 for ``jan`` ... 12 for ``dec``."""
    try:
        return MONTHS.index(name) + 1
    except ValueError:
        raise ValueProblem(f"unknown month {name!r}") from None


def ordinal_number(text: str) -> int:
    """1..5 for ``1st``..``5th``, -1 for ``last``."""
    try:
        return ORDINALS[text]
    except KeyError:
        raise ValueProblem(
            f"unknown ordinal {text!r}", hint="use 1st, 2nd, 3rd, 4th, 5th or last"
        ) from None
