"""The evaluator: one generic instance engine driven by the metric rule table.

:func:`evaluate` replays a ticket's updates (SEMANTICS.md §2) up to ``now``,
keeping for every metric instance its start, its running segments (wall
clock ``[from, to)`` intervals during which it was neither paused nor
stopped), its stop, and the snapshot of its judging update (target, the
instant that target was applied, priority). Only then, and only for
instances that have a target, does it count elapsed time on the target's
clock and decide the outcome (§4, §5). Which events start, stop, pause and
resume which metric is read from ``sladsl.engine.metrics``; nothing here
knows a metric by name.

"The same target has been in effect since" (``applied_at``) is tracked per
metric as the instant of the update from which the interned target object
has not changed: a different object after any update, even at the same
instant, restarts it.

Business time is counted through a per-ticket memo of each instant's
business position (``between(ref, t)``), so the segments of several
instances that share instants (they start and stop at the same updates) cost
one calendar query per distinct instant.

The function is pure. Passing a list as ``trace`` (what ``explain`` does)
records what happened, update by update, with the same engine.

Example::

    result = evaluate(compiled, ticket, now)     # now: UTC epoch seconds
    result.to_dict()
"""

from __future__ import annotations

from operator import itemgetter
from typing import Any

from sladsl.engine.compile import BusinessClock, CompiledContract, Target
from sladsl.engine.metrics import (
    AGENT_REPLY,
    CREATED,
    CUSTOMER_REPLY,
    FINAL_STATUSES,
    REOPEN_STATUSES,
    REOPENED,
    SOLVED,
)
from sladsl.engine.results import Row, TicketResult
from sladsl.errors import CalendarExhausted, InstantOutOfRange, TicketError
from sladsl.timeline.model import CUSTOMERS, Ticket

_EMPTY_TAGS: frozenset[str] = frozenset()

ACTIVE = "active"
PAUSED = "paused"
ACHIEVED = "achieved"
BREACHED = "breached"

# An instance is a plain list, the cheapest mutable record CPython builds
# (a slotted class's __init__ costs several times more, and a ticket makes
# about ten of them). Its layout:
I_METRIC = 0  # rule index
I_NUMBER = 1  # 1-based, per metric, counting every instance
I_START = 2  # instant it started
I_SEGS = 3  # closed running segments, flat [a0, b0, a1, b1, ...], or None
I_RUN_FROM = 4  # start of the open running segment; None while paused or stopped
I_STOP = 5  # instant of the (latest) stop; None while running
I_PAUSED = 6  # paused by status (meaningful while running)
I_TARGET = 7  # judging snapshot: target after the judging update (or None)
I_SINCE = 8  # ... the instant that same target has been in effect since
I_PRIORITY = 9  # ... and the ticket's priority then
# The hot loops below index with the literal numbers; keep them in step.

Instance = list[Any]

_by_metric = itemgetter(0)


def running_segments(inst: Instance, now: int) -> list[int]:
    """The flat ``[a0, b0, ...]`` list of an instance's running segments up to
    ``now`` (the open one, if any, closed at ``now``)."""
    segs: list[int] = list(inst[I_SEGS] or ())
    if inst[I_RUN_FROM] is not None:
        segs += (inst[I_RUN_FROM], now)
    return segs


class Replay:
    """What a replay leaves behind: the instances (start order), the ticket's
    final policy index (-1: none) and whether any update was applied."""

    __slots__ = ("applied", "instances", "policy")

    def __init__(self, instances: list[Instance], policy: int, applied: bool) -> None:
        self.instances = instances
        self.policy = policy
        self.applied = applied


