from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE = Path(__file__).parent.parent / "samples" / "open-migration-deals" / "articles"


@pytest.fixture()
def corpus_dir() -> Path:
    return FIXTURES / "corpus"


@pytest.fixture()
def sample_dir() -> Path:
    return SAMPLE
