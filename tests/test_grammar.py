"""The grammar file itself: conflict-free under strict Lark, and its words are known."""

from __future__ import annotations

import re

import pytest

from sladsl.syntax.grammar import grammar_text
from sladsl.syntax.parser import TERMINAL_WORDS, build_lark
from sladsl.syntax.words import KEYWORDS, RESERVED_WORDS


def test_grammar_builds_in_strict_mode() -> None:
    # strict=True turns any shift/reduce conflict (and any collision between
    # terminals a lexer state could see at once) into an error.
    pytest.importorskip("interegular")
    parser = build_lark(strict=True)
    assert parser.options.parser == "lalr"
    assert parser.options.lexer == "contextual"


def _literals() -> set[str]:
    text = re.sub(r"//[^\n]*", "", grammar_text())
    rules = "\n".join(
        line for line in text.splitlines() if not re.match(r"\s*[A-Z_][A-Z_0-9.]*\s*:", line)
    )
    return set(re.findall(r'"((?:[^"\\]|\\.)*)"', rules))


def test_every_literal_is_a_keyword_or_punctuation() -> None:
    literals = _literals()
    assert {"policy", "calendar", "when", "{", "}"} <= literals
    for literal in literals:
        if re.fullmatch(r"[A-Za-z_]+", literal):
            assert literal in KEYWORDS, literal
        else:
            assert re.fullmatch(r"[{}\[\](),:<>=.]+", literal), literal


def test_every_keyword_is_used_by_the_grammar() -> None:
    assert set(KEYWORDS) == {w for w in _literals() if w.isalpha() or "_" in w}


def test_bare_word_excludes_exactly_the_reserved_words() -> None:
    match = re.search(r"WORD: /\(\?!\(\?:([a-z|]+)\)", grammar_text())
    assert match is not None
    assert set(match.group(1).split("|")) == RESERVED_WORDS


def test_every_regexp_terminal_has_human_words() -> None:
    parser = build_lark()
    for terminal in parser.terminals:
        if terminal.pattern.type == "re" and terminal.name not in ("COMMENT", "WHITESPACE"):
            assert terminal.name in TERMINAL_WORDS, terminal.name


def test_every_rule_has_a_builder_method() -> None:
    # A rule without one would leave a Lark Tree in the AST.
    from sladsl.syntax._build import Builder

    parser = build_lark()
    names = {
        str(rule.alias or rule.origin.name)
        for rule in parser.rules
        # A `?rule` alternative with one child is replaced by that child.
        if rule.alias or not (rule.options.expand1 and len(rule.expansion) == 1)
    }
    for name in names:
        if not name.startswith("_"):
            assert callable(getattr(Builder, name, None)), name
