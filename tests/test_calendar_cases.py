"""Plain cases for the business-time engine: SEMANTICS.md §1 and §6, published
examples of other business-hours libraries, and the awkward corners."""

from __future__ import annotations

import datetime as dt
import pickle
import time

import pytest
from calendar_oracle import Oracle, mini_parse

from sladsl.calendar.business import (
    CALENDAR_HOURS,
    BusinessCalendar,
    from_epoch,
    has_open_time,
    to_epoch,
)
from sladsl.calendar.compile import compile_calendars
from sladsl.errors import CalendarExhausted
from sladsl.syntax import ast

H = 3600


def contract_of(text: str) -> ast.Contract:
    """The contract of ``text``, through the real parser and checker (which
    must find no error); the oracle's mini reader if they are not there."""
    try:
        from sladsl.check import check_text
    except ImportError:
        return mini_parse(text)
    contract, diagnostics = check_text(text, "calendar-test.sla")
    errors = [f"{d.line}:{d.col} {d.message}" for d in diagnostics if d.severity == "error"]
    assert contract is not None and not errors, errors
    return contract


def calendars(text: str) -> dict[str, BusinessCalendar]:
    return compile_calendars(contract_of(text))


def one(text: str) -> BusinessCalendar:
    (cal,) = calendars(text).values()
    return cal


def at(text: str) -> int:
    """Epoch seconds of an ISO instant with offset."""
    return to_epoch(dt.datetime.fromisoformat(text))


def iso(seconds: int) -> str:
    return from_epoch(seconds).strftime("%Y-%m-%dT%H:%M:%SZ")


def local(cal: BusinessCalendar, seconds: int) -> str:
    from sladsl.calendar.zones import load_zone

    return from_epoch(seconds).astimezone(load_zone(cal.zone)).strftime("%Y-%m-%d %H:%M:%S")


def check_against_oracle(text: str, name: str, instants: list[int]) -> None:
    cal = calendars(text)[name]
    oracle = Oracle(contract_of(text), name)
    for a in instants:
        for b in instants:
            assert cal.between_seconds(a, b) == oracle.between(a, b), (iso(a), iso(b))
        for d in (0, 1, 1800, 4 * H, 30 * H):
            assert cal.add_seconds(a, d) == oracle.add(a, d), (iso(a), d)


OFFICE = """
calendar office "Eastern office hours" {
    timezone "America/New_York"
    hours mon-fri 09:00-20:00
    holiday every dec 25 "Christmas Day"
}
"""


# ---------------------------------------------------------------- SEMANTICS §6


def test_semantics_6_deadline_across_dst() -> None:
    cal = one(OFFICE)
    start = dt.datetime.fromisoformat("2026-03-06T19:00:00-05:00")
    due = cal.add(start, dt.timedelta(hours=4))
    assert due == dt.datetime(2026, 3, 9, 16, tzinfo=dt.UTC)
    assert due.tzinfo is dt.UTC
    assert cal.between(start, dt.datetime.fromisoformat("2026-03-09T11:00:00-04:00")) == (
        dt.timedelta(hours=3)
    )


def test_semantics_6_elapsed_figures() -> None:
    cal = one(OFFICE)
    start = at("2026-03-06T19:00:00-05:00")
    assert cal.between_seconds(start, at("2026-03-09T11:59:00-04:00")) == 14340
    assert cal.between_seconds(start, at("2026-03-09T12:30:00-04:00")) == 16200
    assert cal.between_seconds(start, at("2026-03-09T10:00:00-04:00")) == 2 * H
    assert cal.add_seconds(start, 2 * H) == at("2026-03-09T10:00:00-04:00")


# ---------------------------------------------------------------- closing time


