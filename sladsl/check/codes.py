"""The registry of diagnostic codes: the one table that the docs list.

``SLA1xx`` syntax, ``SLA2xx`` names and references, ``SLA3xx`` calendars,
``SLA4xx`` policies, conditions and targets. A code, once published, keeps its
meaning forever; retired codes are not reused. ``docs/diagnostics.md`` has a
section per code (a test keeps the two in step) and every code is produced by
at least one test.
"""

from __future__ import annotations

from typing import Literal

import attrs


@attrs.frozen
class CodeInfo:
    code: str
    severity: Literal["error", "warning"]
    title: str


def _table(*rows: tuple[str, Literal["error", "warning"], str]) -> dict[str, CodeInfo]:
    table: dict[str, CodeInfo] = {}
    for code, severity, title in rows:
        assert code not in table, code
        table[code] = CodeInfo(code, severity, title)
    return table


CODES: dict[str, CodeInfo] = _table(
    # --- syntax
    ("SLA101", "error", "unexpected token"),
    ("SLA102", "error", "unexpected end of file (unclosed block or unfinished line)"),
    ("SLA103", "error", "unexpected character"),
    ("SLA104", "error", 'bad string (unterminated, or an escape other than \\" and \\\\)'),
    ("SLA105", "error", "conditions nested too deeply"),
    # --- names and references
    ("SLA201", "error", "duplicate name"),
    ("SLA202", "error", "unknown calendar"),
    ("SLA203", "error", "unknown holiday list"),
    ("SLA204", "error", "unknown metric"),
    ("SLA205", "error", "unknown priority"),
    ("SLA206", "error", "unknown status"),
    ("SLA207", "error", "unknown ticket type"),
    ("SLA208", "error", "unknown field"),
    ("SLA209", "error", "priorities declared more than once"),
    ("SLA210", "error", "priority listed twice in the scale"),
    ("SLA211", "warning", "calendar never used"),
    ("SLA212", "warning", "holiday list never used"),
    # --- calendars
    ("SLA301", "error", "calendar without a timezone"),
    ("SLA302", "error", "unknown time zone"),
    ("SLA303", "error", "calendar without weekly hours"),
    ("SLA304", "error", "include cycle"),
    ("SLA305", "error", "unknown weekday"),
    ("SLA306", "error", "unknown month"),
    ("SLA307", "error", "impossible date"),
    ("SLA308", "error", "impossible time"),
    ("SLA309", "error", "zero-length hours range"),
    ("SLA310", "error", "bad RRULE"),
    ("SLA311", "error", "RRULE part not allowed in a holiday rule"),
    ("SLA312", "error", "RRULE yields no dates"),
    ("SLA313", "error", "calendar is never open"),
    ("SLA314", "warning", "dated holiday on a day the calendar is closed anyway"),
    ("SLA315", "error", "unknown ordinal"),
    ("SLA316", "error", "holiday range ends before it starts"),
    ("SLA317", "error", "timezone given twice"),
    # --- policies, conditions, targets
    ("SLA401", "error", "second calendar line in a policy"),
    ("SLA402", "error", "`in business hours` in a policy without a calendar"),
    ("SLA403", "error", "metric listed twice in a policy"),
    ("SLA404", "error", "bare and per-priority targets mixed on one line"),
    ("SLA405", "error", "malformed duration"),
    ("SLA406", "error", "target shorter than 1s"),
    ("SLA407", "error", "ordering test with a non-number"),
    ("SLA408", "error", "test not allowed on this field"),
    ("SLA409", "error", "priority given twice on one target line"),
    ("SLA410", "warning", "policy can never apply"),
    ("SLA411", "warning", "policy without targets"),
    ("SLA412", "warning", "day or week duration counted in business hours"),
    ("SLA413", "warning", "test that is always true or always false"),
)
