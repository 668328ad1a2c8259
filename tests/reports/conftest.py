from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from framewatch import pipeline
from framewatch.corpus import Store, ingest

HOSTILE = 'It is a <script>alert("x")</script> gimmick <img src=x onerror=alert(1)> [red]markup[/red]'


@pytest.fixture(scope="session")
def analysed_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample corpus plus two syndicated copies, ingested and analysed with the real pipeline,
    and one hostile quote row (script tags, an onerror attribute, a javascript: url)."""
    root = Path(__file__).parent.parent.parent
    db = tmp_path_factory.mktemp("reports") / "r.duckdb"
    with Store(db) as store:
        ingest([root / "samples" / "open-migration-deals" / "articles",
                root / "tests" / "fixtures" / "corpus" / "wire_copy_a.json",
                root / "tests" / "fixtures" / "corpus" / "wire_copy_b.json"], store)
        pipeline.analyse_store(store)
        ids = list(store.articles()["id"])
        store.con.execute("UPDATE articles SET url = 'javascript:alert(1)', outlet = '<b>Evil</b> Times' WHERE id = ?", [ids[0]])
        quotes = store.table("quotes") if "quotes" in store.tables() else pd.DataFrame()
        row = {"article_id": ids[0], "text": HOSTILE, "kind": "direct", "speaker": "Chris Philp",
               "speaker_type": "person", "stance": "oppose", "stance_score": 0.99, "start": 0, "end": 10,
               "sentence": HOSTILE, "deal": "uk-france"}
        rows = pd.concat([quotes[quotes["article_id"] == ids[0]], pd.DataFrame([row])], ignore_index=True) \
            if not quotes.empty else pd.DataFrame([row])
        store.save_results("test", "1", {ids[0]: ("ok", None)}, {"quotes": rows})
    return db
