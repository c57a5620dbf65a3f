"""Reading and validating ticket timelines (DATA.md, "Ticket timelines").

Two layers, so the CLI can stream and the API can validate dicts it was
handed directly:

* :func:`iter_ticket_objects` turns a byte stream into decoded JSON values,
  one per ticket, with the input position (JSON Lines line or array
  position); a line that is not JSON becomes a ``BAD_JSON`` error in place.
* :func:`parse_ticket` validates one decoded value strictly and builds the
  :class:`~sladsl.timeline.model.Ticket` the evaluator consumes.

Instants are integer UTC epoch seconds truncated toward the past
(SEMANTICS.md). :func:`parse_instant` and :func:`format_instant` convert the
``at`` syntax to and from them.

Example::

    >>> import io
    >>> data = io.BytesIO(b'{"id": 1, "updates": [{"at": "2026-03-06T19:00:00-05:00",'
    ...                   b' "by": "requester", "comment": "public"}]}\\n')
    >>> [(pos, parse_ticket(obj, priorities=("normal",), line=pos).updates[0].at)
    ...  for pos, obj in iter_ticket_objects(data, "tickets.jsonl")]
    [(1, 1772841600)]
"""

from __future__ import annotations

import codecs
import json
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import BinaryIO, Final, NoReturn

import orjson

from sladsl.errors import TicketError
from sladsl.syntax.words import STATUSES, TICKET_TYPES
from sladsl.timeline.instants import format_instant
from sladsl.timeline.model import FieldValue, Ticket, Update

__all__ = [
    "decode_line",
    "format_instant",
    "is_json_array",
    "iter_ticket_objects",
    "parse_instant",
    "parse_ticket",
    "split_json_lines",
]

# ---------------------------------------------------------------------------
# Instants
# ---------------------------------------------------------------------------

# An instant is split into three slices, each looked up in a cache of
# validated parts: "YYYY-MM-DDT" (the T in either case), "HH:MM:SS" and the
# tail (optional fraction, then the zone). A hit on all three proves the whole
# string valid, so the common case costs three slices and three dict lookups
# instead of a regex match and int() conversions; the regex runs only on a
# miss. [0-9] rather than \d keeps other scripts' digits out.
_AT_RE: Final = re.compile(
    r"([0-9]{4}-[0-9]{2}-[0-9]{2}[Tt])([0-9]{2}:[0-9]{2}:[0-9]{2})"
    r"((?:\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2}))"
)
_AT_MATCH: Final = _AT_RE.fullmatch

_DAYS_IN_MONTH: Final = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)

# Only validated parts are stored, so bad input cannot grow the caches. Times
# of day are bounded (86,400); dates and tails (fractions vary) are capped
# because a hostile file could hold millions of distinct ones.
_DATE_CACHE: dict[str, int] = {}
_TIME_CACHE: dict[str, int] = {}
_TAIL_CACHE: dict[str, int] = {"Z": 0, "z": 0}
_TAIL_CACHE_MAX: Final = 50_000
_DATE_CACHE_MAX: Final = 200_000


def _days_from_civil(year: int, month: int, day: int) -> int:
    # Howard Hinnant's days_from_civil: exact for the proleptic Gregorian
    # calendar with no datetime objects involved.
    year -= month <= 2
    era = year // 400
    yoe = year - era * 400
    doy = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _date_problem(text: str) -> str | None:
    year, month, day = int(text[0:4]), int(text[5:7]), int(text[8:10])
    if year == 0:
        return "year 0000 is out of range"
    if not 1 <= month <= 12:
        return f"month {month:02d} is out of range"
    last = 29 if month == 2 and _is_leap(year) else _DAYS_IN_MONTH[month]
    if not 1 <= day <= last:
        return f"day {day:02d} is out of range for {year:04d}-{month:02d}"
    return None


