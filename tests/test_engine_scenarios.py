"""Hand-written scenarios for every rule of SEMANTICS.md §2-§5.

Each expected figure is computed by hand from the spec (the arithmetic is in
the comments). Every scenario runs against the real engine and against the
reference evaluator (tests/reference_evaluator.py), so a wrong figure in
either shows up here.

Unless a test says otherwise the timeline is in UTC, on Monday 2026-06-01
(``z("09:00")``) and the following days (``z("09:00", 2)`` = Tuesday).
"""

from __future__ import annotations

import datetime as dt

import pytest

try:
    from reference_evaluator import reference_evaluate_text
except ImportError:  # pragma: no cover - when tests/ is a package
    from tests.reference_evaluator import reference_evaluate_text

import sladsl

H, M = 3600, 60


def _real(text: str, ticket: dict, now: dt.datetime) -> dict:
    return sladsl.loads(text, filename="scenario.sla").evaluate(ticket, now=now).to_dict()


@pytest.fixture(params=["real", "reference"])
def evaluate(request):
    return _real if request.param == "real" else reference_evaluate_text


def z(hm: str, day: int = 1) -> str:
    """An instant on 2026-06-0<day> (day 1 is a Monday), as the result prints it."""
    return f"2026-06-{day:02d}T{hm}:00Z"


def now_at(hm: str, day: int = 1) -> dt.datetime:
    return dt.datetime.fromisoformat(z(hm, day))


def up(hm: str, by: str, comment: str | None = None, day: int = 1, **changes) -> dict:
    update: dict = {"at": z(hm, day), "by": by}
    if comment is not None:
        update["comment"] = comment
    if changes:
        update["set"] = changes
    return update


def ticket(*updates: dict, id="t") -> dict:
    return {"id": id, "updates": list(updates)}


def rows(result: dict) -> list[tuple]:
    """(metric, instance, status, started_at, stopped_at, due_at, elapsed) per instance."""
    return [
        (
            m["metric"],
            m["instance"],
            m["status"],
            m["started_at"],
            m["stopped_at"],
            m["due_at"],
            m["elapsed_seconds"],
        )
        for m in result["metrics"]
    ]


def of(result: dict, metric: str) -> list[tuple]:
    return [r[1:] for r in rows(result) if r[0] == metric]


# Calendar hours (no calendar), a 10h target on every metric.
ALL10 = """\
policy all {
    first_reply_time: 10h
    next_reply_time: 10h
    periodic_update: 10h
    pausable_update: 10h
    requester_wait_time: 10h
    agent_work_time: 10h
    total_resolution_time: 10h
}
"""


# ---------------------------------------------------------------- first reply


def test_agent_created_ticket_with_public_comment_has_no_first_reply(evaluate):
    # The agent's public comment at creation is an agent reply that comes before
    # any customer reply: first_reply_time never starts. The requester's reply at
    # 10:00 does not start first_reply_time, so it starts next_reply_time, which
    # the agent reply at 11:00 stops (1h). The creating agent reply leaves the
    # ticket `new`, so it starts periodic/pausable cycle 1 (09:00-11:00 = 2h); the
    # reply at 11:00 starts cycle 2 (1h by now 12:00, due 11:00+10h = 21:00).
    # Resuming metrics: 09:00-12:00 = 3h, due 09:00+10h = 19:00.
    t = ticket(
        up("09:00", "agent", "public"),
        up("10:00", "requester", "public"),
        up("11:00", "agent", "public"),
    )
    result = evaluate(ALL10, t, now_at("12:00"))
    assert rows(result) == [
        ("next_reply_time", 1, "achieved", z("10:00"), z("11:00"), None, 1 * H),
        ("periodic_update", 1, "achieved", z("09:00"), z("11:00"), None, 2 * H),
        ("periodic_update", 2, "active", z("11:00"), None, z("21:00"), 1 * H),
        ("pausable_update", 1, "achieved", z("09:00"), z("11:00"), None, 2 * H),
        ("pausable_update", 2, "active", z("11:00"), None, z("21:00"), 1 * H),
        ("requester_wait_time", 1, "active", z("09:00"), None, z("19:00"), 3 * H),
        ("agent_work_time", 1, "active", z("09:00"), None, z("19:00"), 3 * H),
        ("total_resolution_time", 1, "active", z("09:00"), None, z("19:00"), 3 * H),
    ]
    assert result["next_due_at"] == z("19:00")
    assert result["policy"] == "all"


def test_private_note_at_creation_then_first_public_reply_starts_first_reply(evaluate):
    # A private comment is not a customer reply; the first public one (10:00)
    # starts first_reply_time, stopped by the agent reply at 12:00: 2h.
    t = ticket(
        up("09:00", "requester", "private"),
        up("10:00", "requester", "public"),
        up("12:00", "agent", "public"),
    )
    result = evaluate(ALL10, t, now_at("13:00"))
    assert of(result, "first_reply_time") == [(1, "achieved", z("10:00"), z("12:00"), None, 2 * H)]
    assert of(result, "next_reply_time") == []


