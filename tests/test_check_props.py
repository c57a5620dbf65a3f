"""Properties of the checker over generated syntax trees."""

from __future__ import annotations

from collections import Counter

from hypothesis import given

from sladsl.check.checker import check_contract
from sladsl.check.codes import CODES
from sladsl.syntax import ast
from sladsl.syntax.format import format_contract
from sladsl.syntax.parser import parse
from tests.strategies import contracts


@given(contracts(max_declarations=6))
def test_never_raises_and_uses_registered_codes(contract: ast.Contract) -> None:
    for d in check_contract(contract, "gen.sla"):
        assert d.code in CODES
        assert d.severity == CODES[d.code].severity
        assert d.line >= 1 and d.col >= 1
        assert d.message


@given(contracts(max_declarations=6))
def test_layout_does_not_change_what_is_found(contract: ast.Contract) -> None:
    # The same contract written out and read back gets the same diagnostics,
    # apart from where they point.
    text = format_contract(contract)
    reparsed, syntax = parse(text, "gen.sla")
    assert reparsed is not None, syntax
    before = Counter(d.code for d in check_contract(contract, "gen.sla"))
    after = Counter(d.code for d in check_contract(reparsed, "gen.sla"))
    assert before == after
