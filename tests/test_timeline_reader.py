"""Ticket timeline reader: file formats, validation codes, instants."""

from __future__ import annotations

import io
import math
import types
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sladsl.errors import TicketError
from sladsl.timeline.model import Ticket
from sladsl.timeline.reader import (
    format_instant,
    iter_ticket_objects,
    parse_instant,
    parse_ticket,
)
from tests.spec_data import TICKET_1042

PRIORITIES = ("urgent", "high", "normal", "low")
T0 = "2026-03-06T19:00:00-05:00"  # 2026-03-07T00:00:00Z
T0_S = 1772841600


def upd(at: object = T0, by: object = "agent", **extra: Any) -> dict[str, Any]:
    return {"at": at, "by": by, **extra}


def tk(*updates: object, id: Any = "1") -> dict[str, Any]:
    return {"id": id, "updates": list(updates)}


def parse(obj: object, line: int | None = 7) -> Ticket:
    return parse_ticket(obj, priorities=PRIORITIES, line=line)


def error_of(obj: object, line: int | None = 7) -> TicketError:
    with pytest.raises(TicketError) as info:
        parse(obj, line)
    return info.value


def read(data: bytes, name: str = "tickets.jsonl") -> list[tuple[int, object]]:
    return list(iter_ticket_objects(io.BytesIO(data), name))


# --------------------------------------------------------------------------
# Instants
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-07T00:00:00Z", T0_S),
        ("2026-03-07t00:00:00z", T0_S),
        ("2026-03-07T00:00:00+00:00", T0_S),
        ("2026-03-07T00:00:00-00:00", T0_S),
        (T0, T0_S),
        ("2026-03-06T19:00:00.999999999-05:00", T0_S),  # fraction dropped
        ("2026-03-07T00:00:00.9Z", T0_S),
        ("2026-03-07T05:30:00.5+05:30", T0_S),
        ("1970-01-01T00:00:00Z", 0),
        ("1969-12-31T23:59:59.5Z", -1),  # floor, not toward zero
        ("1969-12-31T18:59:59.999-05:00", -1),
        ("2024-02-29T00:00:00Z", 1709164800),  # leap day
        ("2000-02-29T12:00:00+23:59", 951825600 - 86340),
        ("0001-01-01T00:00:00Z", -62135596800),
        ("9999-12-31T23:59:59Z", 253402300799),
    ],
)
def test_parse_instant_valid(text: str, expected: int) -> None:
    assert parse_instant(text) == expected
    # A second call is served from the caches and must agree.
    assert parse_instant(text) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("2026-03-07T00:00:00", "no UTC offset"),
        ("2026-03-07T00:00", "no UTC offset"),
        ("2026-03-07 00:00:00Z", "not an instant"),
        ("2026-03-07", "not an instant"),
        ("2026-13-07T00:00:00Z", "month 13"),
        ("2026-00-07T00:00:00Z", "month 00"),
        ("2026-02-29T00:00:00Z", "day 29"),
        ("1900-02-29T00:00:00Z", "day 29"),
        ("2026-04-31T00:00:00Z", "day 31"),
        ("2026-03-00T00:00:00Z", "day 00"),
        ("0000-01-01T00:00:00Z", "year 0000"),
        ("2026-03-07T24:00:00Z", "hour 24"),
        ("2026-03-07T00:60:00Z", "minute 60"),
        ("2026-03-07T00:00:60Z", "second 60"),
        ("2026-03-07T00:00:00+25:00", "offset +25:00"),
        ("2026-03-07T00:00:00+24:00", "offset +24:00"),
        ("2026-03-07T00:00:00+05:60", "minutes out of range"),
        ("2026-03-07T00:00:00+0500", "not an instant"),
        ("2026-03-07T00:00:00+05", "not an instant"),
        ("2026-03-07T00:00:00.Z", "not an instant"),
        ("2026-03-07T00:00:00Z ", "not an instant"),
        ("2026-03-07T00:00:00Z\n", "not an instant"),
        ("2026-3-07T00:00:00Z", "not an instant"),
        ("２０２６-03-07T00:00:00Z", "not an instant"),  # fullwidth digits
        ("", "not an instant"),
    ],
)
def test_parse_instant_invalid(text: str, fragment: str) -> None:
    with pytest.raises(ValueError, match="invalid instant") as info:
        parse_instant(text)
    assert fragment in str(info.value)


