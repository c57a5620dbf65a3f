"""The fast path: Lark's LALR tables and callbacks, driven by a tighter loop.

Lark's own driver spends most of a parse in per-token Python overhead
(generic lexer-state objects, token construction, callback dispatch). This
loop runs the *same* parse table and the *same* per-state lexers (the
contextual lexer's compiled regexps and keyword maps, read from the Lark
instance) with less ceremony, which roughly halves parse time on large
contracts.

It only has to be right on text that parses: at the first error it raises
:class:`Fail`, and the caller parses again with Lark's own (recovering)
driver, which reports the errors. A test checks that both drivers build the
same AST.

Example::

    >>> from sladsl.syntax.parser import build_lark
    >>> FastParser(build_lark()).parse("priorities a, b")[0].names[1].value
    'b'
"""

from __future__ import annotations

import re
from typing import Any

import lark
from lark.parsers.lalr_analysis import Shift

from sladsl.syntax._build import SINK, on_string

_BLANKS = r"[ \t\f\r\n\ufeff]*"
_TRAILING = re.compile(_BLANKS + r"\Z")


class Fail(Exception):
    """The text does not parse (the recovering driver will say why)."""


class FastToken(str):
    """A token: the text, its terminal name and its position (as Lark's ``Token``)."""

    __slots__ = ("column", "end_column", "end_line", "end_pos", "line", "start_pos", "type")

    type: str
    start_pos: int
    end_pos: int
    line: int
    column: int
    end_line: int
    end_column: int


class FastParser:
    """Parse with the tables of a Lark LALR parser built with the contextual lexer."""

    def __init__(self, parser: lark.Lark) -> None:
        frontend: Any = parser.parser
        lalr: Any = frontend.parser
        table = lalr._parse_table
        # `parser.callbacks` exists whether Lark built its tables or loaded them
        # from its cache (a loaded parser has no `parser_conf`).
        callbacks = lalr.parser.callbacks
        # Each action resolved once: (shift?, next state or callback, rule
        # size, rule name), so the loop never hashes a Rule. Lark's symbol
        # names are Token objects, whose __eq__ is slow: keys become plain str.
        self.states: dict[Any, dict[str, tuple[bool, Any, int, str]]] = {
            state: {
                str(symbol): (True, arg, 0, "")
                if action is Shift
                else (False, callbacks[arg], len(arg.expansion), str(arg.origin.name))
                for symbol, (action, arg) in actions.items()
            }
            for state, actions in table.states.items()
        }
        self.start_state = table.start_states["start"]
        self.end_state = table.end_states["start"]
        contextual: Any = frontend.lexer
        self.scanners: dict[Any, re.Pattern[str]] = {}
        self.keywords: dict[Any, dict[str, dict[str, str]]] = {}
        for state, basic in contextual.lexers.items():
            scanner = basic.scanner  # builds Lark's regexps and keyword callbacks
            if len(scanner._mres) != 1:
                raise ValueError("a lexer state needs more than one regexp")
            # Leading blanks are skipped by the same match as the token: one
            # regexp call per token instead of two.
            self.scanners[state] = re.compile(_BLANKS + "(?:" + scanner._mres[0].pattern + ")")
            keywords: dict[str, dict[str, str]] = {}
            for name, callback in basic.callback.items():
                inner = getattr(callback, "scanner", None)
                if inner is not None:
                    keywords[str(name)] = {
                        str(t.pattern.value): str(t.name) for t in inner.terminals
                    }
            self.keywords[state] = keywords

    def parse(self, text: str) -> Any:
        """The value of the start rule (the builder's list of declarations)."""
        states = self.states
        scanners = self.scanners
        keywords = self.keywords
        end_state = self.end_state
        comments = SINK.comments
        state_stack: list[Any] = [self.start_state]
        value_stack: list[Any] = []
        pos = 0
        line = 1
        line_start = 0
        n = len(text)
        last_line, last_col, last_pos = 1, 1, 0
        while True:
            state = state_stack[-1]
            m = scanners[state].match(text, pos) if pos < n else None
            if m is not None:
                kind = m.lastgroup
                start = m.start(kind)  # type: ignore[arg-type]
                end = m.end()
                if start != pos:
                    breaks = text.count("\n", pos, start)
                    if breaks:
                        line += breaks
                        line_start = text.rindex("\n", pos, start) + 1
                    pos = start
                if kind == "WHITESPACE":
                    # Only at the very end: blanks before a token are skipped above.
                    breaks = text.count("\n", pos, end)
                    if breaks:
                        line += breaks
                        line_start = text.rindex("\n", pos, end) + 1
                    pos = end
                    continue
                value = m.group(kind)  # type: ignore[arg-type]
                tok = FastToken(value)
                col = pos - line_start + 1
                tok.start_pos = pos
                tok.end_pos = end
                tok.line = tok.end_line = line
                tok.column = col
                tok.end_column = col + end - pos
                pos = end
                if kind == "COMMENT":
                    tok.type = kind
                    comments.append(tok)
                    continue
                kw = keywords[state].get(kind)  # type: ignore[arg-type]
                if kw is not None:
                    kind = kw.get(value, kind)
                tok.type = kind  # type: ignore[assignment]
                if kind == "STRING":
                    on_string(tok)
                last_line, last_col, last_pos = line, tok.end_column, end
            else:
                if pos < n and _TRAILING.match(text, pos) is None:
                    raise Fail
                pos = n
                kind = "$END"
                tok = FastToken("")
                tok.type = kind
                tok.start_pos = tok.end_pos = last_pos
                tok.line = tok.end_line = last_line
                tok.column = tok.end_column = last_col
            while True:
                try:
                    shift, arg, size, origin = states[state_stack[-1]][kind]  # type: ignore[index]
                except KeyError:
                    raise Fail from None
                if shift:
                    if kind == "$END":
                        raise Fail
                    state_stack.append(arg)
                    value_stack.append(tok)
                    break
                if size:
                    children = value_stack[-size:]
                    del state_stack[-size:]
                    del value_stack[-size:]
                else:
                    children = []
                result = arg(children)
                state_stack.append(states[state_stack[-1]][origin][1])
                value_stack.append(result)
                if kind == "$END" and state_stack[-1] == end_state:
                    return value_stack[-1]
