"""Speaker attribution (framewatch.nlp.attribution): candidates, links, features, the ranker.

Fixtures are short real-news patterns (a layout, a link); each test checks a kind of behaviour,
not one article's output.
"""

from __future__ import annotations

import json

import pytest

from framewatch.errors import FramewatchError
from framewatch.nlp.attribution import (DocMentions, SpeakerRanker, candidates, featurize,
                                        load_ranker, same_speaker, save_ranker, site_of)
from framewatch.nlp.attribution.candidates import reads_as_speaker
from framewatch.nlp.attribution.model import default_ranker_path
from framewatch.nlp.attribution.train import (LabelledQuote, build_examples, cross_validate, fit,
                                              read_quote_labels)
from framewatch.nlp.quotes import find_quotes, rule_quotes


@pytest.fixture(scope="module")
def parsed(nlp):
    """Parse with every nlp component up to people, without the quotes stage itself."""
    names = [n for n in nlp.pipe_names if n not in {"framewatch_quotes", "framewatch_claims"}]

    def run(text: str):
        with nlp.select_pipes(enable=names):
            doc = nlp(text)
        ctx, quotes = rule_quotes(doc)
        return doc, ctx, quotes, DocMentions(ctx)
    return run


def _names(cands) -> dict[str, str]:
    return {c.name: c.type for c in cands if c.type != "none"}


def test_candidates_are_people_bodies_and_described_people(parsed) -> None:
    text = ("Home Secretary Yvette Cooper visited Dover with officials from the Home Office. "
            "An asylum seeker at the centre told reporters the food was poor.\n\n"
            "“We will keep going,” a Home Office spokesperson said.")
    _, ctx, quotes, dm = parsed(text)
    q = next(q for q in quotes if q.kind == "direct")
    names = _names(candidates(dm, q.start, q.end))
    assert names.get("Yvette Cooper") == "person"
    assert any(same_speaker("a Home Office spokesperson", n) and t == "anonymous" for n, t in names.items())
    assert any(t == "anonymous" and "asylum seeker" in n.lower() for n, t in names.items())
    # every candidate is a noun phrase: its last word is a noun or a name, never a verb fragment
    for m in dm.mentions:
        if m.source == "description":
            assert dm.doc[m.head].pos_ in {"NOUN", "PROPN"}


def test_the_empty_candidate_is_always_last(parsed) -> None:
    text = "“This is only the beginning of the end,” the placard read."
    _, ctx, quotes, dm = parsed(text)
    cands = candidates(dm, 1, 36)
    assert cands[-1].type == "none" and cands[-1].name == ""


@pytest.mark.parametrize(("pronoun", "expected"), [("She", "Yvette Cooper"), ("He", "Gérald Darmanin")])
def test_pronouns_agree_in_gender(parsed, pronoun: str, expected: str) -> None:
    text = (f"Yvette Cooper met Gérald Darmanin in Calais on Monday.\n\n"
            f"{pronoun} said the returns would start within weeks.")
    _, ctx, quotes, dm = parsed(text)
    pron = next(m for m in dm.mentions if m.source == "pronoun")
    first = [a for a in dm.antecedents(pron) if a[3]]
    assert first and first[0][0] == expected


@pytest.mark.parametrize(("pronoun", "expected"), [("she", "Yvette Cooper"), ("he", "Bruno Retailleau")])
def test_the_rules_resolve_a_pronoun_speaker_with_gender_agreement(parsed, pronoun: str, expected: str) -> None:
    # the last person named is of the other gender for one of the two pronouns
    text = ("Bruno Retailleau will meet his British counterpart, Yvette Cooper, in Calais.\n\n"
            f"“Brexit has destroyed all migration relations,” {pronoun} said on Monday.")
    _, ctx, quotes, dm = parsed(text)
    (q,) = [q for q in quotes if q.kind == "direct"]
    assert q.speaker == expected


def test_a_name_that_only_modifies_a_noun_is_no_antecedent(parsed) -> None:
    text = ("US District Judge Brian Murphy heard the case on Tuesday.\n\n"
            "He said the Trump administration must keep custody of them if he finds the removals unlawful.")
    _, ctx, quotes, dm = parsed(text)
    prons = [m for m in dm.mentions if m.source == "pronoun"]
    assert prons and all(a[0] != "Trump" for p in prons for a in dm.antecedents(p))
    assert any(a[0] == "Brian Murphy" for a in dm.antecedents(prons[-1]))


