from __future__ import annotations

import pytest

from framewatch.nlp import load


@pytest.fixture(scope="session")
def nlp():
    """The full Framewatch pipeline on the default small English model (loads in < 1 s)."""
    return load()
