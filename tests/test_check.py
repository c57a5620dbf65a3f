"""The checker on the cases that are easy to get wrong: hints, order of declarations,
includes, cycles, the normative examples, hand-made trees and speed."""

from __future__ import annotations

import re
import time
from decimal import Decimal
from pathlib import Path

import pytest

from sladsl.check import check_text
from sladsl.check.checker import check_contract
from sladsl.check.diagnostics import Diagnostic
from sladsl.syntax import ast

SPEC = Path(__file__).resolve().parents[2] / "shared" / "spec"

OFFICE = """
calendar office {
    timezone "Europe/Berlin"
    hours mon-fri 09:00-17:00
}
"""


def check(text: str) -> list[Diagnostic]:
    tree, diagnostics = check_text(text, "t.sla")
    assert tree is not None, [d.message for d in diagnostics]
    return diagnostics


def codes(text: str) -> list[str]:
    return [d.code for d in check(text)]


def only(text: str, code: str) -> Diagnostic:
    found = [d for d in check(text) if d.code == code]
    assert len(found) == 1, found
    return found[0]


# ---------------------------------------------------------------- hints


def test_unknown_calendar_hint_names_closest_calendar() -> None:
    d = only(OFFICE + "policy p {\n    calendar ofice\n    first_reply_time: 4h\n}\n", "SLA202")
    assert d.hint == "did you mean 'office'?"
    assert (d.line, d.col, d.end_col) == (7, 14, 19)
    assert d.severity == "error"


@pytest.mark.parametrize(
    ("calendars", "hint"),
    [
        ("", "no calendars are declared in this file"),
        (OFFICE, "declared calendars: office"),
        (OFFICE.replace("office", "zzzzzz"), "declared calendars: zzzzzz"),
    ],
)
def test_unknown_calendar_hint_without_a_close_name(calendars: str, hint: str) -> None:
    text = calendars + "policy p {\n    calendar emea\n    first_reply_time: 4h\n}\n"
    assert only(text, "SLA202").hint == hint


@pytest.mark.parametrize(
    ("zone", "hint"),
    [
        ("Europe/Berln", "did you mean 'Europe/Berlin'?"),
        ("europe/berlin", "did you mean 'Europe/Berlin'?"),
        ("Berlin", "did you mean 'Europe/Berlin'?"),
        ("New York", "did you mean 'America/New_York'?"),
    ],
)
def test_time_zone_hints(zone: str, hint: str) -> None:
    text = f'calendar c {{\n    timezone "{zone}"\n    hours mon 09:00-10:00\n}}\n'
    d = only(text, "SLA302")
    assert d.hint == hint
    assert (d.line, d.col) == (2, 14)


@pytest.mark.parametrize(
    ("line", "code", "hint"),
    [
        ("when status is opne", "SLA206", "did you mean 'open'?"),
        ("when type is incidnet", "SLA207", "did you mean 'incident'?"),
        ("when priorty is urgent", "SLA208", "did you mean 'priority'?"),
        ("when priority is urgnt", "SLA205", "did you mean 'urgent'?"),
        ("when status is zzz", "SLA206", "statuses are new, open, pending, hold, solved, closed"),
        ("when Plan is gold", "SLA208", 'for a custom field write field "Plan"'),
        ("first_reply: 4h", "SLA204", "did you mean 'first_reply_time'?"),
    ],
)
def test_vocabulary_hints(line: str, code: str, hint: str) -> None:
    target = "" if line.startswith("first") else "    first_reply_time: 4h\n"
    assert only(f"policy p {{\n    {line}\n{target}}}\n", code).hint == hint


def test_weekday_and_month_hints() -> None:
    text = (
        'calendar c {\n    timezone "UTC"\n    hours mon-fryday 09:00-10:00\n'
        "    holiday every dez 25\n}\n"
    )
    weekday = only(text, "SLA305")
    assert weekday.hint == "did you mean 'fri'?" or weekday.hint is not None
    assert (weekday.line, weekday.col, weekday.end_col) == (3, 15, 21)
    month = only(text, "SLA306")
    assert month.hint == "did you mean 'dec'?"


