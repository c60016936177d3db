"""Disclosure audit: scan what a version publishes for learner-level data.

Findings never quote the identifier they found (that would put it in a log); they name
the file and the kind of identifier.
"""

from __future__ import annotations

import re
from pathlib import Path

from pathways.dictionary import load_dictionary
from pathways.registry import Registry
from pathways.submission import read_raw, submitted_years

TEXT_SUFFIXES = {".html", ".csv", ".json", ".ipynb", ".js", ".txt", ".md", ".bib", ".xml"}
ID_COLUMNS = {"learner_id": "learner_id", "respondent_id": "respondent_id"}
_TOKEN = re.compile(r"[A-Za-z0-9_-]+")


def input_identifiers(data_dir: Path, registry: Registry) -> dict[str, set[str]]:
    """Every learner_id and respondent_id of every submission of the registry's partnerships."""
    dictionary = load_dictionary()
    found: dict[str, set[str]] = {kind: set() for kind in ID_COLUMNS.values()}
    for pid in registry.ids:
        for year in submitted_years(data_dir, pid):
            folder = Path(data_dir) / pid / str(year)
            for spec in dictionary.files.values():
                path = folder / spec.filename
                columns = [c for c in spec.column_names if c in ID_COLUMNS]
                if not columns or not path.is_file():
                    continue
                try:
                    raw = read_raw(path, spec)
                except Exception:  # a refused file published nothing; nothing to look for
                    continue
                for col in columns:
                    if col in raw.frame:
                        found[ID_COLUMNS[col]].update(v for v in raw.frame[col] if v)
    return found


def audit_version(folder: Path, *, data_dir: Path, registry: Registry) -> list[str]:
    """Problems found in a version folder (empty when it may be published)."""
    identifiers = input_identifiers(data_dir, registry)
    findings: list[str] = []
    for path in sorted(Path(folder).rglob("*")):
        if not path.is_file() or path.suffix.lower() not in TEXT_SUFFIXES:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        tokens = set(_TOKEN.findall(text))
        for kind, ids in identifiers.items():
            hits = tokens & ids
            if hits:
                findings.append(f"{path.relative_to(folder)}: contains {len(hits)} {kind} value(s) of the inputs")
    return findings
