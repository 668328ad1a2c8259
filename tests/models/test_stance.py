from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from framewatch.errors import FramewatchError
from framewatch.models import (EmbeddingStanceClassifier, TfidfStanceClassifier, cross_validate, load_model,
                               read_labels, save_model, score)
from framewatch.models.embeddings import SentenceEncoder
from framewatch.models.stance import as_frame

# Short quotes from the seed examples and openly licensed texts, labelled per the guideline.
TRAIN = pd.DataFrame([
    ("We do need to ramp it up.", "uk-france", "support"),
    ("We are sending people back every week now, so that we've shown it's working.", "uk-france", "support"),
    ("This landmark treaty is a major step forward to stop the boats.", "uk-france", "support"),
    ("The deal is a gimmick that will not work.", "uk-france", "oppose"),
    ("It is a failure and a waste of money.", "uk-france", "oppose"),
    ("The scheme will never deter anyone from crossing the Channel.", "uk-france", "oppose"),
    ("The treaty was signed on Tuesday.", "uk-france", "neutral"),
    ("The pilot will initially run until June 2026.", "uk-france", "neutral"),
    ("A total of 94 people have been returned through the pilot.", "uk-france", "neutral"),
] * 3, columns=["text", "target", "label"])


def test_tfidf_classifier_learns_and_is_calibrated_probabilities() -> None:
    clf = TfidfStanceClassifier().fit(TRAIN, TRAIN["label"])
    test = pd.DataFrame({"text": ["a gimmick and a waste of money", "we are sending people back every week"],
                         "target": ["uk-france"] * 2})
    assert list(clf.predict(test)) == ["oppose", "support"]
    proba = clf.predict_proba(test)
    assert proba.shape == (2, 3) and np.allclose(proba.sum(axis=1), 1.0)
    assert list(clf.classes_) == ["neutral", "oppose", "support"]


def test_a_class_offset_raises_that_class_and_keeps_probabilities() -> None:
    test = pd.DataFrame({"text": ["The pilot was signed and will run.", "a gimmick and a waste of money"],
                         "target": ["uk-france"] * 2})
    plain = TfidfStanceClassifier().fit(TRAIN, TRAIN["label"])
    shifted = TfidfStanceClassifier(class_offsets=(("support", 1.0),)).fit(TRAIN, TRAIN["label"])
    p, q = plain.predict_proba(test), shifted.predict_proba(test)
    s = list(plain.classes_).index("support")
    assert np.allclose(q.sum(axis=1), 1.0) and (q[:, s] > p[:, s]).all()
    # the odds of support against each other class grow by e^1, the others' odds stay
    assert np.allclose(q[:, s] / q[:, 0], np.e * p[:, s] / p[:, 0])
    assert np.allclose(q[:, 1] / q[:, 0], p[:, 1] / p[:, 0])
    assert list(shifted.predict(test)) == [shifted.classes_[i] for i in q.argmax(axis=1)]


def test_support_over_oppose_needs_the_odds_of_its_cost() -> None:
    clf = TfidfStanceClassifier(oppose_as_support_cost=1.5).fit(TRAIN, TRAIN["label"])
    s, o = list(clf.classes_).index("support"), list(clf.classes_).index("oppose")
    proba = np.zeros((3, 3))
    proba[0, [s, o]] = 0.45, 0.35  # support leads oppose by less than 1.5 to 1: oppose
    proba[1, [s, o]] = 0.60, 0.30  # by 2 to 1: support stands
    proba[2, [s, o]] = 0.30, 0.20
    proba[2, 3 - s - o] = 0.50     # neutral leads: the cost does not touch it
    assert [clf.classes_[j] for j in clf.decide(proba)] == ["oppose", "support", "neutral"]
    plain = TfidfStanceClassifier().fit(TRAIN, TRAIN["label"])
    assert list(plain.decide(proba)) == list(proba.argmax(axis=1))
    test = pd.DataFrame({"text": ["a gimmick and a waste of money"], "target": ["uk-france"]})
    assert clf.predict(test)[0] == clf.classes_[clf.decide(clf.predict_proba(test))[0]]


