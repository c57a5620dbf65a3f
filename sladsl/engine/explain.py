"""``sladsl explain``: a readable account of how one ticket was evaluated.

It runs the same engine as :func:`sladsl.engine.evaluate.evaluate`, with a
trace list that the engine fills as it applies each update, and then tells
the story: every update (its time, who, the comment, the changes, the policy
and targets it put in effect, and what it started, paused or stopped), then
every instance (start, pauses with their reason, time outside business
hours, which is *not* a pause, stop, due time and outcome). Times are shown
in the local time of the relevant calendar, with the zone abbreviation and
UTC offset, and in UTC.

Example::

    text = explain(contract.compiled, ticket, now)   # ticket: a parsed Ticket
    print(text)
"""

from __future__ import annotations

import datetime as _dt
from typing import Any
from zoneinfo import ZoneInfo

from sladsl.calendar.zones import load_zone
from sladsl.engine.compile import BusinessClock, CompiledContract, CompiledPolicy, Target
from sladsl.engine.evaluate import Instance, evaluate, running_segments
from sladsl.engine.metrics import COMMENT_EVENTS, EVENT_NAMES, FINAL_STATUSES, event_names
from sladsl.engine.results import Row
from sladsl.syntax.values import format_duration
from sladsl.timeline.instants import format_instant
from sladsl.timeline.model import Ticket, Update

_UTC = _dt.UTC
# How many closed spans to list per instance before summarising the rest.
_MAX_CLOSED_SPANS = 8


def _zone_of(name: str | None) -> _dt.tzinfo:
    if name is None:
        return _UTC
    zone: ZoneInfo | None = load_zone(name)
    return zone if zone is not None else _UTC


def local(seconds: int, zone: _dt.tzinfo) -> str:
    """``2026-03-06 19:00:00 EST (UTC-05:00)`` for an instant in a zone.

    >>> local(1772841600, _zone_of("America/New_York"))
    '2026-03-06 19:00:00 EST (UTC-05:00)'
    """
    when = _dt.datetime.fromtimestamp(seconds, _UTC).astimezone(zone)
    offset = when.utcoffset() or _dt.timedelta(0)
    sign = "-" if offset < _dt.timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    abbr = when.tzname() or ""
    stamp = when.strftime("%Y-%m-%d %H:%M:%S")
    if zone is _UTC:
        return f"{stamp} UTC"
    return f"{stamp} {abbr} (UTC{sign}{minutes // 60:02d}:{minutes % 60:02d})"


def duration(seconds: int) -> str:
    """``3h59m`` (negative with a leading ``-``).

    >>> duration(-3600), duration(14340)
    ('-1h', '3h59m')
    """
    return ("-" if seconds < 0 else "") + format_duration(abs(seconds))


def _target_text(target: Target) -> str:
    if target.clock == "business":
        return f"{duration(target.seconds)} in business hours of {target.calendar}"
    return f"{duration(target.seconds)} in calendar hours"


def _change_text(key: str, value: object) -> str:
    if isinstance(value, frozenset):
        shown = "[" + ", ".join(f'"{v}"' for v in sorted(value)) + "]"
    elif value is None:
        shown = "null (unset)"
    elif isinstance(value, str):
        shown = f'"{value}"'
    else:
        shown = repr(value).lower() if isinstance(value, bool) else repr(value)
    return f"{key} = {shown}"


def _who(update: Update) -> str:
    if update.comment is None:
        return f"{update.by}, no comment"
    kind = ""
    if update.is_customer_reply:
        kind = " (customer reply)"
    elif update.is_agent_reply:
        kind = " (agent reply)"
    return f"{update.by}, {update.comment} comment{kind}"