def _time_problem(text: str) -> str | None:
    hour, minute, second = int(text[0:2]), int(text[3:5]), int(text[6:8])
    if hour > 23:
        return f"hour {hour:02d} is out of range"
    if minute > 59:
        return f"minute {minute:02d} is out of range"
    if second > 59:
        # Leap seconds are rejected, as datetime does: epoch seconds cannot
        # represent them.
        return f"second {second:02d} is out of range"
    return None


def _zone_problem(text: str) -> str | None:
    hours, minutes = int(text[1:3]), int(text[4:6])
    if hours > 23:
        return f"offset {text} is out of range (at most ±23:59)"
    if minutes > 59:
        return f"offset {text} has minutes out of range"
    return None


def _instant_problem(text: object) -> str:
    """Why ``text`` is not a valid instant (the slow path, for messages)."""
    if not isinstance(text, str):
        return "must be a string like 2026-03-06T19:00:00-05:00"
    match = _AT_MATCH(text)
    if match is None:
        shown = _show(text)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?", text, re.ASCII):
            return f"{shown} has no UTC offset; add Z or ±HH:MM"
        return (
            f"{shown} is not an instant like 2026-03-06T19:00:00-05:00 "
            "(YYYY-MM-DDTHH:MM:SS[.fraction] then Z or ±HH:MM)"
        )
    date, time, _, zone = match.groups()
    problem = _date_problem(date) or _time_problem(time)
    if problem is None and zone not in ("Z", "z"):
        problem = _zone_problem(zone)
    return f"{_show(text)}: {problem or 'invalid'}"


def _instant_seconds(text: str) -> int | None:
    """Epoch seconds of a valid ``at`` string (fraction dropped), else None.

    Dropping the fraction is the truncation toward the past: offsets are
    whole minutes, so the fraction is the only sub-second part and it is
    never negative, whatever the sign of the offset or of the result.
    """
    day = _DATE_CACHE.get(text[:11])
    clock = _TIME_CACHE.get(text[11:19])
    offset = _TAIL_CACHE.get(text[19:])
    if day is not None and clock is not None and offset is not None:
        return day + clock - offset
    match = _AT_MATCH(text)
    if match is None:
        return None
    date, time, tail, zone = match.groups()
    if day is None:
        if _date_problem(date) is not None:
            return None
        day = _days_from_civil(int(date[0:4]), int(date[5:7]), int(date[8:10])) * 86400
        if len(_DATE_CACHE) >= _DATE_CACHE_MAX:
            _DATE_CACHE.clear()
        _DATE_CACHE[date] = day
    if clock is None:
        if _time_problem(time) is not None:
            return None
        clock = int(time[0:2]) * 3600 + int(time[3:5]) * 60 + int(time[6:8])
        _TIME_CACHE[time] = clock
    if offset is None:
        if zone not in ("Z", "z"):
            if _zone_problem(zone) is not None:
                return None
            offset = int(zone[1:3]) * 3600 + int(zone[4:6]) * 60
            if zone[0] == "-":
                offset = -offset
        else:
            offset = 0
        if len(_TAIL_CACHE) < _TAIL_CACHE_MAX:
            _TAIL_CACHE[tail] = offset
    return day + clock - offset


def parse_instant(text: str) -> int:
    """Parse an instant in the ``at`` syntax to UTC epoch seconds, truncated
    toward the past to the whole second. Raises ``ValueError`` when invalid.

    Example::

        >>> parse_instant("2026-03-06T19:00:00.9-05:00")
        1772841600
        >>> parse_instant("1969-12-31t23:59:59.5z")
        -1
    """
    seconds = _instant_seconds(text) if isinstance(text, str) else None
    if seconds is None:
        raise ValueError(f"invalid instant: {_instant_problem(text)}")
    return seconds


# ---------------------------------------------------------------------------
# Reading files
# ---------------------------------------------------------------------------

_JSON_SPACE: Final = b" \t\r\n"
_BOM: Final = b"\xef\xbb\xbf"
_PEEK: Final = 1 << 16


