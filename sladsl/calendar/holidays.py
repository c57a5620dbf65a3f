"""Holiday rules, expanded one year at a time and memoised.

A :class:`HolidayRules` answers one question, "which local dates of year Y
are holidays?", as a set of proleptic ordinals (``date.toordinal()``), the
form the calendar expansion loop compares against. Each year is computed
once per object; ``rrule`` recurrences are replayed from 1970-01-01 exactly
once, in order, whatever order the years are asked for in.

Example::

    >>> import datetime as dt
    >>> rules = HolidayRules(yearly=[(1, 1, True)])
    >>> sorted(dt.date.fromordinal(o) for o in rules.ordinals_in_year(2021))
    [datetime.date(2021, 1, 1), datetime.date(2021, 12, 31)]
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Iterator
from typing import Any

from dateutil.easter import easter
from dateutil.rrule import rrule, rrulestr

from sladsl.calendar.zones import load_zone

# LANGUAGE.md: rrule recurrences are counted from this local date.
RRULE_START = _dt.datetime(1970, 1, 1)

_MINYEAR, _MAXYEAR = _dt.MINYEAR, _dt.MAXYEAR


def _date_or_none(year: int, month: int, day: int) -> _dt.date | None:
    try:
        return _dt.date(year, month, day)
    except ValueError:
        return None


def nth_weekday(year: int, month: int, weekday: int, ordinal: int) -> _dt.date | None:
    """The ``ordinal``-th (1..5, or -1 for last) ``weekday`` (0 = Monday) of a month.

    None when the month has no such day (a 5th Monday in most months).

        >>> nth_weekday(2026, 11, 3, 4)
        datetime.date(2026, 11, 26)
    """
    if ordinal == -1:
        nxt = _dt.date(year + 1, 1, 1) if month == 12 else _dt.date(year, month + 1, 1)
        last = nxt - _dt.timedelta(days=1)
        return last - _dt.timedelta(days=(last.weekday() - weekday) % 7)
    first = _dt.date(year, month, 1)
    day = first + _dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (ordinal - 1))
    return day if day.month == month else None


def parse_rrule(text: str, zone: str = "UTC") -> rrule:
    """A dateutil ``rrule`` for an RRULE body, anchored at 1970-01-01 00:00 in
    ``zone`` (as the checker reads it, so an ``UNTIL`` is written in UTC).

    Raises ``ValueError`` when dateutil cannot read it.

        >>> parse_rrule("FREQ=YEARLY;BYMONTH=10;BYMONTHDAY=3")[0].date()
        datetime.date(1970, 10, 3)
    """
    tz = load_zone(zone)
    if tz is None:
        raise ValueError(f"unknown time zone {zone!r}")
    rule = rrulestr(text.strip(), dtstart=RRULE_START.replace(tzinfo=tz))
    if not isinstance(rule, rrule):
        raise ValueError(f"not a single RRULE: {text!r}")
    return rule


class _RRuleCursor:
    """One recurrence, replayed forward once and bucketed by year."""

    def __init__(self, text: str, zone: str) -> None:
        self._iter: Iterator[_dt.datetime] = iter(parse_rrule(text, zone))
        self._by_year: dict[int, set[int]] = {}
        self._last_year = _MINYEAR - 1
        self._last: _dt.datetime | None = None
        self._done = False

    def year(self, year: int) -> set[int]:
        # Occurrences come out in order, so one read past `year` proves that
        # the year is complete.
        while not self._done and self._last_year <= year:
            try:
                when = next(self._iter)
            except StopIteration:
                self._done = True
                break
            if self._last is not None and when <= self._last:
                # dateutil repeats one date forever for INTERVAL=0 (which
                # the checker rejects): never spin on it.
                self._done = True
                break
            self._last = when
            self._last_year = when.year
            self._by_year.setdefault(when.year, set()).add(when.toordinal())
        return self._by_year.get(year, set())


class HolidayRules:
    """Every holiday rule of one calendar, after ``include`` and ``holidays``
    lists are resolved.

    ``fixed``: single dates; ``ranges``: inclusive ``(first, last)`` date
    pairs; ``yearly``: ``(month, day, observed)``; ``nth``: ``(ordinal,
    weekday, month)`` with ordinal 1..5 or -1 for last and weekday 0 for
    Monday; ``easter``: day offsets from Western Easter Sunday; ``rrules``:
    RRULE texts counted from 1970-01-01 00:00 in ``zone``.

        >>> HolidayRules(nth=[(-1, 0, 5)]).is_holiday(_dt.date(2026, 5, 25))
        True
    """

    def __init__(
        self,
        *,
        fixed: Iterable[_dt.date] = (),
        ranges: Iterable[tuple[_dt.date, _dt.date]] = (),
        yearly: Iterable[tuple[int, int, bool]] = (),
        nth: Iterable[tuple[int, int, int]] = (),
        easter: Iterable[int] = (),
        rrules: Iterable[str] = (),
        zone: str = "UTC",
    ) -> None:
        self.fixed = tuple(sorted(set(fixed)))
        self.ranges = tuple(sorted(set(ranges)))
        self.yearly = tuple(sorted(set(yearly)))
        self.nth = tuple(sorted(set(nth)))
        self.easter = tuple(sorted(set(easter)))
        self.rrules = tuple(dict.fromkeys(rrules))
        self.zone = zone
        self._reset()

    def _reset(self) -> None:
        self._years: dict[int, frozenset[int]] = {}
        self._cursors: list[_RRuleCursor] | None = None
        self._fixed_by_year: dict[int, set[int]] = {}
        for day in self.fixed:
            self._fixed_by_year.setdefault(day.year, set()).add(day.toordinal())

    def __getstate__(self) -> dict[str, Any]:
        return {
            "fixed": self.fixed,
            "ranges": self.ranges,
            "yearly": self.yearly,
            "nth": self.nth,
            "easter": self.easter,
            "rrules": self.rrules,
            "zone": self.zone,
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._reset()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, HolidayRules):
            return NotImplemented
        return self.__getstate__() == other.__getstate__()

    def __hash__(self) -> int:
        return hash(tuple(self.__getstate__().values()))

    def __repr__(self) -> str:
        parts = ", ".join(f"{k}={v!r}" for k, v in self.__getstate__().items() if v)
        return f"HolidayRules({parts})"

    @property
    def empty(self) -> bool:
        """True when there is no rule at all."""
        return not (
            self.fixed or self.ranges or self.yearly or self.nth or self.easter or self.rrules
        )

    def is_holiday(self, day: _dt.date) -> bool:
        """Whether the local date ``day`` is a holiday."""
        return day.toordinal() in self.ordinals_in_year(day.year)

    def ordinals_in_year(self, year: int) -> frozenset[int]:
        """The holidays falling in local year ``year``, as date ordinals."""
        found = self._years.get(year)
        if found is None:
            found = self._years[year] = frozenset(self._compute(year))
        return found

    def _compute(self, year: int) -> set[int]:
        out: set[int] = set(self._fixed_by_year.get(year, ()))
        if not _MINYEAR < year < _MAXYEAR:
            # Neighbouring years are needed below; the edges of datetime's
            # range are outside what calendars support anyway.
            return out
        lo = _dt.date(year, 1, 1).toordinal()
        hi = _dt.date(year, 12, 31).toordinal()
        for first, last in self.ranges:
            a, b = max(first.toordinal(), lo), min(last.toordinal(), hi)
            out.update(range(a, b + 1))
        for month, day, observed in self.yearly:
            # Observed days cross the year boundary (1 Jan on a Saturday is
            # observed on 31 Dec), so the neighbouring years' dates count too.
            for y in (year - 1, year, year + 1):
                d = _date_or_none(y, month, day)
                if d is None:
                    continue
                o = d.toordinal()
                candidates = [o]
                if observed:
                    wd = d.weekday()
                    if wd == 5:
                        candidates.append(o - 1)
                    elif wd == 6:
                        candidates.append(o + 1)
                out.update(c for c in candidates if lo <= c <= hi)
        for ordinal, weekday, month in self.nth:
            d = nth_weekday(year, month, weekday, ordinal)
            if d is not None:
                out.add(d.toordinal())
        for offset in self.easter:
            # An offset of a year or more lands in another year than its Easter.
            centre = year - round(offset / 365.2425)
            for y in (centre - 1, centre, centre + 1):
                if _MINYEAR <= y <= _MAXYEAR:
                    o = easter(y).toordinal() + offset
                    if lo <= o <= hi:
                        out.add(o)
        if self.rrules:
            if self._cursors is None:
                self._cursors = [_RRuleCursor(text, self.zone) for text in self.rrules]
            for cursor in self._cursors:
                out.update(cursor.year(year))
        return out