def test_agent_reply_before_first_customer_reply_means_no_first_reply(evaluate):
    # Requester's private note, then an agent public reply (09:30), then the
    # requester's first public reply (10:00): an agent reply came before it, so
    # first_reply_time never starts; 10:00 starts next_reply_time (running, 1h).
    t = ticket(
        up("09:00", "requester", "private"),
        up("09:30", "agent", "public"),
        up("10:00", "requester", "public"),
    )
    result = evaluate(ALL10, t, now_at("11:00"))
    assert of(result, "first_reply_time") == []
    assert of(result, "next_reply_time") == [(1, "active", z("10:00"), None, z("20:00"), 1 * H)]


def test_system_and_end_user_updates(evaluate):
    # A system update with a public comment is not a reply; an end_user public
    # comment is a customer reply (it starts first_reply_time at 10:00).
    t = ticket(up("09:00", "system", "public"), up("10:00", "end_user", "public"))
    result = evaluate(ALL10, t, now_at("10:30"))
    assert of(result, "first_reply_time") == [(1, "active", z("10:00"), None, z("20:00"), 30 * M)]
    assert of(result, "periodic_update") == []


# ---------------------------------------------------------------- solve


def test_solve_without_reply_achieves_reply_and_update_metrics(evaluate):
    # 09:00 requester (first reply starts); 10:00 agent reply (first reply stops
    # at 1h; periodic cycle 1 starts); 10:30 requester reply (next reply starts);
    # 11:00 a system update solves: next reply (30m), periodic (1h) and the
    # resuming metrics (2h) stop there and are achieved.
    t = ticket(
        up("09:00", "requester", "public"),
        up("10:00", "agent", "public"),
        up("10:30", "requester", "public"),
        up("11:00", "system", status="solved"),
    )
    result = evaluate(ALL10, t, now_at("15:00"))
    assert rows(result) == [
        ("first_reply_time", 1, "achieved", z("09:00"), z("10:00"), None, 1 * H),
        ("next_reply_time", 1, "achieved", z("10:30"), z("11:00"), None, 30 * M),
        ("periodic_update", 1, "achieved", z("10:00"), z("11:00"), None, 1 * H),
        ("pausable_update", 1, "achieved", z("10:00"), z("11:00"), None, 1 * H),
        ("requester_wait_time", 1, "achieved", z("09:00"), z("11:00"), None, 2 * H),
        ("agent_work_time", 1, "achieved", z("09:00"), z("11:00"), None, 2 * H),
        ("total_resolution_time", 1, "achieved", z("09:00"), z("11:00"), None, 2 * H),
    ]
    assert result["next_due_at"] is None


def test_first_reply_solved_by_requester_without_agent_reply(evaluate):
    # Whoever solves: a requester's private note setting solved stops first reply.
    t = ticket(
        up("09:00", "requester", "public"), up("09:45", "requester", "private", status="solved")
    )
    result = evaluate(ALL10, t, now_at("12:00"))
    assert of(result, "first_reply_time") == [(1, "achieved", z("09:00"), z("09:45"), None, 45 * M)]


def test_agent_reply_that_solves_starts_no_update_cycle(evaluate):
    # The solving agent reply at 11:00 stops periodic cycle 1 (10:00-11:00) and,
    # leaving the ticket solved, starts no cycle 2.
    t = ticket(
        up("09:00", "requester", "public"),
        up("10:00", "agent", "public"),
        up("11:00", "agent", "public", status="solved"),
    )
    result = evaluate(ALL10, t, now_at("12:00"))
    assert of(result, "periodic_update") == [(1, "achieved", z("10:00"), z("11:00"), None, 1 * H)]


def test_ticket_created_solved(evaluate):
    # The creating update leaves the ticket solved: it solves it; the resuming
    # metrics start and stop at 09:00 (elapsed 0, achieved), and the customer
    # reply on it starts nothing.
    t = ticket(up("09:00", "requester", "public", status="solved"))
    result = evaluate(ALL10, t, now_at("12:00"))
    assert rows(result) == [
        ("requester_wait_time", 1, "achieved", z("09:00"), z("09:00"), None, 0),
        ("agent_work_time", 1, "achieved", z("09:00"), z("09:00"), None, 0),
        ("total_resolution_time", 1, "achieved", z("09:00"), z("09:00"), None, 0),
    ]


# ---------------------------------------------------------------- reopen, pauses

REOPEN = ticket(
    up("09:00", "requester", "public"),  # created (new)
    up("10:00", "agent", "public", status="solved"),  # solve (first reply 1h)
    up("14:00", "requester", "public", status="open"),  # reopen + customer reply
    up("15:00", "agent", status="pending"),
    up("16:00", "agent", status="hold"),
)


def test_reopen_resumes_the_same_instance_excluding_solved_time(evaluate):
    # Running 09-10 (1h); solved 10-14 not counted; from 14:00:
    # requester wait: open 14-15 (1h) + pending 15-16 paused + hold 16-18 (2h)
    #   = 1+1+2 = 4h, active (hold does not pause it), due 18:00 + 6h = Tue 00:00.
    # agent work: 1h + 1h (pending and hold pause it) = 2h, paused (no due).
    # total resolution: 1h + 4h (14-18) = 5h, active, due 18:00 + 5h = 23:00.
    # The reopening customer reply starts next_reply_time (first reply already
    # started): 14-18 = 4h, due 14:00 + 10h = Tue 00:00.
    result = evaluate(ALL10, REOPEN, now_at("18:00"))
    assert rows(result) == [
        ("first_reply_time", 1, "achieved", z("09:00"), z("10:00"), None, 1 * H),
        ("next_reply_time", 1, "active", z("14:00"), None, z("00:00", 2), 4 * H),
        ("requester_wait_time", 1, "active", z("09:00"), None, z("00:00", 2), 4 * H),
        ("agent_work_time", 1, "paused", z("09:00"), None, None, 2 * H),
        ("total_resolution_time", 1, "active", z("09:00"), None, z("23:00"), 5 * H),
    ]
    assert result["next_due_at"] == z("23:00")


