"""Names and references: declaration tables, duplicates, the priority scale, unused declarations.

Example::

    >>> from sladsl.check.context import Context
    >>> from sladsl.syntax import ast
    >>> ctx = Context("x.sla")
    >>> contract = ast.Contract((ast.CalendarDecl(ast.Name("a"), None, ()),
    ...                          ast.CalendarDecl(ast.Name("a"), None, ())))
    >>> collect_declarations(contract, ctx)
    >>> [d.code for d in ctx.diagnostics]
    ['SLA201']
"""

from __future__ import annotations

from sladsl.check.context import Context, sub_span
from sladsl.syntax import ast

_KIND = {
    ast.CalendarDecl: "calendar",
    ast.HolidayListDecl: "holiday list",
    ast.PolicyDecl: "policy",
}


def collect_declarations(contract: ast.Contract, ctx: Context) -> None:
    """Fill the name tables of ``ctx`` and report duplicate names and a bad priority scale.

    A duplicate is reported at its second occurrence; the first declaration
    is the one references resolve to.

    >>> ctx = Context("x.sla")
    >>> collect_declarations(ast.Contract((ast.PrioritiesDecl((ast.Name("p1"),)),)), ctx)
    >>> ctx.priorities
    ('p1',)
    """
    scale: ast.PrioritiesDecl | None = None
    for decl in contract.declarations:
        if isinstance(decl, ast.PrioritiesDecl):
            if scale is None:
                scale = decl
            else:
                ctx.report(
                    "SLA209",
                    sub_span(decl.span, 0, len("priorities")),
                    "priorities declared more than once",
                    hint=f"the scale is declared at line {scale.span.line}; keep one declaration",
                )
            continue
        first = _declare(decl, ctx)
        if first is not None:
            kind = _KIND[type(decl)]
            ctx.report(
                "SLA201",
                decl.name.span,
                f"duplicate {kind} name {decl.name.value!r}",
                hint=f"the {kind} {decl.name.value!r} is already declared at line "
                f"{first.name.span.line}; rename one of them",
            )
    if scale is not None:
        ctx.priorities = _scale(scale, ctx)


def _declare(
    decl: ast.CalendarDecl | ast.HolidayListDecl | ast.PolicyDecl, ctx: Context
) -> ast.CalendarDecl | ast.HolidayListDecl | ast.PolicyDecl | None:
    """Enter ``decl`` in its table; returns the earlier declaration of its name, if any."""
    name = decl.name.value
    if isinstance(decl, ast.CalendarDecl):
        if name in ctx.calendars:
            return ctx.calendars[name]
        ctx.calendars[name] = decl
        return None
    if isinstance(decl, ast.HolidayListDecl):
        if name in ctx.holiday_lists:
            return ctx.holiday_lists[name]
        ctx.holiday_lists[name] = decl
        return None
    if name in ctx.policies:
        return ctx.policies[name]
    ctx.policies[name] = decl
    return None


def _scale(decl: ast.PrioritiesDecl, ctx: Context) -> tuple[str, ...]:
    seen: dict[str, ast.Name] = {}
    for name in decl.names:
        if name.value in seen:
            ctx.report(
                "SLA210",
                name.span,
                f"priority {name.value!r} listed twice in the scale",
                hint="list each priority once, highest first",
            )
        else:
            seen[name.value] = name
    return tuple(seen)


def report_unused(contract: ast.Contract, ctx: Context) -> None:
    """Warn about calendars and holiday lists that nothing uses (an ``include`` is a use).

    Only the first declaration of a name is considered: a duplicate is an
    error already.

    >>> ctx = Context("x.sla")
    >>> contract = ast.Contract((ast.HolidayListDecl(ast.Name("h"), None, ()),))
    >>> collect_declarations(contract, ctx)
    >>> report_unused(contract, ctx)
    >>> [d.code for d in ctx.diagnostics]
    ['SLA212']
    """
    used_calendars: set[str] = set()
    used_lists: set[str] = set()
    for decl in contract.declarations:
        if isinstance(decl, ast.PolicyDecl):
            for line in decl.lines:
                if isinstance(line, ast.UseCalendar):
                    used_calendars.add(line.name.value)
        elif isinstance(decl, ast.CalendarDecl):
            for cal_line in decl.lines:
                # Including yourself is a cycle (SLA304), not a use.
                if isinstance(cal_line, ast.Include) and cal_line.name.value != decl.name.value:
                    used_calendars.add(cal_line.name.value)
                elif isinstance(cal_line, ast.UseHolidays):
                    used_lists.add(cal_line.name.value)
    for name, calendar in ctx.calendars.items():
        if name not in used_calendars:
            ctx.report(
                "SLA211",
                calendar.name.span,
                f"calendar {name!r} is never used",
                hint="name it in a policy (`calendar NAME`) or an `include`, or delete it",
            )
    for name, holiday_list in ctx.holiday_lists.items():
        if name not in used_lists:
            ctx.report(
                "SLA212",
                holiday_list.name.span,
                f"holiday list {name!r} is never used",
                hint=f"use it in a calendar with `holidays {name}`, or delete it",
            )
