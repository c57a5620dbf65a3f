"""The AST builder that Lark runs while it parses (an embedded transformer).

Lark calls one method per grammar rule (or alias) on each reduction, with the
rule's children: tokens (``keep_all_tokens`` keeps keywords, so every span
can start at its keyword) and what earlier calls returned. Building the AST
during the parse instead of walking a parse tree afterwards is about twice as
fast, and it never recurses, so deeply nested conditions cannot overflow the
stack.

Conditions travel as :class:`_Cond` while parsing: the span including any
parentheses around them (the AST keeps no node for parentheses) and the
nesting depth, which ``when`` checks against :data:`MAX_DEPTH`.

Example::

    >>> text_value('"say \\\\"hi\\\\""')
    'say "hi"'
"""

from __future__ import annotations

import re
import threading
from decimal import Decimal
from typing import Any, TypeAlias

from sladsl.syntax import ast

# Lark types token positions as optional; tokens from its lexer always have
# them, so the builder treats tokens as untyped rather than assert each one.
Tok: TypeAlias = Any

# Deeper conditions are reported (SLA105) rather than built: nobody writes 64
# levels on purpose, and bounded depth keeps every later recursive pass safe.
MAX_DEPTH = 64

_ESCAPE = re.compile(r'\\(["\\])')


def token_span(tok: Tok) -> ast.Span:
    """The span of one Lark token."""
    return ast.Span(tok.start_pos, tok.end_pos, tok.line, tok.column, tok.end_line, tok.end_column)


def _join(first: ast.Span, last: ast.Span) -> ast.Span:
    return ast.Span(first.start, last.end, first.line, first.col, last.end_line, last.end_col)


def _between(first: Tok, last: Tok) -> ast.Span:
    return ast.Span(
        first.start_pos, last.end_pos, first.line, first.column, last.end_line, last.end_column
    )


def _span_of(item: Any) -> ast.Span:
    if isinstance(item, str):
        return token_span(item)
    span: ast.Span = item.span
    return span


def _outer(children: list[Any]) -> ast.Span:
    # Read the two ends in place: building a Span for each end first would
    # triple the allocations on the hottest path of the parse.
    first = children[0]
    last = children[-1]
    tok: Tok
    if isinstance(first, str):  # a token
        tok = first
        start, line, col = tok.start_pos, tok.line, tok.column
    else:
        span = first.span
        start, line, col = span.start, span.line, span.col
    if isinstance(last, str):
        tok = last
        return ast.Span(start, tok.end_pos, line, col, tok.end_line, tok.end_column)
    end = last.span
    return ast.Span(start, end.end, line, col, end.end_line, end.end_col)


def text_value(raw: str) -> str:
    """The text of a quoted string token: quotes removed, ``\\"`` and ``\\\\`` unescaped.

    Other backslashes stay as written; the lexer callback has reported them.
    """
    body = raw[1:-1]
    if "\\" in body:
        return _ESCAPE.sub(r"\1", body)
    return body


def _text(tok: Tok) -> ast.Text:
    return ast.Text(text_value(tok), span=token_span(tok))


def _name(tok: Tok) -> ast.Name:
    return ast.Name(str(tok), span=token_span(tok))


class _Cond:
    """A condition under construction: the node, its outer span, its depth."""

    __slots__ = ("depth", "node", "span")

    def __init__(self, node: ast.Condition, span: ast.Span, depth: int) -> None:
        self.node = node
        self.span = span
        self.depth = depth


class _Clock:
    __slots__ = ("kind", "span")

    def __init__(self, kind: ast.Clock, span: ast.Span) -> None:
        self.kind = kind
        self.span = span


class _Values:
    __slots__ = ("span", "values")

    def __init__(self, values: tuple[ast.Value, ...], span: ast.Span) -> None:
        self.values = values
        self.span = span


class Sink(threading.local):
    """Per-thread collection of what the lexer callbacks see during one parse.

    The Lark parser is built once per process, so its callbacks cannot close
    over a single parse; they write here instead, and ``parse`` resets it.
    """

    def __init__(self) -> None:
        self.comments: list[Tok] = []
        self.bad_escapes: list[tuple[Tok, int]] = []
        self.too_deep: list[ast.Span] = []
        self.out_of_range: list[Tok] = []

    def reset(self) -> None:
        self.comments = []
        self.bad_escapes = []
        self.too_deep = []
        self.out_of_range = []


SINK = Sink()


def on_comment(tok: Tok) -> Tok:
    SINK.comments.append(tok)
    return tok


def on_string(tok: Tok) -> Tok:
    if "\\" in tok:
        i = 1
        end = len(tok) - 1
        while i < end:
            if tok[i] == "\\":
                if tok[i + 1] not in '"\\':
                    SINK.bad_escapes.append((tok, i))
                i += 2
            else:
                i += 1
    return tok