def test_resuming_metrics_while_solved_are_achieved_at_the_solve(evaluate):
    # Judged at 12:00 the ticket is still solved: stopped at 10:00, 1h, achieved.
    result = evaluate(ALL10, REOPEN, now_at("12:00"))
    assert of(result, "requester_wait_time") == [(1, "achieved", z("09:00"), z("10:00"), None, H)]
    assert of(result, "total_resolution_time") == [(1, "achieved", z("09:00"), z("10:00"), None, H)]
    assert result["next_due_at"] is None


def test_pending_pauses_requester_wait_and_agent_work(evaluate):
    # At 15:30 the status is pending: requester wait and agent work are paused
    # (1h + 1h = 2h each, no due_at); total resolution runs: 1h + 1.5h = 2.5h,
    # due 15:30 + 7.5h = 23:00.
    result = evaluate(ALL10, REOPEN, now_at("15:30"))
    assert of(result, "requester_wait_time") == [(1, "paused", z("09:00"), None, None, 2 * H)]
    assert of(result, "agent_work_time") == [(1, "paused", z("09:00"), None, None, 2 * H)]
    assert of(result, "total_resolution_time") == [
        (1, "active", z("09:00"), None, z("23:00"), 150 * M)
    ]


def test_resolve_after_reopen_stops_at_latest_solve(evaluate):
    # Solved again at 19:00 and closed at 20:00: the stop is the latest solve
    # (19:00); total resolution = 1h + 5h (14-19) = 6h.
    t = ticket(
        *REOPEN["updates"],
        up("19:00", "agent", status="solved"),
        up("20:00", "system", status="closed"),
    )
    result = evaluate(ALL10, t, now_at("23:00"))
    assert of(result, "total_resolution_time") == [
        (1, "achieved", z("09:00"), z("19:00"), None, 6 * H)
    ]
    # requester wait: 1h + 1h + 3h (hold 16-19) = 5h; agent work: 1h + 1h = 2h
    assert of(result, "requester_wait_time") == [
        (1, "achieved", z("09:00"), z("19:00"), None, 5 * H)
    ]
    assert of(result, "agent_work_time") == [(1, "achieved", z("09:00"), z("19:00"), None, 2 * H)]


def test_pausable_update_pauses_on_pending_only(evaluate):
    # 10:00 agent reply setting pending starts both update metrics; pausable is
    # paused 10-11 (pending), runs 11-12 (open) and 12-14 (hold does not pause):
    # 3h, due 14:00 + 7h = 21:00. periodic never pauses: 4h, due 20:00.
    t = ticket(
        up("09:00", "requester", "public"),
        up("10:00", "agent", "public", status="pending"),
        up("11:00", "requester", "private", status="open"),
        up("12:00", "agent", status="hold"),
    )
    result = evaluate(ALL10, t, now_at("14:00"))
    assert of(result, "periodic_update") == [(1, "active", z("10:00"), None, z("20:00"), 4 * H)]
    assert of(result, "pausable_update") == [(1, "active", z("10:00"), None, z("21:00"), 3 * H)]
    # At 10:30, still pending: pausable is paused with nothing elapsed.
    result = evaluate(ALL10, t, now_at("10:30"))
    assert of(result, "pausable_update") == [(1, "paused", z("10:00"), None, None, 0)]
    assert of(result, "periodic_update") == [(1, "active", z("10:00"), None, z("20:00"), 30 * M)]


# ---------------------------------------------------------------- cycles


def test_next_reply_cycles(evaluate):
    # 09:00 first reply starts; 09:30 customer reply while it runs starts nothing;
    # 10:00 agent reply stops first reply (1h); 11:00 next reply #1 starts; 11:30
    # starts nothing (one running); 12:00 agent reply stops #1 (1h); 12:30 agent
    # reply stops nothing; 13:00 next reply #2 starts: 1h by 14:00, due 23:00.
    t = ticket(
        up("09:00", "requester", "public"),
        up("09:30", "requester", "public"),
        up("10:00", "agent", "public"),
        up("11:00", "requester", "public"),
        up("11:30", "end_user", "public"),
        up("12:00", "agent", "public"),
        up("12:30", "agent", "public"),
        up("13:00", "requester", "public"),
    )
    result = evaluate(ALL10, t, now_at("14:00"))
    assert of(result, "first_reply_time") == [(1, "achieved", z("09:00"), z("10:00"), None, H)]
    assert of(result, "next_reply_time") == [
        (1, "achieved", z("11:00"), z("12:00"), None, H),
        (2, "active", z("13:00"), None, z("23:00"), H),
    ]
    # periodic: cycles 10-12 (2h), 12-12:30 (30m), 12:30- running (1.5h by 14:00)
    assert of(result, "periodic_update") == [
        (1, "achieved", z("10:00"), z("12:00"), None, 2 * H),
        (2, "achieved", z("12:00"), z("12:30"), None, 30 * M),
        (3, "active", z("12:30"), None, z("22:30"), 90 * M),
    ]


