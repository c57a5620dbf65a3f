"""Property tests: the fast engine against the day-walking oracle, against a
minute-by-minute model, and against its own algebra (additivity, inverse,
minimality, monotonicity, bounds), over random calendars in zones with
awkward rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

from calendar_oracle import Oracle
from dateutil.easter import easter
from hypothesis import assume, given
from hypothesis import strategies as st

from sladsl.calendar.business import BusinessCalendar, has_open_time
from sladsl.calendar.compile import compile_calendars
from sladsl.errors import CalendarExhausted
from sladsl.syntax import ast

DAY = 86400
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

# Zones with awkward rules, each with local dates where something happens.
ANCHORS: dict[str, list[dt.date]] = {
    # 1 Jan 2022 was a Saturday: observed rules reach back into 2021.
    "America/New_York": [dt.date(2026, 3, 8), dt.date(2026, 11, 1), dt.date(2021, 12, 31)],
    "Europe/London": [dt.date(2026, 3, 29), dt.date(2026, 10, 25), dt.date(2027, 1, 1)],
    # 30-minute DST.
    "Australia/Lord_Howe": [dt.date(2026, 4, 5), dt.date(2026, 10, 4)],
    # DST changes at midnight, until 2019.
    "America/Sao_Paulo": [dt.date(2018, 11, 4), dt.date(2019, 2, 17)],
    # +05:30 -> +05:45 in 1986; a quarter-hour zone anyway.
    "Asia/Kathmandu": [dt.date(1986, 1, 1), dt.date(2026, 6, 1)],
    # 2011-12-30 did not exist; DST began 2011-09-24.
    "Pacific/Apia": [dt.date(2011, 12, 30), dt.date(2011, 9, 24)],
}


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@st.composite
def time_ranges(draw: st.DrawFn) -> ast.TimeRange:
    start = draw(st.integers(0, 95)) * 15
    end = draw(st.integers(0, 96).filter(lambda e: e * 15 != start)) * 15
    # 24:00 only as an end; a 00:00 end after a start is an overnight shift.
    return ast.TimeRange(_clock(start), "24:00" if end == 1440 else _clock(end))


@st.composite
def day_items(draw: st.DrawFn) -> ast.DayRange:
    kind = draw(st.sampled_from(["one", "range", "group"]))
    if kind == "group":
        return ast.DayRange(draw(st.sampled_from(["daily", "weekdays", "weekends"])))
    first = draw(st.sampled_from(WEEKDAYS))
    if kind == "one":
        return ast.DayRange(first)
    return ast.DayRange(first, draw(st.sampled_from(WEEKDAYS)))


def _date(anchor: dt.date, offset: int) -> ast.DateLit:
    return ast.DateLit((anchor + dt.timedelta(days=offset)).isoformat())


@st.composite
def calendars(draw: st.DrawFn) -> tuple[ast.Contract, dt.date, str]:
    zone = draw(st.sampled_from(sorted(ANCHORS)))
    anchor = draw(st.sampled_from(ANCHORS[zone]))
    lines: list[Any] = [ast.TimezoneLine(ast.Text(zone))]
    for _ in range(draw(st.integers(1, 3))):
        days = tuple(draw(st.lists(day_items(), min_size=1, max_size=2)))
        ranges = tuple(draw(st.lists(time_ranges(), min_size=1, max_size=2)))
        lines.append(ast.WeeklyHoursLine(days, ranges))
    for _ in range(draw(st.integers(0, 2))):
        ranges = tuple(draw(st.lists(time_ranges(), min_size=1, max_size=2)))
        lines.append(ast.DateHoursLine(_date(anchor, draw(st.integers(-4, 4))), ranges))
    for _ in range(draw(st.integers(0, 2))):
        kind = draw(st.sampled_from(["date", "range", "yearly", "nth", "easter", "rrule"]))
        offset = draw(st.integers(-4, 4))
        rule: ast.HolidayRule
        if kind == "date":
            rule = ast.HolidayDate(_date(anchor, offset))
        elif kind == "range":
            rule = ast.HolidayRange(_date(anchor, offset), _date(anchor, offset + 1))
        elif kind == "yearly":
            day = anchor + dt.timedelta(days=offset)
            rule = ast.HolidayYearly(
                ast.Name(MONTHS[day.month - 1]), str(day.day), observed=draw(st.booleans())
            )
        elif kind == "easter":
            day = anchor + dt.timedelta(days=offset)
            rule = ast.HolidayEaster((day - easter(day.year)).days)
        elif kind == "rrule":
            day = anchor + dt.timedelta(days=offset)
            text = draw(
                st.sampled_from(
                    [
                        f"FREQ=MONTHLY;BYMONTHDAY={day.day}",
                        f"FREQ=WEEKLY;INTERVAL=2;BYDAY={WEEKDAYS[day.weekday()][:2].upper()}",
                        f"FREQ=YEARLY;BYMONTH={day.month};BYMONTHDAY={day.day}",
                    ]
                )
            )
            rule = ast.HolidayRRule(ast.Text(text))
        else:
            rule = ast.HolidayNthWeekday(
                draw(st.sampled_from(["1st", "2nd", "3rd", "4th", "5th", "last"])),
                ast.Name(draw(st.sampled_from(WEEKDAYS))),
                ast.Name(MONTHS[anchor.month - 1]),
            )
        lines.append(ast.HolidayLine(rule))
    # Split the lines over an included calendar now and then.
    if draw(st.booleans()):
        cut = draw(st.integers(1, len(lines)))
        base = ast.CalendarDecl(ast.Name("base"), None, tuple(lines[:cut]))
        top = ast.CalendarDecl(ast.Name("c"), None, (ast.Include(ast.Name("base")), *lines[cut:]))
        return ast.Contract((base, top)), anchor, zone
    return ast.Contract((ast.CalendarDecl(ast.Name("c"), None, tuple(lines)),)), anchor, zone


def _epoch(anchor: dt.date) -> int:
    return (anchor - dt.date(1970, 1, 1)).days * DAY


def instants(anchor: dt.date, days: int = 5) -> st.SearchStrategy[int]:
    base = _epoch(anchor)
    return st.integers(base - days * DAY, base + days * DAY)


def compiled(contract: ast.Contract) -> BusinessCalendar:
    return compile_calendars(contract)["c"]


# ---------------------------------------------------------------- vs oracle


@given(calendars(), st.data())
def test_between_and_add_equal_the_oracle(
    spec: tuple[ast.Contract, dt.date, str], data: st.DataObject
) -> None:
    contract, anchor, _ = spec
    cal, oracle = compiled(contract), Oracle(contract, "c")
    for _ in range(3):
        a, b = data.draw(instants(anchor)), data.draw(instants(anchor))
        assert cal.between_seconds(a, b) == oracle.between(a, b)
        assert cal.is_open_at(a) == oracle.is_open(a)
    if not has_open_time(cal, _epoch(anchor) - 5 * DAY):
        return
    t = data.draw(instants(anchor))
    d = data.draw(st.integers(0, 12 * 3600))
    try:
        expected = oracle.add(t, d)
    except CalendarExhausted:
        expected = None
    if expected is None:
        try:
            cal.add_seconds(t, d)
        except CalendarExhausted:
            return
        raise AssertionError("oracle exhausted, engine was not")
    assert cal.add_seconds(t, d) == expected


# ---------------------------------------------------------------- brute force


@given(calendars(), st.data())
def test_minute_by_minute_model(
    spec: tuple[ast.Contract, dt.date, str], data: st.DataObject
) -> None:
    contract, anchor, _ = spec
    cal, oracle = compiled(contract), Oracle(contract, "c")
    lo = data.draw(instants(anchor, 3)) // 60 * 60
    minutes = data.draw(st.integers(1, 36 * 60))
    local_day = dt.datetime.fromtimestamp(lo, dt.UTC).date()
    days = [local_day + dt.timedelta(days=k) for k in range(-3, 4)]
    opened = [iv for day in days for iv in oracle.day_ranges(day)]
    closed = [
        (oracle.wall(day, 0), oracle.wall(day + dt.timedelta(days=1), 0))
        for day in days
        if oracle.is_holiday(day)
    ]

    def is_open(x: int) -> bool:
        return any(s <= x < e for s, e in opened) and not any(s <= x < e for s, e in closed)

    flags = [is_open(lo + 60 * k) for k in range(minutes)]
    assert cal.between_seconds(lo, lo + 60 * minutes) == 60 * sum(flags)
    for k in data.draw(st.lists(st.integers(0, minutes - 1), max_size=5)):
        x = lo + 60 * k
        assert cal.is_open_at(x) == flags[k]
        after = flags[k:]
        nxt = cal.next_open_at(x)
        if True in after:
            assert nxt == x + 60 * after.index(True)
        if flags[k] and False in after:
            assert cal.next_close_at(x) == x + 60 * after.index(False)


# ---------------------------------------------------------------- algebra


@given(calendars(), st.data())
def test_algebra(spec: tuple[ast.Contract, dt.date, str], data: st.DataObject) -> None:
    contract, anchor, _ = spec
    cal = compiled(contract)
    # Wide spread: up to two years either side, so several years are expanded.
    a, b, c = (data.draw(instants(anchor, 700)) for _ in range(3))
    ab, bc, ac = cal.between_seconds(a, b), cal.between_seconds(b, c), cal.between_seconds(a, c)
    assert ac == ab + bc
    assert cal.between_seconds(b, a) == -ab
    lo, hi = min(a, b), max(a, b)
    assert 0 <= cal.between_seconds(lo, hi) <= hi - lo
    # Monotone in the end point.
    assert cal.between_seconds(lo, hi + data.draw(st.integers(0, 10 * DAY))) >= (
        cal.between_seconds(lo, hi)
    )
    assume(has_open_time(cal, a))
    d = data.draw(st.integers(0, 200 * 3600))
    try:
        u = cal.add_seconds(a, d)
    except CalendarExhausted:
        return
    assert u >= a
    assert cal.between_seconds(a, u) == d
    if d > 0:
        # Earliest: one second earlier, not yet.
        assert cal.between_seconds(a, u - 1) < d
        # Monotone in d.
        assert cal.add_seconds(a, d - 1) < u
        assert cal.add_seconds(a, d + 1) > u


@given(calendars(), st.data())
def test_next_open_and_close_are_consistent(
    spec: tuple[ast.Contract, dt.date, str], data: st.DataObject
) -> None:
    contract, anchor, _ = spec
    cal = compiled(contract)
    t = data.draw(instants(anchor, 30))
    opening = cal.next_open_at(t)
    if opening is None:
        return
    assert opening >= t and cal.is_open_at(opening)
    assert cal.between_seconds(t, opening) == 0
    closing = cal.next_close_at(t)
    if closing is None:
        return
    assert closing > opening and not cal.is_open_at(closing)
    assert cal.between_seconds(opening, closing) == closing - opening
