"""Unit tests of the evaluator: the metric rule table, condition predicates,
target lookup, the instance engine's couplings, applied_at breaks, results
and pickling. Tickets are hand-built; calendars are a small brute-force
weekly calendar defined here, so these tests do not depend on the real
calendar engine (``test_engine_unit_spec.py`` runs SEMANTICS.md §6 through
the public API as well)."""

from __future__ import annotations

import datetime as dt
import pickle
from decimal import Decimal
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from sladsl.engine.compile import CompiledContract, compile_contract
from sladsl.engine.conditions import compile_condition, compile_when
from sladsl.engine.evaluate import evaluate
from sladsl.engine.metrics import (
    AGENT_REPLY,
    CREATED,
    CUSTOMER_REPLY,
    EVENT_ORDER,
    REOPENED,
    RULES,
    SOLVED,
    MetricRule,
    plan_rules,
    rule_for,
)
from sladsl.engine.results import ErrorResult, MetricResult, TicketResult, format_instant
from sladsl.errors import CalendarExhausted, TicketError
from sladsl.syntax import ast
from sladsl.syntax.words import METRICS
from sladsl.timeline.model import FieldValue, Ticket, Update

H = 3600
T0 = 1780304400  # 2026-06-01T09:00:00Z, a Monday


# ---------------------------------------------------------------- helpers


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


