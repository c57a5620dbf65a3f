"""A Pygments lexer for sladsl contracts (``*.sla``).

Pygments is an optional (test/docs) dependency, so nothing in the runtime
package imports this module, and the lexer class is only built, importing
Pygments, when someone asks for :data:`SladslLexer` (as Pygments' entry point
``sladsl.pygments_lexer:SladslLexer`` does).

Example::

    >>> from pygments.lexers import get_lexer_by_name  # doctest: +SKIP
    >>> get_lexer_by_name("sla").name  # doctest: +SKIP
    'sladsl'
"""

from __future__ import annotations

from typing import Any

from sladsl.syntax.words import KEYWORDS

__all__ = ["SladslLexer"]  # noqa: F822 (built on first access, see __getattr__)

_CLASS: Any = None


def _build() -> Any:
    from pygments.lexer import RegexLexer, words
    from pygments.token import (
        Comment,
        Error,
        Keyword,
        Name,
        Number,
        Operator,
        Punctuation,
        String,
        Whitespace,
    )

    class SladslLexer(RegexLexer):  # type: ignore[misc]
        """Highlights sladsl contracts; keywords are ``words.KEYWORDS``."""

        name = "sladsl"
        aliases = ["sla", "sladsl"]  # noqa: RUF012 (Pygments reads plain class lists)
        filenames = ["*.sla"]  # noqa: RUF012
        mimetypes = ["text/x-sladsl"]  # noqa: RUF012
        # Pygments' Slash lexer also claims *.sla; ours wins the tie.
        priority = 0.5

        tokens = {  # noqa: RUF012
            "root": [
                (r"[ \t\f\r\n\ufeff]+", Whitespace),
                (r"#[^\n]*", Comment.Single),
                (r'"(?:[^"\\\n]|\\["\\])*"', String.Double),
                (r"[0-9]{4}-[0-9]{2}-[0-9]{2}", Number.Other),  # date
                (r"[0-9]{2}:[0-9]{2}-[0-9]{2}:[0-9]{2}", Number.Other),  # time range
                (r"[0-9]+[a-z]+(?:[0-9]+[a-z]+)*", Number.Other),  # duration, ordinal
                (r"-?[0-9]+(?:\.[0-9]+)?", Number),
                (r"easter[+\-][0-9]+", Name.Constant),
                (words(KEYWORDS, suffix=r"\b(?![.\-])"), Keyword),
                (r"[A-Za-z_][A-Za-z0-9_]*-[A-Za-z_][A-Za-z0-9_]*", Name.Constant),  # mon-fri
                (r"[A-Za-z_][A-Za-z0-9_]*(?=\s*:)", Name.Attribute),  # metric
                (r"[A-Za-z_][A-Za-z0-9_.\-]*", Name),
                (r"<=|>=|<|>", Operator),
                (r"\.\.|[{}\[\](),:]", Punctuation),
                (r".", Error),
            ]
        }

    return SladslLexer


def __getattr__(name: str) -> Any:
    global _CLASS
    if name == "SladslLexer":
        if _CLASS is None:
            _CLASS = _build()
        return _CLASS
    raise AttributeError(name)
