"""The indicator engine (see :mod:`pathways.indicators.engine`)."""

from pathways.indicators.engine import compute_export, compute_series, compute_year, true_cells

__all__ = ["compute_export", "compute_series", "compute_year", "true_cells"]
