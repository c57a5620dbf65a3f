"""Every diagnostic code, pinned to an exact position by a case file, and documented.

A case file in tests/cases/diagnostics/ begins with comment lines
``# expect: CODE LINE:COL``, one per diagnostic the file must produce; the
file must produce exactly those (as a multiset of code and position), no
more, no fewer, warnings included.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from sladsl.check import check_text
from sladsl.check.codes import CODES

REPO = Path(__file__).resolve().parents[1]
CASES = REPO / "tests" / "cases" / "diagnostics"
DIAGNOSTICS_DOC = REPO / "docs" / "diagnostics.md"

_EXPECT = re.compile(r"#\s*expect:\s*(SLA\d{3})\s+(\d+):(\d+)\s*$")
_HEADING = re.compile(r"^## (SLA\d{3}): (.+)$", re.M)
_FENCE = re.compile(r"^```(sla|sla-error)\n(.*?)^```", re.S | re.M)


def expectations(text: str) -> Counter[tuple[str, int, int]]:
    """The ``# expect:`` lines of a case file (anywhere in its leading comments)."""
    found: Counter[tuple[str, int, int]] = Counter()
    for line in text.splitlines():
        match = _EXPECT.match(line.strip())
        if match:
            found[(match.group(1), int(match.group(2)), int(match.group(3)))] += 1
    return found


def case_files() -> list[Path]:
    return sorted(CASES.glob("*.sla"))


@pytest.mark.parametrize("path", case_files(), ids=lambda p: p.name)
def test_case_file(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    expected = expectations(text)
    assert expected, f"{path.name} has no `# expect:` lines"
    _, diagnostics = check_text(text, path.name)
    actual = Counter((d.code, d.line, d.col) for d in diagnostics)
    details = "\n".join(f"  {d.location} {d.code} {d.message}" for d in diagnostics)
    assert actual == expected, f"got:\n{details}"


def test_every_code_has_a_case() -> None:
    covered = {
        code for path in case_files() for code, _, _ in expectations(path.read_text("utf-8"))
    }
    assert set(CODES) - covered == set()


def test_case_files_name_their_code() -> None:
    # The file name says which code a case is about; it must expect that code.
    for path in case_files():
        code = path.name[:6]
        if re.fullmatch(r"SLA\d{3}", code):
            assert code in {c for c, _, _ in expectations(path.read_text("utf-8"))}, path.name


def _sections() -> dict[str, str]:
    text = DIAGNOSTICS_DOC.read_text(encoding="utf-8")
    headings = list(_HEADING.finditer(text))
    sections = {}
    for match, following in zip(headings, [*headings[1:], None], strict=True):
        end = following.start() if following else len(text)
        sections[match.group(1)] = text[match.end() : end]
    return sections


def test_docs_have_one_section_per_code() -> None:
    text = DIAGNOSTICS_DOC.read_text(encoding="utf-8")
    headings = [m.group(1) for m in _HEADING.finditer(text)]
    assert len(headings) == len(set(headings)), "a code has two sections"
    assert set(headings) == set(CODES)


def test_docs_titles_match_the_registry() -> None:
    text = DIAGNOSTICS_DOC.read_text(encoding="utf-8")
    for match in _HEADING.finditer(text):
        assert match.group(2) == CODES[match.group(1)].title, match.group(1)


def _doc_blocks() -> list[tuple[str, str, str]]:
    return [
        (code, kind, block)
        for code, body in _sections().items()
        for kind, block in ((m.group(1), m.group(2)) for m in _FENCE.finditer(body))
    ]


@pytest.mark.parametrize(
    ("code", "kind", "block"),
    _doc_blocks(),
    ids=lambda v: v if isinstance(v, str) and len(v) < 12 else "",
)
def test_docs_examples(code: str, kind: str, block: str) -> None:
    _, diagnostics = check_text(block, f"diagnostics.md#{code}")
    if kind == "sla":
        errors = [f"{d.location} {d.code} {d.message}" for d in diagnostics if d.is_error]
        assert errors == [], "a fix example must check without errors"
    else:
        codes = {d.code for d in diagnostics}
        assert code in codes, f"the failing example of {code} produced {sorted(codes)}"


def test_every_section_has_a_failing_example_and_a_fix() -> None:
    for code, body in _sections().items():
        kinds = {m.group(1) for m in _FENCE.finditer(body)}
        assert kinds == {"sla", "sla-error"}, code
