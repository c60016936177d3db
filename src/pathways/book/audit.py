"""Disclosure audit: scan everything a version publishes for learner-level data and small cells.

Three checks, each made against the partners' inputs rather than the engine's own suppression
flags, so a bug in the suppression cannot also hide itself:

1. no learner_id or respondent_id of any input appears in published text (HTML, CSV, JSON,
   notebooks, SVG figures, the text of the PDFs, and the CSVs embedded in pages as
   ``data:text/csv;base64,`` downloads). An id that is an ordinary word or a short number
   ("the", "2024") is looked for only where ids are shown: table cells, CSV cells, JSON values
   and the data points of alt text; every other id anywhere;
2. no published indicator row shows a number for a group that has fewer than
   ``min_cell_size`` learners in the inputs, a count, numerator, denominator or complement
   between 1 and ``min_cell_size - 1``, a number in a suppressed row, more than its
   denominator and bound in a coded row, or a bound that implies a count below the minimum;
3. rule 4 of indicators.md, from the true cells (the engine's rows before suppression,
   computed from the learner-level files): for every breakdown whose groups add up to its
   total, and every count a reader can subtract (denominators, numerators, complements,
   respondents), what all published tables together show must not give a hidden cell away:
   the hidden cells together hold 0 or at least ``min_cell_size``, and no hidden small cell,
   nor a coded rate's numerator, is pinned to one value by subtraction and by the ranges
   that the published reasons and bounds imply. Across tables and years too: a published
   denominator that counts the learners of another published cell's hidden numerator (the
   catalogue's ``denominator_from``, where the true cells agree) tells a reader that numerator.
   The arithmetic here is the audit's own.

Findings never quote an identifier or a hidden number; they name the file and the place in
it (line, row, the figure download) and the kind of identifier, or the breakdown and count.
"""

from __future__ import annotations

import base64
import binascii
import csv
import html
import io
import json
import math
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pathways.errors import PathwaysError
from pathways.io.catalogue import load_catalogue
from pathways.io.dictionary import load_dictionary
from pathways.io.export import GAP_TREND_COLUMNS, TREND_COLUMNS
from pathways.io.registry import Registry
from pathways.io.submission import FileRefused, parse_bool, read_raw, submitted_years

TEXT_SUFFIXES = {".html", ".csv", ".json", ".ipynb", ".js", ".txt", ".md", ".bib", ".xml", ".cff", ".svg"}
ID_COLUMNS = ("learner_id", "respondent_id")
# The five learner breakdowns (the audit counts their groups in learners.csv itself).
LEARNER_GROUPS = load_catalogue().learner_groups
NUMBER_COLUMNS = ("numerator", "denominator", "value", "ci_low", "ci_high")
# Columns of an indicator table that hold a figure (a suppressed row shows none of them, a
# coded row only its denominator and bound).
FIGURE_COLUMNS = (
    "numerator",
    "denominator",
    "value",
    "ci_low",
    "ci_high",
    "bound",
    "gap_pp",
    "gap_moe_pp",
    *GAP_TREND_COLUMNS,
    *(c for c in TREND_COLUMNS if not c.endswith("_year")),
    "goal_current",
    "goal_progress_share",
)
NOT_COUNTS = ("rate", "mean", "odds_ratio", "usd", "")
# Breakdowns whose groups add up to the total row (a learner is in exactly one group), so a
# reader can subtract; the concentrators of a cohort leave the rest of the cohort as an
# unpublished group. Sectors, kinds of work-based learning and survey items overlap.
PARTITIONS = (*LEARNER_GROUPS, "years_since_graduation", "population")
_TOKEN = re.compile(r"[A-Za-z0-9_-]+")
_ORDINARY = re.compile(r"[A-Za-z]+|\d{1,4}")
_DATA_URI = re.compile(r"data:([\w.+-]+/[\w.+-]+);base64,([A-Za-z0-9+/=]+)")
_DOWNLOAD_NAME = re.compile(r'download=\\?"([^"\\]*)\\?"[^>]*?$')
_CELL = re.compile(r"<t[dh]\b[^>]*>(.*?)</t[dh]>", re.S | re.I)
_ALT = re.compile(r'\balt=\\?"(.*?)\\?"', re.S)
_TAG = re.compile(r"<[^>]+>")
# A reason that says the group or count itself is below the minimum ("fewer than 10 learners in
# the group", "fewer than 10 respondents"), not one about a rate's numerator or a 9-12 group.
_SMALL_REASON = re.compile(r"fewer than \d+ (?!.*(?:counted|grades|derived|cell))[\w ]+")
_ALT_SEPARATORS = re.compile(r"[;|:,.()\u2014\u2013]+")


