"""Business-time arithmetic on integer UTC epoch seconds (SEMANTICS.md §1).

A :class:`BusinessCalendar` turns its weekly hours, date overrides and
holidays into half-open open intervals ``[start, end)`` of UTC seconds. The
intervals of one local year are built once (lazily) and cached; the years
asked about so far are kept as one flat, sorted span::

    starts = [SENTINEL, s1, s2, ...]     interval starts, ascending
    ends   = [SENTINEL, e1, e2, ...]     interval ends (touching ones merged)
    cum    = [0, c1, c2, ...]            business seconds of the span up to ends[i]

so that "business seconds before t" is one ``bisect`` plus two lookups,
``between`` is two of those and ``add`` one more ``bisect`` on ``cum``,
however far apart the instants are. When a query leaves the span, the span
is widened (a year at a time at least, more as it grows) and rebuilt from the
cached years.

Example::

    >>> import datetime as dt
    >>> from sladsl.calendar.holidays import HolidayRules
    >>> cal = BusinessCalendar(
    ...     "office", "America/New_York",
    ...     weekly=[[(540, 1200)]] * 5 + [[], []],      # mon-fri 09:00-20:00
    ... )
    >>> fri = dt.datetime(2026, 3, 6, 19, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    >>> cal.add(fri, dt.timedelta(hours=4)).isoformat()
    '2026-03-09T16:00:00+00:00'
"""

from __future__ import annotations

import datetime as _dt
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final
from zoneinfo import ZoneInfo

from sladsl.calendar.holidays import HolidayRules
from sladsl.calendar.zones import load_zone
from sladsl.errors import CalendarExhausted, InstantOutOfRange

__all__ = [
    "CALENDAR_HOURS",
    "HORIZON_SECONDS",
    "AlwaysOpenCalendar",
    "BusinessCalendar",
    "from_epoch",
    "has_open_time",
    "to_epoch",
]

#: How far ``add``, ``next_open`` and ``next_close`` look ahead: ten years of
#: 365.25 days, rounded up to whole days.
HORIZON_SECONDS: Final = 3653 * 86400

#: Local years a calendar can expand; the neighbours of each must still be
#: valid ``datetime`` years.
MIN_YEAR: Final = 2
MAX_YEAR: Final = 9997

_EPOCH: Final = _dt.datetime(1970, 1, 1, tzinfo=_dt.UTC)
_EPOCH_ORDINAL: Final = _dt.date(1970, 1, 1).toordinal()
_SECOND: Final = _dt.timedelta(seconds=1)
_SENTINEL: Final = -(1 << 62)

# A weekly or override range compiled for expansion: start minute on its own
# date, then the end as (days after the start date, minute of that day).
_Range = tuple[int, int, int]


def to_epoch(when: _dt.datetime) -> int:
    """Whole UTC epoch seconds of an aware datetime, truncated toward the past.

    >>> to_epoch(_dt.datetime(1970, 1, 1, 0, 0, 1, 999999, tzinfo=_dt.timezone.utc))
    1
    """
    if not isinstance(when, _dt.datetime):
        raise TypeError(f"expected a datetime, got {type(when).__name__}")
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError(
            f"naive datetime {when.isoformat()} has no time zone: "
            "pass an aware datetime (e.g. with tzinfo=datetime.timezone.utc)"
        )
    return (when - _EPOCH) // _SECOND


def from_epoch(seconds: int) -> _dt.datetime:
    """The aware UTC datetime of an epoch second.

    >>> from_epoch(0).isoformat()
    '1970-01-01T00:00:00+00:00'
    """
    return _EPOCH + _dt.timedelta(seconds=seconds)


def _to_seconds(duration: _dt.timedelta) -> int:
    if not isinstance(duration, _dt.timedelta):
        raise TypeError(f"expected a timedelta, got {type(duration).__name__}")
    if duration < _dt.timedelta(0):
        # str() of a negative timedelta reads "-1 day, 23:59:59"; seconds are clearer.
        seconds = duration.total_seconds()
        raise ValueError(f"cannot add a negative business duration ({seconds:g} s)")
    return duration // _SECOND