def test_deadline_that_uses_the_last_open_second_lands_on_closing_time() -> None:
    cal = one(
        """
        calendar c {
            timezone "Europe/London"
            hours mon-fri 08:00-12:00, 13:00-18:00
        }
        """
    )
    mon_11 = at("2026-06-01T11:00:00+01:00")
    assert cal.add_seconds(mon_11, H) == at("2026-06-01T12:00:00+01:00")
    assert cal.add_seconds(mon_11, H + 1) == at("2026-06-01T13:00:01+01:00")
    fri_17 = at("2026-06-05T17:00:00+01:00")
    assert cal.add_seconds(fri_17, H) == at("2026-06-05T18:00:00+01:00")
    assert cal.add_seconds(fri_17, H + 1) == at("2026-06-08T08:00:01+01:00")
    # Zero business time is no time at all, even when closed.
    sat = at("2026-06-06T12:00:00+01:00")
    assert cal.add_seconds(sat, 0) == sat
    assert cal.add_seconds(sat, 1) == at("2026-06-08T08:00:01+01:00")


def test_pandas_business_hour_contrast() -> None:
    # pandas: Timestamp(2022-12-09 15:00) + BusinessHour(n=5) = 2022-12-12 12:00.
    cal = one('calendar c {\n timezone "UTC"\n hours mon-fri 09:00-17:00\n}')
    fri = at("2022-12-09T15:00:00+00:00")
    assert iso(cal.add_seconds(fri, 5 * H)) == "2022-12-12T12:00:00Z"
    # pandas gives Monday 09:00 for +2h (the next opening); we give the close.
    assert iso(cal.add_seconds(fri, 2 * H)) == "2022-12-09T17:00:00Z"


# ---------------------------------------------------------------- published cases

BUSINESS_TIME = """
calendar bt {
    timezone "America/New_York"
    hours mon-fri 09:00-17:00
    holiday 2010-07-05
}
"""


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        # bokmann/business_time test_business_hours.rb
        ("2010-08-04 09:35", 8, "2010-08-05 09:35:00"),  # to tomorrow
        ("2010-04-09 16:50", 1, "2010-04-12 09:50:00"),  # over a weekend
        ("2010-07-02 16:50", 1, "2010-07-06 09:50:00"),  # over a holiday Monday
        ("2010-04-12 09:50", 3, "2010-04-12 12:50:00"),  # inside one day
    ],
)
def test_business_time_gem_cases(start: str, hours: int, expected: str) -> None:
    cal = one(BUSINESS_TIME)
    from sladsl.calendar.zones import load_zone

    t = dt.datetime.fromisoformat(start).replace(tzinfo=load_zone("America/New_York"))
    assert local(cal, cal.add_seconds(to_epoch(t), hours * H)) == expected


def test_business_time_gem_roll_forward_is_next_open() -> None:
    cal = one(BUSINESS_TIME)
    assert local(cal, cal.next_open_at(at("2010-04-26T04:30:00-04:00")) or 0) == (
        "2010-04-26 09:00:00"
    )
    assert local(cal, cal.next_open_at(at("2010-04-26T18:00:00-04:00")) or 0) == (
        "2010-04-27 09:00:00"
    )


RPCFN = """
calendar rpcfn {
    timezone "America/New_York"
    hours mon,tue,thu,sat 09:00-15:00
    hours fri 10:00-17:00
    hours 2010-12-24 08:00-13:00
    holiday 2010-12-25
}
"""


@pytest.mark.parametrize(
    ("start", "seconds", "expected"),
    [
        # Ruby Programming Challenge for Newbies #10 (business hours), the
        # challenge's own examples: 9-3, Fri 10-5, closed Sun and Wed,
        # Dec 24 2010 8-1, Dec 25 2010 closed.
        ("2010-06-07 09:10", 2 * H, "2010-06-07 11:10:00"),
        ("2010-06-08 14:48", 15 * 60, "2010-06-10 09:03:00"),
        ("2010-12-24 06:45", 7 * H, "2010-12-27 11:00:00"),
    ],
)
def test_rpcfn_business_hours_cases(start: str, seconds: int, expected: str) -> None:
    cal = one(RPCFN)
    from sladsl.calendar.zones import load_zone

    t = dt.datetime.fromisoformat(start).replace(tzinfo=load_zone("America/New_York"))
    assert local(cal, cal.add_seconds(to_epoch(t), seconds)) == expected


# ---------------------------------------------------------------- DST


DST_DAYS = """
calendar allday {
    timezone "America/New_York"
    hours daily 00:00-24:00
}
"""


