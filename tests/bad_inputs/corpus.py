"""Build a small, valid two-year submission and bad variants of it, one fault per variant.

Written by the tests rather than committed as files, so the corpus follows the data
dictionary: a fault is a small edit of the good submission (a replaced cell, a dropped
column, raw bytes), and every other file stays valid, so a test can assert that exactly
one check fails.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
from collections.abc import Callable
from pathlib import Path

PID = "test-partnership"
YEARS = (2023, 2024)
SECRET = "Zebediah-Quackenbush-1987"  # a value that must never appear in any output

REGISTRY_YAML = f"""\
min_cell_size: 10
partnerships:
  - id: {PID}
    name: Test Partnership
    region: Test Region
    convener: Test Convener
    partners:
      - {{name: Test District, sector: k12}}
    baseline_year: 2023
    living_wage_usd: 50000
    tuition_per_credit_usd: 100
"""


def _learner(i: int) -> str:
    return f"L-{i:04d}"


def good_rows(year: int) -> dict[str, list[dict[str, str]]]:
    """Rows of every contract file for one year (2023 holds learners 1-30, 2024 learners 5-36)."""
    first = 1 if year == 2023 else 5
    ids = [_learner(i) for i in range(first, first + 32)]
    sexes = ["female", "male", "nonbinary", "female", "male"]
    races = ["hispanic_latino", "white", "black_african_american", "asian", "two_or_more_races"]
    files: dict[str, list[dict[str, str]]] = {}
    files["learners"] = [
        {
            "learner_id": lid,
            "school_year": str(year),
            "school_id": f"SCH-0{k % 3 + 1}",
            "grade_level": str(9 + k % 4),
            "cohort_year": str(year + 3 - k % 4),
            "sex": sexes[k % 5],
            "race_ethnicity": races[k % 5],
            "is_economically_disadvantaged": ["true", "false"][k % 2],
            "is_english_learner": ["false", "true"][k % 7 == 0],
            "has_disability": ["false", "true"][k % 5 == 0],
            "has_icap": ["true", "false", ""][k % 3],
        }
        for k, lid in enumerate(ids)
    ]
    files["pathways"] = [
        {
            "pathway_id": "HLTH-01",
            "pathway_name": "Health Science",
            "industry_sector": "healthcare",
            "is_high_demand": "true",
            "nontraditional_gender": "male",
        },
        {
            "pathway_id": "IT-01",
            "pathway_name": "Software, Networks, and Data",
            "industry_sector": "information_technology",
            "is_high_demand": "true",
            "nontraditional_gender": "female",
        },
    ]
    files["cte_courses"] = [
        {
            "learner_id": lid,
            "school_year": str(year),
            "pathway_id": ["HLTH-01", "IT-01"][k % 2],
            "course_id": f"C-{k % 2}{j}",
            "credits": "1.0",
            "is_completed": ["true", "false"][j],
        }
        for k, lid in enumerate(ids[:20])
        for j in (0, 1)
    ]
    files["credentials"] = [
        {
            "learner_id": lid,
            "school_year": str(year),
            "credential_id": "CNA",
            "credential_name": "Certified Nursing Assistant",
            "credential_type": "occupational_license",
            "pathway_id": ["HLTH-01", ""][k % 2],
            "is_credential_of_value": "true",
            "earned_date": f"{year}-0{1 + k % 5}-15",
        }
        for k, lid in enumerate(ids[:10])
    ]
    files["work_based_learning"] = [
        {
            "learner_id": lid,
            "school_year": str(year),
            "wbl_type": "internship",
            "employer_id": f"EMP-00{k % 3}",
            "hours": str(20 + k),
            "is_paid": ["true", "false"][k % 2],
            "is_completed": "true",
        }
        for k, lid in enumerate(ids[:12])
    ]
    files["early_postsecondary"] = [
        {
            "learner_id": lid,
            "school_year": str(year),
            "institution_id": "CCD",
            "course_id": f"NUR-10{k % 3}",
            "pathway_id": ["HLTH-01", ""][k % 2],
            "credits_attempted": "3",
            "credits_earned": ["3", "0"][k % 2],
        }
        for k, lid in enumerate(ids[:12])
    ]
    # A learner graduates in one cohort only: each year's cohort is other learners.
    files["hs_outcomes"] = [
        {"learner_id": lid, "cohort_year": str(year), "exit_type": "graduated_regular_diploma"}
        for lid in (ids[:10] if year == min(YEARS) else ids[-10:])
    ]
    files["employer_activity"] = [
        {
            "employer_id": f"EMP-00{k}",
            "school_year": str(year),
            "industry_sector": "healthcare",
            "activity": "advisory_board",
            "participant_count": str(k + 1),
        }
        for k in range(4)
    ]
    files["stakeholder_survey"] = [
        {
            "respondent_id": f"R-{k:03d}",
            "school_year": str(year),
            "stakeholder_type": "employer",
            "goal_effectiveness": str(1 + k % 5),
            "resource_use": "4",
            "engagement_quality": ["5", ""][k % 2],
            "learner_impact": "4",
            "partnership_dynamics": "3",
            "overall_satisfaction": "4",
        }
        for k in range(8)
    ]
    if year > min(YEARS):
        # Former learners: only learners of an earlier year (L-0001..L-0004 left before 2024).
        former = [_learner(i) for i in range(1, 5)]
        files["postsecondary"] = [
            {
                "learner_id": lid,
                "hs_graduation_year": str(year - 1),
                "academic_year": str(year),
                "institution_id": "CCD",
                "institution_sector": "public_two_year",
                "is_enrolled_fall": "true",
                "credential_earned": "none",
            }
            for lid in former
        ]
        files["employment"] = [
            {
                "learner_id": lid,
                "year": str(year),
                "quarter": str(q),
                "employer_id": "EMP-001",
                "naics_sector": "62",
                "wages_usd": "8450.00",
            }
            for lid in former
            for q in (1, 2)
        ]
    return files


def to_csv(rows: list[dict[str, str]], newline: str = "\n") -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator=newline)
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def write_good(data_dir: Path) -> Path:
    """``<data_dir>/<PID>/<year>/*.csv`` for every year; returns ``<data_dir>/<PID>``."""
    root = Path(data_dir) / PID
    for year in YEARS:
        folder = root / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        for name, rows in good_rows(year).items():
            (folder / f"{name}.csv").write_text(to_csv(rows), encoding="utf-8")
    return root


def write_registry(path: Path) -> Path:
    path.write_text(REGISTRY_YAML, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- edits


def _edit(name: str, fn: Callable[[list[dict[str, str]]], list[dict[str, str]]]):
    def apply(folder: Path) -> None:
        rows = good_rows(int(folder.name))[name]
        (folder / f"{name}.csv").write_text(to_csv(fn([dict(r) for r in rows])), encoding="utf-8")

    return apply


def _set(name: str, index: int, **values: str):
    def fn(rows):
        rows[index].update(values)
        return rows

    return _edit(name, fn)


def _drop_column(name: str, column: str):
    return _edit(name, lambda rows: [{k: v for k, v in r.items() if k != column} for r in rows])


def _add_column(name: str, column: str, value: str):
    return _edit(name, lambda rows: [{**r, column: value} for r in rows])


def _raw(name: str, data: bytes):
    def apply(folder: Path) -> None:
        (folder / f"{name}.csv").write_bytes(data)

    return apply


def _remove(name: str):
    def apply(folder: Path) -> None:
        (folder / f"{name}.csv").unlink()

    return apply


def _latin1(folder: Path) -> None:
    rows = good_rows(int(folder.name))["pathways"]
    rows[0]["pathway_name"] = "Ciencias de la Salud – Enfermería"[:20] + "ñ"
    (folder / "pathways.csv").write_bytes(to_csv(rows).replace("–", "-").encode("latin-1"))


def _ragged(folder: Path) -> None:
    text = to_csv(good_rows(int(folder.name))["pathways"])
    lines = text.splitlines()
    lines[2] = lines[2] + ",extra,values"
    (folder / "pathways.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _header_only(folder: Path) -> None:
    text = to_csv(good_rows(int(folder.name))["employer_activity"])
    (folder / "employer_activity.csv").write_text(text.splitlines()[0] + "\n", encoding="utf-8")


def _text(name: str, year: int) -> str:
    return to_csv(good_rows(year)[name])


def _symlink(name: str):
    """Replace a contract file with a link to a file elsewhere whose first line is a secret."""

    def apply(folder: Path) -> None:
        target = folder.parent.parent / f"elsewhere-{name}.txt"
        target.write_text(f"{SECRET},{SECRET}\n1,2\n", encoding="utf-8")
        (folder / f"{name}.csv").unlink()
        os.symlink(target, folder / f"{name}.csv")

    return apply


def _directory(name: str):
    def apply(folder: Path) -> None:
        (folder / f"{name}.csv").unlink()
        (folder / f"{name}.csv").mkdir()
        (folder / f"{name}.csv" / "inside.csv").write_text(_text(name, int(folder.name)), encoding="utf-8")

    return apply


def _fifo(name: str):
    def apply(folder: Path) -> None:
        (folder / f"{name}.csv").unlink()
        os.mkfifo(folder / f"{name}.csv")

    return apply


def _duplicate_header(folder: Path) -> None:
    lines = _text("pathways", int(folder.name)).splitlines()
    rows = [lines[0] + ",pathway_name"] + [line + ",again" for line in lines[1:]]
    (folder / "pathways.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")


def _no_header(folder: Path) -> None:
    text = _text("learners", int(folder.name))
    first = text.splitlines()[1].split(",", 1)[0]
    # The first record, whose learner_id would have become a "column name", carries the secret.
    body = text.split("\n", 1)[1].replace(first + ",", SECRET + ",", 1)
    (folder / "learners.csv").write_text(body, encoding="utf-8")


def _utf16(bom: bool):
    def apply(folder: Path) -> None:
        text = _text("learners", int(folder.name))
        (folder / "learners.csv").write_bytes(text.encode("utf-16" if bom else "utf-16-le"))

    return apply


def _late_nul(folder: Path) -> None:
    """A NUL byte past the first 64 KiB (blank lines, which readers skip, make the distance)."""
    text = _text("learners", int(folder.name))
    lines = text.splitlines(keepends=True)
    padded = "".join(lines[:-1]) + "\n" * 70_000 + lines[-1].replace("SCH-0", "SCH\x00", 1)
    (folder / "learners.csv").write_text(padded, encoding="utf-8")


def _delimited(name: str, delimiter: str):
    def apply(folder: Path) -> None:
        rows = good_rows(int(folder.name))[name]
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(rows[0]), delimiter=delimiter, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
        (folder / f"{name}.csv").write_text(buf.getvalue(), encoding="utf-8")

    return apply


def _long_quoted_cell(length: int, line_of_spaces: bool = False):
    """A quoted pathway_name of ``length`` characters with line breaks (a pasted note); with a
    line of spaces after it, which sends the reader past Arrow to the csv module's field limit."""

    def apply(folder: Path) -> None:
        rows = good_rows(int(folder.name))["pathways"]
        rows[1]["pathway_name"] = ("Health note, " * (length // 13 + 1))[: length - 2] + "\n."
        (folder / "pathways.csv").write_text(
            to_csv(rows) + ("   \n" if line_of_spaces else ""), encoding="utf-8"
        )

    return apply


def _unclosed_quote(folder: Path) -> None:
    """A quote opened in a cell and never closed: the rest of the file becomes one cell."""
    rows = good_rows(int(folder.name))["cte_courses"]
    text = to_csv(rows * 200)  # long enough that the open cell passes the csv module's limit
    lines = text.splitlines(keepends=True)
    lines[3] = lines[3].replace(",C-", ',"C-', 1)
    (folder / "cte_courses.csv").write_text("".join(lines), encoding="utf-8")


def _extra_file(name: str, text: str):
    def apply(folder: Path) -> None:
        (folder / name).write_text(text, encoding="utf-8")

    return apply


def _extra_symlink(folder: Path) -> None:
    target = folder.parent.parent / "elsewhere-notes.txt"
    target.write_text(f"{SECRET}\n", encoding="utf-8")
    os.symlink(target, folder / "notes.csv")


# Each bad variant: (edit of the 2024 folder, file, column, check id). Row numbers are those
# a spreadsheet shows: the first record is row 2.
BAD: dict[str, tuple[Callable[[Path], None], str, str | None, str]] = {
    "missing_required_column": (
        _drop_column("learners", "grade_level"),
        "learners.csv",
        "grade_level",
        "required_column",
    ),
    "missing_key_column": (
        _drop_column("learners", "learner_id"),
        "learners.csv",
        "learner_id",
        "required_column",
    ),
    "bad_enum": (_set("learners", 3, sex="F"), "learners.csv", "sex", "allowed_values"),
    "bad_type": (_set("learners", 4, cohort_year="twenty"), "learners.csv", "cohort_year", "type"),
    "out_of_range_grade": (_set("learners", 2, grade_level="13"), "learners.csv", "grade_level", "range"),
    "duplicate_learner_id": (
        _set("learners", 25, learner_id="L-0005"),
        "learners.csv",
        "learner_id",
        "unique_key",
    ),
    "wrong_school_year": (
        _set("cte_courses", 1, school_year="2023"),
        "cte_courses.csv",
        "school_year",
        "school_year",
    ),
    "earned_date_outside_window": (
        _set("credentials", 0, earned_date="2024-07-01"),
        "credentials.csv",
        "earned_date",
        "date_window",
    ),
    "credits_earned_over_attempted": (
        _set("early_postsecondary", 0, credits_earned="4"),
        "early_postsecondary.csv",
        "credits_earned",
        "at_most",
    ),
    "orphan_learner_in_cte": (
        _set("cte_courses", 5, learner_id="L-9999"),
        "cte_courses.csv",
        "learner_id",
        "reference_same_year",
    ),
    "unknown_pathway_id": (
        _set("cte_courses", 7, pathway_id="NOPE-01"),
        "cte_courses.csv",
        "pathway_id",
        "reference_same_year",
    ),
    "hs_outcome_learner_never_enrolled": (
        _set("hs_outcomes", 3, learner_id="L-8888"),
        "hs_outcomes.csv",
        "learner_id",
        "reference_up_to_year",
    ),
    "postsecondary_learner_only_same_year": (
        _set("postsecondary", 1, learner_id="L-0036"),
        "postsecondary.csv",
        "learner_id",
        "reference_earlier_years",
    ),
    "ssn_like_learner_id": (
        _set("learners", 26, learner_id="123-45-6789"),
        "learners.csv",
        "learner_id",
        "not_ssn",
    ),
    "implausible_wages": (
        _set("employment", 0, wages_usd="2500000"),
        "employment.csv",
        "wages_usd",
        "plausible_wages",
    ),
    "personal_data_first_name": (
        _add_column("learners", "First Name", SECRET),
        "learners.csv",
        "First Name",
        "no_personal_data",
    ),
    "personal_data_dob": (
        _add_column("cte_courses", "DOB", SECRET),
        "cte_courses.csv",
        "DOB",
        "no_personal_data",
    ),
    "personal_data_email": (
        _add_column("credentials", "student_email", SECRET),
        "credentials.csv",
        "student_email",
        "no_personal_data",
    ),
    "latin1_file": (_latin1, "pathways.csv", None, "file_is_utf8"),
    "binary_file": (
        _raw("learners", b"PK\x03\x04\x00\x00binary\x00xlsx"),
        "learners.csv",
        None,
        "file_is_text",
    ),
    "empty_file": (_raw("work_based_learning", b""), "work_based_learning.csv", None, "file_not_empty"),
    "header_only": (_header_only, "employer_activity.csv", None, "file_has_records"),
    "ragged_rows": (_ragged, "pathways.csv", None, "rows_have_header_width"),
    "missing_learners_file": (_remove("learners"), "learners.csv", None, "required_file"),
    # Numbers that make no sense: infinity written as 1e309, spelled out, absurd magnitudes.
    "infinite_wages": (
        _set("employment", 0, wages_usd="1e309"),
        "employment.csv",
        "wages_usd",
        "plausible_wages",
    ),
    "infinite_credits": (
        _set("early_postsecondary", 2, credits_attempted="1e309"),
        "early_postsecondary.csv",
        "credits_attempted",
        "range",
    ),
    "negative_infinite_hours": (
        _set("work_based_learning", 1, hours="-1e400"),
        "work_based_learning.csv",
        "hours",
        "range",
    ),
    "inf_spelled_out": (
        _set("work_based_learning", 0, hours="inf"),
        "work_based_learning.csv",
        "hours",
        "type",
    ),
    "nan_spelled_out": (_set("cte_courses", 0, credits="NaN"), "cte_courses.csv", "credits", "type"),
    "absurd_count": (
        _set("employer_activity", 0, participant_count="99999999999999999999"),
        "employer_activity.csv",
        "participant_count",
        "range",
    ),
    "absurd_credits": (_set("cte_courses", 3, credits="250"), "cte_courses.csv", "credits", "range"),
    "unicode_digits_year": (
        _set("learners", 0, school_year="２０２４"),
        "learners.csv",
        "school_year",
        "type",
    ),
    # What the folder holds in place of a file.
    "symlinked_file": (_symlink("learners"), "learners.csv", None, "file_is_regular"),
    "directory_named_like_file": (
        _directory("stakeholder_survey"),
        "stakeholder_survey.csv",
        None,
        "file_is_regular",
    ),
    "fifo_named_like_file": (_fifo("credentials"), "credentials.csv", None, "file_is_regular"),
    # Headers.
    "case_duplicate_column": (
        _add_column("learners", "LEARNER_ID", "L-0001"),
        "learners.csv",
        "learner_id",
        "unique_headers",
    ),
    "duplicate_column": (_duplicate_header, "pathways.csv", "pathway_name", "unique_headers"),
    "missing_header_row": (_no_header, "learners.csv", None, "file_has_header"),
    "semicolon_delimiter": (_delimited("pathways", ";"), "pathways.csv", None, "file_uses_commas"),
    "tab_delimiter": (_delimited("learners", "\t"), "learners.csv", None, "file_uses_commas"),
    # Bytes and cells.
    "utf16_file": (_utf16(bom=True), "learners.csv", None, "file_is_utf8"),
    "utf16_without_bom": (_utf16(bom=False), "learners.csv", None, "file_is_utf8"),
    "nul_byte_past_64k": (_late_nul, "learners.csv", None, "file_is_text"),
    "over_long_cell": (_long_quoted_cell(300), "pathways.csv", "pathway_name", "cell_length"),
    "over_long_cell_of_megabytes": (
        _long_quoted_cell(2_000_000),
        "pathways.csv",
        "pathway_name",
        "cell_length",
    ),
    "quoted_cell_over_csv_field_limit": (
        _long_quoted_cell(200_000, line_of_spaces=True),
        "pathways.csv",
        None,
        "cell_length",
    ),
    "unclosed_quote": (_unclosed_quote, "cte_courses.csv", None, "cell_length"),
    # Across years and files.
    "graduated_in_two_cohorts": (
        _set("hs_outcomes", 4, learner_id="L-0003"),
        "hs_outcomes.csv",
        "learner_id",
        "graduated_once",
    ),
    "extra_file_with_personal_data": (
        _extra_file("students.csv", "first_name,last_name,ssn,dob\nAna,Secretname,1,2\n"),
        "students.csv",
        None,
        "no_personal_data",
    ),
    "extra_file_is_a_symlink": (_extra_symlink, "notes.csv", None, "file_is_regular"),
}


def _bom(folder: Path) -> None:
    path = folder / "learners.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())


def _crlf(folder: Path) -> None:
    for name in ("learners", "cte_courses"):
        rows = good_rows(int(folder.name))[name]
        (folder / f"{name}.csv").write_bytes(to_csv(rows, newline="\r\n").encode("utf-8"))


def _bool_spellings(folder: Path) -> None:
    spellings = ["TRUE", "Yes", "1", "n", "False", "NO", "y", "0", ""]

    def fn(rows):
        for k, r in enumerate(rows):
            r["is_economically_disadvantaged"] = spellings[k % len(spellings)]
            r["has_icap"] = spellings[(k + 3) % len(spellings)]
        return rows

    _edit("learners", fn)(folder)


def _excel_quoting(folder: Path) -> None:
    """Excel quotes every text cell with a comma or quote, and writes 2024 as 2024.0 at times."""
    rows = good_rows(int(folder.name))["pathways"]
    rows[0]["pathway_name"] = 'Health Science, Nursing and "Allied" Health'
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    (folder / "pathways.csv").write_bytes(b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"))
    _set("learners", 0, school_year="2024.0")(folder)


def _trailing_empty_columns(folder: Path) -> None:
    """Excel saves empty columns past the table as trailing commas, in the header too."""
    text = _text("pathways", int(folder.name))
    (folder / "pathways.csv").write_text(
        "".join(line + ",,\n" for line in text.splitlines()), encoding="utf-8"
    )


GOOD: dict[str, Callable[[Path], None]] = {
    "trailing_empty_columns": _trailing_empty_columns,
    "extra_file_without_personal_data": _extra_file("notes.csv", "topic,comment\nfiles,sent on time\n"),
    "bom": _bom,
    "crlf": _crlf,
    "boolean_spellings": _bool_spellings,
    "optional_column_left_out": _drop_column("learners", "has_icap"),
    "optional_column_blank": _add_column("credentials", "pathway_id", ""),
    "excel_quoting": _excel_quoting,
    "optional_file_left_out": _remove("stakeholder_survey"),
}


def make_variant(base: Path, target: Path, edit: Callable[[Path], None], year: int = 2024) -> Path:
    """Copy the good submission ``base`` (a ``<PID>`` folder) to ``target`` and apply ``edit`` to one year."""
    shutil.copytree(base, target)
    edit(target / str(year))
    return target
