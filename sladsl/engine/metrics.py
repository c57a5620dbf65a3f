"""The metric rule table: the single source of truth for metric semantics.

Each metric of SEMANTICS.md §3 is one :class:`MetricRule` row saying, as
data, which ticket events start, stop and resume its instances, which
statuses pause it, whether it runs once or once per cycle, and which other
metrics it must not overlap. The evaluator (``sladsl.engine.evaluate``) is
one generic instance engine that reads these rows; there is no code specific
to a metric anywhere else.

Events are small integers used as bit flags, so a rule's "starts on" and
"stops on" are sets that cost one ``&`` to test in the hot loop.

How an update is applied (SEMANTICS.md §2), as the engine does it:

1. **Fields.** The ``set`` changes are applied; the policy is re-matched and
   the targets after this update are known. ``CREATED`` (the first update)
   and ``REOPENED`` (``solved`` -> ``new``/``open``/``pending``/``hold``) are
   raised here; the pause state of every running instance follows the new
   status.
2. **Solve.** ``SOLVED`` is raised when the status becomes ``solved`` or
   ``closed`` from neither (at creation: when the creating update leaves it
   so).
3. **Comment.** ``CUSTOMER_REPLY`` / ``AGENT_REPLY`` for public comments. A
   step-3 event starts nothing on an update that leaves the ticket solved or
   closed (it still stops instances, and still counts as having happened).

For each raised event, in the order of :data:`EVENT_ORDER`, the engine first
stops the running instances of the rules whose ``stop_on`` has it, then
resumes the stopped instances of the rules whose ``resume_on`` has it, then
starts new instances of the rules whose ``start_on`` has it. A start is
skipped when the rule is ``repeat=False`` and already had an instance, when
an event of its ``never_after`` happened at an earlier update, or when an
instance of the rule itself or of a rule in the same ``exclusive`` group is
running (rows earlier in the table are considered first, so a row wins over
the rows after it for the same event).

Contract-defined metrics (roadmap) fit the same shape: a rule built from
the contract's ``start on`` / ``stop on`` / ``pause while`` / ``repeat``
clauses; a "condition becomes true" event would be one more event bit
raised in step 1 from a compiled predicate, and ``paused_while`` would grow
from a status set into a predicate over the fields.

Example::

    >>> rule = rule_for("pausable_update")
    >>> bool(rule.start_on & AGENT_REPLY), sorted(rule.paused_while), rule.repeat
    (True, ['pending'], True)
"""

from __future__ import annotations

from typing import TypeAlias

import attrs

from sladsl.syntax.words import METRICS, STATUSES

# ----------------------------------------------------------------- events

CREATED = 1
REOPENED = 2
SOLVED = 4
CUSTOMER_REPLY = 8
AGENT_REPLY = 16

# Processing order within one update: step 1, step 2, step 3.
EVENT_ORDER: tuple[int, ...] = (CREATED, REOPENED, SOLVED, CUSTOMER_REPLY, AGENT_REPLY)

EVENT_NAMES: dict[int, str] = {
    CREATED: "created",
    REOPENED: "reopened",
    SOLVED: "solved",
    CUSTOMER_REPLY: "customer reply",
    AGENT_REPLY: "agent reply",
}

# Events of step 3: on an update that leaves the ticket solved or closed they
# start nothing (SEMANTICS.md §2 step 3 and the periodic_update row).
COMMENT_EVENTS = CUSTOMER_REPLY | AGENT_REPLY

# Statuses in which the ticket counts as solved (§2 step 2).
FINAL_STATUSES: frozenset[str] = frozenset({"solved", "closed"})
# Statuses that reopen a solved ticket (§2): closed is final.
REOPEN_STATUSES: frozenset[str] = frozenset({"new", "open", "pending", "hold"})


def event_names(events: int) -> list[str]:
    """The names of the events in a bit set, in processing order.

    >>> event_names(SOLVED | AGENT_REPLY)
    ['solved', 'agent reply']
    """
    return [EVENT_NAMES[e] for e in EVENT_ORDER if events & e]


# ----------------------------------------------------------------- rules


def _statuses(values: frozenset[str]) -> frozenset[str]:
    unknown = values - set(STATUSES)
    if unknown:
        raise ValueError(f"unknown statuses in a pause set: {sorted(unknown)}")
    return values


@attrs.frozen
class MetricRule:
    """What drives one metric's instances (see the module docstring).

    ``start_on``, ``stop_on``, ``resume_on`` and ``never_after`` are event
    bit sets; ``paused_while`` is the set of statuses in which a running
    instance is paused; ``repeat`` False means at most one instance per
    ticket; ``exclusive`` names a group of rules that never run at the same
    time.
    """

    name: str
    start_on: int
    stop_on: int
    resume_on: int = 0
    paused_while: frozenset[str] = attrs.field(default=frozenset(), converter=_statuses)
    repeat: bool = False
    never_after: int = 0
    exclusive: str | None = None


_REPLY = "reply"
_UPDATE_STOPS = AGENT_REPLY | SOLVED

