"""Source text to :class:`sladsl.syntax.ast.Contract`, with syntax diagnostics.

The grammar is ``grammar/sladsl.lark``, compiled by Lark into LALR(1) tables
with the contextual lexer (so declaration keywords are keywords only where
the grammar expects them), once per process. The AST is built during the
parse by an embedded transformer (:mod:`sladsl.syntax._build`), so a text
that parses costs one pass, and nothing recurses however deep a condition.

Three drivers run those same tables. The fast one (:mod:`sladsl.syntax._fast`)
only gives up at the first error. Lark's own driver then decides, and when
the text really does not parse, a recovering driver over Lark's interactive
parser reports the error, drops back to the start of the enclosing block's
line, skips to the next line (or '}') that the block can accept, and goes
on: one run reports several errors without cascades. The contract is then
None.

Example::

    >>> contract, diagnostics = parse("policy p { first_reply_time: 4h }")
    >>> contract.policies[0].name.value, diagnostics
    ('p', [])
    >>> contract, diagnostics = parse("policy p { first_reply_time 4h }")
    >>> contract is None, diagnostics[0].code, diagnostics[0].col
    (True, 'SLA101', 29)
"""

from __future__ import annotations

import gc
import hashlib
import os
import re
from typing import Any

import lark
from lark import Token
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken
from lark.lexer import LineCounter
from lark.parsers.lalr_analysis import Shift

from sladsl.check.diagnostics import Diagnostic, make_diagnostic
from sladsl.syntax import ast
from sladsl.syntax._build import MAX_DEPTH, SINK, Builder, Tok, on_comment, on_string, token_span
from sladsl.syntax._fast import Fail, FastParser
from sladsl.syntax.grammar import grammar_text

__all__ = ["MAX_DEPTH", "TERMINAL_WORDS", "build_lark", "parse"]

# How an expected or unexpected terminal is named in a message. Terminals
# written as literals in the grammar are named by their text, quoted.
TERMINAL_WORDS: dict[str, str] = {
    "NAME": "a name",
    "WORD": "a bare word",
    "NUMBER": "a number",
    "INT": "a day of the month such as 25",
    "STRING": 'a quoted string such as "text"',
    "DURATION": "a duration such as 4h",
    "ORDINAL": "an ordinal such as 3rd",
    "DATE": "a date such as 2026-12-25",
    "TIMERANGE": "a time range such as 09:00-17:00",
    "DAYRANGE": "a day range such as mon-fri",
    "EASTER": "an Easter offset such as easter-2",
    "$END": "the end of the file",
}

# How a found token is named before its text ("unexpected duration '4h'").
_FOUND_WORDS: dict[str, str] = {
    "NAME": "name",
    "WORD": "word",
    "NUMBER": "number",
    "INT": "number",
    "STRING": "string",
    "DURATION": "duration",
    "ORDINAL": "ordinal",
    "DATE": "date",
    "TIMERANGE": "time range",
    "DAYRANGE": "day range",
    "EASTER": "Easter offset",
}

# More reported errors than this are noise, and bound the work on garbage.
_MAX_ERRORS = 50

_LARK: lark.Lark | None = None
_FAST: FastParser | None = None


def _cache_path() -> str | bool:
    """Where Lark may keep its analysed grammar, or False for no cache.

    Each process start would otherwise redo the LALR analysis and, when
    ``interegular`` is installed, a terminal-collision search: about 0.2 s of
    every ``sladsl check`` in a pre-commit hook. The file lives in the user's
    own cache folder, never a shared temporary one, because Lark stores it as
    a pickle. Lark checks a hash of the grammar, its options, its version and
    Python's before using the file, and rebuilds on any mismatch or error.
    """
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = os.path.join(base, "sladsl")
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
    except OSError:
        return False
    if not os.access(folder, os.W_OK):
        return False
    # One file per grammar, so two installed versions do not overwrite each other.
    digest = hashlib.sha256(grammar_text().encode("utf-8")).hexdigest()[:16]
    return os.path.join(folder, f"grammar-{digest}.lark-cache")


