"""What every checker pass shares: the diagnostics being collected and the name tables.

Example::

    >>> from sladsl.syntax.ast import Span
    >>> ctx = Context("x.sla")
    >>> ctx.report("SLA202", Span(0, 5, 1, 1, 1, 6), "unknown calendar 'ofice'")
    >>> ctx.diagnostics[0].location
    'x.sla:1:1'
    >>> suggest("ofice", ("office", "emea"))
    "did you mean 'office'?"
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from functools import lru_cache

import attrs

from sladsl.check.diagnostics import Diagnostic, make_diagnostic
from sladsl.syntax import ast
from sladsl.syntax.words import DEFAULT_PRIORITIES


@attrs.define
class Context:
    """Diagnostics found so far, plus the declarations every pass looks names up in.

    Each table maps a name to its FIRST declaration: a later duplicate is an
    error (SLA201) and references resolve to the first one.
    """

    file: str
    diagnostics: list[Diagnostic] = attrs.field(factory=list)
    calendars: dict[str, ast.CalendarDecl] = attrs.field(factory=dict)
    holiday_lists: dict[str, ast.HolidayListDecl] = attrs.field(factory=dict)
    policies: dict[str, ast.PolicyDecl] = attrs.field(factory=dict)
    priorities: tuple[str, ...] = DEFAULT_PRIORITIES

    def report(self, code: str, span: ast.Span, message: str, hint: str | None = None) -> None:
        """Record one diagnostic; severity comes from the code registry.

        >>> ctx = Context("x.sla")
        >>> ctx.report("SLA411", ast.NO_SPAN, "policy 'p' sets no targets")
        >>> ctx.diagnostics[0].severity
        'warning'
        """
        self.diagnostics.append(make_diagnostic(code, span, message, file=self.file, hint=hint))


def sub_span(span: ast.Span, offset: int, length: int) -> ast.Span:
    """The part of a one-line token ``span`` that starts ``offset`` code points in.

    Day ranges and time ranges are single tokens (no spaces inside), so the
    position of each half follows from the text alone.

    >>> sub_span(ast.Span(10, 21, 2, 5, 2, 16), 6, 5)
    Span(start=16, end=21, line=2, col=11, end_line=2, end_col=16)
    """
    start = span.start + offset
    col = span.col + offset
    return ast.Span(start, start + length, span.line, col, span.line, col + length)


def suggest(word: str, candidates: Iterable[str]) -> str | None:
    """``did you mean 'x'?`` for the closest candidate, or None if nothing is close.

    >>> suggest("weekdys", ("weekdays", "weekends")) == "did you mean 'weekdays'?"
    True
    """
    best = _closest(word, tuple(candidates))
    return None if best is None else f"did you mean {best!r}?"


@lru_cache(maxsize=4096)
def _closest(word: str, candidates: tuple[str, ...]) -> str | None:
    # A case-only difference is the likeliest slip and difflib scores it poorly.
    lowered = word.lower()
    for candidate in candidates:
        if candidate.lower() == lowered:
            return candidate
    # Day and month words are the first three letters of the full name
    # ("thursday" -> "thu"), which difflib scores below its cutoff.
    for candidate in candidates:
        if len(candidate) == 3 and len(word) > 3 and lowered.startswith(candidate):
            return candidate
    matches = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    return matches[0] if matches else None


def one_of(word: str, candidates: Iterable[str], what: str) -> str:
    """A hint for a small closed vocabulary: the closest spelling, else the whole list.

    >>> one_of("opne", ("new", "open"), "statuses")
    "did you mean 'open'?"
    >>> one_of("zzz", ("new", "open"), "statuses")
    'statuses are new, open'
    """
    options = tuple(candidates)
    return suggest(word, options) or f"{what} are {', '.join(options)}"


def declared(word: str, names: Iterable[str], what: str) -> str:
    """A hint for an unknown reference: the closest declared name, else what there is.

    >>> declared("zzz", ("office", "emea"), "calendars")
    'declared calendars: emea, office'
    >>> declared("zzz", (), "calendars")
    'no calendars are declared in this file'
    """
    options = tuple(names)
    if not options:
        return f"no {what} are declared in this file"
    close = suggest(word, options)
    if close is not None:
        return close
    if len(options) <= 8:
        return f"declared {what}: {', '.join(sorted(options))}"
    return f"none of the {len(options)} declared {what} is close to {word!r}"