def replay(
    cc: CompiledContract, ticket: Ticket, now: int, trace: list[tuple[Any, ...]] | None = None
) -> Replay:
    """Apply the ticket's updates at or before ``now`` and track every instance.

    With ``trace``, appends ``("update", index, update, policy, priority,
    status, targets, events)`` after each update's fields step and
    ``(kind, at, instance, detail)`` for ``pause``/``unpause`` (detail: the
    status), ``stop`` (the event), ``resume`` (the status) and ``start`` (the
    event; an instance that starts paused gets a ``pause`` right after).
    """
    plan = cc.plan
    dispatch = plan.dispatch
    paused_by_status = plan.paused_by_status
    pausable = plan.pausable
    blockers = plan.blockers
    repeat = plan.repeat
    never_after = plan.never_after
    rows = cc.target_rows
    matchers = cc.matchers
    cond_keys = cc.condition_keys
    no_targets = cc.no_targets
    n_rules = len(no_targets)
    # Locals, not globals, in the loop below.
    final_statuses = FINAL_STATUSES
    reopen_statuses = REOPEN_STATUSES
    customers = CUSTOMERS

    # Any: values are the reader's str/int/float/bool/frozenset/None.
    fields: dict[str, Any] = {"status": "new", "tags": _EMPTY_TAGS}
    current: list[Instance | None] = [None] * n_rules
    counts = [0] * n_rules
    instances: list[Instance] = []
    targets: tuple[Target | None, ...] = no_targets
    since: list[int] = [0] * n_rules
    policy = -1
    priority: str | None = None
    status: str | None = None
    seen = 0
    applied = False
    index = -1

    for update in ticket.updates:
        at, by, comment, changes, _ = update
        if at > now:
            break
        index += 1
        first = not applied
        applied = True
        prev_status = status
        dirty = first
        for key, value in changes:
            fields[key] = value
            if key in cond_keys:
                dirty = True
        status = fields["status"]
        new_priority = fields.get("priority")

        # Step 1 (fields): policy and the targets after this update.
        if dirty:
            new_policy = -1
            for i, cond in enumerate(matchers):
                if cond is None or cond(fields):
                    new_policy = i
                    break
        else:
            new_policy = policy
        if first or new_policy != policy or new_priority != priority:
            policy = new_policy
            priority = new_priority
            row = rows[policy].get(priority, no_targets)
            if row is not targets:
                old = targets
                for m in range(n_rules):
                    if row[m] is not old[m]:
                        since[m] = at
                targets = row

        # Events of this update (SEMANTICS.md §2).
        if first:
            events = CREATED
        elif prev_status == "solved" and status in reopen_statuses:
            events = REOPENED
        else:
            events = 0
        if status in final_statuses and prev_status not in final_statuses:
            events |= SOLVED
        if comment == "public":
            if by == "agent":
                events |= AGENT_REPLY
            elif by in customers:
                events |= CUSTOMER_REPLY

        if trace is not None:
            trace.append(("update", index, update, policy, priority, status, targets, events))

        paused_now = paused_by_status[status]
        if status != prev_status and not first:
            # Pauses follow the status: close or open running segments.
            for m in pausable:
                inst = current[m]
                if inst is None or inst[5] is not None:
                    continue
                p = paused_now[m]
                if p != inst[6]:
                    inst[6] = p
                    if p:
                        rf = inst[4]
                        if rf is not None and at > rf:
                            if inst[3] is None:
                                inst[3] = [rf, at]
                            else:
                                inst[3] += (rf, at)
                        inst[4] = None
                        if trace is not None:
                            trace.append(("pause", at, inst, status))
                    else:
                        inst[4] = at
                        if trace is not None:
                            trace.append(("unpause", at, inst, status))

        if events:
            final = status in final_statuses
            for event, stops, resumes, starts, gated in dispatch[events]:
                for m in stops:
                    inst = current[m]
                    if inst is None or inst[5] is not None:
                        continue
                    rf = inst[4]
                    if rf is not None:
                        if at > rf:
                            if inst[3] is None:
                                inst[3] = [rf, at]
                            else:
                                inst[3] += (rf, at)
                        inst[4] = None
                    inst[5] = at
                    inst[7] = targets[m]
                    inst[8] = since[m]
                    inst[9] = priority
                    if trace is not None:
                        trace.append(("stop", at, inst, event))
                for m in resumes:
                    inst = current[m]
                    if inst is None or inst[5] is None:
                        continue
                    p = paused_now[m]
                    inst[5] = None
                    inst[6] = p
                    inst[4] = None if p else at
                    if trace is not None:
                        trace.append(("resume", at, inst, status))
                if final and gated:
                    continue
                for m in starts:
                    if counts[m] and not repeat[m]:
                        continue
                    if seen & never_after[m]:
                        continue
                    for b in blockers[m]:
                        other = current[b]
                        if other is not None and other[5] is None:
                            break
                    else:
                        counts[m] += 1
                        p = paused_now[m]
                        inst = [m, counts[m], at, None, None if p else at, None, p, None, at, None]
                        current[m] = inst
                        instances.append(inst)
                        if trace is not None:
                            trace.append(("start", at, inst, event))
                            if p:
                                trace.append(("pause", at, inst, status))
            seen |= events

    # Running instances are judged at the last applied update.
    for inst in instances:
        if inst[5] is None:
            m = inst[0]
            inst[7] = targets[m]
            inst[8] = since[m]
            inst[9] = priority
    return Replay(instances, policy, applied)