def test_pronoun_window_is_bounded(parsed) -> None:
    filler = "The crossing season continued with calm weather along the coast. " * 30
    text = f"Yvette Cooper spoke in Dover.\n\n{filler}\n\nShe said the returns would start within weeks."
    _, ctx, quotes, dm = parsed(text)
    pron = next(m for m in dm.mentions if m.source == "pronoun")
    assert all(a[0] != "Yvette Cooper" for a in dm.antecedents(pron))


def test_a_title_links_to_the_person_who_holds_it(parsed) -> None:
    text = ("Interior Minister Matteo Piantedosi visited the centre in Gjader.\n\n"
            "The minister said the transfers would resume next month.")
    _, ctx, quotes, dm = parsed(text)
    title = [m for m in dm.mentions if m.source == "title"]
    assert title and title[0].name == "Matteo Piantedosi" and title[0].type == "person"


def test_a_description_links_to_the_body_named_before(parsed) -> None:
    text = ("The Home Affairs Committee published its report on Tuesday.\n\n"
            "The committee said the scheme had returned too few people to deter crossings.")
    _, ctx, quotes, dm = parsed(text)
    body = [m for m in dm.mentions if m.source == "description" and m.start > 60]
    assert body and "Home Affairs Committee" in body[0].name


@pytest.mark.parametrize("description", ["The charity", "The rights group", "The organisation"])
def test_a_generic_description_links_to_the_body_just_named(parsed, description: str) -> None:
    text = ("Amnesty International has criticised the new returns agreement.\n\n"
            f"{description} said the deal would put vulnerable people at risk.")
    _, ctx, quotes, dm = parsed(text)
    desc = [m for m in dm.mentions if m.source == "description" and m.start > 60]
    assert desc and desc[0].name == "Amnesty International"


def test_a_statement_speaks_for_the_body_that_issued_it(parsed) -> None:
    text = ("On Thursday, the Danish foreign ministry said in a statement that the office would open.\n"
            "“The project office will open during the second half of the year,” the statement said.")
    _, ctx, quotes, dm = parsed(text)
    (q,) = [q for q in quotes if q.kind == "direct"]
    stmt = [m for m in dm.mentions if m.text.lower() == "the statement"]
    assert stmt and "foreign ministry" in stmt[0].name
    cands = candidates(dm, q.start, q.end, rule=(q.speaker, q.speaker_type or "organisation"))
    assert not any(c.name.lower() in {"the statement", "a statement"} for c in cands if c.via.get("rule"))


@pytest.mark.parametrize("text", [
    # the author comes after the document in its own phrase
    "Officials met on Monday.\nThe report prepared by the interior ministry states that the scheme "
    "cannot work under current law.",
    # the author is the owner of the same kind of document named before
    "The Danish Refugee Council's report was published on Monday.\nThe report states that the scheme "
    "cannot work under current law.",
])
def test_a_report_speaks_for_its_author(parsed, text) -> None:
    _, ctx, quotes, dm = parsed(text)
    rep = [m for m in dm.mentions if m.text == "The report"]
    assert rep and rep[-1].name != "The report" and rep[-1].type == "organisation"
    assert "ministry" in rep[-1].name.lower() or "Refugee Council" in rep[-1].name


@pytest.mark.parametrize(("text", "mention", "name"), [
    # "the department" stands for the government body named before
    ("The Home Office has spent more than expected on the scheme.\n"
     "The department said the costs would fall next year.", "The department", "Home Office"),
    # an abbreviation the text defines names that body ("ECHR" is an alias of the convention in
    # organisations.json; this text defines it as the court)
    ("The flight was stopped by the European Court of Human Rights (ECHR) on Tuesday.\n"
     "The ECHR said the man should not be removed until his appeal was heard.", "ECHR",
     "European Court of Human Rights"),
])
def test_a_body_is_named_as_the_text_introduced_it(parsed, text: str, mention: str, name: str) -> None:
    _, ctx, quotes, dm = parsed(text)
    found = [m for m in dm.mentions if m.text == mention]
    assert found and found[0].name == name


def test_an_office_description_refers_to_the_last_table_holder_named_before(parsed) -> None:
    # no text role for either man; both held the office by the table: the one named last
    text = ("Rishi Sunak lost the election to Keir Starmer on Thursday.\n"
            "The new Prime Minister told reporters that the scheme was over.")
    _, ctx, quotes, dm = parsed(text)
    desc = [m for m in dm.mentions if m.text.lower().startswith("the new prime minister")]
    assert desc and desc[0].name == "Keir Starmer" and desc[0].type == "person"