# ------------------------------------------------------------------------------------ inputs
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
            if spec.column(group).type == "bool":
                flags = parse_bool(values)
                values = flags.map({True: "true", False: "false"}).astype("object").fillna("unknown")
            for value, n in values.value_counts().items():
                sizes[(pid, year, group, str(value))] = int(n)
    return sizes


def _partnership_years(data_dir: Path, registry: Registry) -> Iterator[tuple[str, int]]:
    for pid in registry.ids:
        for year in submitted_years(data_dir, pid):
            yield pid, year


# ---------------------------------------------------------------------------- published text
@dataclass
class Source:
    """One published text: a file, or a CSV or SVG embedded in a page."""

    name: str
    text: str
    kind: str  # html, csv, json, pdf, svg, text; unreadable: a PDF that could not be opened
    pages: list[str] = field(default_factory=list)  # a PDF's text page by page


def _sources(folder: Path) -> Iterator[Source]:
    for path in sorted(folder.rglob("*")):
        suffix = path.suffix.lower()
        if not path.is_file() or (suffix not in TEXT_SUFFIXES and suffix != ".pdf"):
            continue
        name = str(path.relative_to(folder))
        if suffix == ".pdf":
            pages = _pdf_text(path)
            if pages is None:
                yield Source(name, "", "unreadable")
            else:
                yield Source(name, "\n".join(pages), "pdf", pages)
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if suffix == ".ipynb":
            text = _notebook_text(text)
        kind = {
            ".html": "html",
            ".ipynb": "html",
            ".csv": "csv",
            ".json": "json",
            ".svg": "svg",
            ".md": "md",
        }.get(suffix, "text")
        yield Source(name, text, kind)
        yield from _embedded(name, text)


def _pdf_text(path: Path) -> list[str] | None:
    """A PDF's text page by page (None: not a readable PDF).

    PDFium reads the demo's 834 printed pages in 1.8 s, where pypdf took 29.9 s. Its line ends
    are CRLF and a hyphen that ends a line is U+FFFE: both are given back as line ends and
    hyphens, so the lines (and an id broken over two of them) read as they are printed.
    """
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError:
        return None
    pages = []
    try:
        for page in document:
            text = page.get_textpage().get_text_range()
            pages.append(text.replace("\r\n", "\n").replace("\ufffe", "-\n"))
    finally:
        document.close()
    return pages


def _notebook_text(raw: str) -> str:
    """A notebook's cell sources and outputs as one text (its HTML outputs unescaped from JSON)."""
    try:
        nb = json.loads(raw)
    except ValueError:
        return raw
    parts: list[str] = []
    for cell in nb.get("cells", []) if isinstance(nb, dict) else []:
        parts.append(_joined(cell.get("source", "")))
        for output in cell.get("outputs", []):
            parts.append(_joined(output.get("text", "")))
            for value in (output.get("data") or {}).values():
                parts.append(_joined(value) if isinstance(value, (str, list)) else json.dumps(value))
    return "\n".join(parts)


def _joined(value: object) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _embedded(name: str, text: str) -> Iterator[Source]:
    """CSV downloads and SVG images embedded in a page as base64 data addresses."""
    count = defaultdict(int)
    for match in _DATA_URI.finditer(text):
        mime = match.group(1).lower()
        if mime not in ("text/csv", "image/svg+xml"):
            continue
        try:
            decoded = base64.b64decode(match.group(2), validate=True).decode("utf-8", errors="replace")
        except (binascii.Error, ValueError):
            continue
        count[mime] += 1
        line = text.count("\n", 0, match.start()) + 1
        if mime == "text/csv":
            label = _DOWNLOAD_NAME.search(text, max(0, match.start() - 300), match.start())
            what = f"download '{label.group(1)}'" if label else f"embedded CSV {count[mime]}"
            yield Source(f"{name}, line {line}, {what}", decoded, "csv")
        else:
            yield Source(f"{name}, line {line}, figure image {count[mime]}", decoded, "svg")


def _without_data(text: str) -> str:
    """The text with base64 blobs taken out (decoded separately; random letters are no ids)."""
    return _DATA_URI.sub(" ", text)


