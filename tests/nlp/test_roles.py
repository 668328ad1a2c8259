from __future__ import annotations

import datetime as dt

import pytest
import spacy

from framewatch.nlp._data import office_terms
from framewatch.nlp.people import _holder_on
from framewatch.nlp.roles import office_of, plural_title, role_only_spans, singular_head


@pytest.mark.parametrize(
    ("role", "office"),
    [
        ("Home Secretary", ("Home Secretary", "GB")),
        ("UK Home Secretary", ("Home Secretary", "GB")),
        ("French President", ("President", "FR")),
        ("France’s Interior Minister", ("Interior Minister", "FR")),
        ("Italian Prime Minister", ("Prime Minister", "IT")),
        ("shadow home secretary", ("Shadow Home Secretary", "GB")),
        ("President of France", ("President", "FR")),
        ("former prime minister", (None, None)),
        ("Children's minister", (None, None)),
    ],
)
def test_office_of(role, office):
    assert office_of(role) == office


@pytest.mark.parametrize(
    ("office", "country", "day", "holder"),
    [
        ("Home Secretary", "GB", dt.date(2025, 8, 1), "Yvette Cooper"),
        ("Home Secretary", "GB", dt.date(2025, 10, 1), "Shabana Mahmood"),
        ("Foreign Secretary", "GB", dt.date(2025, 10, 1), "Yvette Cooper"),
        ("Prime Minister", "GB", dt.date(2024, 3, 1), "Rishi Sunak"),
        ("Interior Minister", "FR", dt.date(2025, 1, 10), "Bruno Retailleau"),
        ("President", "RW", dt.date(2022, 6, 1), "Paul Kagame"),
        ("Chancellor", "DE", dt.date(2024, 6, 1), "Olaf Scholz"),
    ],
)
def test_office_holders(office, country, day, holder):
    assert _holder_on(office, country, day) == holder


def test_office_table_has_sources_and_no_overlaps():
    terms = office_terms()
    assert all(t.source.startswith("https://") for t in terms)
    by_office: dict = {}
    for t in terms:
        by_office.setdefault((t.office, t.country), []).append(t)
    for rows in by_office.values():
        rows.sort(key=lambda t: t.start)
        for a, b in zip(rows, rows[1:]):
            assert a.end is not None and a.end <= b.start, (a, b)


def test_role_only_spans():
    text = "The Prime Minister said so, and France's president agreed with the Home Secretary."
    assert [(r.text, r.office, r.country) for r in role_only_spans(text)] == [
        ("Prime Minister", "Prime Minister", None), ("France's president", "President", "FR"),
        ("Home Secretary", "Home Secretary", "GB")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Prime Ministers", ("Prime Ministers", "Prime Minister")),
     ("EU interior ministers", ("EU interior ministers", "EU interior minister")),
     ("the Foreign Secretaries", ("Foreign Secretaries", "Foreign Secretary")),
     ("the Prime Minister", None), ("the bosses", None)],
)
def test_plural_title(text, expected):
    doc = spacy.blank("en")(text)
    found = plural_title(doc, len(doc) - 1)
    assert (None if found is None else (found[0].text, found[1])) == expected


@pytest.mark.parametrize(
    ("word", "single"),
    [("Ministers", "Minister"), ("presidents", "president"), ("SECRETARIES", "SECRETARY"),
     ("Minister", None), ("Bus", None)],
)
def test_singular_head(word, single):
    assert singular_head(word) == single