@pytest.mark.parametrize(
    ("word", "hint"), [("thursday", "thu"), ("Saturday", "sat"), ("wednesday", "wed")]
)
def test_full_weekday_names_suggest_the_short_one(word: str, hint: str) -> None:
    text = f'calendar c {{\n    timezone "UTC"\n    hours {word} 09:00-10:00\n}}\n'
    assert only(text, "SLA305").hint == f"did you mean {hint!r}?"


def test_duration_hint_reorders_units() -> None:
    d = only("policy p {\n    first_reply_time: 30m1h\n}\n", "SLA405")
    assert d.hint == "did you mean 1h30m?"


def test_day_duration_warning_hint() -> None:
    d = only(OFFICE + "policy p {\n    calendar office\n    first_reply_time: 1d\n}\n", "SLA412")
    assert d.hint == "1d here means 24 business hours, not one working day"
    assert d.severity == "warning"


# ---------------------------------------------------------------- order of declarations


def test_references_resolve_whatever_the_order() -> None:
    text = """
policy p {
    calendar late
    first_reply_time: 4h
}

calendar late {
    include later
    holidays closures
}

calendar later {
    timezone "Europe/Berlin"
    hours mon-fri 09:00-17:00
}

holidays closures {
    2026-12-24
}
"""
    assert check(text) == []


def test_timezone_and_hours_come_through_a_chain_of_includes() -> None:
    text = """
calendar c3 {
    include c2
}
calendar c2 {
    include c1
}
calendar c1 {
    include c0
    timezone "Asia/Tokyo"
}
calendar c0 {
    hours daily 00:00-24:00
    timezone "UTC"
}
policy p {
    calendar c3
    first_reply_time: 4h
}
"""
    assert check(text) == []


def test_missing_timezone_is_reported_at_every_calendar_lacking_one() -> None:
    text = """
calendar base {
    hours mon-fri 09:00-17:00
}
calendar branch {
    include base
}
policy p {
    calendar branch
    first_reply_time: 4h
}
"""
    found = [(d.code, d.line, d.col) for d in check(text)]
    assert found == [("SLA301", 2, 10), ("SLA301", 5, 10)]


def test_unknown_include_silences_missing_timezone_and_hours() -> None:
    text = "calendar c {\n    include nowhere\n}\n"
    text += "policy p {\n    calendar c\n    first_reply_time: 4h\n}\n"
    assert codes(text) == ["SLA202"]


# ---------------------------------------------------------------- cycles


def test_cycle_reported_once_at_its_first_include_line() -> None:
    text = """
calendar a {
    include b
    timezone "UTC"
    hours mon 09:00-10:00
}
calendar b {
    include c
}
calendar c {
    include a
    include b
}
policy p {
    calendar a
    first_reply_time: 4h
}
"""
    cycles = [d for d in check(text) if d.code == "SLA304"]
    assert len(cycles) == 1
    assert (cycles[0].line, cycles[0].col) == (3, 5)
    assert cycles[0].message == "include cycle: a -> b -> c -> a"


def test_separate_cycles_are_reported_separately() -> None:
    text = """
calendar a {
    include b
}
calendar b {
    include a
}
calendar c {
    include c
}
"""
    cycles = [(d.line, d.message) for d in check(text) if d.code == "SLA304"]
    assert cycles == [(3, "include cycle: a -> b -> a"), (9, "include cycle: c -> c")]


def test_long_include_chain_does_not_recurse() -> None:
    names = [f"c{i}" for i in range(3000)]
    decls: list[ast.Declaration] = [
        ast.CalendarDecl(ast.Name(n), None, (ast.Include(ast.Name(names[i + 1])),))
        for i, n in enumerate(names[:-1])
    ]
    decls.append(
        ast.CalendarDecl(
            ast.Name(names[-1]),
            None,
            (
                ast.TimezoneLine(ast.Text("UTC")),
                ast.WeeklyHoursLine((ast.DayRange("daily"),), (ast.TimeRange("09:00", "10:00"),)),
            ),
        )
    )
    decls.append(
        ast.PolicyDecl(
            ast.Name("p"),
            None,
            (
                ast.UseCalendar(ast.Name("c0")),
                ast.TargetLine(
                    ast.Name("first_reply_time"), (ast.Target(None, ast.Duration("4h")),)
                ),
            ),
        )
    )
    assert check_contract(ast.Contract(tuple(decls)), "x.sla") == []


