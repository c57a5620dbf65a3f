"""The exceptions sladsl raises. Every error that reaches a user derives from
:class:`SladslError`; nothing else should escape the public API on bad input."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sladsl.check.diagnostics import Diagnostic


class SladslError(Exception):
    """Base class of every sladsl error."""


class ContractError(SladslError):
    """A contract that does not check; ``diagnostics`` lists every problem.

    Example::

        try:
            sladsl.loads("policy p { calendar nowhere }", filename="p.sla")
        except sladsl.ContractError as e:
            for d in e.diagnostics:
                print(d.location, d.message)
    """

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = list(diagnostics)
        errors = [d for d in self.diagnostics if d.severity == "error"]
        first = errors[0] if errors else (self.diagnostics[0] if self.diagnostics else None)
        summary = f"{first.location}: {first.message}" if first else "contract has errors"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(summary + more)


class TicketError(SladslError):
    """A ticket that cannot be evaluated: a stable ``code`` (DATA.md), a message,
    the 1-based input ``line`` (or array position) when known, and the ticket id."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        line: int | None = None,
        ticket: str | int | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.line = line
        self.ticket = ticket

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_ticket_error, (self.code, self.message, self.line, self.ticket))


def _rebuild_ticket_error(
    code: str, message: str, line: int | None, ticket: str | int | None
) -> TicketError:
    return TicketError(code, message, line=line, ticket=ticket)


class InstantOutOfRange(SladslError, ValueError):
    """An instant outside the years a business calendar can expand (local
    years 2 to 9997). A ``ValueError`` too, for callers of the calendar API."""


class CalendarExhausted(SladslError):
    """``add`` found no instant within 10 years at which the requested business
    time has elapsed (e.g. a calendar whose future days are all holidays)."""
