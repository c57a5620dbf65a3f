"""Validation: the diagnostics registry and the checker's passes.

``check_text`` is the front end in one call: parse, then check.
"""

from __future__ import annotations

from sladsl.check.diagnostics import Diagnostic, sort_key
from sladsl.syntax.ast import Contract


def check_text(text: str, filename: str = "<string>") -> tuple[Contract | None, list[Diagnostic]]:
    """Parse and check ``text``; the contract is None when it does not parse.

    Diagnostics come sorted by position. Never raises on any input string.
    """
    from sladsl.check.checker import check_contract
    from sladsl.syntax.parser import parse

    tree, diagnostics = parse(text, filename)
    if tree is not None:
        diagnostics = diagnostics + check_contract(tree, filename)
    return tree, sorted(diagnostics, key=sort_key)
