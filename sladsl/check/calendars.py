"""Calendars and holiday lists: values, time zones, includes, and whether a calendar can open.

``include`` is resolved over strongly connected components, so a chain of
includes is summarised once (linear), and a cycle is found and reported once.

Example::

    >>> from sladsl.check.context import Context
    >>> from sladsl.check.names import collect_declarations
    >>> from sladsl.syntax import ast
    >>> cal = ast.CalendarDecl(ast.Name("office"), None, (
    ...     ast.TimezoneLine(ast.Text("Europe/Berln")),
    ...     ast.WeeklyHoursLine((ast.DayRange("mon", "fri"),), (ast.TimeRange("09:00", "17:00"),))))
    >>> ctx = Context("x.sla")
    >>> collect_declarations(ast.Contract((cal,)), ctx)
    >>> check_calendars(ast.Contract((cal,)), ctx)
    >>> [(d.code, d.hint) for d in ctx.diagnostics]
    [('SLA302', "did you mean 'Europe/Berlin'?")]
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from functools import cache

import attrs
from dateutil.rrule import rrule

from sladsl.calendar.zones import zone_names
from sladsl.check.context import Context, declared, one_of, sub_span, suggest
from sladsl.check.rrules import dates_between, rrule_problem, unbounded_rule
from sladsl.syntax import ast
from sladsl.syntax.values import (
    ValueProblem,
    month_number,
    ordinal_number,
    parse_clock,
    parse_date,
    weekday_index,
)
from sladsl.syntax.words import DAY_GROUPS, MONTHS, ORDINALS, WEEKDAYS

_DAY_WORDS = WEEKDAYS + tuple(DAY_GROUPS)


@attrs.define
class _Summary:
    """What a calendar says about itself, or (once resolved) with everything it includes."""

    has_zone: bool = False
    zone: str | None = None
    has_weekly: bool = False
    open_weekdays: set[int] = attrs.field(factory=set)
    # weekdays with an overnight range, whose end runs into the next day
    overnight_weekdays: set[int] = attrs.field(factory=set)
    # date -> whether that date's override lines open anything
    overrides: dict[dt.date, bool] = attrs.field(factory=dict)
    overnight_overrides: set[dt.date] = attrs.field(factory=set)
    rrules: set[str] = attrs.field(factory=set)
    # Reaches an unknown calendar: what is missing may be in it, so stay quiet.
    incomplete: bool = False

    def absorb(self, other: _Summary) -> None:
        self.has_zone = self.has_zone or other.has_zone
        if self.zone is None:
            self.zone = other.zone
        self.has_weekly = self.has_weekly or other.has_weekly
        self.open_weekdays |= other.open_weekdays
        self.overnight_weekdays |= other.overnight_weekdays
        self.overnight_overrides |= other.overnight_overrides
        for day, is_open in other.overrides.items():
            self.overrides[day] = self.overrides.get(day, False) or is_open
        self.rrules |= other.rrules
        self.incomplete = self.incomplete or other.incomplete

    def opens_on(self, day: dt.date) -> bool:
        """Whether any open range starts on ``day``."""
        if day in self.overrides:
            return self.overrides[day]
        return day.weekday() in self.open_weekdays

    def holiday_matters(self, day: dt.date) -> bool:
        """Whether a holiday on ``day`` removes anything: a range starting that day, or
        the after-midnight part of an overnight shift from the day before."""
        if self.opens_on(day):
            return True
        if day == dt.date.min:
            return False
        before = day - dt.timedelta(days=1)
        if before in self.overrides:
            return before in self.overnight_overrides
        return before.weekday() in self.overnight_weekdays


@attrs.define
class _Dated:
    """A dated holiday line, kept to warn when its days are closed anyway (SLA314)."""

    span: ast.Span
    first: dt.date
    last: dt.date


@attrs.define
class _Pending:
    """Per-declaration facts gathered while checking lines, used after includes resolve."""

    own: _Summary
    dated: list[_Dated]
    rrule_lines: list[ast.Text]


def check_calendars(contract: ast.Contract, ctx: Context) -> None:
    """Report every calendar and holiday-list problem (SLA202, SLA203, SLA3xx).

    >>> from sladsl.check.names import collect_declarations
    >>> ctx = Context("x.sla")
    >>> cal = ast.CalendarDecl(ast.Name("c"), None, (ast.TimezoneLine(ast.Text("UTC")),))
    >>> collect_declarations(ast.Contract((cal,)), ctx)
    >>> check_calendars(ast.Contract((cal,)), ctx)
    >>> [d.code for d in ctx.diagnostics]
    ['SLA303']
    """
    lists: dict[str, _Pending] = {}
    for decl in contract.declarations:
        if isinstance(decl, ast.HolidayListDecl):
            pending = _Pending(_Summary(), [], [])
            for line in decl.lines:
                _check_holiday(line.rule, pending, ctx)
            for text in pending.rrule_lines:
                _check_rrule(text, "UTC", ctx)
            if ctx.holiday_lists.get(decl.name.value) is decl:
                lists[decl.name.value] = pending

    calendars: dict[str, _Pending] = {}
    every: list[tuple[ast.CalendarDecl, _Pending]] = []
    for decl in contract.declarations:
        if isinstance(decl, ast.CalendarDecl):
            pending = _check_calendar_lines(decl, lists, ctx)
            every.append((decl, pending))
            if ctx.calendars.get(decl.name.value) is decl:
                calendars[decl.name.value] = pending

    resolved = _resolve_includes(ctx, calendars)

    for decl, pending in every:
        if calendars.get(decl.name.value) is pending:
            summary = resolved[decl.name.value]
        else:
            # A duplicate (SLA201 already) is not in the include graph: add what it includes.
            summary = _Summary()
            summary.absorb(pending.own)
            for cal_line in decl.lines:
                if isinstance(cal_line, ast.Include) and cal_line.name.value in resolved:
                    summary.absorb(resolved[cal_line.name.value])
        zone = summary.zone or "UTC"
        for text in pending.rrule_lines:
            _check_rrule(text, zone, ctx)
        if summary.incomplete:
            continue
        if not summary.has_zone:
            ctx.report(
                "SLA301",
                decl.name.span,
                f"calendar {decl.name.value!r} has no timezone",
                hint='add a line such as timezone "America/New_York"',
            )
        if not summary.has_weekly:
            ctx.report(
                "SLA303",
                decl.name.span,
                f"calendar {decl.name.value!r} has no weekly hours",
                hint="add a line such as hours mon-fri 09:00-17:00",
            )
            continue
        if _never_open(summary):
            ctx.report(
                "SLA313",
                decl.name.span,
                f"calendar {decl.name.value!r} is never open: its RRULE holidays "
                "cover every day its weekly hours open",
                hint="bound the RRULE with COUNT or UNTIL, or narrow it with BYDAY or BYMONTH",
            )
            continue
        for dated in pending.dated:
            if not any(summary.holiday_matters(day) for day in _days_to_test(dated, summary)):
                ctx.report(
                    "SLA314", dated.span, _closed_message(dated, f"calendar {decl.name.value!r}")
                )

    _check_list_dates(ctx, lists, resolved)


# ---------------------------------------------------------------- lines


def _check_calendar_lines(
    decl: ast.CalendarDecl, lists: dict[str, _Pending], ctx: Context
) -> _Pending:
    pending = _Pending(_Summary(), [], [])
    own = pending.own
    first_zone: ast.TimezoneLine | None = None
    for line in decl.lines:
        if isinstance(line, ast.TimezoneLine):
            if first_zone is not None:
                ctx.report(
                    "SLA317",
                    line.span,
                    f"calendar {decl.name.value!r} gives its timezone twice",
                    hint=f"keep one timezone line (the first is at line {first_zone.span.line})",
                )
                continue
            first_zone = line
            own.has_zone = True
            if _check_zone(line.zone, ctx):
                own.zone = line.zone.value
        elif isinstance(line, ast.WeeklyHoursLine):
            own.has_weekly = True
            days = _check_days(line.days, ctx)
            ranges = _check_ranges(line.ranges, ctx)
            if ranges:
                own.open_weekdays |= days
            if any(end < start for start, end in ranges):
                own.overnight_weekdays |= days
        elif isinstance(line, ast.DateHoursLine):
            day = _check_date(line.date, ctx)
            ranges = _check_ranges(line.ranges, ctx)
            if day is not None:
                own.overrides[day] = own.overrides.get(day, False) or bool(ranges)
                if any(end < start for start, end in ranges):
                    own.overnight_overrides.add(day)
        elif isinstance(line, ast.HolidayLine):
            _check_holiday(line.rule, pending, ctx)
        elif isinstance(line, ast.UseHolidays):
            used = lists.get(line.name.value)
            if used is None:
                ctx.report(
                    "SLA203",
                    line.name.span,
                    f"unknown holiday list {line.name.value!r}",
                    hint=declared(line.name.value, ctx.holiday_lists, "holiday lists"),
                )
            else:
                own.rrules.update(t.value for t in used.rrule_lines)
        elif isinstance(line, ast.Include) and line.name.value not in ctx.calendars:
            own.incomplete = True
            ctx.report(
                "SLA202",
                line.name.span,
                f"unknown calendar {line.name.value!r}",
                hint=declared(line.name.value, ctx.calendars, "calendars"),
            )
    own.rrules.update(t.value for t in pending.rrule_lines)
    return pending


@cache
def _zone_lookup() -> tuple[tuple[str, ...], dict[str, str]]:
    names = tuple(sorted(zone_names()))
    return names, {n.lower(): n for n in names}


@cache
def _zone_hint(name: str) -> str | None:
    names, lowered = _zone_lookup()
    exact = lowered.get(name.lower())
    if exact is not None:
        return f"did you mean {exact!r}?"
    # Users often write a city alone ("Berlin"): match on the last part too.
    by_city = [n for n in names if n.rpartition("/")[2].lower() == name.lower().replace(" ", "_")]
    if by_city:
        return f"did you mean {by_city[0]!r}?"
    return suggest(name, names)


def _check_zone(zone: ast.Text, ctx: Context) -> bool:
    if zone.value in zone_names():
        return True
    ctx.report(
        "SLA302",
        zone.span,
        f"unknown time zone {zone.value!r}",
        hint=_zone_hint(zone.value) or "use an IANA zone name such as 'Europe/Berlin'",
    )
    return False


def _check_days(days: Sequence[ast.DayRange], ctx: Context) -> set[int]:
    result: set[int] = set()
    for item in days:
        if item.last is None:
            if item.first in DAY_GROUPS:
                result.update(DAY_GROUPS[item.first])
            elif item.first in WEEKDAYS:
                result.add(WEEKDAYS.index(item.first))
            else:
                _unknown_weekday(item.first, item.span, _DAY_WORDS, ctx)
            continue
        first = _weekday(item.first, sub_span(item.span, 0, len(item.first)), ctx)
        last_span = sub_span(item.span, len(item.first) + 1, len(item.last))
        last = _weekday(item.last, last_span, ctx)
        if first is not None and last is not None:
            # Ranges may wrap (fri-mon); mon-mon is one day.
            result.update((first + i) % 7 for i in range((last - first) % 7 + 1))
    return result


def _weekday(text: str, span: ast.Span, ctx: Context) -> int | None:
    try:
        return weekday_index(text)
    except ValueProblem:
        _unknown_weekday(text, span, WEEKDAYS, ctx)
        return None


def _unknown_weekday(text: str, span: ast.Span, options: tuple[str, ...], ctx: Context) -> None:
    ctx.report("SLA305", span, f"unknown weekday {text!r}", hint=one_of(text, options, "days"))


def _check_ranges(ranges: Sequence[ast.TimeRange], ctx: Context) -> list[tuple[int, int]]:
    """The ranges that are valid, as minutes; reports the others."""
    good: list[tuple[int, int]] = []
    for item in ranges:
        start = _clock(item.start, sub_span(item.span, 0, len(item.start)), False, ctx)
        end_span = sub_span(item.span, len(item.start) + 1, len(item.end))
        end = _clock(item.end, end_span, True, ctx)
        if start is None or end is None:
            continue
        if start == end:
            ctx.report(
                "SLA309",
                item.span,
                f"hours range {item.start}-{item.end} is empty (it ends where it starts)",
                hint="00:00-24:00 is the whole day; an end before the start is an overnight shift",
            )
            continue
        good.append((start, end))
    return good


def _clock(text: str, span: ast.Span, allow_24: bool, ctx: Context) -> int | None:
    try:
        return parse_clock(text, allow_24=allow_24)
    except ValueProblem as problem:
        ctx.report("SLA308", span, problem.message, hint=problem.hint)
        return None


def _check_date(date: ast.DateLit, ctx: Context) -> dt.date | None:
    try:
        return parse_date(date.text)
    except ValueProblem as problem:
        ctx.report("SLA307", date.span, problem.message, hint=problem.hint or _date_hint(date.text))
        return None


def _date_hint(text: str) -> str | None:
    parts = text.split("-")
    if len(parts) != 3 or not all(p.isascii() and p.isdigit() for p in parts):
        return None
    year, month = int(parts[0]), int(parts[1])
    if not 1 <= month <= 12:
        return "months run from 01 to 12"
    if year < 1:
        return "years start at 0001"
    return f"{parts[0]}-{parts[1]} has {_calendar.monthrange(year, month)[1]} days"


def _month(name: ast.Name, ctx: Context) -> int | None:
    try:
        return month_number(name.value)
    except ValueProblem:
        ctx.report(
            "SLA306",
            name.span,
            f"unknown month {name.value!r}",
            hint=one_of(name.value, MONTHS, "months"),
        )
        return None


def _check_holiday(rule: ast.HolidayRule, pending: _Pending, ctx: Context) -> None:
    if isinstance(rule, ast.HolidayDate):
        day = _check_date(rule.date, ctx)
        if day is not None:
            pending.dated.append(_Dated(rule.span, day, day))
    elif isinstance(rule, ast.HolidayRange):
        first = _check_date(rule.first, ctx)
        last = _check_date(rule.last, ctx)
        if first is not None and last is not None:
            if last < first:
                ctx.report(
                    "SLA316",
                    rule.last.span,
                    f"holiday range ends ({last}) before it starts ({first})",
                    hint=f"did you mean {rule.last.text} .. {rule.first.text}?",
                )
            else:
                pending.dated.append(_Dated(rule.span, first, last))
    elif isinstance(rule, ast.HolidayYearly):
        month = _month(rule.month, ctx)
        if month is not None and not _possible_day(month, rule.day):
            # The day has no span of its own; the impossible date starts at its month.
            span = rule.month.span
            if not rule.observed and rule.span.end_line == span.line:
                span = attrs.evolve(span, end=rule.span.end, end_col=rule.span.end_col)
            ctx.report(
                "SLA307",
                span,
                f"impossible date: {rule.month.value} {rule.day}",
                hint=f"{rule.month.value} has at most {_month_days(month)} days",
            )
    elif isinstance(rule, ast.HolidayNthWeekday):
        if rule.ordinal not in ORDINALS:
            try:
                ordinal_number(rule.ordinal)
            except ValueProblem as problem:
                ctx.report("SLA315", rule.span, problem.message, hint=problem.hint)
        _weekday(rule.weekday.value, rule.weekday.span, ctx)
        _month(rule.month, ctx)
    elif isinstance(rule, ast.HolidayRRule):
        pending.rrule_lines.append(rule.rule)


def _month_days(month: int) -> int:
    # A leap year: `every feb 29` is allowed and applies in leap years only.
    return _calendar.monthrange(2024, month)[1]


def _possible_day(month: int, day: str) -> bool:
    return day.isascii() and day.isdigit() and 1 <= int(day) <= _month_days(month)


def _check_rrule(text: ast.Text, zone: str, ctx: Context) -> None:
    problem = rrule_problem(text.value, zone)
    if problem is not None:
        code, message, hint = problem
        ctx.report(code, text.span, message, hint=hint)


# ---------------------------------------------------------------- includes


def _resolve_includes(ctx: Context, calendars: dict[str, _Pending]) -> dict[str, _Summary]:
    """Each calendar's summary with everything it includes; reports each include cycle once."""
    graph: dict[str, list[str]] = {
        name: [
            line.name.value
            for line in decl.lines
            if isinstance(line, ast.Include) and line.name.value in calendars
        ]
        for name, decl in ctx.calendars.items()
    }
    resolved: dict[str, _Summary] = {}
    for component in _components(graph):
        members = set(component)
        merged = _Summary()
        for name in component:
            merged.absorb(calendars[name].own)
            for target in graph[name]:
                if target not in members:
                    merged.absorb(resolved[target])
        cyclic = len(component) > 1 or component[0] in graph[component[0]]
        if cyclic:
            _report_cycle(ctx, members, graph)
        for name in component:
            summary = _Summary()
            summary.absorb(merged)
            # A calendar's own timezone replaces the included one.
            summary.zone = calendars[name].own.zone or merged.zone
            resolved[name] = summary
    return resolved


