"""Stage 4: aggregations as pandas DataFrames, and the periodic HTML/Markdown report.

>>> from framewatch.corpus import Store
>>> from framewatch.reports import ReportData, aggregate, build_report, quote_clusters
>>> with Store("coverage.duckdb", read_only=True) as store:        # doctest: +SKIP
...     data = ReportData.from_store(store, period="month")
...     aggregate.voice_share(data, by="outlet")
...     build_report(store, period="month").write("report/")
...     quote_clusters(store)                                      # the same quote across outlets
"""

from __future__ import annotations

from framewatch.reports import aggregate
from framewatch.reports.data import ReportData
from framewatch.reports.milestones import Milestone, Milestones, milestone_windows, read_milestones
from framewatch.reports.provenance import QuoteClusterer, QuoteClusters, cluster_quotes, quote_clusters
from framewatch.reports.report import Report, build_report
from framewatch.nlp.voices import voice_labels, voice_of

__all__ = ["Milestone", "Milestones", "QuoteClusterer", "QuoteClusters", "Report", "ReportData", "aggregate",
           "build_report", "cluster_quotes", "milestone_windows", "quote_clusters", "read_milestones", "voice_labels",
           "voice_of"]