def test_customer_reply_on_solving_update_starts_nothing(evaluate):
    # 11:00 the requester's public reply solves the ticket: it starts no next
    # reply. 12:00 another public reply on the still-solved ticket: nothing.
    t = ticket(
        up("09:00", "requester", "public"),
        up("10:00", "agent", "public"),
        up("11:00", "requester", "public", status="solved"),
        up("12:00", "requester", "public"),
    )
    result = evaluate(ALL10, t, now_at("13:00"))
    assert of(result, "next_reply_time") == []
    assert of(result, "first_reply_time") == [(1, "achieved", z("09:00"), z("10:00"), None, H)]
    # periodic cycle 1 (10:00) stopped by the solve at 11:00
    assert of(result, "periodic_update") == [(1, "achieved", z("10:00"), z("11:00"), None, H)]


def test_first_reply_can_start_after_a_reopen(evaluate):
    # The requester's first public comment leaves the ticket solved: it starts
    # nothing. After the reopen at 11:00 (a private note), the first customer
    # reply that starts anything is 12:00: first reply starts there.
    t = ticket(
        up("09:00", "requester", "public", status="solved"),
        up("11:00", "requester", "private", status="open"),
        up("12:00", "requester", "public"),
    )
    result = evaluate(ALL10, t, now_at("13:00"))
    assert of(result, "first_reply_time") == [(1, "active", z("12:00"), None, z("22:00"), H)]
    # resuming metrics: 0 + 11:00-13:00 = 2h
    assert of(result, "total_resolution_time") == [
        (1, "active", z("09:00"), None, z("21:00"), 2 * H)
    ]


def test_comments_on_closed_ticket_start_nothing(evaluate):
    t = ticket(
        up("09:00", "requester", "public"),
        up("10:00", "agent", "public", status="closed"),
        up("11:00", "requester", "public"),
        up("12:00", "agent", "public"),
        up("13:00", "end_user", "public"),
    )
    result = evaluate(ALL10, t, now_at("14:00"))
    assert rows(result) == [
        ("first_reply_time", 1, "achieved", z("09:00"), z("10:00"), None, H),
        ("requester_wait_time", 1, "achieved", z("09:00"), z("10:00"), None, H),
        ("agent_work_time", 1, "achieved", z("09:00"), z("10:00"), None, H),
        ("total_resolution_time", 1, "achieved", z("09:00"), z("10:00"), None, H),
    ]


# ---------------------------------------------------------------- targets

TIERS = """\
policy tiers {
    first_reply_time: urgent 1h, high 2h, normal 4h
}
"""


def test_priority_escalation_is_not_backdated(evaluate):
    # normal (4h) until 11:30, then urgent (1h). Judged at 12:00 by the urgent
    # target: elapsed 3h >= 1h; raw_due = 09:00 + 1h = 10:00; applied_at = 11:30;
    # due_at = max(10:00, 11:30) = 11:30 < 12:00: breached; remaining 1h-3h = -2h.
    t = ticket(
        up("09:00", "requester", "public", priority="normal"),
        up("11:30", "system", priority="urgent"),
    )
    result = evaluate(TIERS, t, now_at("12:00"))
    assert result["metrics"] == [
        {
            "metric": "first_reply_time",
            "instance": 1,
            "policy": "tiers",
            "priority": "urgent",
            "target_seconds": 3600,
            "clock": "calendar",
            "calendar": None,
            "status": "breached",
            "started_at": z("09:00"),
            "stopped_at": None,
            "due_at": z("11:30"),
            "elapsed_seconds": 3 * H,
            "remaining_seconds": -2 * H,
        }
    ]


def test_escalation_judged_at_the_instant_it_applies_is_active_due_now(evaluate):
    # now = 11:30: due_at = max(10:00, 11:30) = 11:30 is not before now, so not
    # breached; running and not paused: active, due_at = now; remaining 1h-2.5h.
    t = ticket(
        up("09:00", "requester", "public", priority="normal"),
        up("11:30", "system", priority="urgent"),
    )
    result = evaluate(TIERS, t, now_at("11:30"))
    assert of(result, "first_reply_time") == [(1, "active", z("09:00"), None, z("11:30"), 150 * M)]
    assert result["metrics"][0]["remaining_seconds"] == H - 150 * M
    assert result["next_due_at"] == z("11:30")


def test_deescalation_uses_the_new_target_from_the_start(evaluate):
    # urgent (1h) then at 09:30 low: no target for low -> not reported.
    # Then high at 10:00 (2h): elapsed from 09:00 counts; 1.5h at 10:30, active,
    # due 09:00 + 2h = 11:00 (after applied_at 10:00).
    t = ticket(
        up("09:00", "requester", "public", priority="urgent"),
        up("09:30", "agent", "private", priority="low"),
    )
    assert evaluate(TIERS, t, now_at("09:45"))["metrics"] == []
    t["updates"].append(up("10:00", "agent", "private", priority="high"))
    result = evaluate(TIERS, t, now_at("10:30"))
    assert of(result, "first_reply_time") == [(1, "active", z("09:00"), None, z("11:00"), 90 * M)]


