from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from framewatch.reports.provenance import (MEMBER_COLUMNS, QuoteClusterer, align, cluster_quotes, diff, speaker_vote,
                                           words)

STOP = None  # set per test from the clusterer's stop words


def _stop() -> set[str]:
    return set(QuoteClusterer()._stop_words)


def _match(a: str, b: str):  # type: ignore[no-untyped-def]
    return align([k for _, k, _ in words(a)], [k for _, k, _ in words(b)], _stop())


def test_words_split_contractions_and_reduce_pronouns_and_tense() -> None:
    assert [k for _, k, _ in words("We won't stop; they’d arrived.")] == ["<i>", "<will>", "not", "stop", "<i>",
                                                                         "<will>", "arriv"]
    # every key remembers the printed word it came from
    assert [(s, i) for s, _, i in words("don't go")] == [("don't", 0), ("don't", 0), ("go", 1)]


# short excerpts of quotes printed in several articles of the shared corpus (see
# benchmarks/data/quote_clusters_gold.json), and pairs that share words but are other quotes
SAME = [
    ("truncated", "We pay the French half a billion pounds to wave the boats off from Calais, and in return we get "
                  "a migrant merry-go-round where the same number still come here.",
     "We pay the French half a billion pounds to wave the boats off from Calais, and in return we get a migrant "
     "merry-go-round,"),
    ("words changed", "No one should be in any doubt, anyone who arrives from now on is eligible for immediate "
                      "detention and return,",
     "But no one should doubt: anyone who arrives from now on is eligible for immediate detention and return,"),
    ("a word dropped", "will be able to better protect our external borders, the vulnerable and refugees",
     "will be able to better protect external borders, the vulnerable and refugees"),
    ("reported speech", "We will continue to detain and remove those who arrive by small boat",
     "they would continue to detain and remove those who arrived by small boat"),
    ("a quoted phrase inside the quote", "there is a showdown to be had",
     "There is a showdown to be had. I hope we don't get to that point, but we have to change this relationship"),
]
OTHER = [
    ("a shared slogan", "If you break the law to enter this country, you will face being sent back,",
     "Today we send a clear message – if you come here illegally on a small boat you will face being sent back"),
    ("two content words", "Rwanda is a safe country", "France is a safe country where migrants can be sent"),
    ("one content word", "I just don't believe it,", "I do not believe it is possible to reach a conclusion"),
    ("words in another order", "the deal will stop the boats", "the boats will stop the deal"),
]


@pytest.mark.parametrize(("why", "a", "b"), SAME)
def test_printings_of_one_quote_match(why: str, a: str, b: str) -> None:
    assert _match(a, b).accepts(), why


@pytest.mark.parametrize(("why", "a", "b"), OTHER)
def test_other_quotes_do_not_match(why: str, a: str, b: str) -> None:
    assert not _match(a, b).accepts(), why


def test_reported_speech_needs_a_longer_stretch() -> None:
    m = _match("the UK-France migrant deal is working",
               "The UK-France deal is a historic agreement and these are critical first steps.")
    assert m.matched == 5 and not m.accepts(reported=True)
    assert _match("Two others are expected to be repatriated soon",
                  "Two others are expected to be repatriated soon").accepts(reported=True)


@pytest.mark.parametrize(("canonical", "printed", "dropped", "added", "changed", "labels"), [
    ("We will not stop until the gangs are gone.", "We will not stop until the gangs are gone", (), (), (), ()),
    ("We will not stop until the gangs are gone.", "We will not stop", ("until the gangs are gone",), (), (),
     ("truncated",)),
    ("We will not stop until the gangs are gone.", "They would not stop until the gangs are gone", (), (),
     (("We will", "They would"),), ("words changed", "reported speech")),
    ("No one should be in any doubt, anyone who arrives is eligible",
     "But no one should doubt: anyone who arrives is eligible", ("be in any",), ("But",), (),
     ("extended", "words dropped")),
    ("the Rwanda scheme was dead and buried before it started",
     "the Rwanda scheme was dead and buried before it even started", (), ("even",), (), ("words added",)),
])
def test_diff(canonical: str, printed: str, dropped: tuple, added: tuple, changed: tuple, labels: tuple) -> None:
    d = diff(canonical, printed)
    assert (d.dropped, d.added, d.changed, d.labels) == (dropped, added, changed, labels)
    assert d.altered == bool(labels)


def test_speaker_vote_joins_surnames_and_flags_the_odd_one() -> None:
    speaker, agrees = speaker_vote(["Keir Starmer", "Starmer", "The decision", None, "Sir Keir Starmer"],
                                   ["a", "b", "c", "d", "e"])
    assert speaker == "Keir Starmer"
    assert agrees == [True, True, False, None, True]
    assert speaker_vote(["Chris Philp", "last night"], ["a", "b"]) == (None, [None, None])  # one vote each