def test_whole_day_lasts_23_or_25_hours_on_dst_days() -> None:
    cal = one(DST_DAYS)
    assert cal.between_seconds(
        at("2026-03-08T00:00:00-05:00"), at("2026-03-09T00:00:00-04:00")
    ) == (23 * H)
    assert cal.between_seconds(
        at("2026-11-01T00:00:00-04:00"), at("2026-11-02T00:00:00-05:00")
    ) == (25 * H)
    assert cal.next_close_at(at("2026-03-08T12:00:00-04:00")) is None


def test_range_inside_a_dst_gap_is_empty_that_day() -> None:
    text = """
    calendar gap {
        timezone "America/New_York"
        hours daily 02:00-03:00, 02:30-04:00
    }
    """
    cal = one(text)
    day = (at("2026-03-08T00:00:00-05:00"), at("2026-03-09T00:00:00-04:00"))
    # 02:00-03:00 resolves to 07:00Z-07:00Z: empty. 02:30 moves forward by the
    # gap to 03:30 EDT, so 02:30-04:00 is half an hour.
    assert cal.between_seconds(*day) == 30 * 60
    assert cal.is_open_at(at("2026-03-08T03:30:00-04:00"))
    assert not cal.is_open_at(at("2026-03-08T03:29:59-04:00"))
    # An ordinary day has both ranges: 02:00-04:00.
    assert cal.between_seconds(
        at("2026-03-09T00:00:00-04:00"), at("2026-03-10T00:00:00-04:00")
    ) == (2 * H)
    check_against_oracle(text, "gap", [day[0], day[0] + 7 * H, day[1], day[1] + 3 * H])


def test_repeated_time_takes_first_occurrence() -> None:
    cal = one('calendar c {\n timezone "America/New_York"\n hours sun 01:00-01:30\n}')
    # 2026-11-01 01:00-01:30 happens twice; only the first (EDT) counts.
    assert cal.is_open_at(at("2026-11-01T01:15:00-04:00"))
    assert not cal.is_open_at(at("2026-11-01T01:15:00-05:00"))


def test_lord_howe_half_hour_dst() -> None:
    text = 'calendar c {\n timezone "Australia/Lord_Howe"\n hours daily 00:00-24:00\n}'
    cal = one(text)
    # DST ends 2026-04-05 02:00 local (+11 -> +10:30): the day lasts 24.5 h.
    assert cal.between_seconds(
        at("2026-04-05T00:00:00+11:00"), at("2026-04-06T00:00:00+10:30")
    ) == (24 * H + 1800)


def test_apia_2011_12_30_does_not_exist() -> None:
    text = 'calendar c {\n timezone "Pacific/Apia"\n hours daily 09:00-17:00\n}'
    cal = one(text)
    # The 30th's ranges resolve onto the 31st's instants; open time is a set.
    lo, hi = at("2011-12-29T00:00:00-10:00"), at("2012-01-01T00:00:00+14:00")
    assert cal.between_seconds(lo, hi) == 16 * H
    check_against_oracle(text, "c", [lo, lo + 20 * H, hi - 10 * H, hi])


def test_sao_paulo_midnight_dst() -> None:
    # Until 2019 Sao Paulo's clocks jumped at midnight: 2018-11-04 00:00 did
    # not exist. The day then starts at 01:00 (-02:00) and lasts 23 h.
    cal = one('calendar c {\n timezone "America/Sao_Paulo"\n hours daily 00:00-24:00\n}')
    assert cal.between_seconds(
        at("2018-11-04T01:00:00-02:00"), at("2018-11-05T00:00:00-02:00")
    ) == (23 * H)


# ---------------------------------------------------------------- overnight, holidays, overrides

NIGHTS = """
calendar night_desk "Night desk" {
    timezone "Asia/Tokyo"
    hours mon-fri 22:00-06:00
    holiday 2026-06-09
    holiday 2026-06-16
    hours 2026-06-12 20:00-21:00
    hours 2026-06-09 10:00-12:00
}
"""