def test_labels_are_balanced_within_each_kind_of_row() -> None:
    from framewatch.models.stance import kind_balanced_weights

    kinds = ["claim"] * 4 + ["direct"] * 3
    y = ["neutral", "neutral", "neutral", "oppose", "support", "support", "oppose"]
    w = kind_balanced_weights(kinds, y)
    # within each kind, every label carries the same total weight, and a kind its own row count
    for kind in ("claim", "direct"):
        rows = [i for i, k in enumerate(kinds) if k == kind]
        totals = {lab: sum(w[i] for i in rows if y[i] == lab) for lab in {y[i] for i in rows}}
        assert np.allclose(list(totals.values()), len(rows) / len(totals))
    assert np.isclose(w.sum(), len(y))
    # a label that is rare among claims but common among direct quotes is not down-weighted in both
    assert w[3] > w[0] and w[6] > w[4]


def test_balanced_by_kind_weights_the_fit() -> None:
    # claims: the neutral rows and a third of the opposing ones; direct quotes: the rest. Over all
    # rows the labels are balanced already, within each kind they are not
    first_opposing = (TRAIN["label"] == "oppose") & (TRAIN.index < 9)
    df = TRAIN.assign(kind=np.where((TRAIN["label"] == "neutral") | first_opposing, "claim", "direct"))
    plain = TfidfStanceClassifier().fit(df, df["label"])
    by_kind = TfidfStanceClassifier(class_weight="balanced_by_kind").fit(df, df["label"])
    assert list(by_kind.classes_) == list(plain.classes_)
    assert by_kind.model_.class_weight is None  # the balance is in the sample weights
    test = pd.DataFrame({"text": ["a gimmick and a waste of money"], "target": ["uk-france"], "kind": ["direct"]})
    assert by_kind.predict(test)[0] == "oppose"
    assert not np.allclose(by_kind.predict_proba(test), plain.predict_proba(test))


def test_plain_strings_and_unknown_targets_are_accepted() -> None:
    clf = TfidfStanceClassifier().fit(TRAIN, TRAIN["label"])
    assert clf.predict(["It is a waste of money"])[0] == "oppose"
    assert clf.predict(pd.DataFrame({"text": ["It is a waste"], "target": ["eu-tunisia"]}))[0] in ("oppose", "neutral", "support")


def test_unfitted_and_bad_input() -> None:
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        TfidfStanceClassifier().predict(["x"])
    with pytest.raises(ValueError, match="needs a 'text' column"):
        TfidfStanceClassifier().fit(pd.DataFrame({"body": ["x"]}), ["neutral"])


def test_get_params_follows_sklearn_conventions() -> None:
    from sklearn.base import clone

    clf = TfidfStanceClassifier(C=2.0)
    assert clone(clf).get_params()["C"] == 2.0
    assert not hasattr(clf, "model_")  # __init__ stores params only


def test_cross_validation_scores_with_an_interval() -> None:
    s = cross_validate(TfidfStanceClassifier(), TRAIN, folds=3)
    assert s.n == len(TRAIN) and 0.0 <= s.ci_low <= s.macro_f1 <= s.ci_high <= 1.0


def test_score_matches_hand_computation() -> None:
    s = score(["support", "oppose", "neutral", "neutral"], ["support", "neutral", "neutral", "neutral"])
    assert s.accuracy == 0.75 and round(s.macro_f1, 3) == round((1 + 0 + 0.8) / 3, 3)


def test_save_and_load_with_skops(tmp_path: Path) -> None:
    clf = TfidfStanceClassifier().fit(TRAIN, TRAIN["label"])
    path = save_model(clf, tmp_path / "m.skops", card={"name": "test"})
    again = load_model(path)
    assert list(again.predict(TRAIN.head(3))) == list(clf.predict(TRAIN.head(3)))
    assert (tmp_path / "m.json").exists()


def test_untrusted_model_files_are_refused(tmp_path: Path) -> None:
    import os

    import skops.io as sio
    from sklearn.preprocessing import FunctionTransformer

    sio.dump(FunctionTransformer(func=os.system), tmp_path / "evil.skops")
    with pytest.raises(FramewatchError, match="refusing to load"):
        load_model(tmp_path / "evil.skops")
    (tmp_path / "junk.skops").write_bytes(b"not a zip")
    with pytest.raises(FramewatchError, match="is not a skops model file"):
        load_model(tmp_path / "junk.skops")


