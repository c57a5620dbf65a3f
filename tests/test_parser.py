"""The AST the parser builds, construct by construct, and a few exact spans."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import lark

from sladsl.syntax import ast
from sladsl.syntax.parser import parse

REPO = Path(__file__).resolve().parents[1]


def ok(text: str) -> ast.Contract:
    contract, diagnostics = parse(text, "t.sla")
    assert diagnostics == [], diagnostics
    assert contract is not None
    return contract


def one_policy(body: str) -> ast.PolicyDecl:
    return ok("policy p {\n" + body + "\n}\n").policies[0]


def condition(text: str) -> ast.Condition:
    line = one_policy("when " + text).lines[0]
    assert isinstance(line, ast.When)
    return line.condition


def F(name: str) -> ast.FieldRef:
    return ast.FieldRef(name)


def V(value: ast.ScalarValue) -> ast.Value:
    return ast.Value(value)


# ------------------------------------------------------------------ declarations


def test_empty_and_comment_only_files() -> None:
    assert ok("").declarations == ()
    contract = ok("# nothing\n  # here\n")
    assert contract.declarations == ()
    assert [c.text for c in contract.comments] == ["# nothing", "# here"]
    assert contract.comments[1].span == ast.Span(12, 18, 2, 3, 2, 9)


def test_priorities() -> None:
    decl = ok("priorities urgent, high,normal , low").priorities
    assert decl == ast.PrioritiesDecl(
        tuple(ast.Name(n) for n in ("urgent", "high", "normal", "low"))
    )


def test_holiday_list_with_every_rule_kind() -> None:
    text = """holidays h "Title" {
        2026-01-01
        2026-12-24 .. 2026-12-26 "Xmas"
        every jan 1 observed "New Year"
        every feb 29
        every 3rd mon of jan
        every last mon of may
        every easter-2 "Good Friday"
        every easter+0
        rrule "FREQ=YEARLY;BYMONTH=10;BYMONTHDAY=3" "Unity"
    }"""
    decl = ok(text).holiday_lists[0]
    assert decl.name == ast.Name("h")
    assert decl.title == ast.Text("Title")
    rules = [line.rule for line in decl.lines]
    assert rules == [
        ast.HolidayDate(ast.DateLit("2026-01-01")),
        ast.HolidayRange(ast.DateLit("2026-12-24"), ast.DateLit("2026-12-26")),
        ast.HolidayYearly(ast.Name("jan"), "1", observed=True),
        ast.HolidayYearly(ast.Name("feb"), "29", observed=False),
        ast.HolidayNthWeekday("3rd", ast.Name("mon"), ast.Name("jan")),
        ast.HolidayNthWeekday("last", ast.Name("mon"), ast.Name("may")),
        ast.HolidayEaster(-2),
        ast.HolidayEaster(0),
        ast.HolidayRRule(ast.Text("FREQ=YEARLY;BYMONTH=10;BYMONTHDAY=3")),
    ]
    titles = [line.title.value if line.title else None for line in decl.lines]
    assert titles == [None, "Xmas", "New Year", None, None, None, "Good Friday", None, "Unity"]


def test_calendar_lines() -> None:
    text = """calendar c "C" {
        timezone "Europe/Berlin"
        hours mon-fri 08:00-12:00, 13:00-17:30
        hours mon,wed-fri,sat 10:00-14:00
        hours fri-mon 22:00-06:00
        hours daily 00:00-24:00
        hours weekdays 07:00-19:00
        hours weekends 10:00-12:00
        hours 2026-12-24 08:00-12:00
        holiday 2026-12-25 .. 2026-12-26 "Christmas"
        holiday every dec 25
        holidays us_federal
        include other
    }"""
    cal = ok(text).calendars[0]
    assert cal.name.value == "c" and cal.title == ast.Text("C")
    lines = cal.lines
    assert lines[0] == ast.TimezoneLine(ast.Text("Europe/Berlin"))
    assert lines[1] == ast.WeeklyHoursLine(
        (ast.DayRange("mon", "fri"),),
        (ast.TimeRange("08:00", "12:00"), ast.TimeRange("13:00", "17:30")),
    )
    assert lines[2] == ast.WeeklyHoursLine(
        (ast.DayRange("mon"), ast.DayRange("wed", "fri"), ast.DayRange("sat")),
        (ast.TimeRange("10:00", "14:00"),),
    )
    assert lines[3].days == (ast.DayRange("fri", "mon"),)  # type: ignore[union-attr]
    assert [line.days[0].first for line in lines[4:7]] == [  # type: ignore[union-attr]
        "daily",
        "weekdays",
        "weekends",
    ]
    assert lines[7] == ast.DateHoursLine(
        ast.DateLit("2026-12-24"), (ast.TimeRange("08:00", "12:00"),)
    )
    assert lines[8] == ast.HolidayLine(
        ast.HolidayRange(ast.DateLit("2026-12-25"), ast.DateLit("2026-12-26")),
        ast.Text("Christmas"),
    )
    assert lines[9] == ast.HolidayLine(ast.HolidayYearly(ast.Name("dec"), "25"))
    assert lines[10] == ast.UseHolidays(ast.Name("us_federal"))
    assert lines[11] == ast.Include(ast.Name("other"))


def test_policy_lines_and_targets() -> None:
    policy = ok("""policy vip "VIP" {
        when channel is email
        calendar emea
        first_reply_time: urgent 30m, high 1h
        next_reply_time: 4h in business hours
        total_resolution_time: 14d in calendar hours
    }""").policies[0]
    assert policy.title == ast.Text("VIP")
    assert policy.lines[1] == ast.UseCalendar(ast.Name("emea"))
    assert policy.lines[2] == ast.TargetLine(
        ast.Name("first_reply_time"),
        (
            ast.Target(ast.Name("urgent"), ast.Duration("30m")),
            ast.Target(ast.Name("high"), ast.Duration("1h")),
        ),
        None,
    )
    assert policy.lines[3] == ast.TargetLine(
        ast.Name("next_reply_time"), (ast.Target(None, ast.Duration("4h")),), "business"
    )
    assert policy.lines[4].clock == "calendar"  # type: ignore[union-attr]


def test_mixed_targets_parse_for_the_checker() -> None:
    line = one_policy("first_reply_time: 4h, high 1h").lines[0]
    assert isinstance(line, ast.TargetLine)
    assert [t.priority for t in line.targets] == [None, ast.Name("high")]


def test_permissive_values_are_kept_as_written() -> None:
    cal = ok("""calendar c {
        hours xyz-abc 99:99-00:00
        hours 2026-02-30 25:00-26:00
        holiday every 6th mon of jan
        holiday every foo 99
    }""").calendars[0]
    assert cal.lines[0] == ast.WeeklyHoursLine(
        (ast.DayRange("xyz", "abc"),), (ast.TimeRange("99:99", "00:00"),)
    )
    assert cal.lines[1].date == ast.DateLit("2026-02-30")  # type: ignore[union-attr]
    assert cal.lines[2].rule == ast.HolidayNthWeekday(  # type: ignore[union-attr]
        "6th", ast.Name("mon"), ast.Name("jan")
    )
    policy = one_policy("first_reply_time: 30m1h, high 4hours")
    assert [t.duration.text for t in policy.lines[0].targets] == ["30m1h", "4hours"]  # type: ignore[union-attr]


# ------------------------------------------------------------------ contextual keywords


def test_declaration_keywords_are_names_elsewhere() -> None:
    contract = ok("""
    priorities policy, calendar, hours
    calendar hours { include calendar timezone "UTC" hours mon 09:00-10:00 }
    calendar calendar { holidays holidays }
    holidays holidays { every every 1 }
    policy calendar {
        calendar policy
        when tags has hours and when is every
        when tags has any [calendar, policy, include, business, observed]
        first_reply_time: policy 4h
    }
    """)
    assert [n.value for n in contract.priorities.names] == ["policy", "calendar", "hours"]  # type: ignore[union-attr]
    assert [c.name.value for c in contract.calendars] == ["hours", "calendar"]
    assert contract.calendars[0].lines[0] == ast.Include(ast.Name("calendar"))
    assert contract.holiday_lists[0].lines[0].rule == ast.HolidayYearly(ast.Name("every"), "1")
    policy = contract.policies[0]
    assert policy.name.value == "calendar"
    assert policy.lines[0] == ast.UseCalendar(ast.Name("policy"))
    assert policy.lines[1].condition == ast.And(
        (  # type: ignore[union-attr]
            ast.FieldTest(F("tags"), "has", V("hours")),
            ast.FieldTest(F("when"), "is", V("every")),
        )
    )
    assert policy.lines[3].targets[0].priority == ast.Name("policy")  # type: ignore[union-attr]


# ------------------------------------------------------------------ conditions


def test_every_field_test() -> None:
    cases: list[tuple[str, ast.FieldTest]] = [
        ("priority is urgent", ast.FieldTest(F("priority"), "is", V("urgent"))),
        ("status is not pending", ast.FieldTest(F("status"), "is not", V("pending"))),
        (
            "type in [incident, problem]",
            ast.FieldTest(F("type"), "in", (V("incident"), V("problem"))),
        ),
        ("channel not in [voice]", ast.FieldTest(F("channel"), "not in", (V("voice"),))),
        ("assignee is set", ast.FieldTest(F("assignee"), "is set", None)),
        ("assignee is not set", ast.FieldTest(F("assignee"), "is not set", None)),
        ('tags has "x"', ast.FieldTest(F("tags"), "has", V("x"))),
        ("tags has any [a, b]", ast.FieldTest(F("tags"), "has any", (V("a"), V("b")))),
        ("tags has all [a]", ast.FieldTest(F("tags"), "has all", (V("a"),))),
        ('field "Seats" < 1', ast.FieldTest(ast.FieldRef("Seats", True), "<", V(Decimal(1)))),
        ('field "Seats" <= 1', ast.FieldTest(ast.FieldRef("Seats", True), "<=", V(Decimal(1)))),
        (
            'field "Seats" > -1.5',
            ast.FieldTest(ast.FieldRef("Seats", True), ">", V(Decimal("-1.5"))),
        ),
        ('field "Seats" >= 0', ast.FieldTest(ast.FieldRef("Seats", True), ">=", V(Decimal(0)))),
    ]
    for text, expected in cases:
        assert condition(text) == expected, text


def test_values() -> None:
    test = condition('form in ["Tier \\"2\\" \\\\ x", tier-2.b, 10, 1.50, true, false, nothing]')
    assert isinstance(test, ast.FieldTest) and isinstance(test.value, tuple)
    values = test.value
    assert [v.value for v in values] == [
        'Tier "2" \\ x',
        "tier-2.b",
        Decimal(10),
        Decimal("1.50"),
        True,
        False,
        "nothing",
    ]
    assert [v.quoted for v in values] == [True, False, False, False, False, False, False]
    assert type(values[4].value) is bool
    assert type(values[0].value) is str and type(values[1].value) is str


def test_precedence_not_and_or() -> None:
    a, b, c, d = (ast.FieldTest(F(x), "is set", None) for x in "abcd")
    got = condition("a is set or not b is set and c is set or d is set")
    assert got == ast.Or((a, ast.And((ast.Not(b), c)), d))


def test_chains_flatten_and_parentheses_leave_no_node() -> None:
    a, b, c = (ast.FieldTest(F(x), "is set", None) for x in "abc")
    assert condition("a is set and b is set and c is set") == ast.And((a, b, c))
    assert condition("(a is set or b is set) or c is set") == ast.Or((a, b, c))
    assert condition("((a is set))") == a
    assert condition("(a is set or b is set) and c is set") == ast.And((ast.Or((a, b)), c))
    assert condition("not not a is set") == ast.Not(ast.Not(a))


def test_deep_but_allowed_nesting() -> None:
    text = "(" * 60 + "a is set" + ")" * 60
    assert condition(text) == ast.FieldTest(F("a"), "is set", None)


# ------------------------------------------------------------------ spans


def test_spans_are_exact() -> None:
    text = (
        'calendar office "Office" {\n'
        '    timezone "UTC"\n'
        "    hours mon-fri 09:00-17:00\n"
        "}\n"
        "policy p {\n"
        '    when (group is "T2" or assignee is set) and not tags has x\n'
        "    first_reply_time: urgent 30m in calendar hours\n"
        "}"
    )
    contract = ok(text)
    cal = contract.calendars[0]
    assert cal.span == ast.Span(0, 77, 1, 1, 4, 2)
    assert cal.name.span == ast.Span(9, 15, 1, 10, 1, 16)
    assert cal.title is not None and cal.title.span == ast.Span(16, 24, 1, 17, 1, 25)
    hours = cal.lines[1]
    assert isinstance(hours, ast.WeeklyHoursLine)
    assert hours.span == ast.Span(50, 75, 3, 5, 3, 30)
    assert hours.days[0].span == ast.Span(56, 63, 3, 11, 3, 18)
    assert hours.ranges[0].span.col == 19
    policy = contract.policies[0]
    when = policy.lines[0]
    assert isinstance(when, ast.When)
    assert (when.span.line, when.span.col, when.span.end_line, when.span.end_col) == (6, 5, 6, 63)
    cond = when.condition
    assert isinstance(cond, ast.And)
    assert (cond.span.col, cond.span.end_col) == (10, 63)
    inner_or = cond.operands[0]
    assert (inner_or.span.col, inner_or.span.end_col) == (11, 43)
    assert text[inner_or.span.start : inner_or.span.end] == 'group is "T2" or assignee is set'
    negation = cond.operands[1]
    assert isinstance(negation, ast.Not)
    assert (negation.span.col, negation.span.end_col) == (49, 63)
    assert text[negation.span.start : negation.span.end] == "not tags has x"
    target_line = policy.lines[1]
    assert isinstance(target_line, ast.TargetLine)
    assert (target_line.span.line, target_line.span.col, target_line.span.end_col) == (7, 5, 51)
    assert (target_line.targets[0].span.col, target_line.targets[0].span.end_col) == (23, 33)
    assert contract.span == ast.Span(0, len(text), 1, 1, 8, 2)
    assert text[when.span.start : when.span.end].startswith("when (")


def test_every_node_has_a_real_span_and_no_lark_types() -> None:
    from tests.test_parser_spec import copied_blocks

    contract = ok("\n".join(copied_blocks()))
    seen = 0
    stack: list[object] = [contract]
    while stack:
        node = stack.pop()
        assert not isinstance(node, lark.Token | lark.Tree)
        if isinstance(node, tuple):
            stack.extend(node)
        elif attrs.has(type(node)) and not isinstance(node, ast.Span):
            span = node.span  # type: ignore[attr-defined]
            assert span != ast.NO_SPAN and span.end > span.start, node
            seen += 1
            for field in attrs.fields(type(node)):
                if field.name != "span":
                    stack.append(getattr(node, field.name))
        elif isinstance(node, str):
            assert type(node) is str
    assert seen > 250


def test_comments_are_collected_in_order() -> None:
    contract = ok('policy p { # one\n  when x is "# not a comment" # two\n}\n# three')
    assert [c.text for c in contract.comments] == ["# one", "# two", "# three"]
    assert contract.comments[1].span.line == 2


def test_crlf_and_byte_order_mark() -> None:
    contract = ok("\ufeffpolicy p { # note\r\n  first_reply_time: 4h\r\n}\r\n")
    assert contract.comments[0].text == "# note"
    assert contract.policies[0].lines[0].span.line == 2


def test_grammar_cache_round_trip(tmp_path: Any) -> None:
    """A parser Lark loads from its cache file parses exactly like a fresh one.

    The first build writes the cache; the second loads it (Lark then skips
    the grammar analysis); the fast driver must work on both.
    """
    from sladsl.syntax._fast import FastParser
    from sladsl.syntax.parser import build_lark

    cache = str(tmp_path / "grammar.lark-cache")
    text = (REPO / "examples" / "global_support.sla").read_text(encoding="utf-8")
    built = build_lark(cache=cache)
    assert (tmp_path / "grammar.lark-cache").stat().st_size > 0
    loaded = build_lark(cache=cache)
    assert not hasattr(loaded.parser.parser, "parser_conf")  # really the cached path
    assert FastParser(built).parse(text) == FastParser(loaded).parse(text)
