"""`sladsl eval` and `sladsl explain` as a team lead meets them: real files,
bad input on purpose, every ticket accounted for, exit codes per DATA.md."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sladsl.cli.main import main
from sladsl.cli.output import CSV_COLUMNS
from tests.conftest import EXAMPLES
from tests.spec_data import RESULT_1042

SUPPORT = str(EXAMPLES / "support.sla")
TICKETS = str(EXAMPLES / "tickets.jsonl")
BAD = str(EXAMPLES / "bad_tickets.jsonl")
NOW = "2026-03-10T18:00:00Z"


def run_eval(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["eval", *args])
    out, err = capsys.readouterr()
    return code, out, err


def jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def test_example_tickets(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_eval(capsys, SUPPORT, TICKETS, "--now", NOW)
    assert code == 0, err
    results = {r["ticket"]: r for r in jsonl(out)}
    assert list(results) == ["1042", "1043", "1044", "1045", "1046", "1047"]
    # DATA.md's example, figure for figure.
    assert results["1042"] == RESULT_1042
    assert results["1043"]["metrics"][0]["status"] == "breached"
    assert results["1043"]["metrics"][0]["due_at"] == "2026-03-09T16:00:00Z"
    # SEMANTICS.md §6 example 4: no backdating past the tag's arrival at 10:30 local.
    assert results["1044"]["policy"] == "altered_service"
    assert results["1044"]["metrics"][0]["due_at"] == "2026-03-09T14:30:00Z"
    # Created Tue 13:00 EDT, 1h of business time gone at 14:00 EDT: due 17:00 EDT.
    assert results["1045"]["metrics"][0]["status"] == "active"
    assert results["1045"]["next_due_at"] == "2026-03-10T21:00:00Z"
    # An agent's public comment came first: first reply never starts.
    assert results["1046"]["metrics"] == []
    # Solved without a reply: the reply metric is fulfilled.
    assert results["1047"]["metrics"][0]["status"] == "achieved"


def test_bad_tickets_every_line_accounted(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_eval(capsys, SUPPORT, BAD, "--now", NOW)
    assert code == 1
    results = jsonl(out)
    # 11 lines, one blank: ten results, in order.
    assert len(results) == 10
    errors = [
        (r["ticket"], r["error"]["code"], r["error"]["line"]) for r in results if "error" in r
    ]
    assert errors == [
        ("2002", "BAD_TIME", 2),
        ("2003", "BAD_VALUE", 3),
        (None, "BAD_JSON", 5),
        ("2005", "UNKNOWN_PRIORITY", 6),
        ("2006", "LEFT_CLOSED", 7),
        ("2007", "BAD_VALUE", 8),
        ("2008", "BAD_KEY", 9),
        (None, "BAD_JSON", 10),
    ]
    assert [r["ticket"] for r in results if "error" not in r] == ["2001", "2010"]
    assert "Traceback" not in err


def test_csv_format(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_eval(capsys, SUPPORT, BAD, "--now", NOW, "--format", "csv")
    assert code == 1
    rows = list(csv.reader(io.StringIO(out)))
    assert tuple(rows[0]) == CSV_COLUMNS
    by_ticket = {row[0]: dict(zip(CSV_COLUMNS, row, strict=True)) for row in rows[1:]}
    assert by_ticket["2005"]["error_code"] == "UNKNOWN_PRIORITY"
    assert by_ticket["2005"]["error_line"] == "6"
    assert by_ticket["2005"]["metric"] == ""
    assert by_ticket["2001"]["ticket_policy"] == "general"
    assert by_ticket["2001"]["metric"] == "first_reply_time"
    assert by_ticket["2001"]["error_code"] == ""
    assert by_ticket[""]["error_code"] == "BAD_JSON"


def test_csv_ticket_without_instances_gets_one_row(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_eval(capsys, SUPPORT, TICKETS, "--now", NOW, "--format", "csv")
    assert code == 0
    rows = [r for r in csv.reader(io.StringIO(out))][1:]
    lone = [r for r in rows if r[0] == "1046"]
    assert len(lone) == 1 and lone[0][3:16] == [""] * 13


def test_table_format(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_eval(capsys, SUPPORT, TICKETS, "--now", NOW, "--format", "table")
    assert code == 0
    assert "breached" in out and "achieved" in out and "active" in out


def test_output_file_and_jobs_keep_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [
        json.dumps(
            {
                "id": i,
                "updates": [
                    {
                        "at": f"2026-03-{1 + i % 28:02d}T10:00:00Z",
                        "by": "requester",
                        "comment": "public",
                        "set": {"priority": "normal"},
                    }
                ],
            }
        )
        for i in range(1200)
    ]
    lines[700] = "{broken"
    source = tmp_path / "many.jsonl"
    source.write_text("\n".join(lines) + "\n")
    outputs = []
    for jobs in ("1", "2"):
        target = tmp_path / f"out{jobs}.jsonl"
        code = main(["eval", SUPPORT, str(source), "--now", NOW, "--jobs", jobs, "-o", str(target)])
        assert code == 1
        outputs.append(target.read_text())
    assert outputs[0] == outputs[1]
    results = jsonl(outputs[0])
    assert [r["ticket"] for r in results[:3]] == [0, 1, 2]
    assert results[700] == {"ticket": None, "error": results[700]["error"]}
    assert results[700]["error"]["line"] == 701 and len(results) == 1200
    assert capsys.readouterr().out == ""


def test_json_array_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tickets = [json.loads(line) for line in Path(TICKETS).read_text().splitlines()]
    source = tmp_path / "tickets.json"
    source.write_text(json.dumps(tickets, indent=2))
    code, out, _ = run_eval(capsys, SUPPORT, str(source), "--now", NOW)
    assert code == 0
    assert [r["ticket"] for r in jsonl(out)] == [t["id"] for t in tickets]


def test_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    data = Path(TICKETS).read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, out, _ = run_eval(capsys, SUPPORT, "-", "--now", NOW)
    assert code == 0 and len(jsonl(out)) == 6


def test_contract_with_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    contract = tmp_path / "broken.sla"
    contract.write_text("policy p {\n    calendar nowhere\n    first_reply_time: 1h\n}\n")
    code, out, err = run_eval(capsys, str(contract), TICKETS, "--now", NOW)
    assert code == 2 and out == ""
    assert f"{contract}:2:14: error[SLA202]" in err


def test_missing_files_and_bad_now_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_eval(capsys, SUPPORT, str(tmp_path / "none.jsonl"), "--now", NOW)[0] == 2
    assert run_eval(capsys, str(tmp_path / "none.sla"), TICKETS, "--now", NOW)[0] == 2
    code, _, err = run_eval(capsys, SUPPORT, TICKETS, "--now", "yesterday")
    assert code == 2 and "--now" in err


def test_explain(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["explain", SUPPORT, TICKETS, "--ticket", "1044", "--now", NOW])
    out = capsys.readouterr().out
    assert code == 0
    assert "altered_service" in out and "breached" in out
    assert "America/New_York" in out or "EDT" in out


def test_explain_unknown_and_bad_ticket(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", SUPPORT, TICKETS, "--ticket", "nope", "--now", NOW]) == 2
    assert "no ticket with id 'nope'" in capsys.readouterr().err
    assert main(["explain", SUPPORT, BAD, "--ticket", "2005", "--now", NOW]) == 1
    assert "UNKNOWN_PRIORITY" in capsys.readouterr().err


def test_readme_first_command_shape() -> None:
    """The README's first command evaluates the shipped example."""
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "sladsl",
            "eval",
            SUPPORT,
            TICKETS,
            "--now",
            NOW,
            "--format",
            "table",
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert "breached" in proc.stdout and "achieved" in proc.stdout