def test_parse_instant_rejects_non_strings() -> None:
    with pytest.raises(ValueError, match="must be a string"):
        parse_instant(1772841600)  # type: ignore[arg-type]


def test_format_instant() -> None:
    assert format_instant(T0_S) == "2026-03-07T00:00:00Z"
    assert format_instant(-1) == "1969-12-31T23:59:59Z"
    assert format_instant(0) == "1970-01-01T00:00:00Z"
    assert format_instant(253402300799) == "9999-12-31T23:59:59Z"
    assert format_instant(-62135596800) == "0001-01-01T00:00:00Z"
    # Past year 9999 the year simply grows a digit: a deadline projected in
    # calendar hours from a late ticket must not crash the output.
    assert format_instant(253402300800) == "10000-01-01T00:00:00Z"


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_offsets = st.integers(min_value=-(24 * 60 - 1), max_value=24 * 60 - 1).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)


@given(
    st.datetimes(min_value=datetime(2, 1, 1), max_value=datetime(9998, 12, 31), timezones=_offsets),
    st.booleans(),
    st.booleans(),
)
def test_parse_instant_matches_datetime(dt: datetime, lower_t: bool, lower_z: bool) -> None:
    text = dt.isoformat()
    if lower_t:
        text = text.replace("T", "t")
    if text.endswith("+00:00") and not lower_z:
        text = text[:-6] + "Z"
    elif text.endswith("+00:00"):
        text = text[:-6] + "z"
    # Exact floor (float timestamps lose microseconds far from 1970).
    expected = (dt - _EPOCH) // timedelta(seconds=1)
    assert expected == math.floor(dt.timestamp()) or abs(dt.year - 1970) > 200
    assert parse_instant(text) == expected
    assert format_instant(expected) == dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ").rjust(
        20, "0"
    )


@given(st.integers(min_value=-62135596800, max_value=253402300799))
def test_format_instant_round_trips(seconds: int) -> None:
    text = format_instant(seconds)
    assert len(text) == 20
    assert parse_instant(text) == seconds


# --------------------------------------------------------------------------
# Reading files
# --------------------------------------------------------------------------


GOOD = b'{"id": "a", "updates": [{"at": "2026-03-07T00:00:00Z", "by": "agent"}]}'


def test_jsonl_counts_blank_lines() -> None:
    data = b"\n" + GOOD + b"\n\n  \t\r\n" + GOOD + b"\r\n\n"
    assert [pos for pos, _ in read(data)] == [2, 5]


def test_jsonl_empty_file_yields_nothing() -> None:
    assert read(b"") == []
    assert read(b"\n\n  \n") == []


def test_jsonl_last_line_without_newline() -> None:
    assert [pos for pos, _ in read(GOOD + b"\n" + GOOD)] == [1, 2]


def test_jsonl_bad_lines_are_errors_in_place() -> None:
    data = b"\n".join(
        [
            GOOD,  # 1
            b"{not json",  # 2
            b"",  # 3 (blank)
            b"[1, 2]",  # 4: JSON but not an object
            b'"text"',  # 5
            b'{"id": "b", "updates": [}',  # 6
            b"null",  # 7
            b'{"id": "c", "updates": "x"}',  # 8
            GOOD,  # 9
        ]
    )
    items = read(data)
    assert [pos for pos, _ in items] == [1, 2, 4, 5, 6, 7, 8, 9]
    results: list[tuple[int, str]] = []
    for pos, obj in items:
        try:
            if isinstance(obj, TicketError):
                raise obj
            parse(obj, line=pos)
            results.append((pos, "ok"))
        except TicketError as error:
            assert error.line == pos
            results.append((pos, error.code))
    assert results == [
        (1, "ok"),
        (2, "BAD_JSON"),
        (4, "BAD_JSON"),
        (5, "BAD_JSON"),
        (6, "BAD_JSON"),
        (7, "BAD_JSON"),
        (8, "BAD_VALUE"),
        (9, "ok"),
    ]