class _Story:
    """Collects the trace into per-update and per-instance lines."""

    def __init__(self, cc: CompiledContract, now: int) -> None:
        self.cc = cc
        self.now = now
        self.lines: list[str] = []
        self.instances: list[Instance] = []
        self.history: dict[int, list[tuple[str, int, Any]]] = {}
        self.final_zone: _dt.tzinfo = _UTC

    def policy_zone(self, policy: int) -> _dt.tzinfo:
        if policy < 0:
            return _UTC
        cal = self.cc.policies[policy].calendar_obj
        return _zone_of(cal.zone if cal is not None else None)

    def policy_text(self, policy: int) -> str:
        if policy < 0:
            return "no policy matches"
        p: CompiledPolicy = self.cc.policies[policy]
        cal = p.calendar_obj
        where = f"calendar {p.calendar}, {cal.zone}" if cal is not None else "no calendar"
        return f"policy {p.name} ({where})"

    def name(self, inst: Instance) -> str:
        return f"{self.cc.plan.names[inst[0]]} #{inst[1]}"


def _updates_part(story: _Story, ticket: Ticket, trace: list[tuple[Any, ...]]) -> None:
    out = story.lines
    names = story.cc.plan.names
    prev_policy: int | None = None
    prev_targets: tuple[Target | None, ...] | None = None
    zone: _dt.tzinfo = _UTC
    applied = 0
    for entry in trace:
        kind = entry[0]
        if kind == "update":
            _, index, update, policy, priority, status, targets, events = entry
            applied += 1
            zone = story.policy_zone(policy)
            out.append("")
            out.append(f"  {index + 1}. {local(update.at, zone)}  [{format_instant(update.at)}]")
            out.append(f"     {_who(update)}")
            for key, value in update.changes:
                out.append(f"     set {_change_text(key, value)}")
            facts = [f"status {status}", f"priority {priority if priority is not None else 'none'}"]
            if events:
                facts.insert(0, ", ".join(event_names(events)))
            out.append("     " + "; ".join(facts))
            if events & COMMENT_EVENTS and status in FINAL_STATUSES:
                out.append(f"     (a reply that leaves the ticket {status} starts nothing)")
            if policy != prev_policy:
                out.append(f"     {story.policy_text(policy)}")
            if targets is not prev_targets:
                shown = [f"{names[m]} {_target_text(t)}" for m, t in enumerate(targets) if t]
                out.append("     targets in effect:" if shown else "     no targets in effect")
                out.extend(f"       {text}" for text in shown)
            prev_policy, prev_targets = policy, targets
            continue
        _, at, inst, detail = entry
        if kind == "start":
            story.instances.append(inst)
            story.history[id(inst)] = []
            out.append(f"     -> {story.name(inst)} starts ({EVENT_NAMES[detail]})")
        elif kind == "stop":
            out.append(f"     -> {story.name(inst)} stops ({EVENT_NAMES[detail]})")
        elif kind == "resume":
            out.append(f"     -> {story.name(inst)} resumes (reopened, status {detail})")
        elif kind == "pause":
            out.append(f"     -> {story.name(inst)} paused (status {detail})")
        elif kind == "unpause":
            out.append(f"     -> {story.name(inst)} running again (status {detail})")
        story.history.setdefault(id(inst), []).append((kind, at, detail))
    ignored = len(ticket.updates) - applied
    if ignored:
        out.append("")
        out.append(f"  ({ignored} later update{'s' if ignored > 1 else ''} after now, ignored)")