def _json_error_text(error: orjson.JSONDecodeError) -> str:
    # orjson's message already ends with ": line L column C (char P)"; byte
    # offsets are what an editor's "go to" needs for a one-line file, so say
    # "byte" rather than "char".
    return f"{error.msg} at line {error.lineno}, column {error.colno} (byte {error.pos})"


def iter_ticket_objects(
    stream: BinaryIO, name: str, *, decode: bool = True
) -> Iterator[tuple[int, object | TicketError]]:
    """Decode a ticket file into ``(position, value)`` pairs, in input order.

    JSON Lines yields one pair per non-blank line (``position`` = 1-based
    line number, blank lines counted) and is read line by line, so memory
    does not grow with the number of tickets. A JSON array (``name`` ends in
    ``.json`` or the first non-space byte is ``[``) is streamed too, one pair
    per element (``position`` = 1-based array position). A line that is not
    JSON yields a ``BAD_JSON`` :class:`TicketError` in place of the value and
    reading goes on; a malformed array yields the elements before the problem,
    then one ``BAD_JSON`` error at the position being read, and stops.
    Values are not validated: see :func:`parse_ticket`.

    With ``decode=False``, JSON Lines are yielded as the raw ``bytes`` of
    each non-blank line, for :func:`decode_line` to decode elsewhere (worker
    processes of ``sladsl eval --jobs``: the reading process then only splits
    lines). Arrays are always decoded; a decoded value is never ``bytes``.

    Example::

        >>> import io
        >>> list(iter_ticket_objects(io.BytesIO(b'{"id": 1}\\n\\nnope\\n'), "-"))[0]
        (1, {'id': 1})
    """
    # Look ahead by chunks, not lines: a minified array is one huge line.
    # read1 returns what a pipe has without waiting for a full chunk.
    read = getattr(stream, "read1", stream.read)
    head = b""
    start = 0
    while True:
        chunk = read(_PEEK)
        if not chunk:
            break
        if not head and chunk.startswith(_BOM):
            # Windows tools often write a BOM; orjson rejects it.
            chunk = chunk[len(_BOM) :]
        head += chunk
        start = len(head) - len(head.lstrip(_JSON_SPACE))
        if start < len(head):
            break
    if is_json_array(head, name):
        yield from _iter_array(head, stream)
    elif decode:
        for number, raw in _numbered_lines(_lines(head, stream)):
            yield number, decode_line(number, raw)
    else:
        yield from _numbered_lines(_lines(head, stream))


def is_json_array(head: bytes, name: str) -> bool:
    """DATA.md's rule: a file is a JSON array when its name ends in ``.json``
    or its first non-space byte is ``[``; otherwise it is JSON Lines.

    ``head`` is the start of the file (enough to get past leading blanks).

    Example::

        >>> is_json_array(b"  [{}]", "-"), is_json_array(b'{"id": 1}', "t.jsonl")
        (True, False)
    """
    if head.startswith(_BOM):
        head = head[len(_BOM) :]
    return name.lower().endswith(".json") or head.lstrip(_JSON_SPACE)[:1] == b"["


def split_json_lines(block: bytes, first_line: int) -> Iterator[tuple[int, bytes]]:
    """The non-blank lines of a block of whole JSON Lines, with their numbers.

    ``first_line`` is the 1-based number of the block's first line, so a file
    cut at line boundaries into blocks numbers exactly as
    :func:`iter_ticket_objects` does (``sladsl eval --jobs`` workers read
    their own blocks of a file this way).

    Example::

        >>> list(split_json_lines(b'{"id": 1}\\n\\n{"id": 2}\\n', 7))
        [(7, b'{"id": 1}'), (9, b'{"id": 2}')]
    """
    if first_line == 1 and block.startswith(_BOM):
        block = block[len(_BOM) :]
    lines = block.split(b"\n")
    if lines[-1] == b"":
        lines.pop()  # the newline that ends the block's last line
    return _numbered_lines(iter(lines), first_line)