def _line_of(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def _id_cells(source: Source) -> Iterator[tuple[str, str]]:
    """(cell text, place) for every place an identifier is shown as data in a source."""
    text = source.text
    if source.kind == "csv":
        for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
            for cell in row:
                yield cell.strip(), f"row {number}"
        return
    if source.kind == "json":
        try:
            values = list(_json_strings(json.loads(text)))
        except ValueError:
            values = []  # not JSON after all: its ids are still found as tokens
        yield from ((v, "a value") for v in values)
        return
    if source.kind == "pdf":
        for number, page in enumerate(source.pages, start=1):
            for line in page.splitlines():
                yield line.strip(), f"page {number}"
        return
    if source.kind == "md":
        for number, line in enumerate(text.splitlines(), start=1):
            if line.lstrip().startswith("|"):
                for cell in line.split("|"):
                    yield cell.strip(), f"line {number}"
    if source.kind in ("html", "svg", "md"):
        plain = _without_data(text)
        for match in _CELL.finditer(plain):
            cell = html.unescape(_TAG.sub("", match.group(1))).strip()
            yield cell, f"line {_line_of(plain, match.start())}, a table cell"
        for match in _ALT.finditer(plain):
            for part in _ALT_SEPARATORS.split(html.unescape(match.group(1))):
                yield part.strip(), f"line {_line_of(plain, match.start())}, alt text"
        if source.kind == "svg":  # chart labels are <text> elements
            for match in re.finditer(r"<text\b[^>]*>(.*?)</text>", plain, re.S):
                yield html.unescape(_TAG.sub("", match.group(1))).strip(), "a chart label"


def _json_strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value.strip()
    elif isinstance(value, dict):
        for v in value.values():
            yield from _json_strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _json_strings(v)


def _split_identifiers(identifiers: dict[str, set[str]]) -> dict[str, tuple[set[str], set[str]]]:
    """Each kind's ids as (ordinary, distinct): an ordinary id (a word, a number of up to four
    digits) is looked for only where a page shows data, a distinct one anywhere. Split once per
    audit: splitting the demo's ids again for each of a version's texts took two minutes."""
    split = {}
    for kind, ids in identifiers.items():
        ordinary = {i for i in ids if _ORDINARY.fullmatch(i)}
        split[kind] = (ordinary, ids - ordinary)
    return split


def _id_findings(source: Source, identifiers: dict[str, tuple[set[str], set[str]]]) -> list[str]:
    findings = []
    plain = _without_data(source.text)
    tokens = None
    for kind, (ordinary, distinct) in identifiers.items():
        places: dict[str, str] = {}
        if distinct:
            tokens = tokens if tokens is not None else set(_TOKEN.findall(plain))
            for hit in sorted(tokens & distinct):
                match = re.search(rf"(?<![A-Za-z0-9_-]){re.escape(hit)}(?![A-Za-z0-9_-])", plain)
                if source.kind == "pdf":
                    page = next(k for k, p in enumerate(source.pages, start=1) if hit in p)
                    places[hit] = f"page {page}"
                else:
                    line = _line_of(plain, match.start()) if match else 1
                    places[hit] = f"{'row' if source.kind == 'csv' else 'line'} {line}"
        if ordinary:
            for cell, place in _id_cells(source):
                if cell in ordinary and cell not in places:
                    places[cell] = place
        if places:
            first = sorted(places.values(), key=_place_order)[0]
            findings.append(f"{source.name}, {first}: contains {len(places)} {kind} value(s) of the inputs")
    return findings


def _place_order(place: str) -> tuple[int, str]:
    number = re.search(r"\d+", place)
    return (int(number.group()) if number else 0, place)


# ----------------------------------------------------------------------- published tables
@dataclass
class Shown:
    """What one published row shows of one cell."""

    source: str
    row: int
    key: tuple[str, int, str, str, str, str]  # partnership, year, indicator, measure, group type, value
    state: str  # exact, at_least, at_most, suppressed
    numbers: dict[str, float]
    reason: str


def _float(text: str) -> float | None:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def _restore(text: str) -> str:
    """A text cell without the formula guard's apostrophe."""
    return text[1:] if len(text) > 1 and text[0] == "'" and text[1] in "=+-@\t\r'" else text


def _table_rows(source: Source) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(source.text))
    fields = set(reader.fieldnames or ())
    if not {"partnership_id", "school_year", "group_type", "group_value"} <= fields:
        return
    for number, row in enumerate(reader, start=2):
        yield number, {k: _restore(v or "") for k, v in row.items() if k is not None}


