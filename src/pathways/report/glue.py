"""``glue`` for the report notebooks, without loading myst-nb into every kernel.

``myst_nb.glue`` stores a value's display data in a cell output whose mime types carry the
prefix ``application/papermill.record/`` and whose metadata names it (``scrapbook``); Jupyter
Book's ``{glue:text}`` roles read it back at build time. Importing it pulls nbformat,
jsonschema and docutils into the kernel: 1.2-1.5 s measured here, as much as the package's
own import, paid by every notebook of every run. This writes the same output;
``tests/test_glue.py`` holds it to ``myst_nb.glue``'s, so a change there shows.
"""

from __future__ import annotations

from typing import Any

GLUE_PREFIX = "application/papermill.record/"


def glue(name: str, variable: Any, display: bool = True) -> None:
    """Glue ``variable``'s display data under ``name`` (shown in the cell too when ``display``)."""
    from IPython.core.formatters import format_display_data
    from IPython.display import display as ipy_display

    mimebundle, metadata = format_display_data(variable)
    mime_prefix = "" if display else GLUE_PREFIX
    metadata["scrapbook"] = {"name": name, "mime_prefix": mime_prefix}
    ipy_display({mime_prefix + k: v for k, v in mimebundle.items()}, raw=True, metadata=metadata)