def test_a_part_of_a_named_body_is_the_speaker(parsed) -> None:
    text = "The legal department of the Home Office said the flights would go ahead."
    _, ctx, quotes, dm = parsed(text)
    first = min(dm.mentions, key=lambda m: m.start)
    assert first.source == "description" and first.text.lower().startswith("the legal department of")
    assert first.type == "organisation"


def test_a_region_description_of_a_country_is_that_country(parsed) -> None:
    # the country named last before it is Rwanda, which is not Nordic
    text = ("Denmark will open an office in Rwanda next month.\n"
            "Last week, the Nordic country said it would resettle 200 refugees.")
    _, ctx, quotes, dm = parsed(text)
    desc = [m for m in dm.mentions if m.text == "the Nordic country"]
    assert desc and (desc[0].name, desc[0].type) == ("Denmark", "organisation")


def test_a_body_that_qualifies_a_named_speaker_is_not_the_cue_subject(parsed) -> None:
    text = "“The business model of smugglers must be broken,” the EU's migration commissioner Magnus Brunner wrote."
    _, ctx, quotes, dm = parsed(text)
    cue = {m.name for m in dm.mentions if m.cue >= 0}
    assert "Magnus Brunner" in cue and not any("EU" in n or "European" in n for n in cue)


def test_a_generic_description_far_from_any_body_keeps_its_words(parsed) -> None:
    filler = "The boats kept coming through the summer, and the crossings rose again. " * 12
    text = ("Amnesty International has criticised the new returns agreement.\n\n" + filler +
            "\n\nThe group said the deal would put vulnerable people at risk.")
    _, ctx, quotes, dm = parsed(text)
    desc = [m for m in dm.mentions if m.source == "description" and m.start > len(filler)]
    assert desc and desc[0].name != "Amnesty International"


def test_features_describe_position_and_cue_subjects(parsed) -> None:
    text = "“We will not stop until the gangs are gone,” Keir Starmer said, beside Emmanuel Macron."
    _, ctx, quotes, dm = parsed(text)
    q = next(q for q in quotes if q.kind == "direct")
    cands = candidates(dm, q.start, q.end)
    rows = featurize(dm, site_of(dm, q.start, q.end, q.kind), cands)
    by = {c.name: r for c, r in zip(cands, rows)}
    assert by["Keir Starmer"]["cue_sent"] == 1.0 and by["Keir Starmer"]["after"] == 1.0
    assert by["Emmanuel Macron"]["cue_sent"] == 0.0
    assert rows[-1]["type=none"] == 1.0


@pytest.mark.parametrize(("name", "expected"), [("a Home Office spokesperson", 1.0), ("The Guardian", 0.5),
                                               ("The decision", 0.0), ("last night", 0.0), ("a wish", 0.0)])
def test_a_name_reads_as_a_speaker_by_its_head_or_its_capitals(parsed, name: str, expected: float) -> None:
    _, ctx, quotes, dm = parsed("Nothing was said.")
    assert reads_as_speaker(dm, name, "anonymous", "rule") == expected


def test_features_give_the_grammatical_role_of_the_nearest_mention(parsed) -> None:
    text = ("Judge Brian Murphy heard the case against the Trump administration on Tuesday.\n\n"
            "“The removals must stop,” Murphy said.")
    _, ctx, quotes, dm = parsed(text)
    q = next(q for q in quotes if q.kind == "direct")
    cands = candidates(dm, q.start, q.end)
    by = {c.name: r for c, r in zip(cands, featurize(dm, site_of(dm, q.start, q.end, q.kind), cands))}
    assert by["Brian Murphy"]["near_role=subject"] == 1.0 and by["Brian Murphy"]["subject_in_para"] == 1.0
    trump = next(r for n, r in by.items() if "Trump" in n)
    assert trump["near_role=object"] == 1.0 and trump["subject_in_para"] == 0.0


def _toy_rows():
    X, y = [], []
    for k in range(30):
        X += [{"cue_sent": 1.0, "gap": float(k % 3)}, {"cue_sent": 0.0, "gap": 1.0 + k % 5}, {"type=none": 1.0}]
        y += [1, 0, 0]
    return X, y


@pytest.mark.parametrize("estimator", ["gbm", "logistic"])
def test_ranker_follows_sklearn_conventions(estimator: str, tmp_path) -> None:
    X, y = _toy_rows()
    ranker = SpeakerRanker(estimator=estimator).fit(X, y)
    assert ranker.predict_proba(X).shape == (len(X), 2)
    best, p = ranker.rank(X[:3])
    assert best == 0 and 0.5 < p <= 1.0
    path = save_ranker(ranker, tmp_path / "r.skops", card={"estimator": estimator})
    again = load_ranker(str(path))
    assert again.rank(X[:3])[0] == 0
    assert json.loads(path.with_suffix(".json").read_text())["estimator"] == estimator
    with pytest.raises(ValueError, match="both"):
        SpeakerRanker().fit([{"a": 1.0}], [1])