def test_target_for_some_priorities_only(evaluate):
    # `normal` and unset priorities have no target under `urgent 1h, high 2h,
    # normal 4h`... low has none; a ticket without priority has none either.
    for priority in ("low", None):
        changes = {} if priority is None else {"priority": priority}
        t = ticket(up("09:00", "requester", "public", **changes))
        result = evaluate(TIERS, t, now_at("10:00"))
        assert result == {"ticket": "t", "policy": "tiers", "next_due_at": None, "metrics": []}
    t = ticket(up("09:00", "requester", "public", priority="high"))
    assert of(evaluate(TIERS, t, now_at("10:00")), "first_reply_time") == [
        (1, "active", z("09:00"), None, z("11:00"), H)
    ]


def test_ticket_without_priority_gets_a_bare_target(evaluate):
    t = ticket(up("09:00", "requester", "public"))
    result = evaluate("policy p { first_reply_time: 2h }", t, now_at("09:30"))
    assert result == {
        "ticket": "t",
        "policy": "p",
        "next_due_at": z("11:00"),
        "metrics": [
            {
                "metric": "first_reply_time",
                "instance": 1,
                "policy": "p",
                "priority": None,
                "target_seconds": 7200,
                "clock": "calendar",
                "calendar": None,
                "status": "active",
                "started_at": z("09:00"),
                "stopped_at": None,
                "due_at": z("11:00"),
                "elapsed_seconds": 30 * M,
                "remaining_seconds": 90 * M,
            }
        ],
    }
    # ... and with a priority set (then unset by null) the bare target still applies.
    t = ticket(
        up("09:00", "requester", "public", priority="low"),
        up("09:10", "agent", "private", priority=None),
    )
    result = evaluate("policy p { first_reply_time: 2h }", t, now_at("09:30"))
    assert result["metrics"][0]["priority"] is None
    assert result["metrics"][0]["target_seconds"] == 7200


ESCAPE = """\
policy mail {
    when channel is email
    first_reply_time: 1h
}
"""


def test_ticket_leaving_every_policy_has_no_reported_instances(evaluate):
    t = ticket(up("09:00", "requester", "public", channel="email"))
    assert of(evaluate(ESCAPE, t, now_at("09:30")), "first_reply_time") == [
        (1, "active", z("09:00"), None, z("10:00"), 30 * M)
    ]
    t["updates"].append(up("10:00", "system", channel="chat"))
    result = evaluate(ESCAPE, t, now_at("12:00"))
    assert result == {"ticket": "t", "policy": None, "next_due_at": None, "metrics": []}


FAST_SLOW = """\
policy fast {
    when tags has "fast"
    first_reply_time: 1h
}

policy slow {
    first_reply_time: 2h
}
"""


def test_applied_at_broken_by_a_different_target_at_the_same_instant(evaluate):
    # slow (2h) from 09:00; at 12:00 two updates: tags [fast] (target fast 1h),
    # then tags [] (back to slow 2h). The judging update's target (slow, 2h) has
    # been in effect only since the second 12:00 update: applied_at = 12:00.
    # elapsed 3.5h; raw_due 11:00; due_at = max(11:00, 12:00) = 12:00 < 12:30.
    t = ticket(
        up("09:00", "requester", "public"),
        up("12:00", "system", tags=["fast"]),
        up("12:00", "system", tags=[]),
    )
    result = evaluate(FAST_SLOW, t, now_at("12:30"))
    assert of(result, "first_reply_time") == [
        (1, "breached", z("09:00"), None, z("12:00"), 210 * M)
    ]
    assert result["policy"] == "slow"
    # Without the break (a no-op update at 12:00) the breach dates from 11:00.
    t = ticket(up("09:00", "requester", "public"), up("12:00", "system", tags=[]))
    result = evaluate(FAST_SLOW, t, now_at("12:30"))
    assert of(result, "first_reply_time") == [
        (1, "breached", z("09:00"), None, z("11:00"), 210 * M)
    ]


def test_applied_at_counts_updates_before_the_instance_start(evaluate):
    # The slow target is in effect after every update from creation (08:00, a
    # private note) on: applied_at = 08:00; first reply starts 09:00, raw_due
    # 11:00, due 11:00, breached at 12:00.
    t = ticket(up("08:00", "requester", "private"), up("09:00", "requester", "public"))
    result = evaluate(FAST_SLOW, t, now_at("12:00"))
    assert of(result, "first_reply_time") == [(1, "breached", z("09:00"), None, z("11:00"), 3 * H)]


NEXT_URGENT = """\
policy p {
    next_reply_time: urgent 1h
}
"""


def test_instance_numbering_counts_unreported_instances(evaluate):
    # next reply #1 (10:00-10:30) is judged at priority normal: no target, not
    # reported but numbered. #2 starts 11:00 (the update also sets urgent): 30m by
    # 11:30, due 12:00.
    t = ticket(
        up("09:00", "requester", "public", priority="normal"),
        up("09:30", "agent", "public"),
        up("10:00", "requester", "public"),
        up("10:30", "agent", "public"),
        up("11:00", "requester", "public", priority="urgent"),
    )
    result = evaluate(NEXT_URGENT, t, now_at("11:30"))
    assert rows(result) == [("next_reply_time", 2, "active", z("11:00"), None, z("12:00"), 30 * M)]
    assert result["metrics"][0]["priority"] == "urgent"


