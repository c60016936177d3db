"""The gate's written outputs: the clerk's ``result.json`` and GX Data Docs of value-free results."""

from __future__ import annotations

import json
import logging
import re
from contextlib import contextmanager
from pathlib import Path

from pathways.gate import suites
from pathways.gate.findings import GateResult


def write_outputs(gate: GateResult, gx_results: list, docs_dir: Path) -> None:
    """``result.json`` (the clerk's findings) and GX Data Docs of the value-free GX results."""
    docs_dir.mkdir(parents=True, exist_ok=True)
    (docs_dir / "result.json").write_text(json.dumps(gate.to_dict(), indent=2) + "\n", encoding="utf-8")
    if not gx_results:
        return
    import great_expectations as gx
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.base import ProgressBarsConfig
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    # A fresh context per site, so the index lists this submission's results only.
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    site = "pathways_gate"
    context.add_data_docs_site(
        site,
        {
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(docs_dir / "data_docs"),
            },
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        },
    )
    run_name = f"{gate.partnership_id or 'folder'}-{gate.year}"
    for name, result in gx_results:
        key = ValidationResultIdentifier(
            expectation_suite_identifier=ExpectationSuiteIdentifier(name=f"{suites.SUITE_PREFIX}.{name}"),
            run_id=RunIdentifier(run_name=run_name),
            batch_identifier=name,
        )
        context.validation_results_store.set(key, result)
    with _gx_errors() as errors:
        context.build_data_docs(site_names=[site])
    if errors:
        raise _docs_error(errors)
    gate.docs_path = docs_dir / "data_docs" / "index.html"


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _gx_errors():
    """GX catches a failed Data Docs write and logs it with a traceback; collect those instead."""
    logger = logging.getLogger("great_expectations")
    handler, propagate = _Collect(), logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def _docs_error(messages: list[str]) -> OSError:
    """The OSError behind GX's logged failure (by its errno), for the caller's one message."""
    found = re.search(r"\[Errno (\d+)\]", "\n".join(messages))
    return (
        OSError(int(found.group(1)), "Data Docs not written") if found else OSError("Data Docs not written")
    )
