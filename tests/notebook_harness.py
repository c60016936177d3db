"""Run a report notebook's cells in this process, as its kernel would, on a context a test made.

The notebook is read from its jupytext ``.py`` form; its parameters cell is replaced by the
test's parameters and ``open_report`` / ``open_overview`` return the test's context. Each code
cell keeps its outputs (display data, glue records, the last expression's result) in the
notebook it returns, so a test can read every rendered text or hand the notebook to
:func:`pathways.book.standalone.prepare` and nbconvert like an executed one.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

import jupytext
import nbformat
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output


def run(path: Path, parameters: dict) -> nbformat.NotebookNode:
    nb = jupytext.read(path)
    shell = InteractiveShell.instance()
    shell.reset(new_session=False)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        source = cell.source
        if "parameters" in cell.metadata.get("tags", []):
            source = "\n".join(f"{k} = {v!r}" for k, v in parameters.items())
        with capture_output(display=True) as captured:
            result = shell.run_cell(source, store_history=False, silent=False)
        result.raise_error()
        outputs = [
            nbformat.v4.new_output("display_data", data=o.data, metadata=o.metadata) for o in captured.outputs
        ]
        if result.result is not None:
            data, metadata = shell.display_formatter.format(result.result)
            outputs.append(
                nbformat.v4.new_output("execute_result", data=data, metadata=metadata, execution_count=1)
            )
        cell.outputs = outputs
    return nb


def texts(nb: nbformat.NotebookNode) -> str:
    """Every text a reader can reach: glued values, HTML outputs with their alt texts, and the
    decoded CSV downloads and SVG images embedded in them."""
    parts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            for mime, value in output.get("data", {}).items():
                value = "".join(value) if isinstance(value, list) else str(value)
                if mime.endswith("text/plain") and "scrapbook" not in output.get("metadata", {}):
                    continue  # the repr of an object, not what a reader sees
                parts.append(value)
                for b64 in re.findall(r"data:(?:text/csv|image/svg\+xml);base64,([A-Za-z0-9+/=]+)", value):
                    parts.append(base64.b64decode(b64).decode("utf-8"))
    return "\n".join(parts)
