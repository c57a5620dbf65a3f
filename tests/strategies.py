"""Hypothesis strategies for sladsl syntax trees and contract texts.

Trees cover every node kind and every value type the grammar accepts; they
are not necessarily valid for the checker (an unknown metric or an impossible
date is fine), because the round trip is about syntax. Conditions come
flattened the way the parser builds them: no ``And`` directly inside an
``And``, no ``Or`` directly inside an ``Or``.

Example::

    from hypothesis import given
    from tests.strategies import contracts

    @given(contracts())
    def test_something(contract): ...
"""

from __future__ import annotations

import operator
import re
import string
from decimal import Decimal
from functools import cache

from hypothesis import strategies as st

from sladsl.syntax import ast
from sladsl.syntax.format import format_contract, is_bare_word
from sladsl.syntax.words import (
    BUILTIN_FIELDS,
    DAY_GROUPS,
    DECLARATION_KEYWORDS,
    DEFAULT_PRIORITIES,
    KEYWORDS,
    METRICS,
    MONTHS,
    ORDINALS,
    RESERVED_WORDS,
    STATUSES,
    TICKET_TYPES,
    WEEKDAYS,
)

# Names are identifiers; keywords are left out so that a failure points at a
# real problem rather than at a keyword used as a name (a separate question).
_NOT_NAMES = RESERVED_WORDS | set(DECLARATION_KEYWORDS) | {"easter", "rrule"}

# One-line text: no line breaks of any kind (a string or comment ends at the
# line's end), no surrogates; quotes and backslashes on purpose.
_CHARS = st.characters(
    exclude_categories=("Cc", "Cs", "Zl", "Zp"),
    include_characters='"\\\t',
)
line_texts = st.text(_CHARS, max_size=16)

_FIRST = string.ascii_letters + "_"
_REST = _FIRST + string.digits
# Plain text strategies instead of from_regex: several times faster to draw.
_random_identifiers = st.builds(
    operator.add, st.sampled_from(_FIRST), st.text(st.sampled_from(_REST), max_size=10)
)
identifiers = st.one_of(
    st.sampled_from(
        ["office", "us", "emea", "vip", "general", "_x", "a1", "Night_Desk", "mon", "dec"]
    ),
    _random_identifiers,
).filter(lambda s: s not in _NOT_NAMES)


@cache
def names() -> st.SearchStrategy[ast.Name]:
    """Declaration and reference names."""
    return identifiers.map(ast.Name)


@cache
def texts() -> st.SearchStrategy[ast.Text]:
    """Quoted strings, escapes included."""
    return st.one_of(
        st.sampled_from(["America/New_York", "Tier 2", 'say "hi"', "back\\slash", ""]),
        line_texts,
    ).map(ast.Text)


@cache
def titles() -> st.SearchStrategy[ast.Text | None]:
    return st.none() | texts()


# ---------------------------------------------------------------- value texts


@cache
def durations() -> st.SearchStrategy[ast.Duration]:
    """Durations: well-formed ones mostly, and some the checker (not the grammar) rejects."""

    @st.composite
    def valid(draw: st.DrawFn) -> str:
        units = draw(st.lists(st.sampled_from("wdhms"), min_size=1, max_size=5, unique=True))
        ordered = sorted(units, key="wdhms".index)
        return "".join(f"{draw(st.integers(0, 999))}{u}" for u in ordered)

    odd = st.sampled_from(["4hours", "30m1h", "0s", "1x", "2d"])
    return st.one_of(valid(), odd).map(ast.Duration)


@cache
def clock_texts() -> st.SearchStrategy[str]:
    return st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 29), st.integers(0, 69))


@cache
def dates() -> st.SearchStrategy[ast.DateLit]:
    return st.builds(
        lambda y, m, d: ast.DateLit(f"{y:04d}-{m:02d}-{d:02d}"),
        st.integers(1900, 2199),
        st.integers(1, 13),
        st.integers(1, 32),
    )


@cache
def time_ranges() -> st.SearchStrategy[ast.TimeRange]:
    return st.builds(ast.TimeRange, clock_texts(), clock_texts())


@cache
def day_ranges() -> st.SearchStrategy[ast.DayRange]:
    single = st.sampled_from(list(WEEKDAYS) + list(DAY_GROUPS)).map(ast.DayRange)
    pair = st.builds(ast.DayRange, st.sampled_from(WEEKDAYS), st.sampled_from(WEEKDAYS))
    return single | pair


