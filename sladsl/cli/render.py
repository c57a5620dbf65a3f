"""Diagnostics as people and CI systems read them: text, JSON, GitHub workflow
commands and SARIF 2.1.0.

Example::

    >>> from sladsl.check.diagnostics import Diagnostic
    >>> d = Diagnostic("SLA202", "error", "s.sla", 1, 21, 1, 25, "unknown calendar 'ofic'",
    ...                "did you mean 'office'?")
    >>> print(render_text([d], {"s.sla": "policy p { calendar ofic }"}, color=False))
    s.sla:1:21: error[SLA202]: unknown calendar 'ofic'
        policy p { calendar ofic }
                            ^^^^
        hint: did you mean 'office'?
    <BLANKLINE>
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from sladsl import __version__
from sladsl.check.codes import CODES
from sladsl.check.diagnostics import Diagnostic

_RED = "\x1b[31;1m"
_YELLOW = "\x1b[33;1m"
_BOLD = "\x1b[1m"
_CYAN = "\x1b[36m"
_RESET = "\x1b[0m"


def render_text(
    diagnostics: Sequence[Diagnostic], sources: Mapping[str, str], *, color: bool = False
) -> str:
    """``file:line:col: severity[CODE]: message``, the source line, a caret
    under the span, and the hint, one block per diagnostic."""
    out: list[str] = []
    lines_cache: dict[str, list[str]] = {}
    for d in diagnostics:
        sev = d.severity
        if color:
            tint = _RED if sev == "error" else _YELLOW
            out.append(f"{_BOLD}{d.location}{_RESET}: {tint}{sev}[{d.code}]{_RESET}: {d.message}")
        else:
            out.append(f"{d.location}: {sev}[{d.code}]: {d.message}")
        if d.file not in lines_cache:
            lines_cache[d.file] = sources.get(d.file, "").splitlines()
        lines = lines_cache[d.file]
        if 1 <= d.line <= len(lines):
            source_line = lines[d.line - 1].expandtabs(1)
            out.append("    " + source_line)
            width = (d.end_col - d.col) if d.end_line == d.line else len(source_line) - d.col + 1
            caret = " " * (d.col - 1) + "^" * max(1, width)
            out.append("    " + (f"{tint}{caret}{_RESET}" if color else caret))
        if d.hint:
            out.append(f"    {_CYAN}hint{_RESET}: {d.hint}" if color else f"    hint: {d.hint}")
    return "\n".join(out) + ("\n" if out else "")


def render_json(diagnostics: Sequence[Diagnostic]) -> str:
    """A JSON array of diagnostic objects (the ``Diagnostic`` attributes)."""
    return json.dumps([d.to_dict() for d in diagnostics], indent=2, ensure_ascii=False) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(diagnostics: Sequence[Diagnostic]) -> str:
    """GitHub Actions workflow commands (``::error file=...::message``).

    GitHub shows only the first ten annotations of a kind per step, so the
    same diagnostics also go to stderr in text form (see ``cli.check``).
    """
    out = []
    for d in diagnostics:
        kind = "error" if d.severity == "error" else "warning"
        props = ",".join(
            f"{key}={_escape_property(str(value))}"
            for key, value in (
                ("file", d.file),
                ("line", d.line),
                ("col", d.col),
                ("endLine", d.end_line),
                ("endColumn", d.end_col),
                ("title", f"{d.code} {CODES[d.code].title}" if d.code in CODES else d.code),
            )
        )
        message = d.message + (f" (hint: {d.hint})" if d.hint else "")
        out.append(f"::{kind} {props}::{_escape_data(message)}")
    return "\n".join(out) + ("\n" if out else "")


def render_sarif(diagnostics: Sequence[Diagnostic]) -> str:
    """A SARIF 2.1.0 log with one run, every registry code as a rule, and a
    result with a physical-location region per diagnostic."""
    rule_ids = sorted(CODES)
    index = {code: i for i, code in enumerate(rule_ids)}
    rules = [
        {
            "id": code,
            "name": CODES[code].title,
            "shortDescription": {"text": CODES[code].title},
            "defaultConfiguration": {"level": CODES[code].severity},
        }
        for code in rule_ids
    ]
    results = []
    for d in diagnostics:
        message = d.message + (f" (hint: {d.hint})" if d.hint else "")
        result: dict[str, object] = {
            "ruleId": d.code,
            "level": d.severity,
            "message": {"text": message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": d.file},
                        "region": {
                            "startLine": d.line,
                            "startColumn": d.col,
                            "endLine": d.end_line,
                            "endColumn": max(d.end_col, d.col + 1)
                            if d.end_line == d.line
                            else d.end_col,
                        },
                    }
                }
            ],
        }
        if d.code in index:
            result["ruleIndex"] = index[d.code]
        results.append(result)
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "sladsl",
                        "version": __version__,
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
