"""``sladsl fmt``: in-place rewrite, --check, --diff, stdin, and every failure
mode leaving files untouched while the rest of the batch is still processed."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest

import sladsl.cli.fmt as fmt_module
from sladsl.cli.main import main

MESSY = 'policy  general{calendar office first_reply_time:4h}\ncalendar office{timezone "UTC"\nhours mon-fri 09:00-17:00}\n'  # noqa: E501
CANONICAL = (
    "policy general {\n"
    "    calendar office\n"
    "    first_reply_time: 4h\n"
    "}\n"
    "\n"
    "calendar office {\n"
    '    timezone "UTC"\n'
    "    hours mon-fri 09:00-17:00\n"
    "}\n"
)
SYNTAX_ERROR = "policy p {\n    when tags has\n}\n"
CHECK_ERROR = "policy p {\n    calendar nowhere\n    first_reply_time: 4h\n}\n"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8", newline="")
    return path


def age(path: Path) -> int:
    """Set a file's mtime well into the past and return it, so a rewrite shows."""
    os.utime(path, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    return path.stat().st_mtime_ns


def fake_stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_rewrites_in_place(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "a.sla", MESSY)
    assert main(["fmt", str(path)]) == 0
    assert path.read_text(encoding="utf-8") == CANONICAL
    out, err = capsys.readouterr()
    assert out == "" and err == ""


def test_rewrite_keeps_permissions(tmp_path: Path) -> None:
    path = write(tmp_path / "a.sla", MESSY)
    path.chmod(0o640)
    assert main(["fmt", str(path)]) == 0
    assert path.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["a.sla"]  # no temporary file left


def test_unchanged_file_is_not_rewritten(tmp_path: Path) -> None:
    path = write(tmp_path / "a.sla", CANONICAL)
    before = age(path)
    assert main(["fmt", str(path)]) == 0
    assert path.stat().st_mtime_ns == before


def test_check_lists_files_that_would_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    messy = write(tmp_path / "messy.sla", MESSY)
    clean = write(tmp_path / "clean.sla", CANONICAL)
    assert main(["fmt", "--check", str(messy), str(clean)]) == 1
    out, _ = capsys.readouterr()
    assert out.splitlines() == [str(messy)]
    assert messy.read_text(encoding="utf-8") == MESSY


def test_check_on_clean_files_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clean = write(tmp_path / "clean.sla", CANONICAL)
    before = age(clean)
    assert main(["fmt", "--check", str(clean)]) == 0
    assert capsys.readouterr().out == ""
    assert clean.stat().st_mtime_ns == before


def test_diff_prints_unified_diff(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    messy = write(tmp_path / "messy.sla", MESSY)
    clean = write(tmp_path / "clean.sla", CANONICAL)
    assert main(["fmt", "--diff", str(messy), str(clean)]) == 1
    out, _ = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0] == f"--- {messy}\t(original)"
    assert lines[1] == f"+++ {messy}\t(formatted)"
    assert lines[2].startswith("@@")
    assert "-policy  general{calendar office first_reply_time:4h}" in lines
    assert "+    first_reply_time: 4h" in lines
    assert str(clean) not in out
    assert messy.read_text(encoding="utf-8") == MESSY


def test_diff_without_final_newline_is_well_formed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path / "a.sla", CANONICAL.rstrip("\n"))
    assert main(["fmt", "--diff", str(path)]) == 1
    out = capsys.readouterr().out
    assert "\\ No newline at end of file\n" in out
    assert all(line[:1] in "-+@ \\" for line in out.splitlines())


def test_diff_on_clean_file_prints_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["fmt", "--diff", str(write(tmp_path / "a.sla", CANONICAL))]) == 0
    assert capsys.readouterr().out == ""


