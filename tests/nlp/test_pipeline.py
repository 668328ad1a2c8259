from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pandas as pd
import pytest

from framewatch.errors import FramewatchError
from framewatch.nlp import PIPELINE_VERSION, SCHEMA_PATH, Extraction, clean_text, extract, load
from framewatch.nlp import _gazetteer
from framewatch.nlp.pipeline import split_chunks

SAMPLE = Path(__file__).parent.parent.parent / "samples" / "open-migration-deals" / "articles"

# seed-004 (dev) style sentence
TEXT = ("Home Secretary Yvette Cooper said 42 migrants were returned to France. "
        "Chris Philp, the Shadow Home Secretary, called it a gimmick. The Tories and the Refugee Council disagreed.")


@pytest.fixture(scope="module")
def schema():
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def run(nlp, *items, **kw):
    return list(extract(nlp, [(t, {"id": str(i), "language": "en"}) for i, t in enumerate(items)], **kw))


def test_output_validates_against_schema(nlp, schema):
    (ex,) = run(nlp, TEXT)
    d = ex.to_dict()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(d, schema)
    assert [p["name"] for p in d["people"]] == ["Yvette Cooper", "Chris Philp"]
    assert [c["code"] for c in d["countries"]] == ["FR"]
    assert [o["name"] for o in d["organisations"]] == ["Conservatives", "Refugee Council"]
    assert [(q["kind"], q["speaker"], q["text"]) for q in d["quotes"]] == [
        ("indirect", "Yvette Cooper", "42 migrants were returned to France")]
    assert (d["stance"], d["error"]) == (None, None)  # stance comes from the models stage
    for p in d["people"]:
        for m in p["mentions"]:
            assert TEXT[m["start"]:m["end"]] == m["text"]


def test_empty_article_validates(nlp, schema):
    (ex,) = run(nlp, "")
    jsonschema.validate(ex.to_dict(), schema)
    assert ex.to_dict()["notes"] == ["empty text"]


def test_to_frames(nlp):
    (ex,) = run(nlp, TEXT)
    frames = ex.to_frames()
    assert set(frames) == {"people", "mentions", "countries", "organisations", "figures", "quotes", "claims"}
    for frame in frames.values():
        assert isinstance(frame, pd.DataFrame)
        assert frame.columns[0] == "article_id"
        assert set(frame["article_id"]) <= {"0"}
    assert frames["people"]["name"].tolist() == ["Yvette Cooper", "Chris Philp"]
    # types that do not depend on the rows: the one figure (42) is whole, yet its value is a float
    assert frames["figures"]["value"].dtype == "float64" and frames["figures"]["value"].tolist() == [42.0]
    assert frames["quotes"]["start"].dtype == "int64"


def test_to_frames_keeps_speaker_offsets_integers_when_a_quote_has_no_speaker(nlp):
    # a quote that opens the article with no source anywhere near it, and one with a named speaker
    text = ('"Nobody knows who wrote these words on the wall."\n\nThe town was quiet on Monday.\n\n'
            'The ferry left at noon.\n\n"We will not be deterred," said Yvette Cooper.')
    (ex,) = run(nlp, text)
    quotes = ex.to_frames()["quotes"]
    assert quotes["speaker_start"].dtype == "Int64"
    assert quotes["speaker_start"].notna().any() and quotes["speaker_start"].isna().any()


@pytest.mark.parametrize(
    ("text", "notes"),
    [("", ["empty text"]), ("   \n\t ", ["empty text"]), ("...", []), ("\u200b\u200b", ["empty text"])],
)
def test_degenerate_texts(nlp, text, notes):
    (ex,) = run(nlp, text)
    assert ex.error is None and ex.people == () and list(ex.notes) == notes or "empty text" not in notes


def test_non_english_is_skipped_with_a_note(nlp):
    text = ("Le ministre de l'Intérieur a annoncé un nouvel accord avec le Royaume-Uni sur les "
            "migrants qui traversent la Manche à bord de petits bateaux.")
    (ex,) = extract(nlp, [(text, {"id": "fr1"})])
    assert ex.notes == ("skipped: language 'fr' is not English",)
    (ex,) = extract(nlp, [("Keir Starmer spoke.", {"id": "x", "language": "de"})])
    assert ex.notes == ("skipped: language 'de' is not English",) and ex.people == ()


def test_odd_unicode_keeps_offsets(nlp):
    text = "Home\u00a0Secretary Yvette\u200bCooper met\r\nEmmanuel Macron in\u00a0France."
    (ex,) = run(nlp, text)
    names = [p.name for p in ex.people]
    assert "Emmanuel Macron" in names
    for p in ex.people:
        for m in p.mentions:
            assert text[m.start:m.end] == m.text
    assert [c.code for c in ex.countries] == ["FR"]
    assert len(clean_text(text)) == len(text)


def test_long_text_is_chunked_with_whole_text_offsets(nlp):
    para = "Keir Starmer met Emmanuel Macron in France.\n\n"
    text = "Filler words here.\n\n" * 30 + para + "More filler text.\n\n" * 30 + para
    old = nlp.max_length
    nlp.max_length = 500
    try:
        (ex,) = run(nlp, text)
    finally:
        nlp.max_length = old
    assert ex.error is None
    assert any(n.startswith("long text parsed in chunks") for n in ex.notes)
    starmer = next(p for p in ex.people if p.name == "Keir Starmer")
    assert [text[m.start:m.end] for m in starmer.mentions] == ["Keir Starmer", "Keir Starmer"]
    assert starmer.mentions[1].start == text.rindex("Keir Starmer")


