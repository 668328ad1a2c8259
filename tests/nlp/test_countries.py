from __future__ import annotations

import pytest
import spacy

from framewatch.nlp.countries import country_code, find_countries


@pytest.fixture(scope="module")
def blank():
    nlp = spacy.blank("en")
    nlp.add_pipe("framewatch_countries")
    return nlp


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        # seed-000 (Express): deal names, demonyms, short forms
        ("The Prime Minister has insisted that the UK-France migrant deal is working", ["GB", "FR"]),
        ("an Iranian national who had been deported under the deal returned to the UK", ["IR", "GB"]),
        ("deals with Germany, Belgium and the Netherlands", ["DE", "BE", "NL"]),
        ("Albanians and Eritreans arrived in Britain", ["AL", "ER", "GB"]),
        ("Denmark will rent prison cells in Kosovo", ["DK", "XK"]),
        ("the US and the States", ["US"]),
        ("tell us what the EU thinks", []),
        ("TELL US NOW", []),
        ("He flew to New Jersey and Latin America", []),
        ("Papua New Guinea is not Guinea", ["PG", "GN"]),
        ("the Indian Ocean", []),
        ("the French Revolution", ["FR"]),
        ("Anglo-French talks in Türkiye", ["GB", "FR", "TR"]),
        ("Italy-Albania protocol", ["IT", "AL"]),
        ("", []),
    ],
)
def test_country_codes(blank, text, codes):
    assert [c.code for c in find_countries(blank(text))] == codes


def test_mentions_have_offsets(blank):
    text = "France and the UK. Britain's border; French police."
    doc = blank(text)
    countries = doc._.fw_countries
    assert [(c.code, [(m.text, m.start, m.end) for m in c.mentions]) for c in countries] == [
        ("FR", [("France", 0, 6), ("French", 37, 43)]),
        ("GB", [("UK", 15, 17), ("Britain", 19, 26)]),
    ]
    assert [s.label_ for s in doc.spans["fw_countries"]] == ["FR", "GB", "GB", "FR"]


def test_person_named_after_country_is_not_a_country(nlp):
    # d029 (LBC): https://www.lbc.co.uk/article/french-presidential-stop-boats-immigration-badella-5HjdPBQ_2/
    doc = nlp("Jordan Bardella criticised the current deal.")
    assert [c.code for c in doc._.fw_countries] == []


@pytest.mark.parametrize(("word", "code"), [("UK", "GB"), ("Britons", "GB"), ("Dutch", "NL"),
                                            ("Iran", "IR"), ("EU", None), ("Calais", None)])
def test_country_code(word, code):
    assert country_code(word) == code
