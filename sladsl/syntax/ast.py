"""The typed syntax tree of a sladsl contract.

Every node is a frozen attrs class. Each carries a :class:`Span` in its
``span`` attribute, which is excluded from equality and hashing: two contracts
that say the same thing in different layouts compare equal, which is what the
formatter's round-trip guarantee is stated in terms of.

No Lark type ever appears here; the parser translates everything.

Values that the language lexes permissively (durations, dates, clock times,
weekday and month names, ordinals) are kept as the text the author wrote, so
the checker can point at them and suggest a fix; ``sladsl.syntax.values``
turns checked text into numbers.

Example::

    >>> from sladsl.syntax.ast import Name, Span
    >>> Name("office") == Name("office", span=Span(0, 6, 1, 1, 1, 7))
    True
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal, TypeAlias

import attrs


@attrs.frozen(order=True)
class Span:
    """A region of source text.

    ``start``/``end`` are code-point offsets (end exclusive); lines and columns
    are 1-based and count code points; ``end_col`` is the column just after
    the last character (exclusive), as in Lark, LSP and SARIF.
    """

    start: int
    end: int
    line: int
    col: int
    end_line: int
    end_col: int


NO_SPAN = Span(0, 0, 1, 1, 1, 1)


def _span() -> Span:
    # Typed as the value it defaults to: to mypy's attrs plugin a call that is
    # not attrs.field() itself is just a default, which is what this is.
    field: Span = attrs.field(default=NO_SPAN, eq=False, repr=False, kw_only=True)
    return field


# ---------------------------------------------------------------- leaves


@attrs.frozen
class Name:
    """An identifier: a declaration's name or a reference to one."""

    value: str
    span: Span = _span()


@attrs.frozen
class Text:
    """A double-quoted string, unescaped (``value`` holds the real text)."""

    value: str
    span: Span = _span()


@attrs.frozen
class Duration:
    """A duration as written (``90m``, ``1h30m``); checked and converted later."""

    text: str
    span: Span = _span()


@attrs.frozen
class DateLit:
    """A ``YYYY-MM-DD`` date as written; may be impossible until checked."""

    text: str
    span: Span = _span()


@attrs.frozen
class TimeRange:
    """``HH:MM-HH:MM`` as written; ``start``/``end`` are the two clock texts."""

    start: str
    end: str
    span: Span = _span()


@attrs.frozen
class DayRange:
    """One item of a day list: ``mon``, ``mon-fri`` (``last`` set), ``daily``,
    ``weekdays`` or ``weekends`` (``last`` is None for single words)."""

    first: str
    last: str | None = None
    span: Span = _span()


@attrs.frozen
class Comment:
    """A ``#`` comment (``text`` includes the ``#``). Kept for the formatter."""

    text: str
    span: Span = _span()


# ---------------------------------------------------------------- priorities


@attrs.frozen
class PrioritiesDecl:
    """``priorities urgent, high, normal, low`` (highest first)."""

    names: tuple[Name, ...]
    span: Span = _span()


# ---------------------------------------------------------------- holidays


@attrs.frozen
class HolidayDate:
    """``holiday 2026-12-25``."""

    date: DateLit
    span: Span = _span()


@attrs.frozen
class HolidayRange:
    """``holiday 2026-12-25 .. 2026-12-26`` (inclusive)."""

    first: DateLit
    last: DateLit
    span: Span = _span()


@attrs.frozen
class HolidayYearly:
    """``every dec 25 [observed]``; ``month`` and ``day`` as written."""

    month: Name
    day: str
    observed: bool = False
    span: Span = _span()


@attrs.frozen
class HolidayNthWeekday:
    """``every 3rd mon of jan`` / ``every last mon of may``.

    ``ordinal`` is the text as written (``1st``..``5th`` or ``last``)."""

    ordinal: str
    weekday: Name
    month: Name
    span: Span = _span()


@attrs.frozen
class HolidayEaster:
    """``every easter-2``: ``offset`` days after Western Easter Sunday."""

    offset: int
    span: Span = _span()


@attrs.frozen
class HolidayRRule:
    """``rrule "FREQ=YEARLY;..."``: an RFC 5545 RRULE, counted from 1970-01-01."""

    rule: Text
    span: Span = _span()


HolidayRule: TypeAlias = (
    HolidayDate | HolidayRange | HolidayYearly | HolidayNthWeekday | HolidayEaster | HolidayRRule
)


@attrs.frozen
class HolidayLine:
    """One holiday rule with its optional title (inside a calendar or a list)."""

    rule: HolidayRule
    title: Text | None = None
    span: Span = _span()


@attrs.frozen
class HolidayListDecl:
    """``holidays NAME ["title"] { RULE ["title"] ... }`` at top level."""

    name: Name
    title: Text | None
    lines: tuple[HolidayLine, ...]
    span: Span = _span()


# ---------------------------------------------------------------- calendars


@attrs.frozen
class TimezoneLine:
    """``timezone "America/New_York"``."""

    zone: Text
    span: Span = _span()


@attrs.frozen
class WeeklyHoursLine:
    """``hours mon-fri 09:00-12:00, 13:00-17:00``."""

    days: tuple[DayRange, ...]
    ranges: tuple[TimeRange, ...]
    span: Span = _span()