def _shown(source: Source, number: int, row: dict[str, str]) -> Shown | None:
    year = _float(row.get("school_year", ""))
    if year is None or row.get("status", "ok") not in ("ok", ""):
        return None
    key = (
        row["partnership_id"],
        int(year),
        row.get("indicator_id", ""),
        row.get("measure", ""),
        row["group_type"],
        row["group_value"],
    )
    state = row.get("shown_as", "")
    if state not in ("exact", "at_least", "at_most", "suppressed"):
        state = "suppressed" if row.get("suppressed", "").lower() == "true" else "exact"
    numbers = {c: v for c in FIGURE_COLUMNS if (v := _float(row.get(c, ""))) is not None}
    return Shown(source.name, number, key, state, numbers, row.get("suppression_reason", ""))


def _row_findings(shown: Shown, sizes: dict, n: int) -> list[str]:
    """The small cells one published row shows by itself."""
    where = f"{shown.source}, row {shown.row}"
    pid, year, _, measure, gtype, gvalue = shown.key
    numbers = shown.numbers
    if shown.state == "suppressed":
        extra = sorted(numbers)
        return [f"{where}: a suppressed row shows a number ({', '.join(extra)})"] if extra else []
    findings = []
    visible = {c: v for c, v in numbers.items() if c in NUMBER_COLUMNS or c == "bound"}
    size = sizes.get((pid, year, gtype, gvalue))
    if size is not None and size < n and visible:
        return [
            f"{where}: {gtype}={gvalue} has fewer than {n} learners in {pid}'s {year} submission, "
            "yet the row shows a number"
        ]
    if shown.state in ("at_least", "at_most"):
        extra = sorted(set(numbers) - {"denominator", "bound"})
        if extra:
            findings.append(
                f"{where}: a coded row shows more than its denominator and bound ({', '.join(extra)})"
            )
        den, bound = numbers.get("denominator"), numbers.get("bound")
        if den is not None and bound is not None:
            implied = (1 - bound) * den if shown.state == "at_least" else bound * den
            if implied < n - 1e-9:
                findings.append(f"{where}: the bound implies a count below {n}")
    den = numbers.get("denominator")
    for column in ("numerator", "denominator"):
        if column in numbers and 0 < numbers[column] < n:
            findings.append(f"{where}: {column} is below {n}")
    if measure == "rate" and shown.state == "exact" and den is not None:
        num = numbers.get("numerator")
        if num is None and "value" in numbers:
            num = round(numbers["value"] * den)
        if num is not None and 0 < den - num < n:
            findings.append(f"{where}: the learners not counted in the rate are fewer than {n}")
        elif num is not None and "numerator" not in numbers and 0 < num < n:
            findings.append(f"{where}: the rate and denominator give a numerator below {n}")
    if measure not in NOT_COUNTS and "value" in numbers and 0 < numbers["value"] < n:
        findings.append(f"{where}: a count below {n} is shown")
    return findings


def _small_cell_findings(name: str, text: str, sizes: dict, min_cell_size: int) -> list[str]:
    """Small cells in one published table that has indicator rows (each row on its own)."""
    source = Source(name, text, "csv")
    findings = []
    for number, row in _table_rows(source):
        shown = _shown(source, number, row)
        if shown is not None:
            findings.extend(_row_findings(shown, sizes, min_cell_size))
    return findings


# --------------------------------------------------------------------------------- rule 4
@dataclass
class Known:
    """What all published tables together show of one cell."""

    denominator: bool = False
    numerator: bool = False
    value: bool = False
    coded: str | None = None
    gap: bool = False
    reasons: set[str] = field(default_factory=set)
    places: list[tuple[str, int]] = field(default_factory=list)

    def add(self, shown: Shown) -> None:
        self.places.append((shown.source, shown.row))
        if shown.reason:
            self.reasons.add(shown.reason)
        numbers = shown.numbers
        self.denominator |= "denominator" in numbers
        if shown.state == "exact":
            self.numerator |= "numerator" in numbers
            self.value |= "value" in numbers
            self.gap |= "gap_pp" in numbers
        elif shown.state in ("at_least", "at_most") and self.coded is None:
            self.coded = shown.state

    def shows(self, quantity: str, measure: str) -> bool:
        """Whether a reader can read ``quantity`` of this cell exactly."""
        if quantity == "denominator":
            return self.denominator
        if quantity == "value":
            return self.value
        numerator = self.numerator or (measure == "rate" and self.value and self.denominator)
        return numerator and (quantity == "numerator" or self.denominator)


