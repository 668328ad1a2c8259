"""Article stance: quote features by hand, the stacked classifier, and the fine-tuned quote model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from framewatch.models import load_model, save_model
from framewatch.models.articles import (LEAD_FEATURES, QUOTE_FEATURES, ArticleStanceClassifier, article_frame,
                                        lead_features, lead_sentences, quote_features)
from framewatch.models.finetune import FineTunedStanceClassifier

from .test_stance import TRAIN


def test_quote_features_by_hand() -> None:
    scores = [{"support": 0.7, "oppose": 0.2, "neutral": 0.1},
              {"support": 0.1, "oppose": 0.6, "neutral": 0.3},
              {"support": 0.2, "oppose": 0.2, "neutral": 0.6}]
    f = quote_features(scores, ["government", "opposition", "government"])
    assert f["q_support"] == pytest.approx(1.0 / 3)
    assert f["q_oppose"] == pytest.approx(1.0 / 3)
    assert f["share_support"] == pytest.approx(1 / 3) and f["share_oppose"] == pytest.approx(1 / 3)
    assert f["max_support"] == 0.7 and f["max_oppose"] == 0.6
    assert f["government_share"] == pytest.approx(2 / 3)
    assert f["government_support"] == pytest.approx(0.45)
    assert f["others_oppose"] == pytest.approx(0.6)
    assert f["log_items"] == pytest.approx(np.log(4))
    assert quote_features([], []) == dict.fromkeys(QUOTE_FEATURES, 0.0)


def test_lead_sentences_skip_logos_bylines_and_a_repeated_headline() -> None:
    import spacy

    # the shape of a scraped page: logo, headline twice, dateline, then the lead
    text = ("logo\nLabour poised to announce returns deal with France, but Tories dub it pathetic\n\n"
            "Labour poised to announce returns deal with France, but Tories dub it pathetic\n\n"
            "Daily Mail 2 days ago\n\nThe Conservatives have blasted the plan being drawn up by Labour. "
            "Ministers are reported to be close to a deal with France. It would start this summer. "
            "A fourth sentence that is not read.")
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    doc = nlp(text)
    got = lead_sentences(doc.sents, 3)
    assert [t for t, _ in got] == ["Labour poised to announce returns deal with France, but Tories dub it pathetic",
                                   "The Conservatives have blasted the plan being drawn up by Labour.",
                                   "Ministers are reported to be close to a deal with France."]
    assert all(text[start:start + len(t)] == t for t, start in got)  # offsets point into the text
    assert lead_sentences(nlp("Too short. Also short.").sents) == []


def test_lead_features_by_hand() -> None:
    f = lead_features([{"support": 0.1, "oppose": 0.7, "neutral": 0.2}, {"support": 0.3, "oppose": 0.1, "neutral": 0.6}])
    assert f == pytest.approx({"lead_support": 0.2, "lead_oppose": 0.4, "lead_max_support": 0.3, "lead_max_oppose": 0.7})
    assert lead_features([]) == dict.fromkeys(LEAD_FEATURES, 0.0)
    row = article_frame("lead", "uk-france", [], [], [{"support": 0.9, "oppose": 0.0}])
    assert row.loc[0, "lead_support"] == 0.9 and row.loc[0, "q_support"] == 0.0


def test_article_classifier_reads_the_lead_sentences_stance() -> None:
    # identical leads and quotes; only the quote model's reading of the lead sentences differs
    lead, frames, y = "The first flight under the returns pilot left on Thursday", [], []
    for k, label in enumerate(["support", "oppose", "neutral"] * 6):
        s, o = {"support": (0.8, 0.05), "oppose": (0.05, 0.8), "neutral": (0.05, 0.05)}[label]
        s, o = s + 0.01 * (k % 3), o + 0.01 * (k % 2)
        frames.append(article_frame(lead, "uk-france", [{"support": 0.2, "oppose": 0.2, "neutral": 0.6}], ["other"],
                                    [{"support": s, "oppose": o, "neutral": 1 - s - o}]))
        y.append(label)
    clf = ArticleStanceClassifier(folds=3).fit(pd.concat(frames, ignore_index=True), y)
    test = pd.concat([article_frame(lead, "uk-france", [{"support": 0.2, "oppose": 0.2, "neutral": 0.6}], ["other"],
                                    [{"support": s, "oppose": o, "neutral": 1 - s - o}])
                      for s, o in ((0.85, 0.05), (0.05, 0.85), (0.05, 0.05))], ignore_index=True)
    assert list(clf.predict(test)) == ["support", "oppose", "neutral"]
    # a model trained on quote features only ignores the lead columns
    old = ArticleStanceClassifier(folds=3, features=QUOTE_FEATURES).fit(pd.concat(frames, ignore_index=True), y)
    assert old.model_.coef_.shape[1] == 3 + len(QUOTE_FEATURES)


# Leads: first sentences of the openly licensed sample texts and seed articles, with the quote
# features a tool would see on such articles.
LEADS = [
    ("UK and France agree major deal to crack down on illegal Channel crossings", "support", 0.8, 0.1),
    ("Landmark treaty a major step forward to stop the boats, says Home Secretary", "support", 0.7, 0.1),
    ("Rwanda Bill to become law in major illegal migration milestone", "support", 0.75, 0.05),
    ("Critics call the returns pilot a gimmick that will not deter crossings", "oppose", 0.1, 0.7),
    ("Charities warn the deal is cruel and unworkable", "oppose", 0.05, 0.8),
    ("Just one in 17 migrants would be returned under the scheme, figures show", "oppose", 0.15, 0.6),
    ("The first flight under the returns pilot left on Thursday", "neutral", 0.3, 0.3),
    ("The treaty was signed in London on Tuesday", "neutral", 0.25, 0.2),
    ("Home Office publishes figures on small boat arrivals", "neutral", 0.2, 0.25),
]


def _articles(rows: list[tuple[str, str, float, float]]) -> tuple[pd.DataFrame, list[str]]:
    frames, labels = [], []
    for lead, label, s, o in rows:
        scores = [{"support": s, "oppose": o, "neutral": 1 - s - o}] * 3
        frames.append(article_frame(lead, "uk-france", scores, ["government", "opposition", "other"]))
        labels.append(label)
    return pd.concat(frames, ignore_index=True), labels


def test_stacked_article_classifier_uses_quote_stances(tmp_path: Path) -> None:
    X, y = _articles(LEADS * 3)
    clf = ArticleStanceClassifier(folds=3).fit(X, y)
    assert list(clf.classes_) == ["neutral", "oppose", "support"]
    # the same neutral lead, with quotes that lean one way or the other
    lead = "The first flight under the returns pilot left on Thursday"
    test, _ = _articles([(lead, "", 0.85, 0.05), (lead, "", 0.05, 0.85), (lead, "", 0.3, 0.3)])
    assert list(clf.predict(test)) == ["support", "oppose", "neutral"]
    proba = clf.predict_proba(test)
    assert proba.shape == (3, 3) and np.allclose(proba.sum(axis=1), 1.0)
    again = load_model(save_model(clf, tmp_path / "a.skops"))
    assert np.allclose(again.predict_proba(test), proba)


def test_article_classifier_reads_a_plain_lead_as_no_quotes() -> None:
    X, y = _articles(LEADS * 3)
    clf = ArticleStanceClassifier(folds=3).fit(X, y)
    assert clf.predict_proba(["Charities warn the deal is cruel"]).shape == (1, 3)
    with pytest.raises(ValueError, match="rows but y has"):
        clf.fit(X, y[:-1])


def test_fine_tuned_classifier_on_a_tiny_model(tiny_transformer: Path, tmp_path: Path) -> None:
    clf = FineTunedStanceClassifier(model_path=str(tiny_transformer), tune_layers=1, epochs=40, lr=3e-3,
                                    batch_size=9).fit(TRAIN, TRAIN["label"])
    # the tuned top layer and head fit the training quotes
    assert (clf.predict(TRAIN) == TRAIN["label"].to_numpy()).mean() >= 0.8
    assert set(clf.encoder_weights_) and all(k.startswith("encoder.layer.0.") for k in clf.encoder_weights_)
    path = save_model(clf, tmp_path / "ft.skops")
    again = load_model(path)  # only numpy arrays and Framewatch types inside: loads as trusted
    assert np.allclose(again.predict_proba(TRAIN.head(4)), clf.predict_proba(TRAIN.head(4)), atol=1e-3)
    assert clf.predict_proba(TRAIN.head(0)).shape == (0, 3)


@pytest.fixture(scope="module")
def tiny_nli(tmp_path_factory: pytest.TempPathFactory, tiny_transformer: Path) -> Path:
    """A 1-layer BERT sequence classifier with NLI labels and random weights, built in code."""
    import torch
    from transformers import AutoTokenizer, BertConfig, BertForSequenceClassification

    config = BertConfig(vocab_size=40, hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=32, max_position_embeddings=64,
                        id2label={0: "contradiction", 1: "neutral", 2: "entailment"},
                        label2id={"contradiction": 0, "neutral": 1, "entailment": 2})
    torch.manual_seed(0)
    path = tmp_path_factory.mktemp("tiny-nli")
    BertForSequenceClassification(config).save_pretrained(path)
    AutoTokenizer.from_pretrained(tiny_transformer).save_pretrained(path)
    return path


def test_zero_shot_nli_classifier(tiny_nli: Path, tiny_transformer: Path) -> None:
    from framewatch.errors import FramewatchError
    from framewatch.models.component import load_stance_model
    from framewatch.models.zeroshot import NLIStanceClassifier

    clf = load_stance_model(tiny_nli)
    assert isinstance(clf, NLIStanceClassifier)
    proba = clf.predict_proba(TRAIN.head(5))
    assert proba.shape == (5, 3) and np.allclose(proba.sum(axis=1), 1.0)
    assert set(clf.predict(TRAIN.head(5))) <= {"support", "oppose", "neutral"}
    # a folder whose labels have no entailment class is not an NLI model
    with pytest.raises(FramewatchError, match="is not an NLI model"):
        NLIStanceClassifier(model_path=str(tiny_transformer)).fit()


def test_pipeline_takes_an_nli_folder_as_stance_model(tiny_nli: Path) -> None:
    from framewatch.nlp import extract
    from framewatch.pipeline import load_pipeline

    nlp = load_pipeline(stance_model=str(tiny_nli))
    text = ('The Home Secretary said: "The returns deal with France is working and we will expand it." '
            'Critics said the deal was a gimmick.')
    [ex] = list(extract(nlp, [(text, {"id": "a1", "language": "en"})]))
    assert ex.error is None
    assert ex.quotes and all(q["stance"] in {"support", "oppose", "neutral"} for q in ex.quotes)
    assert ex.stance is not None and ex.stance.label in {"support", "oppose", "neutral"}
