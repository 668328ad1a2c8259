from __future__ import annotations

import datetime as dt

import pytest

from framewatch.nlp import extract


def people(nlp, text, **meta):
    (ex,) = extract(nlp, [(text, {"id": "t", "language": "en", **meta})])
    assert ex.error is None
    return [(p.name, list(p.roles)) for p in ex.people]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # seed-000 (dev, Express)
        ("Plans were spearheaded by now-Foreign Secretary Yvette Cooper when she was in the Home Office.",
         [("Yvette Cooper", ["Foreign Secretary"])]),
        ("Children’s minister Josh MacAlister told Times Radio that the man would be sent back.",
         [("Josh MacAlister", ["Children’s minister"])]),
        ("A source said the replacement of Bruno Retailleau as interior minister had been a blow.",
         [("Bruno Retailleau", ["interior minister"])]),
        # seed-004 (dev)
        ("Chris Philp, the Shadow Home Secretary, said the plan would fail.",
         [("Chris Philp", ["Shadow Home Secretary"])]),
        ("Lucy Moreton of the Immigration Services Union said more was needed.",
         [("Lucy Moreton", ["Immigration Services Union"])]),
        # honorifics, possessives and surname-only mentions merge
        ("Sir Keir Starmer defended the deal. Starmer's critics were unmoved, but Sir Keir insisted.",
         [("Keir Starmer", [])]),
        # d043 (post-truth.eu): a possessive country title before a comma
        ("Giorgia Meloni has also spoken with Austria’s Chancellor, Alexander Schallenberg, about migration.",
         [("Giorgia Meloni", []), ("Alexander Schallenberg", ["Austria’s Chancellor"])]),
        # bylines and photo credits are not people
        ("By Jane Doe\nKeir Starmer met Emmanuel Macron. (Image: John Smith/PA)",
         [("Keir Starmer", []), ("Emmanuel Macron", [])]),
        ("Brexit changed everything, Kyiv said.", []),
    ],
)
def test_people_and_roles(nlp, text, expected):
    assert people(nlp, text) == expected


def test_role_only_mention_resolves_to_named_person(nlp):
    # seed-000: "the Prime Minister said" after "Sir Keir Starmer defended ..."
    text = "Sir Keir Starmer defended the deal on the BBC. Later the Prime Minister said it worked."
    (ex,) = extract(nlp, [(text, {"id": "t", "language": "en"})])
    (p,) = ex.people
    assert (p.name, p.role, p.source) == ("Keir Starmer", "Prime Minister", "text")
    assert [m.text for m in p.mentions] == ["Keir Starmer", "Prime Minister"]


@pytest.mark.parametrize(
    ("published", "holder"),
    [(dt.date(2025, 8, 1), "Yvette Cooper"), (dt.date(2025, 10, 1), "Shabana Mahmood"),
     ("2023-01-05", "Suella Braverman"), (None, None)],
)
def test_role_only_mention_uses_office_holder_table(nlp, published, holder):
    text = "The Home Secretary said the returns would start small."
    (ex,) = extract(nlp, [(text, {"id": "t", "language": "en", "published": published})])
    got = [(p.name, p.source, p.mentions[0].text) for p in ex.people]
    assert got == ([(holder, "office_holders", "Home Secretary")] if holder else [])


def test_people_on_doc(nlp):
    doc = nlp("Home Secretary Shabana Mahmood met Emmanuel Macron. Mahmood said little.")
    assert [p.name for p in doc._.fw_people] == ["Shabana Mahmood", "Emmanuel Macron"]
    assert [(s.text, s.label_) for s in doc.spans["fw_people"]] == [
        ("Shabana Mahmood", "Shabana Mahmood"), ("Emmanuel Macron", "Emmanuel Macron"),
        ("Mahmood", "Shabana Mahmood")]