# ---------------------------------------------------------------- holidays


@cache
def holiday_rules() -> st.SearchStrategy[ast.HolidayRule]:
    """Every kind of holiday rule."""
    months = st.sampled_from(MONTHS).map(ast.Name)
    weekdays = st.sampled_from(WEEKDAYS).map(ast.Name)
    day_texts = st.integers(1, 31).flatmap(lambda d: st.sampled_from([str(d), f"{d:02d}"]))
    rrules = st.one_of(
        st.sampled_from(
            ["FREQ=YEARLY;BYMONTH=10;BYMONTHDAY=3", "FREQ=YEARLY;BYDAY=4TH;BYMONTH=11"]
        ),
        line_texts,
    ).map(ast.Text)
    return st.one_of(
        st.builds(ast.HolidayDate, dates()),
        st.builds(ast.HolidayRange, dates(), dates()),
        st.builds(ast.HolidayYearly, months, day_texts, st.booleans()),
        st.builds(ast.HolidayNthWeekday, st.sampled_from(list(ORDINALS)), weekdays, months),
        st.builds(ast.HolidayEaster, st.integers(-60, 60)),
        st.builds(ast.HolidayRRule, rrules),
    )


@cache
def holiday_lines() -> st.SearchStrategy[ast.HolidayLine]:
    return st.builds(ast.HolidayLine, holiday_rules(), titles())


@cache
def holiday_lists() -> st.SearchStrategy[ast.HolidayListDecl]:
    return st.builds(
        ast.HolidayListDecl, names(), titles(), st.lists(holiday_lines(), max_size=4).map(tuple)
    )


# ---------------------------------------------------------------- calendars


@cache
def calendar_lines() -> st.SearchStrategy[ast.CalendarLine]:
    """Every kind of calendar line."""
    ranges = st.lists(time_ranges(), min_size=1, max_size=3).map(tuple)
    return st.one_of(
        st.builds(ast.TimezoneLine, texts()),
        st.builds(
            ast.WeeklyHoursLine, st.lists(day_ranges(), min_size=1, max_size=3).map(tuple), ranges
        ),
        st.builds(ast.DateHoursLine, dates(), ranges),
        holiday_lines(),
        st.builds(ast.UseHolidays, names()),
        st.builds(ast.Include, names()),
    )


@cache
def calendars() -> st.SearchStrategy[ast.CalendarDecl]:
    return st.builds(
        ast.CalendarDecl, names(), titles(), st.lists(calendar_lines(), max_size=5).map(tuple)
    )


# ---------------------------------------------------------------- conditions

_BARE_EXTRAS = [
    "email",
    "calendar",
    "hours",
    "policy",
    "mon-fri",
    "easter-2",
    "v1.2",
    "a..b",
    "_",
    "observed",
    "every",
    "urgent",
    *STATUSES,
    *TICKET_TYPES,
]


@cache
def values() -> st.SearchStrategy[ast.Value]:
    """Condition literals of every type, quoted and bare strings included."""
    bare = st.one_of(
        st.sampled_from(_BARE_EXTRAS),
        st.builds(
            operator.add,
            st.sampled_from(_FIRST),
            st.text(st.sampled_from(_REST + ".-"), max_size=10),
        ),
    ).filter(is_bare_word)
    numbers = st.one_of(
        st.builds(
            lambda sign, whole, frac: Decimal(f"{sign}{whole}{frac}"),
            st.sampled_from(["", "-"]),
            st.integers(0, 999_999),
            st.sampled_from(["", ".0", ".5", ".25", ".125", ".0001", ".50"]),
        ),
        st.decimals(min_value=-(10**6), max_value=10**6, allow_nan=False, allow_infinity=False),
    )
    return st.one_of(
        bare.map(lambda s: ast.Value(s, quoted=False)),
        st.one_of(bare, line_texts, st.sampled_from(sorted(RESERVED_WORDS))).map(
            lambda s: ast.Value(s, quoted=True)
        ),
        # Unquoted in the tree but not writable bare: the formatter must quote it.
        st.sampled_from(["Tier 2", "and", "set", "9lives", ""]).map(ast.Value),
        numbers.map(ast.Value),
        st.booleans().map(ast.Value),
    )


