"""Layer 2, the validation gate: Great Expectations suites generated from the data dictionary.

Public API (used by the CLI, the report and the run):
:func:`validate_submission`, :func:`gate_history`, :func:`require_history_pass`,
:func:`require_pass`, :class:`GateResult`, :class:`Finding`, :class:`GateRefused`,
:func:`write_suites` / :func:`regenerate_suites`.
"""

from __future__ import annotations

import os

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

from pathways.gate.findings import Finding, GateResult  # noqa: E402  (GX reads the variable at import)
from pathways.gate.history import GateRefused, gate_history, require_history_pass, require_pass  # noqa: E402
from pathways.gate.suites import drifted_suites, regenerate_suites, write_suites  # noqa: E402
from pathways.gate.validate import validate_submission  # noqa: E402

__all__ = [
    "Finding",
    "GateRefused",
    "GateResult",
    "drifted_suites",
    "gate_history",
    "regenerate_suites",
    "require_history_pass",
    "require_pass",
    "validate_submission",
    "write_suites",
]
