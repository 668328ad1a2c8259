"""Behaviour of the shipped quote stance models (the default and the --fast one).

The sentences are written for these tests, in the register of the pool's news quotes, and
appear in no training file: they check what the models learned, not what they memorised."""
from __future__ import annotations

import pandas as pd
import pytest

from framewatch.models.component import default_model_path, load_stance_model

MODELS = ["stance_model", "stance_model_fast"]


def frame(text: str, voice: str = "government", context: str = "", kind: str = "direct") -> pd.DataFrame:
    return pd.DataFrame({"text": [text], "target": ["uk-france"], "context": [context or text],
                         "voice": [voice], "kind": [kind]})


@pytest.fixture(scope="module", params=MODELS)
def model(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    return load_stance_model(default_model_path(request.param))


def test_the_speakers_voice_never_changes_the_reading(model) -> None:  # type: ignore[no-untyped-def]
    text = "This returns deal is a failure and it will not stop a single boat."
    by_voice = [model.predict_proba(frame(text, voice=v))[0] for v in ("government", "opposition", "ngo", "other")]
    assert all((p == by_voice[0]).all() for p in by_voice)


@pytest.mark.parametrize("text, context, expected", [
    # an opponent's words credited to a minister stay opposition
    ("This returns deal is a failure and it will not stop a single boat.",
     "\"This returns deal is a failure and it will not stop a single boat,\" the minister said.", "oppose"),
    # quoted criticism
    ("gimmick", "Critics called the one in, one out scheme a \"gimmick\" that would not deter crossings.", "oppose"),
    ("a waste of taxpayers' money", "Opposition MPs said the deal was \"a waste of taxpayers' money\".", "oppose"),
    # a minister defending the deal
    ("The deal is working and more people will be returned to France every week.", "", "support"),
])
def test_clear_cases(model, text: str, context: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    assert model.predict(frame(text, context=context))[0] == expected


def test_describing_the_problem_is_not_opposition(model) -> None:  # type: ignore[no-untyped-def]
    text = "Criminal gangs are putting lives at risk in the Channel every single night."
    assert model.predict(frame(text))[0] != "oppose"
