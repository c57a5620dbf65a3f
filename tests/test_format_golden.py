"""Golden files: tests/fmt/NAME.sla formats to tests/fmt/NAME.sla.formatted.

To accept a deliberate layout change, regenerate with
``SLADSL_UPDATE_GOLDEN=1 pytest tests/test_format_golden.py`` and review the diff.
"""

from __future__ import annotations

import os
import re
from decimal import Decimal
from pathlib import Path

import pytest

from sladsl.check import check_text
from sladsl.errors import ContractError
from sladsl.syntax import ast
from sladsl.syntax.format import format_contract, format_number, format_text, format_value, quote
from sladsl.syntax.parser import parse
from tests.conftest import EXAMPLES, SPEC

GOLDEN = Path(__file__).parent / "fmt"
CASES = sorted(GOLDEN.glob("*.sla"))
_BLOCK = re.compile(r"^```sla\n(.*?)^```", re.S | re.M)
_MARKER = "# ===== block =====\n"


def comments_of(text: str) -> list[str]:
    contract, diagnostics = parse(text, "x.sla")
    assert contract is not None, diagnostics
    return [c.text.rstrip() for c in contract.comments]


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_golden(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    formatted = format_text(source, path.name)
    expected_path = path.with_name(path.name + ".formatted")
    if os.environ.get("SLADSL_UPDATE_GOLDEN"):
        expected_path.write_text(formatted, encoding="utf-8")
    assert formatted == expected_path.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_golden_output_is_stable_and_faithful(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    formatted = format_text(source, path.name)
    assert format_text(formatted) == formatted
    assert parse(formatted, "f.sla")[0] == parse(source, "s.sla")[0]
    assert comments_of(formatted) == comments_of(source)


def spec_blocks() -> list[str]:
    """The ```sla blocks of LANGUAGE.md: the live spec, else the copy in tests/data."""
    path = SPEC / "LANGUAGE.md"
    if path.is_file():
        return _BLOCK.findall(path.read_text(encoding="utf-8"))
    copy = Path(__file__).parent / "data" / "language_blocks.sla"
    if not copy.is_file():
        return []
    return copy.read_text(encoding="utf-8").split(_MARKER)[1:]


@pytest.mark.skipif(not spec_blocks(), reason="no copy of the LANGUAGE.md blocks")
@pytest.mark.parametrize("index", range(len(spec_blocks()) or 1))
def test_each_language_block_formats_idempotently_and_faithfully(index: int) -> None:
    block = spec_blocks()[index]
    formatted = format_text(block)
    assert format_text(formatted) == formatted
    assert parse(formatted, "f.sla")[0] == parse(block, "b.sla")[0]
    assert comments_of(formatted) == comments_of(block)


@pytest.mark.skipif(not spec_blocks(), reason="no copy of the LANGUAGE.md blocks")
def test_language_blocks_are_already_canonical() -> None:
    # The spec is written in the canonical layout; a difference means one of them drifted.
    for block in spec_blocks():
        assert format_text(block) == block


@pytest.mark.skipif(not spec_blocks(), reason="no copy of the LANGUAGE.md blocks")
def test_joined_language_blocks_still_check_after_formatting() -> None:
    joined = "\n".join(spec_blocks())
    formatted = format_text(joined)
    _, diagnostics = check_text(formatted, "joined.sla")
    assert not [d for d in diagnostics if d.is_error]


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.sla")), ids=lambda p: p.name)
def test_examples_format_idempotently(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    formatted = format_text(source, path.name)
    assert format_text(formatted) == formatted
    assert comments_of(formatted) == comments_of(source)


def test_format_text_raises_contract_error_on_syntax_errors() -> None:
    with pytest.raises(ContractError) as info:
        format_text("policy p {", "bad.sla")
    assert info.value.diagnostics
    assert all(d.code.startswith("SLA1") for d in info.value.diagnostics)


def test_format_text_formats_despite_checker_errors() -> None:
    assert format_text("policy p{calendar nowhere}") == "policy p {\n    calendar nowhere\n}\n"


def test_empty_contract() -> None:
    assert format_contract(ast.Contract(())) == ""
    assert format_text("  \n\n") == ""
    assert format_text("# only a comment  \n\n\n# and another") == (
        "# only a comment\n\n# and another\n"
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (ast.Value("email"), "email"),
        (ast.Value("email", quoted=True), '"email"'),
        (ast.Value("Tier 2"), '"Tier 2"'),
        (ast.Value("and"), '"and"'),
        (ast.Value("9lives"), '"9lives"'),
        (ast.Value(""), '""'),
        (ast.Value('a"b\\c'), '"a\\"b\\\\c"'),
        (ast.Value(True), "true"),
        (ast.Value(False), "false"),
        (ast.Value(Decimal("1E+3")), "1000"),
        (ast.Value(Decimal("-0.50")), "-0.50"),
        (ast.Value(Decimal("1.5E-3")), "0.0015"),
    ],
)
def test_values(value: ast.Value, expected: str) -> None:
    assert format_value(value) == expected


def test_quote_escapes_only_quote_and_backslash() -> None:
    assert quote('é\t"\\') == '"é\t\\"\\\\"'


def test_non_finite_numbers_are_refused() -> None:
    with pytest.raises(ValueError):
        format_number(Decimal("NaN"))