def test_check_and_diff_are_exclusive(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as info:
        main(["fmt", "--check", "--diff", str(write(tmp_path / "a.sla", CANONICAL))])
    assert info.value.code == 2


def test_stdin_to_stdout(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_stdin(monkeypatch, MESSY.encode())
    assert main(["fmt", "-"]) == 0
    assert capsys.readouterr().out == CANONICAL


def test_stdin_already_formatted_is_echoed(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_stdin(monkeypatch, CANONICAL.encode())
    assert main(["fmt", "-"]) == 0
    assert capsys.readouterr().out == CANONICAL


def test_stdin_check(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    fake_stdin(monkeypatch, MESSY.encode())
    assert main(["fmt", "--check", "-"]) == 1
    assert capsys.readouterr().out == "-\n"


def test_stdin_with_errors(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_stdin(monkeypatch, SYNTAX_ERROR.encode())
    assert main(["fmt", "-"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("<stdin>:")


@pytest.mark.parametrize("text", [SYNTAX_ERROR, CHECK_ERROR], ids=["syntax", "checker"])
def test_file_with_errors_is_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    bad = write(tmp_path / "bad.sla", text)
    good = write(tmp_path / "good.sla", MESSY)
    before = age(bad)
    assert main(["fmt", str(bad), str(good)]) == 1
    assert bad.read_text(encoding="utf-8") == text
    assert bad.stat().st_mtime_ns == before
    assert good.read_text(encoding="utf-8") == CANONICAL
    err = capsys.readouterr().err
    assert err.startswith(f"{bad}:")
    assert "error[SLA" in err


def test_warnings_do_not_stop_formatting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # An unused calendar is only a warning; fmt is not a linter and stays quiet.
    text = 'calendar spare{timezone "UTC" hours mon 09:00-17:00}'
    path = write(tmp_path / "w.sla", text)
    assert main(["fmt", str(path)]) == 0
    assert path.read_text(encoding="utf-8").startswith("calendar spare {\n")
    assert capsys.readouterr().err == ""


def test_missing_file_exits_2_and_others_are_formatted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "missing.sla"
    good = write(tmp_path / "good.sla", MESSY)
    assert main(["fmt", str(missing), str(good)]) == 2
    assert good.read_text(encoding="utf-8") == CANONICAL
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert str(missing) in err


def test_directory_is_an_io_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fmt", str(tmp_path)]) == 2
    assert str(tmp_path) in capsys.readouterr().err


def test_non_utf8_file_exits_2_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    latin = tmp_path / "latin.sla"
    data = 'policy p {\n    when brand is "Caf\xe9"\n}\n'.encode("latin-1")
    latin.write_bytes(data)
    good = write(tmp_path / "good.sla", MESSY)
    assert main(["fmt", str(latin), str(good)]) == 2
    assert latin.read_bytes() == data
    assert good.read_text(encoding="utf-8") == CANONICAL
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert str(latin) in err and "UTF-8" in err


def test_exit_2_wins_over_1(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.sla", SYNTAX_ERROR)
    assert main(["fmt", str(bad), str(tmp_path / "missing.sla")]) == 2
    assert main(["fmt", "--check", str(tmp_path / "missing.sla"), str(bad)]) == 2


def test_refuses_to_write_when_meaning_would_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "a.sla", MESSY)
    monkeypatch.setattr(
        fmt_module, "format_contract", lambda contract: CANONICAL.replace("4h", "5h")
    )
    assert main(["fmt", str(path)]) == 1
    assert path.read_text(encoding="utf-8") == MESSY
    err = capsys.readouterr().err
    assert f"formatting would change the meaning of {path}; not written" in err


def test_refuses_to_write_when_a_comment_would_be_lost(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "a.sla", "# keep me\n" + MESSY)
    monkeypatch.setattr(fmt_module, "format_contract", lambda contract: CANONICAL)
    assert main(["fmt", str(path)]) == 1
    assert path.read_text(encoding="utf-8") == "# keep me\n" + MESSY
    assert "would change the meaning" in capsys.readouterr().err


def test_formatter_crash_is_reported_and_batch_continues(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []

    def flaky(contract: object) -> str:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("boom")
        return CANONICAL

    monkeypatch.setattr(fmt_module, "format_contract", flaky)
    first = write(tmp_path / "a.sla", MESSY)
    second = write(tmp_path / "b.sla", MESSY)
    assert main(["fmt", str(first), str(second)]) == 1
    assert first.read_text(encoding="utf-8") == MESSY
    assert second.read_text(encoding="utf-8") == CANONICAL
    assert "please report this" in capsys.readouterr().err


def test_crlf_file_is_normalised(tmp_path: Path) -> None:
    path = write(tmp_path / "a.sla", CANONICAL.replace("\n", "\r\n"))
    assert main(["fmt", str(path)]) == 0
    assert path.read_bytes() == CANONICAL.encode()


def test_byte_order_mark_is_dropped_when_rewriting(tmp_path: Path) -> None:
    path = tmp_path / "bom.sla"
    path.write_bytes(b"\xef\xbb\xbf" + MESSY.encode())
    assert main(["fmt", str(path)]) == 0
    assert path.read_bytes() == CANONICAL.encode()


def test_symlink_is_written_through(tmp_path: Path) -> None:
    target = write(tmp_path / "real.sla", MESSY)
    link = tmp_path / "link.sla"
    link.symlink_to(target)
    assert main(["fmt", str(link)]) == 0
    assert link.is_symlink()
    assert target.read_text(encoding="utf-8") == CANONICAL
