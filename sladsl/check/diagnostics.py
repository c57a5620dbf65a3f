"""The diagnostic record every stage of the front end reports problems with.

Example::

    >>> d = Diagnostic(code="SLA202", severity="error", file="x.sla", line=3, col=14,
    ...                end_line=3, end_col=20, message="unknown calendar 'ofice'",
    ...                hint="did you mean 'office'?")
    >>> d.location
    'x.sla:3:14'
"""

from __future__ import annotations

from typing import Literal, TypeAlias

import attrs

from sladsl.check.codes import CODES
from sladsl.syntax.ast import Span

Severity: TypeAlias = Literal["error", "warning"]


@attrs.frozen
class Diagnostic:
    """One problem in a contract: a stable code, where it is, what is wrong, how to fix it.

    Lines and columns are 1-based and count code points; ``end_col`` is
    exclusive (the column just after the last character).
    """

    code: str
    severity: Severity
    file: str
    line: int
    col: int
    end_line: int
    end_col: int
    message: str
    hint: str | None = None

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def to_dict(self) -> dict[str, object]:
        return attrs.asdict(self)


def make_diagnostic(
    code: str, span: Span, message: str, *, file: str, hint: str | None = None
) -> Diagnostic:
    """A diagnostic whose severity comes from the code registry (the one source of truth)."""
    info = CODES[code]
    return Diagnostic(
        code=code,
        severity=info.severity,
        file=file,
        line=span.line,
        col=span.col,
        end_line=span.end_line,
        end_col=span.end_col,
        message=message,
        hint=hint,
    )


def sort_key(d: Diagnostic) -> tuple[str, int, int, str]:
    return (d.file, d.line, d.col, d.code)


def has_errors(diagnostics: list[Diagnostic] | tuple[Diagnostic, ...]) -> bool:
    return any(d.is_error for d in diagnostics)
