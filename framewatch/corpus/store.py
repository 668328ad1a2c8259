"""The corpus store: one embedded DuckDB file, no server.

Tables: `articles` (one row per stored article), `runs` and `input_errors` (what each command
read and what it could not), `processed` (which article each later stage has analysed, and with
which pipeline version), `pipelines` (each version's model fingerprints), `dedup_signatures` / `dedup_bands` (the near-duplicate index), and one
table per result type that later stages write (`people`, `figures`, ...).

Every write is one transaction: a killed run leaves whole batches or nothing, and re-running
the same command finishes the job.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from framewatch import __version__, config
from framewatch.corpus.article import Article
from framewatch.errors import FramewatchError, InputError

SCHEMA_VERSION = 1

_DDL = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS articles (
    id VARCHAR PRIMARY KEY,
    url VARCHAR, outlet VARCHAR, title VARCHAR, published DATE, author VARCHAR,
    language VARCHAR, language_score DOUBLE,
    text VARCHAR NOT NULL, raw_text VARCHAR, source_path VARCHAR, content_hash VARCHAR NOT NULL,
    cluster_id VARCHAR NOT NULL, duplicate_of VARCHAR, duplicate_kind VARCHAR, similarity DOUBLE,
    notes VARCHAR, extra VARCHAR, run_id INTEGER, ingested_at TIMESTAMP
);
CREATE INDEX IF NOT EXISTS articles_hash ON articles (content_hash);
CREATE TABLE IF NOT EXISTS runs (
    run_id INTEGER PRIMARY KEY, command VARCHAR, inputs VARCHAR, framewatch_version VARCHAR,
    started_at TIMESTAMP, finished_at TIMESTAMP, summary VARCHAR
);
CREATE TABLE IF NOT EXISTS input_errors (run_id INTEGER, source VARCHAR, line INTEGER, reason VARCHAR);
CREATE TABLE IF NOT EXISTS processed (
    article_id VARCHAR, stage VARCHAR, version VARCHAR, status VARCHAR, message VARCHAR,
    processed_at TIMESTAMP, PRIMARY KEY (article_id, stage)
);
CREATE TABLE IF NOT EXISTS pipelines (version VARCHAR PRIMARY KEY, fingerprints VARCHAR, first_used TIMESTAMP);
CREATE TABLE IF NOT EXISTS dedup_signatures (id VARCHAR PRIMARY KEY, sig BLOB);
CREATE TABLE IF NOT EXISTS dedup_bands (band UTINYINT, bucket UBIGINT, id VARCHAR);
CREATE INDEX IF NOT EXISTS dedup_bands_key ON dedup_bands (band, bucket);
"""

ARTICLE_COLUMNS = ["id", "url", "outlet", "title", "published", "author", "language", "language_score",
                   "text", "raw_text", "source_path", "content_hash", "cluster_id", "duplicate_of",
                   "duplicate_kind", "similarity", "notes", "extra", "run_id", "ingested_at"]
_ARROW = pa.schema([
    ("id", pa.string()), ("url", pa.string()), ("outlet", pa.string()), ("title", pa.string()),
    ("published", pa.date32()), ("author", pa.string()), ("language", pa.string()),
    ("language_score", pa.float64()), ("text", pa.string()), ("raw_text", pa.string()),
    ("source_path", pa.string()), ("content_hash", pa.string()), ("cluster_id", pa.string()),
    ("duplicate_of", pa.string()), ("duplicate_kind", pa.string()), ("similarity", pa.float64()),
    ("notes", pa.string()), ("extra", pa.string()), ("run_id", pa.int32()), ("ingested_at", pa.timestamp("us")),
])
_PROTECTED = {"meta", "articles", "runs", "input_errors", "processed", "pipelines", "dedup_signatures", "dedup_bands"}


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """An article as it goes into the store, with its duplicate cluster."""

    article: Article
    cluster_id: str
    duplicate_of: str | None = None
    duplicate_kind: str | None = None  # "exact" | "near"
    similarity: float | None = None


