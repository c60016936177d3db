"""The data templates and the dictionary stay in step with each other and with the contract."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from pathways.book.data_templates import WORKBOOK_NAME, expected_files, write_templates
from pathways.io.dictionary import load_dictionary
from pathways.io.submission import coerce, read_raw

SHARED_CONTRACT = Path(__file__).resolve().parents[2] / "shared" / "design" / "data-contract.md"
# A copy kept in the repository, so the check runs on any clone (CI included).
CONTRACT = Path(__file__).resolve().parents[1] / "docs" / "design" / "data-contract.md"


def test_committed_templates_match_the_dictionary(repo):
    committed = repo / "data_templates"
    stale = [
        name
        for name, content in expected_files().items()
        if not (committed / name).is_file() or (committed / name).read_bytes() != content
    ]
    assert not stale, f"data_templates/ drifted from the data dictionary: {stale}; run `pathways templates`"


def test_generation_is_byte_stable(tmp_path):
    first = {p.name: p.read_bytes() for p in write_templates(tmp_path / "a")}
    second = {p.name: p.read_bytes() for p in write_templates(tmp_path / "b")}
    assert first == second


def test_example_rows_pass_the_reader(repo):
    for spec in load_dictionary().files.values():
        table = coerce(read_raw(repo / "data_templates" / spec.filename, spec))
        assert list(table.columns) == spec.column_names
        assert len(table) == 3


def test_workbook_has_a_sheet_per_file_dropdowns_and_a_dictionary(repo):
    wb = load_workbook(repo / "data_templates" / WORKBOOK_NAME)
    dictionary = load_dictionary()
    assert wb.sheetnames == [*dictionary.files, "dictionary"]
    learners = wb["learners"]
    assert [c.value for c in learners[1]] == dictionary.file("learners").column_names
    lists = {
        str(dv.sqref).split(":")[0].rstrip("0123456789"): dv.formula1
        for dv in learners.data_validations.dataValidation
    }
    sex_letter = "ABCDEFGHIJK"[dictionary.file("learners").column_names.index("sex")]
    assert lists[sex_letter] == '"female,male,nonbinary,unknown"'
    rows = list(wb["dictionary"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == sum(len(s.columns) for s in dictionary.files.values())


def test_readme_documents_every_column(repo):
    text = (repo / "data_templates" / "README.md").read_text("utf-8")
    for spec in load_dictionary().files.values():
        assert f"## {spec.filename}" in text
        for column in spec.columns:
            assert f"| `{column.name}` |" in text


def _contract_columns(text: str) -> dict[str, list[str]]:
    """Column names of every file table in data-contract.md."""
    out: dict[str, list[str]] = {}
    for section in re.split(r"^### ", text, flags=re.M)[1:]:
        name = section.split(".csv", 1)[0].strip()
        rows = [
            line for line in section.splitlines() if line.startswith("| ") and not line.startswith("| column")
        ]
        columns: list[str] = []
        for row in rows:
            first = row.split("|")[1].strip()
            columns += [c.strip() for c in first.split(",")]
        out[name] = columns
    return out


@pytest.mark.skipif(
    not SHARED_CONTRACT.is_file(), reason="shared/design/data-contract.md is not beside this checkout"
)
def test_the_repository_copy_of_the_contract_is_current():
    assert CONTRACT.read_text("utf-8") == SHARED_CONTRACT.read_text("utf-8")


def test_dictionary_has_the_contract_columns_unrenamed():
    contract = _contract_columns(CONTRACT.read_text("utf-8"))
    dictionary = load_dictionary()
    assert set(contract) == set(dictionary.files)
    for name, columns in contract.items():
        assert dictionary.file(name).column_names[: len(columns)] == columns, name


@pytest.mark.parametrize("name", ["data_dictionary.yml", "indicator_catalogue.yml"])
def test_the_fast_yaml_parser_reads_the_packaged_files_as_the_reference_parser_does(name):
    import yaml

    from pathways.io.resources import packaged_yaml

    assert packaged_yaml(name) == packaged_yaml(name, loader=yaml.SafeLoader)
