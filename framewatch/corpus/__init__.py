"""Stage 1: ingest, clean, deduplicate and store articles.

>>> from framewatch.corpus import Store, ingest
>>> with Store("news.duckdb") as store:                     # doctest: +SKIP
...     report = ingest(["articles/"], store)
...     df = store.articles(language="en", canonical_only=True)
"""

from __future__ import annotations

from framewatch.corpus.article import Article, content_hash, make_id
from framewatch.corpus.build import build_article, parse_date
from framewatch.corpus.clean import Cleaner, CleanResult, clean_text
from framewatch.corpus.ingest import IngestReport, ingest, read_articles
from framewatch.corpus.lang import LanguageGuess, detect_language
from framewatch.corpus.readers import FieldMap, Record, read_bytes, read_path, read_paths
from framewatch.corpus.store import CorpusSummary, Store

__all__ = [
    "Article", "CleanResult", "Cleaner", "CorpusSummary", "FieldMap", "IngestReport", "LanguageGuess",
    "Record", "Store", "build_article", "clean_text", "content_hash", "detect_language", "ingest",
    "make_id", "parse_date", "read_articles", "read_bytes", "read_path", "read_paths",
]


def load_corpus(db: str | None = None, **filters: object) -> "pandas.DataFrame":  # type: ignore[name-defined] # noqa: F821
    """The stored articles of database `db` as a pandas DataFrame (filters as `Store.articles`)."""
    with Store(db, read_only=True) as store:
        return store.articles(**filters)  # type: ignore[arg-type]


__all__.append("load_corpus")