def _quotes(rows: list[tuple]) -> pd.DataFrame:
    cols = ["article_id", "text", "kind", "start", "end", "speaker", "outlet", "published", "url"]
    return pd.DataFrame(rows, columns=cols)


PHILP = ("We pay the French half a billion pounds to wave the boats off from Calais, and in return we get a migrant "
         "merry-go-round where the same number still come here.")
COOPER = "No one should be in any doubt, anyone who arrives from now on is eligible for immediate detention and return,"
CORPUS = _quotes([
    ("a1", PHILP, "direct", 100, 260, "Chris Philp", "one.test", "2025-07-12", "https://one.test/a1"),
    ("a2", PHILP, "direct", 40, 200, "Chris Philp", "two.test", "2025-07-11", "https://two.test/a2"),
    ("a3", PHILP[:110], "direct", 10, 120, "last night", "three.test", None, "https://three.test/a3"),
    ("a4", "the French are paying half a billion pounds to wave the boats off from Calais", "indirect", 5, 90,
     "Chris Philp", "four.test", "2025-07-20", None),
    ("a1", COOPER, "direct", 400, 505, "Yvette Cooper", "one.test", "2025-07-12", "https://one.test/a1"),
    ("a5", "But no one should doubt: anyone who arrives from now on is eligible for immediate detention and return,",
     "direct", 30, 130, "Yvette Cooper", "five.test", "2025-08-07", None),
    ("a5", "The French are failing to stop the boats at sea", "direct", 200, 250, "Chris Philp", "five.test",
     "2025-08-07", None),
    ("a6", "migrants", "partial", 0, 8, None, "six.test", None, None),
])


def test_clusters_first_appearance_alterations_and_speakers() -> None:
    res = cluster_quotes(CORPUS)
    m = res.members
    assert list(m.columns) == MEMBER_COLUMNS
    philp = m[m["article_id"].isin(["a1", "a2", "a3", "a4"]) & m["text"].str.contains("Calais")]
    assert philp["cluster"].nunique() == 1 and len(philp) == 4
    row = res.clusters[res.clusters["cluster"] == philp["cluster"].iloc[0]].iloc[0]
    assert (row["first_article_id"], row["first_published"], row["first_outlet"]) == ("a2", "2025-07-11", "two.test")
    assert row["canonical"] == PHILP and row["speaker"] == "Chris Philp" and row["undated"] == 1
    assert row["articles"] == 4 and row["days"] == 9
    by = philp.set_index("article_id")
    assert by.loc["a2", "first"] and not by.loc["a1", "first"] and not by.loc["a3", "first"]  # undated stays, not first
    assert not by.loc["a1", "altered"] and by.loc["a3", "altered"] and "truncated" in by.loc["a3", "alteration"]
    assert "reported speech" in by.loc["a4", "alteration"]
    assert by.loc["a3", "speaker_agrees"] == False and by.loc["a1", "speaker_agrees"] == True  # noqa: E712
    cooper = m[m["speaker"] == "Yvette Cooper"]
    assert len(cooper) == 2 and cooper["cluster"].nunique() == 1 and cooper["altered"].tolist() == [False, True]
    # a quote in one article only and a partial quote are in no cluster
    assert not m["text"].str.startswith("The French are failing").any() and "a6" not in set(m["article_id"])
    assert m["first"].dtype == bool and m["altered"].dtype == bool


def test_split_quote_is_found_beside_its_whole() -> None:
    whole = ("The UK-France deal is a historic agreement and these are critical first steps. We will continue to "
             "detain and remove those who arrive by small boat.")
    q = _quotes([
        ("w", whole, "direct", 0, 150, "Home Office", "w.test", "2025-08-07", None),
        ("s", "The UK-France deal is a historic agreement, and these are critical first steps.", "direct", 0, 80,
         "Home Office", "s.test", "2025-08-08", None),
        ("s", "We will continue to detain and remove those who arrive by small boat.", "direct", 90, 160,
         "Home Office", "s.test", "2025-08-08", None),
    ])
    m = cluster_quotes(q).members
    assert m["cluster"].nunique() == 1 and len(m) == 3
    assert all("split" in a for a in m.loc[m["article_id"] == "s", "alteration"])