def test_overnight_shift_belongs_to_its_start_day() -> None:
    cal = one(NIGHTS)
    assert cal.is_open_at(at("2026-06-06T05:59:59+09:00"))  # Fri's shift on Sat
    assert not cal.is_open_at(at("2026-06-06T22:00:00+09:00"))  # no Sat shift
    assert not cal.is_open_at(at("2026-06-08T01:00:00+09:00"))  # no Sun shift
    assert cal.is_open_at(at("2026-06-08T22:00:00+09:00"))
    # Mon 2026-06-01 22:00 to Tue 06:00: 8 h.
    assert cal.between_seconds(
        at("2026-06-01T12:00:00+09:00"), at("2026-06-02T12:00:00+09:00")
    ) == (8 * H)


def test_holiday_removes_the_after_midnight_part_of_the_previous_shift() -> None:
    cal = one(NIGHTS)
    # Mon 8th 22:00-24:00 stays; Tue 9th (holiday) 00:00-06:00 goes, and the
    # override 10:00-12:00 on the holiday opens nothing (it also replaced
    # Tue's shift, so nothing runs into Wed 10th).
    assert cal.is_open_at(at("2026-06-08T23:59:59+09:00"))
    assert not cal.is_open_at(at("2026-06-09T00:00:00+09:00"))
    assert not cal.is_open_at(at("2026-06-09T11:00:00+09:00"))
    assert not cal.is_open_at(at("2026-06-09T23:00:00+09:00"))
    assert not cal.is_open_at(at("2026-06-10T00:00:00+09:00"))
    mon = at("2026-06-08T12:00:00+09:00")
    assert cal.between_seconds(mon, mon + 2 * 86400) == 2 * H
    # Tue 16th is a plain holiday: its own shift keeps its after-midnight
    # part on Wed 17th.
    assert not cal.is_open_at(at("2026-06-16T05:00:00+09:00"))
    assert not cal.is_open_at(at("2026-06-16T23:00:00+09:00"))
    assert cal.is_open_at(at("2026-06-17T00:00:00+09:00"))
    mon = at("2026-06-15T12:00:00+09:00")
    assert cal.between_seconds(mon, mon + 2 * 86400) == 2 * H + 6 * H
    assert cal.next_close_at(at("2026-06-08T22:30:00+09:00")) == at("2026-06-09T00:00:00+09:00")


def test_override_keeps_the_previous_days_overnight_tail() -> None:
    cal = one(NIGHTS)
    # Fri 12th is overridden to 20:00-21:00; Thu's shift still runs to 06:00 Fri.
    assert cal.is_open_at(at("2026-06-12T05:00:00+09:00"))
    assert cal.is_open_at(at("2026-06-12T20:30:00+09:00"))
    assert not cal.is_open_at(at("2026-06-12T22:30:00+09:00"))
    assert not cal.is_open_at(at("2026-06-13T01:00:00+09:00"))


def test_nights_against_oracle() -> None:
    base = at("2026-06-07T00:00:00+09:00")
    check_against_oracle(NIGHTS, "night_desk", [base + k * 5 * H + 17 for k in range(30)])


def test_override_lines_of_one_date_are_joined_across_include() -> None:
    cals = calendars(
        """
        calendar base {
            timezone "Europe/Berlin"
            hours mon-fri 08:00-16:00
            hours 2026-12-24 08:00-10:00
            holiday 2026-12-25
        }
        calendar branch {
            include base
            timezone "Europe/Paris"
            hours 2026-12-24 11:00-12:00
            hours sat 10:00-11:00
        }
        """
    )
    base, branch = cals["base"], cals["branch"]
    assert branch.zone == "Europe/Paris" and base.zone == "Europe/Berlin"
    day = at("2026-12-24T00:00:00+01:00")
    assert base.between_seconds(day, day + 86400) == 2 * H
    assert branch.between_seconds(day, day + 86400) == 3 * H
    assert branch.between_seconds(day + 86400, day + 2 * 86400) == 0  # holiday copied
    sat = at("2026-12-26T00:00:00+01:00")
    assert branch.between_seconds(sat, sat + 86400) == H
    assert base.between_seconds(sat, sat + 86400) == 0