def test_bad_json_message_names_the_column() -> None:
    ((pos, error),) = read(b'\n{"id": 1,, "updates": []}\n')
    assert pos == 2
    assert isinstance(error, TicketError)
    assert error.code == "BAD_JSON" and error.line == 2 and error.ticket is None
    assert "column" in error.message


def test_non_utf8_line_is_bad_json() -> None:
    bad = b'{"id": "\xff\xfe", "updates": []}'
    items = read(GOOD + b"\n" + bad + b"\n" + GOOD + b"\n")
    assert [pos for pos, _ in items] == [1, 2, 3]
    error = items[1][1]
    assert isinstance(error, TicketError) and error.code == "BAD_JSON" and error.line == 2
    assert "UTF-8" in error.message


def test_utf8_bom_is_ignored() -> None:
    assert [pos for pos, _ in read(b"\xef\xbb\xbf" + GOOD + b"\n")] == [1]
    assert [pos for pos, _ in read(b"\xef\xbb\xbf[" + GOOD + b"]", "-")] == [1]


@pytest.mark.parametrize("name", ["t.json", "T.JSON", "dir.jsonl/t.json"])
def test_array_by_name(name: str) -> None:
    data = b"[" + GOOD + b",\n" + GOOD + b", 5]"
    items = read(data, name)
    assert [pos for pos, _ in items] == [1, 2, 3]
    assert items[2][1] == 5
    assert error_of(items[2][1], line=3).code == "BAD_JSON"


@pytest.mark.parametrize("name", ["-", "tickets.jsonl", "tickets"])
def test_array_by_first_byte(name: str) -> None:
    data = b"\n  \n\t[" + GOOD + b",\n\n" + GOOD + b"]\n"
    items = read(data, name)
    assert [pos for pos, _ in items] == [1, 2]
    assert all(isinstance(obj, dict) for _, obj in items)


def test_array_empty() -> None:
    assert read(b"[]", "-") == []
    assert read(b" [ ] ", "t.json") == []


def test_malformed_array_stops_with_one_error() -> None:
    items = read(b"\n[" + GOOD + b",\n" + GOOD + b",\n{oops}, " + GOOD + b"]", "t.json")
    assert [pos for pos, _ in items] == [1, 2, 3]
    error = items[2][1]
    assert isinstance(error, TicketError) and error.code == "BAD_JSON" and error.line == 3
    assert "line 4, column 2" in error.message


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"[" + GOOD + b",]", "line 1"),
        (b"[" + GOOD + b" " + GOOD + b"]", "',' or ']'"),
        (b"[" + GOOD, "end of input"),
        (b"[" + GOOD + b"] x", "after the array"),
        (b"[" + GOOD + b"][]", "after the array"),
        (b"[" + GOOD + b", NaN]", "NaN"),
        (b"[" + GOOD + b", 1e400]", "infinity"),
        (b'[{"id": "\xff"}]', "UTF-8"),
    ],
)
def test_malformed_array_cases(data: bytes, fragment: str) -> None:
    *good, (pos, error) = read(data, "-")
    assert isinstance(error, TicketError) and error.code == "BAD_JSON"
    assert pos == len(good) + 1 == error.line
    assert fragment in error.message


def test_array_and_lines_decode_numbers_alike() -> None:
    doc = b'{"id": 123456789012345678901234567890, "n": 18446744073709551615, "f": 1.5}'
    ((_, from_lines),) = read(doc + b"\n")
    ((_, from_array),) = read(b"[" + doc + b"]", "-")
    assert from_lines == from_array
    assert isinstance(from_array, dict) and isinstance(from_array["id"], float)


