"""``sladsl check FILE...``: validate contracts, as CI runs it.

Silent on success. Diagnostics go to stderr as text, or to stdout with
``--format json|github|sarif``. Exit 0 clean (warnings alone included), 1 if
any error (or any warning with ``--strict``), 2 if a file cannot be read.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from sladsl.check import check_text
from sladsl.check.diagnostics import Diagnostic
from sladsl.cli.files import InputFileError, display_name, fail, read_source, use_color
from sladsl.cli.render import render_github, render_json, render_sarif, render_text


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "check",
        help="check contracts for errors and warnings",
        description="Check .sla contracts. Prints nothing when there is nothing to report.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="contract files; - reads stdin")
    parser.add_argument(
        "--format",
        choices=("text", "json", "github", "sarif"),
        default="text",
        help="text (stderr, the default), or json/github/sarif on stdout",
    )
    parser.add_argument("--strict", action="store_true", help="warnings also make the exit code 1")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    diagnostics: list[Diagnostic] = []
    sources: dict[str, str] = {}
    unreadable = False
    for path in args.files:
        try:
            text = read_source(path)
        except InputFileError as error:
            fail(str(error))
            unreadable = True
            continue
        name = display_name(path)
        sources[name] = text
        diagnostics.extend(check_text(text, name)[1])

    if args.format == "text":
        if diagnostics:
            sys.stderr.write(render_text(diagnostics, sources, color=use_color(sys.stderr)))
    elif args.format == "json":
        sys.stdout.write(render_json(diagnostics))
    elif args.format == "sarif":
        sys.stdout.write(render_sarif(diagnostics))
    else:
        sys.stdout.write(render_github(diagnostics))
        # GitHub keeps only ten annotations per step: the full report goes to the log too.
        if diagnostics:
            sys.stderr.write(render_text(diagnostics, sources, color=False))

    if unreadable:
        return 2
    errors = sum(d.severity == "error" for d in diagnostics)
    if errors or (args.strict and diagnostics):
        return 1
    return 0