def _compile_ranges(ranges: Iterable[tuple[int, int]]) -> tuple[_Range, ...]:
    out = []
    for start, end in ranges:
        if not (0 <= start < 1440 and 0 <= end <= 1440 and start != end):
            raise ValueError(f"bad range {start}-{end} (minutes after midnight)")
        # Overnight is decided on the wall clock: an end before the start is
        # on the next day; 24:00 is the next day's 00:00.
        end_offset = end if end > start else end + 1440
        out.append((start, end_offset // 1440, end_offset % 1440))
    return tuple(sorted(set(out)))


def _merge(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    intervals.sort()
    merged: list[tuple[int, int]] = []
    for start, end in intervals:
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _subtract(
    opened: list[tuple[int, int]], removed: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """``opened`` minus ``removed``; both sorted and disjoint."""
    out: list[tuple[int, int]] = []
    j = 0
    for start, end in opened:
        while j < len(removed) and removed[j][1] <= start:
            j += 1
        k = j
        while start < end and k < len(removed) and removed[k][0] < end:
            r_start, r_end = removed[k]
            if r_start > start:
                out.append((start, r_start))
            start = max(start, r_end)
            k += 1
        if start < end:
            out.append((start, end))
    return out


class BusinessCalendar:
    """Open hours in a time zone, and business-time arithmetic over them.

    ``weekly`` has seven entries (Monday first), each a list of ``(start,
    end)`` ranges in minutes after local midnight; ``end`` may be 1440
    (24:00) or at most ``start`` for an overnight range that belongs to its
    start day. ``overrides`` maps a local date to the ranges that replace its
    weekly ones. Use :func:`sladsl.calendar.compile.compile_calendars` to get
    these from a contract.

    The integer API works on UTC epoch seconds and is what the evaluator
    calls; the datetime API (:meth:`between`, :meth:`add`, ...) wraps it,
    truncating every instant to the whole second toward the past.

        >>> cal = BusinessCalendar("nights", "Asia/Tokyo", weekly=[[(1320, 360)]] * 7)
        >>> cal.between_seconds(0, 86400)     # 22:00-06:00 every night
        28800
    """

    name: str | None
    zone: str

    def __init__(
        self,
        name: str | None,
        zone: str,
        *,
        weekly: Sequence[Iterable[tuple[int, int]]],
        overrides: Mapping[_dt.date, Iterable[tuple[int, int]]] | None = None,
        holidays: HolidayRules | None = None,
    ) -> None:
        if len(weekly) != 7:
            raise ValueError("weekly hours need seven entries, Monday first")
        self.name = name
        self.zone = zone
        self._weekly = tuple(_compile_ranges(day) for day in weekly)
        self._overrides = {
            day.toordinal(): _compile_ranges(ranges) for day, ranges in (overrides or {}).items()
        }
        self._holidays = holidays if holidays is not None else HolidayRules()
        self._setup()

    # ------------------------------------------------------------ pickling

    def _setup(self) -> None:
        tz = load_zone(self.zone)
        if tz is None:
            raise ValueError(f"unknown time zone {self.zone!r}")
        self._tz: ZoneInfo = tz
        self._years: dict[int, tuple[list[int], list[int]]] = {}
        self._midnights: dict[int, int] = {}
        self._span_years = (0, -1)
        # (lo, hi, starts, ends, cum): instants in [lo, hi) are answered from
        # the arrays; the empty span makes every first query widen it.
        self._flat: tuple[int, int, list[int], list[int], list[int]] = (
            0,
            0,
            [_SENTINEL],
            [_SENTINEL],
            [0],
        )

    def __getstate__(self) -> dict[str, Any]:
        # The expansion caches can be large and hold a ZoneInfo; rebuild them.
        return {
            "name": self.name,
            "zone": self.zone,
            "weekly": self._weekly,
            "overrides": self._overrides,
            "holidays": self._holidays,
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.name = state["name"]
        self.zone = state["zone"]
        self._weekly = state["weekly"]
        self._overrides = state["overrides"]
        self._holidays = state["holidays"]
        self._setup()

    def __repr__(self) -> str:
        return f"<BusinessCalendar {self.name!r} in {self.zone}>"

    # ------------------------------------------------------------ integer API

    def between_seconds(self, a: int, b: int) -> int:
        """Business seconds in ``[a, b)``; negative when ``b < a``.

        >>> CALENDAR_HOURS.between_seconds(10, 4)
        -6
        """
        lo, hi, starts, ends, cum = self._flat
        if lo <= a < hi and lo <= b < hi:
            i = bisect_right(starts, a) - 1
            end = ends[i]
            before_a = cum[i] if end <= a else cum[i] - end + a
            i = bisect_right(starts, b) - 1
            end = ends[i]
            return (cum[i] if end <= b else cum[i] - end + b) - before_a
        self._cover(min(a, b), max(a, b))
        return self.between_seconds(a, b)

    def add_seconds(self, t: int, d: int) -> int:
        """The earliest instant ``u >= t`` with ``between_seconds(t, u) == d``.

        Raises ``ValueError`` for a negative ``d`` and
        :class:`~sladsl.errors.CalendarExhausted` when ``u`` would be more
        than ten years after ``t``.

            >>> CALENDAR_HOURS.add_seconds(100, 5)
            105
        """
        lo, hi, starts, ends, cum = self._flat
        if d > 0 and lo <= t < hi:
            i = bisect_right(starts, t) - 1
            end = ends[i]
            target = (cum[i] if end <= t else cum[i] - end + t) + d
            if target <= cum[-1]:
                k = bisect_left(cum, target, i)
                u = ends[k] - cum[k] + target
                if u - t <= HORIZON_SECONDS:
                    return u
                self._exhausted(t, d)
        if d == 0:
            return t
        if d < 0:
            raise ValueError(f"cannot add a negative business duration ({d} s)")
        return self._add_slow(t, d)

    def is_open_at(self, t: int) -> bool:
        """Whether the calendar is open at instant ``t``."""
        lo, hi, starts, ends, _ = self._flat
        if not lo <= t < hi:
            self._cover(t, t)
            _, hi, starts, ends, _ = self._flat
        return t < ends[bisect_right(starts, t) - 1]

    def next_open_at(self, t: int) -> int | None:
        """``t`` if open, else the next opening; None if none within ten years."""
        limit = t + HORIZON_SECONDS
        self._cover(t, t)
        while True:
            _, hi, starts, ends, _ = self._flat
            i = bisect_right(starts, t) - 1
            if t < ends[i]:
                return t
            if i + 1 < len(starts):
                return starts[i + 1] if starts[i + 1] <= limit else None
            if hi > limit or not self._widen_to(min(limit, hi + 366 * 86400)):
                return None

    def next_close_at(self, t: int) -> int | None:
        """End of the open interval containing ``t``, or of the next one.

        None when that end (or the next opening) is more than ten years away,
        as for a calendar that never closes.
        """
        limit = t + HORIZON_SECONDS
        start = self.next_open_at(t)
        if start is None:
            return None
        while True:
            _, hi, starts, ends, _ = self._flat
            end = ends[bisect_right(starts, start) - 1]
            if end > limit:
                return None
            # An interval that reaches the edge of the span may go on in the
            # next year: widen and look again.
            if end < hi:
                return end
            if hi > limit or not self._widen_to(min(limit, hi + 366 * 86400)):
                return end if end <= limit else None

    # ------------------------------------------------------------ datetime API

    def between(self, a: _dt.datetime, b: _dt.datetime) -> _dt.timedelta:
        """Business time in ``[a, b)`` (negative when ``b < a``).

        >>> utc = _dt.timezone.utc
        >>> CALENDAR_HOURS.between(_dt.datetime(2026, 1, 1, tzinfo=utc),
        ...                        _dt.datetime(2026, 1, 2, tzinfo=utc))
        datetime.timedelta(days=1)
        """
        return _dt.timedelta(seconds=self.between_seconds(to_epoch(a), to_epoch(b)))

    def add(self, t: _dt.datetime, d: _dt.timedelta) -> _dt.datetime:
        """The earliest instant (aware, UTC) at which ``d`` of business time
        has elapsed since ``t``.

            >>> utc = _dt.timezone.utc
            >>> CALENDAR_HOURS.add(_dt.datetime(2026, 1, 1, tzinfo=utc), _dt.timedelta(hours=1))
            datetime.datetime(2026, 1, 1, 1, 0, tzinfo=datetime.timezone.utc)
        """
        return from_epoch(self.add_seconds(to_epoch(t), _to_seconds(d)))

    def is_open(self, t: _dt.datetime) -> bool:
        """Whether the calendar is open at ``t``."""
        return self.is_open_at(to_epoch(t))

    def next_open(self, t: _dt.datetime) -> _dt.datetime | None:
        """``t`` (truncated, in UTC) if open, else the next opening, or None."""
        found = self.next_open_at(to_epoch(t))
        return None if found is None else from_epoch(found)

    def next_close(self, t: _dt.datetime) -> _dt.datetime | None:
        """End of the open interval containing ``t`` or of the next one, or None."""
        found = self.next_close_at(to_epoch(t))
        return None if found is None else from_epoch(found)

    # ------------------------------------------------------------ expansion

    def _exhausted(self, t: int, d: int) -> None:
        raise CalendarExhausted(
            f"calendar {self.name!r} does not have {d} business seconds within ten years "
            f"of {from_epoch(t).strftime('%Y-%m-%dT%H:%M:%SZ')}"
        )

    def _add_slow(self, t: int, d: int) -> int:
        limit = t + HORIZON_SECONDS
        self._cover(t, t)
        step = 366 * 86400
        while True:
            _, hi, starts, ends, cum = self._flat
            i = bisect_right(starts, t) - 1
            end = ends[i]
            target = (cum[i] if end <= t else cum[i] - end + t) + d
            if target <= cum[-1]:
                k = bisect_left(cum, target, i)
                u = ends[k] - cum[k] + target
                if u - t > HORIZON_SECONDS:
                    self._exhausted(t, d)
                return u
            if hi > limit or not self._widen_to(min(limit, hi + step)):
                self._exhausted(t, d)
            step *= 2

    def _widen_to(self, t: int) -> bool:
        """Cover ``t`` too; False when it is beyond the supported years."""
        try:
            self._cover(t, t)
        except ValueError:
            return False
        return True

    def _midnight(self, year: int) -> int:
        found = self._midnights.get(year)
        if found is None:
            found = self._midnights[year] = self._resolve(_dt.date(year, 1, 1).toordinal(), 0)
        return found

    def _resolve(self, ordinal: int, minute: int) -> int:
        # zoneinfo's fold=0: a skipped wall time gets the offset from before
        # the jump (so it moves forward by the gap), a repeated one its
        # first occurrence.
        naive = _dt.datetime.fromordinal(ordinal) + _dt.timedelta(minutes=minute)
        offset = self._tz.utcoffset(naive)
        assert offset is not None
        return (ordinal - _EPOCH_ORDINAL) * 86400 + minute * 60 - offset // _SECOND

    def _year_of(self, t: int) -> int:
        try:
            year = (_EPOCH + _dt.timedelta(seconds=t)).astimezone(self._tz).year
        except (OverflowError, ValueError):
            year = MIN_YEAR - 1 if t < 0 else MAX_YEAR + 1
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise InstantOutOfRange(
                f"instant {t} is outside the years {MIN_YEAR}..{MAX_YEAR} that calendars cover"
            )
        # The year's window starts at its resolved local midnight, which can
        # differ from the local calendar year right at a DST change.
        while year > MIN_YEAR and t < self._midnight(year):
            year -= 1
        while year < MAX_YEAR and t >= self._midnight(year + 1):
            year += 1
        return year

    def _cover(self, a: int, b: int) -> None:
        """Widen the flat span so that it holds both ``a`` and ``b``."""
        first, last = self._year_of(a), self._year_of(b)
        lo_year, hi_year = self._span_years
        if lo_year <= first and last <= hi_year:
            return
        if hi_year < lo_year:
            lo_year, hi_year = first, last
        else:
            # Grow by a quarter of the span at least, so that a run of
            # queries walking outward rebuilds the arrays O(log n) times.
            grow = max(1, (hi_year - lo_year + 1) // 4)
            if first < lo_year:
                lo_year = max(MIN_YEAR, min(first, lo_year - grow))
            if last > hi_year:
                hi_year = min(MAX_YEAR, max(last, hi_year + grow))
        self._build(lo_year, hi_year)

    def _build(self, lo_year: int, hi_year: int) -> None:
        starts = [_SENTINEL]
        ends = [_SENTINEL]
        cum = [0]
        total = 0
        for year in range(lo_year, hi_year + 1):
            year_starts, year_ends = self._year(year)
            for start, end in zip(year_starts, year_ends, strict=True):
                if start == ends[-1]:
                    # Open across the year boundary: one interval, so that
                    # next_close sees its real end.
                    total += end - start
                    ends[-1] = end
                    cum[-1] = total
                else:
                    total += end - start
                    starts.append(start)
                    ends.append(end)
                    cum.append(total)
        self._span_years = (lo_year, hi_year)
        self._flat = (self._midnight(lo_year), self._midnight(hi_year + 1), starts, ends, cum)

    def _year(self, year: int) -> tuple[list[int], list[int]]:
        found = self._years.get(year)
        if found is None:
            found = self._years[year] = self._expand_year(year)
        return found

    def _expand_year(self, year: int) -> tuple[list[int], list[int]]:
        """Open intervals inside ``[midnight(year), midnight(year + 1))``."""
        window_lo, window_hi = self._midnight(year), self._midnight(year + 1)
        first = _dt.date(year, 1, 1).toordinal()
        last = _dt.date(year, 12, 31).toordinal()
        resolve = self._resolve
        weekly = self._weekly
        overrides = self._overrides
        opened: list[tuple[int, int]] = []
        # Two days back: the previous day's overnight shift reaches into the
        # year, and a date-line jump (Pacific/Apia, 2011) can shift a day's
        # instants onto the next one.
        for ordinal in range(first - 2, last + 1):
            ranges = overrides.get(ordinal)
            if ranges is None:
                ranges = weekly[(ordinal - 1) % 7]
            for start, end_days, end_minute in ranges:
                a = resolve(ordinal, start)
                b = resolve(ordinal + end_days, end_minute)
                # A range inside a DST gap resolves to end <= start: empty.
                if b > a:
                    opened.append((a, b))
        opened = _merge(opened)
        holidays = self._holidays
        if not holidays.empty and opened:
            days = (
                holidays.ordinals_in_year(year - 1)
                | holidays.ordinals_in_year(year)
                | holidays.ordinals_in_year(year + 1)
            )
            removed = [
                (resolve(o, 0), resolve(o + 1, 0))
                for o in sorted(days)
                if first - 3 <= o <= last + 2
            ]
            opened = _subtract(opened, _merge([r for r in removed if r[1] > r[0]]))
        starts: list[int] = []
        ends: list[int] = []
        for a, b in opened:
            a, b = max(a, window_lo), min(b, window_hi)
            if a < b:
                starts.append(a)
                ends.append(b)
        return starts, ends


class AlwaysOpenCalendar(BusinessCalendar):
    """Calendar hours: open at every instant (SEMANTICS.md §1, last rule).

    >>> CALENDAR_HOURS.add_seconds(0, 3600), CALENDAR_HOURS.next_close_at(0)
    (3600, None)
    """

    def __init__(self) -> None:
        super().__init__(None, "UTC", weekly=[[(0, 1440)]] * 7)

    def __reduce__(self) -> str:
        # Unpickles to the module's singleton.
        return "CALENDAR_HOURS"

    def __repr__(self) -> str:
        return "<CALENDAR_HOURS>"

    def between_seconds(self, a: int, b: int) -> int:
        return b - a

    def add_seconds(self, t: int, d: int) -> int:
        if d < 0:
            raise ValueError(f"cannot add a negative business duration ({d} s)")
        return t + d

    def is_open_at(self, t: int) -> bool:
        return True

    def next_open_at(self, t: int) -> int | None:
        return t

    def next_close_at(self, t: int) -> int | None:
        return None


#: The calendar that is always open ("calendar hours"); ``name`` is None.
CALENDAR_HOURS: Final = AlwaysOpenCalendar()


def has_open_time(calendar: BusinessCalendar, start: int | None = None) -> bool:
    """Whether ``calendar`` is open at some instant in the ten years from
    ``start`` (epoch seconds; default: 2000-01-01). For diagnostics such as
    "this calendar is never open".

        >>> has_open_time(BusinessCalendar("shut", "UTC", weekly=[[]] * 7))
        False
    """
    if start is None:
        start = 946684800
    return calendar.next_open_at(start) is not None