def test_include_chain_takes_included_zone_and_lists() -> None:
    cals = calendars(
        """
        holidays us_federal {
            every jul 4 observed
        }
        calendar us {
            timezone "America/Chicago"
            hours weekdays 07:00-19:00
            holidays us_federal
        }
        calendar us2 {
            include us
        }
        calendar us3 {
            include us2
            timezone "America/New_York"
        }
        """
    )
    assert cals["us2"].zone == "America/Chicago"
    assert cals["us3"].zone == "America/New_York"
    # 2026-07-04 is a Saturday: observed on Friday the 3rd.
    fri = at("2026-07-03T00:00:00-04:00")
    assert cals["us3"].between_seconds(fri, fri + 86400) == 0
    thu = fri - 86400
    assert cals["us3"].between_seconds(thu, thu + 86400) == 12 * H


# ---------------------------------------------------------------- holiday rules


def _holidays(rule: str, year: int) -> list[str]:
    cal = one(f'calendar c {{\n timezone "UTC"\n hours daily 00:00-24:00\n holiday {rule}\n}}')
    start = at(f"{year}-01-01T00:00:00+00:00")
    out = []
    for k in range(366):
        t = start + k * 86400
        if from_epoch(t).year == year and not cal.is_open_at(t):
            out.append(from_epoch(t).strftime("%Y-%m-%d"))
    return out


def test_observed_crosses_the_year_boundary() -> None:
    # 1 Jan 2022 was a Saturday: observed on Friday 31 Dec 2021.
    assert _holidays("every jan 1 observed", 2021) == ["2021-01-01", "2021-12-31"]
    assert _holidays("every jan 1 observed", 2022) == ["2022-01-01"]
    # 1 Jan 2023 was a Sunday: observed Monday 2 Jan.
    assert _holidays("every jan 1 observed", 2023) == ["2023-01-01", "2023-01-02"]
    # 31 Dec 2028 is a Sunday: observed on Monday 1 Jan 2029.
    assert _holidays("every dec 31 observed", 2029) == ["2029-01-01", "2029-12-31"]
    assert _holidays("every jan 1", 2021) == ["2021-01-01"]


def test_feb_29_only_in_leap_years() -> None:
    assert _holidays("every feb 29", 2028) == ["2028-02-29"]
    assert _holidays("every feb 29", 2027) == []


def test_nth_weekday_rules() -> None:
    assert _holidays("every 4th thu of nov", 2026) == ["2026-11-26"]
    assert _holidays("every last mon of may", 2026) == ["2026-05-25"]
    assert _holidays("every 1st mon of sep", 2026) == ["2026-09-07"]
    # June 2026 has five Mondays, February 2026 none.
    assert _holidays("every 5th mon of jun", 2026) == ["2026-06-29"]
    assert _holidays("every 5th mon of feb", 2026) == []


def test_easter_rules() -> None:
    assert _holidays("every easter-2", 2026) == ["2026-04-03"]
    assert _holidays("every easter+0", 2026) == ["2026-04-05"]
    assert _holidays("every easter+1", 2027) == ["2027-03-29"]
    assert _holidays("every easter+50", 2026) == ["2026-05-25"]


def test_rrule_rules_count_from_1970() -> None:
    assert _holidays('rrule "FREQ=YEARLY;BYMONTH=10;BYMONTHDAY=3"', 2026) == ["2026-10-03"]
    # RFC 5545 counts weeks from DTSTART's week (WKST=MO): 1970-01-01 is in
    # the week of Mon 1969-12-29, so the Mondays are 1970-01-12 + 14k.
    found = _holidays('rrule "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"', 2026)
    assert found[0] == "2026-01-12"
    assert all((dt.date.fromisoformat(d) - dt.date(1970, 1, 12)).days % 14 == 0 for d in found)
    assert _holidays('rrule "FREQ=YEARLY;COUNT=3"', 1971) == ["1971-01-01"]
    assert _holidays('rrule "FREQ=YEARLY;COUNT=3"', 2026) == []


def test_holiday_ranges_are_inclusive() -> None:
    assert _holidays("2026-12-24 .. 2026-12-26", 2026) == ["2026-12-24", "2026-12-25", "2026-12-26"]
    assert _holidays("2025-12-30 .. 2026-01-02", 2026) == ["2026-01-01", "2026-01-02"]