# SEMANTICS.md §3, row for row. Reading guide:
# - first_reply_time: a customer reply starts it unless an agent reply came
#   at an earlier update (never_after), and only once; it shares the "reply"
#   group with next_reply_time, so a customer reply that starts it cannot
#   also start next_reply_time.
# - next_reply_time: any later customer reply when no reply instance runs.
# - the update metrics: an agent reply stops the running cycle and starts
#   the next one (stops are processed before starts).
# - the resuming metrics: one instance from creation; a solve stops it, a
#   reopen resumes the same instance.
RULES: tuple[MetricRule, ...] = (
    MetricRule(
        "first_reply_time",
        start_on=CUSTOMER_REPLY,
        stop_on=AGENT_REPLY | SOLVED,
        never_after=AGENT_REPLY,
        exclusive=_REPLY,
    ),
    MetricRule(
        "next_reply_time",
        start_on=CUSTOMER_REPLY,
        stop_on=AGENT_REPLY | SOLVED,
        repeat=True,
        exclusive=_REPLY,
    ),
    MetricRule("periodic_update", start_on=AGENT_REPLY, stop_on=_UPDATE_STOPS, repeat=True),
    MetricRule(
        "pausable_update",
        start_on=AGENT_REPLY,
        stop_on=_UPDATE_STOPS,
        paused_while=frozenset({"pending"}),
        repeat=True,
    ),
    MetricRule(
        "requester_wait_time",
        start_on=CREATED,
        stop_on=SOLVED,
        resume_on=REOPENED,
        paused_while=frozenset({"pending"}),
    ),
    MetricRule(
        "agent_work_time",
        start_on=CREATED,
        stop_on=SOLVED,
        resume_on=REOPENED,
        paused_while=frozenset({"pending", "hold"}),
    ),
    MetricRule("total_resolution_time", start_on=CREATED, stop_on=SOLVED, resume_on=REOPENED),
)

assert tuple(r.name for r in RULES) == METRICS, "the rule table must follow words.METRICS"


def rule_for(name: str) -> MetricRule:
    """The built-in rule of a metric.

    >>> rule_for("total_resolution_time").resume_on == REOPENED
    True
    """
    for rule in RULES:
        if rule.name == name:
            return rule
    raise KeyError(name)


# ----------------------------------------------------------------- plan


@attrs.frozen
class EventActions:
    """Rule indexes (table order) that one event stops, resumes and starts."""

    event: int
    stops: tuple[int, ...]
    resumes: tuple[int, ...]
    starts: tuple[int, ...]
    # Starts are skipped when the update leaves the ticket solved or closed.
    gated: bool


# (event, stops, resumes, starts, gated): an EventActions as a plain tuple.
Action: TypeAlias = tuple[int, tuple[int, ...], tuple[int, ...], tuple[int, ...], bool]


@attrs.frozen
class RulePlan:
    """The rule table turned into lookups for the engine's hot loop.

    ``actions`` has one entry per event that any rule reacts to, in
    processing order; ``paused_by_status[status][i]`` says whether rule ``i``
    is paused in that status; ``blockers[i]`` are the rules whose running
    instance prevents rule ``i`` from starting (itself included).
    """

    rules: tuple[MetricRule, ...]
    names: tuple[str, ...]
    actions: tuple[EventActions, ...]
    # dispatch[events] = the actions that fire for that bit set, in order, as
    # plain (event, stops, resumes, starts, gated) tuples: one unpacking in the
    # hot loop instead of five attribute loads.
    dispatch: tuple[tuple[Action, ...], ...]
    paused_by_status: dict[str, tuple[bool, ...]]
    # Rules that some status pauses: the only ones a status change can affect.
    pausable: tuple[int, ...]
    blockers: tuple[tuple[int, ...], ...]
    repeat: tuple[bool, ...]
    never_after: tuple[int, ...]
    reacts_to: int


def plan_rules(rules: tuple[MetricRule, ...] = RULES) -> RulePlan:
    """Precompute the engine's lookups for a rule table.

    >>> plan = plan_rules()
    >>> [a.event for a in plan.actions] == list(EVENT_ORDER)
    True
    >>> plan.blockers[1]
    (1, 0)
    """
    actions = []
    reacts = 0
    for event in EVENT_ORDER:
        stops = tuple(i for i, r in enumerate(rules) if r.stop_on & event)
        resumes = tuple(i for i, r in enumerate(rules) if r.resume_on & event)
        starts = tuple(i for i, r in enumerate(rules) if r.start_on & event)
        if stops or resumes or starts:
            actions.append(
                EventActions(event, stops, resumes, starts, gated=bool(event & COMMENT_EVENTS))
            )
            reacts |= event
    blockers = tuple(
        (
            i,
            *(
                j
                for j, other in enumerate(rules)
                if j != i and rule.exclusive is not None and other.exclusive == rule.exclusive
            ),
        )
        for i, rule in enumerate(rules)
    )
    return RulePlan(
        rules=rules,
        names=tuple(r.name for r in rules),
        actions=tuple(actions),
        dispatch=tuple(
            tuple(
                (a.event, a.stops, a.resumes, a.starts, a.gated)
                for a in actions
                if a.event & events
            )
            for events in range(1 << len(EVENT_ORDER))
        ),
        pausable=tuple(i for i, r in enumerate(rules) if r.paused_while),
        paused_by_status={s: tuple(s in r.paused_while for r in rules) for s in STATUSES},
        blockers=blockers,
        repeat=tuple(r.repeat for r in rules),
        never_after=tuple(r.never_after for r in rules),
        reacts_to=reacts,
    )
