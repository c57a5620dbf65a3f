"""The Python API from a user's side: DATA.md's calls, errors and guarantees."""

from __future__ import annotations

import datetime as dt
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

import sladsl
from tests.conftest import EXAMPLES

UTC = dt.UTC
TEXT = (EXAMPLES / "support.sla").read_text()
FRIDAY = {
    "id": "1042",
    "updates": [
        {
            "at": "2026-03-06T19:00:00-05:00",
            "by": "requester",
            "comment": "public",
            "set": {"priority": "normal"},
        },
    ],
}


def test_load_and_loads_agree() -> None:
    a = sladsl.load(EXAMPLES / "support.sla")
    b = sladsl.loads(TEXT, filename="support.sla")
    assert a.ast == b.ast
    assert [p.name.value for p in a.ast.policies] == ["altered_service", "general"]


def test_loads_raises_contract_error_with_every_diagnostic() -> None:
    text = "policy p {\n    calendar nowhere\n    first_reply_time: 4hours\n}\n"
    with pytest.raises(sladsl.ContractError) as info:
        sladsl.loads(text, filename="bad.sla")
    codes = [(d.code, d.line, d.col) for d in info.value.diagnostics]
    assert ("SLA202", 2, 14) in codes and ("SLA405", 3, 23) in codes
    assert isinstance(info.value, sladsl.SladslError)


def test_check_never_raises_and_reports_positions() -> None:
    diagnostics = sladsl.check("policy p { first_reply_time: 4hours }", filename="x.sla")
    assert [(d.code, d.file, d.line, d.col, d.end_col) for d in diagnostics] == [
        ("SLA405", "x.sla", 1, 30, 36)
    ]
    for junk in ["", "}{", "policy", "\x00\x01", "calendar c { hours", "(" * 5000]:
        assert isinstance(sladsl.check(junk), list)


def test_evaluate_spec_example_1() -> None:
    contract = sladsl.loads(TEXT, filename="support.sla")
    now = dt.datetime(2026, 3, 9, 11, 0, tzinfo=dt.timezone(dt.timedelta(hours=-4)))
    result = contract.evaluate(FRIDAY, now=now)
    (m,) = result.metrics
    assert (m.metric, m.instance, m.status) == ("first_reply_time", 1, "active")
    assert m.due_at == dt.datetime(2026, 3, 9, 16, 0, tzinfo=UTC)
    assert m.elapsed == dt.timedelta(hours=3) and m.elapsed_seconds == 10800
    assert m.remaining == dt.timedelta(hours=1) and m.remaining_seconds == 3600
    assert m.started_at == dt.datetime(2026, 3, 7, 0, 0, tzinfo=UTC)
    assert result.next_due_at == m.due_at
    assert result.to_dict()["metrics"][0]["due_at"] == "2026-03-09T16:00:00Z"


def test_naive_now_is_value_error() -> None:
    contract = sladsl.loads(TEXT)
    with pytest.raises(ValueError, match="timezone-aware"):
        contract.evaluate(FRIDAY, now=dt.datetime(2026, 3, 9, 12))
    with pytest.raises(ValueError):
        contract.evaluate_many([FRIDAY], now=dt.datetime(2026, 3, 9, 12))


def test_bad_ticket_raises_ticket_error_and_many_continues() -> None:
    contract = sladsl.loads(TEXT)
    now = dt.datetime(2026, 3, 10, tzinfo=UTC)
    bad = {"id": "x", "updates": [{"at": "2026-03-09T10:00:00", "by": "requester"}]}
    with pytest.raises(sladsl.TicketError) as info:
        contract.evaluate(bad, now=now)
    assert info.value.code == "BAD_TIME"
    results = list(contract.evaluate_many([FRIDAY, bad, "nope", FRIDAY], now=now))
    dicts = [r.to_dict() for r in results]
    assert dicts[0] == dicts[3] and "metrics" in dicts[0]
    assert dicts[1] == {"ticket": "x", "error": dicts[1]["error"]}
    assert (dicts[1]["error"]["code"], dicts[1]["error"]["line"]) == ("BAD_TIME", 2)
    assert dicts[2]["ticket"] is None and dicts[2]["error"]["code"] == "BAD_JSON"
    assert dicts[2]["error"]["line"] == 3


def test_calendar_api() -> None:
    office = sladsl.loads(TEXT).calendars["office"]
    friday = dt.datetime(2026, 3, 6, 19, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    monday = dt.datetime(2026, 3, 9, 11, 0, tzinfo=dt.timezone(dt.timedelta(hours=-4)))
    assert office.between(friday, monday) == dt.timedelta(hours=3)
    assert office.between(monday, friday) == -dt.timedelta(hours=3)
    assert office.add(friday, dt.timedelta(hours=4)) == dt.datetime(2026, 3, 9, 16, tzinfo=UTC)
    assert office.is_open(monday) and not office.is_open(friday + dt.timedelta(hours=2))
    with pytest.raises(ValueError):
        office.is_open(dt.datetime(2026, 3, 9, 12))


def test_contract_pickles() -> None:
    contract = sladsl.loads(TEXT, filename="support.sla")
    clone = pickle.loads(pickle.dumps(contract))
    now = dt.datetime(2026, 3, 10, tzinfo=UTC)
    assert clone.evaluate(FRIDAY, now=now).to_dict() == contract.evaluate(FRIDAY, now=now).to_dict()
    compiled = pickle.loads(pickle.dumps(contract.compiled))
    assert compiled.priorities == contract.priorities


def test_fresh_interpreter_from_another_directory(tmp_path: Path) -> None:
    script = (
        "import datetime as dt, sladsl\n"
        f"c = sladsl.load({str(EXAMPLES / 'support.sla')!r})\n"
        f"r = c.evaluate({FRIDAY!r}, now=dt.datetime(2026, 3, 9, 16, 30, tzinfo=dt.timezone.utc))\n"
        "print(r.metrics[0].status, r.metrics[0].remaining_seconds)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["breached", "-1800"]


def test_instant_beyond_calendar_years_is_a_ticket_error_not_a_crash() -> None:
    contract = sladsl.loads(TEXT)
    ancient = {
        "id": "old",
        "updates": [{"at": "0001-01-01T00:00:00Z", "by": "requester", "comment": "public"}],
    }
    (result,) = contract.evaluate_many([ancient], now=dt.datetime(2026, 1, 1, tzinfo=UTC))
    assert result.to_dict()["error"]["code"] == "BAD_TIME"
    with pytest.raises(sladsl.TicketError):
        contract.evaluate(ancient, now=dt.datetime(2026, 1, 1, tzinfo=UTC))
