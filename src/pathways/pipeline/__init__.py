"""Layer 4, the run: execute the report notebooks per partnership-year with papermill (locally or
on Dask), incrementally, and keep their manifest. Imports io, gate and indicators, never the book.
"""