# ---------------------------------------------------------------- exhaustion


def test_add_on_a_calendar_whose_open_time_runs_out_raises() -> None:
    cal = one(
        """
        calendar doomed {
            timezone "Europe/London"
            hours mon-fri 09:00-17:00
            holiday rrule "FREQ=DAILY;UNTIL=20400101T000000Z"
        }
        """
    )
    t = at("2026-01-01T00:00:00+00:00")
    began = time.perf_counter()
    with pytest.raises(CalendarExhausted, match="within ten years"):
        cal.add_seconds(t, 1)
    with pytest.raises(CalendarExhausted):
        cal.add(from_epoch(t), dt.timedelta(hours=1))
    assert time.perf_counter() - began < 10
    assert cal.between_seconds(t, t + 10 * 365 * 86400) == 0
    assert cal.next_open_at(t) is None
    assert cal.next_close_at(t) is None
    assert not has_open_time(cal, t)
    # It opens again in 2040, within ten years of 2031.
    later = at("2031-01-01T00:00:00+00:00")
    assert iso(cal.add_seconds(later, 1)) == "2040-01-02T09:00:01Z"


def test_never_open_calendar() -> None:
    cal = BusinessCalendar("shut", "UTC", weekly=[[]] * 7)
    with pytest.raises(CalendarExhausted):
        cal.add_seconds(0, 1)
    assert not has_open_time(cal)
    assert has_open_time(one(OFFICE))


# ---------------------------------------------------------------- API details


def test_naive_datetimes_raise_value_error() -> None:
    cal = one(OFFICE)
    naive = dt.datetime(2026, 3, 6, 19)
    aware = naive.replace(tzinfo=dt.UTC)
    with pytest.raises(ValueError, match="naive"):
        cal.between(naive, aware)
    with pytest.raises(ValueError, match="naive"):
        cal.add(naive, dt.timedelta(hours=1))
    with pytest.raises(ValueError, match="naive"):
        cal.is_open(naive)
    with pytest.raises(ValueError, match="naive"):
        CALENDAR_HOURS.between(aware, naive)


def test_negative_duration_raises_value_error() -> None:
    cal = one(OFFICE)
    aware = dt.datetime(2026, 3, 6, 19, tzinfo=dt.UTC)
    with pytest.raises(ValueError, match="negative"):
        cal.add(aware, dt.timedelta(seconds=-1))
    with pytest.raises(ValueError, match="negative"):
        cal.add_seconds(0, -1)
    with pytest.raises(ValueError, match="negative"):
        CALENDAR_HOURS.add_seconds(0, -1)


def test_instants_are_truncated_toward_the_past() -> None:
    cal = one(OFFICE)
    t = dt.datetime(2026, 3, 9, 14, 0, 0, 999_999, tzinfo=dt.UTC)  # 10:00 EDT
    assert cal.add(t, dt.timedelta(seconds=1, microseconds=500_000)) == dt.datetime(
        2026, 3, 9, 14, 0, 1, tzinfo=dt.UTC
    )
    before = dt.datetime(1969, 12, 31, 23, 59, 59, 500_000, tzinfo=dt.UTC)
    assert to_epoch(before) == -1


def test_between_is_negative_when_reversed() -> None:
    cal = one(OFFICE)
    a, b = at("2026-03-06T19:00:00-05:00"), at("2026-03-09T11:00:00-04:00")
    assert cal.between_seconds(b, a) == -3 * H
    assert cal.between(from_epoch(b), from_epoch(a)) == -dt.timedelta(hours=3)


def test_datetime_api_matches_integer_api() -> None:
    cal = one(OFFICE)
    t = dt.datetime.fromisoformat("2026-03-06T19:00:00-05:00")
    assert cal.is_open(t) and not cal.is_open(t + dt.timedelta(hours=1))
    assert cal.next_open(t) == t.astimezone(dt.UTC)
    assert cal.next_close(t) == dt.datetime(2026, 3, 7, 1, tzinfo=dt.UTC)
    assert cal.next_open(t + dt.timedelta(hours=1)) == dt.datetime(2026, 3, 9, 13, tzinfo=dt.UTC)
    assert cal.name == "office" and cal.zone == "America/New_York"


