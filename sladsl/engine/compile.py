"""Compiling a checked contract into what the evaluator runs.

Everything that depends only on the contract is done here, once: policy
conditions become predicate objects (``sladsl.engine.conditions``), target
lines a lookup from (policy, priority) to one row of targets per metric, and
the metric rule table a plan for the engine's hot loop. The result is
immutable and picklable.

Targets are interned per policy: two lines of one policy with the same
duration and clock give the *same* :class:`Target` object, so the evaluator
tells "the same target" (SEMANTICS.md §4: same policy, duration and clock)
from a different one with ``is``.

Example::

    >>> from sladsl.syntax import ast
    >>> tree = ast.Contract((ast.PolicyDecl(ast.Name("p"), None, (
    ...     ast.TargetLine(ast.Name("first_reply_time"), (ast.Target(None, ast.Duration("4h")),)),
    ... )),))
    >>> cc = compile_contract(tree, {})
    >>> cc.target("p", "first_reply_time", None).seconds
    14400
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, Protocol

import attrs

from sladsl.engine.conditions import Predicate, compile_when, condition_keys
from sladsl.engine.metrics import RULES, MetricRule, RulePlan, plan_rules
from sladsl.syntax import ast
from sladsl.syntax.values import parse_duration
from sladsl.syntax.words import DEFAULT_PRIORITIES


class BusinessClock(Protocol):
    """What the engine needs of a business calendar (``BusinessCalendar``):
    integer methods on UTC epoch seconds."""

    @property
    def name(self) -> str | None: ...

    @property
    def zone(self) -> str: ...

    def between_seconds(self, a: int, b: int) -> int: ...

    def add_seconds(self, t: int, d: int) -> int: ...

    def is_open_at(self, t: int) -> bool: ...

    def next_open_at(self, t: int) -> int | None: ...

    def next_close_at(self, t: int) -> int | None: ...


ClockKind = Literal["business", "calendar"]


@attrs.frozen
class Target:
    """A target in effect: a duration on a clock, from a policy.

    ``calendar`` is the calendar's name for business hours and None for
    calendar hours; ``clock_calendar`` is the calendar object that counts it
    (None for calendar hours, which the engine counts with plain arithmetic).
    """

    policy: str
    seconds: int
    clock: ClockKind
    calendar: str | None
    clock_calendar: BusinessClock | None = attrs.field(eq=False, repr=False)


@attrs.frozen(eq=False)
class CompiledPolicy:
    """One policy: its match predicate (None: matches every ticket), its
    calendar, and its targets by priority (None: the ticket has none) as a
    tuple with one entry per metric, in rule-table order."""

    name: str
    index: int
    condition: Predicate | None
    calendar: str | None
    calendar_obj: BusinessClock | None = attrs.field(repr=False)
    targets: Mapping[str | None, tuple[Target | None, ...]] = attrs.field(repr=False)


@attrs.frozen(eq=False)
class CompiledContract:
    """A contract ready to evaluate tickets with
    :func:`sladsl.engine.evaluate.evaluate`.

    ``priorities`` is the priority scale (highest first); ``policies`` are in
    file order; ``condition_keys`` are the fields any condition reads;
    ``target_rows[i]`` maps a priority to policy ``i``'s targets, and
    ``target_rows[-1]`` (one past the last policy) is the row of "no policy".
    """

    priorities: tuple[str, ...]
    policies: tuple[CompiledPolicy, ...]
    rules: tuple[MetricRule, ...]
    plan: RulePlan = attrs.field(repr=False)
    condition_keys: frozenset[str] = attrs.field(repr=False)
    matchers: tuple[Predicate | None, ...] = attrs.field(repr=False)
    target_rows: tuple[Mapping[str | None, tuple[Target | None, ...]], ...] = attrs.field(
        repr=False
    )
    no_targets: tuple[None, ...] = attrs.field(repr=False)

    @property
    def metrics(self) -> tuple[str, ...]:
        """Metric names in result order."""
        return self.plan.names

    def policy(self, name: str) -> CompiledPolicy:
        """The compiled policy called ``name``."""
        for p in self.policies:
            if p.name == name:
                return p
        raise KeyError(name)

    def target(self, policy: str, metric: str, priority: str | None) -> Target | None:
        """The target that ``policy`` gives ``metric`` at ``priority`` (None
        for a ticket without priority), or None.

        Example: ``cc.target("vip", "first_reply_time", "urgent").seconds``.
        """
        row = self.policy(policy).targets.get(priority)
        if row is None:
            return None
        return row[self.plan.names.index(metric)]

    def match(self, fields: Mapping[str, object]) -> int:
        """Index of the first policy whose conditions hold for ``fields``, or -1."""
        for i, cond in enumerate(self.matchers):
            if cond is None or cond(fields):
                return i
        return -1


def _policy_targets(
    decl: ast.PolicyDecl,
    calendar: str | None,
    calendar_obj: BusinessClock | None,
    priorities: tuple[str, ...],
    metric_index: Mapping[str, int],
) -> dict[str | None, tuple[Target | None, ...]]:
    name = decl.name.value
    interned: dict[tuple[int, str], Target] = {}
    rows: dict[str | None, list[Target | None]] = {
        p: [None] * len(metric_index) for p in (*priorities, None)
    }
    for line in decl.lines:
        if not isinstance(line, ast.TargetLine):
            continue
        index = metric_index[line.metric.value]
        business = calendar is not None and line.clock != "calendar"
        for target in line.targets:
            seconds = parse_duration(target.duration.text)
            key = (seconds, "business" if business else "calendar")
            t = interned.get(key)
            if t is None:
                t = Target(
                    policy=name,
                    seconds=seconds,
                    clock=key[1],  # type: ignore[arg-type]
                    calendar=calendar if business else None,
                    clock_calendar=calendar_obj if business else None,
                )
                interned[key] = t
            if target.priority is None:
                for row in rows.values():
                    row[index] = t
            else:
                rows[target.priority.value][index] = t
    return {p: tuple(row) for p, row in rows.items()}


def compile_contract(
    contract: ast.Contract,
    calendars: Mapping[str, BusinessClock],
    rules: tuple[MetricRule, ...] = RULES,
) -> CompiledContract:
    """Compile a checked contract (no errors) with its compiled calendars.

    ``rules`` is the metric rule table; it defaults to the seven built-in
    metrics (``sladsl.engine.metrics.RULES``).

    Example::

        cc = compile_contract(tree, compile_calendars(tree))
        result = evaluate(cc, ticket, now)
    """
    declared = contract.priorities
    priorities = (
        tuple(n.value for n in declared.names) if declared is not None else DEFAULT_PRIORITIES
    )
    plan = plan_rules(rules)
    metric_index = {name: i for i, name in enumerate(plan.names)}
    policies: list[CompiledPolicy] = []
    keys: set[str] = set()
    for decl in contract.policies:
        whens = [line.condition for line in decl.lines if isinstance(line, ast.When)]
        for cond in whens:
            keys |= condition_keys(cond)
        uses = [line for line in decl.lines if isinstance(line, ast.UseCalendar)]
        calendar = uses[0].name.value if uses else None
        calendar_obj = calendars[calendar] if calendar is not None else None
        policies.append(
            CompiledPolicy(
                name=decl.name.value,
                index=len(policies),
                condition=compile_when(whens),
                calendar=calendar,
                calendar_obj=calendar_obj,
                targets=_policy_targets(decl, calendar, calendar_obj, priorities, metric_index),
            )
        )
    no_targets: tuple[None, ...] = (None,) * len(rules)
    no_row = {p: no_targets for p in (*priorities, None)}
    return CompiledContract(
        priorities=priorities,
        policies=tuple(policies),
        rules=rules,
        plan=plan,
        condition_keys=frozenset(keys),
        matchers=tuple(p.condition for p in policies),
        target_rows=(*(p.targets for p in policies), no_row),
        no_targets=no_targets,
    )
