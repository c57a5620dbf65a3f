"""Properties of the formatter: the canonical text means the same contract,
formatting twice changes nothing, and every comment survives in order."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sladsl.syntax import ast
from sladsl.syntax.format import format_condition, format_contract
from sladsl.syntax.parser import parse
from tests.strategies import commented_texts, conditions, contracts

_SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def parse_ok(text: str) -> ast.Contract:
    contract, diagnostics = parse(text, "gen.sla")
    assert contract is not None, (text, diagnostics)
    return contract


def comment_texts(contract: ast.Contract) -> list[str]:
    return [c.text.rstrip() for c in contract.comments]


@_SETTINGS
@given(contracts())
def test_formatted_tree_parses_back_to_itself(contract: ast.Contract) -> None:
    text = format_contract(contract)
    assert parse_ok(text) == contract


@_SETTINGS
@given(contracts())
def test_formatting_generated_text_is_a_fixed_point(contract: ast.Contract) -> None:
    text = format_contract(contract)
    assert format_contract(parse_ok(text)) == text


@_SETTINGS
@given(conditions(max_leaves=12))
def test_conditions_keep_their_shape(condition: ast.Condition) -> None:
    policy = ast.PolicyDecl(ast.Name("p"), None, (ast.When(condition),))
    again = parse_ok(format_contract(ast.Contract((policy,))))
    parsed = again.policies[0].lines[0]
    assert isinstance(parsed, ast.When)
    assert parsed.condition == condition, format_condition(condition)


@_SETTINGS
@given(commented_texts())
def test_untidy_commented_text_formats_idempotently(case: tuple[str, list[str]]) -> None:
    text, comments = case
    original = parse_ok(text)
    once = format_contract(original)
    reparsed = parse_ok(once)
    assert reparsed == original
    assert comment_texts(original) == comments
    assert comment_texts(reparsed) == comments, once
    assert format_contract(reparsed) == once


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["", " ", "\n", " \n  ", "\t"]), min_size=1, max_size=6))
def test_whitespace_only_between_tokens_does_not_matter(gaps: list[str]) -> None:
    tokens = ["policy", "p", "{", "when", "tags", "has", '"x"', "first_reply_time", ":", "1h", "}"]
    spaced = " ".join(tokens)
    messy = tokens[0]
    for i, token in enumerate(tokens[1:]):
        messy += " " + gaps[i % len(gaps)] + token
    assert format_contract(parse_ok(messy)) == format_contract(parse_ok(spaced))
