"""Stage 4: aggregations as pandas DataFrames, and the periodic HTML/Markdown report.

>>> from framewatch.corpus import Store
>>> from framewatch.reports import ReportData, build_report, aggregate
>>> with Store("coverage.duckdb", read_only=True) as store:        # doctest: +SKIP
...     data = ReportData.from_store(store, period="month")
...     aggregate.voice_share(data, by="outlet")
...     build_report(store, period="month").write("report/")
"""

from __future__ import annotations

from framewatch.reports import aggregate
from framewatch.reports.data import ReportData
from framewatch.reports.report import Report, build_report
from framewatch.nlp.voices import voice_labels, voice_of

__all__ = ["Report", "ReportData", "aggregate", "build_report", "voice_labels", "voice_of"]