def _lines(head: bytes, stream: BinaryIO) -> Iterator[bytes]:
    """The lines of ``head`` followed by the rest of ``stream``."""
    *complete, partial = head.split(b"\n")
    yield from complete
    rest = iter(stream)
    if partial:
        yield partial + next(rest, b"")
    yield from rest


def _iter_array(head: bytes, stream: BinaryIO) -> Iterator[tuple[int, object | TicketError]]:
    # Streamed, so memory does not grow with the number of tickets (DATA.md
    # asks this of `eval`). orjson cannot decode a prefix, so elements are
    # cut out and decoded by the standard library's C scanner (raw_decode),
    # with hooks that give orjson's answers for huge ints, NaN and infinity:
    # a ticket decodes the same in either format.
    reader = _ArrayReader(head, stream)
    try:
        yield from reader.elements()
    except (ValueError, UnicodeDecodeError) as error:
        # JSONDecodeError is a ValueError; so is what the number hooks raise.
        yield (
            reader.position,
            TicketError(
                "BAD_JSON",
                f"malformed JSON array at ticket {reader.position}: {reader.describe(error)}",
                line=reader.position,
            ),
        )


def _parse_int(text: str) -> int | float:
    value = int(text)
    # orjson's range: beyond 64 bits it gives a float.
    return value if -(1 << 63) <= value < (1 << 64) else float(text)


def _parse_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise ValueError(f"number {text} is infinity when parsed as double")
    return value


def _reject_constant(text: str) -> object:
    raise ValueError(f"{text} is not JSON")


_ARRAY_DECODER: Final = json.JSONDecoder(
    parse_int=_parse_int, parse_float=_parse_float, parse_constant=_reject_constant
)
_SKIP_SPACE: Final = re.compile(r"[ \t\n\r]*").match
_ARRAY_CHUNK: Final = 1 << 16


class _ArrayReader:
    """Cuts a JSON array, read in chunks, into its decoded elements."""

    def __init__(self, head: bytes, stream: BinaryIO) -> None:
        self._stream = stream
        self._utf8 = codecs.getincrementaldecoder("utf-8")()
        self._text = ""
        self._eof = False
        self._at = 0  # next unread character of _text
        self._line = 1  # line number of _text[0]
        self._offset = 0  # characters dropped before _text[0]
        self.position = 1  # 1-based position of the element being read
        self._head = head  # decoded in elements(), where errors are caught

    def _more(self) -> bool:
        """Append a chunk (at least as big as the text held, so that
        re-decoding a huge element after each chunk stays linear)."""
        if self._eof:
            return False
        if self._at > _ARRAY_CHUNK:
            done = self._text[: self._at]
            self._line += done.count("\n")
            self._offset += len(done)
            self._text = self._text[self._at :]
            self._at = 0
        data = self._stream.read(max(_ARRAY_CHUNK, len(self._text)))
        if not data:
            self._eof = True
            self._text += self._utf8.decode(b"", final=True)
            return False
        self._text += self._utf8.decode(data)
        return True

    def _skip(self) -> str:
        """Skip whitespace; the next character, or "" at the end of input."""
        while True:
            match = _SKIP_SPACE(self._text, self._at)
            assert match is not None  # the pattern matches the empty string
            self._at = match.end()
            if self._at < len(self._text):
                return self._text[self._at]
            if not self._more():
                return ""

    def _expect(self, allowed: str, what: str) -> str:
        char = self._skip()
        if not char or char not in allowed:
            found = repr(char) if char else "end of input"
            raise json.JSONDecodeError(f"expected {what}, found {found}", self._text, self._at)
        self._at += 1
        return char

    def elements(self) -> Iterator[tuple[int, object]]:
        self._text = self._utf8.decode(self._head)
        self._head = b""
        self._expect("[", "'[' (a .json ticket file holds a JSON array)")
        if self._skip() == "]":
            self._at += 1
        else:
            while True:
                yield self.position, self._element()
                self.position += 1
                if self._expect(",]", "',' or ']'") == "]":
                    break
        if self._skip():
            raise json.JSONDecodeError("unexpected data after the array", self._text, self._at)

    def _element(self) -> object:
        self._skip()
        while True:
            try:
                value, end = _ARRAY_DECODER.raw_decode(self._text, self._at)
            except json.JSONDecodeError:
                # Perhaps only cut short by the chunk boundary.
                if self._more():
                    continue
                raise
            # A number at the very end may continue in the next chunk.
            if end == len(self._text) and self._more():
                continue
            start, self._at = self._at, end
            if self._text.find("\\u", start, end) != -1:
                # The standard library accepts lone surrogates (which could
                # not be written out again); orjson rejects them. Rare enough
                # to decode such an element twice.
                try:
                    return orjson.loads(self._text[start:end])
                except orjson.JSONDecodeError as error:
                    self._at = start
                    raise json.JSONDecodeError(error.msg, self._text, start) from None
            return value

    def describe(self, error: Exception) -> str:
        if isinstance(error, json.JSONDecodeError) and error.doc is self._text:
            before = self._text[: error.pos]
            line = self._line + before.count("\n")
            column = error.pos - before.rfind("\n")
            where = self._offset + error.pos
            return f"{error.msg} at line {line}, column {column} (character {where})"
        if isinstance(error, UnicodeDecodeError):
            return f"not UTF-8: {error.reason} (byte {hex(error.object[error.start])})"
        return str(error)


