"""Property tests: the real evaluator against the reference evaluator.

Random contracts (1-3 policies, simple conditions on priority/tags/channel/
status, bare and per-priority targets, `in calendar hours` / `in business
hours`, calendars with weekly hours incl. overnight and DST-gap ranges, date
overrides and simple holidays, in zones with DST) and random valid timelines
(1-10 updates over about two weeks around a DST change, equal instants,
shuffled input order between different instants, odd offsets and fractional
seconds), and a random `now`. The real engine's ``to_dict()`` must equal
``reference_evaluate``. Plus invariants of the real engine alone.

The generators take a small "chooser" so the same code runs under hypothesis
(``_Draw``) and under ``random.Random`` (the TZ subprocess test).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

try:
    from reference_evaluator import METRICS, ReferenceError_, reference_evaluate_text
except ImportError:  # pragma: no cover - when tests/ is a package
    from tests.reference_evaluator import METRICS, ReferenceError_, reference_evaluate_text

import sladsl

UTC = dt.UTC
ZONES = ("America/New_York", "Europe/London", "UTC", "Asia/Tokyo", "Australia/Sydney")
# Two-week windows, each containing a DST change in New York and/or London
# (NY: 03-08, 11-01; London: 03-29, 10-25; Sydney: 04-05, 10-04).
WINDOWS = (
    dt.date(2026, 3, 2),
    dt.date(2026, 3, 23),
    dt.date(2026, 10, 19),
    dt.date(2026, 10, 26),
    dt.date(2026, 9, 28),
)
PRIORITIES = ("urgent", "high", "normal", "low")
DURATIONS = ("1m", "15m", "30m", "1h", "90m", "1h30m", "2h", "4h", "8h", "1d", "2d", "3d", "1w")
TIMES = [f"{h:02d}:{m:02d}" for h in range(24) for m in (0, 30)]
OFFSETS = ("Z", "+00:00", "-05:00", "-04:00", "+01:00", "+05:30", "+09:00")
STATUSES = ("new", "open", "pending", "hold", "solved", "closed")


class _Random:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.scale = PRIORITIES

    def choice(self, seq):
        return self.rng.choice(list(seq))

    def integer(self, lo, hi):
        return self.rng.randint(lo, hi)

    def chance(self, percent):
        return self.rng.randrange(100) < percent


class _Draw:
    def __init__(self, draw) -> None:
        self.draw = draw
        self.scale = PRIORITIES

    def choice(self, seq):
        return self.draw(st.sampled_from(list(seq)))

    def integer(self, lo, hi):
        return self.draw(st.integers(lo, hi))

    def chance(self, percent):
        # shrinks towards False
        return self.draw(st.integers(0, 99)) >= 100 - percent


# ---------------------------------------------------------------- contracts


def _day_item(c) -> str:
    return c.choice(
        [
            "mon",
            "tue",
            "wed",
            "thu",
            "fri",
            "sat",
            "sun",
            "mon-fri",
            "fri-mon",
            "sat-sun",
            "daily",
            "weekdays",
            "weekends",
            "wed-wed",
        ]
    )


def _time_range(c) -> str:
    start = c.choice([*TIMES, "01:30", "02:00", "02:30", "00:00", "22:00"])
    end = c.choice([t for t in TIMES if t != "00:00"] + ["24:00", "00:00", "02:30", "01:30"])
    if end == start:
        end = "24:00" if start != "00:00" else "12:00"
    return f"{start}-{end}"


def gen_calendar(c, name: str, window: dt.date) -> str:
    lines = [f'    timezone "{c.choice(ZONES)}"']
    for _ in range(c.integer(1, 3)):
        days = ",".join(dict.fromkeys(_day_item(c) for _ in range(c.integer(1, 2))))
        ranges = ", ".join(_time_range(c) for _ in range(c.integer(1, 2)))
        lines.append(f"    hours {days} {ranges}")
    for _ in range(c.integer(0, 2)):
        day = window + dt.timedelta(days=c.integer(0, 16))
        lines.append(f"    hours {day.isoformat()} {_time_range(c)}")
    for _ in range(c.integer(0, 2)):
        lines.append("    holiday " + _holiday_rule(c, window))
    if c.chance(15):
        lines.append("    holidays shared")
    if c.chance(3):
        # a calendar with (almost) no open time left: CALENDAR_EXHAUSTED territory
        lines.append(f"    holiday {window.isoformat()} .. 2040-01-01")
    return f"calendar {name} {{\n" + "\n".join(lines) + "\n}\n"


def _holiday_rule(c, window: dt.date) -> str:
    day = window + dt.timedelta(days=c.integer(0, 16))
    month = day.strftime("%b").lower()
    kind = c.integer(0, 4)
    if kind == 0:
        return f'{day.isoformat()} "h"'
    if kind == 1:
        return f"{day.isoformat()} .. {(day + dt.timedelta(days=c.integer(0, 3))).isoformat()}"
    if kind == 2:
        return f"every {month} {day.day}" + (" observed" if c.chance(30) else "")
    if kind == 3:
        nth = c.choice(["1st", "2nd", "3rd", "4th", "5th", "last"])
        return f"every {nth} {day.strftime('%a').lower()} of {month}"
    return f"every easter{c.choice(['+0', '-2', '+1', '+50', '-47'])}"


SHARED_HOLIDAYS = """\
holidays shared {
    every mar 9
    every last mon of oct
    every 1st mon of oct
    every easter-2
}
"""


def _condition(c) -> str:
    p, q = c.choice(c.scale), c.choice(c.scale)
    tag = c.choice(["a", "b"])
    return c.choice(
        [
            'field "tier" is "gold"',
            'field "tier" in ["gold", "silver"]',
            'field "tier" is not set',
            f'field "seats" >= {c.choice(["10", "10.5", "0"])}',
            'field "seats" < 10',
            'field "seats" is 12',
            'field "vip" is true',
            'group is "Tier 2" or assignee is set',
            "type in [incident, problem]",
            'organization is not "Initech"',
            f"priority is {p}",
            f"priority in [{p}, {q}]",
            f"priority is not {p}",
            "priority is not set",
            "priority is set",
            f'tags has "{tag}"',
            f'not tags has "{tag}"',
            'tags has any ["a", "b"]',
            'tags has all ["a", "b"]',
            "channel is email",
            "channel not in [chat, voice]",
            "status is not pending",
            f"status in [new, open, {c.choice(STATUSES)}]",
            f'priority is {p} or tags has "{tag}"',
            f'(channel is chat or priority is {p}) and not tags has "{tag}"',
        ]
    )


def gen_policy(c, name: str, calendars: list[str]) -> str:
    lines = [f"    when {_condition(c)}" for _ in range(c.integer(0, 2) if c.chance(60) else 0)]
    calendar = c.choice(calendars) if calendars and c.chance(75) else None
    if calendar:
        lines.append(f"    calendar {calendar}")
    for metric in METRICS:
        if not c.chance(60):
            continue
        if c.chance(50):
            targets = c.choice(DURATIONS)
        else:
            chosen = [p for p in c.scale if c.chance(50)] or [c.choice(c.scale)]
            targets = ", ".join(f"{p} {c.choice(DURATIONS)}" for p in chosen)
        suffix = ""
        if calendar and c.chance(30):
            suffix = c.choice([" in calendar hours", " in business hours"])
        elif not calendar and c.chance(10):
            suffix = " in calendar hours"
        lines.append(f"    {metric}: {targets}{suffix}")
    return f"policy {name} {{\n" + "\n".join(lines) + "\n}\n"


def gen_contract(c, window: dt.date) -> str:
    parts = []
    c.scale = PRIORITIES
    if c.chance(20):
        c.scale = ("p1", "p2", "p3")
        parts.append("priorities p1, p2, p3\n")
    calendars = [f"cal{i}" for i in range(c.integer(0, 2))]
    parts += [gen_calendar(c, name, window) for name in calendars]
    if "holidays shared" in "".join(parts):
        parts.append(SHARED_HOLIDAYS)
    if calendars and c.chance(15):
        zone = f'    timezone "{c.choice(ZONES)}"\n' if c.chance(50) else ""
        extra = f"    hours sat {_time_range(c)}\n" if c.chance(50) else ""
        parts.append(f"calendar inc {{\n    include {calendars[0]}\n{zone}{extra}}}\n")
        calendars.append("inc")
    parts += [gen_policy(c, f"pol{i}", calendars) for i in range(c.integer(1, 3))]
    return "\n".join(parts)


# ---------------------------------------------------------------- timelines


def _render(instant: dt.datetime, c) -> str:
    offset = c.choice(OFFSETS) if c.chance(40) else "Z"
    if offset == "Z":
        local, text_offset = instant, "Z"
    else:
        sign = 1 if offset[0] == "+" else -1
        delta = dt.timedelta(hours=int(offset[1:3]), minutes=int(offset[4:6])) * sign
        local, text_offset = instant + delta, offset
    text = local.strftime("%Y-%m-%dT%H:%M:%S")
    if c.chance(10):
        text += "." + str(c.integer(0, 999)).zfill(3)
    return text + text_offset


def gen_ticket(c, window: dt.date, ident: int) -> tuple[dict, dt.datetime]:
    start = dt.datetime(window.year, window.month, window.day, tzinfo=UTC)
    t = start + dt.timedelta(minutes=c.integer(0, 4 * 24 * 60))
    status = None
    updates = []
    for _ in range(c.integer(1, 10)):
        if updates and not c.chance(15):  # some equal instants
            t += dt.timedelta(minutes=c.integer(1, 36 * 60), seconds=c.choice([0, 0, 0, 17]))
        update: dict = {
            "at": _render(t, c),
            "by": c.choice(["requester", "end_user", "agent", "system"]),
        }
        comment = c.choice(["public", "public", "private", None])
        if comment is not None:
            update["comment"] = comment
        changes: dict = {}
        if status != "closed" and c.chance(45):
            status = c.choice(STATUSES)
            changes["status"] = status
        if c.chance(60 if not updates else 20):
            changes["priority"] = c.choice([*c.scale, None])
        if c.chance(20):
            changes["tags"] = c.choice([["a"], ["b"], ["a", "b"], [], None])
        if c.chance(15):
            changes["channel"] = c.choice(["email", "chat", None])
        if c.chance(15):
            changes["tier"] = c.choice(["gold", "silver", 3, None])
        if c.chance(15):
            changes["seats"] = c.choice([5, 10, 12, 10.5, "12", True, None])
        if c.chance(10):
            changes["vip"] = c.choice([True, False, 1, "true"])
        if c.chance(10):
            changes[c.choice(["group", "assignee", "organization"])] = c.choice(
                ["Tier 2", "Initech", "x", None]
            )
        if c.chance(10):
            changes["type"] = c.choice(["incident", "problem", "task", None])
        if changes:
            update["set"] = changes
        updates.append((t, update))
    # Shuffle groups of equal instants (input order matters only between equal
    # instants, so this keeps the timeline's meaning).
    groups: list[list[dict]] = []
    for i, (instant, update) in enumerate(updates):
        if i and instant == updates[i - 1][0]:
            groups[-1].append(update)
        else:
            groups.append([update])
    if c.chance(30):
        order = list(range(len(groups)))
        for i in range(len(order) - 1, 0, -1):
            j = c.integer(0, i)
            order[i], order[j] = order[j], order[i]
        groups = [groups[i] for i in order]
    if c.chance(70):  # near the timeline: while instances run
        first = updates[0][0]
        now = first + dt.timedelta(
            minutes=c.integer(-10, int((t - first).total_seconds()) // 60 + 600)
        )
    else:
        now = start + dt.timedelta(minutes=c.integer(-60, 16 * 24 * 60))
    now += dt.timedelta(seconds=c.choice([0, 0, 31]))
    if c.chance(15):  # exactly at an update's instant: "at or before now" includes it
        now = c.choice([instant for instant, _ in updates])
    ident = str(ident) if c.chance(30) else ident
    return {"id": ident, "updates": [u for g in groups for u in g]}, now


@st.composite
def cases(draw):
    c = _Draw(draw)
    window = c.choice(WINDOWS)
    text = gen_contract(c, window)
    ticket, now = gen_ticket(c, window, c.integer(1, 9999))
    return text, ticket, now


def _load(text: str) -> sladsl.Contract:
    return sladsl.loads(text, filename="random.sla")


def _real(contract: sladsl.Contract, ticket: dict, now: dt.datetime) -> dict:
    try:
        return contract.evaluate(ticket, now=now).to_dict()
    except sladsl.TicketError as error:
        return {"error": error.code}


def _reference(text: str, ticket: dict, now: dt.datetime) -> dict:
    try:
        return reference_evaluate_text(text, ticket, now)
    except ReferenceError_ as error:
        return {"error": error.code}


PROPERTY = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# ---------------------------------------------------------------- properties


@PROPERTY
@given(cases())
def test_real_evaluator_matches_reference(case):
    text, ticket, now = case
    contract = _load(text)
    assert _real(contract, ticket, now) == _reference(text, ticket, now)


@PROPERTY
@given(cases())
def test_elapsed_never_exceeds_wall_time(case):
    text, ticket, now = case
    result = _real(_load(text), ticket, now)
    now_s = int(now.timestamp())
    for m in result.get("metrics", []):
        start = dt.datetime.fromisoformat(m["started_at"].replace("Z", "+00:00"))
        end = (
            dt.datetime.fromisoformat(m["stopped_at"].replace("Z", "+00:00")).timestamp()
            if m["stopped_at"]
            else now_s
        )
        assert 0 <= m["elapsed_seconds"] <= end - start.timestamp(), m
        assert m["remaining_seconds"] == m["target_seconds"] - m["elapsed_seconds"]
        assert (m["due_at"] is None) == (m["status"] in ("achieved", "paused")), m


@PROPERTY
@given(cases(), st.integers(0, 5 * 24 * 60))
def test_judging_later_never_gives_less_elapsed(case, extra_minutes):
    # Only comparable on the same clock: the spec counts elapsed "on the clock of
    # the target it is judged by", so a later policy with another calendar may
    # legitimately count less.
    text, ticket, now = case
    later = now + dt.timedelta(minutes=extra_minutes)
    contract = _load(text)
    first, second = _real(contract, ticket, now), _real(contract, ticket, later)
    if "error" in first or "error" in second:
        return
    seen = {(m["metric"], m["instance"]): m for m in first["metrics"]}
    for m in second["metrics"]:
        old = seen.get((m["metric"], m["instance"]))
        if old is not None and (old["clock"], old["calendar"]) == (m["clock"], m["calendar"]):
            assert m["elapsed_seconds"] >= old["elapsed_seconds"], (old, m)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(cases(), min_size=1, max_size=4))
def test_evaluate_many_matches_evaluate(batch):
    text = batch[0][0]
    contract = _load(text)
    now = batch[0][2]
    tickets = [ticket for _, ticket, _ in batch]
    many = [r.to_dict() for r in contract.evaluate_many(tickets, now=now)]
    for ticket, got in zip(tickets, many, strict=True):
        expected = _real(contract, ticket, now)
        if "error" in expected:
            assert got["error"]["code"] == expected["error"]
        else:
            assert got == expected


# ---------------------------------------------------------------- TZ independence

_TZ_SCRIPT = """
import json, random, sys
sys.path.insert(0, {tests!r})
import test_engine_reference as t
rng = t._Random(random.Random(20260308))
out = []
for i in range(40):
    window = rng.choice(t.WINDOWS)
    text = t.gen_contract(rng, window)
    ticket, now = t.gen_ticket(rng, window, i)
    out.append(t._real(t._load(text), ticket, now))
print(json.dumps(out, sort_keys=False))
"""


def _run_with_tz(tz: str) -> str:
    env = dict(os.environ, TZ=tz)
    script = _TZ_SCRIPT.format(tests=str(Path(__file__).resolve().parent))
    done = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_results_do_not_depend_on_the_local_time_zone():
    tokyo = _run_with_tz("Asia/Tokyo")
    los_angeles = _run_with_tz("America/Los_Angeles")
    assert tokyo == los_angeles
    assert len(json.loads(tokyo)) == 40


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_generators_make_valid_input(seed):
    # Sanity of the generators themselves: contracts load, tickets validate.
    rng = _Random(random.Random(seed))
    for i in range(20):
        window = rng.choice(WINDOWS)
        contract = _load(gen_contract(rng, window))
        ticket, now = gen_ticket(rng, window, i)
        result = _real(contract, ticket, now)
        assert result.get("error") in (None, "CALENDAR_EXHAUSTED"), (ticket, result)