def test_ranker_exclude_drops_features() -> None:
    X, y = _toy_rows()
    ranker = SpeakerRanker(estimator="logistic", exclude=("cue_sent",)).fit(X, y)
    assert "cue_sent" not in ranker.vectorizer_.feature_names_


def test_load_ranker_refuses_what_is_not_a_model(tmp_path) -> None:
    bad = tmp_path / "bad.skops"
    bad.write_bytes(b"not a zip")
    with pytest.raises(FramewatchError, match="not a skops"):
        load_ranker(str(bad))
    with pytest.raises(FramewatchError, match="no attribution model"):
        load_ranker(str(tmp_path / "missing.skops"))


def test_shipped_model_is_trained_on_pool_labels_only() -> None:
    path = default_ranker_path()
    assert path.exists(), "the package ships data/attribution.skops (benchmarks/train_attribution.py)"
    card = json.loads(path.with_suffix(".json").read_text())
    trained_on = card["trained_on"] if isinstance(card["trained_on"], list) else [card["trained_on"]]
    assert card["never_trained_on"] == "shared/corpus/dev"
    assert all(p.startswith("training/") and "dev" not in p for p in trained_on)
    assert any("quote_labels" in p for p in trained_on)
    assert isinstance(load_ranker(), SpeakerRanker)


# a small labelled set in the quote_labels.csv format, on short texts made here
ARTICLES = {
    "a1": ("Shadow home secretary Chris Philp visited Dover on Monday.\n\n"
           "“This scheme is a gimmick that will not stop the boats,” Philp said.\n\n"
           "“It will fall apart within weeks.”"),
    "a2": ("The Home Office said 50 people would be returned each week.\n\n"
           "“We are confident the numbers will rise,” a Home Office spokesperson said."),
    "a3": ("Yvette Cooper met Gérald Darmanin in Calais.\n\n"
           "“The returns have started and they will grow,” she said.\n\n"
           "Darmanin said France would take back more people."),
}


def _labels() -> list[LabelledQuote]:
    rows = []
    for art, quote, speaker in [
        ("a1", "This scheme is a gimmick that will not stop the boats,", "Chris Philp"),
        ("a1", "It will fall apart within weeks.", "Chris Philp"),
        ("a2", "50 people would be returned each week", "Home Office"),
        ("a2", "We are confident the numbers will rise,", "a Home Office spokesperson"),
        ("a3", "The returns have started and they will grow,", "Yvette Cooper"),
        ("a3", "France would take back more people", "Gérald Darmanin"),
    ]:
        text = ARTICLES[art]
        start = text.index(quote)
        kind = "indirect" if text[start - 1] not in "“\"" else "direct"
        rows.append(LabelledQuote(art, kind, start, start + len(quote), quote, speaker, "", None, None))
    return rows


def test_training_matches_labels_to_found_quotes_and_cross_validates(nlp) -> None:
    examples = build_examples(nlp, ARTICLES, _labels())
    assert sum(g is not None for ex in examples for g in ex.gold) >= 5
    ranker = fit(examples, estimator="logistic")
    assert isinstance(ranker, SpeakerRanker)
    cv = cross_validate(examples, by="article", folds=3, estimator="logistic")
    assert cv["quotes"] >= 5 and 0.0 <= cv["model"] <= 1.0 and set(cv["folds"]) == {"0", "1", "2"}
    # a shuffled fold assignment scores every quote exactly once too
    shuffled = [cross_validate(examples, by="article", folds=2, seed=k, estimator="logistic") for k in range(3)]
    assert all(r["quotes"] == cv["quotes"] and sum(f["quotes"] for f in r["folds"].values()) == cv["quotes"]
               for r in shuffled)


def test_read_quote_labels_names_the_missing_columns(tmp_path) -> None:
    path = tmp_path / "l.csv"
    path.write_text("pool_id,kind,text\np1,direct,hello there friend\n")
    with pytest.raises(ValueError, match="missing columns"):
        read_quote_labels(path)


def test_find_quotes_with_the_rules_alone_or_a_ranker(nlp) -> None:
    doc = nlp(ARTICLES["a1"])
    rules = find_quotes(doc, ranker=None)
    ranked = find_quotes(doc)
    assert [q.text for q in rules] == [q.text for q in ranked]
    assert all(q.speaker == "Chris Philp" for q in ranked if q.kind == "direct")


