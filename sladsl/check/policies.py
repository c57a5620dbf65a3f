"""Policies: the calendar line, target lines, durations, and policies that can never apply.

Example::

    >>> from sladsl.check.context import Context
    >>> from sladsl.syntax import ast
    >>> ctx = Context("x.sla")
    >>> line = ast.TargetLine(ast.Name("first_reply"), (ast.Target(None, ast.Duration("4h")),))
    >>> check_policies(ast.Contract((ast.PolicyDecl(ast.Name("p"), None, (line,)),)), ctx)
    >>> [(d.code, d.hint) for d in ctx.diagnostics]
    [('SLA204', "did you mean 'first_reply_time'?")]
"""

from __future__ import annotations

from functools import lru_cache

from sladsl.check.conditions import check_condition
from sladsl.check.context import Context, declared, one_of
from sladsl.syntax import ast
from sladsl.syntax.values import ValueProblem, parse_duration
from sladsl.syntax.words import METRICS

_DAY_UNITS = {"d": "day", "w": "week"}


def check_policies(contract: ast.Contract, ctx: Context) -> None:
    """Report every policy problem (SLA202 for policies, SLA204, SLA205, SLA4xx).

    >>> ctx = Context("x.sla")
    >>> check_policies(ast.Contract((ast.PolicyDecl(ast.Name("p"), None, ()),)), ctx)
    >>> [d.code for d in ctx.diagnostics]
    ['SLA411']
    """
    catch_all: ast.PolicyDecl | None = None
    for decl in contract.declarations:
        if not isinstance(decl, ast.PolicyDecl):
            continue
        if catch_all is not None:
            ctx.report(
                "SLA410",
                decl.name.span,
                f"policy {decl.name.value!r} can never apply: policy "
                f"{catch_all.name.value!r} before it has no `when` and matches every ticket",
                hint=f"move {decl.name.value!r} above {catch_all.name.value!r}, "
                f"or add a `when` to {catch_all.name.value!r}",
            )
        _check_policy(decl, ctx)
        if catch_all is None and not any(isinstance(line, ast.When) for line in decl.lines):
            catch_all = decl


def _check_policy(decl: ast.PolicyDecl, ctx: Context) -> None:
    has_calendar = False
    metrics: dict[str, ast.Name] = {}
    target_lines = 0
    for line in decl.lines:
        if isinstance(line, ast.When):
            check_condition(line.condition, ctx)
        elif isinstance(line, ast.UseCalendar):
            if has_calendar:
                ctx.report(
                    "SLA401",
                    line.span,
                    f"policy {decl.name.value!r} names a second calendar",
                    hint="a policy has at most one `calendar` line",
                )
                continue
            has_calendar = True
            if line.name.value not in ctx.calendars:
                ctx.report(
                    "SLA202",
                    line.name.span,
                    f"unknown calendar {line.name.value!r}",
                    hint=declared(line.name.value, ctx.calendars, "calendars"),
                )
    # The calendar line may come after the targets; what counts is whether there is one.
    for line in decl.lines:
        if isinstance(line, ast.TargetLine):
            target_lines += 1
            _check_target_line(line, has_calendar, metrics, ctx)
    if target_lines == 0:
        ctx.report(
            "SLA411",
            decl.name.span,
            f"policy {decl.name.value!r} sets no targets",
            hint="add a target line such as first_reply_time: 4h, or delete the policy",
        )


def _check_target_line(
    line: ast.TargetLine, has_calendar: bool, metrics: dict[str, ast.Name], ctx: Context
) -> None:
    metric = line.metric
    if metric.value not in METRICS:
        ctx.report(
            "SLA204",
            metric.span,
            f"unknown metric {metric.value!r}",
            hint=one_of(metric.value, METRICS, "metrics"),
        )
    elif metric.value in metrics:
        ctx.report(
            "SLA403",
            metric.span,
            f"metric {metric.value!r} is listed twice in this policy",
            hint=f"it is first listed at line {metrics[metric.value].span.line}; "
            "put every priority on one line",
        )
    else:
        metrics[metric.value] = metric
    if line.clock == "business" and not has_calendar:
        ctx.report(
            "SLA402",
            line.span,
            "`in business hours` in a policy without a calendar",
            hint="add a `calendar NAME` line, or drop `in business hours` (calendar hours count)",
        )
    business = has_calendar and line.clock != "calendar"

    if line.targets:
        bare = line.targets[0].priority is None
        for target in line.targets[1:]:
            if (target.priority is None) != bare:
                ctx.report(
                    "SLA404",
                    target.span,
                    "a target line mixes a bare duration with per-priority targets",
                    hint="give either one duration for every ticket, or PRIORITY DURATION pairs",
                )
                break
    seen: dict[str, ast.Name] = {}
    for target in line.targets:
        if target.priority is not None:
            _check_priority(target.priority, seen, ctx)
        _check_duration(target.duration, business, ctx)


def _check_priority(name: ast.Name, seen: dict[str, ast.Name], ctx: Context) -> None:
    if name.value not in ctx.priorities:
        ctx.report(
            "SLA205",
            name.span,
            f"unknown priority {name.value!r}",
            hint=one_of(name.value, ctx.priorities, "priorities"),
        )
    elif name.value in seen:
        ctx.report(
            "SLA409",
            name.span,
            f"priority {name.value!r} given twice on one target line",
            hint="give each priority one duration",
        )
    else:
        seen[name.value] = name


@lru_cache(maxsize=1024)
def _seconds(text: str) -> int | ValueProblem:
    # A large contract repeats a handful of durations thousands of times.
    try:
        return parse_duration(text)
    except ValueProblem as problem:
        return problem


def _check_duration(duration: ast.Duration, business: bool, ctx: Context) -> None:
    seconds = _seconds(duration.text)
    if isinstance(seconds, ValueProblem):
        ctx.report("SLA405", duration.span, seconds.message, hint=seconds.hint)
        return
    if seconds < 1:
        ctx.report(
            "SLA406",
            duration.span,
            f"target {duration.text} is shorter than 1s",
            hint="a target must be at least 1s",
        )
        return
    units = [u for u in _DAY_UNITS if u in duration.text]
    if business and units:
        hours = f"{seconds / 3600:g}"
        ctx.report(
            "SLA412",
            duration.span,
            f"{duration.text} counts business hours here ({hours} of them), not working days",
            hint=_day_hint(duration.text, hours),
        )


def _day_hint(text: str, hours: str) -> str:
    if text == "1d":
        return "1d here means 24 business hours, not one working day"
    if text == "1w":
        return "1w here means 168 business hours, not one working week"
    return f"{text} here means {hours} business hours, not {text} of working days"