def test_calendar_hours() -> None:
    utc = dt.UTC
    a = dt.datetime(2026, 3, 8, 0, tzinfo=utc)
    assert CALENDAR_HOURS.name is None
    assert CALENDAR_HOURS.between(a, a + dt.timedelta(days=3)) == dt.timedelta(days=3)
    assert CALENDAR_HOURS.add(a, dt.timedelta(hours=5)) == a + dt.timedelta(hours=5)
    assert CALENDAR_HOURS.is_open(a) and CALENDAR_HOURS.next_open(a) == a
    assert CALENDAR_HOURS.next_close(a) is None
    assert CALENDAR_HOURS.between_seconds(5, 2) == -3
    assert pickle.loads(pickle.dumps(CALENDAR_HOURS)) is CALENDAR_HOURS


def test_pickle_round_trip_drops_caches() -> None:
    cals = calendars(
        """
        holidays us_federal {
            every jan 1 observed
            every 4th thu of nov
            rrule "FREQ=YEARLY;BYMONTH=10;BYMONTHDAY=3"
        }
        calendar us {
            timezone "America/Chicago"
            hours weekdays 07:00-12:00, 13:00-19:00
            hours 2026-12-24 07:00-10:00
            holidays us_federal
        }
        """
    )
    cal = cals["us"]
    fresh = pickle.dumps(cal)
    a, b = at("2020-01-01T00:00:00+00:00"), at("2030-06-01T00:00:00+00:00")
    expected = cal.between_seconds(a, b)
    warm = pickle.dumps(cal)
    assert len(warm) == len(fresh) < 4000
    copy = pickle.loads(warm)
    assert copy.name == "us" and copy.zone == "America/Chicago"
    assert copy.between_seconds(a, b) == expected
    assert copy.add_seconds(a, 1000 * H) == cal.add_seconds(a, 1000 * H)


def test_far_apart_instants_expand_once() -> None:
    cal = one(OFFICE)
    a, b = at("2000-01-01T00:00:00+00:00"), at("2050-01-01T00:00:00+00:00")
    total = cal.between_seconds(a, b)
    expanded = len(cal._years)
    began = time.perf_counter()
    for _ in range(1000):
        assert cal.between_seconds(a, b) == total
    assert len(cal._years) == expanded
    assert time.perf_counter() - began < 1.0
    # Any year: 11 h a weekday, minus Christmas on a weekday.
    y2026 = cal.between_seconds(at("2026-01-01T00:00:00-05:00"), at("2027-01-01T00:00:00-05:00"))
    assert y2026 == (261 - 1) * 11 * H


def test_weekly_day_lists() -> None:
    cal = one(
        """
        calendar c {
            timezone "UTC"
            hours fri-mon 10:00-11:00
            hours mon,wed 12:00-13:00
            hours weekends 14:00-15:00
            hours tue-tue 16:00-17:00
        }
        """
    )
    week = at("2026-06-01T00:00:00+00:00")  # a Monday
    per_day = [cal.between_seconds(week + k * 86400, week + (k + 1) * 86400) // H for k in range(7)]
    assert per_day == [2, 1, 1, 0, 1, 2, 2]


def test_real_parser_agrees_with_the_mini_reader() -> None:
    parser = pytest.importorskip("sladsl.syntax.parser")
    text = (
        NIGHTS
        + OFFICE
        + RPCFN
        + """
holidays us_federal {
    every jan 1 observed "New Year's Day"
    every 3rd mon of jan "Martin Luther King Jr. Day"
    every easter-2
    rrule "FREQ=YEARLY;BYMONTH=10;BYMONTHDAY=3" "German Unity Day"
    2026-12-24 .. 2026-12-26
}
calendar us_east "US East" {
    include office
    timezone "America/New_York"
    hours sat-sun 22:00-06:00
    holidays us_federal
}
"""
    )
    contract, diagnostics = parser.parse(text, "cal.sla")
    assert contract is not None, diagnostics
    assert contract == mini_parse(text)