@pytest.mark.parametrize("size", [7, 50, 1000])
def test_split_chunks_round_trips(size):
    text = "One para.\n\nAnother one here. And more.\nLine two " * 20
    chunks = split_chunks(text, size)
    assert "".join(chunks) == text
    assert all(len(c) <= size for c in chunks)


def test_component_failure_is_per_article(nlp, monkeypatch):
    from framewatch.nlp import people

    real = people.find_people

    def boom(doc, org_spans=None):
        if "BOOM" in doc.text:
            raise RuntimeError("bad article")
        return real(doc, org_spans)

    monkeypatch.setattr(people, "find_people", boom)
    out = run(nlp, "Keir Starmer spoke.", "BOOM Keir Starmer spoke.", "Emmanuel Macron spoke.")
    assert [ex.id for ex in out] == ["0", "1", "2"]
    assert out[1].error == "framewatch_people: RuntimeError: bad article"
    assert [p.name for p in out[2].people] == ["Emmanuel Macron"] and out[2].error is None


def test_order_and_ids_are_kept(nlp):
    items = [("Keir Starmer spoke.", {"id": "a", "language": "en"}), ("", {"id": "b"}),
             ("Emmanuel Macron spoke.", {"id": "c", "language": "en"}),
             ("Nicht Englisch, sondern ein deutscher Satz über Migration und Grenzen.", {"id": "d"})]
    out = list(extract(nlp, items, batch_size=2))
    assert [ex.id for ex in out] == ["a", "b", "c", "d"]
    assert isinstance(out[0], Extraction)


def test_missing_model_is_a_clear_error():
    with pytest.raises(FramewatchError, match="spaCy model 'no_such_model_xyz' is not installed"):
        load("no_such_model_xyz")


def test_pipeline_version():
    assert PIPELINE_VERSION


@pytest.mark.slow
def test_multiprocess_consumer_raising_does_not_hang(nlp):
    items = [(f"Keir Starmer spoke about France, part {i}.", {"id": str(i), "language": "en"})
             for i in range(40)]
    out = list(extract(nlp, items, n_process=2, batch_size=4))
    assert [ex.id for ex in out] == [str(i) for i in range(40)]
    zoned = list(extract(nlp, items, n_process=2, batch_size=4, zone_size=15))  # new workers per zone
    assert [ex.to_dict() for ex in zoned] == [ex.to_dict() for ex in out]
    gen = extract(nlp, items, n_process=2, batch_size=4)
    with pytest.raises(RuntimeError):
        for ex in gen:
            raise RuntimeError("consumer failed")
    gen.close()


def test_memory_zones_free_new_words_and_change_no_result(nlp):
    # the bundled sample articles, each given a closing line of words no vocabulary has seen
    items = []
    for i, path in enumerate(sorted(SAMPLE.glob("*.json"))[:6]):
        text = json.loads(path.read_text(encoding="utf-8"))["text"]
        items.append((text + f"\nFiled by Qzvorth{i} Blenkary{i} in Vrostel{i}.", {"id": path.stem, "language": "en"}))
    strings = len(nlp.vocab.strings)
    zoned = [ex.to_dict() for ex in extract(nlp, items, zone_size=4, batch_size=2)]
    assert len(nlp.vocab.strings) == strings  # the new words went with their zone
    assert "Qzvorth0" not in nlp.vocab.strings
    assert not nlp.get_pipe("lemmatizer").cache  # emptied at the end of each zone
    plain = [ex.to_dict() for ex in extract(nlp, items, zone_size=None, batch_size=2)]
    assert zoned == plain  # results outlive the zone and are the same as without zones
    assert "Qzvorth0" in nlp.vocab.strings  # without zones spaCy keeps every word it saw
    assert any(p["name"] for ex in zoned for p in ex["people"])


def test_zone_size_must_be_positive(nlp):
    with pytest.raises(ValueError, match="zone_size"):
        run(nlp, TEXT, zone_size=0)


def test_spacy_parses_in_smaller_batches_with_the_same_results(nlp, monkeypatch):
    items = [(json.loads(p.read_text(encoding="utf-8"))["text"], {"id": p.stem, "language": "en"})
             for p in sorted(SAMPLE.glob("*.json"))[:7]]
    sizes = []
    pipe = nlp.pipe

    def spy(*args, **kw):
        sizes.append(kw.get("batch_size"))
        return pipe(*args, **kw)

    monkeypatch.setattr(nlp, "pipe", spy)
    small = [ex.to_dict() for ex in extract(nlp, items, batch_size=4, parse_batch_size=2)]
    assert set(sizes) == {2}  # (spaCy's pipe calls itself for as_tuples)
    sizes.clear()
    whole = [ex.to_dict() for ex in extract(nlp, items, batch_size=4, parse_batch_size=None)]
    assert set(sizes) == {4}
    assert small == whole and len(small) == 7
    sizes.clear()
    list(extract(nlp, items[:1], batch_size=3))
    assert set(sizes) == {3}  # never more than batch_size


@pytest.mark.parametrize("kw", [{"batch_size": 0}, {"parse_batch_size": 0}])
def test_batch_sizes_must_be_positive(nlp, kw):
    with pytest.raises(ValueError, match="batch_size"):
        run(nlp, TEXT, **kw)


def test_gazetteer_tokenizer_is_replaced_when_its_vocabulary_grows(monkeypatch):
    monkeypatch.setattr(_gazetteer, "_TOKENIZER_STRINGS", len(_gazetteer._tokenizer().vocab.strings) + 50)
    first = _gazetteer._tokenizer()
    for i in range(60):
        assert _gazetteer.name_tokens(f"Vrostel{i} Harbour") == (f"Vrostel{i}", "Harbour")
    assert _gazetteer._tokenizer() is not first
    assert _gazetteer.name_tokens("United Kingdom") == ("United", "Kingdom")