@dataclass(frozen=True, slots=True)
class CorpusSummary:
    """What the store holds: counts a user checks after ingesting."""

    articles: int
    clusters: int
    exact_duplicates: int
    near_duplicates: int
    non_english: int
    missing_dates: int
    first_date: dt.date | None
    last_date: dt.date | None
    by_outlet: dict[str, int] = field(default_factory=dict)
    by_language: dict[str, int] = field(default_factory=dict)
    processed: dict[str, int] = field(default_factory=dict)
    # pipeline version -> what its results came from (`framewatch.pipeline.model_fingerprints`)
    pipelines: dict[str, dict[str, str]] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        rows = [(k, v) for k, v in self.__iter_scalars()]
        return pd.DataFrame(rows, columns=["measure", "value"])

    def __iter_scalars(self) -> Iterator[tuple[str, Any]]:
        for name in ("articles", "clusters", "exact_duplicates", "near_duplicates", "non_english",
                     "missing_dates", "first_date", "last_date"):
            yield name, getattr(self, name)


def _empty_lists_as_null(df: pd.DataFrame) -> pd.DataFrame:
    """Empty lists become NULL. DuckDB cannot type a list column from empty lists alone (it says
    NULL[], and the next batch's values then fail to insert), and storing "no items" one way
    keeps the rows the same however the articles were batched (one process or Dask partitions)."""
    out = df
    for c in df.columns:
        if df[c].dtype == object:
            empty = df[c].map(lambda v: isinstance(v, (list, tuple, np.ndarray)) and len(v) == 0)
            if empty.any():
                out = out.copy() if out is df else out
                out[c] = df[c].where(~empty, None)
    return out


