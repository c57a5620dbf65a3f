"""Result writers for ``sladsl eval``: JSON Lines, CSV (DATA.md) and a table for people.

Each writer turns a batch of results into bytes, so the same code serves the
single-process loop and the worker processes of ``--jobs``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

import orjson

from sladsl.engine.results import METRIC_KEYS, ErrorResult, TicketResult

Result = TicketResult | ErrorResult

# The instance keys in DATA.md's order, as the results define them.
INSTANCE_KEYS: tuple[str, ...] = METRIC_KEYS
TICKET_KEYS: tuple[str, ...] = ("ticket", "ticket_policy", "next_due_at")
ERROR_KEYS: tuple[str, ...] = ("error_code", "error_message", "error_line")
CSV_COLUMNS: tuple[str, ...] = (*TICKET_KEYS, *INSTANCE_KEYS, *ERROR_KEYS)


class Writer(Protocol):
    def header(self) -> bytes: ...

    def batch(self, results: Iterable[Result]) -> bytes: ...


class JsonLinesWriter:
    """One JSON object per ticket, exactly DATA.md's result (or error) object."""

    def header(self) -> bytes:
        return b""

    def batch(self, results: Iterable[Result]) -> bytes:
        dumps = orjson.dumps
        return b"".join(dumps(r.to_dict()) + b"\n" for r in results)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return str(value)


class CsvWriter:
    """DATA.md's CSV: a row per reported instance, one row for a ticket without
    instances, one row per error; null is an empty cell."""

    def header(self) -> bytes:
        return self._rows([list(CSV_COLUMNS)])

    def _rows(self, rows: Sequence[Sequence[str]]) -> bytes:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(rows)
        return buffer.getvalue().encode("utf-8")

    def batch(self, results: Iterable[Result]) -> bytes:
        rows: list[list[str]] = []
        blank_instance = [""] * len(INSTANCE_KEYS)
        for result in results:
            data = result.to_dict()
            ticket = _cell(data["ticket"])
            if "error" in data:
                error = data["error"]
                error_cells = [error["code"], error["message"], _cell(error["line"])]
                rows.append([ticket, "", "", *blank_instance, *error_cells])
                continue
            lead = [ticket, _cell(data["policy"]), _cell(data["next_due_at"])]
            metrics = data["metrics"]
            if not metrics:
                rows.append(lead + blank_instance + ["", "", ""])
            for metric in metrics:
                rows.append(lead + [_cell(metric[k]) for k in INSTANCE_KEYS] + ["", "", ""])
        return self._rows(rows)


def _duration(seconds: int) -> str:
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours}h{minutes:02d}m" + (f"{secs:02d}s" if secs else "")


class TableWriter:
    """A fixed-width table for people reading a terminal (not normative)."""

    COLUMNS = (
        "ticket",
        "metric",
        "#",
        "policy",
        "prio",
        "status",
        "due_at",
        "elapsed",
        "remaining",
    )
    WIDTHS = (10, 22, 2, 16, 7, 9, 20, 10, 10)

    def _line(self, cells: Sequence[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, self.WIDTHS, strict=True)).rstrip()

    def header(self) -> bytes:
        head = self._line(self.COLUMNS)
        return (head + "\n" + "-" * len(head) + "\n").encode()

    def batch(self, results: Iterable[Result]) -> bytes:
        lines: list[str] = []
        for result in results:
            data = result.to_dict()
            ticket = _cell(data["ticket"])
            if "error" in data:
                error = data["error"]
                lines.append(
                    f"{ticket.ljust(10)}  ERROR {error['code']} (input line {error['line']}): "
                    f"{error['message']}"
                )
                continue
            if not data["metrics"]:
                lines.append(
                    self._line(
                        [ticket, "-", "", _cell(data["policy"]) or "(none)", "", "", "", "", ""]
                    )
                )
            for m in data["metrics"]:
                lines.append(
                    self._line(
                        [
                            ticket,
                            m["metric"],
                            str(m["instance"]),
                            m["policy"],
                            _cell(m["priority"]),
                            m["status"],
                            _cell(m["due_at"]),
                            _duration(m["elapsed_seconds"]),
                            _duration(m["remaining_seconds"]),
                        ]
                    )
                )
        return ("\n".join(lines) + "\n").encode() if lines else b""


WRITERS: dict[str, type[JsonLinesWriter] | type[CsvWriter] | type[TableWriter]] = {
    "jsonl": JsonLinesWriter,
    "csv": CsvWriter,
    "table": TableWriter,
}