def test_the_flattened_trees_score_as_scikit_learn_does() -> None:
    import numpy as np

    from framewatch.nlp.attribution.model import _flat_trees

    ranker = load_ranker(default_ranker_path())
    flat = _flat_trees(ranker.model_)
    assert flat is not None
    rng = np.random.default_rng(0)
    X = rng.random((300, ranker.n_features_in_)) * rng.integers(0, 3, (300, ranker.n_features_in_))
    X[rng.random(X.shape) < 0.05] = np.nan
    assert np.allclose(flat.proba(X), ranker.model_.predict_proba(X)[:, 1], atol=1e-12)


def test_the_dense_rows_are_what_the_vectorizer_gives() -> None:
    import numpy as np

    ranker = load_ranker(default_ranker_path())
    names = list(ranker.vectorizer_.feature_names_)
    strings = sorted({n.split("=", 1)[0] for n in names if "=" in n})
    numbers = [n for n in names if "=" not in n]
    rng = np.random.default_rng(1)
    rows = []
    for i in range(40):
        row: dict = {k: [v.split("=", 1)[1] for v in names if v.startswith(k + "=")][i % 2] for k in strings[: 3 + i % 5]}
        row |= {k: (float(rng.random()) if i % 3 else int(rng.integers(0, 4))) for k in numbers[i % 4::3]}
        row |= {"no_such_feature": 1.0, "mention_type": "no_such_value", "flag": bool(i % 2), "gap": float("nan")}
        rows.append(row)
    assert np.array_equal(ranker._dense(rows), ranker.vectorizer_.transform(rows).toarray()
                          if hasattr(ranker.vectorizer_.transform(rows), "toarray")
                          else ranker.vectorizer_.transform(rows), equal_nan=True)


def test_training_targets_are_the_candidates_the_scorer_counts_right() -> None:
    from framewatch.nlp.attribution import Candidate, SpeakerMention
    from framewatch.nlp.attribution.train import _labels

    def mention(start: int, end: int, text: str, typ: str) -> SpeakerMention:
        return SpeakerMention(start, end, text, text, typ, "description", -1, -1, None, "singular")

    title = Candidate("the parliament president", "anonymous", "description",
                      [mention(10, 34, "the parliament president", "anonymous")])
    person = Candidate("Jane Doe", "person", "name", [mention(40, 48, "Jane Doe", "person")])
    none = Candidate("", "none", "none")
    gold = LabelledQuote("a1", "direct", 60, 90, "we kept our word", "Jane Doe", "person", 10, 34)
    # the description at the labelled mention's offsets is no target where a candidate has the name
    assert _labels([title, person, none], gold) == [0, 1, 0]
    # without a candidate of that name, the labelled mention's offsets decide
    assert _labels([title, none], gold) == [1, 0]
    unnamed = LabelledQuote("a1", "direct", 60, 90, "we kept our word", "", "", None, None)
    assert _labels([title, person, none], unnamed) == [0, 0, 1]


@pytest.mark.parametrize(("intro", "linked"), [
    ("We spoke to one smuggler in Erbil who asked not to be named.", True),
    ("A woman in Calais said she had paid for the crossing.", False),  # "the man" is not her
    ("We spoke to one smuggler in Erbil. Keir Starmer visited the city later.", False),  # a named person between
])
def test_a_definite_description_refers_back_to_the_unnamed_person_just_described(parsed, intro: str, linked: bool) -> None:
    text = f"{intro}\n\nThe man said business had never been better.\n\n“We do not bear responsibility,” he said."
    _, ctx, quotes, dm = parsed(text)
    first = next(m for m in dm.mentions if m.source == "description" and m.type == "anonymous")
    man = next(m for m in dm.mentions if m.text == "The man")
    assert (man.name == first.name) is linked
    if linked:  # one candidate for the quote, named as the text first described the person
        q = next(q for q in quotes if q.kind == "direct")
        names = _names(candidates(dm, q.start, q.end))
        assert first.name in names and "The man" not in names


@pytest.mark.parametrize("source", ["An airport staffer", "Protesters outside the centre", "Human rights organisations"])
def test_staffers_protesters_and_groups_are_described_speakers(parsed, source: str) -> None:
    text = f"{source} told reporters on Monday that “the flights must stop at once,” before leaving."
    _, ctx, quotes, dm = parsed(text)
    q = next(q for q in quotes if q.kind in {"direct", "partial"})
    names = _names(candidates(dm, q.start, q.end))
    assert any(same_speaker(source, n) for n in names), names
