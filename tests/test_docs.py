"""Documentation that lies is worse than none: every ```sla block in the docs
and the README, and every shipped example, must check without errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import sladsl
from tests.conftest import DOCS, EXAMPLES, REPO, SPEC

_BLOCK = re.compile(r"^```sla\n(.*?)^```", re.S | re.M)


def sla_blocks(path: Path) -> list[tuple[int, str]]:
    text = path.read_text(encoding="utf-8")
    return [(text.count("\n", 0, m.start()) + 2, m.group(1)) for m in _BLOCK.finditer(text)]


DOC_FILES = [*sorted(DOCS.glob("*.md")), REPO / "README.md"]
DOC_BLOCKS = [
    pytest.param(path, line, block, id=f"{path.name}:{line}")
    for path in DOC_FILES
    for line, block in sla_blocks(path)
]


def errors_of(text: str, name: str) -> list[str]:
    return [
        f"{d.location}: {d.code} {d.message}"
        for d in sladsl.check(text, filename=name)
        if d.severity == "error"
    ]


def test_docs_have_sla_blocks() -> None:
    # Guard against the regex silently matching nothing.
    assert len(DOC_BLOCKS) >= 10


@pytest.mark.parametrize(("path", "line", "block"), DOC_BLOCKS)
def test_doc_block_checks(path: Path, line: int, block: str) -> None:
    assert errors_of(block, f"{path.name}:{line}") == []


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.sla")), ids=lambda p: p.name)
def test_example_contract_loads(path: Path) -> None:
    contract = sladsl.load(path)
    assert contract.ast.policies


@pytest.mark.skipif(not (SPEC / "LANGUAGE.md").exists(), reason="shared spec not present")
def test_language_spec_blocks_joined_check_with_warnings_only() -> None:
    blocks = [block for _, block in sla_blocks(SPEC / "LANGUAGE.md")]
    assert len(blocks) >= 5
    joined = "\n".join(blocks)
    assert errors_of(joined, "LANGUAGE.md") == []
    assert any(d.severity == "warning" for d in sladsl.check(joined, "LANGUAGE.md"))