@cache
def field_refs() -> st.SearchStrategy[ast.FieldRef]:
    builtin = st.sampled_from(BUILTIN_FIELDS).map(ast.FieldRef)
    custom = st.one_of(st.sampled_from(["Plan tier", "Seats"]), line_texts).map(
        lambda n: ast.FieldRef(n, custom=True)
    )
    return builtin | custom


_SINGLE_OPS = ["is", "is not", "has", "<", "<=", ">", ">="]
_LIST_OPS = ["in", "not in", "has any", "has all"]
_NO_VALUE_OPS = ["is set", "is not set"]


@st.composite
def field_tests(draw: st.DrawFn) -> ast.FieldTest:
    """A single test with every operator."""
    field = draw(field_refs())
    op = draw(st.sampled_from(_SINGLE_OPS + _LIST_OPS + _NO_VALUE_OPS))
    value: ast.Value | tuple[ast.Value, ...] | None
    if op in _SINGLE_OPS:
        value = draw(values())
    elif op in _LIST_OPS:
        value = tuple(draw(st.lists(values(), min_size=1, max_size=4)))
    else:
        value = None
    return ast.FieldTest(field, op, value)  # type: ignore[arg-type]


@cache
def conditions(max_leaves: int = 6) -> st.SearchStrategy[ast.Condition]:
    """Nested conditions with ``not``/``and``/``or``, flattened as the parser builds them."""

    def extend(children: st.SearchStrategy[ast.Condition]) -> st.SearchStrategy[ast.Condition]:
        not_and = children.filter(lambda c: not isinstance(c, ast.And))
        not_or = children.filter(lambda c: not isinstance(c, ast.Or))
        return st.one_of(
            children.map(ast.Not),
            st.lists(not_and, min_size=2, max_size=3).map(lambda ops: ast.And(tuple(ops))),
            st.lists(not_or, min_size=2, max_size=3).map(lambda ops: ast.Or(tuple(ops))),
        )

    return st.recursive(field_tests(), extend, max_leaves=max_leaves)


# ---------------------------------------------------------------- policies


@cache
def priority_names() -> st.SearchStrategy[ast.Name]:
    return st.one_of(st.sampled_from(DEFAULT_PRIORITIES).map(ast.Name), names())


@cache
def target_lines() -> st.SearchStrategy[ast.TargetLine]:
    """Bare, per-priority and (checker-invalid) mixed targets, with and without a clock."""
    metric = st.one_of(st.sampled_from(METRICS).map(ast.Name), names())
    bare = st.builds(ast.Target, st.none(), durations()).map(lambda t: (t,))
    per_priority = st.lists(
        st.builds(ast.Target, priority_names(), durations()), min_size=1, max_size=4
    ).map(tuple)
    mixed = st.lists(
        st.builds(ast.Target, st.none() | priority_names(), durations()), min_size=2, max_size=3
    ).map(tuple)
    clock = st.sampled_from([None, "business", "calendar"])
    return st.builds(ast.TargetLine, metric, st.one_of(bare, per_priority, mixed), clock)


@cache
def policy_lines() -> st.SearchStrategy[ast.PolicyLine]:
    return st.one_of(
        st.builds(ast.When, conditions()),
        st.builds(ast.UseCalendar, names()),
        target_lines(),
    )


@cache
def policies() -> st.SearchStrategy[ast.PolicyDecl]:
    return st.builds(
        ast.PolicyDecl, names(), titles(), st.lists(policy_lines(), max_size=5).map(tuple)
    )


@cache
def priority_decls() -> st.SearchStrategy[ast.PrioritiesDecl]:
    return st.lists(priority_names(), min_size=1, max_size=5).map(
        lambda ns: ast.PrioritiesDecl(tuple(ns))
    )


@cache
def declarations() -> st.SearchStrategy[ast.Declaration]:
    return st.one_of(priority_decls(), holiday_lists(), calendars(), policies())


@cache
def contracts(max_declarations: int = 4) -> st.SearchStrategy[ast.Contract]:
    """Whole contracts (without comments: see :func:`commented_texts`).

    Every factory here is cached: building a strategy once matters, because
    hypothesis validates each new strategy object on first use.
    """
    return st.lists(declarations(), max_size=max_declarations).map(
        lambda ds: ast.Contract(tuple(ds))
    )