def judge_all(instances: list[Instance], now: int, names: tuple[str, ...]) -> list[Row]:
    """The reported rows of instances that have a target, in their order.

    Raises :class:`CalendarExhausted` from the calendar.
    """
    out: list[Row] = []
    memo_cal: BusinessClock | None = None
    memo: dict[int, int] = {}
    ref = 0
    target: Target | None
    for inst in instances:
        metric, number, start, segs, rf, stop, paused, target, since, priority = inst
        if target is None:
            continue
        goal = target.seconds
        cal = target.clock_calendar
        if rf is not None:
            segs = [rf, now] if segs is None else [*segs, rf, now]
        elapsed = 0
        raw_due: int | None = None
        if segs is None:
            pass
        elif len(segs) == 2:
            # One running segment, the common case: no loop.
            a, b = segs
            if cal is None:
                elapsed = b - a
                if elapsed >= goal:
                    raw_due = a + goal
            else:
                if cal is not memo_cal:
                    memo_cal, memo, ref = cal, {}, a
                pa = memo.get(a)
                if pa is None:
                    pa = memo[a] = cal.between_seconds(ref, a)
                pb = memo.get(b)
                if pb is None:
                    pb = memo[b] = cal.between_seconds(ref, b)
                elapsed = pb - pa
                if elapsed >= goal:
                    raw_due = cal.add_seconds(a, goal)
        elif cal is None:
            for i in range(0, len(segs), 2):
                a = segs[i]
                e = segs[i + 1] - a
                if raw_due is None and elapsed + e >= goal:
                    raw_due = a + goal - elapsed
                elapsed += e
        else:
            # Business seconds of [a, b) as a difference of positions
            # between(ref, .), memoised per instant: instances of one ticket
            # share most of their segment ends.
            if cal is not memo_cal:
                memo_cal, memo, ref = cal, {}, segs[0]
            between = cal.between_seconds
            for i in range(0, len(segs), 2):
                a = segs[i]
                b = segs[i + 1]
                pa = memo.get(a)
                if pa is None:
                    pa = memo[a] = between(ref, a)
                pb = memo.get(b)
                if pb is None:
                    pb = memo[b] = between(ref, b)
                e = pb - pa
                if raw_due is None and elapsed + e >= goal:
                    raw_due = cal.add_seconds(a, goal - elapsed)
                elapsed += e

        # SEMANTICS.md §5: due_at exists once elapsed reached the target, and
        # is never dated before that target was applied (no backdating).
        due: int | None = None
        if raw_due is not None:
            due = raw_due if raw_due > since else since
        if due is not None and due < (now if stop is None else stop):
            status = BREACHED
        elif stop is not None:
            status, due = ACHIEVED, None
        elif paused:
            status, due = PAUSED, None
        else:
            status = ACTIVE
            if due is None:
                # Projected: the rest of the target from now, assuming no pause.
                rest = goal - elapsed
                due = now + rest if cal is None else cal.add_seconds(now, rest)
        out.append(
            (
                names[metric],
                number,
                target.policy,
                priority,
                goal,
                target.clock,
                target.calendar,
                status,
                start,
                stop,
                due,
                elapsed,
                goal - elapsed,
            )
        )
    return out


def evaluate(
    compiled: CompiledContract,
    ticket: Ticket,
    now: int,
    trace: list[tuple[Any, ...]] | None = None,
) -> TicketResult:
    """Evaluate a validated ticket as of ``now`` (UTC epoch seconds).

    Raises :class:`TicketError` with code ``CALENDAR_EXHAUSTED`` when a
    deadline cannot be found within ten years.

    Example::

        >>> from sladsl.engine.compile import compile_contract
        >>> from sladsl.syntax import ast
        >>> from sladsl.timeline.model import Ticket, Update
        >>> tree = ast.Contract((ast.PolicyDecl(ast.Name("p"), None, (ast.TargetLine(
        ...     ast.Name("first_reply_time"), (ast.Target(None, ast.Duration("1h")),)),)),))
        >>> t = Ticket("7", (Update(0, "requester", "public", (), 0),))
        >>> evaluate(compile_contract(tree, {}), t, 600).to_dict()["metrics"][0]["due_at"]
        '1970-01-01T01:00:00Z'
    """
    state = replay(compiled, ticket, now, trace)
    if not state.applied:
        return TicketResult(ticket.id, None, None, ())
    instances = state.instances
    if len(instances) > 1:
        instances.sort(key=_by_metric)
    try:
        rows = judge_all(instances, now, compiled.plan.names)
    except CalendarExhausted as error:
        raise TicketError(
            "CALENDAR_EXHAUSTED", str(error), line=ticket.line, ticket=ticket.id
        ) from error
    except InstantOutOfRange as error:
        # A well-formed `at` (or `now`) so far from today that no business
        # calendar can reach it: the ticket's time is what is wrong.
        raise TicketError(
            "BAD_TIME",
            f"an instant of this ticket or --now is outside the years business calendars "
            f"cover ({error})",
            line=ticket.line,
            ticket=ticket.id,
        ) from error
    next_due: int | None = None
    for row in rows:
        if row[7] == ACTIVE:
            due = row[10]
            if due is not None and (next_due is None or due < next_due):
                next_due = due
    policy = state.policy
    name = compiled.policies[policy].name if policy >= 0 else None
    return TicketResult(ticket.id, name, next_due, tuple(rows))