def _range(known: Known | None, quantity: str, den: float, n: int) -> tuple[float, float]:
    """What a reader can tell of a hidden cell from its published bound or reason."""
    if known is not None and known.coded and quantity in ("numerator", "complement"):
        small = "complement" if known.coded == "at_least" else "numerator"
        return (1.0, n - 1.0) if quantity == small else (den - (n - 1.0), den - 1.0)
    if known is not None and any(_SMALL_REASON.fullmatch(r) for r in known.reasons):
        return (1.0, n - 1.0) if quantity in ("denominator", "value") else (0.0, n - 1.0)
    return 0.0, math.inf


def _fixed(terms: list[tuple[int, float, float, bool]], constant: float) -> bool:
    """Whether ``sum(sign * x) == constant`` with each x in [low, high] leaves some protected x one value."""
    for i, (sign, low, high, protect) in enumerate(terms):
        if not protect:
            continue
        others_low = sum(lo if s > 0 else -hi for j, (s, lo, hi, _) in enumerate(terms) if j != i)
        others_high = sum(hi if s > 0 else -lo for j, (s, lo, hi, _) in enumerate(terms) if j != i)
        lo, hi = constant - others_high, constant - others_low
        if sign < 0:
            lo, hi = -hi, -lo
        lo, hi = max(lo, low), min(hi, high)
        if math.isfinite(lo) and math.isfinite(hi) and math.floor(hi + 1e-9) - math.ceil(lo - 1e-9) < 1:
            return True
    return False


def _cell_value(row: dict, quantity: str) -> float:
    if quantity == "complement":
        return float(row["denominator"]) - float(row["numerator"])
    return float(row[quantity])


def _breakdown_findings(
    pid: str, year: int, truth: pd.DataFrame, known: dict[tuple, Known], sizes: dict, n: int
) -> list[str]:
    findings = []
    records = truth[truth["status"] == "ok"].to_dict(orient="records")
    by_key = {(r["indicator_id"], r["measure"], r["group_type"], r["group_value"]): r for r in records}
    blocks: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for r in records:
        if r["group_type"] in PARTITIONS or r["group_type"].startswith("stakeholder_type:"):
            blocks[(r["indicator_id"], r["measure"], r["group_type"])].append(r)

    def total_of(gtype: str) -> tuple[str, str]:
        return ("item", gtype.split(":", 1)[1]) if gtype.startswith("stakeholder_type:") else ("all", "all")

    def infos_of(ind: str, measure: str, members: list[dict]) -> list[Known | None]:
        return [known.get((pid, year, ind, measure, m["group_type"], m["group_value"])) for m in members]

    for (ind, measure, gtype), members in blocks.items():
        total = by_key.get((ind, measure, *total_of(gtype)))
        if total is None:
            continue
        quantities = {
            "rate": ("denominator", "numerator", "complement"),
            "mean": ("denominator",),
            "count": ("value",),
        }.get(total["_kind"], ())
        infos = infos_of(ind, measure, members)
        total_known = known.get((pid, year, ind, measure, *total_of(gtype)))
        if not any(infos):
            continue  # no group of this breakdown is published
        for m, info in zip(members, infos, strict=True):
            if info is None and float(m["denominator"]) == 0:
                findings.append(
                    f"{_places([i for i in infos if i is not None])}: {ind} ({measure}) by {gtype} of {pid} "
                    f"{year} has no row for {m['group_value']}: a missing group says the figure its "
                    "denominator counts has nobody there, a hidden count given away"
                )
        # the other breakdowns of the same total: a hidden total is no more hidden than they leave it
        others = [
            (m, infos_of(ind, measure, m))
            for (i2, m2, g2), m in blocks.items()
            if (i2, m2) == (ind, measure) and g2 != gtype and total_of(g2) == total_of(gtype)
        ]
        for quantity in quantities:
            problem = _relation(
                members, infos, total, total_known, quantity, measure, sizes, (pid, year), n, others
            )
            if problem:
                places = _places([i for i in [*infos, total_known] if i is not None])
                what = {
                    "denominator": "denominators",
                    "numerator": "numerators",
                    "complement": "learners not counted",
                    "value": "counts",
                }[quantity]
                findings.append(
                    f"{places}: {ind} ({measure}) by {gtype} of {pid} {year}: the hidden {what} {problem}"
                )
        if total["_kind"] == "rate" and gtype in LEARNER_GROUPS:  # a gap compares with the rest of the total
            exact_total = total_known is not None and total_known.shows("complement", measure)
            for info in infos:
                if info is not None and info.gap and not exact_total:
                    findings.append(
                        f"{_places([info])}: {ind} by {gtype} of {pid} {year}: a gap is shown "
                        "against a total that is not shown exactly"
                    )
    findings.extend(_population_findings(pid, year, blocks, by_key, total_of, known, sizes, n))
    return findings


