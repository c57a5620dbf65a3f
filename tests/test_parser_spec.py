"""The normative ```sla blocks of LANGUAGE.md parse, alone and joined in order."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sladsl.syntax.parser import parse

REPO = Path(__file__).resolve().parents[1]
SPEC_FILE = REPO.parent / "shared" / "spec" / "LANGUAGE.md"
COPY = REPO / "tests" / "data" / "language_blocks.sla"
_FENCE = re.compile(r"^```sla\n(.*?)^```", re.S | re.M)
_MARKER = "# ===== block =====\n"


def copied_blocks() -> list[str]:
    return COPY.read_text(encoding="utf-8").split(_MARKER)[1:]


def live_blocks() -> list[str]:
    return _FENCE.findall(SPEC_FILE.read_text(encoding="utf-8"))


needs_spec = pytest.mark.skipif(not SPEC_FILE.is_file(), reason="shared/spec is absent")


def assert_parses(text: str) -> None:
    contract, diagnostics = parse(text, "spec.sla")
    assert diagnostics == []
    assert contract is not None


@pytest.mark.parametrize("index", range(len(copied_blocks())))
def test_copied_block_parses_alone(index: int) -> None:
    assert_parses(copied_blocks()[index])


def test_copied_blocks_parse_joined() -> None:
    contract, diagnostics = parse("\n".join(copied_blocks()), "spec.sla")
    assert diagnostics == []
    assert contract is not None
    assert [p.name.value for p in contract.policies] == [
        "altered_service",
        "general",
        "vip",
        "email_default",
        "examples_of_conditions",
    ]


@needs_spec
def test_copy_matches_live_spec() -> None:
    assert copied_blocks() == live_blocks()


@needs_spec
def test_live_blocks_parse_alone_and_joined() -> None:
    blocks = live_blocks()
    assert blocks
    for block in blocks:
        assert_parses(block)
    assert_parses("\n".join(blocks))