ONE_HOUR = "policy p { first_reply_time: 1h  total_resolution_time: 3h  agent_work_time: 2h }"


def test_stop_exactly_at_due_at_is_achieved(evaluate):
    # elapsed 1h = T at 10:00; raw_due = due_at = 10:00 = stop: not before the
    # judging point, so achieved with remaining 0 and no due_at.
    t = ticket(up("09:00", "requester", "public"), up("10:00", "agent", "public"))
    result = evaluate(ONE_HOUR, t, now_at("10:30"))
    assert result["metrics"][0] == {
        "metric": "first_reply_time",
        "instance": 1,
        "policy": "p",
        "priority": None,
        "target_seconds": 3600,
        "clock": "calendar",
        "calendar": None,
        "status": "achieved",
        "started_at": z("09:00"),
        "stopped_at": z("10:00"),
        "due_at": None,
        "elapsed_seconds": 3600,
        "remaining_seconds": 0,
    }


def test_next_due_at_is_earliest_active_due(evaluate):
    # at 09:30: first reply due 10:00, agent work due 11:00, total resolution 12:00
    t = ticket(up("09:00", "requester", "public"))
    result = evaluate(ONE_HOUR, t, now_at("09:30"))
    assert [r[5] for r in rows(result)] == [z("10:00"), z("11:00"), z("12:00")]
    assert result["next_due_at"] == z("10:00")
    # at 10:30 the first reply is breached (not active): next is agent work's 11:00
    result = evaluate(ONE_HOUR, t, now_at("10:30"))
    assert rows(result)[0][2] == "breached"
    assert result["next_due_at"] == z("11:00")
    # on hold, agent work is paused: next is total resolution's 12:00
    t["updates"].append(up("10:15", "agent", status="hold"))
    result = evaluate(ONE_HOUR, t, now_at("10:30"))
    assert rows(result)[1] == ("agent_work_time", 1, "paused", z("09:00"), None, None, 75 * M)
    assert result["next_due_at"] == z("12:00")


def test_paused_instance_over_its_target_is_breached(evaluate):
    # agent work 2h: 09:00-11:30 running (2.5h) then hold: raw_due 11:00 < now.
    t = ticket(up("09:00", "requester", "public"), up("11:30", "agent", status="hold"))
    result = evaluate(ONE_HOUR, t, now_at("12:00"))
    assert of(result, "agent_work_time") == [(1, "breached", z("09:00"), None, z("11:00"), 150 * M)]


# ---------------------------------------------------------------- clocks

OFFICE = """\
calendar office {
    timezone "America/New_York"
    hours mon-fri 09:00-17:00
}

policy p {
    calendar office
    first_reply_time: 2h
    agent_work_time: 8h
    total_resolution_time: 1d in calendar hours
    requester_wait_time: 4h in business hours
}
"""


def test_business_and_calendar_hours_clocks(evaluate):
    # June: New York is UTC-4; office 09:00-17:00 EDT = 13:00-21:00Z.
    # Created Saturday 2026-06-06 10:00 EDT (14:00Z); now Monday 06-08 10:00 EDT
    # (14:00Z). Business time: Monday 09:00-10:00 = 1h.
    # first reply 2h business: due Mon 11:00 EDT = 15:00Z.
    # total resolution 1d in calendar hours: 48h elapsed, 24h reached Sun 14:00Z,
    # before now -> breached, due_at 2026-06-07T14:00:00Z (calendar clock, no calendar).
    t = {
        "id": 9,
        "updates": [{"at": "2026-06-06T10:00:00-04:00", "by": "requester", "comment": "public"}],
    }
    result = evaluate(OFFICE, t, dt.datetime.fromisoformat("2026-06-08T10:00:00-04:00"))
    by_metric = {m["metric"]: m for m in result["metrics"]}
    assert (by_metric["first_reply_time"]["clock"], by_metric["first_reply_time"]["calendar"]) == (
        "business",
        "office",
    )
    assert by_metric["first_reply_time"]["elapsed_seconds"] == H
    assert by_metric["first_reply_time"]["due_at"] == "2026-06-08T15:00:00Z"
    assert by_metric["requester_wait_time"]["clock"] == "business"
    assert by_metric["requester_wait_time"]["due_at"] == "2026-06-08T17:00:00Z"
    # agent work 8h business: 1h done, the other 7h are Mon 10:00-17:00 EDT (21:00Z)
    assert by_metric["agent_work_time"]["due_at"] == "2026-06-08T21:00:00Z"
    total = by_metric["total_resolution_time"]
    assert (total["clock"], total["calendar"], total["status"]) == ("calendar", None, "breached")
    assert total["elapsed_seconds"] == 48 * H
    assert total["due_at"] == "2026-06-07T14:00:00Z"
    assert result["next_due_at"] == "2026-06-08T15:00:00Z"


