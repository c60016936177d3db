"""pathways.report.glue writes what myst_nb.glue writes (Jupyter Book's glue roles read it)."""

from __future__ import annotations

import pandas as pd
import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.display import HTML
from IPython.utils.capture import capture_output
from myst_nb import glue as myst_glue

from pathways.report.glue import glue


def _outputs(fn, name, value, display):
    InteractiveShell.instance()  # a display publisher, as in a kernel
    with capture_output() as captured:
        fn(name, value, display=display)
    return [(o.data, o.metadata) for o in captured.outputs]


@pytest.mark.parametrize("display", [False, True])
@pytest.mark.parametrize(
    "value",
    ["Denver's 7,600 learners", 2024, 0.381, HTML("<b>38%</b>"), pd.DataFrame({"rate": [0.25, 0.38]})],
)
def test_the_output_is_myst_nb_s(value, display):
    ours = _outputs(glue, "figure", value, display)
    theirs = _outputs(myst_glue, "figure", value, display)
    assert ours == theirs
    assert len(ours) == 1
    data, metadata = ours[0]
    assert metadata["scrapbook"]["name"] == "figure"
    # hidden: every mime type carries the record prefix, so the cell shows nothing
    assert all(k.startswith("application/papermill.record/") for k in data) != display
