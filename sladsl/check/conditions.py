"""Conditions: known fields, tests that make sense for the field, values from closed vocabularies.

Which test goes with which field:

- ``tags`` takes ``has``, ``has any`` and ``has all``. ``tags is set`` is
  always true and ``tags is not set`` always false (tags is never unset, it is
  the empty set): allowed, with warning SLA413; the same for ``status``,
  which is never null. Other tests on tags are SLA408.
- built-in fields hold text: a number or boolean compared with one (or
  looked for in tags) never matches: warning SLA413 at the value.
- other built-in fields take ``is``, ``is not``, ``in``, ``not in``,
  ``is set`` and ``is not set``; ``has...`` and the orderings are SLA408.
- custom fields (``field "..."``) take those and the orderings, whose value
  must be a number (SLA407); ``has...`` is SLA408.
- values of ``priority``, ``status`` and ``type`` must be a declared
  priority, a status or a ticket type (SLA205, SLA206, SLA207).

Example::

    >>> from sladsl.check.context import Context
    >>> from sladsl.syntax import ast
    >>> ctx = Context("x.sla")
    >>> check_condition(ast.FieldTest(ast.FieldRef("status"), "is", ast.Value("opne")), ctx)
    >>> [(d.code, d.hint) for d in ctx.diagnostics]
    [('SLA206', "did you mean 'open'?")]
"""

from __future__ import annotations

from decimal import Decimal

from sladsl.check.context import Context, one_of, suggest
from sladsl.syntax import ast
from sladsl.syntax.words import BUILTIN_FIELDS, STATUSES, TICKET_TYPES

_TAG_TESTS = frozenset({"has", "has any", "has all"})
_ORDERINGS = frozenset({"<", "<=", ">", ">="})
_SET_TESTS = frozenset({"is set", "is not set"})
_EQUALITY = frozenset({"is", "is not", "in", "not in"})
_VOCABULARY_FIELDS = frozenset({"priority", "status", "type"})
# Fields that always have a value (DATA.md): `is set` on them is constant.
_NEVER_UNSET = {
    "tags": (
        "tags is never unset, only empty",
        "to test for no tags write `not tags has any [...]` with the tags you mean",
    ),
    "status": ("every ticket has a status", "test a status with `status is ...`"),
}


def check_condition(condition: ast.Condition, ctx: Context) -> None:
    """Report every problem in one condition tree (all field tests, however nested).

    >>> ctx = Context("x.sla")
    >>> check_condition(ast.FieldTest(ast.FieldRef("tags"), "is set", None), ctx)
    >>> [d.code for d in ctx.diagnostics]
    ['SLA413']
    """
    # An explicit stack: conditions can nest deeper than Python's recursion limit.
    stack: list[ast.Condition] = [condition]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.FieldTest):
            _check_test(node, ctx)
        elif isinstance(node, ast.Not):
            stack.append(node.operand)
        elif isinstance(node, ast.And | ast.Or):
            stack.extend(reversed(node.operands))


def _values(test: ast.FieldTest) -> tuple[ast.Value, ...]:
    if test.value is None:
        return ()
    if isinstance(test.value, ast.Value):
        return (test.value,)
    return tuple(test.value)


def _check_test(test: ast.FieldTest, ctx: Context) -> None:
    field = test.field
    op = test.op
    if field.custom:
        if op in _TAG_TESTS:
            message = f'`{op}` works only on tags, not on field "{field.name}"'
            _not_allowed(test, message, ctx, "use `is` or `in [...]`")
        elif op in _ORDERINGS:
            for value in _values(test):
                if not _is_number(value.value):
                    ctx.report(
                        "SLA407",
                        value.span,
                        f"`{op}` needs a number, not {_show(value)}",
                        hint="orderings hold only for numbers; use `is` to compare text",
                    )
        return
    if field.name not in BUILTIN_FIELDS:
        ctx.report(
            "SLA208",
            field.span,
            f"unknown field {field.name!r}",
            hint=suggest(field.name, BUILTIN_FIELDS)
            or f'for a custom field write field "{field.name}"',
        )
        return
    if op in _SET_TESTS and field.name in _NEVER_UNSET:
        reason, hint = _NEVER_UNSET[field.name]
        constant = "true" if op == "is set" else "false"
        ctx.report(
            "SLA413", test.span, f"`{field.name} {op}` is always {constant}: {reason}", hint=hint
        )
        return
    if field.name == "tags":
        if op in _TAG_TESTS:
            _check_text_values("tags", _values(test), ctx)
        elif op not in _SET_TESTS:
            message = f"tags is a set: test it with has, has any or has all, not `{op}`"
            tag_hints = {
                "is": "write `tags has V`",
                "is not": "write `not tags has V`",
                "in": "write `tags has any [...]`",
                "not in": "write `not tags has any [...]`",
            }
            _not_allowed(test, message, ctx, tag_hints.get(op))
        return
    if op in _TAG_TESTS:
        hint = "use `is` or `in [...]`"
        _not_allowed(test, f"`{op}` works only on tags, not on {field.name}", ctx, hint)
        return
    if op in _ORDERINGS:
        _not_allowed(
            test, f'`{op}` works only on custom fields (field "..."), not on {field.name}', ctx
        )
        return
    if op in _EQUALITY:
        if field.name in _VOCABULARY_FIELDS:
            _check_vocabulary(field.name, _values(test), ctx)
        else:
            _check_text_values(field.name, _values(test), ctx)


def _check_text_values(field: str, values: tuple[ast.Value, ...], ctx: Context) -> None:
    # Built-in fields hold text (DATA.md) and comparisons are typed, so a
    # number or boolean never equals them; it is almost always a missing pair of quotes.
    for value in values:
        if not isinstance(value.value, str):
            shown = _show(value)
            ctx.report(
                "SLA413",
                value.span,
                f"{field} holds text, so the {_kind(value)} {shown} never matches it",
                hint=f'write "{shown}" to compare with the text {shown}',
            )


def _check_vocabulary(field: str, values: tuple[ast.Value, ...], ctx: Context) -> None:
    if field == "priority":
        code, options, what = "SLA205", ctx.priorities, "priority"
    elif field == "status":
        code, options, what = "SLA206", STATUSES, "status"
    elif field == "type":
        code, options, what = "SLA207", TICKET_TYPES, "ticket type"
    else:
        return
    for value in values:
        if isinstance(value.value, str) and value.value in options:
            continue
        plural = {"priority": "priorities", "status": "statuses", "ticket type": "ticket types"}
        hint = one_of(str(value.value), options, plural[what])
        ctx.report(code, value.span, f"unknown {what} {_show(value)}", hint=hint)


def _not_allowed(test: ast.FieldTest, message: str, ctx: Context, hint: str | None = None) -> None:
    ctx.report("SLA408", test.span, message, hint=hint)


def _kind(value: ast.Value) -> str:
    return "boolean" if isinstance(value.value, bool) else "number"


def _is_number(value: ast.ScalarValue) -> bool:
    return isinstance(value, Decimal) and not isinstance(value, bool)


def _show(value: ast.Value) -> str:
    if isinstance(value.value, bool):
        return "true" if value.value else "false"
    if isinstance(value.value, Decimal):
        return str(value.value)
    return repr(value.value)
