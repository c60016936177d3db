"""Data templates for partners, generated from the data dictionary.

``data_templates/`` holds one CSV per contract file (header and three synthetic example
rows), a README for district data clerks, and an Excel workbook with drop-downs. They are
committed so partners can download them, and a test regenerates them to catch drift.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from pathways.book.dictionary_docs import column_rule, render_dictionary_markdown, render_limits_markdown
from pathways.io.dictionary import FileSpec, load_dictionary
from pathways.io.export import csv_text

WORKBOOK_NAME = "pathways_data_templates.xlsx"
# A fixed timestamp keeps the workbook byte-identical from one generation to the next.
_FIXED_TIME = datetime(2024, 7, 1)
_ROWS_WITH_DROPDOWNS = 5000

_README_INTRO = """\
# Data templates

These templates show what a partnership sends each school year. Fill one file per
table, save it as **CSV UTF-8** (in Excel: *File > Save As > CSV UTF-8*), and put the
files of one school year in one folder:

```
<partnership_id>/<school_year>/learners.csv
<partnership_id>/<school_year>/cte_courses.csv
...
```

`school_year` is the calendar year in which the school year ends: 2023-24 is `2024`.

- `learners.csv` is required; every other file is optional. Leave a file out when there
  is nothing to report; do not send it with a header only. An indicator whose file is
  missing is reported as "not submitted", never as zero.
- Keep the column names exactly as in the templates. Optional columns may be left out
  or left blank.
- Yes/no columns accept `true`/`false`, `yes`/`no`, `y`/`n` or `1`/`0`, in any case;
  blank means unknown.
- **Never include personal data.** A file with a column that looks like a name, birth
  date, address, phone number, e-mail address or Social Security number is refused and
  not read further. `learner_id` is a pseudonymous key that stays the same for a learner
  across years and files.
- Check your files before you send them:
  `pathways validate path/to/<partnership_id>/<school_year>`. It lists every problem
  with the file, the column, how many rows and example row numbers.

The example rows are synthetic: replace them with your own records.

The workbook `pathways_data_templates.xlsx` holds the same tables, one sheet each, with
drop-down lists on the columns that take one of a list of values, and a sheet
`dictionary` describing every column. Save each sheet as its own CSV UTF-8 file.

"""


def template_csv(spec: FileSpec) -> str:
    examples = pd.DataFrame(
        [[str(c.examples[i]) for c in spec.columns] for i in range(3)], columns=spec.column_names
    )
    return csv_text(examples)


def readme_text() -> str:
    return (
        _README_INTRO
        + "# What every file must be\n\n"
        + render_limits_markdown()
        + "\n"
        + "# Columns of each file\n\n"
        + render_dictionary_markdown(heading_level=2)
    )


def build_workbook() -> Workbook:
    dictionary = load_dictionary()
    wb = Workbook()
    wb.remove(wb.active)
    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="0B4F6C")
    for spec in dictionary.files.values():
        ws = wb.create_sheet(spec.name[:31])
        ws.append(spec.column_names)
        for i in range(3):
            ws.append([str(c.examples[i]) for c in spec.columns])
        for idx, column in enumerate(spec.columns, start=1):
            letter = get_column_letter(idx)
            ws[f"{letter}1"].font = header_font
            ws[f"{letter}1"].fill = header_fill
            ws.column_dimensions[letter].width = max(14, len(column.name) + 4)
            # Every cell as text, so Excel does not turn ids into numbers or dates.
            for row in range(2, 5):
                ws[f"{letter}{row}"].number_format = "@"
            allowed = _dropdown_values(column)
            if allowed:
                validation = DataValidation(
                    type="list",
                    formula1='"' + ",".join(allowed) + '"',
                    allow_blank=column.nullable or not column.required,
                )
                validation.error = f"{column.name}: choose one of {', '.join(allowed)}"
                validation.errorTitle = "Value not allowed"
                validation.add(f"{letter}2:{letter}{_ROWS_WITH_DROPDOWNS}")
                ws.add_data_validation(validation)
        ws.freeze_panes = "A2"
    doc = wb.create_sheet("dictionary")
    doc.append(["file", "column", "type", "required", "what is accepted", "description"])
    for spec in dictionary.files.values():
        for column in spec.columns:
            doc.append(
                [
                    spec.filename,
                    column.name,
                    column.type,
                    "yes" if column.required else "optional",
                    column_rule(spec, column).replace("`", ""),
                    column.description,
                ]
            )
    for letter, width in zip("ABCDEF", (22, 26, 10, 10, 60, 80), strict=True):
        doc.column_dimensions[letter].width = width
        doc[f"{letter}1"].font = Font(bold=True)
    wb.properties.creator = "pathways"
    wb.properties.created = _FIXED_TIME
    return wb


def _dropdown_values(column) -> list[str]:
    if column.type == "enum":
        return list(column.values)
    if column.type == "bool":
        return ["true", "false"]
    return []


def workbook_bytes() -> bytes:
    """The workbook with fixed zip timestamps, so regeneration is byte-stable."""
    raw = io.BytesIO()
    build_workbook().save(raw)
    raw.seek(0)
    stable = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(stable, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in sorted(src.infolist(), key=lambda i: i.filename):
            fixed = zipfile.ZipInfo(info.filename, date_time=(2024, 7, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                # openpyxl stamps the save time into "modified" whatever the properties say.
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2024-07-01T00:00:00Z", content)
            dst.writestr(fixed, content)
    return stable.getvalue()


def expected_files() -> dict[str, bytes]:
    """Every template file's name and bytes, as the dictionary says they should be."""
    out = {spec.filename: template_csv(spec).encode("utf-8") for spec in load_dictionary().files.values()}
    out["README.md"] = readme_text().encode("utf-8")
    out[WORKBOOK_NAME] = workbook_bytes()
    return out


def write_templates(out_dir: Path) -> list[Path]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, content in expected_files().items():
        path = out_dir / name
        path.write_bytes(content)
        paths.append(path)
    return paths