def _population_findings(
    pid: str, year: int, blocks: dict, by_key: dict, total_of, known: dict[tuple, Known], sizes: dict, n: int
) -> list[str]:
    """Rule 4 across tables: rates (and medians) whose true denominators agree in the total and in
    every group count the same learners (the learners 9-12 of several indicators, a cohort's
    graduating concentrators), so a group's denominator is known wherever one of them shows it.
    Each breakdown is checked on what all of them show together."""
    populations: dict[tuple, list[tuple[str, str, dict, list[dict]]]] = defaultdict(list)
    for (ind, measure, gtype), members in blocks.items():
        total = by_key.get((ind, measure, *total_of(gtype)))
        if total is None or total["_kind"] not in ("rate", "mean"):
            continue
        groups = frozenset(
            (m["group_value"], float(m["denominator"])) for m in members if float(m["denominator"]) > 0
        )
        populations[(gtype, float(total["denominator"]), groups)].append((ind, measure, total, members))
    findings = []
    for (gtype, _, _), tables in populations.items():
        if len(tables) < 2:
            continue
        rows: dict[object, dict] = {}
        together: dict[object, Known] = {}
        total_known = Known()
        for ind, measure, _total, members in tables:
            _merge(total_known, known.get((pid, year, ind, measure, *total_of(gtype))))
            for m in members:
                rows.setdefault(m["group_value"], m)
                _merge(
                    together.setdefault(m["group_value"], Known()),
                    known.get((pid, year, ind, measure, gtype, m["group_value"])),
                )
        infos = [together[v] if together[v].places else None for v in rows]
        if not any(infos):
            continue
        total, measure = tables[0][2], tables[0][1]
        problem = _relation(
            list(rows.values()),
            infos,
            total,
            total_known if total_known.places else None,
            "denominator",
            measure,
            sizes,
            (pid, year),
            n,
        )
        if problem:
            places = _places([i for i in infos if i is not None])
            names = ", ".join(ind for ind, *_ in tables)
            findings.append(
                f"{places}: {names} by {gtype} of {pid} {year} count the same learners: the denominators "
                f"hidden in all of them {problem}"
            )
    return findings


def _merge(into: Known, shown: Known | None) -> None:
    """What two tables show of one count of learners: a denominator shown in either is shown."""
    if shown is None:
        return
    into.denominator |= shown.denominator
    into.reasons |= shown.reasons
    into.places.extend(shown.places)