# ---------------------------------------------------------------- texts


@cache
def comment_texts() -> st.SearchStrategy[str]:
    """``#`` and the rest of a line, without trailing blanks (the formatter drops them)."""
    return line_texts.map(lambda t: ("#" + t).rstrip())


@st.composite
def commented_texts(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A generated contract's text, re-laid out untidily and with comments
    sprinkled everywhere: before lines (at random indentation), at their end,
    and at the end of the file. Returns the text and its comments in order.
    """
    contract = draw(contracts(max_declarations=3))
    comments: list[str] = []
    out: list[str] = []
    for line in format_contract(contract).splitlines():
        for _ in range(draw(st.integers(0, 2))):
            comment = draw(comment_texts())
            comments.append(comment)
            out.append(" " * draw(st.integers(0, 6)) + comment)
        if draw(st.integers(0, 4)) == 0:
            out.append(" " * draw(st.integers(0, 3)))  # a blank (or blank-looking) line
        indent = draw(st.sampled_from(["", " ", "\t", "        "]))
        text = indent + line.strip() + " " * draw(st.integers(0, 2))
        if draw(st.booleans()):
            comment = draw(comment_texts())
            comments.append(comment)
            text += draw(st.sampled_from(["", " ", "   "])) + comment
        out.append(text)
    for _ in range(draw(st.integers(0, 2))):
        comment = draw(comment_texts())
        comments.append(comment)
        out.append(comment)
    return "\n".join(out) + draw(st.sampled_from(["", "\n", "\n\n"])), comments


# ---------------------------------------------------------------- fuzzing

_TOKEN = re.compile(r'\s+|"(?:[^"\\\n]|\\.)*"?|#[^\n]*|[A-Za-z0-9_.:+\-]+|.', re.S)
_INSERTS = [
    *KEYWORDS,
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    ",",
    ":",
    "..",
    "<",
    "<=",
    ">",
    ">=",
    '"',
    "\\",
    "#",
    "\n",
    "1h",
    "4hours",
    "2026-02-30",
    "25:00",
    "09:00-17:00",
    "mon-fri",
    "easter+1",
    '"unterminated',
    '"bad \\q escape"',
    "-1.5",
    "\ufeff",
    "\u2028",
    "\x00",
    "😀",
    "é",
]


def tokens_of(text: str) -> list[str]:
    """Rough tokens (whitespace kept as tokens) for mutating a contract's text."""
    return _TOKEN.findall(text)


@st.composite
def mutated_texts(draw: st.DrawFn, base: st.SearchStrategy[str] | None = None) -> str:
    """A contract's text with a few random token or character edits:
    deletions, duplications, swaps, inserted keywords or punctuation, random
    unicode, and (sometimes) very deep parentheses or ``not`` chains.

    ``base`` gives the texts to mutate; by default, generated contracts.
    """
    source = draw(base) if base is not None else format_contract(draw(contracts(3)))
    tokens = tokens_of(source)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "unicode", "char"]))
        where = draw(st.integers(0, len(tokens)))
        if kind == "insert" or not tokens:
            tokens.insert(where, draw(st.sampled_from(_INSERTS)))
        elif kind == "unicode":
            tokens.insert(where, draw(st.text(max_size=4)))
        else:
            where = min(where, len(tokens) - 1)
            if kind == "delete":
                del tokens[where]
            elif kind == "duplicate":
                tokens.insert(where, tokens[where])
            elif kind == "swap":
                other = draw(st.integers(0, len(tokens) - 1))
                tokens[where], tokens[other] = tokens[other], tokens[where]
            else:
                token = tokens[where]
                cut = draw(st.integers(0, len(token)))
                tokens[where] = token[:cut] + draw(st.text(max_size=1)) + token[cut + 1 :]
    text = "".join(tokens)
    if draw(st.integers(0, 5)) == 0:
        depth = draw(st.sampled_from([50, 500, 5000]))
        test = draw(st.sampled_from(["tags has x", "not " * depth + "tags has x"]))
        opener = draw(st.sampled_from(["(", "not (", "not "]))
        text += f"\npolicy deep {{\n    when {opener * depth}{test}{')' * depth}\n}}\n"
    return text