def test_an_indirect_quote_around_a_direct_one_is_left_out() -> None:
    q = _quotes([
        ("a", 'he was seeking "serious answers to serious problems" with allies', "indirect", 0, 60, "Keir Starmer",
         None, None, None),
        ("a", "serious answers to serious problems", "direct", 17, 52, "Keir Starmer", None, None, None),
        ("b", "They are serious answers to serious problems.", "direct", 0, 44, "Keir Starmer", None, None, None),
    ])
    m = cluster_quotes(q).members
    assert sorted(m["kind"]) == ["direct", "direct"]


def _membership(res) -> set[frozenset]:  # type: ignore[no-untyped-def]
    return {frozenset(zip(g["article_id"], g["start"])) for _, g in res.members.groupby("cluster")}


def test_incremental_adds_equal_one_batch_and_skip_known_articles(tmp_path: Path) -> None:
    one = cluster_quotes(CORPUS)
    qc = QuoteClusterer()
    early = CORPUS[CORPUS["article_id"].isin(["a1", "a2"])]
    assert qc.add(early) == 3
    qc.save(tmp_path / "index")
    later = QuoteClusterer.load(tmp_path / "index")
    assert later.add(early) == 0  # already added
    later.add(CORPUS)
    assert _membership(later.result()) == _membership(one)
    assert later.result().members["cluster_speaker"].tolist() == one.members["cluster_speaker"].tolist()


def test_a_stock_phrase_costs_a_bounded_number_of_candidates() -> None:
    # 300 different quotes sharing a stock phrase ("told the prime minister about"): without the
    # cap every pair is aligned; with it each quote meets at most the 16 oldest through it
    words_ = ["harbour", "ledger", "tunnel", "orchard", "glacier", "meadow", "quarry", "lantern", "furnace", "canyon",
              "saddle", "beacon", "thimble", "gravel", "pylon", "walnut", "cinder", "marble", "thistle", "ember"]
    rows = [(f"x{i}", f"{words_[i % 20]} {words_[i // 20 % 20]} told the prime minister about {i} {words_[(i * 7) % 20]}"
             f" {words_[(i * 3 + 1) % 20]}", "direct", 0, 50, None, None, None, None) for i in range(300)]
    qc = QuoteClusterer(max_postings=16, max_candidates=10**6)
    uncapped = QuoteClusterer(max_postings=1000, max_candidates=10**6)
    qc.add(_quotes(rows))
    uncapped.add(_quotes(rows))
    assert qc.weighed <= 16 * 300 and uncapped.weighed > 40_000
    assert len(qc.result().members) <= len(uncapped.result().members)


def test_a_new_quote_weighs_a_bounded_number_of_neighbours_and_its_reprint_first() -> None:
    # 200 quotes that open with the same six words and go on differently (neighbours, not one
    # quote), then a reprint of one of them with a word changed: the reprint weighs at most
    # `max_candidates` of its neighbours, the one it shares most 3-grams with first
    import random

    rng = random.Random(0)
    vocab = [f"{a}{b}" for a in ("har", "led", "tun", "orc", "gla", "mea", "qua", "lan") for b in ("bour", "ger", "nel",
                                                                                                  "chard", "cier")]
    stem = "we will keep working to stop"
    rows = [(f"n{i}", " ".join([stem, *rng.sample(vocab, 12)]), "direct", 0, 90, None, None, None, None)
            for i in range(200)]
    target = rows[137][1].split()
    reprint = " ".join(target[:9] + ["allies"] + target[10:])
    qc = QuoteClusterer(max_candidates=4)
    qc.add(_quotes(rows))
    assert len(qc.result().members) == 0  # the neighbours are not one quote
    before = qc.weighed
    qc.add(_quotes([("r", reprint, "direct", 0, 90, None, None, None, None)]))
    assert qc.weighed - before <= 4
    assert set(qc.result().members["article_id"]) == {"r", "n137"}


def test_a_much_reprinted_quote_still_meets_its_first_printing() -> None:
    base = "We will continue to detain and remove those who arrive by small boat across the Channel"
    variants = [base.replace("small", w) for w in ("tiny", "little", "rubber", "fragile", "crowded", "leaking",
                                                     "wooden", "dangerous", "overloaded", "flimsy", "unsafe", "open")]
    rows = [(f"v{i}", v, "direct", 0, 90, None, None, None, None) for i, v in enumerate(variants)]
    qc = QuoteClusterer(max_postings=4)  # every 3-gram of the quote is held by more forms than that
    qc.add(_quotes(rows))
    m = qc.result().members
    assert len(m) == len(variants) and m["cluster"].nunique() == 1


def test_load_rejects_a_folder_that_is_not_an_index(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="is not a quote index written by QuoteClusterer.save"):
        QuoteClusterer.load(tmp_path)
