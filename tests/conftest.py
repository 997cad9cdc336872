"""Shared test helpers: where the evaluation data lives, and a skip when it is absent."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
EXAMPLES = ROOT / "examples" / "articles"


def shared_file(relative: str) -> Path:
    """A file of ../shared/data, or a skip that says it is missing (the data is never copied here)."""
    path = SHARED_DATA / relative
    if not path.exists():
        pytest.skip(f"../shared/data not found ({path}); accuracy tests need the evaluation data")
    return path