def build_lark(*, strict: bool = False, cache: str | bool = False) -> lark.Lark:
    """A new Lark parser for the sladsl grammar (``parse`` uses a cached one).

    ``strict=True`` makes Lark refuse shift/reduce conflicts and colliding
    terminals instead of resolving them silently (it needs ``interegular``)::

        >>> build_lark().parser_type  # doctest: +SKIP
        'lalr'
    """
    return lark.Lark(
        grammar_text(),
        parser="lalr",
        lexer="contextual",
        # Keywords stay in the children so spans can start at them; the
        # builder knows where they are.
        keep_all_tokens=True,
        transformer=Builder(),
        lexer_callbacks={"COMMENT": on_comment, "STRING": on_string},
        strict=strict,
        cache=cache,
    )


def _parser() -> lark.Lark:
    global _LARK
    if _LARK is None:
        _LARK = build_lark(cache=_cache_path())
    return _LARK


def parse(text: str, filename: str = "<string>") -> tuple[ast.Contract | None, list[Diagnostic]]:
    """Parse a contract; never raises, whatever the string.

    Returns the contract and no diagnostics, or None and the syntax
    diagnostics (SLA1xx) in file order::

        >>> parse('priorities gold, silver')[0].priorities.names[1].value
        'silver'
        >>> [d.code for d in parse('calendar c { timezone "UTC\\\\x" }')[1]]
        ['SLA104']
    """
    # The cyclic garbage collector would walk the growing tree again and
    # again while the parse allocates it (a third or more of the time on a
    # large contract); the tree has no cycles, so pause the collector and
    # let it run once afterwards if it is due.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _parse(text, filename)
    except RecursionError:
        # Not expected (the parse is iterative), but parse must never raise.
        span = _end_span(text)
        return None, [
            make_diagnostic("SLA105", span, "the text is nested too deeply", file=filename)
        ]
    except Exception as error:  # pragma: no cover - a bug, reported rather than raised
        SINK.reset()
        message = f"internal parser error ({type(error).__name__}); please report it"
        return None, [make_diagnostic("SLA101", _end_span(text), message, file=filename)]
    finally:
        if collecting:
            gc.enable()


def _fast() -> FastParser:
    global _FAST
    if _FAST is None:
        _FAST = FastParser(_parser())
    return _FAST


def _parse(text: str, filename: str) -> tuple[ast.Contract | None, list[Diagnostic]]:
    SINK.reset()
    try:
        declarations: Any = _fast().parse(text)
    except Fail:
        parser = _parser()
        SINK.reset()
        try:
            # Lark's own driver decides: the fast one only ever gives up.
            declarations = parser.parse(text)
        except UnexpectedInput as first:
            SINK.reset()
            try:
                diagnostics = _Recovery(parser, text, filename).run()
            except Exception:
                # The recovering driver goes beyond Lark's public API; should
                # it ever fail, the first error (from the plain parse) stands.
                diagnostics = [_fallback(first, text, filename)]
            if not diagnostics:
                diagnostics = [_fallback(first, text, filename)]
            return None, _finish(diagnostics + _sink_diagnostics(text, filename))
    diagnostics = _sink_diagnostics(text, filename)
    if diagnostics:
        return None, _finish(diagnostics)
    comments = tuple(ast.Comment(str(t), span=token_span(t)) for t in SINK.comments)
    SINK.reset()
    return ast.Contract(tuple(declarations), comments, span=_text_span(text)), []


def _fallback(error: UnexpectedInput, text: str, filename: str) -> Diagnostic:
    pos = getattr(error, "pos_in_stream", None)
    if not isinstance(pos, int) or not 0 <= pos <= len(text):
        return make_diagnostic("SLA101", _end_span(text), "syntax error", file=filename)
    line, col = _position(text, pos)
    span = ast.Span(pos, pos, line, col, line, col)
    return make_diagnostic("SLA101", span, "syntax error", file=filename)