def test_deadline_that_uses_the_last_open_second_falls_at_closing_time(evaluate):
    # Created Mon 15:00 EDT; 2h business -> 17:00 EDT (21:00Z), not Tue 09:00.
    t = {
        "id": 9,
        "updates": [{"at": "2026-06-08T15:00:00-04:00", "by": "requester", "comment": "public"}],
    }
    result = evaluate(OFFICE, t, dt.datetime.fromisoformat("2026-06-08T16:00:00-04:00"))
    assert of(result, "first_reply_time") == [
        (1, "active", "2026-06-08T19:00:00Z", None, "2026-06-08T21:00:00Z", H)
    ]


def test_policy_without_calendar_counts_calendar_hours(evaluate):
    # Saturday to Monday, 48h of calendar time, no calendar in the policy.
    t = {
        "id": 9,
        "updates": [{"at": "2026-06-06T10:00:00Z", "by": "requester", "comment": "public"}],
    }
    result = evaluate(
        "policy p { first_reply_time: 3d }", t, dt.datetime.fromisoformat("2026-06-08T10:00:00Z")
    )
    assert of(result, "first_reply_time") == [
        (1, "active", "2026-06-06T10:00:00Z", None, "2026-06-09T10:00:00Z", 48 * H)
    ]
    assert result["metrics"][0]["clock"] == "calendar"
    assert result["metrics"][0]["calendar"] is None


# ---------------------------------------------------------------- timeline handling


def test_updates_after_now_are_ignored(evaluate):
    t = ticket(up("09:00", "requester", "public"), up("11:00", "agent", "public"))
    result = evaluate(ALL10, t, now_at("10:00"))
    assert of(result, "first_reply_time") == [(1, "active", z("09:00"), None, z("19:00"), H)]
    assert of(result, "periodic_update") == []
    # before the first update: no policy, no instances
    result = evaluate(ALL10, t, now_at("08:59"))
    assert result == {"ticket": "t", "policy": None, "next_due_at": None, "metrics": []}


def test_instants_are_truncated_and_offsets_honoured(evaluate):
    # 09:00:59.999 is 09:00:59; "now" 09:30:00.9 is 09:30:00: elapsed 29m01s.
    t = ticket({"at": "2026-06-01T05:00:59.999-04:00", "by": "requester", "comment": "public"})
    result = evaluate(ALL10, t, dt.datetime(2026, 6, 1, 9, 30, 0, 900000, tzinfo=dt.UTC))
    assert of(result, "first_reply_time") == [
        (1, "active", "2026-06-01T09:00:59Z", None, "2026-06-01T19:00:59Z", 29 * M + 1)
    ]


def test_bad_update_after_now_is_still_an_error():
    contract = sladsl.loads(ALL10, filename="scenario.sla")
    bad = ticket(up("09:00", "requester", "public"), {"at": z("11:00"), "by": "robot"})
    with pytest.raises(sladsl.TicketError) as info:
        contract.evaluate(bad, now=now_at("10:00"))
    assert info.value.code == "BAD_VALUE"
    left = ticket(
        up("09:00", "requester", "public"),
        up("10:00", "agent", status="closed"),
        up("11:00", "agent", status="open"),
    )
    with pytest.raises(sladsl.TicketError) as info:
        contract.evaluate(left, now=now_at("09:30"))
    assert info.value.code == "LEFT_CLOSED"


def test_same_instant_updates_apply_in_input_order(evaluate):
    # requester then agent at 09:00: first reply 0s, achieved.
    t = ticket(up("09:00", "requester", "public"), up("09:00", "agent", "public"))
    result = evaluate(ALL10, t, now_at("10:00"))
    assert of(result, "first_reply_time") == [(1, "achieved", z("09:00"), z("09:00"), None, 0)]
    # agent then requester at 09:00: an agent reply came first, so no first reply;
    # the requester's reply starts next reply, running 1h by 10:00.
    t = ticket(up("09:00", "agent", "public"), up("09:00", "requester", "public"))
    result = evaluate(ALL10, t, now_at("10:00"))
    assert of(result, "first_reply_time") == []
    assert of(result, "next_reply_time") == [(1, "active", z("09:00"), None, z("19:00"), H)]


def test_updates_are_sorted_by_instant(evaluate):
    # Listed out of order: sorted, the requester creates at 09:00 and the agent
    # replies at 10:00.
    t = ticket(up("10:00", "agent", "public"), up("09:00", "requester", "public"))
    result = evaluate(ALL10, t, now_at("11:00"))
    assert of(result, "first_reply_time") == [(1, "achieved", z("09:00"), z("10:00"), None, H)]


def test_evaluate_many_yields_error_results_in_place():
    contract = sladsl.loads(ALL10, filename="scenario.sla")
    good = ticket(up("09:00", "requester", "public"), id=1)
    bad_priority = ticket(up("09:00", "requester", "public", priority="Normal"), id=2)
    left_closed = ticket(
        up("09:00", "requester", "public", status="closed"),
        up("09:30", "agent", status="solved"),
        id=3,
    )
    also_good = ticket(up("09:00", "requester", "public"), up("09:30", "agent", "public"), id="4")
    results = list(
        contract.evaluate_many([good, bad_priority, left_closed, also_good], now=now_at("10:00"))
    )
    assert len(results) == 4
    first, second, third, fourth = (r.to_dict() for r in results)
    assert first["ticket"] == 1 and of(first, "first_reply_time")[0][1] == "active"
    assert second["ticket"] == 2 and second["error"]["code"] == "UNKNOWN_PRIORITY"
    assert second["error"]["line"] == 2
    assert list(second) == ["ticket", "error"]
    assert list(second["error"]) == ["code", "message", "line"]
    assert third["error"]["code"] == "LEFT_CLOSED" and third["error"]["line"] == 3
    assert fourth["ticket"] == "4"
    assert of(fourth, "first_reply_time") == [(1, "achieved", z("09:00"), z("09:30"), None, 30 * M)]
    with pytest.raises(sladsl.TicketError) as info:
        contract.evaluate(bad_priority, now=now_at("10:00"))
    assert info.value.code == "UNKNOWN_PRIORITY"


