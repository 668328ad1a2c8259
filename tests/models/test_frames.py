from __future__ import annotations

import numpy as np
import pytest

from framewatch.models import FRAMES, FrameClassifier
from framewatch.models.frames import frames_frame, split_labels

SENTENCES = [
    ("The scheme will cost taxpayers £500m over five years.", "economic"),
    ("Hotels housing asylum seekers cost £8m a day.", "economic"),
    ("Lawyers said the removals breach the European Convention on Human Rights.", "legality_constitutionality_and_jurisprudence"),
    ("The Supreme Court ruled the Rwanda policy unlawful.", "legality_constitutionality_and_jurisprudence"),
    ("Smuggling gangs will be prosecuted and jailed.", "crime_and_punishment"),
    ("Police arrested people smugglers in Calais.", "crime_and_punishment"),
    ("Charities said it is cruel to send refugees back.", "morality"),
    ("The policy is inhumane, the bishops said.", "morality"),
]


@pytest.fixture()
def clf() -> FrameClassifier:
    texts = [t for t, _ in SENTENCES] * 3
    labels = [[f] for _, f in SENTENCES] * 3
    return FrameClassifier(threshold=0.4).fit(texts, labels)


def test_predicts_frames_of_new_sentences(clf: FrameClassifier) -> None:
    assert clf.predict(["The plan will cost £200m."]) == [["economic"]]
    proba = clf.predict_proba(["The court ruled it unlawful."])
    assert proba.shape == (1, len(FRAMES))
    assert FRAMES[int(np.argmax(proba))] == "legality_constitutionality_and_jurisprudence"


def test_article_frames_carry_evidence(clf: FrameClassifier) -> None:
    sents = [("The plan will cost £200m.", 0, 25), ("Judges said the court ruled it unlawful.", 26, 66)]
    frames = clf.article_frames(sents)
    names = [f.frame for f in frames]
    assert "economic" in names and "legality_constitutionality_and_jurisprudence" in names
    econ = next(f for f in frames if f.frame == "economic")
    assert econ.evidence[0][:3] == ("The plan will cost £200m.", 0, 25)
    df = frames_frame(frames, "a1")
    assert set(df["article_id"]) == {"a1"} and set(df["frame"]) == set(names)


def test_unknown_frame_names_are_refused() -> None:
    assert split_labels("economic; political") == ["economic", "political"]
    assert split_labels(None) == []
    with pytest.raises(ValueError, match="unknown frame"):
        split_labels("economy")


def test_no_sentences() -> None:
    assert FrameClassifier().fit(["The plan costs money", "Ministers met today"], [["economic"], []]).article_frames([]) == []
