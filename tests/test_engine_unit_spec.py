"""SEMANTICS.md §6 worked examples and DATA.md's result example, figure for
figure, through the public API (``sladsl.loads(...).evaluate(...)``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import sladsl
from tests.spec_data import RESULT_1042, TICKET_1042

FIRST_BLOCK = """
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

CREATE = {
    "at": "2026-03-06T19:00:00-05:00",
    "by": "requester",
    "comment": "public",
    "set": {"priority": "normal"},
}


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


@pytest.fixture(scope="module")
def contract() -> sladsl.Contract:
    return sladsl.loads(FIRST_BLOCK, filename="first.sla")


def only_metric(contract: sladsl.Contract, updates: list[dict[str, Any]], now: str) -> Any:
    result = contract.evaluate({"id": "1042", "updates": updates}, now=at(now)).to_dict()
    (metric,) = result["metrics"]
    return result, metric


def test_example_1_active_across_the_dst_weekend(contract: sladsl.Contract) -> None:
    result, m = only_metric(contract, [CREATE], "2026-03-09T11:00:00-04:00")
    assert m["status"] == "active"
    assert m["due_at"] == "2026-03-09T16:00:00Z"
    assert (m["elapsed_seconds"], m["remaining_seconds"]) == (10800, 3600)
    assert result["next_due_at"] == "2026-03-09T16:00:00Z"
    assert result["policy"] == "general"


@pytest.mark.parametrize(
    "now", ["2026-03-09T11:59:00-04:00", "2026-03-09T15:00:00-04:00", "2027-01-01T00:00:00Z"]
)
def test_example_2_achieved(contract: sladsl.Contract, now: str) -> None:
    reply = {"at": "2026-03-09T11:59:00-04:00", "by": "agent", "comment": "public"}
    result, m = only_metric(contract, [CREATE, reply], now)
    assert m["status"] == "achieved" and m["due_at"] is None
    assert (m["elapsed_seconds"], m["remaining_seconds"]) == (14340, 60)
    assert m["stopped_at"] == "2026-03-09T15:59:00Z"
    assert result["next_due_at"] is None


def test_example_3_breached(contract: sladsl.Contract) -> None:
    _, m = only_metric(contract, [CREATE], "2026-03-09T12:30:00-04:00")
    assert m["status"] == "breached"
    assert m["due_at"] == "2026-03-09T16:00:00Z"
    assert (m["elapsed_seconds"], m["remaining_seconds"]) == (16200, -1800)


def test_example_4_late_target_breaches_when_applied(contract: sladsl.Contract) -> None:
    tag = {"at": "2026-03-09T10:30:00-04:00", "by": "system", "set": {"tags": ["altered_service"]}}
    result, m = only_metric(contract, [CREATE, tag], "2026-03-09T11:00:00-04:00")
    assert m["policy"] == "altered_service" and m["target_seconds"] == 7200
    assert m["status"] == "breached"
    assert m["due_at"] == "2026-03-09T14:30:00Z"
    assert (m["elapsed_seconds"], m["remaining_seconds"]) == (10800, -3600)
    assert result["policy"] == "altered_service"
    assert result["next_due_at"] is None


def test_data_md_result_example(contract: sladsl.Contract) -> None:
    ticket = TICKET_1042
    result = contract.evaluate(ticket, now=at("2026-03-09T11:59:00-04:00"))
    assert result.to_dict() == RESULT_1042
    (m,) = result.metrics
    assert m.elapsed == dt.timedelta(seconds=14340)
    assert m.started_at == dt.datetime(2026, 3, 7, tzinfo=dt.UTC)


CALENDAR_HOURS = """
policy everything {
    first_reply_time: 100h
    next_reply_time: 100h
    periodic_update: 100h
    pausable_update: 100h
    requester_wait_time: 100h
    agent_work_time: 100h
    total_resolution_time: 100h
}
"""