class WeekCalendar:
    """Weekly open hours (no overnight ranges, no holidays) in a zone, by brute
    force over local days: slow, obviously right, picklable."""

    def __init__(self, name: str, zone: str, weekly: list[list[tuple[int, int]]]) -> None:
        self.name = name
        self.zone = zone
        self.weekly = weekly

    def _intervals(self, lo: int, hi: int) -> list[tuple[int, int]]:
        tz = _zone(self.zone)
        day = dt.datetime.fromtimestamp(lo, tz).date() - dt.timedelta(days=1)
        last = dt.datetime.fromtimestamp(hi, tz).date() + dt.timedelta(days=1)
        out = []
        while day <= last:
            for start, end in self.weekly[day.weekday()]:
                a = self._instant(day, start, tz)
                b = self._instant(day, end, tz)
                if b > a:
                    out.append((a, b))
            day += dt.timedelta(days=1)
        return out

    @staticmethod
    def _instant(day: dt.date, minute: int, tz: ZoneInfo) -> int:
        base = dt.datetime(day.year, day.month, day.day, tzinfo=tz)
        if minute == 1440:
            nxt = day + dt.timedelta(days=1)
            return int(dt.datetime(nxt.year, nxt.month, nxt.day, tzinfo=tz).timestamp())
        wall = base.replace(hour=minute // 60, minute=minute % 60, fold=0)
        return int(wall.timestamp())

    def between_seconds(self, a: int, b: int) -> int:
        if b < a:
            return -self.between_seconds(b, a)
        return sum(max(0, min(b, e) - max(a, s)) for s, e in self._intervals(a, b))

    def add_seconds(self, t: int, d: int) -> int:
        if d == 0:
            return t
        left = d
        origin = t
        hi = t + 14 * 86400
        while hi - origin < 10 * 366 * 86400:
            for s, e in self._intervals(t, hi):
                s, e = max(s, t), min(e, hi)
                if e <= s:
                    continue
                if e - s >= left:
                    return s + left
                left -= e - s
            t, hi = hi, hi + 14 * 86400
        raise CalendarExhausted("no time left")

    def is_open_at(self, t: int) -> bool:
        return any(s <= t < e for s, e in self._intervals(t, t))

    def next_open_at(self, t: int) -> int | None:
        for s, e in self._intervals(t, t + 14 * 86400):
            if e > t:
                return max(s, t)
        return None

    def next_close_at(self, t: int) -> int | None:
        for _, e in self._intervals(t, t + 14 * 86400):
            if e > t:
                return e
        return None


class NeverCalendar(WeekCalendar):
    """Closed for good: add_seconds always runs out."""

    def __init__(self) -> None:
        super().__init__("never", "UTC", [[] for _ in range(7)])

    def add_seconds(self, t: int, d: int) -> int:
        if d == 0:
            return t
        raise CalendarExhausted("calendar 'never' has no open time")


OFFICE = WeekCalendar("office", "America/New_York", [[(540, 1200)]] * 5 + [[], []])


def line(metric: str, *targets: str | tuple[str, str], clock: str | None = None) -> ast.TargetLine:
    items = tuple(
        ast.Target(None, ast.Duration(t))
        if isinstance(t, str)
        else ast.Target(ast.Name(t[0]), ast.Duration(t[1]))
        for t in targets
    )
    return ast.TargetLine(ast.Name(metric), items, clock)  # type: ignore[arg-type]


def value(v: str | int | bool | Decimal) -> ast.Value:
    if isinstance(v, int) and not isinstance(v, bool):
        v = Decimal(v)
    return ast.Value(v)


def ft(field: str, op: str, v: Any = None, *, custom: bool = False) -> ast.FieldTest:
    if isinstance(v, list):
        val: Any = tuple(value(x) for x in v)
    elif v is None:
        val = None
    else:
        val = value(v)
    return ast.FieldTest(ast.FieldRef(field, custom), op, val)  # type: ignore[arg-type]


def policy(name: str, *lines: Any, calendar: str | None = None) -> ast.PolicyDecl:
    body = list(lines)
    if calendar is not None:
        body.insert(0, ast.UseCalendar(ast.Name(calendar)))
    return ast.PolicyDecl(ast.Name(name), None, tuple(body))


def compiled(*decls: Any, calendars: dict[str, Any] | None = None) -> CompiledContract:
    return compile_contract(ast.Contract(tuple(decls)), calendars or {"office": OFFICE})


def when(cond: ast.Condition) -> ast.When:
    return ast.When(cond)


def upd(at: int, by: str = "system", comment: str | None = None, **changes: Any) -> Update:
    """An update; ``tags`` may be a list (as in JSON) and null means the empty set."""
    items: tuple[tuple[str, FieldValue], ...] = tuple(
        (k, frozenset(v or ()) if k == "tags" else v) for k, v in changes.items()
    )
    return Update(at, by, comment, items, 0)


def ticket(*updates: Update) -> Ticket:
    return Ticket("t1", tuple(updates), 1)


def rows(cc: CompiledContract, t: Ticket, now: int) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = evaluate(cc, t, now).to_dict()["metrics"]
    return result


def by_metric(cc: CompiledContract, t: Ticket, now: int, metric: str) -> list[dict[str, Any]]:
    return [r for r in rows(cc, t, now) if r["metric"] == metric]


ALL_7 = policy("all", *(line(m, "100h") for m in METRICS))


def cust(at: int, **changes: Any) -> Update:
    return upd(at, "requester", "public", **changes)


def agent(at: int, **changes: Any) -> Update:
    return upd(at, "agent", "public", **changes)


def spans(cc: CompiledContract, t: Ticket, now: int) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for r in rows(cc, t, now):
        out.setdefault(r["metric"], []).append(r["elapsed_seconds"])
    return out


def test_stub_calendar_sanity() -> None:
    fri_19 = int(dt.datetime(2026, 3, 6, 19, tzinfo=_zone("America/New_York")).timestamp())
    mon_11 = int(dt.datetime(2026, 3, 9, 11, tzinfo=_zone("America/New_York")).timestamp())
    assert OFFICE.between_seconds(fri_19, mon_11) == 3 * H
    assert OFFICE.add_seconds(fri_19, 4 * H) == mon_11 + H
    assert OFFICE.add_seconds(fri_19, H) == fri_19 + H  # closing time, not next opening


# ---------------------------------------------------------------- rule table


def test_rule_table_follows_the_metric_table_order() -> None:
    assert tuple(r.name for r in RULES) == METRICS


def test_rule_rows_say_what_the_spec_says() -> None:
    first = rule_for("first_reply_time")
    assert first.start_on == CUSTOMER_REPLY
    assert first.stop_on == AGENT_REPLY | SOLVED
    assert first.never_after == AGENT_REPLY and not first.repeat
    nxt = rule_for("next_reply_time")
    assert nxt.start_on == CUSTOMER_REPLY and nxt.repeat
    assert nxt.exclusive == first.exclusive is not None
    for name in ("periodic_update", "pausable_update"):
        r = rule_for(name)
        assert (r.start_on, r.stop_on, r.repeat) == (AGENT_REPLY, AGENT_REPLY | SOLVED, True)
    assert rule_for("periodic_update").paused_while == frozenset()
    assert rule_for("pausable_update").paused_while == {"pending"}
    pauses = {
        "requester_wait_time": {"pending"},
        "agent_work_time": {"pending", "hold"},
        "total_resolution_time": set(),
    }
    for name, statuses in pauses.items():
        r = rule_for(name)
        assert (r.start_on, r.stop_on, r.resume_on) == (CREATED, SOLVED, REOPENED)
        assert r.paused_while == statuses and not r.repeat


def test_rule_rejects_unknown_status() -> None:
    with pytest.raises(ValueError):
        MetricRule("x", start_on=CREATED, stop_on=SOLVED, paused_while=frozenset({"on-hold"}))


def test_plan_dispatch_and_blockers() -> None:
    plan = plan_rules()
    assert plan.blockers[0] == (0, 1) and plan.blockers[1] == (1, 0)
    assert plan.blockers[2] == (2,)
    assert plan.pausable == (3, 4, 5)
    agent_act = next(a for a in plan.actions if a.event == AGENT_REPLY)
    assert agent_act.stops == (0, 1, 2, 3) and agent_act.starts == (2, 3) and agent_act.gated
    solve = next(a for a in plan.actions if a.event == SOLVED)
    assert solve.stops == tuple(range(7)) and not solve.gated
    assert [a[0] for a in plan.dispatch[SOLVED | CUSTOMER_REPLY]] == [SOLVED, CUSTOMER_REPLY]
    assert [a.event for a in plan.actions] == list(EVENT_ORDER)
    assert plan.paused_by_status["hold"] == (False,) * 5 + (True, False)


def test_custom_rule_table_drives_the_engine() -> None:
    # A contract-defined metric of the roadmap: from creation to the first
    # agent reply, paused on hold, at most once.
    rule = MetricRule(
        "to_first_touch", start_on=CREATED, stop_on=AGENT_REPLY, paused_while=frozenset({"hold"})
    )
    tree = ast.Contract((policy("p", line("to_first_touch", "1h")),))
    cc = compile_contract(tree, {}, (rule,))
    t = ticket(upd(T0, status="hold"), upd(T0 + H, status="open"), agent(T0 + 2 * H))
    (r,) = rows(cc, t, T0 + 5 * H)
    assert (r["metric"], r["elapsed_seconds"], r["status"]) == ("to_first_touch", H, "achieved")


# ---------------------------------------------------------------- conditions


def pred(cond: ast.Condition) -> Any:
    return compile_condition(cond)


def test_is_is_typed_strings() -> None:
    p = pred(ft("channel", "is", "email"))
    assert p({"channel": "email"}) and not p({"channel": "Email"})
    assert not p({}) and not p({"channel": None})
    q = pred(ft("Seats", "is", "1", custom=True))
    assert not q({"Seats": 1}) and q({"Seats": "1"})


def test_numbers_and_booleans_never_mix() -> None:
    one = pred(ft("x", "is", 1, custom=True))
    assert one({"x": 1}) and one({"x": 1.0})
    assert not one({"x": True}) and not one({"x": "1"})
    yes = pred(ft("x", "is", True, custom=True))
    assert yes({"x": True}) and not yes({"x": 1}) and not yes({"x": "true"})
    no = pred(ft("x", "is", False, custom=True))
    assert no({"x": False}) and not no({"x": 0}) and not no({})
    mixed = pred(ft("x", "in", [0, True, "a"], custom=True))
    assert mixed({"x": 0}) and mixed({"x": True}) and mixed({"x": "a"})
    assert not mixed({"x": False}) and not mixed({"x": 1})


def test_decimal_literals_match_json_numbers() -> None:
    p = pred(ft("x", "is", Decimal("0.1"), custom=True))
    assert p({"x": 0.1})
    big = pred(ft("x", "is", Decimal("12345678901234567890"), custom=True))
    assert big({"x": 12345678901234567890}) and not big({"x": 12345678901234567891})
    ge = pred(ft("x", ">=", Decimal("0.1"), custom=True))
    assert ge({"x": 0.1}) and not ge({"x": 0.09})


def test_absent_and_null_fields() -> None:
    for fields in ({}, {"group": None}):
        assert not pred(ft("group", "is", "T2"))(fields)
        assert pred(ft("group", "is not", "T2"))(fields)
        assert not pred(ft("group", "in", ["T2", "T3"]))(fields)
        assert pred(ft("group", "not in", ["T2", "T3"]))(fields)
        assert not pred(ft("group", "is set"))(fields)
        assert pred(ft("group", "is not set"))(fields)
    for op in ("<", "<=", ">", ">="):
        p = pred(ft("Seats", op, 100, custom=True))
        assert not p({}) and not p({"Seats": None})
        assert not p({"Seats": "500"}) and not p({"Seats": True})
        assert not pred(ft("Seats", op, 0, custom=True))({"Seats": False})


def test_orderings() -> None:
    cases = {"<": (99, 100), "<=": (100, 101), ">": (101, 100), ">=": (100, 99)}
    for op, (good, bad) in cases.items():
        p = pred(ft("Seats", op, 100, custom=True))
        assert p({"Seats": good}) and p({"Seats": float(good)}) and not p({"Seats": bad})


def test_tags() -> None:
    empty: dict[str, Any] = {"tags": frozenset()}
    both = {"tags": frozenset({"billing", "refund"})}
    assert pred(ft("tags", "is set"))(empty)  # tags is never unset
    assert not pred(ft("tags", "is not set"))(empty)
    assert pred(ft("tags", "has", "billing"))(both) and not pred(ft("tags", "has", "x"))(both)
    assert not pred(ft("tags", "has", "billing"))(empty)
    assert pred(ft("tags", "has any", ["x", "refund"]))(both)
    assert not pred(ft("tags", "has any", ["x", "y"]))(both)
    assert pred(ft("tags", "has all", ["billing", "refund"]))(both)
    assert not pred(ft("tags", "has all", ["billing", "x"]))(both)
    assert not pred(ft("tags", "has", 5))({"tags": frozenset({"5"})})


def test_combinators_and_when_lines() -> None:
    a = ft("group", "is", "T2")
    b = ft("assignee", "is set")
    c = ft("brand", "is", "Acme")
    either = pred(ast.Or((a, b)))
    assert either({"assignee": "ann"}) and either({"group": "T2"}) and not either({})
    both = pred(ast.And((a, b)))
    assert both({"group": "T2", "assignee": "x"}) and not both({"group": "T2"})
    assert pred(ast.Not(ast.Not(c)))({"brand": "Acme"})
    assert not pred(ast.Not(c))({"brand": "Acme"})
    assert compile_when([]) is None
    w = compile_when([a, c])
    assert w is not None and w({"group": "T2", "brand": "Acme"}) and not w({"group": "T2"})


def test_custom_field_named_like_a_builtin_is_never_set() -> None:
    p = pred(ft("status", "is set", custom=True))
    assert not p({"status": "open"})
    assert pred(ft("status", "is", "open"))({"status": "open"})


def test_predicates_pickle() -> None:
    cond = ast.Or((ft("Seats", ">=", 100, custom=True), ast.Not(ft("tags", "has all", ["a", "b"]))))
    p = pred(cond)
    q = pickle.loads(pickle.dumps(p))
    assert q == p
    for fields in ({"Seats": 150, "tags": frozenset()}, {"tags": frozenset({"a", "b"})}):
        assert q(fields) == p(fields)


# ---------------------------------------------------------------- targets


def test_bare_target_applies_to_every_priority_and_none() -> None:
    cc = compiled(policy("p", line("first_reply_time", "4h"), calendar="office"))
    for prio in ("urgent", "high", "normal", "low", None):
        t = cc.target("p", "first_reply_time", prio)
        assert t is not None and (t.seconds, t.clock, t.calendar) == (4 * H, "business", "office")
    assert cc.target("p", "next_reply_time", "high") is None


def test_per_priority_targets_and_clocks() -> None:
    cc = compiled(
        policy(
            "p",
            line("first_reply_time", ("urgent", "30m"), ("high", "1h")),
            line("requester_wait_time", ("urgent", "1d"), clock="calendar"),
            calendar="office",
        ),
        policy("q", line("first_reply_time", "2h")),
    )
    assert cc.target("p", "first_reply_time", "urgent").seconds == 1800  # type: ignore[union-attr]
    assert cc.target("p", "first_reply_time", "normal") is None
    assert cc.target("p", "first_reply_time", None) is None
    rw = cc.target("p", "requester_wait_time", "urgent")
    assert rw is not None and (rw.clock, rw.calendar, rw.clock_calendar) == ("calendar", None, None)
    q = cc.target("q", "first_reply_time", "low")
    assert q is not None and (q.clock, q.calendar) == ("calendar", None)


def test_targets_are_interned_per_policy() -> None:
    cc = compiled(
        policy(
            "p",
            line("first_reply_time", "1h"),
            line("next_reply_time", ("high", "1h")),
            line("periodic_update", "1h", clock="calendar"),
            calendar="office",
        ),
        policy("q", line("first_reply_time", "1h"), calendar="office"),
    )
    a = cc.target("p", "first_reply_time", "high")
    assert a is cc.target("p", "next_reply_time", "high")
    assert a is not cc.target("p", "periodic_update", "high")
    other = cc.target("q", "first_reply_time", "high")
    assert other is not a and other != a


def test_declared_priority_scale() -> None:
    tree = ast.Contract(
        (
            ast.PrioritiesDecl((ast.Name("p1"), ast.Name("p2"))),
            policy("p", line("first_reply_time", ("p2", "1h"))),
        )
    )
    cc = compile_contract(tree, {})
    assert cc.priorities == ("p1", "p2")
    assert cc.target("p", "first_reply_time", "p2").seconds == H  # type: ignore[union-attr]
    assert compiled(policy("p")).priorities == ("urgent", "high", "normal", "low")


def test_compiled_contract_pickles() -> None:
    cc = compiled(
        policy(
            "vip",
            when(
                ast.And((ft("organization", "in", ["Initech"]), ft("Seats", ">", 10, custom=True)))
            ),
            line("first_reply_time", ("urgent", "1h")),
            calendar="office",
        ),
        policy("general", *(line(m, "8h") for m in METRICS), calendar="office"),
    )
    again = pickle.loads(pickle.dumps(cc))
    assert again.priorities == cc.priorities
    t = ticket(
        cust(T0, priority="urgent", organization="Initech", Seats=20),
        agent(T0 + 2 * H, status="pending"),
        cust(T0 + 30 * H, status="open"),
    )
    assert evaluate(again, t, T0 + 50 * H) == evaluate(cc, t, T0 + 50 * H)
    ta = again.target("general", "first_reply_time", None)
    assert ta is again.target("general", "agent_work_time", "low")  # identity survives


# ---------------------------------------------------------------- the engine


def test_nothing_applied_yet() -> None:
    cc = compiled(ALL_7)
    r = evaluate(cc, ticket(cust(T0)), T0 - 1)
    assert r.to_dict() == {"ticket": "t1", "policy": None, "next_due_at": None, "metrics": []}


def test_updates_after_now_are_ignored() -> None:
    cc = compiled(ALL_7)
    t = ticket(cust(T0), agent(T0 + 2 * H, status="solved"))
    r = evaluate(cc, t, T0 + H)
    assert all(m.status == "active" for m in r.metrics)
    assert r.next_due_at == dt.datetime.fromtimestamp(T0 + 100 * H, dt.UTC)


def test_calendar_hours_timeline_all_seven_metrics() -> None:
    # SEMANTICS.md §6, the calendar-hours example.
    t = ticket(
        cust(T0),
        agent(T0 + 5 * H, status="open"),
        cust(T0 + 6 * H + 1800),
        agent(T0 + 7 * H, status="pending"),
        cust(T0 + 25 * H, status="open"),
        upd(T0 + 26 * H, "agent", status="hold"),
        upd(T0 + 53 * H, "agent", status="open"),
        agent(T0 + 53 * H + 1800, status="solved"),
    )
    cc = compiled(ALL_7)
    assert spans(cc, t, T0 + 1000 * H) == {
        "first_reply_time": [5 * H],
        "next_reply_time": [1800, 28 * H + 1800],
        "periodic_update": [2 * H, 46 * H + 1800],
        "pausable_update": [2 * H, 28 * H + 1800],
        "requester_wait_time": [35 * H + 1800],
        "agent_work_time": [8 * H + 1800],
        "total_resolution_time": [53 * H + 1800],
    }


def test_first_reply_never_starts_after_an_agent_reply() -> None:
    cc = compiled(ALL_7)
    t = ticket(upd(T0, "agent", "public"), cust(T0 + H), agent(T0 + 2 * H), cust(T0 + 3 * H))
    got = {
        m: [(r["instance"], r["started_at"]) for r in rows(cc, t, T0 + 4 * H) if r["metric"] == m]
        for m in ("first_reply_time", "next_reply_time")
    }
    assert got["first_reply_time"] == []
    assert [n for n, _ in got["next_reply_time"]] == [1, 2]


def test_agent_reply_on_solved_ticket_still_counts_as_before() -> None:
    cc = compiled(ALL_7)
    t = ticket(upd(T0, status="solved"), agent(T0 + H), cust(T0 + 2 * H, status="open"))
    assert by_metric(cc, t, T0 + 3 * H, "first_reply_time") == []
    assert len(by_metric(cc, t, T0 + 3 * H, "next_reply_time")) == 1


def test_customer_reply_that_solves_starts_nothing() -> None:
    cc = compiled(ALL_7)
    t = ticket(upd(T0, "system"), cust(T0 + H, status="solved"), cust(T0 + 2 * H))
    assert by_metric(cc, t, T0 + 3 * H, "first_reply_time") == []
    assert by_metric(cc, t, T0 + 3 * H, "next_reply_time") == []
    t2 = ticket(upd(T0, "system"), cust(T0 + H, status="solved"), cust(T0 + 2 * H, status="open"))
    (first,) = by_metric(cc, t2, T0 + 3 * H, "first_reply_time")
    assert first["started_at"] == format_instant(T0 + 2 * H)


def test_next_reply_waits_for_no_reply_instance_running() -> None:
    cc = compiled(ALL_7)
    t = ticket(cust(T0), cust(T0 + H), agent(T0 + 2 * H), cust(T0 + 3 * H), cust(T0 + 4 * H))
    assert spans(cc, t, T0 + 5 * H)["next_reply_time"] == [2 * H]
    (first,) = by_metric(cc, t, T0 + 5 * H, "first_reply_time")
    assert first["elapsed_seconds"] == 2 * H


def test_update_cycles_and_agent_reply_that_solves() -> None:
    cc = compiled(ALL_7)
    t = ticket(
        cust(T0),
        agent(T0 + H),
        agent(T0 + 3 * H),
        agent(T0 + 6 * H, status="solved"),
        agent(T0 + 7 * H),
    )
    assert spans(cc, t, T0 + 9 * H)["periodic_update"] == [2 * H, 3 * H]
    t2 = ticket(cust(T0), agent(T0 + H, status="pending"), agent(T0 + 3 * H, status="open"))
    got = by_metric(cc, t2, T0 + 4 * H, "pausable_update")
    assert [(r["elapsed_seconds"], r["status"]) for r in got] == [(0, "achieved"), (H, "active")]


def test_reopen_resumes_and_solved_time_is_excluded() -> None:
    cc = compiled(ALL_7)
    t = ticket(
        cust(T0),
        agent(T0 + 2 * H, status="solved"),
        cust(T0 + 10 * H, status="pending"),  # reopen into pending
        upd(T0 + 11 * H, status="open"),
        upd(T0 + 12 * H, status="solved"),
        upd(T0 + 13 * H, status="closed"),
        cust(T0 + 14 * H),
    )
    got = {r["metric"]: r for r in rows(cc, t, T0 + 20 * H)}
    assert got["total_resolution_time"]["elapsed_seconds"] == 4 * H
    assert got["total_resolution_time"]["stopped_at"] == format_instant(T0 + 12 * H)
    assert got["requester_wait_time"]["elapsed_seconds"] == 3 * H
    assert got["agent_work_time"]["elapsed_seconds"] == 3 * H
    # the reopening customer reply started a next reply cycle, stopped by the solve
    assert spans(cc, t, T0 + 20 * H)["next_reply_time"] == [2 * H]
    # while reopened and pending, requester wait is paused
    mid = {r["metric"]: r["status"] for r in rows(cc, t, T0 + 10 * H + 1800)}
    assert mid["requester_wait_time"] == "paused" and mid["total_resolution_time"] == "active"


def test_created_solved_starts_and_stops_at_once() -> None:
    cc = compiled(ALL_7)
    t = ticket(cust(T0, status="solved"))
    got = rows(cc, t, T0 + H)
    assert [r["metric"] for r in got] == list(METRICS[4:])
    assert all(r["elapsed_seconds"] == 0 and r["status"] == "achieved" for r in got)


def test_created_pending_starts_paused() -> None:
    cc = compiled(ALL_7)
    t = ticket(upd(T0, status="pending"), upd(T0 + H, status="open"))
    got = {r["metric"]: r for r in rows(cc, t, T0 + 3 * H)}
    assert got["requester_wait_time"]["elapsed_seconds"] == 2 * H
    assert got["total_resolution_time"]["elapsed_seconds"] == 3 * H
    assert {r["metric"]: r["status"] for r in rows(cc, t, T0 + 1)}["agent_work_time"] == "paused"


def test_instance_numbers_count_unreported_instances() -> None:
    cc = compiled(policy("p", line("next_reply_time", ("high", "1h"))))
    t = ticket(
        upd(T0, "agent", "public", priority="normal"),
        cust(T0 + H),
        agent(T0 + 2 * H),
        cust(T0 + 3 * H, priority="high"),
    )
    (r,) = rows(cc, t, T0 + 3 * H + 60)
    assert (r["metric"], r["instance"], r["priority"]) == ("next_reply_time", 2, "high")


def test_stopped_instance_keeps_its_judging_update_target() -> None:
    cc = compiled(
        policy("urgent_p", when(ft("priority", "is", "urgent")), line("first_reply_time", "1h")),
        policy("rest", line("first_reply_time", "8h")),
    )
    t = ticket(cust(T0, priority="urgent"), agent(T0 + 2 * H), upd(T0 + 3 * H, priority="low"))
    r = evaluate(cc, t, T0 + 4 * H)
    assert r.policy == "rest"
    (m,) = r.metrics
    assert (m.policy, m.priority, m.target_seconds) == ("urgent_p", "urgent", H)
    assert m.status == "breached"
    assert m.due_at == dt.datetime.fromtimestamp(T0 + H, dt.UTC)


def test_policies_rematched_first_match_wins() -> None:
    cc = compiled(
        policy("a", when(ft("tags", "has", "x")), line("first_reply_time", "1h")),
        policy("b", when(ft("tags", "has", "x")), line("first_reply_time", "2h")),
        policy("c"),
    )
    t = ticket(cust(T0, tags=["x"]))
    assert evaluate(cc, t, T0 + 60).policy == "a"
    t = ticket(cust(T0, tags=["x"]), upd(T0 + 60, tags=None))
    r = evaluate(cc, t, T0 + 120)
    assert r.policy == "c" and r.metrics == ()


# ---------------------------------------------------------------- applied_at and outcome

TWO_POLICIES = (
    policy("fast", when(ft("tags", "has", "fast")), line("first_reply_time", "2h")),
    policy("general", line("first_reply_time", "1h")),
)


def test_late_target_breaches_when_applied_not_before() -> None:
    cc = compiled(*TWO_POLICIES)
    t = ticket(cust(T0), upd(T0 + 3 * H, tags=["fast"]))
    (m,) = evaluate(cc, t, T0 + 4 * H).metrics
    assert (m.policy, m.status, m.elapsed_seconds) == ("fast", "breached", 4 * H)
    assert m.due_at == dt.datetime.fromtimestamp(T0 + 3 * H, dt.UTC)


def test_same_instant_flip_is_a_break() -> None:
    cc = compiled(*TWO_POLICIES)
    t = ticket(cust(T0), upd(T0 + 3 * H, tags=["fast"]), upd(T0 + 3 * H, tags=[]))
    (m,) = evaluate(cc, t, T0 + 4 * H).metrics
    assert (m.policy, m.status) == ("general", "breached")
    assert m.due_at == dt.datetime.fromtimestamp(T0 + 3 * H, dt.UTC)
    # no flip: the breach is dated when elapsed reached the target
    (m,) = evaluate(cc, ticket(cust(T0), upd(T0 + 3 * H, tags=[])), T0 + 4 * H).metrics
    assert m.due_at == dt.datetime.fromtimestamp(T0 + H, dt.UTC)


def test_same_target_through_priority_change_is_no_break() -> None:
    cc = compiled(policy("p", line("first_reply_time", "1h")))
    t = ticket(cust(T0, priority="low"), upd(T0 + 3 * H, priority="urgent"))
    (m,) = evaluate(cc, t, T0 + 4 * H).metrics
    assert m.due_at == dt.datetime.fromtimestamp(T0 + H, dt.UTC) and m.priority == "urgent"
    # a different duration is a break, even under the same policy
    cc = compiled(policy("p", line("first_reply_time", ("low", "2h"), ("urgent", "1h"))))
    (m,) = evaluate(cc, t, T0 + 4 * H).metrics
    assert m.due_at == dt.datetime.fromtimestamp(T0 + 3 * H, dt.UTC)


def test_target_gap_is_a_break() -> None:
    cc = compiled(policy("p", line("first_reply_time", ("high", "1h"))))
    t = ticket(
        cust(T0, priority="high"), upd(T0 + 2 * H, priority=None), upd(T0 + 3 * H, priority="high")
    )
    (m,) = evaluate(cc, t, T0 + 4 * H).metrics
    assert m.due_at == dt.datetime.fromtimestamp(T0 + 3 * H, dt.UTC)


def test_active_due_and_exact_edges() -> None:
    cc = compiled(policy("p", line("first_reply_time", "1h")))
    t = ticket(cust(T0))
    (m,) = evaluate(cc, t, T0 + 600).metrics
    assert m.status == "active" and m.due_at == dt.datetime.fromtimestamp(T0 + H, dt.UTC)
    assert (m.elapsed_seconds, m.remaining_seconds) == (600, H - 600)
    assert m.elapsed == dt.timedelta(seconds=600) and m.remaining == dt.timedelta(seconds=3000)
    # elapsed exactly the target at now: active, due now
    (m,) = evaluate(cc, t, T0 + H).metrics
    assert m.status == "active" and m.due_at == dt.datetime.fromtimestamp(T0 + H, dt.UTC)
    (m,) = evaluate(cc, t, T0 + H + 1).metrics
    assert m.status == "breached"
    # a stop exactly at due_at is achieved
    (m,) = evaluate(cc, ticket(cust(T0), agent(T0 + H)), T0 + 2 * H).metrics
    assert (m.status, m.due_at, m.remaining_seconds) == ("achieved", None, 0)
    (m,) = evaluate(cc, ticket(cust(T0), agent(T0 + H + 1)), T0 + 2 * H).metrics
    assert m.status == "breached"


def test_late_target_applied_at_stop_is_achieved() -> None:
    cc = compiled(*TWO_POLICIES)
    t = ticket(cust(T0), agent(T0 + 3 * H, tags=["fast"]))
    (m,) = evaluate(cc, t, T0 + 4 * H).metrics
    assert (m.policy, m.status, m.remaining_seconds) == ("fast", "achieved", -H)


def test_paused_and_over_target() -> None:
    cc = compiled(policy("p", line("requester_wait_time", "1h")))
    t = ticket(upd(T0), upd(T0 + 1800, status="pending"))
    (m,) = evaluate(cc, t, T0 + 5 * H).metrics
    assert (m.status, m.due_at, m.elapsed_seconds) == ("paused", None, 1800)
    t = ticket(upd(T0), upd(T0 + 2 * H, status="pending"))
    (m,) = evaluate(cc, t, T0 + 5 * H).metrics
    assert m.status == "breached" and m.due_at == dt.datetime.fromtimestamp(T0 + H, dt.UTC)


def test_next_due_at_is_the_earliest_active_due() -> None:
    cc = compiled(
        policy(
            "p",
            line("first_reply_time", "3h"),
            line("total_resolution_time", "2h"),
            line("requester_wait_time", "30m"),
        )
    )
    t = ticket(cust(T0), upd(T0 + 600, status="pending"))
    r = evaluate(cc, t, T0 + H)
    assert {m.metric: m.status for m in r.metrics} == {
        "first_reply_time": "active",
        "requester_wait_time": "paused",
        "total_resolution_time": "active",
    }
    assert r.next_due_at == dt.datetime.fromtimestamp(T0 + 2 * H, dt.UTC)


def test_business_clock_pause_and_projection() -> None:
    # Mon 2026-03-09 09:00 EDT = 13:00Z; office hours 09:00-20:00 New York.
    mon9 = 1773061200
    cc = compiled(policy("p", line("requester_wait_time", "4h"), calendar="office"))
    t = ticket(
        upd(mon9 + 10 * H),
        upd(mon9 + 10 * H + 1800, status="pending"),
        upd(mon9 + 25 * H, status="open"),
    )  # Tue 10:00
    (m,) = evaluate(cc, t, mon9 + 26 * H).metrics  # Tue 11:00
    assert (m.clock, m.calendar, m.elapsed_seconds) == ("business", "office", 1800 + 3600)
    assert m.due_at == dt.datetime.fromtimestamp(mon9 + 26 * H + 4 * H - 5400, dt.UTC)


def test_calendar_exhausted_becomes_a_ticket_error() -> None:
    cc = compiled(
        policy("p", line("first_reply_time", "1h"), calendar="never"),
        calendars={"never": NeverCalendar()},
    )
    with pytest.raises(TicketError) as info:
        evaluate(cc, ticket(cust(T0)), T0 + H)
    assert info.value.code == "CALENDAR_EXHAUSTED" and info.value.line == 1
    assert info.value.ticket == "t1"


def test_business_target_in_calendar_hours_line() -> None:
    cc = compiled(policy("p", line("first_reply_time", "1h", clock="calendar"), calendar="office"))
    (m,) = evaluate(cc, ticket(cust(T0 + 2 * 86400)), T0 + 2 * 86400 + 60).metrics  # a Wednesday
    assert (m.clock, m.calendar) == ("calendar", None)


# ---------------------------------------------------------------- results


def test_result_dict_key_order_and_types() -> None:
    cc = compiled(ALL_7)
    r = evaluate(cc, ticket(cust(T0)), T0 + 60)
    d = r.to_dict()
    assert list(d) == ["ticket", "policy", "next_due_at", "metrics"]
    assert list(d["metrics"][0]) == [
        "metric",
        "instance",
        "policy",
        "priority",
        "target_seconds",
        "clock",
        "calendar",
        "status",
        "started_at",
        "stopped_at",
        "due_at",
        "elapsed_seconds",
        "remaining_seconds",
    ]
    assert [m.to_dict() for m in r.metrics] == d["metrics"]
    assert d["next_due_at"] == "2026-06-05T13:00:00Z"
    import orjson

    assert orjson.loads(r.to_json_bytes()) == d


def test_metric_result_from_row_datetimes() -> None:
    m = MetricResult.from_row(
        ("first_reply_time", 1, "p", None, 60, "calendar", None, "active", 0, None, 60, 0, 60)
    )
    assert m.started_at == dt.datetime(1970, 1, 1, tzinfo=dt.UTC) and m.stopped_at is None
    assert m.due_at is not None and m.due_at.utcoffset() == dt.timedelta(0)
    assert m.target == dt.timedelta(minutes=1)


def test_format_instant() -> None:
    assert format_instant(0) == "1970-01-01T00:00:00Z"
    assert format_instant(1772841600 + 86399) == "2026-03-07T23:59:59Z"
    assert format_instant(-1) == "1969-12-31T23:59:59Z"
    assert format_instant(253402300799) == "9999-12-31T23:59:59Z"


def test_ticket_result_equality_ignores_cache() -> None:
    a = TicketResult(1, None, None, ())
    b = TicketResult(1, None, None, ())
    _ = a.metrics
    assert a == b


@pytest.mark.parametrize(
    ("obj", "error_ticket", "expected"),
    [
        ({"id": "1042"}, None, "1042"),
        ({"id": 7}, None, 7),
        ({"id": True}, None, None),
        ({"id": ""}, None, None),
        ({"id": 1.5}, None, None),
        ("not a dict", None, None),
        ({"id": []}, "x", "x"),
    ],
)
def test_error_result_from_error(obj: object, error_ticket: str | None, expected: object) -> None:
    err = TicketError("BAD_VALUE", "bad", line=4, ticket=error_ticket)
    e = ErrorResult.from_error(err, obj)
    assert e.to_dict() == {
        "ticket": expected,
        "error": {"code": "BAD_VALUE", "message": "bad", "line": 4},
    }


def test_format_instant_past_year_9999() -> None:
    assert format_instant(253402300800) == "10000-01-01T00:00:00Z"


def test_contract_without_policies() -> None:
    cc = compile_contract(ast.Contract(()), {})
    r = evaluate(cc, ticket(cust(T0), agent(T0 + H)), T0 + 2 * H)
    assert (r.policy, r.rows, r.next_due_at) == (None, (), None)


def test_policy_without_targets_still_applies() -> None:
    cc = compiled(policy("quiet", when(ft("channel", "is", "chat"))), ALL_7)
    r = evaluate(cc, ticket(cust(T0, channel="chat")), T0 + H)
    assert r.policy == "quiet" and r.metrics == ()


def test_evaluation_is_pure() -> None:
    cc = compiled(*TWO_POLICIES)
    t = ticket(cust(T0), upd(T0 + 3 * H, tags=["fast"]), agent(T0 + 4 * H))
    first = evaluate(cc, t, T0 + 5 * H).to_dict()
    evaluate(cc, t, T0 + 2 * H)
    assert evaluate(cc, t, T0 + 5 * H).to_dict() == first
