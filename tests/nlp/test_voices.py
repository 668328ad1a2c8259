from __future__ import annotations

import pytest

from framewatch.nlp.voices import voice_labels, voice_of


@pytest.mark.parametrize(("speaker", "roles", "org_type", "speaker_type", "voice"), [
    ("Chris Philp", ["shadow home secretary"], None, "person", "opposition"),
    ("Yvette Cooper", ["Home Secretary"], None, "person", "government"),
    ("Keir Starmer", ["Prime Minister"], None, "person", "government"),
    ("Bruno Retailleau", ["French interior minister"], None, "person", "foreign_government"),
    ("Emmanuel Macron", ["French President"], None, "person", "foreign_government"),
    ("Giorgia Meloni", ["Italian Prime Minister"], None, "person", "foreign_government"),
    ("Home Office spokesperson", [], None, "organisation", "government"),
    ("a government source", [], None, "anonymous", "government"),
    ("Refugee Council", [], "ngo", "organisation", "ngos"),
    ("Enver Solomon", ["chief executive of the Refugee Council"], None, "person", "ngos"),
    ("Lucy Moreton", ["Immigration Services Union"], None, "person", "unions"),
    ("an Iranian asylum seeker", [], None, "anonymous", "migrants"),
    ("Madeleine Sumption", ["director of the Migration Observatory"], None, "person", "experts"),
    ("UNHCR", [], "international", "organisation", "international_bodies"),
    ("The Times", [], "media", "media", "media"),
    ("Nigel Farage", [], None, "person", "opposition"),
    ("Jane Doe", [], None, "person", "other"),
    # found in real articles: a country's demonym or name in the role, a bare "President", a
    # ministry described by its country, plural critics and judges
    ("John Dramani Mahama", ["Ghanaian President"], None, "person", "foreign_government"),
    ("Rodrigo Chaves", ["Costa Rica’s President"], None, "person", "foreign_government"),
    ("Recep Tayyip Erdogan", ["President"], None, "person", "foreign_government"),
    ("the Danish foreign ministry", [], None, "organisation", "foreign_government"),
    ("the interior ministry", [], None, "organisation", "government"),
    ("John Healey", ["Defence Secretary"], None, "person", "government"),
    ("Rights groups", [], None, "organisation", "ngos"),
    ("Critics", [], None, "anonymous", "ngos"),
    ("The judges", [], None, "organisation", "courts_and_lawyers"),
    ("Jordan Smith", ["minister"], None, "person", "government"),
    (None, [], None, None, "other"),
])
def test_voice_of(speaker, roles, org_type, speaker_type, voice) -> None:
    assert voice_of(speaker, roles=roles, org_type=org_type, speaker_type=speaker_type) == voice


def test_every_voice_has_a_label() -> None:
    labels = voice_labels()
    assert list(labels)[-1] == "other" and all(labels.values())