def test_progress_only_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Not a terminal (the capture): stderr stays clean for logs and pipes.
    code, _, err = run_eval(capsys, SUPPORT, TICKETS, "--now", NOW, "-o", "/dev/null")
    assert code == 0 and err == ""
    # A terminal: a ticket counter, erased at the end.
    import sladsl.cli.eval as eval_command

    monkeypatch.setattr(eval_command, "_isatty", lambda stream: True)
    code, out, err = run_eval(capsys, SUPPORT, TICKETS, "--now", NOW)
    assert code == 0 and len(jsonl(out)) == 6
    assert "\r6 tickets (" in err and err.endswith("\r\x1b[K")


@given(
    lines=st.lists(
        st.sampled_from([b"", b"   ", b'{"id": 1}', b'{"id": "long' + b"x" * 40 + b'"}', b"{bad"]),
        max_size=30,
    ),
    final_newline=st.booleans(),
    bom=st.booleans(),
    size=st.integers(min_value=1, max_value=64),
)
def test_file_blocks_number_lines_like_the_reader(
    tmp_path_factory: pytest.TempPathFactory,
    lines: list[bytes],
    final_newline: bool,
    bom: bool,
    size: int,
) -> None:
    """--jobs workers read blocks of the file themselves; every ticket must get
    the position the streaming reader gives it, whatever the block size."""
    from sladsl.cli.eval import file_blocks
    from sladsl.timeline.reader import iter_ticket_objects, split_json_lines

    data = (b"\xef\xbb\xbf" if bom else b"") + b"\n".join(lines)
    data += b"\n" if final_newline and lines else b""
    path = tmp_path_factory.mktemp("blocks") / "t.jsonl"
    path.write_bytes(data)
    expected = [
        (n, raw) for n, raw in iter_ticket_objects(io.BytesIO(data), "t.jsonl", decode=False)
    ]
    got = []
    covered = 0
    for _, offset, length, first in file_blocks(str(path), size):
        assert offset == covered
        covered += length
        got.extend(split_json_lines(data[offset : offset + length], first))
    assert covered == len(data)
    assert [(n, raw.rstrip(b"\r")) for n, raw in got] == [
        (n, raw.rstrip(b"\r"))
        for n, raw in expected  # type: ignore[union-attr]
    ]
