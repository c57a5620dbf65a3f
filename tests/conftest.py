"""Shared test fixtures and paths."""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import settings

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
DOCS = REPO / "docs"
# The normative specification sits beside the repository in the workplace;
# tests that read it directly skip when it is absent (copies of the normative
# blocks are kept under tests/data so CI never depends on it).
SPEC = REPO.parent / "shared" / "spec"

# CI gets a few more examples than a developer's quick run; both are bounded
# so the whole suite stays well inside the CI budget.
settings.register_profile("ci", max_examples=150, deadline=None)
settings.register_profile("dev", max_examples=60, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