@pytest.mark.parametrize(
    "doc",
    [
        rb'"\ud800"',
        rb'"\ud83d\ude00 \u00e9"',
        b'"a\tb"',
        b"-0",
        b"1E2",
        b"-0.0",
        b'{"a": 1, "a": 2}',
        b"9223372036854775808",
        b"-9223372036854775809",
        b"18446744073709551616",
    ],
)
def test_array_and_lines_agree(doc: bytes) -> None:
    ((_, from_lines),) = read(doc + b"\n")
    ((_, from_array),) = read(b"[" + doc + b"]", "-")
    if isinstance(from_lines, TicketError):
        assert isinstance(from_array, TicketError) and from_array.code == "BAD_JSON"
    else:
        assert from_array == from_lines and type(from_array) is type(from_lines)


@pytest.mark.parametrize("chunk", [1, 7, 100])
def test_array_streams_across_chunk_boundaries(chunk: int) -> None:
    doc = b"[ " + b" ,\n".join([GOOD, b"12345", b"true", '"é€"'.encode(), GOOD]) + b" ]\n"
    pieces = (doc[i : i + chunk] for i in range(0, len(doc), chunk))
    stream = io.BufferedReader(_Trickle(pieces), buffer_size=chunk)
    items = list(iter_ticket_objects(stream, "-"))
    assert [obj for _, obj in items][1:4] == [12345, True, "é€"]
    assert [pos for pos, _ in items] == [1, 2, 3, 4, 5]


def test_minified_array_streams_from_a_pipe() -> None:
    count = 20_000
    raw = _Trickle(iter([b"[", *((GOOD + b",") for _ in range(count - 1)), GOOD, b"]"]))
    stream = io.BufferedReader(raw, buffer_size=8192)
    items = iter_ticket_objects(stream, "-")
    assert next(items)[0] == 1
    assert raw.produced < 2 * 65536 + 8192  # a chunk or two, not the file
    assert sum(1 for _ in items) == count - 1


@pytest.mark.parametrize("data", [b'{"id": 1, "updates": []}', b"", b"  "])
def test_json_file_that_is_not_an_array(data: bytes) -> None:
    ((pos, error),) = read(data, "t.json")
    assert pos == 1 and isinstance(error, TicketError) and error.code == "BAD_JSON"


def test_jsonl_file_named_json_is_one_error() -> None:
    ((_, error),) = read(GOOD + b"\n" + GOOD + b"\n", "t.json")
    assert isinstance(error, TicketError) and error.code == "BAD_JSON"


