from __future__ import annotations

import json
from pathlib import Path

from framewatch.corpus import content_hash
from framewatch.corpus.dedup import Signature, signature


def test_content_hash_ignores_case_space_and_quote_style() -> None:
    assert content_hash("The “deal” is\nworking.") == content_hash('the "deal"   is working.')
    assert content_hash("The deal is working.") != content_hash("The deal is not working.")


def test_syndicated_copies_are_similar_and_other_stories_are_not(corpus_dir: Path) -> None:
    a = json.loads((corpus_dir / "wire_copy_a.json").read_text())["text"]
    b = json.loads((corpus_dir / "wire_copy_b.json").read_text())["text"]
    other = (corpus_dir / "action_plan.txt").read_text()
    sa, sb, so = signature(a), signature(b), signature(other)
    assert sa is not None and sb is not None and so is not None
    assert sa.similarity(sb) >= 0.8
    assert sa.similarity(so) < 0.2
    assert set(sa.bands()) & set(sb.bands())  # they meet in the LSH index


def test_signature_roundtrip_and_short_texts() -> None:
    s = signature("one two three four five six seven eight nine ten eleven twelve thirteen")
    assert s is not None and Signature.from_bytes(s.to_bytes()).similarity(s) == 1.0
    assert signature("too short to compare") is None
