from __future__ import annotations

import pytest

from framewatch.corpus import detect_language


@pytest.mark.parametrize(("text", "code"), [
    ("The Prime Minister and French President Emmanuel Macron have agreed to take forward a "
     "groundbreaking partnership to address illegal Channel crossings.", "en"),
    ("Le ministre de l'Intérieur a annoncé mercredi que les premiers migrants seraient renvoyés en France.", "fr"),
    ("Der Bundesinnenminister will prüfen, ob Asylverfahren in Drittstaaten durchgeführt werden können.", "de"),
    ("Il governo italiano ha firmato un protocollo con l'Albania per la gestione dei flussi migratori.", "it"),
    ("UK-France deal", None),  # too short to tell
    ("", None),
])
def test_detect_language(text: str, code: str | None) -> None:
    assert detect_language(text).code == code