# ---------------------------------------------------------------- specific decisions


def test_every_feb_29_is_fine_but_feb_30_is_not() -> None:
    base = 'calendar c {\n    timezone "UTC"\n    hours mon 09:00-10:00\n'
    base += "    holiday every feb %s\n}\n"
    assert "SLA307" not in codes(base % "29")
    d = only(base % "30", "SLA307")
    assert (d.line, d.col, d.end_col) == (4, 19, 25)


def test_24_00_only_ends_a_range() -> None:
    base = 'calendar c {\n    timezone "UTC"\n    hours mon %s\n}\n'
    assert "SLA308" not in codes(base % "00:00-24:00")
    d = only(base % "24:00-06:00", "SLA308")
    assert d.hint == "write 00:00 for the start of a day"


def test_overnight_range_keeps_the_day_open() -> None:
    text = """
calendar night {
    timezone "Asia/Tokyo"
    hours sat 22:00-06:00
    holiday 2026-12-26
    holiday 2026-12-27
    holiday 2026-12-29
}
policy p {
    calendar night
    first_reply_time: 4h
}
"""
    # Saturday's shift starts on the 26th and runs into the 27th: both holidays
    # remove something. Tuesday the 29th sees no shift at all.
    assert [(d.code, d.line) for d in check(text)] == [("SLA314", 7)]


def test_holiday_on_closed_day_in_a_list_needs_every_user_closed() -> None:
    text = """
holidays closures {
    2026-12-26
}
calendar weekdays_only {
    timezone "UTC"
    hours mon-fri 09:00-17:00
    holidays closures
}
calendar saturdays {
    timezone "UTC"
    hours sat 09:00-12:00
    holidays closures
}
policy a {
    when priority is urgent
    calendar weekdays_only
    first_reply_time: 1h
}
policy b {
    calendar saturdays
    first_reply_time: 4h
}
"""
    assert codes(text) == []


def test_date_override_makes_a_closed_day_open() -> None:
    text = OFFICE.replace("}", "    hours 2026-12-26 10:00-12:00\n    holiday 2026-12-26\n}")
    text += "policy p {\n    calendar office\n    first_reply_time: 4h\n}\n"
    assert codes(text) == []


def test_never_open_only_with_unbounded_rules() -> None:
    text = """
calendar c {
    timezone "UTC"
    hours sat-sun 10:00-12:00
    holiday rrule "FREQ=WEEKLY;BYDAY=SA,SU"
}
calendar d {
    timezone "UTC"
    hours sat-sun 10:00-12:00
    holiday rrule "FREQ=WEEKLY;BYDAY=SA,SU;UNTIL=20300101T000000Z"
}
"""
    assert [(d.code, d.line) for d in check(text) if d.code == "SLA313"] == [("SLA313", 2)]


def test_tags_is_set_is_a_warning() -> None:
    d = only("policy p {\n    when tags is set\n    first_reply_time: 4h\n}\n", "SLA413")
    assert d.severity == "warning"


def test_catch_all_policy_warns_each_later_policy_once() -> None:
    text = """
policy a {
    first_reply_time: 4h
}
policy b {
    first_reply_time: 4h
}
policy c {
    when priority is urgent
    first_reply_time: 1h
}
"""
    found = [(d.code, d.line, d.col) for d in check(text)]
    assert found == [("SLA410", 5, 8), ("SLA410", 8, 8)]


def test_calendar_line_after_targets_still_counts() -> None:
    policy = "policy p {\n    first_reply_time: 4h in business hours\n    calendar office\n}\n"
    text = OFFICE + policy
    assert codes(text) == []


def test_all_problems_are_collected() -> None:
    text = """
policy p {
    calendar nowhere
    calendar again
    first_reply: 0s
    when status is bogus and field "n" > "x"
}
"""
    assert sorted(codes(text)) == ["SLA202", "SLA204", "SLA206", "SLA401", "SLA406", "SLA407"]


