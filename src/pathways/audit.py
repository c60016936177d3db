"""Disclosure audit: scan everything a version publishes for learner-level data and small cells.

Two independent checks, both made against the partners' inputs rather than the engine's
own suppression flags, so a bug in the engine cannot also hide itself:

1. no learner_id or respondent_id of any input appears in any published text (HTML, CSV,
   JSON, notebooks, the text of the PDFs);
2. no published indicator row shows a number for a group that has fewer than
   ``min_cell_size`` learners in the inputs, and no shown count, numerator or
   denominator lies between 1 and ``min_cell_size - 1``.

Findings never quote an identifier they found (that would put it in a log); they name the
file and the kind of identifier, or the group and the column.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from pathways.dictionary import load_dictionary
from pathways.registry import Registry
from pathways.submission import FileRefused, parse_bool, read_raw, submitted_years

TEXT_SUFFIXES = {".html", ".csv", ".json", ".ipynb", ".js", ".txt", ".md", ".bib", ".xml", ".cff"}
ID_COLUMNS = ("learner_id", "respondent_id")
LEARNER_GROUPS = ("sex", "race_ethnicity", "is_economically_disadvantaged", "is_english_learner",
                  "has_disability")
NUMBER_COLUMNS = ("numerator", "denominator", "value", "ci_low", "ci_high")
_TOKEN = re.compile(r"[A-Za-z0-9_-]+")


def input_identifiers(data_dir: Path, registry: Registry) -> dict[str, set[str]]:
    """Every learner_id and respondent_id of every submission of the registry's partnerships."""
    dictionary = load_dictionary()
    found: dict[str, set[str]] = {kind: set() for kind in ID_COLUMNS}
    for pid, year in _partnership_years(data_dir, registry):
        folder = Path(data_dir) / pid / str(year)
        for spec in dictionary.files.values():
            path = folder / spec.filename
            columns = [c for c in spec.column_names if c in ID_COLUMNS]
            if not columns or not path.is_file():
                continue
            try:
                raw = read_raw(path, spec)
            except FileRefused:  # a refused file published nothing; nothing to look for
                continue
            for col in columns:
                if col in raw.frame:
                    found[col].update(v for v in raw.frame[col] if v)
    return found


def input_group_sizes(data_dir: Path, registry: Registry) -> dict[tuple[str, int, str, str], int]:
    """Learners in grades 9-12 per partnership, year and demographic group, counted from learners.csv."""
    spec = load_dictionary().file("learners")
    sizes: dict[tuple[str, int, str, str], int] = {}
    for pid, year in _partnership_years(data_dir, registry):
        path = Path(data_dir) / pid / str(year) / spec.filename
        if not path.is_file():
            continue
        try:
            frame = read_raw(path, spec).frame
        except FileRefused:
            continue
        grade = pd.to_numeric(frame["grade_level"], errors="coerce")
        high_school = frame[grade.between(9, 12)]
        for group in LEARNER_GROUPS:
            if group not in high_school:
                continue
            values = high_school[group]
            if group.startswith(("is_", "has_")):
                flags = parse_bool(values)
                values = flags.map({True: "true", False: "false"}).astype("object").fillna("unknown")
            for value, n in values.value_counts().items():
                sizes[(pid, year, group, str(value))] = int(n)
    return sizes


def _partnership_years(data_dir: Path, registry: Registry) -> Iterator[tuple[str, int]]:
    for pid in registry.ids:
        for year in submitted_years(data_dir, pid):
            yield pid, year


def _text_of(path: Path) -> str:
    if path.suffix.lower() == ".pdf":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    return path.read_text(encoding="utf-8", errors="replace")


def _small_cell_findings(name: str, text: str, sizes: dict, min_cell_size: int) -> list[str]:
    """Small cells in one published table that has indicator rows."""
    reader = csv.DictReader(io.StringIO(text))
    fields = set(reader.fieldnames or ())
    if not {"partnership_id", "school_year", "group_type", "group_value"} <= fields:
        return []
    findings = []
    for number, row in enumerate(reader, start=2):
        shown = {c: row[c] for c in NUMBER_COLUMNS if c in row and row[c] not in ("", None)}
        if not shown:
            continue
        try:
            key = (row["partnership_id"], int(float(row["school_year"])), row["group_type"], row["group_value"])
        except ValueError:
            continue
        size = sizes.get(key)
        if size is not None and size < min_cell_size:
            findings.append(f"{name}, row {number}: {key[2]}={key[3]} has fewer than {min_cell_size} learners "
                            f"in {key[0]}'s {key[1]} submission, yet the row shows a number")
            continue
        for column in ("numerator", "denominator"):
            if column in shown and 0 < float(shown[column]) < min_cell_size:
                findings.append(f"{name}, row {number}: {column} is below {min_cell_size}")
        is_count = row.get("measure", "") not in ("rate", "mean", "odds_ratio", "usd", "")
        if is_count and "value" in shown and 0 < float(shown["value"]) < min_cell_size:
            findings.append(f"{name}, row {number}: a count below {min_cell_size} is shown")
    return findings


def audit_version(folder: Path, *, data_dir: Path, registry: Registry) -> list[str]:
    """Problems found in a version folder (empty when it may be published)."""
    folder = Path(folder)
    identifiers = input_identifiers(data_dir, registry)
    sizes = input_group_sizes(data_dir, registry)
    findings: list[str] = []
    for path in sorted(folder.rglob("*")):
        suffix = path.suffix.lower()
        if not path.is_file() or (suffix not in TEXT_SUFFIXES and suffix != ".pdf"):
            continue
        name = str(path.relative_to(folder))
        text = _text_of(path)
        tokens = set(_TOKEN.findall(text))
        for kind, ids in identifiers.items():
            hits = tokens & ids
            if hits:
                findings.append(f"{name}: contains {len(hits)} {kind} value(s) of the inputs")
        if suffix == ".csv":
            findings.extend(_small_cell_findings(name, text, sizes, registry.min_cell_size))
    return findings
