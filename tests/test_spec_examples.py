"""SEMANTICS.md §6 worked examples and DATA.md's result example, figure for figure.

Every test runs twice: against the real engine (``sladsl.loads(...).evaluate``)
and against the reference evaluator (tests/reference_evaluator.py), so the
figures printed in the spec check both.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.spec_data import RESULT_1042, TICKET_1042

try:
    from reference_evaluator import reference_evaluate_text
except ImportError:  # pragma: no cover - when tests/ is a package
    from tests.reference_evaluator import reference_evaluate_text

import sladsl

# The first ```sla block of LANGUAGE.md, verbatim.
LANGUAGE_FIRST_BLOCK = """\
# A support contract for a messaging platform.
calendar office "Eastern office hours" {
    timezone "America/New_York"
    hours mon-fri 09:00-20:00
    holiday every dec 25 "Christmas Day"
}

policy altered_service "Altered service of the platform or API" {
    when tags has "altered_service"
    calendar office
    first_reply_time: 2h
}

policy general "General issues and requests" {
    calendar office
    first_reply_time: 4h
}
"""


def _real(text: str, ticket: dict, now: dt.datetime) -> dict:
    return sladsl.loads(text, filename="spec.sla").evaluate(ticket, now=now).to_dict()


@pytest.fixture(params=["real", "reference"])
def evaluate(request):
    return _real if request.param == "real" else reference_evaluate_text


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


# ---------------------------------------------------------------- §6, DST Friday

FRIDAY_1900 = {
    "at": "2026-03-06T19:00:00-05:00",
    "by": "requester",
    "comment": "public",
    "set": {"priority": "normal"},
}


def _frt(status, due, elapsed, *, policy="general", target=14400, stopped=None):
    return {
        "metric": "first_reply_time",
        "instance": 1,
        "policy": policy,
        "priority": "normal",
        "target_seconds": target,
        "clock": "business",
        "calendar": "office",
        "status": status,
        "started_at": "2026-03-07T00:00:00Z",
        "stopped_at": stopped,
        "due_at": due,
        "elapsed_seconds": elapsed,
        "remaining_seconds": target - elapsed,
    }


def test_example_1_active_across_dst(evaluate):
    # Fri 19:00-20:00 EST = 1h; Mon 2026-03-09 (EDT) 09:00-11:00 = 2h: elapsed 3h.
    # One business hour left: due Mon 12:00 EDT = 16:00Z.
    ticket = {"id": "dst", "updates": [FRIDAY_1900]}
    result = evaluate(LANGUAGE_FIRST_BLOCK, ticket, at("2026-03-09T11:00:00-04:00"))
    assert result == {
        "ticket": "dst",
        "policy": "general",
        "next_due_at": "2026-03-09T16:00:00Z",
        "metrics": [_frt("active", "2026-03-09T16:00:00Z", 10800)],
    }


@pytest.mark.parametrize(
    "now", ["2026-03-09T11:59:00-04:00", "2026-03-09T18:00:00-04:00", "2026-04-01T00:00:00Z"]
)
def test_example_2_achieved(evaluate, now):
    # Fri 1h + Mon 09:00-11:59 (2h59m) = 3h59m = 14340 s; 60 s remain.
    ticket = {
        "id": "dst",
        "updates": [
            FRIDAY_1900,
            {"at": "2026-03-09T11:59:00-04:00", "by": "agent", "comment": "public"},
        ],
    }
    result = evaluate(LANGUAGE_FIRST_BLOCK, ticket, at(now))
    assert result == {
        "ticket": "dst",
        "policy": "general",
        "next_due_at": None,
        "metrics": [_frt("achieved", None, 14340, stopped="2026-03-09T15:59:00Z")],
    }


def test_example_3_breached(evaluate):
    # Fri 1h + Mon 09:00-12:30 (3.5h) = 4.5h = 16200 s; reached 4h at 12:00 EDT.
    ticket = {"id": "dst", "updates": [FRIDAY_1900]}
    result = evaluate(LANGUAGE_FIRST_BLOCK, ticket, at("2026-03-09T12:30:00-04:00"))
    assert result == {
        "ticket": "dst",
        "policy": "general",
        "next_due_at": None,
        "metrics": [_frt("breached", "2026-03-09T16:00:00Z", 16200)],
    }


def test_example_4_escalation_not_backdated(evaluate):
    # From 10:30 the policy is altered_service (2h). Elapsed reached 2h at Mon
    # 10:00 (Fri 1h + Mon 1h), before the target was applied at 10:30, so due_at
    # = max(10:00, 10:30) = 10:30 EDT = 14:30Z < now: breached. Elapsed at 11:00
    # is 3h = 10800, remaining 7200 - 10800 = -3600.
    ticket = {
        "id": "dst",
        "updates": [
            FRIDAY_1900,
            {
                "at": "2026-03-09T10:30:00-04:00",
                "by": "system",
                "set": {"tags": ["altered_service"]},
            },
        ],
    }
    result = evaluate(LANGUAGE_FIRST_BLOCK, ticket, at("2026-03-09T11:00:00-04:00"))
    assert result == {
        "ticket": "dst",
        "policy": "altered_service",
        "next_due_at": None,
        "metrics": [
            _frt("breached", "2026-03-09T14:30:00Z", 10800, policy="altered_service", target=7200)
        ],
    }


# ---------------------------------------------------------------- §6, calendar hours

EVERY_METRIC = """\
policy zendesk {
    first_reply_time: 100h
    next_reply_time: 100h
    periodic_update: 100h
    pausable_update: 100h
    requester_wait_time: 100h
    agent_work_time: 100h
    total_resolution_time: 100h
}
"""

ZENDESK_TIMELINE = {
    "id": 7,
    "updates": [
        {"at": "2026-06-01T09:00:00Z", "by": "requester", "comment": "public"},
        {
            "at": "2026-06-01T14:00:00Z",
            "by": "agent",
            "comment": "public",
            "set": {"status": "open"},
        },
        {"at": "2026-06-01T15:30:00Z", "by": "requester", "comment": "public"},
        {
            "at": "2026-06-01T16:00:00Z",
            "by": "agent",
            "comment": "public",
            "set": {"status": "pending"},
        },
        {
            "at": "2026-06-02T10:00:00Z",
            "by": "requester",
            "comment": "public",
            "set": {"status": "open"},
        },
        {"at": "2026-06-02T11:00:00Z", "by": "agent", "set": {"status": "hold"}},
        {"at": "2026-06-03T14:00:00Z", "by": "agent", "set": {"status": "open"}},
        {
            "at": "2026-06-03T14:30:00Z",
            "by": "agent",
            "comment": "public",
            "set": {"status": "solved"},
        },
    ],
}

H = 3600
T100 = 100 * H


def _cal(metric, instance, started, stopped, elapsed):
    return {
        "metric": metric,
        "instance": instance,
        "policy": "zendesk",
        "priority": None,
        "target_seconds": T100,
        "clock": "calendar",
        "calendar": None,
        "status": "achieved",
        "started_at": started,
        "stopped_at": stopped,
        "due_at": None,
        "elapsed_seconds": elapsed,
        "remaining_seconds": T100 - elapsed,
    }


def test_calendar_hours_timeline(evaluate):
    mon9, mon14, mon1530, mon16 = (
        "2026-06-01T09:00:00Z",
        "2026-06-01T14:00:00Z",
        "2026-06-01T15:30:00Z",
        "2026-06-01T16:00:00Z",
    )
    tue10, wed1430 = "2026-06-02T10:00:00Z", "2026-06-03T14:30:00Z"
    result = evaluate(EVERY_METRIC, ZENDESK_TIMELINE, at("2026-06-04T00:00:00Z"))
    assert result == {
        "ticket": 7,
        "policy": "zendesk",
        "next_due_at": None,
        "metrics": [
            # first reply: Mon 09:00 -> 14:00 = 5h
            _cal("first_reply_time", 1, mon9, mon14, 5 * H),
            # next reply: 15:30 -> 16:00 = 0.5h; Tue 10:00 -> Wed 14:30 = 28.5h
            _cal("next_reply_time", 1, mon1530, mon16, H // 2),
            _cal("next_reply_time", 2, tue10, wed1430, 28 * H + H // 2),
            # periodic: 14:00 -> 16:00 = 2h; Mon 16:00 -> Wed 14:30 = 46.5h
            _cal("periodic_update", 1, mon14, mon16, 2 * H),
            _cal("periodic_update", 2, mon16, wed1430, 46 * H + H // 2),
            # pausable: 2h; 46.5h minus 18h pending (Mon 16:00 -> Tue 10:00) = 28.5h
            _cal("pausable_update", 1, mon14, mon16, 2 * H),
            _cal("pausable_update", 2, mon16, wed1430, 28 * H + H // 2),
            # requester wait: 53.5h - 18h pending = 35.5h
            _cal("requester_wait_time", 1, mon9, wed1430, 35 * H + H // 2),
            # agent work: 53.5h - 18h pending - 27h hold (Tue 11:00 -> Wed 14:00) = 8.5h
            _cal("agent_work_time", 1, mon9, wed1430, 8 * H + H // 2),
            # total resolution: Mon 09:00 -> Wed 14:30 = 53.5h
            _cal("total_resolution_time", 1, mon9, wed1430, 53 * H + H // 2),
        ],
    }


# ---------------------------------------------------------------- DATA.md example


@pytest.mark.parametrize("now", ["2026-03-09T11:59:00-04:00", "2026-03-20T00:00:00Z"])
def test_data_md_result_example(evaluate, now):
    result = evaluate(LANGUAGE_FIRST_BLOCK, TICKET_1042, at(now))
    assert result == RESULT_1042
    assert list(result) == ["ticket", "policy", "next_due_at", "metrics"]
    assert list(result["metrics"][0]) == list(RESULT_1042["metrics"][0])


def test_data_md_result_example_attributes():
    contract = sladsl.loads(LANGUAGE_FIRST_BLOCK, filename="spec.sla")
    result = contract.evaluate(TICKET_1042, now=at("2026-03-09T12:00:00-04:00"))
    (m,) = result.metrics
    assert (m.metric, m.instance, m.status) == ("first_reply_time", 1, "achieved")
    assert m.elapsed == dt.timedelta(seconds=14340)
    assert m.remaining == dt.timedelta(seconds=60)
    assert m.elapsed_seconds == 14340 and m.remaining_seconds == 60
    assert m.due_at is None
    assert m.stopped_at == dt.datetime(2026, 3, 9, 15, 59, tzinfo=dt.UTC)
    assert m.started_at.utcoffset() == dt.timedelta(0)