# ---------------------------------------------------------------- the normative examples


def _language_blocks() -> list[str]:
    path = SPEC / "LANGUAGE.md"
    if not path.exists():
        pytest.skip("the normative spec is not beside the repository")
    return re.findall(r"^```sla\n(.*?)^```", path.read_text("utf-8"), re.S | re.M)


def test_language_examples_check_with_warnings_only() -> None:
    joined = "\n".join(_language_blocks())
    found = check(joined)
    assert [d for d in found if d.is_error] == []
    lines = joined.splitlines()

    def word_at(d: Diagnostic) -> str:
        return re.match(r"\w+", lines[d.line - 1][d.col - 1 :]).group(0)  # type: ignore[union-attr]

    assert sorted((d.code, word_at(d)) for d in found) == [
        ("SLA211", "night_desk"),
        ("SLA211", "us_east"),
        ("SLA410", "email_default"),
        ("SLA410", "examples_of_conditions"),
        ("SLA410", "vip"),
    ]


def test_each_language_block_alone_has_no_errors_beyond_missing_references() -> None:
    for block in _language_blocks():
        errors = {d.code for d in check(block) if d.is_error}
        assert errors <= {"SLA202"}, block


# ---------------------------------------------------------------- robustness and speed


def test_odd_trees_never_raise() -> None:
    weird = ast.Contract(
        (
            ast.PrioritiesDecl(()),
            ast.PrioritiesDecl((ast.Name(""), ast.Name(""))),
            ast.HolidayListDecl(
                ast.Name(""),
                None,
                (
                    ast.HolidayLine(ast.HolidayYearly(ast.Name(""), "")),
                    ast.HolidayLine(ast.HolidayYearly(ast.Name("feb"), "٣")),
                    ast.HolidayLine(ast.HolidayNthWeekday("", ast.Name(""), ast.Name(""))),
                    ast.HolidayLine(ast.HolidayRRule(ast.Text(""))),
                    ast.HolidayLine(ast.HolidayRRule(ast.Text("FREQ=DAILY;;;"))),
                    ast.HolidayLine(
                        ast.HolidayRange(ast.DateLit("0000-00-00"), ast.DateLit("")),
                    ),
                ),
            ),
            ast.CalendarDecl(
                ast.Name("c"),
                None,
                (
                    ast.TimezoneLine(ast.Text("")),
                    ast.WeeklyHoursLine((), ()),
                    ast.WeeklyHoursLine((ast.DayRange("", ""),), (ast.TimeRange("", ""),)),
                    ast.DateHoursLine(
                        ast.DateLit("9999-12-31"), (ast.TimeRange("00:00", "24:00"),)
                    ),
                    ast.HolidayLine(ast.HolidayDate(ast.DateLit("9999-12-31"))),
                    ast.HolidayLine(
                        ast.HolidayRange(ast.DateLit("0001-01-01"), ast.DateLit("9999-12-31"))
                    ),
                    ast.Include(ast.Name("c")),
                    ast.UseHolidays(ast.Name("")),
                ),
            ),
            ast.PolicyDecl(
                ast.Name("p"),
                None,
                (
                    ast.When(ast.FieldTest(ast.FieldRef("tags"), "has any", ())),
                    ast.When(ast.FieldTest(ast.FieldRef("x", custom=True), "<", None)),
                    ast.When(ast.FieldTest(ast.FieldRef("priority"), "in", ast.Value(Decimal(1)))),
                    ast.When(ast.Not(ast.And(()))),
                    ast.TargetLine(ast.Name(""), ()),
                    ast.TargetLine(
                        ast.Name("first_reply_time"),
                        (
                            ast.Target(ast.Name(""), ast.Duration("")),
                            ast.Target(None, ast.Duration("99999999999999999999w")),
                        ),
                        clock="business",
                    ),
                ),
            ),
        )
    )
    assert check_contract(weird, "x.sla")


