"""From a checked contract's calendar declarations to :class:`BusinessCalendar`s.

``include`` is resolved recursively: the included calendar's weekly hours,
date overrides and holidays are copied, the including calendar's lines add
to them (all override lines of one date are joined), and its ``timezone``,
if it has one, replaces the included one. ``holidays NAME`` copies the lines
of a top-level holiday list.

Example::

    >>> from sladsl.syntax import ast
    >>> decl = ast.CalendarDecl(ast.Name("office"), None, (
    ...     ast.TimezoneLine(ast.Text("America/New_York")),
    ...     ast.WeeklyHoursLine((ast.DayRange("mon", "fri"),), (ast.TimeRange("09:00", "20:00"),)),
    ... ))
    >>> cals = compile_calendars(ast.Contract((decl,)))
    >>> cals["office"].zone
    'America/New_York'
"""

from __future__ import annotations

import datetime as _dt

import attrs

from sladsl.calendar.business import BusinessCalendar
from sladsl.calendar.holidays import HolidayRules
from sladsl.syntax import ast
from sladsl.syntax.values import (
    month_number,
    ordinal_number,
    parse_clock,
    parse_date,
    weekday_index,
)
from sladsl.syntax.words import DAY_GROUPS

__all__ = ["CalendarRules", "compile_calendars", "day_list", "resolve_calendar", "time_range"]

_Minutes = tuple[int, int]


@attrs.define
class CalendarRules:
    """The flattened content of one calendar, includes and lists resolved."""

    zone: str | None = None
    weekly: list[list[_Minutes]] = attrs.field(factory=lambda: [[] for _ in range(7)])
    overrides: dict[_dt.date, list[_Minutes]] = attrs.field(factory=dict)
    holidays: list[ast.HolidayRule] = attrs.field(factory=list)

    def copy(self) -> CalendarRules:
        return CalendarRules(
            self.zone,
            [list(day) for day in self.weekly],
            {day: list(ranges) for day, ranges in self.overrides.items()},
            list(self.holidays),
        )


def day_list(days: tuple[ast.DayRange, ...]) -> list[int]:
    """Weekday indexes (0 = Monday) named by a day list, in week order.

    >>> day_list((ast.DayRange("fri", "mon"), ast.DayRange("wed")))
    [0, 2, 4, 5, 6]
    """
    found: set[int] = set()
    for item in days:
        first = item.first.lower()
        if item.last is None and first in DAY_GROUPS:
            found.update(DAY_GROUPS[first])
            continue
        start = weekday_index(first)
        stop = weekday_index(item.last.lower()) if item.last is not None else start
        # Ranges wrap around the week: fri-mon is fri, sat, sun, mon.
        found.update((start + k) % 7 for k in range((stop - start) % 7 + 1))
    return sorted(found)


def time_range(item: ast.TimeRange) -> _Minutes:
    """``(start, end)`` minutes after midnight; ``24:00`` is 1440.

    >>> time_range(ast.TimeRange("22:00", "06:00"))
    (1320, 360)
    """
    return parse_clock(item.start), parse_clock(item.end, allow_24=True)


def resolve_calendar(
    name: str,
    calendars: dict[str, ast.CalendarDecl],
    lists: dict[str, ast.HolidayListDecl],
    done: dict[str, CalendarRules] | None = None,
    active: tuple[str, ...] = (),
) -> CalendarRules:
    """The rules of calendar ``name`` with every ``include`` and ``holidays``
    list resolved. Raises ``ValueError`` on an include cycle or an unknown
    name (which a checked contract does not have)."""
    if done is None:
        done = {}
    if name in done:
        return done[name]
    if name in active:
        raise ValueError("include cycle: " + " -> ".join((*active, name)))
    decl = calendars.get(name)
    if decl is None:
        raise ValueError(f"unknown calendar {name!r}")
    rules = CalendarRules()
    own_zone: str | None = None
    for line in decl.lines:
        if isinstance(line, ast.Include):
            included = resolve_calendar(line.name.value, calendars, lists, done, (*active, name))
            if included.zone is not None:
                rules.zone = included.zone
            for day in range(7):
                rules.weekly[day].extend(included.weekly[day])
            for date, ranges in included.overrides.items():
                rules.overrides.setdefault(date, []).extend(ranges)
            rules.holidays.extend(included.holidays)
        elif isinstance(line, ast.TimezoneLine):
            own_zone = line.zone.value
        elif isinstance(line, ast.WeeklyHoursLine):
            ranges = [time_range(r) for r in line.ranges]
            for day in day_list(line.days):
                rules.weekly[day].extend(ranges)
        elif isinstance(line, ast.DateHoursLine):
            date = parse_date(line.date.text)
            rules.overrides.setdefault(date, []).extend(time_range(r) for r in line.ranges)
        elif isinstance(line, ast.HolidayLine):
            rules.holidays.append(line.rule)
        elif isinstance(line, ast.UseHolidays):
            holiday_list = lists.get(line.name.value)
            if holiday_list is None:
                raise ValueError(f"unknown holiday list {line.name.value!r}")
            rules.holidays.extend(h.rule for h in holiday_list.lines)
    if own_zone is not None:
        rules.zone = own_zone
    done[name] = rules
    return rules


def holiday_rules(rules: list[ast.HolidayRule], zone: str = "UTC") -> HolidayRules:
    """Holiday rule nodes turned into a :class:`HolidayRules`.

    >>> holiday_rules([ast.HolidayEaster(-2)]).easter
    (-2,)
    """
    fixed: list[_dt.date] = []
    ranges: list[tuple[_dt.date, _dt.date]] = []
    yearly: list[tuple[int, int, bool]] = []
    nth: list[tuple[int, int, int]] = []
    easter: list[int] = []
    rrules: list[str] = []
    for rule in rules:
        if isinstance(rule, ast.HolidayDate):
            fixed.append(parse_date(rule.date.text))
        elif isinstance(rule, ast.HolidayRange):
            ranges.append((parse_date(rule.first.text), parse_date(rule.last.text)))
        elif isinstance(rule, ast.HolidayYearly):
            yearly.append((month_number(rule.month.value.lower()), int(rule.day), rule.observed))
        elif isinstance(rule, ast.HolidayNthWeekday):
            nth.append(
                (
                    ordinal_number(rule.ordinal.lower()),
                    weekday_index(rule.weekday.value.lower()),
                    month_number(rule.month.value.lower()),
                )
            )
        elif isinstance(rule, ast.HolidayEaster):
            easter.append(rule.offset)
        else:
            rrules.append(rule.rule.value)
    return HolidayRules(
        fixed=fixed,
        ranges=ranges,
        yearly=yearly,
        nth=nth,
        easter=easter,
        rrules=rrules,
        zone=zone,
    )


def compile_calendars(contract: ast.Contract) -> dict[str, BusinessCalendar]:
    """One :class:`BusinessCalendar` per calendar declaration, by name.

    Assumes the contract checked without errors (every name resolves, every
    value is valid, no include cycle).
    """
    calendars = {decl.name.value: decl for decl in contract.calendars}
    lists = {decl.name.value: decl for decl in contract.holiday_lists}
    done: dict[str, CalendarRules] = {}
    out: dict[str, BusinessCalendar] = {}
    for name in calendars:
        rules = resolve_calendar(name, calendars, lists, done)
        if rules.zone is None:
            raise ValueError(f"calendar {name!r} has no timezone")
        out[name] = BusinessCalendar(
            name,
            rules.zone,
            weekly=rules.weekly,
            overrides=rules.overrides,
            holidays=holiday_rules(rules.holidays, rules.zone),
        )
    return out
