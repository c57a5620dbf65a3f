"""Syntax errors: codes, exact positions, recovery, and never an exception."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sladsl.syntax.parser import MAX_DEPTH, parse


def errors(text: str) -> list[tuple[str, int, int]]:
    contract, diagnostics = parse(text, "e.sla")
    assert contract is None
    assert diagnostics, "expected a syntax error"
    assert all(d.code.startswith("SLA1") and d.file == "e.sla" for d in diagnostics)
    return [(d.code, d.line, d.col) for d in diagnostics]


def message(text: str) -> str:
    return parse(text)[1][0].message


def test_unexpected_token_points_at_it_and_names_what_was_expected() -> None:
    assert errors("policy p { first_reply_time 4h }") == [("SLA101", 1, 29)]
    assert message("policy p { first_reply_time 4h }") == "unexpected duration '4h'; expected ':'"
    assert "a duration such as 4h" in message("policy p { first_reply_time: }")
    assert "'{'" in message('policy p "t" extra { }')


def test_reserved_word_is_not_a_bare_value() -> None:
    assert errors("policy p { when a in [x, and] }") == [("SLA101", 1, 26)]
    assert errors("policy p { when a is set set }") == [("SLA101", 1, 30)]


def test_values_with_spaces_inside_are_errors() -> None:
    assert errors("calendar c { hours mon - fri 09:00-17:00 }")[0] == ("SLA103", 1, 24)
    assert errors("calendar c { hours mon 09:00 - 17:00 }")[0][0] in ("SLA101", "SLA103")
    assert errors("calendar c { holiday every easter -2 }")[0] == ("SLA101", 1, 35)


def test_unclosed_block_is_reported_at_the_declaration_name() -> None:
    text = 'calendar c { timezone "UTC" }\npolicy general {\n  first_reply_time: 4h\n'
    assert errors(text) == [("SLA102", 2, 8)]
    assert "policy 'general' is not closed" in message(text)
    assert errors('holidays h "title" {\n  every jan 1') == [("SLA102", 1, 10)]


def test_early_end_points_just_after_the_last_token() -> None:
    assert errors("priorities a,") == [("SLA102", 1, 14)]
    assert errors("priorities a,   # trailing comment\n\n") == [("SLA102", 1, 14)]
    assert errors("calendar c") == [("SLA102", 1, 11)]
    assert errors("policy") == [("SLA102", 1, 7)]


def test_unexpected_character() -> None:
    assert errors("policy p { first_reply_time: 4h; }") == [("SLA103", 1, 32)]
    assert errors("policy p {\n  when x is y\n  é\n}") == [("SLA103", 3, 3)]


def test_bad_strings() -> None:
    assert errors('calendar c { timezone "a\\qb" }') == [("SLA104", 1, 25)]
    assert errors('calendar c { timezone "abc }\n') == [("SLA104", 1, 23)]
    assert errors('policy p { when field "a\\tb\\n" is x }') == [
        ("SLA104", 1, 25),
        ("SLA104", 1, 28),
    ]


def test_several_errors_without_cascades() -> None:
    text = (
        "policy a {\n"
        "    when x is\n"  # unfinished: the next line is read as its value
        "    first_reply_time 4h\n"
        "    next_reply_time: 1h\n"
        "    @@@\n"
        "    agent_work_time: 2h\n"
        "}\n"
        'policy b "t" extra {\n'
        "    when whatever is broken\n"
        "    calendar somewhere\n"
        "}\n"
        "policy c { first_reply_time: }\n"
        "policy d { first_reply_time: 1h }\n"
    )
    assert errors(text) == [
        ("SLA101", 3, 22),
        ("SLA103", 5, 5),
        ("SLA101", 8, 14),
        ("SLA101", 12, 30),
    ]


def test_missing_closing_brace_before_next_declaration() -> None:
    text = "policy a {\n  first_reply_time: 4h\npolicy b {\n  first_reply_time: 4h\n}\n"
    _, diagnostics = parse(text)
    assert [(d.code, d.line, d.col) for d in diagnostics] == [("SLA101", 3, 8)]
    assert diagnostics[0].hint is not None and "'}' missing" in diagnostics[0].hint


def test_one_error_per_bad_line_in_one_block() -> None:
    text = "calendar c {\n  hours mon 9-17\n  timezone UTC\n  hours tue 09:00-17:00\n}\n"
    assert errors(text) == [("SLA101", 2, 13), ("SLA101", 3, 12)]


def test_deep_nesting_gives_sla105_not_recursion_error() -> None:
    deep = "(" * 5000 + "a is set" + ")" * 5000
    assert errors(f"policy p {{ when {deep} }}") == [("SLA105", 1, 17)]
    nots = "not " * 20000
    assert errors(f"policy p {{\n  when {nots}a is set\n}}") == [("SLA105", 2, 8)]
    limit = "(" * (MAX_DEPTH - 1) + "a is set" + ")" * (MAX_DEPTH - 1)
    assert parse(f"policy p {{ when {limit} }}")[1] == []
    over = "(" * MAX_DEPTH + "a is set" + ")" * MAX_DEPTH
    assert errors(f"policy p {{ when {over} }}") == [("SLA105", 1, 17)]


def test_deep_nesting_inside_a_broken_file_does_not_crash() -> None:
    text = "policy p { when " + "(" * 3000 + "a is"
    assert errors(text)[0][0] == "SLA102"


def test_error_count_is_bounded() -> None:
    text = "policy p {\n" + "  @\n" * 500 + "}\n"
    assert 1 <= len(errors(text)) <= 50


@given(st.text())
def test_random_text_never_raises(text: str) -> None:
    contract, diagnostics = parse(text)
    assert (contract is None) == bool(diagnostics)


_PIECES = st.sampled_from(
    [
        "policy",
        "calendar",
        "holidays",
        "priorities",
        "when",
        "hours",
        "holiday",
        "every",
        "{",
        "}",
        "(",
        ")",
        "[",
        "]",
        ",",
        ":",
        "..",
        "not",
        "and",
        "or",
        "is",
        "in",
        "has",
        "x",
        '"s"',
        '"',
        "\\",
        "4h",
        "mon-fri",
        "09:00-17:00",
        "2026-01-01",
        "easter+1",
        "\n",
        " ",
        "#c\n",
        "set",
        "any",
        "field",
        "3rd",
        "last",
        "of",
        "rrule",
        "timezone",
        "-1.5",
    ]
)


@given(st.lists(_PIECES, max_size=40).map(" ".join))
def test_random_token_soup_never_raises(text: str) -> None:
    contract, diagnostics = parse(text)
    assert (contract is None) == bool(diagnostics)
    assert all(d.code in {"SLA101", "SLA102", "SLA103", "SLA104", "SLA105"} for d in diagnostics)


# ------------------------------------------------------------------ the two drivers agree


def _both(text: str) -> tuple[object, object]:
    from sladsl.syntax._build import SINK
    from sladsl.syntax._fast import Fail
    from sladsl.syntax.parser import _fast, _parser

    SINK.reset()
    try:
        fast: object = _fast().parse(text)
    except Fail:
        fast = "fail"
    fast_sink = (list(SINK.comments), list(SINK.bad_escapes))
    SINK.reset()
    try:
        slow: object = _parser().parse(text)
    except Exception:
        slow = "fail"
    slow_sink = (list(SINK.comments), list(SINK.bad_escapes))
    SINK.reset()
    assert [str(c) for c in fast_sink[0]] == [str(c) for c in slow_sink[0]] or "fail" in (
        fast,
        slow,
    )
    return fast, slow


def test_fast_driver_builds_what_lark_builds_on_the_spec() -> None:
    from tests.test_parser_spec import copied_blocks

    fast, slow = _both("\n".join(copied_blocks()))
    assert fast != "fail"
    assert fast == slow
    assert [d.span for d in fast] == [d.span for d in slow]  # type: ignore[attr-defined]


@given(st.lists(_PIECES, max_size=40).map(" ".join))
def test_fast_driver_agrees_with_lark_on_token_soup(text: str) -> None:
    fast, slow = _both(text)
    assert fast == slow


_VALID_LINES = st.sampled_from(
    [
        "when a is b",
        "when not (x in [1, 2.5, true]) or y is set and z has any [q]",
        "calendar c # note",
        "first_reply_time: urgent 30m, high 1h in business hours",
        'when field "Plan" >= -3',
        "next_reply_time: 4h",
    ]
)


@given(st.lists(_VALID_LINES, max_size=8))
def test_fast_driver_agrees_on_valid_policies(lines: list[str]) -> None:
    text = "policy p {\n" + "\n".join(lines) + "\n}\n"
    fast, slow = _both(text)
    assert fast != "fail" and fast == slow


def test_absurd_easter_offset_is_an_error_not_a_crash() -> None:
    assert errors("holidays h { every easter+" + "9" * 5000 + " }") == [("SLA101", 1, 20)]
    assert parse("holidays h { every easter+9999999 }")[1] == []


def test_huge_number_values_do_not_crash() -> None:
    contract, diagnostics = parse('policy p { when field "n" > ' + "9" * 5000 + " }")
    assert diagnostics == [] and contract is not None


def test_the_parser_is_built_once() -> None:
    from sladsl.syntax.parser import _fast, _parser

    parse("")
    assert _parser() is _parser()
    assert _fast() is _fast()


def _grammar_strategy() -> st.SearchStrategy[str]:
    import lark
    from hypothesis.extra.lark import from_lark

    from sladsl.syntax.grammar import grammar_text

    # A plain Lark instance (no embedded transformer) is all from_lark needs.
    plain = lark.Lark(grammar_text(), parser="lalr", lexer="contextual")
    return from_lark(plain)


@given(_grammar_strategy())
def test_grammar_generated_text_never_raises(text: str) -> None:
    # from_lark joins tokens without spaces, so most of these do not parse:
    # this is a crash fuzzer, not a round trip.
    contract, diagnostics = parse(text)
    assert (contract is None) == bool(diagnostics)


def test_missing_opening_brace_skips_the_body() -> None:
    text = (
        'policy a "t"\n'
        "    when x is y\n"
        "    calendar office\n"
        "    first_reply_time: 4h\n"
        "}\n"
        "policy b { first_reply_time 1h }\n"
    )
    assert errors(text) == [("SLA101", 2, 5), ("SLA101", 6, 29)]


def test_a_closed_block_stays_closed_after_an_error() -> None:
    text = 'calendar c { timezone "UTC" } @\npolicy p { first_reply_time: 1h }\n'
    assert errors(text) == [("SLA103", 1, 31)]
    text = "policy a { first_reply_time: 1h }\n urgent, high\npolicy b { }\n"
    assert errors(text) == [("SLA101", 2, 2)]


def test_one_mistake_gives_one_diagnostic() -> None:
    # Every line of the spec's examples, broken in four ordinary ways: each
    # gives at most one error (none when the result is still valid).
    from tests.test_parser_spec import copied_blocks

    lines = "\n".join(copied_blocks()).split("\n")
    for i, line in enumerate(lines):
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        for broken, must_fail in (
            (line + " @", True),
            (line[: line.rstrip().rfind(" ")] if len(words) > 1 else "", False),
            (line.replace(words[0], "", 1), False),
            (line.replace(words[0], words[0] + "x", 1), False),
        ):
            text = "\n".join([*lines[:i], broken, *lines[i + 1 :]])
            diagnostics = parse(text)[1]
            assert len(diagnostics) <= 1, (i + 1, broken, diagnostics)
            assert not must_fail or len(diagnostics) == 1, (i + 1, broken)