def _finish(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    SINK.reset()
    seen: set[tuple[str, int, int]] = set()
    unique = []
    for d in sorted(diagnostics, key=lambda d: (d.line, d.col, d.code)):
        key = (d.code, d.line, d.col)
        if key not in seen:
            seen.add(key)
            unique.append(d)
    return unique


def _sink_diagnostics(text: str, filename: str) -> list[Diagnostic]:
    diagnostics = []
    for tok, i in SINK.bad_escapes:
        start = tok.start_pos + i
        span = ast.Span(start, start + 2, tok.line, tok.column + i, tok.line, tok.column + i + 2)
        diagnostics.append(
            make_diagnostic(
                "SLA104",
                span,
                f"bad escape {text[start : start + 2]!r} in a string",
                file=filename,
                hint='only \\" and \\\\ are escapes; write \\\\ for a backslash',
            )
        )
    for tok in SINK.out_of_range:
        diagnostics.append(
            make_diagnostic(
                "SLA101",
                token_span(tok),
                f"Easter offset {str(tok)!r} is out of range",
                file=filename,
            )
        )
    for span in SINK.too_deep:
        diagnostics.append(
            make_diagnostic(
                "SLA105",
                ast.Span(span.start, span.start + 1, span.line, span.col, span.line, span.col + 1),
                f"condition nested more than {MAX_DEPTH} levels deep",
                file=filename,
                hint="split it into several `when` lines",
            )
        )
    return diagnostics


def _text_span(text: str) -> ast.Span:
    end_line = text.count("\n") + 1
    end_col = len(text) - (text.rfind("\n") + 1) + 1
    return ast.Span(0, len(text), 1, 1, end_line, end_col)


def _end_span(text: str) -> ast.Span:
    whole = _text_span(text)
    return ast.Span(
        whole.end, whole.end, whole.end_line, whole.end_col, whole.end_line, whole.end_col
    )


def _position(text: str, pos: int) -> tuple[int, int]:
    """1-based (line, column) of an offset."""
    line = text.count("\n", 0, pos) + 1
    return line, pos - (text.rfind("\n", 0, pos) + 1) + 1


# Outside strings and comments, the braces in a stretch of skipped text.
_BRACES = re.compile(r'"(?:[^"\\\n]|\\.)*"?|#[^\n]*|[{}]')
_BLANK = re.compile(r"(?:[ \t\f\r\n\ufeff]+|#[^\r\n]*)*")

# A line that starts a top-level declaration at the left margin.
_TOP_DECLARATION = re.compile(r"(?:priorities|holidays|calendar|policy)[ \t]+[A-Za-z_]")


class _Recovery:
    """The error-recovering parse: a driver over Lark's interactive parser.

    After an error it drops back to the innermost *synchronising* state on
    the parser's stack (a block body, which can shift '}', or the top level,
    which can shift 'policy'): the start of a line of that block. It goes on
    at the first following line that state can accept.
    """

    def __init__(self, parser: lark.Lark, text: str, filename: str) -> None:
        self.text = text
        self.filename = filename
        # Lark's interactive-parser internals are untyped territory here.
        interactive: Any = parser.parse_interactive(text)
        self.state: Any = interactive.parser_state
        self.lexer_state: Any = interactive.lexer_thread.state
        self.lexer: Any = interactive.lexer_thread.lexer
        self.table: dict[Any, dict[str, tuple[Any, Any]]] = self.state.parse_conf.states
        self.sync_states = {
            state
            for state, actions in self.table.items()
            if actions.get("RBRACE", (None,))[0] is Shift
            or actions.get("POLICY", (None,))[0] is Shift
        }
        self.terminals = {t.name: t for t in parser.terminals}
        self.literals = {
            t.pattern.value: t.name for t in parser.terminals if t.pattern.type == "str"
        }
        self.diagnostics: list[Diagnostic] = []
        self.last: Tok | None = None  # the last token the parser accepted
        self.last_end_line = 0

    # ------------------------------------------------------------ driver

    def run(self) -> list[Diagnostic]:
        while len(self.diagnostics) < _MAX_ERRORS:
            try:
                self._feed_all()
                return self.diagnostics
            except UnexpectedCharacters as e:
                if not self._recover_char(e):
                    return self.diagnostics
            except UnexpectedToken as e:
                if not self._recover_token(e):
                    return self.diagnostics
        return self.diagnostics

    def _feed_all(self) -> None:
        state = self.state
        for tok in self.lexer.lex(self.lexer_state, state):
            state.feed_token(tok)
            self.last = tok
            self.last_end_line = tok.end_line
        state.feed_token(self._end_token(), True)

    def _end_token(self) -> Tok:
        if self.last is not None:
            return Token.new_borrow_pos("$END", "", self.last)
        return Token("$END", "", 0, 1, 1)

    # ------------------------------------------------------------ errors

    def _report(self, code: str, span: ast.Span, message: str, hint: str | None = None) -> None:
        self.diagnostics.append(make_diagnostic(code, span, message, file=self.filename, hint=hint))

    def _recover_char(self, e: Any) -> bool:
        pos: int = e.pos_in_stream
        line: int = e.line
        col: int = e.column
        char = self.text[pos]
        if char == '"':
            end = self.text.find("\n", pos)
            end = len(self.text) if end < 0 else end
            self._report(
                "SLA104",
                ast.Span(pos, end, line, col, line, col + end - pos),
                "string not closed on its line",
                hint='close it with " (strings cannot span lines)',
            )
            # What follows the quote is not a string after all: a '}' there
            # may close the block.
            self._pop_to_sync(outermost=False)
            return self._resync(pos + 1, at_line_start=False)
        else:
            self._report(
                "SLA103",
                ast.Span(pos, pos + 1, line, col, line, col + 1),
                f"unexpected character {char!r}",
            )
        return self._after_error(pos, line)

    def _recover_token(self, e: Any) -> bool:
        tok: Tok = e.token
        expected = self._acceptable(set(e.expected) if e.expected else set())
        if tok.type == "$END":
            self._report_eof(expected)
            return False
        self._default_reductions()
        line_start = tok.start_pos - tok.column + 1
        block = self._open_block(self.state.value_stack)
        if (
            block is not None
            and block[1].line < tok.line
            and _TOP_DECLARATION.match(self.text, line_start)
        ):
            # A declaration at the left margin inside a block: more likely a
            # block left open than a line gone wrong. Go on at that line, at
            # the top level.
            self._report(
                "SLA101",
                token_span(tok),
                f"unexpected {self._found(tok)}; expected {self._words(expected)}",
                hint="is a '}' missing before this declaration?",
            )
            self._pop_to_sync(outermost=True)
            return self._resync(line_start, at_line_start=True)
        self._report(
            "SLA101",
            token_span(tok),
            f"unexpected {self._found(tok)}; expected {self._words(expected)}",
        )
        if "LBRACE" in expected and tok.line > self.last_end_line:
            # A header line without its '{': what follows is its body, up to
            # a '}' that must not be taken for the end of anything else.
            self._pop_to_sync(outermost=False)
            return self._resync(tok.start_pos, at_line_start=True, balance=1)
        return self._after_error(tok.start_pos, tok.line)

    def _after_error(self, pos: int, line: int) -> bool:
        self._default_reductions()
        self._pop_to_sync(outermost=False)
        # When the error starts a line, the line before may be unfinished and
        # this one fine.
        return self._resync(pos, at_line_start=line > self.last_end_line)

    def _default_reductions(self) -> None:
        """Make the reductions the parser would make whatever came next.

        After a block's '}' the parser has not yet reduced the block (it waits
        for a lookahead); without this, dropping back to a synchronising state
        would reopen a block that was properly closed.
        """
        state = self.state
        callbacks = state.parse_conf.callbacks
        for _ in range(1000):
            actions = self.table[state.state_stack[-1]]
            rules = {arg for action, arg in actions.values() if action is not Shift}
            if len(rules) != 1 or any(action is Shift for action, _ in actions.values()):
                return
            rule = rules.pop()
            size = len(rule.expansion)
            if size > len(state.value_stack):
                return
            children = state.value_stack[len(state.value_stack) - size :]
            del state.state_stack[len(state.state_stack) - size :]
            del state.value_stack[len(state.value_stack) - size :]
            state.value_stack.append(callbacks[rule](children))
            goto = self.table[state.state_stack[-1]].get(rule.origin.name)
            if goto is None:
                return
            state.state_stack.append(goto[1])

    def _pop_to_sync(self, *, outermost: bool) -> None:
        states = self.state.state_stack
        indexes = [i for i, s in enumerate(states) if s in self.sync_states]
        if not indexes:
            return
        i = indexes[0] if outermost else indexes[-1]
        del states[i + 1 :]
        del self.state.value_stack[i:]

    def _report_eof(self, expected: set[str]) -> None:
        block = self._open_block(self.state.value_stack)
        if block is not None:
            self._report_unclosed(*block)
            return
        if self.last is None:
            span = ast.Span(0, 0, 1, 1, 1, 1)
        else:
            last = self.last
            span = ast.Span(
                last.end_pos,
                last.end_pos,
                last.end_line,
                last.end_column,
                last.end_line,
                last.end_column,
            )
        self._report("SLA102", span, f"unexpected end of file; expected {self._words(expected)}")

    def _report_unclosed(self, keyword: str, name: Tok) -> None:
        self._report(
            "SLA102",
            token_span(name),
            f"unexpected end of file: {keyword} '{name!s}' is not closed",
            hint="add '}' at the end of the block",
        )

    @staticmethod
    def _open_block(values: list[Any]) -> tuple[str, Tok] | None:
        """The keyword and name of the innermost block still open on the stack."""
        for i in range(len(values) - 1, 0, -1):
            item = values[i]
            if isinstance(item, Token) and item.type == "RBRACE":
                return None  # blocks do not nest: the last one was closed
            if isinstance(item, Token) and item.type == "LBRACE":
                j = i - 1
                if not (isinstance(values[j], Token) and values[j].type == "NAME"):
                    j -= 1  # a title between the name and the brace
                name, keyword = values[j], values[j - 1]
                if isinstance(name, Token) and isinstance(keyword, Token):
                    return str(keyword), name
        return None

    def _acceptable(self, expected: set[str]) -> set[str]:
        """The terminals of ``expected`` that the parser can really shift now.

        An LALR state may list lookaheads that only a reduction can use and
        that then fail (LALR merges contexts); trying each on a copy of the
        stacks gives an exact list for the message.
        """
        state = self.state
        exact = set()
        for name in expected:
            trial = type(state)(
                state.parse_conf, state.lexer, list(state.state_stack), list(state.value_stack)
            )
            try:
                trial.feed_token(
                    self._end_token() if name == "$END" else Token(name, ""), name == "$END"
                )
            except Exception:
                continue
            exact.add(name)
        return exact or expected

    def _found(self, tok: Tok) -> str:
        kind = _FOUND_WORDS.get(tok.type)
        return f"{kind} {str(tok)!r}" if kind else repr(str(tok))

    def _word(self, name: str) -> str:
        if name in TERMINAL_WORDS:
            return TERMINAL_WORDS[name]
        terminal = self.terminals.get(name)
        if terminal is not None and terminal.pattern.type == "str":
            return repr(terminal.pattern.value)
        return name

    def _words(self, expected: set[str]) -> str:
        words = sorted({self._word(n) for n in expected if n not in ("COMMENT", "WHITESPACE")})
        if not words:
            return "nothing more"
        if len(words) == 1:
            return words[0]
        return ", ".join(words[:-1]) + " or " + words[-1]

    # ------------------------------------------------------------ resync

    def _next_line(self, pos: int) -> int:
        end = self.text.find("\n", pos)
        return len(self.text) if end < 0 else end + 1

    def _resync(self, pos: int, *, at_line_start: bool, balance: int = 0) -> bool:
        """Continue at the first '}' or line start from ``pos`` that the state accepts.

        Skipped text must have balanced braces, so a block whose header was
        broken is skipped whole instead of being read line by line.
        """
        text = self.text
        while True:
            blank = _BLANK.match(text, pos)
            if blank is not None:
                pos = blank.end()
            if at_line_start and balance == 0 and self._accepts(pos):
                self._move_to(pos)
                return True
            if pos >= len(text):
                if balance == 0:
                    block = self._open_block(self.state.value_stack)
                    if block is not None:
                        self._report_unclosed(*block)
                return False
            end = self._next_line(pos)
            for match in _BRACES.finditer(text, pos, end):
                if match.group() == "{":
                    balance += 1
                elif match.group() == "}":
                    if balance == 0 and self._accepts(match.start()):
                        self._move_to(match.start())
                        return True
                    # A '}' with no '{' skipped before it closes the block
                    # whose header was broken (a missing '{').
                    balance = max(balance - 1, 0)
            pos = end
            at_line_start = True

    def _accepts(self, pos: int) -> bool:
        state = self.state.position
        actions = self.table[state]
        if pos >= len(self.text):
            return "$END" in actions
        match = self.lexer.lexers[state].match(self.lexer_state.text, pos)
        if match is None:
            return False
        # A keyword comes back as NAME (Lark turns it into the keyword in a
        # later callback), so look the text up among the literals too.
        return match[1] in actions or self.literals.get(match[0]) in actions

    def _move_to(self, pos: int) -> None:
        counter = LineCounter("\n")  # type: ignore[no-untyped-call]
        line, col = _position(self.text, pos)
        counter.char_pos = pos
        counter.line = line
        counter.column = col
        counter.line_start_pos = pos - col + 1
        self.lexer_state.line_ctr = counter
        self.last_end_line = line - 1