def test_naive_now_is_rejected():
    contract = sladsl.loads(ALL10, filename="scenario.sla")
    with pytest.raises(ValueError):
        contract.evaluate(
            ticket(up("09:00", "requester", "public")), now=dt.datetime(2026, 6, 1, 10)
        )


# ---------------------------------------------------------------- business calendars

NIGHTS = """\
calendar night {
    timezone "UTC"
    hours mon-fri 22:00-06:00
    holiday 2026-06-03
}

policy p {
    calendar night
    first_reply_time: 8h
}
"""


def test_overnight_shift_and_holiday(evaluate):
    # Shifts start Mon-Fri 22:00 and run to 06:00 the next day. Wednesday 06-03
    # is a holiday: it removes Tuesday's shift's after-midnight part (Wed
    # 00:00-06:00) and Wednesday's own 22:00-24:00, but Wednesday's shift keeps
    # Thursday 00:00-06:00. Created Tue 21:00: Tue 22:00-24:00 (2h) + Thu
    # 00:00-06:00 (6h) = 8h, reached at Thu 06:00 (closing time). Judged Thu
    # 12:00: elapsed 8h, raw_due = due_at = Thu 06:00 < now: breached, remaining 0.
    t = ticket(up("21:00", "requester", "public", day=2))
    result = evaluate(NIGHTS, t, now_at("12:00", 4))
    assert of(result, "first_reply_time") == [
        (1, "breached", z("21:00", 2), None, z("06:00", 4), 8 * H)
    ]
    assert result["metrics"][0]["remaining_seconds"] == 0
    # Judged Wed 12:00: 2h elapsed, active, due Thu 06:00 (6h more, Thursday 00-06).
    result = evaluate(NIGHTS, t, now_at("12:00", 3))
    assert of(result, "first_reply_time") == [
        (1, "active", z("21:00", 2), None, z("06:00", 4), 2 * H)
    ]


OVERRIDE = """\
calendar office {
    timezone "UTC"
    hours mon-fri 09:00-17:00
    hours 2026-06-02 10:00-12:00
}

policy p {
    calendar office
    first_reply_time: 4h
}
"""


def test_date_override_replaces_that_day(evaluate):
    # Tuesday 06-02 is open only 10:00-12:00 (2h); Wednesday 09:00-11:00 gives the
    # other 2h: raw_due Wed 11:00 < now Wed 12:00: breached, elapsed 2h + 3h = 5h.
    t = ticket(up("08:00", "requester", "public", day=2))
    result = evaluate(OVERRIDE, t, now_at("12:00", 3))
    assert of(result, "first_reply_time") == [
        (1, "breached", z("08:00", 2), None, z("11:00", 3), 5 * H)
    ]


DST_SUNDAY = """\
calendar sunday {
    timezone "America/New_York"
    hours sun 01:00-04:00
}

policy p {
    calendar sunday
    total_resolution_time: 3h
}
"""


def test_dst_spring_forward_shortens_a_range(evaluate):
    # Sunday 2026-03-08 01:00 EST (06:00Z) to 04:00 EDT (08:00Z) is 2h of real
    # time. Created 05:00Z, judged 10:00Z: 2h elapsed, active; the last hour is
    # Sunday 03-15 01:00-02:00 EDT = 05:00Z-06:00Z: due 2026-03-15T06:00:00Z.
    t = {
        "id": 1,
        "updates": [{"at": "2026-03-08T05:00:00Z", "by": "requester", "comment": "public"}],
    }
    result = evaluate(DST_SUNDAY, t, dt.datetime(2026, 3, 8, 10, tzinfo=dt.UTC))
    assert of(result, "total_resolution_time") == [
        (1, "active", "2026-03-08T05:00:00Z", None, "2026-03-15T06:00:00Z", 2 * H)
    ]


WEEKDAYS = """\
calendar odd {
    timezone "UTC"
    hours fri 09:00-10:00
    hours sun-mon 12:00-13:00
}

policy p {
    calendar odd
    total_resolution_time: 4h
}
"""


def test_single_weekday_and_wrapping_day_range(evaluate):
    # (Regression: a transient build of the calendar engine mapped weekdays one
    # day early.) Created Thu 06-04 00:00; open Fri 06-05 09-10, Sun 06-07 12-13,
    # Mon 06-08 12-13 (`sun-mon` wraps): 3h by Tue 06-09 00:00; the 4th hour is
    # Fri 06-12 09:00-10:00: due 10:00.
    t = ticket(up("00:00", "requester", "public", day=4))
    result = evaluate(WEEKDAYS, t, now_at("00:00", 9))
    assert of(result, "total_resolution_time") == [
        (1, "active", z("00:00", 4), None, z("10:00", 12), 3 * H)
    ]
