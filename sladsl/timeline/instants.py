"""Instants as the timeline format writes them: ``YYYY-MM-DDTHH:MM:SSZ`` (UTC).

One formatter for the whole package (results, explain, the reader's API).
Formatting an instant is a divmod, two table lookups and a cached day prefix,
because a replay of history formats millions of them.

Example::

    >>> format_instant(1772841600)
    '2026-03-07T00:00:00Z'
    >>> format_instant(-1)
    '1969-12-31T23:59:59Z'
"""

from __future__ import annotations

# "HH:MM:" for each minute of the day and "SSZ" for each second: formatting
# an instant is then a divmod, two indexings and a concatenation.
_HH_MM = tuple(f"{m // 60:02d}:{m % 60:02d}:" for m in range(1440))
_SS_Z = tuple(f"{s:02d}Z" for s in range(60))
_DAYS: dict[int, str] = {}
_DAY_CACHE_LIMIT = 100_000


def _day_prefix(day: int) -> str:
    # Civil date from days since 1970-01-01 (H. Hinnant's algorithm): unlike
    # datetime it has no year-9999 ceiling, which a deadline projected from a
    # late ticket could pass.
    if len(_DAYS) >= _DAY_CACHE_LIMIT:
        _DAYS.clear()
    z = day + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    y = yoe + era * 400 + (m <= 2)
    prefix = _DAYS[day] = f"{y:04d}-{m:02d}-{d:02d}T"
    return prefix


def format_instant(seconds: int) -> str:
    """``YYYY-MM-DDTHH:MM:SSZ`` for UTC epoch seconds (day strings cached).

    >>> format_instant(1772841600)
    '2026-03-07T00:00:00Z'
    """
    day, rest = divmod(seconds, 86400)
    prefix = _DAYS.get(day) or _day_prefix(day)
    return prefix + _HH_MM[rest // 60] + _SS_Z[rest % 60]