def test_sentence_encoder_on_a_tiny_model(tiny_transformer: Path) -> None:
    enc = SentenceEncoder(model_path=str(tiny_transformer))
    emb = enc.transform(["the deal is working", "", "unknownword"])
    assert emb.shape == (3, 16)
    assert np.allclose(np.linalg.norm(emb, axis=1), 1.0, atol=1e-5)


def test_embedding_classifier_on_a_tiny_model(tiny_transformer: Path, tmp_path: Path) -> None:
    clf = EmbeddingStanceClassifier(model_path=str(tiny_transformer)).fit(TRAIN, TRAIN["label"])
    assert clf.predict_proba(TRAIN.head(2)).shape == (2, 3)
    again = load_model(save_model(clf, tmp_path / "e.skops"))
    assert np.allclose(again.predict_proba(TRAIN.head(2)), clf.predict_proba(TRAIN.head(2)))


@pytest.mark.parametrize("backend", ["onnx", "onnx-int8", "torch"])
def test_backends_give_close_vectors(tiny_transformer: Path, backend: str) -> None:
    texts = ["the deal is working", "it is a waste of money"]
    ref = SentenceEncoder(model_path=str(tiny_transformer), backend="torch").transform(texts)
    got = SentenceEncoder(model_path=str(tiny_transformer), backend=backend).transform(texts)
    assert np.allclose((ref * got).sum(axis=1), 1.0, atol=0.02 if backend == "onnx-int8" else 1e-4)  # float32 kernels differ


