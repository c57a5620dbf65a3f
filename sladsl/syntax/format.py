"""The canonical layout of a contract, with its comments put back in place.

There is exactly one layout: 4-space indentation, one line per calendar,
holiday-list or policy line, one blank line between declarations, ``{`` on
the declaration line. Conditions get only the parentheses that precedence
(``not`` > ``and`` > ``or``) requires. Nothing is ever wrapped: a long
condition stays on its line, so a line's comment has one obvious home.

Comments come back by position (the parser records their spans):

* a comment alone on its line goes before the line or declaration it
  preceded, at that line's indentation; one at the end of a block stays
  before the block's ``}``; those after the last declaration stay at the end;
* a comment after code on the same line stays at the end of that line;
* a comment inside a line that spans several source lines goes on its own
  line just before it (a formatted line has room for one trailing comment).

Blank lines inside blocks and between comments are kept (at most one); a
declaration is always preceded by exactly one.

Example::

    >>> from sladsl.syntax import ast
    >>> policy = ast.PolicyDecl(ast.Name("general"), None, (
    ...     ast.TargetLine(ast.Name("first_reply_time"), (
    ...         ast.Target(None, ast.Duration("4h")),)),))
    >>> print(format_contract(ast.Contract((policy,))), end="")
    policy general {
        first_reply_time: 4h
    }
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Literal

import attrs

from sladsl.syntax import ast
from sladsl.syntax.words import RESERVED_WORDS

INDENT = "    "
_BARE_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*\Z")

# Binding strength: a child needs parentheses when it binds more loosely than
# its context requires.
_OR, _AND, _NOT, _ATOM = 1, 2, 3, 4


# ---------------------------------------------------------------- leaves


def quote(text: str) -> str:
    """``text`` as a sladsl string literal (only ``"`` and ``\\`` are escaped).

    Example::

        >>> print(quote('say "hi" \\\\ bye'))
        "say \\"hi\\" \\\\ bye"
    """
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def is_bare_word(text: str) -> bool:
    """Whether ``text`` can be written unquoted as a value in a condition.

    Example::

        >>> is_bare_word("email"), is_bare_word("and"), is_bare_word("Tier 2")
        (True, False, False)
    """
    return _BARE_WORD.match(text) is not None and text not in RESERVED_WORDS


def format_number(number: Decimal) -> str:
    """A number as the grammar spells it: never with an exponent.

    Example::

        >>> format_number(Decimal("1E+3")), format_number(Decimal("-2.50"))
        ('1000', '-2.50')
    """
    if not number.is_finite():
        raise ValueError(f"cannot write the number {number} in a contract")
    return format(number, "f")


def format_value(value: ast.Value) -> str:
    """A condition literal: as the author quoted it, when that is still valid.

    Example::

        >>> format_value(ast.Value("email")), format_value(ast.Value("email", quoted=True))
        ('email', '"email"')
    """
    raw = value.value
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, Decimal):
        return format_number(raw)
    if isinstance(raw, int):  # tolerated in hand-built trees
        return str(raw)
    if not value.quoted and is_bare_word(raw):
        return raw
    return quote(raw)


def _title(title: ast.Text | None) -> str:
    return "" if title is None else " " + quote(title.value)


def _days(days: tuple[ast.DayRange, ...]) -> str:
    # No spaces inside the day list: `mon,wed-fri`, as the spec writes it.
    return ",".join(d.first if d.last is None else f"{d.first}-{d.last}" for d in days)


def _ranges(ranges: tuple[ast.TimeRange, ...]) -> str:
    return ", ".join(f"{r.start}-{r.end}" for r in ranges)


# ---------------------------------------------------------------- conditions


def format_condition(condition: ast.Condition) -> str:
    """A condition on one line, with only the parentheses precedence needs.

    Example::

        >>> a = ast.FieldTest(ast.FieldRef("brand"), "is", ast.Value("Acme", quoted=True))
        >>> b = ast.FieldTest(ast.FieldRef("assignee"), "is set", None)
        >>> c = ast.FieldTest(ast.FieldRef("Seats", custom=True), ">=", ast.Value(Decimal(100)))
        >>> format_condition(ast.And((ast.Or((a, b)), ast.Not(c))))
        '(brand is "Acme" or assignee is set) and not field "Seats" >= 100'
    """
    return _condition(condition, 0)


def _condition(condition: ast.Condition, context: int) -> str:
    if isinstance(condition, ast.Or):
        # A nested Or keeps its parentheses: the parser flattens `a or b or c`,
        # so dropping them would build a different (if equivalent) tree.
        text, strength = " or ".join(_condition(o, _AND) for o in condition.operands), _OR
    elif isinstance(condition, ast.And):
        text, strength = " and ".join(_condition(o, _NOT) for o in condition.operands), _AND
    elif isinstance(condition, ast.Not):
        text, strength = "not " + _condition(condition.operand, _NOT), _NOT
    else:
        text, strength = _field_test(condition), _ATOM
    return f"({text})" if strength < context else text


def _field_test(test: ast.FieldTest) -> str:
    field = f"field {quote(test.field.name)}" if test.field.custom else test.field.name
    value = test.value
    if value is None:
        return f"{field} {test.op}"
    if isinstance(value, tuple):
        return f"{field} {test.op} [{', '.join(format_value(v) for v in value)}]"
    return f"{field} {test.op} {format_value(value)}"


# ---------------------------------------------------------------- lines


def _holiday_rule(rule: ast.HolidayRule) -> str:
    if isinstance(rule, ast.HolidayDate):
        return rule.date.text
    if isinstance(rule, ast.HolidayRange):
        return f"{rule.first.text} .. {rule.last.text}"
    if isinstance(rule, ast.HolidayYearly):
        observed = " observed" if rule.observed else ""
        return f"every {rule.month.value} {rule.day}{observed}"
    if isinstance(rule, ast.HolidayNthWeekday):
        return f"every {rule.ordinal} {rule.weekday.value} of {rule.month.value}"
    if isinstance(rule, ast.HolidayEaster):
        return f"every easter{rule.offset:+d}"
    return f"rrule {quote(rule.rule.value)}"


def _holiday_line(line: ast.HolidayLine) -> str:
    return _holiday_rule(line.rule) + _title(line.title)


def _target_line(line: ast.TargetLine) -> str:
    targets = ", ".join(
        t.duration.text if t.priority is None else f"{t.priority.value} {t.duration.text}"
        for t in line.targets
    )
    clock = "" if line.clock is None else f" in {line.clock} hours"
    return f"{line.metric.value}: {targets}{clock}"


def format_line(line: ast.CalendarLine | ast.PolicyLine) -> str:
    """One calendar or policy line, without indentation.

    Example::

        >>> format_line(ast.WeeklyHoursLine((ast.DayRange("mon", "fri"),),
        ...     (ast.TimeRange("08:00", "12:00"), ast.TimeRange("13:00", "17:30"))))
        'hours mon-fri 08:00-12:00, 13:00-17:30'
    """
    if isinstance(line, ast.TimezoneLine):
        return f"timezone {quote(line.zone.value)}"
    if isinstance(line, ast.WeeklyHoursLine):
        return f"hours {_days(line.days)} {_ranges(line.ranges)}"
    if isinstance(line, ast.DateHoursLine):
        return f"hours {line.date.text} {_ranges(line.ranges)}"
    if isinstance(line, ast.HolidayLine):
        return "holiday " + _holiday_line(line)
    if isinstance(line, ast.UseHolidays):
        return f"holidays {line.name.value}"
    if isinstance(line, ast.Include):
        return f"include {line.name.value}"
    if isinstance(line, ast.When):
        return "when " + format_condition(line.condition)
    if isinstance(line, ast.UseCalendar):
        return f"calendar {line.name.value}"
    return _target_line(line)


# ---------------------------------------------------------------- layout

SlotKind = Literal["open", "line", "close", "single"]


@attrs.frozen
class _Slot:
    """One output line and the source region it came from."""

    kind: SlotKind
    text: str
    depth: int
    start: int
    end: int
    line: int
    end_line: int


def _slot(kind: SlotKind, text: str, depth: int, span: ast.Span) -> _Slot:
    return _Slot(kind, text, depth, span.start, span.end, span.line, span.end_line)


def _header_span(decl: ast.HolidayListDecl | ast.CalendarDecl | ast.PolicyDecl) -> ast.Span:
    last = decl.title.span if decl.title is not None else decl.name.span
    whole = decl.span
    if last.end <= whole.start:  # a hand-built tree: no positions to speak of
        return whole
    return ast.Span(whole.start, last.end, whole.line, whole.col, last.end_line, last.end_col)


def _close_span(decl: ast.Declaration) -> ast.Span:
    end = decl.span
    start = max(end.end - 1, end.start)
    col = max(end.end_col - 1, 1)
    return ast.Span(start, end.end, end.end_line, col, end.end_line, end.end_col)


def _slots(contract: ast.Contract) -> Iterator[_Slot]:
    for decl in contract.declarations:
        if isinstance(decl, ast.PrioritiesDecl):
            names = ", ".join(n.value for n in decl.names)
            yield _slot("single", f"priorities {names}", 0, decl.span)
            continue
        keyword = {
            ast.HolidayListDecl: "holidays",
            ast.CalendarDecl: "calendar",
            ast.PolicyDecl: "policy",
        }[type(decl)]
        header = f"{keyword} {decl.name.value}{_title(decl.title)} {{"
        yield _slot("open", header, 0, _header_span(decl))
        for line in decl.lines:
            if isinstance(line, ast.HolidayLine) and isinstance(decl, ast.HolidayListDecl):
                text = _holiday_line(line)
            else:
                text = format_line(line)
            yield _slot("line", text, 1, line.span)
        yield _slot("close", "}", 0, _close_span(decl))


@attrs.define
class _Placement:
    leading: list[list[ast.Comment]]
    trailing: list[ast.Comment | None]
    at_end: list[ast.Comment]


def _place_comments(slots: list[_Slot], comments: tuple[ast.Comment, ...]) -> _Placement:
    placement = _Placement([[] for _ in slots], [None] * len(slots), [])
    starts = [s.start for s in slots]
    for comment in sorted(comments, key=lambda c: c.span.start):
        pos = comment.span.start
        after = bisect.bisect_right(starts, pos)  # first slot starting after the comment
        if after > 0:
            before = slots[after - 1]
            if before.start < pos < before.end:
                # Inside a line written over several source lines.
                placement.leading[after - 1].append(comment)
                continue
            if before.end_line == comment.span.line and placement.trailing[after - 1] is None:
                placement.trailing[after - 1] = comment
                continue
        if after < len(slots):
            placement.leading[after].append(comment)
        else:
            placement.at_end.append(comment)
    return placement


def _comment_text(comment: ast.Comment) -> str:
    return comment.text.rstrip()


class _Writer:
    """Collects output lines; blank lines never double up, never lead the file."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def blank(self) -> None:
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def write(self, depth: int, text: str, trailing: ast.Comment | None = None) -> None:
        if trailing is not None:
            text = f"{text}  {_comment_text(trailing)}"
        self.lines.append(INDENT * depth + text)

    def text(self) -> str:
        return "\n".join(self.lines) + "\n" if self.lines else ""


def format_contract(contract: ast.Contract) -> str:
    """The contract in the canonical layout, comments in place; ends with a newline.

    Example::

        >>> cal = ast.CalendarDecl(ast.Name("office"), ast.Text("Office"), (
        ...     ast.TimezoneLine(ast.Text("America/New_York")),
        ...     ast.WeeklyHoursLine((ast.DayRange("mon", "fri"),),
        ...                         (ast.TimeRange("09:00", "20:00"),))))
        >>> print(format_contract(ast.Contract((cal,))), end="")
        calendar office "Office" {
            timezone "America/New_York"
            hours mon-fri 09:00-20:00
        }
    """
    slots = list(_slots(contract))
    placed = _place_comments(slots, contract.comments)
    out = _Writer()
    previous_end = 0  # last source line already accounted for
    block_start = False  # just after a `{`: no blank line here

    def gap(line: int) -> bool:
        return line - previous_end >= 2

    index = 0
    while index < len(slots):
        slot = slots[index]
        starts_decl = slot.kind in ("open", "single")
        comment_depth = 0 if starts_decl else 1
        for k, comment in enumerate(placed.leading[index]):
            first_of_decl = starts_decl and k == 0
            if first_of_decl or (gap(comment.span.line) and not block_start):
                out.blank()
            out.write(comment_depth, _comment_text(comment))
            previous_end = comment.span.line
            block_start = False
        if starts_decl:
            if not placed.leading[index] or gap(slot.line):
                out.blank()
        elif slot.kind == "line" and gap(slot.line) and not block_start:
            out.blank()
        if (
            slot.kind == "open"
            and placed.trailing[index] is None
            and slots[index + 1].kind == "close"
            and not placed.leading[index + 1]
        ):
            # An empty block without comments inside stays on one line.
            close = slots[index + 1]
            out.write(0, slot.text + "}", placed.trailing[index + 1])
            previous_end = close.end_line
            block_start = False
            index += 2
            continue
        out.write(slot.depth, slot.text, placed.trailing[index])
        previous_end = max(slot.end_line, previous_end)
        block_start = slot.kind == "open"
        index += 1
    for comment in placed.at_end:
        if gap(comment.span.line):
            out.blank()
        out.write(0, _comment_text(comment))
        previous_end = comment.span.line
    return out.text()


def format_text(text: str, filename: str = "<string>") -> str:
    """Parse ``text`` and return it in the canonical layout.

    Raises :class:`sladsl.ContractError` (with the syntax diagnostics) when it
    does not parse; checker errors do not stop formatting.

    Example::

        >>> print(format_text("policy  p{first_reply_time:4h # soon\\n}"), end="")
        policy p {
            first_reply_time: 4h  # soon
        }
    """
    from sladsl.errors import ContractError
    from sladsl.syntax.parser import parse

    contract, diagnostics = parse(text, filename)
    if contract is None:
        raise ContractError(diagnostics)
    return format_contract(contract)