def _relation(
    members: list[dict],
    infos: list[Known | None],
    total: dict,
    total_known: Known | None,
    quantity: str,
    measure: str,
    sizes: dict,
    where: tuple[str, int],
    n: int,
    others: list[tuple[list[dict], list[Known | None]]] = (),
) -> str | None:
    """Why subtraction gives a hidden cell of this breakdown away, or None."""

    def shows(info: Known | None) -> bool:
        return info is not None and info.shows(quantity, measure)

    def adds_up(rows: list[dict], row_infos: list[Known | None]) -> tuple[float, float]:
        """The range of the total that another breakdown's published cells give."""
        low = high = 0.0
        for m, info in zip(rows, row_infos, strict=True):
            v = _cell_value(m, quantity)
            if shows(info):
                low, high = low + v, high + v
            else:
                lo, hi = _range(info, quantity, float(m["denominator"]), n)
                low, high = low + lo, high + hi
        if _cell_value(total, quantity) - sum(_cell_value(m, quantity) for m in rows) > 1e-9:
            high = math.inf  # an unpublished rest
        return low, high

    def protect(row: dict, info: Known | None, value: float) -> bool:
        """A small count, or anything (a zero too) about a small group, or a coded rate's numerator
        (nothing at a floor of 1, where no group is small)."""
        if n <= 1:
            return False
        small_group = sizes.get((*where, row["group_type"], row["group_value"]), n) < n or (
            row["_kind"] in ("rate", "mean") and float(row["denominator"]) < n
        )
        return (
            0 < value < n
            or small_group
            or (info is not None and info.coded is not None and quantity in ("numerator", "complement"))
        )

    values = [_cell_value(m, quantity) for m in members]
    q_total = _cell_value(total, quantity)
    residual = q_total - sum(values)
    if residual < -1e-9:
        return None  # the groups overlap: nothing to subtract
    terms, known_sum = [], 0.0
    for m, info, v in zip(members, infos, values, strict=True):
        if shows(info):
            known_sum += v
        else:
            terms.append((1.0, *_range(info, quantity, float(m["denominator"]), n), protect(m, info, v)))
    if residual > 1e-9:
        terms.append((1.0, 0.0, math.inf, 0 < residual < n))
    if shows(total_known):
        if q_total == 0:
            return None  # the total itself says every group is 0
        revealed = q_total - known_sum
        if terms and 0 < revealed < n:
            return f"together hold fewer than {n} learners (subtraction from the total shows it)"
        return "can be worked out by subtraction" if _fixed(terms, revealed) else None
    low, high = _range(total_known, quantity, float(total["denominator"]), n)
    for rows, row_infos in others:
        other_low, other_high = adds_up(rows, row_infos)
        low, high = max(low, other_low), min(high, other_high)
    equation = [(1.0, low, high, protect(total, total_known, q_total))]
    equation += [(-s, lo, hi, p) for s, lo, hi, p in terms]
    return "can be worked out by subtraction" if _fixed(equation, known_sum) else None


def _shared_count_findings(
    pid: str, truths: dict[int, pd.DataFrame], known: dict[tuple, Known], n: int
) -> list[str]:
    """Rule 4 across tables: a published denominator that counts the same learners as another
    published cell's hidden numerator (the catalogue's ``denominator_from``, confirmed on the true
    cells) tells a reader that numerator. Where that cell also shows its denominator and hides a
    count below the minimum (or a bound's), the count is given away at once; otherwise the numerator
    becomes known for the breakdown checks that follow (which ``known`` records)."""
    catalogue = load_catalogue()
    cells = {
        (year, r["indicator_id"], r["measure"], r["group_type"], r["group_value"]): r
        for year, truth in truths.items()
        for r in truth[truth["status"] == "ok"].to_dict(orient="records")
    }
    findings = []
    for (year, ind_id, measure, gtype, gvalue), r in cells.items():
        ind = catalogue.get(ind_id)
        link = ind.denominator_from
        if link is None or measure != ind.main_measure:
            continue
        shown = known.get((pid, year, ind_id, measure, gtype, gvalue))
        if shown is None or not shown.denominator:
            continue
        group = link.source_group(gtype, gvalue)
        source_year = link.source_year(year, r.get("_cohort"))
        if group is None or source_year is None:
            continue
        source = cells.get((source_year, link.indicator, link.measure, *group))
        source_known = known.get((pid, source_year, link.indicator, link.measure, *group))
        quantity = link.quantity
        if source is None or source_known is None or source_known.shows(quantity, link.measure):
            continue
        if float(source[quantity]) != float(r["denominator"]):
            continue  # not the same learners in these data: no exact count follows
        hidden_small = source_known.coded is not None or 0 < float(source[quantity]) < n
        if source_known.denominator and hidden_small:
            findings.append(
                f"{_places([shown, source_known])}: the denominator of {ind_id} ({gtype}={gvalue}) of {pid} "
                f"{year} is the hidden numerator of {link.indicator} ({group[0]}={group[1]}) of {source_year}: "
                "with that cell's denominator it gives a hidden count away"
            )
        elif quantity == "numerator":
            source_known.numerator = True
        else:
            source_known.value = True
    return findings


def _places(infos: list[Known]) -> str:
    rows: dict[str, list[int]] = defaultdict(list)
    for info in infos:
        for source, row in info.places:
            rows[source].append(row)
    parts = []
    for source, numbers in rows.items():
        numbers = sorted(set(numbers))
        span = f"row {numbers[0]}" if len(numbers) == 1 else f"rows {numbers[0]}-{numbers[-1]}"
        parts.append(f"{source} ({span})")
    return "; ".join(parts)