def _numbered_lines(lines: Iterator[bytes], first: int = 1) -> Iterator[tuple[int, bytes]]:
    """Non-blank lines with their 1-based numbers (blank lines counted)."""
    for number, raw in enumerate(lines, first):
        if raw.strip(_JSON_SPACE):
            yield number, raw


def decode_line(number: int, raw: bytes) -> object | TicketError:
    """One JSON Lines line decoded, or a ``BAD_JSON`` error naming the line.

    Example::

        >>> decode_line(3, b'{"id": 7}')
        {'id': 7}
        >>> decode_line(4, b'{nope').code
        'BAD_JSON'
    """
    try:
        value: object = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        message = f"line is not JSON: {_json_error_text(error)}"
        return TicketError("BAD_JSON", message, line=number)
    return value


# ---------------------------------------------------------------------------
# Validating tickets
# ---------------------------------------------------------------------------

_TICKET_KEYS: Final = frozenset({"id", "updates"})
_UPDATE_KEYS: Final = frozenset({"at", "by", "comment", "set"})
_BY: Final = frozenset({"requester", "end_user", "agent", "system"})
_COMMENTS: Final = frozenset({"public", "private"})
_STATUSES: Final = frozenset(STATUSES)
_TYPES: Final = frozenset(TICKET_TYPES)

# What kind of value each built-in field takes; any other key is custom.
_STATUS, _PRIORITY, _TYPE, _TAGS, _STRING = 1, 2, 3, 4, 5
_FIELD_KIND: Final[dict[str, int]] = {
    "status": _STATUS,
    "priority": _PRIORITY,
    "type": _TYPE,
    "tags": _TAGS,
    "channel": _STRING,
    "group": _STRING,
    "assignee": _STRING,
    "organization": _STRING,
    "brand": _STRING,
    "form": _STRING,
    "requester": _STRING,
}
_EMPTY_TAGS: Final[frozenset[str]] = frozenset()
_NO_CHANGES: Final[tuple[tuple[str, FieldValue], ...]] = ()

_MISSING: Final = object()

# One-entry cache: callers pass the same priorities sequence for a whole run,
# so an identity check replaces building a set per ticket.
_priority_cache: tuple[Sequence[str], frozenset[str]] = ((), frozenset())


def _priority_set(priorities: Sequence[str]) -> frozenset[str]:
    global _priority_cache
    cached, names = _priority_cache
    if cached is priorities:
        return names
    names = frozenset(priorities)
    _priority_cache = (priorities, names)
    return names


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list | tuple):
        return "an array"
    if isinstance(value, Mapping):
        return "an object"
    return f"a {type(value).__name__}"


