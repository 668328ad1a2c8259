from __future__ import annotations

import pytest

from framewatch.nlp.organisations import canonical_org, org_type


@pytest.mark.parametrize(
    ("name", "canonical", "kind"),
    [
        ("Tories", "Conservatives", "party"),
        ("the UN refugee agency", "UNHCR", "international"),
        ("Home Office", "Home Office", "government"),
        ("Immigration Services Union", "Immigration Services Union", "union"),
        ("Lib Dems", "Liberal Democrats", "party"),
    ],
)
def test_known_organisations(name, canonical, kind):
    assert canonical_org(name) == canonical
    assert org_type(name) == kind


@pytest.mark.parametrize(
    ("name", "kind"),
    [("Upper Tribunal", "court"), ("Scottish Refugee Council", "ngo"), ("Ministry of the Interior", "government"),
     ("Acme Widgets", "other"), ("Fire Brigades Union", "union")],
)
def test_type_from_cue_words(name, kind):
    assert org_type(name) == kind


def test_orgs_on_doc(nlp):
    # seed-004 (dev): "Lucy Moreton of the Immigration Services Union"
    doc = nlp("Lucy Moreton of the Immigration Services Union said the Tories and the Home Office failed.")
    assert [(o.name, o.type) for o in doc._.fw_orgs] == [
        ("Immigration Services Union", "union"), ("Conservatives", "party"), ("Home Office", "government")]
    assert [s.label_ for s in doc.spans["fw_orgs"]] == [
        "Immigration Services Union", "Conservatives", "Home Office"]