def _true_cells(data_dir: Path, registry: Registry, pid: str, years: set[int]) -> dict[int, pd.DataFrame]:
    """The engine's rows before suppression, from the learner-level files, for each year from the
    baseline to the last of ``years`` (as the engine computes them, each beside the years before),
    with the empty group rows of the linked tables (a row the export must have, hidden)."""
    from pathways.indicators import true_cells
    from pathways.io.submission import Submissions

    partnership = registry.get(pid)
    submissions = Submissions(Path(data_dir), pid, max(years))
    out: dict[int, pd.DataFrame] = {}
    for y in sorted(submissions.years):
        if not partnership.baseline_year <= y <= max(years):
            continue
        earlier = pd.concat([t.assign(school_year=k) for k, t in out.items()]) if out else None
        out[y] = true_cells(submissions.history(y), partnership, registry.min_cell_size, earlier)[0]
    return out


# ---------------------------------------------------------------------------------- version
def audit_version(folder: Path, *, data_dir: Path, registry: Registry) -> list[str]:
    """Problems found in a version folder (empty when it may be published)."""
    folder = Path(folder)
    identifiers = _split_identifiers(input_identifiers(data_dir, registry))
    sizes = input_group_sizes(data_dir, registry)
    n = registry.min_cell_size
    findings: list[str] = []
    known: dict[tuple, Known] = {}
    for source in _sources(folder):
        if source.kind == "unreadable":
            findings.append(f"{source.name}: not a readable PDF, so it could not be checked; print it again")
            continue
        findings.extend(_id_findings(source, identifiers))
        if source.kind != "csv":
            continue
        for number, row in _table_rows(source):
            shown = _shown(source, number, row)
            if shown is None:
                continue
            findings.extend(_row_findings(shown, sizes, n))
            if shown.key[2] and shown.key[3]:  # indicator and measure: a cell rule 4 can place
                known.setdefault(shown.key, Known()).add(shown)
    years_of: dict[str, set[int]] = defaultdict(set)
    for pid, year, *_ in known:
        years_of[pid].add(year)
    for pid, years in sorted(years_of.items()):
        try:
            truths = _true_cells(data_dir, registry, pid, years)
        except (KeyError, PathwaysError, FileRefused, OSError):
            truths = {}
        findings.extend(_shared_count_findings(pid, truths, known, n))
        for year in sorted(years):
            if year not in truths:
                where = _places([k for key, k in known.items() if key[:2] == (pid, year)])
                findings.append(
                    f"{where}: rows of {pid} {year} cannot be checked against the inputs (no "
                    f"readable submission of {pid} for {year} under the data folder)"
                )
                continue
            findings.extend(_breakdown_findings(pid, year, truths[year], known, sizes, n))
            findings.extend(_model_size_findings(pid, year, truths[year], known, n))
    return findings


def _model_size_findings(
    pid: str, year: int, truth: pd.DataFrame, known: dict[tuple, Known], n: int
) -> list[str]:
    """The odds model's n shown beside its cohort's size when 1..N-1 learners were left out of the
    model (a term that cannot be estimated): the difference counts them."""
    from pathways.indicators.odds import COHORT_INDICATOR, ID

    def true(ind: str, measure: str, column: str) -> float | None:
        rows = truth[
            (truth["indicator_id"] == ind) & (truth["measure"] == measure) & (truth["group_type"] == "all")
        ]
        return float(rows[column].iloc[0]) if len(rows) and rows["status"].iloc[0] == "ok" else None

    cohort, model = true(COHORT_INDICATOR, "rate", "denominator"), true(ID, "learners", "value")
    if cohort is None or model is None or not 0 < cohort - model < n:
        return []
    cohort_known = known.get((pid, year, COHORT_INDICATOR, "rate", "all", "all"))
    model_known = [
        k
        for key, k in known.items()
        if key[:3] == (pid, year, ID) and (k.value if key[3] == "learners" else k.denominator)
    ]
    if cohort_known is None or not cohort_known.denominator or not model_known:
        return []
    return [
        f"{_places([cohort_known, *model_known])}: the learners of {ID} of {pid} {year} and the cohort of "
        f"{COHORT_INDICATOR} differ by fewer than {n}: the difference counts the learners left out of the model"
    ]