class _Trickle(io.RawIOBase):
    """A non-seekable stream (like a pipe) that records how much was read."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._pending = b""
        self.produced = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if not self._pending:
            self._pending = next(self._chunks, b"")
            self.produced += len(self._pending)
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


def test_jsonl_streams_from_a_pipe() -> None:
    lines = 50_000
    raw = _Trickle(GOOD + b"\n" for _ in range(lines))
    stream = io.BufferedReader(raw, buffer_size=8192)
    items = iter_ticket_objects(stream, "-")
    assert next(items)[0] == 1
    # Only a buffer's worth has been pulled, not the whole input.
    assert raw.produced < 100 * len(GOOD)
    assert sum(1 for _ in items) == lines - 1


# --------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------


def test_example_ticket_from_data_md() -> None:
    ticket = TICKET_1042
    parsed = parse(ticket, line=3)
    assert parsed.id == "1042" and parsed.line == 3
    first, second, third = parsed.updates
    assert first.at == T0_S and first.is_customer_reply and first.index == 0
    assert first.changes == (
        ("status", "new"),
        ("priority", "normal"),
        ("channel", "email"),
        ("tags", frozenset({"billing"})),
        ("Plan tier", "enterprise"),
    )
    assert second.comment == "private" and not second.is_agent_reply
    assert second.changes == (("group", "Tier 2"), ("tags", frozenset({"billing", "escalated"})))
    assert third.is_agent_reply and third.at == parse_instant("2026-03-09T15:59:00Z")


def test_ids_kept_as_given() -> None:
    assert parse(tk(upd(), id=42)).id == 42
    assert parse(tk(upd(), id=-3)).id == -3
    assert parse(tk(upd(), id=" x ")).id == " x "
    assert parse(tk(upd(), id=2**64)).id == 2**64


def test_optional_keys_and_values() -> None:
    u = parse(tk(upd())).updates[0]
    assert u.comment is None and u.changes == ()
    changes = dict(
        parse(
            tk(
                upd(
                    set={
                        "priority": None,
                        "type": None,
                        "assignee": None,
                        "tags": None,
                        "flag": True,
                        "count": 3,
                        "ratio": 0.5,
                        "note": None,
                        "empty": "",
                        "big": 10**30,
                    }
                )
            )
        )
        .updates[0]
        .changes
    )
    assert changes["priority"] is None and changes["type"] is None
    assert changes["tags"] == frozenset()
    assert changes["flag"] is True and type(changes["flag"]) is bool
    assert changes["count"] == 3 and type(changes["count"]) is int
    assert changes["ratio"] == 0.5
    assert changes["big"] == 10**30


def test_set_keeps_input_order_with_tags() -> None:
    u = parse(tk(upd(set={"a": 1, "tags": ["x", "x", "y"], "b": 2}))).updates[0]
    assert u.changes == (("a", 1), ("tags", frozenset({"x", "y"})), ("b", 2))


def test_python_api_containers() -> None:
    ticket = types.MappingProxyType(
        {"id": "m", "updates": (types.MappingProxyType(upd(set={"tags": ("a",)})),)}
    )
    parsed = parse(ticket)
    assert parsed.updates[0].changes == (("tags", frozenset({"a"})),)


BAD_CASES: list[tuple[str, object, str, str]] = [
    # (name, ticket, code, message fragment)
    ("not an object", [1], "BAD_JSON", "JSON object"),
    ("string", "x", "BAD_JSON", "JSON object"),
    ("null", None, "BAD_JSON", "JSON object"),
    ("unknown ticket key", {"id": "1", "updates": [upd()], "Id": 2}, "BAD_KEY", '"Id"'),
    ("missing id", {"updates": [upd()]}, "BAD_VALUE", "missing key id"),
    ("missing updates", {"id": "1"}, "BAD_VALUE", "missing key updates"),
    ("empty id", tk(upd(), id=""), "BAD_VALUE", "id: must not be empty"),
    ("bool id", tk(upd(), id=True), "BAD_VALUE", "id: must be"),
    ("float id", tk(upd(), id=1.5), "BAD_VALUE", "id: must be"),
    ("null id", tk(upd(), id=None), "BAD_VALUE", "id: must be"),
    ("list id", tk(upd(), id=["1"]), "BAD_VALUE", "id: must be"),
    ("empty updates", tk(), "BAD_VALUE", "updates: must not be empty"),
    ("updates not a list", {"id": "1", "updates": {"at": T0}}, "BAD_VALUE", "updates: must be"),
    ("update not an object", tk(upd(), "x"), "BAD_VALUE", "updates[1]: must be an object"),
    ("unknown update key", tk(upd(), upd(note="x")), "BAD_KEY", 'updates[1]: unknown key "note"'),
    ("misspelt at", tk({"At": T0, "by": "agent"}), "BAD_KEY", '"At"'),
    ("missing at", tk({"by": "agent"}), "BAD_TIME", "updates[0]: missing key at"),
    ("missing by", tk({"at": T0}), "BAD_VALUE", "updates[0]: missing key by"),
    ("naive at", tk(upd("2026-03-07T00:00:00")), "BAD_TIME", "updates[0].at: "),
    ("numeric at", tk(upd(1772841600)), "BAD_TIME", "updates[0].at: must be a string"),
    ("null at", tk(upd(None)), "BAD_TIME", "updates[0].at"),
    ("month 13", tk(upd(), upd("2026-13-01T00:00:00Z")), "BAD_TIME", "updates[1].at"),
    ("hour 24", tk(upd("2026-03-01T24:00:00Z")), "BAD_TIME", "hour 24"),
    ("offset +25:00", tk(upd("2026-03-01T10:00:00+25:00")), "BAD_TIME", "+25:00"),
    ("unknown by", tk(upd(by="customer")), "BAD_VALUE", 'updates[0].by: "customer"'),
    ("by case", tk(upd(by="Agent")), "BAD_VALUE", "updates[0].by"),
    ("by null", tk(upd(by=None)), "BAD_VALUE", "updates[0].by"),
    ("by list", tk(upd(by=["agent"])), "BAD_VALUE", "updates[0].by"),
    ("unknown comment", tk(upd(comment="internal")), "BAD_VALUE", "updates[0].comment"),
    ("null comment", tk(upd(comment=None)), "BAD_VALUE", "updates[0].comment"),
    ("bool comment", tk(upd(comment=True)), "BAD_VALUE", "updates[0].comment"),
    ("set not an object", tk(upd(set=["status"])), "BAD_VALUE", "updates[0].set: must be"),
    ("set null", tk(upd(set=None)), "BAD_VALUE", "updates[0].set: must be"),
    ("status null", tk(upd(set={"status": None})), "BAD_VALUE", "updates[0].set.status"),
    ("status on-hold", tk(upd(set={"status": "on-hold"})), "BAD_VALUE", '"on-hold"'),
    ("status case", tk(upd(set={"status": "Open"})), "BAD_VALUE", "set.status"),
    ("status list", tk(upd(set={"status": ["open"]})), "BAD_VALUE", "set.status"),
    ("priority case", tk(upd(set={"priority": "Normal"})), "UNKNOWN_PRIORITY", '"Normal"'),
    ("priority unknown", tk(upd(set={"priority": "p1"})), "UNKNOWN_PRIORITY", "urgent, high"),
    ("priority number", tk(upd(set={"priority": 1})), "BAD_VALUE", "set.priority"),
    ("type unknown", tk(upd(set={"type": "bug"})), "BAD_VALUE", "set.type"),
    ("type list", tk(upd(set={"type": []})), "BAD_VALUE", "set.type"),
    ("channel number", tk(upd(set={"channel": 5})), "BAD_VALUE", "set.channel"),
    ("group bool", tk(upd(set={"group": False})), "BAD_VALUE", "set.group"),
    ("tags string", tk(upd(set={"tags": "billing"})), "BAD_VALUE", "set.tags: must be"),
    ("tags element", tk(upd(set={"tags": ["a", 1]})), "BAD_VALUE", "set.tags[1]"),
    ("tags nested", tk(upd(set={"tags": ["a", ["b"]]})), "BAD_VALUE", "set.tags[1]"),
    ("custom object", tk(upd(set={"Plan": {"a": 1}})), "BAD_VALUE", 'set."Plan"'),
    ("custom list", tk(upd(set={"Plan": [1]})), "BAD_VALUE", 'set."Plan"'),
    ("custom nan", tk(upd(set={"x": float("nan")})), "BAD_VALUE", "not a JSON number"),
    ("custom key not str", tk(upd(set={1: "x"})), "BAD_KEY", "field names"),
]


@pytest.mark.parametrize(
    ("ticket", "code", "fragment"),
    [case[1:] for case in BAD_CASES],
    ids=[case[0] for case in BAD_CASES],
)
def test_input_errors(ticket: object, code: str, fragment: str) -> None:
    error = error_of(ticket, line=7)
    assert error.code == code
    assert fragment in error.message
    assert error.line == 7
    readable_id = isinstance(ticket, dict) and ticket.get("id") == "1"
    assert error.ticket == ("1" if readable_id else None)


def test_error_carries_integer_id_and_no_line() -> None:
    error = error_of(tk(upd(by="x"), id=99), line=None)
    assert error.ticket == 99 and error.line is None


def test_huge_integer_id_from_orjson() -> None:
    ((_, obj),) = read(b'{"id": 123456789012345678901234567890, "updates": []}\n')
    error = error_of(obj)
    assert error.code == "BAD_VALUE" and "64 bits" in error.message


def test_whole_ticket_validated_including_late_updates() -> None:
    error = error_of(tk(upd(), upd("9999-12-31T23:59:59Z", by="robot")))
    assert error.code == "BAD_VALUE" and "updates[1].by" in error.message


def test_first_error_in_input_order() -> None:
    error = error_of(tk(upd(set={"status": "x"}), upd("bad")))
    assert error.code == "BAD_VALUE" and "updates[0]" in error.message


# --------------------------------------------------------------------------
# Order and LEFT_CLOSED
# --------------------------------------------------------------------------


def test_updates_sorted_stably_with_input_index() -> None:
    parsed = parse(
        tk(
            upd("2026-03-07T02:00:00Z", set={"n": 0}),
            upd("2026-03-07T01:00:00Z", set={"n": 1}),
            upd("2026-03-07T02:00:00.7Z", set={"n": 2}),  # same second as #0
            upd("2026-03-06T21:00:00-05:00", set={"n": 3}),  # = 02:00Z
            upd("2026-03-07T01:00:00.1Z", set={"n": 4}),
        )
    )
    assert [u.index for u in parsed.updates] == [1, 4, 0, 2, 3]
    assert [u.changes[0][1] for u in parsed.updates] == [1, 4, 0, 2, 3]
    assert [u.at for u in parsed.updates] == sorted(u.at for u in parsed.updates)


def test_left_closed() -> None:
    error = error_of(
        tk(
            upd("2026-03-07T01:00:00Z", set={"status": "closed"}),
            upd("2026-03-07T02:00:00Z", set={"status": "open"}),
        )
    )
    assert error.code == "LEFT_CLOSED" and error.line == 7 and error.ticket == "1"
    assert "updates[1].set.status" in error.message and "updates[0]" in error.message


def test_left_closed_after_sorting() -> None:
    # Earlier in the input, later in time: it comes after the close.
    error = error_of(
        tk(
            upd("2026-03-07T03:00:00Z", set={"status": "solved"}),
            upd("2026-03-07T01:00:00Z", set={"status": "closed"}),
        )
    )
    assert error.code == "LEFT_CLOSED" and "updates[0]" in error.message


def test_status_before_close_in_time_is_fine() -> None:
    # Later in the input, earlier in time: applied before the close.
    parsed = parse(
        tk(
            upd("2026-03-07T03:00:00Z", set={"status": "closed"}),
            upd("2026-03-07T01:00:00Z", set={"status": "open"}),
        )
    )
    assert [u.index for u in parsed.updates] == [1, 0]


def test_equal_instants_keep_input_order_for_left_closed() -> None:
    error = error_of(
        tk(
            upd("2026-03-07T01:00:00Z", set={"status": "closed"}),
            upd("2026-03-07T01:00:00.5Z", set={"status": "open"}),
        )
    )
    assert error.code == "LEFT_CLOSED"
    parse(
        tk(
            upd("2026-03-07T01:00:00.5Z", set={"status": "open"}),
            upd("2026-03-07T01:00:00Z", set={"status": "closed"}),
        )
    )


def test_closed_again_and_comments_after_close_are_fine() -> None:
    parsed = parse(
        tk(
            upd("2026-03-07T01:00:00Z", set={"status": "closed"}),
            upd("2026-03-07T02:00:00Z", by="requester", comment="public"),
            upd("2026-03-07T03:00:00Z", set={"status": "closed", "tags": ["late"]}),
            upd("2026-03-07T04:00:00Z", set={"priority": "high", "group": "g"}),
        )
    )
    assert len(parsed.updates) == 4