def _show(value: object) -> str:
    """A short JSON-like rendering of a value for messages."""
    try:
        text = orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()
    except TypeError:
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def parse_ticket(obj: object, *, priorities: Sequence[str], line: int | None) -> Ticket:
    """Validate one decoded ticket strictly (DATA.md) and build a :class:`Ticket`.

    Raises :class:`TicketError` with a stable ``code``, a message naming the
    offending key (``updates[2].set.status: ...``; update indexes are the
    0-based input positions), ``line`` and, once it could be read, the
    ticket id. Updates come out stably sorted by instant; each keeps its
    input position as ``Update.index``.

    Example::

        >>> t = parse_ticket({"id": "7", "updates": [
        ...     {"at": "2026-01-02T10:00:00Z", "by": "agent", "set": {"status": "open"}},
        ...     {"at": "2026-01-02T09:00:00.5Z", "by": "requester", "comment": "public"}]},
        ...     priorities=("high", "low"), line=3)
        >>> [(u.index, u.at) for u in t.updates]
        [(1, 1767344400), (0, 1767348000)]
    """
    if type(obj) is not dict and not isinstance(obj, Mapping):
        raise TicketError(
            "BAD_JSON", f"a ticket must be a JSON object, not {_json_type(obj)}", line=line
        )

    ticket_id = obj.get("id", _MISSING)
    if type(ticket_id) is str:
        if not ticket_id:
            raise TicketError("BAD_VALUE", "id: must not be empty", line=line)
    elif type(ticket_id) is not int:
        _raise_bad_id(ticket_id, line)
    tid: str | int = ticket_id

    if not obj.keys() <= _TICKET_KEYS:
        unknown = next(k for k in obj if k not in _TICKET_KEYS)
        raise TicketError(
            "BAD_KEY",
            f"unknown key {_show(unknown)} (a ticket has only id and updates)",
            line=line,
            ticket=tid,
        )

    raw_updates = obj.get("updates", _MISSING)
    if type(raw_updates) is not list and not isinstance(raw_updates, tuple):
        if raw_updates is _MISSING:
            raise TicketError("BAD_VALUE", "missing key updates", line=line, ticket=tid)
        raise TicketError(
            "BAD_VALUE",
            f"updates: must be an array, not {_json_type(raw_updates)}",
            line=line,
            ticket=tid,
        )
    if not raw_updates:
        raise TicketError("BAD_VALUE", "updates: must not be empty", line=line, ticket=tid)

    prio_names = _priority_set(priorities)
    # Hoisted into locals: this loop runs for every update of every ticket.
    date_cache, time_cache, tail_cache = _DATE_CACHE, _TIME_CACHE, _TAIL_CACHE
    by_names, comment_kinds, missing = _BY, _COMMENTS, _MISSING
    new_tuple = tuple.__new__
    updates: list[Update] = []
    closing = False  # some update sets status closed: LEFT_CLOSED is possible
    in_order = True
    previous = -(1 << 62)
    for index, raw in enumerate(raw_updates):
        if type(raw) is not dict and not isinstance(raw, Mapping):
            raise TicketError(
                "BAD_VALUE",
                f"updates[{index}]: must be an object, not {_json_type(raw)}",
                line=line,
                ticket=tid,
            )
        try:
            at_text = raw["at"]
            by = raw["by"]
        except KeyError:
            _raise_update_keys(raw, index, line, tid)
        comment = raw.get("comment", missing)
        fields = raw.get("set", missing)
        # Counting the keys found detects unknown ones without building a
        # keys view per update; the slow path says which.
        if len(raw) != 2 + (comment is not missing) + (fields is not missing):
            _raise_update_keys(raw, index, line, tid)

        at = None
        if type(at_text) is str:
            # _instant_seconds inlined for its cache-hit case.
            day = date_cache.get(at_text[:11])
            clock = time_cache.get(at_text[11:19])
            offset = tail_cache.get(at_text[19:])
            if day is not None and clock is not None and offset is not None:
                at = day + clock - offset
            else:
                at = _instant_seconds(at_text)
        if at is None:
            raise TicketError(
                "BAD_TIME",
                f"updates[{index}].at: {_instant_problem(at_text)}",
                line=line,
                ticket=tid,
            )
        if at < previous:
            in_order = False
        previous = at

        if type(by) is not str or by not in by_names:
            raise TicketError(
                "BAD_VALUE",
                f"updates[{index}].by: {_show(by)} is not one of "
                "requester, end_user, agent, system",
                line=line,
                ticket=tid,
            )

        if comment is missing:
            comment = None
        elif type(comment) is not str or comment not in comment_kinds:
            # null is not a comment kind: an update without one omits the key.
            raise TicketError(
                "BAD_VALUE",
                f"updates[{index}].comment: {_show(comment)} is not public or private",
                line=line,
                ticket=tid,
            )

        if fields is missing:
            changes = _NO_CHANGES
        else:
            changes = _parse_set(fields, index, prio_names, line, tid)
            if not closing and changes:
                closing = ("status", "closed") in changes

        # tuple.__new__ skips the NamedTuple's Python-level __new__: a
        # measurable share of the per-update cost.
        updates.append(new_tuple(Update, (at, by, comment, changes, index)))

    if not in_order:
        # list.sort is stable: equal instants keep their input order.
        updates.sort(key=_at_of)
    if closing:
        _check_left_closed(updates, line, tid)
    return new_tuple(Ticket, (tid, tuple(updates), line))


