"""Layer 3, what a report notebook calls: the partnership-year context (:func:`open_report`), the
statewide overview, sentences, charts, tables, labels and the theme.

``from pathways import report`` then ``report.open_report(...)`` is the notebooks' entry point.
"""

from pathways.report.context import ReportContext, open_report

__all__ = ["ReportContext", "open_report"]