def test_calendar_hours_example_all_seven_metrics() -> None:
    contract = sladsl.loads(CALENDAR_HOURS)
    ups = [
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
    ]
    result = contract.evaluate({"id": 1, "updates": ups}, now=at("2026-06-10T00:00:00Z"))
    hours: dict[str, list[float]] = {}
    for m in result.metrics:
        assert m.status == "achieved" and m.clock == "calendar" and m.calendar is None
        hours.setdefault(m.metric, []).append(m.elapsed_seconds / 3600)
    assert hours == {
        "first_reply_time": [5],
        "next_reply_time": [0.5, 28.5],
        "periodic_update": [2, 46.5],
        "pausable_update": [2, 28.5],
        "requester_wait_time": [35.5],
        "agent_work_time": [8.5],
        "total_resolution_time": [53.5],
    }
    assert [(m.metric, m.instance) for m in result.metrics] == [
        ("first_reply_time", 1),
        ("next_reply_time", 1),
        ("next_reply_time", 2),
        ("periodic_update", 1),
        ("periodic_update", 2),
        ("pausable_update", 1),
        ("pausable_update", 2),
        ("requester_wait_time", 1),
        ("agent_work_time", 1),
        ("total_resolution_time", 1),
    ]
    assert result.policy == "everything"


def test_contract_pickles_and_evaluates_the_same(contract: sladsl.Contract) -> None:
    import pickle

    again = pickle.loads(pickle.dumps(contract.compiled))
    from sladsl.engine.evaluate import evaluate
    from sladsl.timeline.reader import parse_instant, parse_ticket

    t = parse_ticket({"id": "1", "updates": [CREATE]}, priorities=contract.priorities, line=1)
    now = parse_instant("2026-03-09T11:00:00-04:00")
    assert evaluate(again, t, now) == evaluate(contract.compiled, t, now)


def _explain(text: str, updates: list[dict[str, Any]], now: str) -> str:
    from sladsl.engine.explain import explain
    from sladsl.timeline.reader import parse_instant, parse_ticket

    contract = sladsl.loads(text)
    t = parse_ticket({"id": "1042", "updates": updates}, priorities=contract.priorities, line=1)
    return explain(contract.compiled, t, parse_instant(now))


def test_explain_tells_the_story_in_local_time() -> None:
    tag = {"at": "2026-03-09T10:30:00-04:00", "by": "system", "set": {"tags": ["altered_service"]}}
    pend = {
        "at": "2026-03-09T10:45:00-04:00",
        "by": "agent",
        "comment": "public",
        "set": {"status": "pending"},
    }
    later = {"at": "2026-03-20T10:00:00-04:00", "by": "agent", "comment": "public"}
    text = _explain(FIRST_BLOCK, [CREATE, tag, pend, later], "2026-03-09T11:00:00-04:00")
    assert "2026-03-06 19:00:00 EST (UTC-05:00)" in text
    assert "2026-03-09 10:30:00 EDT (UTC-04:00)" in text
    assert "policy altered_service (calendar office, America/New_York)" in text
    assert "first_reply_time 2h in business hours of office" in text
    assert "-> first_reply_time #1 starts (customer reply)" in text
    assert "-> first_reply_time #1 stops (agent reply)" in text
    assert "first_reply_time #1: breached" in text
    assert "(not counted; not a pause)" in text
    assert "2026-03-06 20:00:00 EST (UTC-05:00) -> 2026-03-09 09:00:00 EDT (UTC-04:00)" in text
    assert "breached at 2026-03-09 10:30:00 EDT (UTC-04:00)" in text
    assert "periodic_update #1: not reported" in text
    assert "1 later update after now, ignored" in text
    assert text.endswith("Ticket policy: altered_service; next due: none\n")


def test_explain_shows_pauses_with_their_reason() -> None:
    contract = FIRST_BLOCK.replace(
        "first_reply_time: 4h", "first_reply_time: 4h\n    requester_wait_time: 8h"
    )
    ups = [
        CREATE,
        {
            "at": "2026-03-09T10:00:00-04:00",
            "by": "agent",
            "comment": "public",
            "set": {"status": "pending"},
        },
        {
            "at": "2026-03-09T12:00:00-04:00",
            "by": "requester",
            "comment": "public",
            "set": {"status": "open"},
        },
    ]
    text = _explain(contract, ups, "2026-03-09T13:00:00-04:00")
    assert "paused 2026-03-09 10:00:00 EDT (UTC-04:00) (status pending)" in text
    assert "running again 2026-03-09 12:00:00 EDT (UTC-04:00) (status open)" in text
    assert "requester_wait_time #1: active" in text
    assert "Ticket policy: general; next due: 2026-03-09 18:00:00 EDT (UTC-04:00)" in text


def test_explain_before_the_first_update() -> None:
    text = _explain(FIRST_BLOCK, [CREATE], "2026-03-01T00:00:00Z")
    assert "none at or before now" in text
    assert "Ticket policy: none; next due: none" in text
