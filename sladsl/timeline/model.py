"""The ticket timeline after validation: what the evaluator consumes.

These are NamedTuples rather than attrs classes on purpose: a replay of
history builds millions of updates, and tuple construction is several times
cheaper than a frozen attrs ``__init__`` while staying immutable and
picklable.

Example::

    >>> u = Update(at=1772841600, by="requester", comment="public",
    ...            changes=(("priority", "normal"),), index=0)
    >>> t = Ticket(id="1042", updates=(u,), line=1)
    >>> t.updates[0].is_customer_reply
    True
"""

from __future__ import annotations

from typing import NamedTuple, TypeAlias

# A field's value after validation: tags are a frozenset of strings (never
# None: null means the empty set); other fields are str, int, float, bool or
# None (unset).
FieldValue: TypeAlias = str | int | float | bool | frozenset[str] | None

CUSTOMERS = frozenset({"requester", "end_user"})


class Update(NamedTuple):
    """One validated update.

    ``at`` is UTC epoch seconds, already truncated toward the past to the
    whole second. ``changes`` are the ``set`` entries in input order.
    ``index`` is the update's 0-based position in the ticket's input list
    (kept for messages; the ticket's ``updates`` are already in applied order).
    """

    at: int
    by: str
    comment: str | None
    changes: tuple[tuple[str, FieldValue], ...]
    index: int  # type: ignore[assignment]  # shadows tuple.index on purpose

    @property
    def is_customer_reply(self) -> bool:
        return self.comment == "public" and self.by in CUSTOMERS

    @property
    def is_agent_reply(self) -> bool:
        return self.comment == "public" and self.by == "agent"


class Ticket(NamedTuple):
    """A validated ticket: its id as given, and its updates stably sorted by
    instant (applied order). ``line`` is the 1-based input position, if known."""

    id: str | int
    updates: tuple[Update, ...]
    line: int | None = None