class Store:
    """An embedded DuckDB corpus store.

    >>> with Store("framewatch.duckdb") as store:          # doctest: +SKIP
    ...     df = store.articles()                          # a pandas DataFrame
    """

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False,
                 memory_limit: str | None = None) -> None:
        """Open (or create) the store at `path` (default: `$FRAMEWATCH_DB`, else ./framewatch.duckdb).

        `memory_limit` caps DuckDB's memory ("512MB", "2GB"; default `$FRAMEWATCH_DUCKDB_MEMORY`,
        else DuckDB's own 80% of RAM). Most of what it holds is page cache, so a cap keeps a long
        ingest small; DuckDB spills to disk beyond it, and fails only if one operation cannot.
        """
        self.path = config.db_path(path)
        limit = config.duckdb_memory(memory_limit)
        if read_only and not self.path.exists():
            raise FramewatchError(f"no database at {self.path}: run `framewatch ingest PATH` first, or pass --db")
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._read_only, self._limit = read_only, limit
        self.con = self._connect()
        if not read_only:
            self.con.execute(_DDL)
            self.con.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])

    def _connect(self) -> duckdb.DuckDBPyConnection:
        limit = self._limit  # the error messages below name it
        try:
            return duckdb.connect(str(self.path), read_only=self._read_only,
                                  config={"memory_limit": limit} if limit else {})
        except (duckdb.ParserException, duckdb.InvalidInputException) as exc:
            if not limit:
                raise FramewatchError(f"{self.path} is not a Framewatch DuckDB database: {exc}") from None
            raise FramewatchError(f"bad DuckDB memory limit {limit!r} for {self.path}: {exc} "
                                  "(give a size such as 512MB or 2GB in memory_limit or $FRAMEWATCH_DUCKDB_MEMORY)") from None
        except duckdb.IOException as exc:
            raise FramewatchError(f"cannot open database {self.path}: {exc} "
                                  "(is another framewatch process using it?)") from None
        except duckdb.Error as exc:
            raise FramewatchError(f"{self.path} is not a Framewatch DuckDB database: {exc}") from None

    # -- lifecycle ---------------------------------------------------------------------------
    def close(self) -> None:
        self.con.close()

    def reopen(self) -> None:
        """Close the database and open it again. DuckDB holds memory outside its buffer pool (and
        outside `memory_limit`) for as long as a database is open: writing 50,000 articles'
        results grew the process by about 105 MB, and reopening every 10,000 kept it within 10 MB.
        `framewatch analyse` reopens every `REOPEN_EVERY` articles. Open cursors are invalidated."""
        self.con.close()
        self.con = self._connect()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- runs ----------------------------------------------------------------------------------
    def begin_run(self, command: str, inputs: Sequence[str]) -> int:
        run_id = self.con.execute("SELECT coalesce(max(run_id), 0) + 1 FROM runs").fetchone()[0]  # type: ignore[index]
        self.con.execute("INSERT INTO runs VALUES (?, ?, ?, ?, ?, NULL, NULL)",
                         [run_id, command, json.dumps(list(inputs)), __version__, _now()])
        return int(run_id)

    def finish_run(self, run_id: int, summary: Mapping[str, Any]) -> None:
        self.con.execute("UPDATE runs SET finished_at = ?, summary = ? WHERE run_id = ?",
                         [_now(), json.dumps(summary, default=str), run_id])

    def record_pipeline(self, version: str, fingerprints: Mapping[str, str]) -> None:
        """Remember what pipeline `version` is made of (kept from its first use)."""
        self.con.execute("INSERT OR IGNORE INTO pipelines VALUES (?, ?, ?)",
                         [version, json.dumps(dict(fingerprints)), _now()])

    def pipelines(self) -> dict[str, dict[str, str]]:
        """Pipeline version -> its model fingerprints, for every version recorded."""
        if "pipelines" not in self.tables():  # a database from before the table existed
            return {}
        return {v: json.loads(f or "{}") for v, f in self.con.execute(
            "SELECT version, fingerprints FROM pipelines ORDER BY first_used, version").fetchall()}

    def runs(self) -> pd.DataFrame:
        return self.con.execute("SELECT * FROM runs ORDER BY run_id").df()

    def input_errors(self, run_id: int | None = None) -> pd.DataFrame:
        if run_id is None:
            return self.con.execute("SELECT * FROM input_errors ORDER BY run_id, source, line").df()
        return self.con.execute("SELECT * FROM input_errors WHERE run_id = ? ORDER BY source, line", [run_id]).df()

    # -- articles ------------------------------------------------------------------------------
    def existing_ids(self, ids: Iterable[str]) -> set[str]:
        ids = list(ids)
        if not ids:
            return set()
        rows = self.con.execute("SELECT id FROM articles WHERE id IN (SELECT unnest(?))", [ids]).fetchall()
        return {r[0] for r in rows}

    def clusters_by_hash(self, hashes: Iterable[str]) -> dict[str, tuple[str, str]]:
        """content_hash -> (id of the first stored article with it, its cluster)."""
        hashes = list(hashes)
        if not hashes:
            return {}
        rows = self.con.execute(
            "SELECT content_hash, arg_min(id, rowid), arg_min(cluster_id, rowid) FROM articles "
            "WHERE content_hash IN (SELECT unnest(?)) GROUP BY content_hash", [hashes]).fetchall()
        return {h: (i, c) for h, i, c in rows}

    def band_candidates(self, keys: Iterable[tuple[int, int]]) -> dict[tuple[int, int], list[str]]:
        keys = list(keys)
        if not keys:
            return {}
        df = pd.DataFrame(keys, columns=["band", "bucket"]).astype({"band": "uint8", "bucket": "uint64"})
        rows = self.con.execute("SELECT b.band, b.bucket, b.id FROM dedup_bands b "
                                "JOIN df k ON b.band = k.band AND b.bucket = k.bucket").fetchall()
        out: dict[tuple[int, int], list[str]] = {}
        for band, bucket, id_ in rows:
            out.setdefault((int(band), int(bucket)), []).append(id_)
        return out

    def signatures(self, ids: Iterable[str]) -> dict[str, bytes]:
        ids = list(ids)
        if not ids:
            return {}
        rows = self.con.execute("SELECT id, sig FROM dedup_signatures WHERE id IN (SELECT unnest(?))", [ids]).fetchall()
        return {i: bytes(s) for i, s in rows}

    def cluster_of(self, ids: Iterable[str]) -> dict[str, str]:
        ids = list(ids)
        if not ids:
            return {}
        rows = self.con.execute("SELECT id, cluster_id FROM articles WHERE id IN (SELECT unnest(?))", [ids]).fetchall()
        return dict(rows)

    def write_batch(self, run_id: int, stored: Sequence[StoredArticle], errors: Sequence[InputError],
                    signatures: Mapping[str, Any]) -> None:
        """Insert a batch of articles, their dedup index rows and the batch's input errors, atomically."""
        now = _now()
        rows = {name: [] for name in ARTICLE_COLUMNS}  # type: dict[str, list[Any]]
        for s in stored:
            a = s.article
            values = {"id": a.id, "url": a.url, "outlet": a.outlet, "title": a.title, "published": a.published,
                      "author": a.author, "language": a.language, "language_score": a.language_score,
                      "text": a.text, "raw_text": a.raw_text, "source_path": a.source_path,
                      "content_hash": a.content_hash, "cluster_id": s.cluster_id, "duplicate_of": s.duplicate_of,
                      "duplicate_kind": s.duplicate_kind, "similarity": s.similarity,
                      "notes": json.dumps(list(a.notes), ensure_ascii=False),
                      "extra": json.dumps(a.extra, ensure_ascii=False, default=str) if a.extra else None,
                      "run_id": run_id, "ingested_at": now}
            for k, v in values.items():
                rows[k].append(v)
        batch = pa.table(rows, schema=_ARROW)  # noqa: F841 (scanned by name below)
        sig_rows = [(i, sig.to_bytes()) for i, sig in signatures.items()]
        band_rows = [(b, bucket, i) for i, sig in signatures.items() for b, bucket in sig.bands()]
        self.con.begin()
        try:
            if stored:
                self.con.execute("INSERT INTO articles BY NAME SELECT * FROM batch")
            if sig_rows:
                sigs = pd.DataFrame(sig_rows, columns=["id", "sig"])  # noqa: F841
                self.con.execute("INSERT INTO dedup_signatures SELECT id, sig FROM sigs")
                bands = pd.DataFrame(band_rows, columns=["band", "bucket", "id"]).astype(  # noqa: F841
                    {"band": "uint8", "bucket": "uint64"})
                self.con.execute("INSERT INTO dedup_bands SELECT band, bucket, id FROM bands")
            if errors:
                errs = pd.DataFrame([(run_id, e.source, e.line, e.reason) for e in errors],  # noqa: F841
                                    columns=["run_id", "source", "line", "reason"]).astype({"line": "Int64"})
                self.con.execute("INSERT INTO input_errors SELECT * FROM errs")
            self.con.commit()
        except BaseException:
            self.con.rollback()
            raise

    def articles(self, *, columns: Sequence[str] | None = None, language: str | None = None,
                 canonical_only: bool = False, since: dt.date | None = None,
                 until: dt.date | None = None) -> pd.DataFrame:
        """The stored articles as a DataFrame (all columns unless `columns` names some)."""
        cols = ", ".join(_ident(c) for c in columns) if columns else "*"
        where, params = self._filters(language=language, canonical_only=canonical_only, since=since, until=until)
        return self.con.execute(f"SELECT {cols} FROM articles {where} ORDER BY rowid", params).df()

    def iter_articles(self, *, ids: Iterable[str] | None = None, language: str | None = None,
                      chunk_size: int = 500) -> Iterator[Article]:
        """Stream stored articles as `Article` objects, `chunk_size` rows at a time."""
        if ids is not None:
            ids = list(ids)
            for i in range(0, len(ids), chunk_size):
                cur = self.con.execute("SELECT * FROM articles WHERE id IN (SELECT unnest(?)) ORDER BY rowid",
                                       [ids[i:i + chunk_size]])
                yield from self._articles_from_cursor(cur, chunk_size)
            return
        where, params = self._filters(language=language)
        yield from self._stream(f"SELECT rowid FROM articles {where} ORDER BY rowid", params, chunk_size)

    def _stream(self, rowid_sql: str, params: list[Any], chunk_size: int) -> Iterator[Article]:
        """The articles whose rowids `rowid_sql` selects, in rowid order, `chunk_size` at a time.

        Only the rowids are fetched up front; each chunk's rows are read when it is reached. One
        `SELECT * ... ORDER BY` would make DuckDB sort every matching text in memory (about
        500 MB more at 100,000 articles), and the caller may write to the store between chunks.
        """
        with self.con.cursor() as cur:
            rowids = [r[0] for r in cur.execute(rowid_sql, params).fetchall()]
        for i in range(0, len(rowids), chunk_size):
            chunk = rowids[i:i + chunk_size]
            wanted = set(chunk)
            # a cursor per chunk, on the current connection: the caller may `reopen` between chunks
            with self.con.cursor() as cur:
                cur.execute("SELECT rowid AS _rowid, * FROM articles WHERE rowid BETWEEN ? AND ? ORDER BY rowid",
                            [chunk[0], chunk[-1]])
                names = [d[0] for d in cur.description]  # type: ignore[union-attr]
                rows = cur.fetchall()
            for row in rows:
                rec = dict(zip(names, row))
                if rec.pop("_rowid") in wanted:
                    yield _article_from_row(rec)

    @staticmethod
    def _articles_from_cursor(cur: duckdb.DuckDBPyConnection, chunk_size: int) -> Iterator[Article]:
        names = [d[0] for d in cur.description]  # type: ignore[union-attr]
        while rows := cur.fetchmany(chunk_size):
            for row in rows:
                yield _article_from_row(dict(zip(names, row)))

    @staticmethod
    def _filters(*, language: str | None = None, canonical_only: bool = False,
                 since: dt.date | None = None, until: dt.date | None = None) -> tuple[str, list[Any]]:
        clauses, params = [], []  # type: list[str], list[Any]
        if language == "en":
            clauses.append("(language = 'en' OR language IS NULL)")
        elif language:
            clauses.append("language = ?")
            params.append(language)
        if canonical_only:
            clauses.append("duplicate_of IS NULL")
        if since:
            clauses.append("published >= ?")
            params.append(since)
        if until:
            clauses.append("published <= ?")
            params.append(until)
        return ("WHERE " + " AND ".join(clauses)) if clauses else "", params

    def count(self) -> int:
        return int(self.con.execute("SELECT count(*) FROM articles").fetchone()[0])  # type: ignore[index]

    # -- later stages: incremental processing -------------------------------------------------
    def pending(self, stage: str, version: str, *, chunk_size: int = 500) -> Iterator[Article]:
        """English articles that `stage` has not processed at `version` (the incremental work list)."""
        yield from self._stream(
            "SELECT a.rowid FROM articles a LEFT JOIN processed p ON p.article_id = a.id AND p.stage = ? "
            "WHERE (p.version IS NULL OR p.version <> ?) AND (a.language = 'en' OR a.language IS NULL) "
            "ORDER BY a.rowid", [stage, version], chunk_size)

    def count_pending(self, stage: str, version: str) -> int:
        return int(self.con.execute(
            "SELECT count(*) FROM articles a LEFT JOIN processed p ON p.article_id = a.id AND p.stage = ? "
            "WHERE (p.version IS NULL OR p.version <> ?) AND (a.language = 'en' OR a.language IS NULL)",
            [stage, version]).fetchone()[0])  # type: ignore[index]

    def save_results(self, stage: str, version: str, statuses: Mapping[str, tuple[str, str | None]],
                     tables: Mapping[str, pd.DataFrame]) -> None:
        """Replace the results of these articles in each table and mark them processed, atomically.

        `statuses` maps article id -> (status, message); `tables` maps a table name to rows that
        carry an `article_id` column. Tables are created on first use and gain new columns as
        later versions add them.
        """
        ids = list(statuses)
        self.con.begin()
        try:
            for name, df in tables.items():
                if name in _PROTECTED:
                    raise ValueError(f"a stage cannot write to the reserved table {name!r}")
                if "article_id" not in df.columns:
                    raise ValueError(f"result table {name!r} needs an article_id column")
                # a column with no value in this batch says nothing about its type: leave it out
                # (it reads as NULL) so a later batch with values creates it with the right type
                df = _empty_lists_as_null(df)
                df = df[[c for c in df.columns if c == "article_id" or df[c].notna().any()]]
                self._ensure_table(name, df)
                self.con.execute(f"DELETE FROM {_ident(name)} WHERE article_id IN (SELECT unnest(?))", [ids])
                if len(df):
                    self.con.register("_rows", df)
                    self.con.execute(f"INSERT INTO {_ident(name)} BY NAME SELECT * FROM _rows")
                    self.con.unregister("_rows")
            marks = pd.DataFrame([(i, stage, version, s, m, _now()) for i, (s, m) in statuses.items()],
                                 columns=["article_id", "stage", "version", "status", "message", "processed_at"])
            self.con.register("_marks", marks)
            # delete and insert, not INSERT OR REPLACE, which stores the rows in no fixed order:
            # the same articles must give the same table, row for row, in every run
            self.con.execute("DELETE FROM processed WHERE stage = ? AND article_id IN (SELECT unnest(?))", [stage, ids])
            self.con.execute("INSERT INTO processed SELECT * FROM _marks")
            self.con.unregister("_marks")
            self.con.commit()
        except BaseException:
            self.con.rollback()
            raise

    def _ensure_table(self, name: str, df: pd.DataFrame) -> None:
        """Create table `name` from `df`'s columns, or add the columns it lacks.

        Column types come from the frame; a column with no values yet (DuckDB type NULL) becomes
        VARCHAR, so an empty first batch cannot fix a useless type. An integer column becomes
        DOUBLE when a later batch brings fractions, which it would otherwise round.
        """
        self.con.register("_proto", df)  # the values, not just dtypes: object columns are sampled
        try:
            types = {c: ("VARCHAR" if t.strip('"') == "NULL" else t) for c, t in self.con.execute(
                "SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM _proto)").fetchall()}
        finally:
            self.con.unregister("_proto")
        exists = self.con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?",
                                  [name]).fetchone()[0]  # type: ignore[index]
        if not exists:
            cols = ", ".join(f"{_ident(c)} {t}" for c, t in types.items())
            self.con.execute(f"CREATE TABLE {_ident(name)} ({cols})")
            return
        have = dict(self.con.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ?", [name]).fetchall())
        for col, typ in types.items():
            if col not in have:
                self.con.execute(f"ALTER TABLE {_ident(name)} ADD COLUMN {_ident(col)} {typ}")
            elif _is_integer(have[col]) and _is_fractional(typ):
                # made from whole numbers only; inserting 2.5 would silently round it to 2
                self.con.execute(f"ALTER TABLE {_ident(name)} ALTER COLUMN {_ident(col)} SET DATA TYPE DOUBLE")

    # -- tables and export ---------------------------------------------------------------------
    def tables(self) -> list[str]:
        return [r[0] for r in self.con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY table_name").fetchall()]

    def table(self, name: str) -> pd.DataFrame:
        self._check_table(name)
        order = " ORDER BY rowid"
        return self.con.execute(f"SELECT * FROM {_ident(name)}{order}").df()

    def export(self, name: str, dest: str | Path, fmt: str | None = None) -> Path:
        """Write table `name` to `dest` as CSV or Parquet (from the extension unless `fmt` says)."""
        self._check_table(name)
        dest = Path(dest)
        fmt = (fmt or dest.suffix.lstrip(".") or "csv").lower()
        if fmt not in ("csv", "parquet"):
            raise FramewatchError(f"unknown export format {fmt!r}: use csv or parquet")
        dest.parent.mkdir(parents=True, exist_ok=True)
        cols = "* EXCLUDE (sig)" if name == "dedup_signatures" else "*"
        opts = "(FORMAT csv, HEADER true)" if fmt == "csv" else "(FORMAT parquet)"
        self.con.execute(f"COPY (SELECT {cols} FROM {_ident(name)} ORDER BY rowid) TO '{_path_literal(dest)}' {opts}")
        return dest

    def _check_table(self, name: str) -> None:
        if name not in self.tables():
            raise FramewatchError(f"no table {name!r} in {self.path}; tables: {', '.join(self.tables())}")

    def summary(self) -> CorpusSummary:
        q = self.con.execute
        row = q("SELECT count(*), count(DISTINCT cluster_id), count(*) FILTER (duplicate_kind = 'exact'), "
                "count(*) FILTER (duplicate_kind = 'near'), "
                "count(*) FILTER (language IS NOT NULL AND language <> 'en'), count(*) FILTER (published IS NULL), "
                "min(published), max(published) FROM articles").fetchone()
        assert row is not None
        by_outlet = dict(q("SELECT coalesce(outlet, '(unknown)'), count(*) n FROM articles GROUP BY 1 "
                           "ORDER BY n DESC, 1").fetchall())
        by_language = dict(q("SELECT coalesce(language, '(undetermined)'), count(*) n FROM articles GROUP BY 1 "
                             "ORDER BY n DESC, 1").fetchall())
        processed = dict(q("SELECT stage || ' ' || version, count(*) FROM processed GROUP BY 1 ORDER BY 1").fetchall())
        used = {v for (v,) in q("SELECT DISTINCT version FROM processed").fetchall()}
        pipelines = {v: f for v, f in self.pipelines().items() if v in used}
        return CorpusSummary(int(row[0]), int(row[1]), int(row[2]), int(row[3]), int(row[4]), int(row[5]),
                             row[6], row[7], by_outlet, by_language, processed, pipelines)


def _article_from_row(r: dict[str, Any]) -> Article:
    return Article(
        id=r["id"], text=r["text"], url=r["url"], outlet=r["outlet"], title=r["title"],
        published=r["published"], author=r["author"], language=r["language"],
        language_score=r["language_score"], raw_text=r["raw_text"], source_path=r["source_path"],
        content_hash=r["content_hash"], notes=tuple(json.loads(r["notes"] or "[]")),
        extra={**json.loads(r["extra"] or "{}"), "cluster_id": r["cluster_id"], "duplicate_of": r["duplicate_of"]},
    )


def _is_integer(sql_type: str) -> bool:
    return sql_type.upper() in {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
                                "UINTEGER", "UBIGINT", "UHUGEINT"}


def _is_fractional(sql_type: str) -> bool:
    return sql_type.upper() in {"FLOAT", "DOUBLE", "REAL"} or sql_type.upper().startswith("DECIMAL")


def _ident(name: str) -> str:
    if not name.replace("_", "").isalnum():
        raise FramewatchError(f"invalid table or column name {name!r}")
    return f'"{name}"'


def _path_literal(path: Path) -> str:
    return str(path).replace("'", "''")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