def test_exporting_to_onnx_leaves_the_shared_encoder_in_eval_mode(tiny_transformer: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from framewatch.models import embeddings

    monkeypatch.setenv("FRAMEWATCH_CACHE", str(tmp_path))  # an empty cache: the export runs here
    embeddings.onnx_model(str(tiny_transformer), quantized=False)
    _, model = embeddings._load(str(tiny_transformer))
    assert not model.training
    texts = ["the deal is working", "it is a waste of money"]
    a = SentenceEncoder(model_path=str(tiny_transformer), backend="torch").transform(texts)
    b = SentenceEncoder(model_path=str(tiny_transformer), backend="torch").transform(texts)
    assert np.array_equal(a, b)  # no dropout


def test_static_student_is_a_bag_of_token_rows(tiny_transformer: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from framewatch.models import embeddings

    monkeypatch.setenv("FRAMEWATCH_CACHE", str(tmp_path))
    table = embeddings.static_table(str(tiny_transformer))
    # one row per vocabulary id, centred by the PCA (no shared direction left), cached on disk
    assert table.shape == (len(embeddings._tokenizer(str(tiny_transformer))), 16)
    assert np.allclose(np.asarray(table).mean(axis=0), 0.0, atol=1e-5)
    assert list((tmp_path / "static").glob("*.npy"))
    enc = SentenceEncoder(model_path=str(tiny_transformer), backend="static")
    a, b, c = enc.transform(["the deal is working", "working is the deal", "a waste of money"])
    assert np.allclose(a, b)  # word order does not matter to a bag of tokens: no forward pass
    assert np.isclose(np.linalg.norm(a), 1.0) and not np.allclose(a, c)


def test_hybrid_classifier_on_the_static_student(tiny_transformer: Path, tmp_path: Path) -> None:
    from framewatch.models.stance import HybridStanceClassifier

    clf = HybridStanceClassifier(model_path=str(tiny_transformer), backend="static").fit(TRAIN, TRAIN["label"])
    assert list(clf.predict(TRAIN.head(3))) == ["support"] * 3
    again = load_model(save_model(clf, tmp_path / "h.skops"))
    assert np.allclose(again.predict_proba(TRAIN), clf.predict_proba(TRAIN))


def test_not_a_model_folder(tmp_path: Path) -> None:
    with pytest.raises(FramewatchError, match="is not a transformer model folder"):
        SentenceEncoder(model_path=str(tmp_path)).transform(["x"])


@pytest.mark.parametrize(("content", "message"), [
    ("text,label\nx,support\n", "missing column(s) target"),
    ("text,target,label\nIt works,uk-france,suport\n", ":2: label 'suport' is not one of support, oppose, neutral"),
    ("text,target,label\nfine,uk-france,support\n,uk-france,oppose\n", ":3: empty text"),
    ("text,target,label\nfine,uk-france,support,extra\n", ":2: malformed row"),
    ("text,target,label\n", "no labelled rows"),
])
def test_read_labels_errors_name_the_row(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "labels.csv"
    path.write_text(content)
    with pytest.raises(FramewatchError) as err:
        read_labels(path)
    assert str(err.value).startswith(str(path)) and message in str(err.value)


# Government speakers mostly support, opponents mostly oppose: the voice carries signal, as it
# does in the pool's news, but the words of a quote must stay in charge when they take a side.
VOICED = pd.DataFrame(
    [(t, "uk-france", "government", "support") for t in (
        "We do need to ramp it up.", "This landmark treaty is a major step forward.",
        "We are sending people back every week now.", "The pilot will initially run until June.",
        "The treaty was signed on Tuesday.")]
    + [(t, "uk-france", "opposition", "oppose") for t in (
        "The deal is a gimmick that will not work.", "It is a failure and a waste of money.",
        "The treaty was signed on Tuesday.", "The pilot will initially run until June.")]
    + [("It is a failure and a waste of money, a gimmick.", "uk-france", "other", "oppose"),
       ("A total of 94 people have been returned.", "uk-france", "other", "neutral"),
       ("The treaty was signed on Tuesday.", "uk-france", "other", "neutral")],
    columns=["text", "target", "voice", "label"]).loc[lambda d: d.index.repeat(3)].reset_index(drop=True)


def _voiced(text: str, voice: str) -> pd.DataFrame:
    return pd.DataFrame({"text": [text], "target": ["uk-france"], "voice": [voice]})


def test_voice_guard_keeps_a_quote_that_takes_a_side_on_its_words() -> None:
    text = "It is a failure and a waste of money, a gimmick."
    free = TfidfStanceClassifier(use_voice=True, voice_weight=3.0, C=20.0).fit(VOICED, VOICED["label"])
    assert free.predict(_voiced(text, "government"))[0] == "support"  # the voice outweighs the words
    guarded = TfidfStanceClassifier(use_voice=True, voice_weight=3.0, C=20.0, voice_guard=0.6).fit(
        VOICED, VOICED["label"])
    labels = {v: guarded.predict(_voiced(text, v))[0] for v in ("government", "opposition", "other", "ngo")}
    assert set(labels.values()) == {"oppose"}, labels
    # where the words leave the quote open, the voice still informs it
    open_text = "The pilot will initially run until June."
    assert guarded.predict(_voiced(open_text, "government"))[0] == "support"
    assert guarded.predict(_voiced(open_text, "opposition"))[0] == "oppose"
    assert np.allclose(guarded.predict_proba(_voiced(open_text, "ngo")).sum(), 1.0)


def test_text_only_reading_is_the_mean_voice() -> None:
    clf = TfidfStanceClassifier(use_voice=True, voice_weight=0.5).fit(VOICED, VOICED["label"])
    df = pd.concat([_voiced("It is a waste.", v) for v in ("government", "opposition", "other")], ignore_index=True)
    Z = clf._features(as_frame(df), fit=False)
    text_only = clf._text_only_proba(Z, clf._voice_columns())
    assert np.allclose(text_only, text_only[0])  # the same whatever the voice
    assert not np.allclose(clf.predict_proba(df), clf.predict_proba(df)[0])


def test_saved_vocabularies_load_fast_and_read_the_same(tmp_path: Path) -> None:
    from framewatch.models.io import Vocabulary

    clf = TfidfStanceClassifier().fit(TRAIN, TRAIN["label"])
    path = save_model(clf, tmp_path / "m.skops")
    back = load_model(path)
    vec = back.vectorizers_["word"]
    assert type(vec.vocabulary_) is dict and len(vec.vocabulary_) > 0  # a dict again once loaded
    assert vec.vocabulary_ == clf.vectorizers_["word"].vocabulary_
    assert type(clf.vectorizers_["word"].vocabulary_) is dict      # saving leaves the model as it was
    import zipfile
    with zipfile.ZipFile(path) as z:                                # on disk, arrays
        assert any(Vocabulary.__name__ in z.read(n).decode("utf-8", "ignore") for n in z.namelist() if n.endswith(".json"))
    assert np.allclose(back.predict_proba(TRAIN), clf.predict_proba(TRAIN))