def test_deep_conditions_do_not_recurse() -> None:
    condition: ast.Condition = ast.FieldTest(ast.FieldRef("status"), "is", ast.Value("nope"))
    for _ in range(5000):
        condition = ast.Not(condition)
    policy = ast.PolicyDecl(ast.Name("p"), None, (ast.When(condition),))
    found = check_contract(ast.Contract((policy,)), "x.sla")
    assert sorted(d.code for d in found) == ["SLA206", "SLA411"]


def _big_contract() -> ast.Contract:
    """The benchmark's shape (2,000 policies, 50 calendars), built directly: parsing is
    measured elsewhere."""
    decls: list[ast.Declaration] = []
    for i in range(50):
        weekly = ast.WeeklyHoursLine(
            (ast.DayRange("mon", "fri"),),
            (ast.TimeRange("08:00", "12:00"), ast.TimeRange("13:00", "17:30")),
        )
        lines: tuple[ast.CalendarLine, ...] = (
            ast.TimezoneLine(ast.Text("Europe/Berlin")),
            weekly,
            ast.WeeklyHoursLine((ast.DayRange("sat"),), (ast.TimeRange("10:00", "14:00"),)),
            ast.DateHoursLine(ast.DateLit("2026-12-24"), (ast.TimeRange("08:00", "12:00"),)),
            ast.HolidayLine(ast.HolidayRange(ast.DateLit("2026-12-25"), ast.DateLit("2026-12-26"))),
            ast.HolidayLine(ast.HolidayEaster(-2)),
            ast.HolidayLine(ast.HolidayNthWeekday("3rd", ast.Name("mon"), ast.Name("jan"))),
            ast.HolidayLine(
                ast.HolidayRRule(ast.Text(f"FREQ=YEARLY;BYMONTH=10;BYMONTHDAY={i % 28 + 1}"))
            ),
        )
        decls.append(ast.CalendarDecl(ast.Name(f"cal{i}"), None, lines))
    for i in range(2000):
        org = ast.FieldTest(
            ast.FieldRef("organization"), "in", (ast.Value(f"Org{i}"), ast.Value("Other"))
        )
        prio = ast.FieldTest(
            ast.FieldRef("priority"), "in", (ast.Value("urgent"), ast.Value("high"))
        )
        tags = ast.Not(ast.FieldTest(ast.FieldRef("tags"), "has", ast.Value("no_sla")))
        seats = ast.FieldTest(ast.FieldRef("Seats", custom=True), ">=", ast.Value(Decimal(i)))
        pairs = (
            ast.Target(ast.Name("urgent"), ast.Duration("30m")),
            ast.Target(ast.Name("high"), ast.Duration("1h")),
        )
        policy_lines: tuple[ast.PolicyLine, ...] = (
            ast.When(ast.And((org, prio))),
            ast.When(ast.And((tags, seats))),
            ast.UseCalendar(ast.Name(f"cal{i % 50}")),
            ast.TargetLine(ast.Name("first_reply_time"), pairs),
            ast.TargetLine(ast.Name("next_reply_time"), pairs),
            ast.TargetLine(
                ast.Name("total_resolution_time"),
                (ast.Target(None, ast.Duration("14d")),),
                clock="calendar",
            ),
        )
        decls.append(ast.PolicyDecl(ast.Name(f"p{i}"), None, policy_lines))
    return ast.Contract(tuple(decls))


def test_big_contract_checks_quickly() -> None:
    from sladsl.check import calendars, rrules

    # Cold caches: the first check of a file pays for its RRULEs too.
    rrules.rrule_problem.cache_clear()
    rrules.unbounded_rule.cache_clear()
    calendars._rules_close.cache_clear()
    tree = _big_contract()
    start = time.perf_counter()
    found = check_contract(tree, "big.sla")
    elapsed = time.perf_counter() - start
    assert found == []
    assert elapsed < 0.5, elapsed


@pytest.mark.parametrize(
    "module",
    ["checker", "context", "names", "calendars", "rrules", "policies", "conditions"],
)
def test_docstring_examples(module: str) -> None:
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(f"sladsl.check.{module}"))
    assert result.failed == 0 and result.attempted > 0
