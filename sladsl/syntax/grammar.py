"""Where the grammar file lives.

``grammar/sladsl.lark`` at the repository root is the one source of truth for
syntax; the wheel ships it as ``sladsl/grammar/sladsl.lark``. A source
checkout (or an editable install) reads the root copy directly.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path


@cache
def grammar_text() -> str:
    """The text of the Lark grammar."""
    packaged = resources.files("sladsl").joinpath("grammar/sladsl.lark")
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    checkout = Path(__file__).resolve().parents[2] / "grammar" / "sladsl.lark"
    return checkout.read_text(encoding="utf-8")
