from __future__ import annotations

import pytest

from framewatch.models import deal_labels, detect_deal


@pytest.mark.parametrize(("text", "label"), [
    ("Starmer defends the 'one in, one out' returns deal with France", "uk-france"),
    ("The UK-France treaty on illegal crossings was ratified today.", "uk-france"),
    ("The Safety of Rwanda Bill completed its passage through Parliament overnight.", "uk-rwanda"),
    ("Meloni's government sent the first migrants to the centres in Albania under the Italy-Albania protocol.", "italy-albania"),
    ("The European Commission proposed return hubs under the new Common European System for Returns.", "eu-other"),
    ("Von der Leyen signed a memorandum with Tunisia's President Saied.", "eu-tunisia"),
    ("The council approved a new cycle lane on the high street.", "other"),
])
def test_detect_deal(text: str, label: str) -> None:
    assert detect_deal(text).label == label


def test_labels_are_those_of_the_guideline() -> None:
    assert deal_labels() == ["uk-france", "uk-rwanda", "italy-albania", "eu-turkey", "eu-tunisia", "eu-other",
                             "us-third-country", "uk-other", "other"]