def _raise_update_keys(
    raw: Mapping[object, object], index: int, line: int | None, tid: str | int
) -> NoReturn:
    unknown = [key for key in raw if key not in _UPDATE_KEYS]
    if unknown:
        raise TicketError(
            "BAD_KEY",
            f"updates[{index}]: unknown key {_show(unknown[0])} "
            "(an update has at, by, comment and set)",
            line=line,
            ticket=tid,
        )
    if "at" not in raw:
        raise TicketError("BAD_TIME", f"updates[{index}]: missing key at", line=line, ticket=tid)
    raise TicketError("BAD_VALUE", f"updates[{index}]: missing key by", line=line, ticket=tid)


def _at_of(update: Update) -> int:
    return update.at


def _raise_bad_id(value: object, line: int | None) -> NoReturn:
    if value is _MISSING:
        raise TicketError("BAD_VALUE", "missing key id", line=line)
    hint = ""
    if isinstance(value, float) and value.is_integer():
        # orjson decodes integers beyond 64 bits as floats.
        hint = " (integers beyond 64 bits are not supported: quote the id)"
    raise TicketError(
        "BAD_VALUE",
        f"id: must be a non-empty string or an integer, not {_json_type(value)}{hint}",
        line=line,
    )


def _parse_set(
    fields: object,
    index: int,
    prio_names: frozenset[str],
    line: int | None,
    tid: str | int,
) -> tuple[tuple[str, FieldValue], ...]:
    if type(fields) is not dict and not isinstance(fields, Mapping):
        raise TicketError(
            "BAD_VALUE",
            f"updates[{index}].set: must be an object, not {_json_type(fields)}",
            line=line,
            ticket=tid,
        )
    # Validate only; the happy path then copies the items in one C call
    # instead of appending a pair per field.
    kinds = _FIELD_KIND
    tags: frozenset[str] | None = None
    for key, value in fields.items():
        kind = kinds.get(key)
        vtype = type(value)
        if kind is None:
            if type(key) is not str and not isinstance(key, str):
                # Only reachable from the Python API: JSON keys are strings.
                raise TicketError(
                    "BAD_KEY",
                    f"updates[{index}].set: field names must be strings, not {_show(key)}",
                    line=line,
                    ticket=tid,
                )
            # A custom field; bools stay bools, not numbers.
            if vtype is str or vtype is int or vtype is bool or value is None:
                continue
            if vtype is float:
                if math.isfinite(value):
                    continue
                problem = f"{value!r} is not a JSON number"
            elif isinstance(value, str | int | float):
                continue
            else:
                problem = f"must be a string, number, boolean or null, not {_json_type(value)}"
            raise TicketError(
                "BAD_VALUE",
                f"updates[{index}].set.{_show(key)}: {problem}",
                line=line,
                ticket=tid,
            )
        if kind == _STRING:
            if vtype is str or value is None or isinstance(value, str):
                continue
            problem = f"must be a string or null, not {_json_type(value)}"
        elif kind == _STATUS:
            if vtype is str and value in _STATUSES:
                continue
            problem = f"{_show(value)} is not one of {', '.join(STATUSES)}"
        elif kind == _PRIORITY:
            if value is None or (vtype is str and value in prio_names):
                continue
            if vtype is str:
                raise TicketError(
                    "UNKNOWN_PRIORITY",
                    f"updates[{index}].set.priority: {_show(value)} is not on the "
                    f"priority scale ({', '.join(_ordered(prio_names))})",
                    line=line,
                    ticket=tid,
                )
            problem = f"must be a priority name or null, not {_json_type(value)}"
        elif kind == _TYPE:
            if value is None or (vtype is str and value in _TYPES):
                continue
            problem = f"{_show(value)} is not one of {', '.join(TICKET_TYPES)} or null"
        else:  # _TAGS
            tags = _tag_set(value, index, line, tid)
            continue
        raise TicketError(
            "BAD_VALUE", f"updates[{index}].set.{key}: {problem}", line=line, ticket=tid
        )
    if tags is None:
        return tuple(fields.items())
    # Replacing an existing key keeps its place, so input order is kept.
    copy = dict(fields)
    copy["tags"] = tags
    return tuple(copy.items())


