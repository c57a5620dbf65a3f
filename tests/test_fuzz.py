"""Crash fuzzing of the front end: ``sladsl.check`` never raises on any text,
``sladsl.loads`` raises nothing but :class:`sladsl.SladslError` subclasses, and
whatever parses also formats to text that parses back to the same contract."""

from __future__ import annotations

import contextlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sladsl
from sladsl.syntax.format import format_contract
from sladsl.syntax.parser import parse
from tests.conftest import EXAMPLES
from tests.strategies import mutated_texts, tokens_of

_SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Valid contracts to mutate, so that some mutants still check and reach the
# calendar and engine compilers through `loads`.
VALID_TEXTS = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.sla"))] or [
    'calendar c { timezone "UTC" hours mon-fri 09:00-17:00 }\n'
    "policy p { calendar c first_reply_time: 4h }\n"
]


def assert_survives(text: str) -> None:
    diagnostics = sladsl.check(text, filename="fuzz.sla")
    assert isinstance(diagnostics, list)
    for d in diagnostics:
        assert d.line >= 1 and d.col >= 1, d
        assert d.message
    with contextlib.suppress(sladsl.SladslError):
        sladsl.loads(text, filename="fuzz.sla")
    contract, _ = parse(text, "fuzz.sla")
    if contract is not None:
        # Whatever parses also formats, faithfully and stably, comments included.
        formatted = format_contract(contract)
        again, problems = parse(formatted, "fuzz.sla")
        assert again == contract, (formatted, problems)
        assert [c.text.rstrip() for c in again.comments] == [
            c.text.rstrip() for c in contract.comments
        ]
        assert format_contract(again) == formatted


@_SETTINGS
@given(st.text())
def test_random_text_never_crashes(text: str) -> None:
    assert_survives(text)


@_SETTINGS
@given(mutated_texts())
def test_mutated_generated_contracts_never_crash(text: str) -> None:
    assert_survives(text)


@settings(max_examples=60, deadline=None)
@given(mutated_texts(st.sampled_from(VALID_TEXTS)))
def test_mutated_valid_contracts_never_crash(text: str) -> None:
    assert_survives(text)


@settings(max_examples=12, deadline=None)
@given(st.sampled_from(["(", "not (", "not ", "(not "]), st.sampled_from([100, 1000, 5000]))
def test_very_deep_conditions_are_diagnosed_not_crashed(opener: str, depth: int) -> None:
    closer = ")" * (depth * opener.count("("))
    when = f"when {opener * depth}tags has x{closer}"
    assert_survives(f"policy p {{\n    {when}\n    first_reply_time: 1h\n}}\n")


def test_tokens_of_keeps_every_character() -> None:
    text = 'policy p "t \\" x" {\n    when a is b  # c\n}\n'
    assert "".join(tokens_of(text)) == text
