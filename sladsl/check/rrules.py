"""RRULE holidays: parse with dateutil, reject parts that make no sense for whole days,
and find rules that yield nothing — without expanding years of dates.

Example::

    >>> rrule_problem("FREQ=YEARLY;BYMONTH=10;BYMONTHDAY=3", "UTC") is None
    True
    >>> rrule_problem("FREQ=HOURLY", "UTC")[0]
    'SLA311'
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from dateutil.relativedelta import relativedelta
from dateutil.rrule import rrule, rrulestr

from sladsl.calendar.zones import load_zone

# A holiday removes whole local days, so a rule may not say which time of day.
_FORBIDDEN_PARTS = ("DTSTART", "BYHOUR", "BYMINUTE", "BYSECOND")
_FINER_THAN_DAILY = ("HOURLY", "MINUTELY", "SECONDLY")
_PART_SPLIT = re.compile(r"[;\s]+")

# The Gregorian calendar repeats every 400 years (146097 days, a whole number
# of weeks), so a rule yields nothing at all iff it yields nothing in 400
# years. Replaying from 1970 up to dateutil's year 9999 would take seconds for
# a DAILY rule; moving DTSTART (and UNTIL) forward by a multiple of 400 years
# keeps the pattern exactly and leaves only ~430 years to search.
_SHIFT_YEARS = 7600
_EPOCH = dt.datetime(1970, 1, 1)


def _rule_key(part: str) -> str:
    part = part.removeprefix("RRULE:")
    return part.split("=", 1)[0].split(":", 1)[0]


@lru_cache(maxsize=1024)
def rrule_problem(text: str, zone: str) -> tuple[str, str, str | None] | None:
    """``(code, message, hint)`` for a bad holiday RRULE, or None if it is fine.

    ``zone`` is the calendar's IANA zone: the rule is counted from
    1970-01-01 00:00 there.

    >>> rrule_problem("FREQ=YEARLY;COUNT=0", "Europe/Berlin")[0]
    'SLA312'
    """
    upper = text.upper()
    parts = [p for p in _PART_SPLIT.split(upper) if p]
    forbidden = sorted({k for p in parts if (k := _rule_key(p)) in _FORBIDDEN_PARTS})
    for part in parts:
        key, _, value = part.removeprefix("RRULE:").partition("=")
        if key == "FREQ" and value in _FINER_THAN_DAILY:
            forbidden.append(f"FREQ={value}")
    if forbidden:
        return (
            "SLA311",
            f"RRULE part not allowed in a holiday rule: {', '.join(forbidden)}",
            "a holiday removes whole days counted from 1970-01-01: use FREQ=DAILY or "
            "coarser, without DTSTART, BYHOUR, BYMINUTE or BYSECOND",
        )
    try:
        rule = rrulestr(text, dtstart=_EPOCH.replace(tzinfo=load_zone(zone) or dt.UTC))
    except Exception as error:  # dateutil raises ValueError, TypeError, KeyError...
        hint = None
        if "UNTIL" in str(error):
            hint = "write UNTIL in UTC, as in UNTIL=20301231T000000Z"
        return ("SLA310", f"bad RRULE {text!r}: {_describe(error)}", hint)
    if not isinstance(rule, rrule):
        return ("SLA310", f"bad RRULE {text!r}: give a single RRULE", None)
    raw: Any = rule
    if raw._interval < 1:
        # dateutil accepts INTERVAL=0 and then repeats its first date forever.
        return ("SLA310", f"bad RRULE {text!r}: INTERVAL must be at least 1", None)
    try:
        empty = _first_date(rule) is None
    except Exception as error:
        return ("SLA310", f"bad RRULE {text!r}: {_describe(error)}", None)
    if empty:
        hint = "check BYMONTH, BYMONTHDAY, COUNT and UNTIL"
        return ("SLA312", f"RRULE {text!r} yields no dates", hint)
    return None


def _describe(error: Exception) -> str:
    message = str(error)
    if isinstance(error, TypeError) and "freq" in message:
        return "FREQ is missing"
    return message or type(error).__name__


def _first_date(rule: rrule) -> dt.datetime | None:
    shift = relativedelta(years=_SHIFT_YEARS)
    # dateutil exposes a rule's start and end only as private attributes.
    raw: Any = rule
    start, until = raw._dtstart, raw._until
    if until is not None and until.year + _SHIFT_YEARS <= dt.MAXYEAR:
        shifted = rule.replace(dtstart=start + shift, until=until + shift)
    else:
        shifted = rule.replace(dtstart=start + shift, until=None)
    for occurrence in shifted:
        return occurrence
    return None


@lru_cache(maxsize=1024)
def unbounded_rule(text: str) -> rrule | None:
    """The parsed rule if it is valid and runs forever (no COUNT, no UNTIL), else None.

    Only such rules can close a calendar for good (SLA313). Dates are what
    matter here, so the rule is read in UTC.

    >>> unbounded_rule("FREQ=DAILY") is not None
    True
    >>> unbounded_rule("FREQ=DAILY;COUNT=3") is None
    True
    """
    if rrule_problem(text, "UTC") is not None:
        return None
    rule = rrulestr(text, dtstart=_EPOCH.replace(tzinfo=dt.UTC))
    raw: Any = rule
    if not isinstance(rule, rrule) or raw._count is not None or raw._until is not None:
        return None
    return rule


def dates_between(rule: rrule, first: dt.date, end: dt.date) -> Iterator[dt.date]:
    """The dates the rule yields in ``[first, end)``; ``first`` must be near 1970,
    since dateutil replays the rule from its start.

    >>> rule = unbounded_rule("FREQ=WEEKLY;BYDAY=MO")
    >>> list(dates_between(rule, dt.date(1970, 1, 1), dt.date(1970, 1, 13)))
    [datetime.date(1970, 1, 5), datetime.date(1970, 1, 12)]
    """
    for occurrence in rule:
        day = occurrence.date()
        if day >= end:
            return
        if day >= first:
            yield day