# Tag lists repeat across tickets, so validated ones are cached by their
# tuple; only all-string tuples are ever stored, so a hit needs no check.
_TAG_CACHE: dict[tuple[str, ...], frozenset[str]] = {}
_TAG_CACHE_MAX: Final = 100_000


def _tag_set(value: object, index: int, line: int | None, tid: str | int) -> frozenset[str]:
    if value is None:
        return _EMPTY_TAGS
    if type(value) is list or isinstance(value, tuple):
        key = tuple(value)
        try:
            cached = _TAG_CACHE.get(key)
        except TypeError:  # an unhashable element: reported below
            cached = None
        if cached is not None:
            return cached
        for position, tag in enumerate(key):
            if not isinstance(tag, str):
                raise TicketError(
                    "BAD_VALUE",
                    f"updates[{index}].set.tags[{position}]: must be a string, "
                    f"not {_json_type(tag)}",
                    line=line,
                    ticket=tid,
                )
        tags = frozenset(key)
        if len(_TAG_CACHE) < _TAG_CACHE_MAX:
            _TAG_CACHE[key] = tags
        return tags
    raise TicketError(
        "BAD_VALUE",
        f"updates[{index}].set.tags: must be an array of strings or null, not {_json_type(value)}",
        line=line,
        ticket=tid,
    )


def _ordered(names: frozenset[str]) -> list[str]:
    cached, _ = _priority_cache
    if frozenset(cached) == names:
        return list(cached)
    return sorted(names)


def _check_left_closed(updates: list[Update], line: int | None, tid: str | int) -> None:
    closed_by: Update | None = None
    for update in updates:
        for key, value in update.changes:
            if key != "status":
                continue
            if value == "closed":
                if closed_by is None:
                    closed_by = update
            elif closed_by is not None:
                raise TicketError(
                    "LEFT_CLOSED",
                    f"updates[{update.index}].set.status: {_show(value)} after the ticket "
                    f"was closed by updates[{closed_by.index}] at "
                    f"{format_instant(closed_by.at)} (closed is final)",
                    line=line,
                    ticket=tid,
                )