def _closed_spans(cal: BusinessClock, a: int, b: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    t = a
    while t < b and len(spans) <= _MAX_CLOSED_SPANS:
        if cal.is_open_at(t):
            close = cal.next_close_at(t)
            if close is None:
                break
            t = close
        else:
            opening = cal.next_open_at(t)
            end = b if opening is None or opening > b else opening
            spans.append((t, end))
            t = end
    return spans


def _instance_part(story: _Story, inst: Instance, row: Row | None) -> None:
    out = story.lines
    target: Target | None = inst[7]
    status = row[7] if row is not None else "not reported"
    out.append("")
    out.append(f"  {story.name(inst)}: {status}")
    if target is None or row is None:
        out.append("     no target after its judging update: not reported (still numbered)")
        zone = story.final_zone
    else:
        cal = target.clock_calendar
        if cal is not None:
            zone = _zone_of(cal.zone)
        else:
            policy = story.cc.policy(target.policy)
            zone = _zone_of(policy.calendar_obj.zone if policy.calendar_obj else None)
        out.append(
            f"     policy {target.policy}, priority {row[3] if row[3] is not None else 'none'}, "
            f"target {_target_text(target)}"
        )
        out.append(f"     target in effect since {local(inst[8], zone)}")
    out.append(f"     started {local(inst[2], zone)}")
    events = story.history.get(id(inst), [])
    for i, (kind, at, detail) in enumerate(events):
        later = events[i + 1] if i + 1 < len(events) else None
        if kind == "unpause" and later is not None and later[0] == "stop" and later[1] == at:
            continue  # the pause ended because the instance stopped: one line says it
        if kind == "pause":
            out.append(f"     paused {local(at, zone)} (status {detail})")
        elif kind == "unpause":
            out.append(f"     running again {local(at, zone)} (status {detail})")
        elif kind == "stop":
            out.append(f"     stopped {local(at, zone)} ({EVENT_NAMES[detail]})")
        elif kind == "resume":
            out.append(f"     resumed {local(at, zone)} (reopened, status {detail})")
    if target is not None and target.clock_calendar is not None:
        cal = target.clock_calendar
        segs = running_segments(inst, story.now)
        spans: list[tuple[int, int]] = []
        for k in range(0, len(segs), 2):
            spans += _closed_spans(cal, segs[k], segs[k + 1])
        if spans:
            out.append(
                f"     outside business hours of {target.calendar} (not counted; not a pause):"
            )
            for a, b in spans[:_MAX_CLOSED_SPANS]:
                out.append(f"        {local(a, zone)} -> {local(b, zone)}")
            if len(spans) > _MAX_CLOSED_SPANS:
                out.append("        ...")
    if row is None:
        return
    elapsed, remaining, due = row[11], row[12], row[10]
    out.append(
        f"     elapsed {duration(elapsed)} ({elapsed} s), remaining {duration(remaining)} "
        f"({remaining} s)"
    )
    if due is not None:
        label = "breached at" if status == "breached" else "due"
        out.append(f"     {label} {local(due, zone)}  [{format_instant(due)}]")
    elif status == "paused":
        out.append("     no due time while paused")


def explain(compiled: CompiledContract, ticket: Ticket, now: int) -> str:
    """A readable, update-by-update account of a ticket's evaluation at ``now``
    (UTC epoch seconds). Raises :class:`~sladsl.errors.TicketError` like
    :func:`~sladsl.engine.evaluate.evaluate`.

    Example::

        print(explain(contract.compiled, parse_ticket(obj, priorities=..., line=1), now))
    """
    trace: list[tuple[Any, ...]] = []
    result = evaluate(compiled, ticket, now, trace)
    story = _Story(compiled, now)
    last_policy = -1
    for entry in trace:
        if entry[0] == "update":
            last_policy = entry[3]
    final_zone = story.final_zone = story.policy_zone(last_policy)
    out = story.lines
    out.append(f"Ticket {ticket.id} as of {local(now, final_zone)}  [{format_instant(now)}]")
    out.append("")
    out.append("Updates, in applied order:")
    if not trace:
        out.append("  none at or before now: no policy, no instances")
    _updates_part(story, ticket, trace)
    if story.instances:
        out.append("")
        out.append("Instances:")
        reported = {(r[0], r[1]): r for r in result.rows}
        names = compiled.plan.names
        for inst in sorted(story.instances, key=lambda i: (i[0], i[1])):
            _instance_part(story, inst, reported.get((names[inst[0]], inst[1])))
    out.append("")
    due = result.next_due_seconds
    due_text = "none" if due is None else f"{local(due, final_zone)}  [{format_instant(due)}]"
    out.append(f"Ticket policy: {result.policy or 'none'}; next due: {due_text}")
    return "\n".join(out) + "\n"
