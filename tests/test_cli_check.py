"""`sladsl check` as CI meets it: exit codes, output formats, unreadable files."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from sladsl.cli.main import main
from sladsl.cli.render import render_github

GOOD = """calendar office {
    timezone "America/New_York"
    hours mon-fri 09:00-17:00
}

policy general {
    calendar office
    first_reply_time: 4h
}
"""
# Line 3 refers to a calendar that does not exist: `ofice` starts at column 14.
BAD = """policy general {
    first_reply_time: 4h
    calendar ofice
}

calendar office {
    timezone "America/New_York"
    hours mon-fri 09:00-17:00
}
"""
# Only a warning: a `d` duration counted in business hours.
WARNING_ONLY = """calendar office {
    timezone "America/New_York"
    hours mon-fri 09:00-17:00
}

policy general {
    calendar office
    total_resolution_time: 2d
}
"""


def write(tmp_path: Path, name: str, text: str | bytes) -> str:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return str(path)


def test_clean_file_is_silent(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", write(tmp_path, "good.sla", GOOD)]) == 0
    out, err = capsys.readouterr()
    assert out == "" and err == ""


def test_error_text_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "bad.sla", BAD)
    assert main(["check", path]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    assert lines[0] == f"{path}:3:14: error[SLA202]: unknown calendar 'ofice'"
    assert lines[1] == "        calendar ofice"
    assert lines[2] == "                 ^^^^^"
    assert "office" in lines[3] and lines[3].lstrip().startswith("hint:")


def test_warnings_exit_zero_unless_strict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "warn.sla", WARNING_ONLY)
    assert main(["check", path]) == 0
    assert "warning[SLA412]" in capsys.readouterr().err
    assert main(["check", "--strict", path]) == 1


def test_json_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "bad.sla", BAD)
    assert main(["check", "--format", "json", path]) == 1
    out, _err = capsys.readouterr()
    data = json.loads(out)
    assert data[0]["code"] == "SLA202"
    assert (data[0]["line"], data[0]["col"], data[0]["end_col"]) == (3, 14, 19)
    assert data[0]["severity"] == "error" and data[0]["file"] == path


def test_sarif_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "bad.sla", BAD)
    assert main(["check", "--format", "sarif", path]) == 1
    log = json.loads(capsys.readouterr().out)
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    result = run["results"][0]
    assert result["ruleId"] == "SLA202"
    assert rule_ids[result["ruleIndex"]] == "SLA202"
    region = result["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 3, "startColumn": 14, "endLine": 3, "endColumn": 19}
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == path


def test_github_format_escapes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "bad.sla", BAD)
    assert main(["check", "--format", "github", path]) == 1
    out, err = capsys.readouterr()
    assert out.startswith(f"::error file={path},line=3,col=14,")
    assert "unknown calendar 'ofice'" in out
    assert "error[SLA202]" in err  # the full report also goes to the log


def test_github_escaping_rules() -> None:
    from sladsl.check.diagnostics import Diagnostic

    d = Diagnostic("SLA202", "error", "a,b:c.sla", 1, 1, 1, 2, "50% done\nnext: line", None)
    line = render_github([d]).rstrip("\n")
    assert line.startswith("::error file=a%2Cb%3Ac.sla,line=1,col=1,")
    assert line.endswith("::50%25 done%0Anext: line")


def test_missing_file_exit_2_and_others_still_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = write(tmp_path, "bad.sla", BAD)
    missing = str(tmp_path / "missing.sla")
    assert main(["check", missing, bad]) == 2
    err = capsys.readouterr().err
    assert f"{missing}: no such file" in err
    assert "error[SLA202]" in err  # the readable file was still checked


def test_not_utf8_is_clean_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "latin1.sla", "# caf\xe9\n".encode("latin-1"))
    assert main(["check", path]) == 2
    err = capsys.readouterr().err
    assert "not UTF-8" in err and "Traceback" not in err


def test_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(BAD.encode()), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    assert main(["check", "-"]) == 1
    assert capsys.readouterr().err.startswith("<stdin>:3:14: error[SLA202]")


def test_usage_error_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["check", "--format", "xml", "x.sla"])
    assert info.value.code == 2


def test_console_script_runs(tmp_path: Path) -> None:
    """The installed entry point, as a user types it."""
    path = write(tmp_path, "bad.sla", BAD)
    proc = subprocess.run(
        [sys.executable, "-m", "sladsl", "check", path], capture_output=True, text=True
    )
    assert proc.returncode == 1
    assert "error[SLA202]" in proc.stderr and "Traceback" not in proc.stderr