@attrs.frozen
class DateHoursLine:
    """``hours 2026-12-24 08:00-12:00``: replaces that date's weekly hours."""

    date: DateLit
    ranges: tuple[TimeRange, ...]
    span: Span = _span()


@attrs.frozen
class UseHolidays:
    """``holidays NAME`` inside a calendar."""

    name: Name
    span: Span = _span()


@attrs.frozen
class Include:
    """``include NAME``: copy another calendar's hours, overrides and holidays."""

    name: Name
    span: Span = _span()


CalendarLine: TypeAlias = (
    TimezoneLine | WeeklyHoursLine | DateHoursLine | HolidayLine | UseHolidays | Include
)


@attrs.frozen
class CalendarDecl:
    """``calendar NAME ["title"] { ... }``."""

    name: Name
    title: Text | None
    lines: tuple[CalendarLine, ...]
    span: Span = _span()


# ---------------------------------------------------------------- conditions

ScalarValue: TypeAlias = str | Decimal | bool


@attrs.frozen
class Value:
    """A literal in a condition: a string (quoted or bare), a number or a boolean.

    ``quoted`` only remembers how a string was written, so the formatter can
    keep the author's choice; it does not take part in equality.
    """

    # Compared with its type: Python's `True == 1 == Decimal(1)` must not make
    # `is true` and `is 1` the same condition (they are not: DATA.md).
    value: ScalarValue = attrs.field(eq=lambda v: (type(v).__name__, v))
    quoted: bool = attrs.field(default=False, eq=False)
    span: Span = _span()


@attrs.frozen
class FieldRef:
    """A ticket field: a built-in name (``priority``) or ``field "Plan tier"``."""

    name: str
    custom: bool = False
    span: Span = _span()


FieldTestOp: TypeAlias = Literal[
    "is",
    "is not",
    "in",
    "not in",
    "is set",
    "is not set",
    "has",
    "has any",
    "has all",
    "<",
    "<=",
    ">",
    ">=",
]


@attrs.frozen
class FieldTest:
    """``FIELD OP [VALUE | [VALUES]]``.

    ``value`` is a single :class:`Value` for ``is``/``is not``/``has``/
    orderings, a tuple for ``in``/``not in``/``has any``/``has all``, and None
    for ``is set``/``is not set``.
    """

    field: FieldRef
    op: FieldTestOp
    value: Value | tuple[Value, ...] | None
    span: Span = _span()


@attrs.frozen
class Not:
    operand: Condition
    span: Span = _span()


@attrs.frozen
class And:
    """Two or more operands (the parser flattens ``a and b and c``)."""

    operands: tuple[Condition, ...]
    span: Span = _span()


@attrs.frozen
class Or:
    """Two or more operands (the parser flattens ``a or b or c``)."""

    operands: tuple[Condition, ...]
    span: Span = _span()


Condition: TypeAlias = FieldTest | Not | And | Or


# ---------------------------------------------------------------- policies


@attrs.frozen
class When:
    """``when CONDITION``; a policy's ``when`` lines must all hold."""

    condition: Condition
    span: Span = _span()


@attrs.frozen
class UseCalendar:
    """``calendar NAME`` inside a policy."""

    name: Name
    span: Span = _span()


@attrs.frozen
class Target:
    """One target on a target line: ``urgent 30m`` or a bare ``4h``
    (``priority`` None)."""

    priority: Name | None
    duration: Duration
    span: Span = _span()


Clock: TypeAlias = Literal["business", "calendar"]


@attrs.frozen
class TargetLine:
    """``METRIC: TARGETS [in business|calendar hours]``; ``clock`` is None when
    no suffix is written."""

    metric: Name
    targets: tuple[Target, ...]
    clock: Clock | None = None
    span: Span = _span()


PolicyLine: TypeAlias = When | UseCalendar | TargetLine


@attrs.frozen
class PolicyDecl:
    """``policy NAME ["title"] { ... }``."""

    name: Name
    title: Text | None
    lines: tuple[PolicyLine, ...]
    span: Span = _span()


# ---------------------------------------------------------------- contract

Declaration: TypeAlias = PrioritiesDecl | HolidayListDecl | CalendarDecl | PolicyDecl


@attrs.frozen
class Contract:
    """A whole ``.sla`` file: its declarations in file order.

    ``comments`` are kept (outside equality) so the formatter can put them
    back where they were.
    """

    declarations: tuple[Declaration, ...]
    comments: tuple[Comment, ...] = attrs.field(default=(), eq=False)
    span: Span = _span()

    @property
    def calendars(self) -> tuple[CalendarDecl, ...]:
        return tuple(d for d in self.declarations if isinstance(d, CalendarDecl))

    @property
    def holiday_lists(self) -> tuple[HolidayListDecl, ...]:
        return tuple(d for d in self.declarations if isinstance(d, HolidayListDecl))

    @property
    def policies(self) -> tuple[PolicyDecl, ...]:
        return tuple(d for d in self.declarations if isinstance(d, PolicyDecl))

    @property
    def priorities(self) -> PrioritiesDecl | None:
        """The first ``priorities`` declaration, if any."""
        for d in self.declarations:
            if isinstance(d, PrioritiesDecl):
                return d
        return None
