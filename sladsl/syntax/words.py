"""The language's fixed vocabulary, in one place.

The grammar, the checker, the formatter, the Pygments lexer and the tests all
read these constants, so a word is added or renamed here once.
"""

from __future__ import annotations

# Words that can never be a bare value in a condition (LANGUAGE.md, lexical rules).
RESERVED_WORDS: frozenset[str] = frozenset(
    {"and", "or", "not", "is", "in", "has", "any", "all", "set", "field", "true", "false"}
)

# Keywords of declarations: keywords only where the grammar expects them.
DECLARATION_KEYWORDS: tuple[str, ...] = (
    "priorities",
    "calendar",
    "holidays",
    "holiday",
    "policy",
    "timezone",
    "hours",
    "include",
    "every",
    "observed",
    "of",
    "last",
    "rrule",
    "when",
    "business",
    "daily",
    "weekdays",
    "weekends",
)

# Everything a highlighter should show as a keyword.
KEYWORDS: tuple[str, ...] = tuple(sorted(set(DECLARATION_KEYWORDS) | RESERVED_WORDS))

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MONTHS: tuple[str, ...] = (
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "oct",
    "nov",
    "dec",
)
# Day-list words that stand for several weekdays (indexes into WEEKDAYS).
DAY_GROUPS: dict[str, tuple[int, ...]] = {
    "daily": (0, 1, 2, 3, 4, 5, 6),
    "weekdays": (0, 1, 2, 3, 4),
    "weekends": (5, 6),
}
ORDINALS: dict[str, int] = {"1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5, "last": -1}

STATUSES: tuple[str, ...] = ("new", "open", "pending", "hold", "solved", "closed")
TICKET_TYPES: tuple[str, ...] = ("question", "incident", "problem", "task")
DEFAULT_PRIORITIES: tuple[str, ...] = ("urgent", "high", "normal", "low")

# Built-in ticket fields usable in conditions (custom ones are `field "..."`).
BUILTIN_FIELDS: tuple[str, ...] = (
    "priority",
    "status",
    "type",
    "channel",
    "group",
    "assignee",
    "organization",
    "brand",
    "form",
    "requester",
    "tags",
)

# The seven built-in metrics, in the order of SEMANTICS.md's metric table,
# which is also the order results list them in.
METRICS: tuple[str, ...] = (
    "first_reply_time",
    "next_reply_time",
    "periodic_update",
    "pausable_update",
    "requester_wait_time",
    "agent_work_time",
    "total_resolution_time",
)
