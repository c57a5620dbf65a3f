"""A deliberately simple reference model of SEMANTICS.md §1, for tests only.

It shares no code with ``sladsl.calendar``: it reads the calendar's AST
itself (includes, holiday lists), decides "is this date a holiday?" by
testing each rule against the date, builds each local day's open intervals
with ``datetime.combine(...).timestamp()`` and walks day by day. It is slow
on purpose; the fast engine is checked against it.

It also has a tiny reader for the calendar part of the language
(``mini_parse``), line based, so tests can be written in sladsl text before
and independently of the real parser.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterable

from dateutil.easter import easter
from dateutil.rrule import rrulestr

from sladsl.calendar.zones import load_zone
from sladsl.errors import CalendarExhausted
from sladsl.syntax import ast

HORIZON = 3653 * 86400
DAY = 86400
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
GROUPS = {"daily": range(7), "weekdays": range(5), "weekends": (5, 6)}
ORDINAL = {"1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5, "last": -1}
UTC = dt.UTC


# ------------------------------------------------------------------ mini reader

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|\S+')


def _text(token: str) -> ast.Text:
    return ast.Text(token[1:-1].replace('\\"', '"').replace("\\\\", "\\"))


def _days(token: str) -> tuple[ast.DayRange, ...]:
    out = []
    for part in token.split(","):
        if not part:
            continue
        first, _, last = part.partition("-")
        out.append(ast.DayRange(first, last or None))
    return tuple(out)


def _ranges(tokens: list[str]) -> tuple[ast.TimeRange, ...]:
    out = []
    for part in "".join(tokens).split(","):
        if part:
            start, end = part.split("-")
            out.append(ast.TimeRange(start, end))
    return tuple(out)


def _rule(tokens: list[str]) -> ast.HolidayLine:
    title = None
    if tokens and tokens[-1].startswith('"') and not (len(tokens) == 2 and tokens[0] == "rrule"):
        title = _text(tokens.pop())
    rule: ast.HolidayRule
    if tokens[0] == "rrule":
        rule = ast.HolidayRRule(_text(tokens[1]))
    elif tokens[0] == "every":
        rest = tokens[1:]
        if rest[0].startswith("easter"):
            rule = ast.HolidayEaster(int(rest[0][6:] or 0))
        elif rest[0] in ORDINAL:
            rule = ast.HolidayNthWeekday(rest[0], ast.Name(rest[1]), ast.Name(rest[3]))
        else:
            rule = ast.HolidayYearly(ast.Name(rest[0]), rest[1], observed="observed" in rest)
    elif len(tokens) == 3 and tokens[1] == "..":
        rule = ast.HolidayRange(ast.DateLit(tokens[0]), ast.DateLit(tokens[2]))
    else:
        rule = ast.HolidayDate(ast.DateLit(tokens[0]))
    return ast.HolidayLine(rule, title)


def mini_parse(text: str) -> ast.Contract:
    """The calendar and holiday-list declarations of ``text`` (one statement
    per line, ``}`` on its own line), as the real parser would build them."""
    decls: list[ast.Declaration] = []
    kind: str | None = None
    name = ast.Name("")
    title: ast.Text | None = None
    lines: list[ast.CalendarLine] = []
    for raw in text.splitlines():
        tokens = _TOKEN.findall(raw.split("#")[0] if '"' not in raw else raw)
        if not tokens:
            continue
        if kind is None:
            assert tokens[-1] == "{", raw
            kind, name = tokens[0], ast.Name(tokens[1])
            title = _text(tokens[2]) if len(tokens) == 4 else None
            lines = []
            continue
        if tokens == ["}"]:
            if kind == "calendar":
                decls.append(ast.CalendarDecl(name, title, tuple(lines)))
            else:
                rules = [line for line in lines if isinstance(line, ast.HolidayLine)]
                decls.append(ast.HolidayListDecl(name, title, tuple(rules)))
            kind = None
            continue
        head = tokens[0]
        if kind == "holidays":
            lines.append(_rule(tokens))
        elif head == "timezone":
            lines.append(ast.TimezoneLine(_text(tokens[1])))
        elif head == "include":
            lines.append(ast.Include(ast.Name(tokens[1])))
        elif head == "holidays":
            lines.append(ast.UseHolidays(ast.Name(tokens[1])))
        elif head == "holiday":
            lines.append(_rule(tokens[1:]))
        elif head == "hours":
            if re.fullmatch(r"\d{4}-\d\d-\d\d", tokens[1]):
                lines.append(ast.DateHoursLine(ast.DateLit(tokens[1]), _ranges(tokens[2:])))
            else:
                lines.append(ast.WeeklyHoursLine(_days(tokens[1]), _ranges(tokens[2:])))
        else:
            raise ValueError(f"mini_parse: cannot read {raw!r}")
    return ast.Contract(tuple(decls))


# ------------------------------------------------------------------ the model


def _minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


class Oracle:
    """Calendar ``name`` of ``contract``, computed the slow, obvious way."""

    def __init__(self, contract: ast.Contract, name: str) -> None:
        self.calendars = {d.name.value: d for d in contract.calendars}
        self.lists = {d.name.value: d for d in contract.holiday_lists}
        zone, weekly, overrides, holidays = self._collect(name)
        assert zone is not None
        tz = load_zone(zone)
        assert tz is not None
        self.tz = tz
        self.weekly = weekly
        self.overrides = overrides
        self.holidays = holidays
        self._rrule_dates: dict[str, set[dt.date]] = {}

    def _collect(
        self, name: str
    ) -> tuple[
        str | None,
        list[list[tuple[int, int]]],
        dict[dt.date, list[tuple[int, int]]],
        list[ast.HolidayRule],
    ]:
        zone = None
        own_zone = None
        weekly: list[list[tuple[int, int]]] = [[] for _ in range(7)]
        overrides: dict[dt.date, list[tuple[int, int]]] = {}
        holidays: list[ast.HolidayRule] = []
        for line in self.calendars[name].lines:
            if isinstance(line, ast.Include):
                z, w, o, h = self._collect(line.name.value)
                zone = z or zone
                for i in range(7):
                    weekly[i] += w[i]
                for date, ranges in o.items():
                    overrides.setdefault(date, []).extend(ranges)
                holidays += h
            elif isinstance(line, ast.TimezoneLine):
                own_zone = line.zone.value
            elif isinstance(line, ast.WeeklyHoursLine):
                for weekday in self._weekdays(line.days):
                    weekly[weekday] += [(_minutes(r.start), _minutes(r.end)) for r in line.ranges]
            elif isinstance(line, ast.DateHoursLine):
                overrides.setdefault(_date(line.date.text), []).extend(
                    (_minutes(r.start), _minutes(r.end)) for r in line.ranges
                )
            elif isinstance(line, ast.HolidayLine):
                holidays.append(line.rule)
            elif isinstance(line, ast.UseHolidays):
                holidays += [h.rule for h in self.lists[line.name.value].lines]
        return own_zone or zone, weekly, overrides, holidays

    @staticmethod
    def _weekdays(days: Iterable[ast.DayRange]) -> set[int]:
        out: set[int] = set()
        for item in days:
            if item.first in GROUPS:
                out.update(GROUPS[item.first])
                continue
            i = WEEKDAYS.index(item.first)
            last = WEEKDAYS.index(item.last) if item.last else i
            while True:
                out.add(i)
                if i == last:
                    break
                i = (i + 1) % 7
        return out

    # -- holidays, one date at a time

    def is_holiday(self, day: dt.date) -> bool:
        return any(self._matches(rule, day) for rule in self.holidays)

    def _matches(self, rule: ast.HolidayRule, day: dt.date) -> bool:
        if isinstance(rule, ast.HolidayDate):
            return day == _date(rule.date.text)
        if isinstance(rule, ast.HolidayRange):
            return _date(rule.first.text) <= day <= _date(rule.last.text)
        if isinstance(rule, ast.HolidayYearly):
            month, mday = MONTHS.index(rule.month.value) + 1, int(rule.day)

            def own(d: dt.date) -> bool:
                return (d.month, d.day) == (month, mday)

            if own(day):
                return True
            if rule.observed:
                after, before = day + dt.timedelta(days=1), day - dt.timedelta(days=1)
                if own(after) and after.weekday() == 5:
                    return True
                if own(before) and before.weekday() == 6:
                    return True
            return False
        if isinstance(rule, ast.HolidayNthWeekday):
            if day.month != MONTHS.index(rule.month.value) + 1:
                return False
            if day.weekday() != WEEKDAYS.index(rule.weekday.value):
                return False
            n = ORDINAL[rule.ordinal]
            if n == -1:
                return (day + dt.timedelta(days=7)).month != day.month
            return (day.day - 1) // 7 + 1 == n
        if isinstance(rule, ast.HolidayEaster):
            base = day - dt.timedelta(days=rule.offset)
            return easter(base.year) == base
        text = rule.rule.value
        if text not in self._rrule_dates:
            found = set()
            for when in rrulestr(text, dtstart=dt.datetime(1970, 1, 1, tzinfo=self.tz)):
                if when.year > 2075:
                    break
                found.add(when.date())
            self._rrule_dates[text] = found
        assert day.year <= 2075, "oracle rrule dates only go to 2075"
        return day in self._rrule_dates[text]

    # -- open intervals, one local day at a time

    def wall(self, day: dt.date, minute: int) -> int:
        """Epoch seconds of a local wall time (fold=0), minute may be 1440."""
        if minute == 1440:
            day, minute = day + dt.timedelta(days=1), 0
        local = dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=self.tz)
        return int(local.timestamp())

    def day_ranges(self, day: dt.date) -> list[tuple[int, int]]:
        """Instants of the ranges that start on local ``day`` (holidays not applied)."""
        ranges = self.overrides.get(day) or self.weekly[day.weekday()]
        out = []
        for start, end in ranges:
            end_day = day if end > start else day + dt.timedelta(days=1)
            a, b = self.wall(day, start), self.wall(end_day, end)
            if b > a:
                out.append((a, b))
        return out

    def intervals(self, lo: int, hi: int) -> list[tuple[int, int]]:
        """Sorted disjoint open intervals, clipped to ``[lo, hi)``."""
        first = dt.datetime.fromtimestamp(lo, UTC).date() - dt.timedelta(days=3)
        last = dt.datetime.fromtimestamp(hi, UTC).date() + dt.timedelta(days=3)
        opened: list[tuple[int, int]] = []
        closed: list[tuple[int, int]] = []
        day = first
        while day <= last:
            opened += self.day_ranges(day)
            if self.is_holiday(day):
                closed.append((self.wall(day, 0), self.wall(day + dt.timedelta(days=1), 0)))
            day += dt.timedelta(days=1)
        # Second by second would be too slow; cut intervals at every
        # boundary instead and keep the pieces that are open and not closed.
        cuts = sorted({lo, hi} | {x for iv in opened + closed for x in iv if lo < x < hi})
        out: list[tuple[int, int]] = []
        for a, b in itertools.pairwise(cuts):
            if a >= hi or b <= lo:
                continue
            inside = any(s <= a and b <= e for s, e in opened)
            removed = any(s <= a and b <= e for s, e in closed)
            if inside and not removed:
                if out and out[-1][1] == a:
                    out[-1] = (out[-1][0], b)
                else:
                    out.append((a, b))
        return out

    def between(self, a: int, b: int) -> int:
        if b < a:
            return -self.between(b, a)
        total = 0
        while a < b:
            stop = min(a + DAY, b)
            total += sum(e - s for s, e in self.intervals(a, stop))
            a = stop
        return total

    def is_open(self, t: int) -> bool:
        return self.between(t, t + 1) == 1

    def add(self, t: int, d: int) -> int:
        if d < 0:
            raise ValueError("negative")
        if d == 0:
            return t
        left = d
        start = t
        while start - t <= HORIZON:
            for s, e in self.intervals(start, start + DAY):
                if e - s >= left:
                    u = s + left
                    if u - t > HORIZON:
                        break
                    return u
                left -= e - s
            start += DAY
        raise CalendarExhausted("oracle: exhausted")
