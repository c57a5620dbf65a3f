"""``sladsl fmt [--check | --diff] FILE...``: rewrite contracts in the canonical layout.

Each file is handled on its own, so one bad file never stops the others:
a file with errors (syntax or checker) is left untouched and its diagnostics
go to stderr (exit 1); a missing or non-UTF-8 file is reported in one line
(exit 2, which wins over 1). Before anything is written the formatted text is
parsed again and must give the same contract and the same comments;
otherwise nothing is written and the user is asked to report it.

Example::

    $ sladsl fmt --check contracts/*.sla     # lists files that would change
    $ sladsl fmt contracts/*.sla             # rewrites them
    $ sladsl fmt - < support.sla             # formatted text on stdout
"""

from __future__ import annotations

import argparse
import difflib
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sladsl.check import check_text
from sladsl.check.diagnostics import Diagnostic, has_errors
from sladsl.cli.files import InputFileError, display_name, fail, read_source, use_color
from sladsl.cli.render import render_text
from sladsl.syntax.ast import Contract
from sladsl.syntax.format import format_contract
from sladsl.syntax.parser import parse

OK, FINDINGS, IO_ERROR = 0, 1, 2
STDIN = "-"


def register(subparsers: Any) -> None:
    """Add the ``fmt`` command to the ``sladsl`` parser (see :mod:`sladsl.cli.main`).

    Example::

        >>> from sladsl.cli.main import build_parser
        >>> build_parser().parse_args(["fmt", "--check", "a.sla"]).check
        True
    """
    parser = subparsers.add_parser(
        "fmt",
        help="rewrite contracts in the canonical layout",
        description=(
            "Rewrite contracts in place in the canonical layout, comments kept. "
            "`-` reads standard input and writes standard output."
        ),
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--check",
        action="store_true",
        help="change nothing; list the files that would change and exit 1 if any",
    )
    mode.add_argument(
        "--diff",
        action="store_true",
        help="change nothing; print a unified diff and exit 1 if any file would change",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="contract files (`-`: stdin)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Format every file named in ``args``; the exit code is the worst outcome.

    Example::

        >>> import argparse
        >>> run(argparse.Namespace(files=["missing.sla"], check=True, diff=False))
        2
    """
    status = OK
    for name in args.files:
        status = max(status, format_file(name, check=args.check, diff=args.diff))
    return status


def format_file(name: str, *, check: bool = False, diff: bool = False) -> int:
    """Format one file (``-``: stdin to stdout) and return its exit code.

    Example::

        >>> format_file("does-not-exist.sla")
        2
    """
    display = display_name(name)
    try:
        text = read_source(name)
    except InputFileError as error:
        fail(str(error))
        return IO_ERROR
    formatted = _formatted(text, display)
    if formatted is None:
        return FINDINGS
    changed = formatted != text
    if check:
        if changed:
            print(name, flush=True)
        return FINDINGS if changed else OK
    if diff:
        if changed:
            _write_stdout(unified_diff(text, formatted, display))
        return FINDINGS if changed else OK
    if name == STDIN:
        _write_stdout(formatted)
        return OK
    if changed:
        return _write(Path(name), formatted)
    return OK


def unified_diff(before: str, after: str, name: str) -> str:
    """A unified diff from ``before`` to ``after``, labelled for ``patch -p0``.

    Example::

        >>> unified_diff("a\\n", "b\\n", "x.sla").splitlines()
        ['--- x.sla\\t(original)', '+++ x.sla\\t(formatted)', '@@ -1 +1 @@', '-a', '+b']
    """
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"{name}\t(original)",
        tofile=f"{name}\t(formatted)",
    )
    out = []
    for line in lines:
        out.append(line)
        if not line.endswith("\n"):
            # The original lacked a final newline; keep the diff well-formed.
            out.append("\n\\ No newline at end of file\n")
    return "".join(out)


def _write_stdout(text: str) -> None:
    # Contracts are UTF-8 whatever the terminal's locale says, so bypass the
    # text layer's encoding when there is a byte stream underneath.
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    buffer.write(text.encode("utf-8"))
    buffer.flush()


def _formatted(text: str, display: str) -> str | None:
    """The formatted text, or None (with the reason on stderr) when it must not be written."""
    try:
        contract, diagnostics = check_text(text, display)
    except Exception as error:  # check_text promises not to raise; if it does, go on
        fail(f"could not check {display}: internal error {error!r} — please report this")
        return None
    if contract is None or has_errors(diagnostics):
        errors = [d for d in diagnostics if d.is_error]
        sys.stderr.write(_render(errors, {display: text}))
        sys.stderr.flush()
        return None
    try:
        formatted = format_contract(contract)
        same = _same_meaning(contract, formatted, display)
    except Exception as error:  # a formatter bug must not take the other files down
        fail(f"could not format {display}: internal error {error!r} — please report this")
        return None
    if not same:
        fail(f"formatting would change the meaning of {display}; not written — please report this")
        return None
    return formatted


def _same_meaning(contract: Contract, formatted: str, display: str) -> bool:
    again, _ = parse(formatted, display)
    if again is None or again != contract:
        return False
    # Comments are outside AST equality; losing one would still lose the author's text.
    return [c.text.rstrip() for c in again.comments] == [c.text.rstrip() for c in contract.comments]


def _render(diagnostics: Sequence[Diagnostic], sources: dict[str, str]) -> str:
    return render_text(list(diagnostics), sources, color=use_color(sys.stderr))


def _write(path: Path, text: str) -> int:
    # Write beside the file and rename over it, so an interrupted run never
    # leaves a half-written contract; keep the file's permissions, and write
    # through a symlink rather than replacing it.
    path = Path(os.path.realpath(path))
    try:
        mode = path.stat().st_mode & 0o7777
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
                out.write(text)
            os.chmod(temp, mode)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError as error:
        fail(f"cannot write {path}: {error.strerror or error}")
        return IO_ERROR
    return OK