def _components(graph: dict[str, list[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components, iteratively (long include chains must not
    hit the recursion limit); each comes after every component it points to."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    result: list[list[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, position = work[-1]
            successors = graph[node]
            if position < len(successors):
                work[-1] = (node, position + 1)
                succ = successors[position]
                if succ not in index:
                    index[succ] = low[succ] = counter
                    counter += 1
                    stack.append(succ)
                    on_stack.add(succ)
                    work.append((succ, 0))
                elif succ in on_stack:
                    low[node] = min(low[node], index[succ])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                result.append(component)
    return result


def _report_cycle(ctx: Context, members: set[str], graph: dict[str, list[str]]) -> None:
    includes = [
        (line, decl.name.value)
        for name in members
        for decl in (ctx.calendars[name],)
        for line in decl.lines
        if isinstance(line, ast.Include) and line.name.value in members
    ]
    line, owner = min(includes, key=lambda item: item[0].span.start)
    path = _path(line.name.value, owner, members, graph)
    ctx.report(
        "SLA304",
        line.span,
        "include cycle: " + " -> ".join([owner, *path]),
        hint="remove one of these includes",
    )


def _path(start: str, goal: str, members: set[str], graph: dict[str, list[str]]) -> list[str]:
    """The shortest include path from ``start`` to ``goal`` inside one component."""
    previous: dict[str, str | None] = {start: None}
    queue = [start]
    for node in queue:
        if node == goal:
            break
        for succ in graph[node]:
            if succ in members and succ not in previous:
                previous[succ] = node
                queue.append(succ)
    path: list[str] = []
    cursor: str | None = goal
    while cursor is not None:
        path.append(cursor)
        cursor = previous.get(cursor)
    return path[::-1]


# ---------------------------------------------------------------- can it open?

# 1970-01-01 was a Thursday; two weeks see every weekday twice. Rules are
# replayed from 1970, so windows near it keep dateutil's replay short.
_QUICK = (dt.date(1970, 1, 1), dt.date(1970, 1, 15))
# Three years including a leap year, for rules that pass the quick window.
_FULL = (dt.date(1970, 1, 1), dt.date(1973, 1, 1))


def _never_open(summary: _Summary) -> bool:
    """True if the RRULE holidays cover every day the weekly hours open.

    Only unbounded rules (no COUNT/UNTIL) can close a calendar for good, and
    the other holiday kinds remove a few days a year; so this looks at two
    weeks, and at three years only if those two weeks are all covered.
    """
    if not summary.open_weekdays or not summary.rrules:
        return False
    return _rules_close(frozenset(summary.rrules), frozenset(summary.open_weekdays))


@cache
def _rules_close(texts: frozenset[str], open_days: frozenset[int]) -> bool:
    # Many calendars share their holiday rules (lists, includes): decide each set once.
    rules = [r for text in sorted(texts) if (r := unbounded_rule(text)) is not None]
    if not rules:
        return False
    return all(_covered(rules, window, open_days) for window in (_QUICK, _FULL))


def _covered(
    rules: Iterable[rrule], window: tuple[dt.date, dt.date], open_days: frozenset[int]
) -> bool:
    first, end = window
    holidays: set[dt.date] = set()
    for rule in rules:
        holidays.update(dates_between(rule, first, end))
    day = first
    while day < end:
        if day.weekday() in open_days and day not in holidays:
            return False
        day += dt.timedelta(days=1)
    return True


def _days_to_test(dated: _Dated, summary: _Summary) -> Iterable[dt.date]:
    """The days of a dated holiday that decide whether it is all closed.

    A long range contains every weekday, so a week of it plus its overrides
    tells the same as every day of it.
    """
    days = min((dated.last - dated.first).days + 1, 7)
    yield from (dated.first + dt.timedelta(days=i) for i in range(days))
    if days == 7:
        yield from (d for d in summary.overrides if dated.first <= d <= dated.last)


def _closed_message(dated: _Dated, subject: str) -> str:
    if dated.first == dated.last:
        weekday = WEEKDAYS[dated.first.weekday()]
        return f"holiday {dated.first} ({weekday}) falls on a day {subject} is closed anyway"
    return f"holiday {dated.first} .. {dated.last} covers only days {subject} is closed anyway"


def _check_list_dates(
    ctx: Context, lists: dict[str, _Pending], resolved: dict[str, _Summary]
) -> None:
    """A dated holiday in a list is pointless only if every calendar using the list is
    closed that day."""
    users: dict[str, list[_Summary]] = {}
    for name, decl in ctx.calendars.items():
        for line in decl.lines:
            if isinstance(line, ast.UseHolidays) and line.name.value in lists:
                users.setdefault(line.name.value, []).append(resolved[name])
    for name, pending in lists.items():
        summaries = users.get(name, [])
        if not summaries or any(s.incomplete or not s.has_weekly for s in summaries):
            continue
        for dated in pending.dated:
            if all(
                not any(s.holiday_matters(day) for day in _days_to_test(dated, s))
                for s in summaries
            ):
                subject = (
                    f"every calendar using {name!r}"
                    if len(summaries) > 1
                    else f"the calendar using {name!r}"
                )
                ctx.report("SLA314", dated.span, _closed_message(dated, subject))