def _op(op: ast.FieldTestOp) -> Any:
    def build(self: Builder, children: list[Any]) -> _Cond:
        field: ast.FieldRef = children[0]
        last = children[-1]
        value: ast.Value | tuple[ast.Value, ...] | None
        if isinstance(last, ast.Value):
            value = last
        elif isinstance(last, _Values):
            value = last.values
        else:
            value = None
        span = _join(field.span, _span_of(last))
        return _Cond(ast.FieldTest(field, op, value, span=span), span, 1)

    return build


class Builder:
    """Lark's embedded transformer: one method per rule or alias of the grammar."""

    # ---------------------------------------------------------- shared

    def title(self, c: list[Any]) -> ast.Text:
        return _text(c[0])

    def start(self, c: list[Any]) -> list[Any]:
        return c

    # ---------------------------------------------------------- priorities

    def priorities_decl(self, c: list[Any]) -> ast.PrioritiesDecl:
        names = tuple(_name(t) for t in c[1::2])
        return ast.PrioritiesDecl(names, span=_between(c[0], c[-1]))

    # ---------------------------------------------------------- holidays

    def holidays_decl(self, c: list[Any]) -> ast.HolidayListDecl:
        title = c[2] if isinstance(c[2], ast.Text) else None
        first_line = 4 if title is not None else 3
        return ast.HolidayListDecl(
            _name(c[1]), title, tuple(c[first_line:-1]), span=_between(c[0], c[-1])
        )

    def list_holiday(self, c: list[Any]) -> ast.HolidayLine:
        title = c[1] if len(c) > 1 else None
        return ast.HolidayLine(c[0], title, span=_outer(c))

    def holiday_line(self, c: list[Any]) -> ast.HolidayLine:
        title = c[2] if len(c) > 2 else None
        return ast.HolidayLine(c[1], title, span=_outer(c))

    def holiday_date(self, c: list[Any]) -> ast.HolidayDate:
        span = token_span(c[0])
        return ast.HolidayDate(ast.DateLit(str(c[0]), span=span), span=span)

    def holiday_range(self, c: list[Any]) -> ast.HolidayRange:
        first = ast.DateLit(str(c[0]), span=token_span(c[0]))
        last = ast.DateLit(str(c[2]), span=token_span(c[2]))
        return ast.HolidayRange(first, last, span=_join(first.span, last.span))

    def holiday_yearly(self, c: list[Any]) -> ast.HolidayYearly:
        observed = len(c) > 3
        return ast.HolidayYearly(_name(c[1]), str(c[2]), observed, span=_outer(c))

    def observed(self, c: list[Any]) -> Tok:
        tok: Tok = c[0]
        return tok

    def ordinal(self, c: list[Any]) -> Tok:
        tok: Tok = c[0]
        return tok

    def holiday_nth(self, c: list[Any]) -> ast.HolidayNthWeekday:
        return ast.HolidayNthWeekday(str(c[1]), _name(c[2]), _name(c[4]), span=_outer(c))

    def holiday_easter(self, c: list[Any]) -> ast.HolidayEaster:
        # The token is `easter+N` or `easter-N`; int() takes the sign. A
        # number too long for int() (or for any calendar) is a syntax error.
        digits = c[1][6:]
        if len(digits) > 8:  # the sign and seven digits
            SINK.out_of_range.append(c[1])
            return ast.HolidayEaster(0, span=_outer(c))
        return ast.HolidayEaster(int(digits), span=_outer(c))

    def holiday_rrule(self, c: list[Any]) -> ast.HolidayRRule:
        return ast.HolidayRRule(_text(c[1]), span=_outer(c))

    # ---------------------------------------------------------- calendars

    def calendar_decl(self, c: list[Any]) -> ast.CalendarDecl:
        title = c[2] if isinstance(c[2], ast.Text) else None
        first_line = 4 if title is not None else 3
        return ast.CalendarDecl(
            _name(c[1]), title, tuple(c[first_line:-1]), span=_between(c[0], c[-1])
        )

    def timezone_line(self, c: list[Any]) -> ast.TimezoneLine:
        return ast.TimezoneLine(_text(c[1]), span=_between(c[0], c[1]))

    def day_item(self, c: list[Any]) -> ast.DayRange:
        tok: Tok = c[0]
        span = token_span(tok)
        if tok.type == "DAYRANGE":
            first, _, last = tok.partition("-")
            return ast.DayRange(first, last, span=span)
        return ast.DayRange(str(tok), None, span=span)

    def weekly_hours(self, c: list[Any]) -> ast.WeeklyHoursLine:
        days = tuple(x for x in c if isinstance(x, ast.DayRange))
        tokens: list[Tok] = [x for x in c if not isinstance(x, ast.DayRange)]
        ranges = tuple(_time_range(x) for x in tokens if x.type == "TIMERANGE")
        return ast.WeeklyHoursLine(days, ranges, span=_outer(c))

    def date_hours(self, c: list[Any]) -> ast.DateHoursLine:
        date = ast.DateLit(str(c[1]), span=token_span(c[1]))
        ranges = tuple(_time_range(x) for x in c[2::2])
        return ast.DateHoursLine(date, ranges, span=_outer(c))

    def use_holidays(self, c: list[Any]) -> ast.UseHolidays:
        return ast.UseHolidays(_name(c[1]), span=_between(c[0], c[1]))

    def include(self, c: list[Any]) -> ast.Include:
        return ast.Include(_name(c[1]), span=_between(c[0], c[1]))

    # ---------------------------------------------------------- policies

    def policy_decl(self, c: list[Any]) -> ast.PolicyDecl:
        title = c[2] if isinstance(c[2], ast.Text) else None
        first_line = 4 if title is not None else 3
        return ast.PolicyDecl(
            _name(c[1]), title, tuple(c[first_line:-1]), span=_between(c[0], c[-1])
        )

    def when(self, c: list[Any]) -> ast.When:
        cond: _Cond = c[1]
        if cond.depth > MAX_DEPTH:
            SINK.too_deep.append(cond.span)
        return ast.When(cond.node, span=_join(token_span(c[0]), cond.span))

    def use_calendar(self, c: list[Any]) -> ast.UseCalendar:
        return ast.UseCalendar(_name(c[1]), span=_between(c[0], c[1]))

    def target_line(self, c: list[Any]) -> ast.TargetLine:
        last = c[-1]
        clock = last.kind if isinstance(last, _Clock) else None
        targets = tuple(x for x in c[2:] if isinstance(x, ast.Target))
        return ast.TargetLine(_name(c[0]), targets, clock, span=_outer(c))

    def target(self, c: list[Any]) -> ast.Target:
        duration = ast.Duration(str(c[-1]), span=token_span(c[-1]))
        if len(c) == 1:
            return ast.Target(None, duration, span=duration.span)
        return ast.Target(_name(c[0]), duration, span=_outer(c))

    def business_clock(self, c: list[Any]) -> _Clock:
        return _Clock("business", _outer(c))

    def calendar_clock(self, c: list[Any]) -> _Clock:
        return _Clock("calendar", _outer(c))

    # ---------------------------------------------------------- conditions

    def or_cond(self, c: list[Any]) -> _Cond:
        return _chain(ast.Or, c)

    def and_cond(self, c: list[Any]) -> _Cond:
        return _chain(ast.And, c)

    def negation(self, c: list[Any]) -> _Cond:
        inner: _Cond = c[1]
        span = _join(token_span(c[0]), inner.span)
        if inner.depth > MAX_DEPTH:
            # Too deep already (reported by `when`): stop building, so that no
            # structure deeper than the limit ever exists.
            return _Cond(inner.node, span, inner.depth + 1)
        return _Cond(ast.Not(inner.node, span=span), span, inner.depth + 1)

    def paren(self, c: list[Any]) -> _Cond:
        inner: _Cond = c[1]
        return _Cond(inner.node, _between(c[0], c[2]), inner.depth + 1)

    def builtin_field(self, c: list[Any]) -> ast.FieldRef:
        return ast.FieldRef(str(c[0]), False, span=token_span(c[0]))

    def custom_field(self, c: list[Any]) -> ast.FieldRef:
        return ast.FieldRef(text_value(c[1]), True, span=_between(c[0], c[1]))

    op_is = _op("is")
    op_is_not = _op("is not")
    op_in = _op("in")
    op_not_in = _op("not in")
    op_is_set = _op("is set")
    op_is_not_set = _op("is not set")
    op_has = _op("has")
    op_has_any = _op("has any")
    op_has_all = _op("has all")
    op_lt = _op("<")
    op_le = _op("<=")
    op_gt = _op(">")
    op_ge = _op(">=")

    def value_list(self, c: list[Any]) -> _Values:
        return _Values(tuple(c[1:-1:2]), _between(c[0], c[-1]))

    def value(self, c: list[Any]) -> ast.Value:
        tok: Tok = c[0]
        span = token_span(tok)
        kind = tok.type
        if kind == "STRING":
            return ast.Value(text_value(tok), True, span=span)
        if kind == "WORD":
            return ast.Value(str(tok), False, span=span)
        if kind == "NUMBER":
            return ast.Value(Decimal(str(tok)), False, span=span)
        return ast.Value(kind == "TRUE", False, span=span)


def _time_range(tok: Tok) -> ast.TimeRange:
    # TIMERANGE is exactly dd:dd-dd:dd, so the halves are at fixed offsets.
    return ast.TimeRange(tok[:5], tok[6:], span=token_span(tok))


def _chain(kind: type[ast.Or] | type[ast.And], c: list[Any]) -> _Cond:
    operands: list[ast.Condition] = []
    depth = 0
    for item in c[::2]:
        node = item.node
        # `(a or b) or c` means `a or b or c`: flattening keeps one shape per
        # meaning, so the formatter's round trip cannot change the tree.
        if type(node) is kind:
            operands.extend(node.operands)
        else:
            operands.append(node)
        if item.depth > depth:
            depth = item.depth
    span = _join(c[0].span, c[-1].span)
    if depth > MAX_DEPTH:
        return _Cond(c[0].node, span, depth + 1)
    return _Cond(kind(tuple(operands), span=span), span, depth + 1)
