"""The Pygments lexer: found through the entry point, and clean on the spec's examples."""

from __future__ import annotations

import pytest

from sladsl.syntax.words import KEYWORDS
from tests.test_parser_spec import copied_blocks

pygments = pytest.importorskip("pygments")

from pygments.token import Error, Keyword  # noqa: E402


def _lexer():  # type: ignore[no-untyped-def]
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        return get_lexer_by_name("sla")
    except ClassNotFound:
        pytest.skip("the sladsl entry point is not installed")


def test_found_by_alias_and_filename() -> None:
    from pygments.lexers import get_lexer_for_filename

    from sladsl.pygments_lexer import SladslLexer

    lexer = _lexer()
    assert lexer.name == "sladsl"
    assert isinstance(lexer, SladslLexer)
    assert get_lexer_for_filename("contract.sla").name == "sladsl"


def test_keyword_list_is_the_shared_constant() -> None:
    lexer = _lexer()
    for word in KEYWORDS:
        tokens = [(t, v) for t, v in lexer.get_tokens(word) if v.strip()]
        assert tokens == [(Keyword, word)], word


def test_spec_blocks_have_no_error_tokens() -> None:
    lexer = _lexer()
    text = "\n".join(copied_blocks())
    tokens = list(lexer.get_tokens(text))
    assert not [v for t, v in tokens if t in Error]
    keywords = {v for t, v in tokens if t in Keyword}
    assert {"calendar", "policy", "when"} <= keywords
    assert "".join(v for _, v in tokens) == text + ("" if text.endswith("\n") else "\n")


def test_words_containing_keywords_are_not_keywords() -> None:
    lexer = _lexer()
    tokens = [
        (t, v) for t, v in lexer.get_tokens("policy_x calendars not_set in-house") if v.strip()
    ]
    assert all(t not in Keyword for t, _ in tokens), tokens
