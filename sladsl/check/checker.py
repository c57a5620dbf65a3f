"""The checker: every SLA2xx-SLA4xx problem in a parsed contract, all collected.

Passes, each in its own module: ``names`` (declaration tables, duplicates,
the priority scale, unused declarations), ``calendars`` (values, time zones,
includes, RRULEs), ``policies`` (targets, durations, reachability) and
``conditions``. Each pass reports into a shared :class:`Context` and never
stops at the first problem.

Example::

    >>> from sladsl.syntax import ast
    >>> policy = ast.PolicyDecl(ast.Name("p"), None, (ast.UseCalendar(ast.Name("ofice")),))
    >>> [(d.code, d.line) for d in check_contract(ast.Contract((policy,)), "x.sla")]
    [('SLA202', 1), ('SLA411', 1)]
"""

from __future__ import annotations

from sladsl.check.calendars import check_calendars
from sladsl.check.context import Context
from sladsl.check.diagnostics import Diagnostic, sort_key
from sladsl.check.names import collect_declarations, report_unused
from sladsl.check.policies import check_policies
from sladsl.syntax import ast


def check_contract(contract: ast.Contract, filename: str) -> list[Diagnostic]:
    """Every name, calendar, policy and condition problem of ``contract``, sorted by position.

    Never raises: a contract the parser produced always gets a list back.

    >>> check_contract(ast.Contract(()), "empty.sla")
    []
    """
    ctx = Context(filename)
    collect_declarations(contract, ctx)
    check_calendars(contract, ctx)
    check_policies(contract, ctx)
    report_unused(contract, ctx)
    return sorted(ctx.diagnostics, key=sort_key)
