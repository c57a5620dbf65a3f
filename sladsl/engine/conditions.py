"""Policy conditions compiled into small picklable predicate objects.

A predicate is called with the ticket's current fields (a dict from field
name to value; ``status`` and ``tags`` are always present, an absent key
means "not set") and answers a bool. They are frozen attrs classes rather
than closures so that a compiled contract pickles (``--jobs`` ships it to
worker processes), and contract text is never ``eval``-ed.

Comparisons are exact and typed (LANGUAGE.md): a string equals only a
string, a number only a number, a boolean only a boolean. Python's own
equality is not typed (``True == 1``, ``hash(True) == hash(1)``), so
booleans are routed apart from numbers everywhere. Contract numbers
(``Decimal`` in the syntax tree) become ``int`` when integral and ``float``
otherwise, the same values the JSON reader produces for the same text, so
``field "x" is 0.1`` matches a ticket's ``0.1``.

Example::

    >>> from sladsl.syntax.ast import FieldRef, FieldTest, Value
    >>> p = compile_condition(FieldTest(FieldRef("priority"), "in",
    ...                                 (Value("urgent"), Value("high"))))
    >>> p({"priority": "high"}), p({}), p({"priority": None})
    (True, False, False)
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any, Protocol

import attrs

from sladsl.syntax import ast
from sladsl.syntax.words import BUILTIN_FIELDS

Fields = Mapping[str, object]
Scalar = str | int | float | bool

# A custom field whose name is also a built-in's (`field "status"`) can never
# be set by a ticket: the reader treats such a key as the built-in. Give it a
# key that no ticket field has, so it is always absent.
_SHADOWED_PREFIX = "\x00field:"


class Predicate(Protocol):
    def __call__(self, fields: Fields) -> bool: ...


def field_key(ref: ast.FieldRef) -> str:
    """The key under which the evaluator keeps a field's value.

    >>> field_key(ast.FieldRef("Plan tier", custom=True))
    'Plan tier'
    >>> field_key(ast.FieldRef("status", custom=True)) == "status"
    False
    """
    if ref.custom and ref.name in BUILTIN_FIELDS:
        return _SHADOWED_PREFIX + ref.name
    return ref.name


def scalar(value: ast.ScalarValue) -> Scalar:
    """A contract literal as the evaluator compares it (Decimal -> int/float).

    >>> scalar(Decimal("100")), scalar(Decimal("0.5")), scalar(True), scalar("x")
    (100, 0.5, True, 'x')
    """
    if isinstance(value, bool | str):
        return value
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return int(value)
        return float(value)
    raise TypeError(f"unexpected literal {value!r}")


# ----------------------------------------------------------------- leaves


@attrs.frozen
class Const:
    """Always ``value`` (a test that can never or must always hold)."""

    value: bool

    def __call__(self, fields: Fields) -> bool:
        return self.value


@attrs.frozen
class Equals:
    """``FIELD is V`` for a string ``V``. ``==`` is already typed here: no
    field value of another type (number, bool, tag set, None) equals a str."""

    key: str
    value: str

    def __call__(self, fields: Fields) -> bool:
        return fields.get(self.key) == self.value


@attrs.frozen
class OneOf:
    """``FIELD in [V, ...]`` (and ``is V`` for a number or boolean).

    ``values`` holds the strings and numbers, ``flags`` the booleans: a
    boolean field is looked up only among ``flags`` and everything else only
    among ``values``, so ``True`` never matches ``1``.
    """

    key: str
    values: frozenset[str | int | float]
    flags: frozenset[bool] = frozenset()

    def __call__(self, fields: Fields) -> bool:
        v = fields.get(self.key)
        if v.__class__ is bool:
            return v in self.flags
        return v in self.values


@attrs.frozen
class IsSet:
    """``FIELD is set``: the field holds a value (``tags`` always does)."""

    key: str

    def __call__(self, fields: Fields) -> bool:
        return fields.get(self.key) is not None


@attrs.frozen
class HasTag:
    """``tags has V``."""

    key: str
    tag: str

    def __call__(self, fields: Fields) -> bool:
        v = fields.get(self.key)
        return isinstance(v, frozenset) and self.tag in v


@attrs.frozen
class HasAny:
    """``tags has any [V, ...]``."""

    key: str
    tags: frozenset[str]

    def __call__(self, fields: Fields) -> bool:
        v = fields.get(self.key)
        return isinstance(v, frozenset) and not self.tags.isdisjoint(v)


@attrs.frozen
class HasAll:
    """``tags has all [V, ...]``."""

    key: str
    tags: frozenset[str]

    def __call__(self, fields: Fields) -> bool:
        v = fields.get(self.key)
        return isinstance(v, frozenset) and self.tags <= v


@attrs.frozen
class Compare:
    """``field "X" < N`` (and ``<=``, ``>``, ``>=``): true only when the field
    holds a number (not a boolean). ``op`` is an ``operator`` function, which
    pickles by name."""

    key: str
    op: Callable[[Any, Any], Any]
    value: int | float

    def __call__(self, fields: Fields) -> bool:
        v = fields.get(self.key)
        cls = v.__class__
        return (cls is int or cls is float) and bool(self.op(v, self.value))


# ----------------------------------------------------------------- combinators


@attrs.frozen
class Negation:
    """``not C`` (also ``is not`` / ``not in`` / ``is not set``)."""

    operand: Predicate

    def __call__(self, fields: Fields) -> bool:
        return not self.operand(fields)


@attrs.frozen
class AllOf:
    """``A and B and ...`` (and a policy's several ``when`` lines)."""

    operands: tuple[Predicate, ...]

    def __call__(self, fields: Fields) -> bool:
        # A plain loop: all() over a generator costs a frame per policy match.
        for p in self.operands:  # noqa: SIM110
            if not p(fields):
                return False
        return True


@attrs.frozen
class AnyOf:
    """``A or B or ...``."""

    operands: tuple[Predicate, ...]

    def __call__(self, fields: Fields) -> bool:
        for p in self.operands:  # noqa: SIM110 (see AllOf)
            if p(fields):
                return True
        return False


# ----------------------------------------------------------------- compiler

_ORDERINGS: dict[str, Callable[[Any, Any], Any]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def _values(test: ast.FieldTest) -> tuple[Scalar, ...]:
    raw = test.value
    if raw is None:
        return ()
    if isinstance(raw, ast.Value):
        return (scalar(raw.value),)
    return tuple(scalar(v.value) for v in raw)


def _one_of(key: str, values: Iterable[Scalar]) -> Predicate:
    values = tuple(values)
    flags = frozenset(v for v in values if isinstance(v, bool))
    others = frozenset(v for v in values if not isinstance(v, bool))
    if not flags and len(others) == 1:
        (only,) = others
        if isinstance(only, str):
            return Equals(key, only)
    if not flags and not others:
        return Const(False)
    return OneOf(key, others, flags)


def _field_test(test: ast.FieldTest) -> Predicate:
    key = field_key(test.field)
    op = test.op
    values = _values(test)
    if op in ("is", "in"):
        return _one_of(key, values)
    if op in ("is not", "not in"):
        return Negation(_one_of(key, values))
    if op == "is set":
        return IsSet(key)
    if op == "is not set":
        return Negation(IsSet(key))
    # Tags are strings: a non-string tag value can never be present.
    texts = [v for v in values if isinstance(v, str)]
    if op == "has":
        return HasTag(key, texts[0]) if texts else Const(False)
    if op == "has any":
        return HasAny(key, frozenset(texts)) if texts else Const(False)
    if op == "has all":
        if len(texts) != len(values):
            return Const(False)
        return HasAll(key, frozenset(texts))
    if op in _ORDERINGS:
        (number,) = values
        if isinstance(number, bool) or not isinstance(number, int | float):
            return Const(False)
        return Compare(key, _ORDERINGS[op], number)
    raise ValueError(f"unknown field test {op!r}")


def _all_of(parts: Iterable[Predicate]) -> Predicate:
    # Flattened, so `(a and b) and c` (and several `when` lines) is one call.
    flat: list[Predicate] = []
    for p in parts:
        flat.extend(p.operands if isinstance(p, AllOf) else (p,))
    return flat[0] if len(flat) == 1 else AllOf(tuple(flat))


def _any_of(parts: Iterable[Predicate]) -> Predicate:
    flat: list[Predicate] = []
    for p in parts:
        flat.extend(p.operands if isinstance(p, AnyOf) else (p,))
    return flat[0] if len(flat) == 1 else AnyOf(tuple(flat))


def compile_condition(node: ast.Condition) -> Predicate:
    """A predicate for one condition of the syntax tree.

    >>> from sladsl.syntax.ast import FieldRef, FieldTest, Value, Not
    >>> p = compile_condition(Not(FieldTest(FieldRef("tags"), "has", Value("spam"))))
    >>> p({"tags": frozenset({"spam"})}), p({"tags": frozenset()})
    (False, True)
    """
    if isinstance(node, ast.FieldTest):
        return _field_test(node)
    if isinstance(node, ast.Not):
        inner = compile_condition(node.operand)
        if isinstance(inner, Negation):
            return inner.operand
        return Negation(inner)
    if isinstance(node, ast.And):
        return _all_of(compile_condition(c) for c in node.operands)
    if isinstance(node, ast.Or):
        return _any_of(compile_condition(c) for c in node.operands)
    raise TypeError(f"not a condition: {node!r}")


def compile_when(conditions: Iterable[ast.Condition]) -> Predicate | None:
    """A policy's ``when`` lines as one predicate; None when it has none
    (the policy matches every ticket)."""
    compiled = [compile_condition(c) for c in conditions]
    if not compiled:
        return None
    return _all_of(compiled)


def condition_keys(node: ast.Condition) -> set[str]:
    """The field keys a condition reads (to skip re-matching after updates
    that change none of them).

    >>> from sladsl.syntax.ast import FieldRef, FieldTest
    >>> sorted(condition_keys(FieldTest(FieldRef("group"), "is set", None)))
    ['group']
    """
    if isinstance(node, ast.FieldTest):
        return {field_key(node.field)}
    if isinstance(node, ast.Not):
        return condition_keys(node.operand)
    keys: set[str] = set()
    for c in node.operands:
        keys |= condition_keys(c)
    return keys
