"""``run_validate``: exit codes 0/1/2 and a clerk report without learner ids."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bad_inputs import corpus
from pathways.validation.command import run_validate


@pytest.fixture()
def setup(tmp_path: Path):
    data = tmp_path / "data"
    corpus.write_good(data)
    return data, corpus.write_registry(tmp_path / "registry.yml"), tmp_path / "out"


def test_pass_is_0_and_writes_results(setup, capsys) -> None:
    data, registry, out = setup
    assert run_validate(corpus.PID, 2024, data_dir=data, registry_path=registry, out_dir=out, as_json=False) == 0
    printed = capsys.readouterr()
    assert "passed" in printed.out
    assert "Calculating Metrics" not in printed.out + printed.err  # GX progress bars are off
    assert (out / "validation" / corpus.PID / "2024" / "result.json").is_file()
    assert (out / "validation" / corpus.PID / "2024" / "data_docs" / "index.html").is_file()
    assert run_validate(corpus.PID, None, data_dir=data, registry_path=registry, out_dir=out, as_json=True) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["passed"] is True and set(payload["years"]) == {"2023", "2024"}


def test_refused_is_1_with_file_column_count_and_rows(setup, capsys) -> None:
    data, registry, out = setup
    corpus._set("cte_courses", 5, learner_id="L-0999")(data / corpus.PID / "2024")
    corpus._set("learners", 2, grade_level="13")(data / corpus.PID / "2024")
    assert run_validate(corpus.PID, 2024, data_dir=data, registry_path=registry, out_dir=out, as_json=False) == 1
    text = capsys.readouterr().out
    assert "learners.csv, column grade_level: 1 row" in text and "(row 4)" in text
    assert "cte_courses.csv, column learner_id: 1 row" in text and "(row 7)" in text
    assert "L-0999" not in text and "L-0" not in text
    assert run_validate(corpus.PID, 2024, data_dir=data, registry_path=registry, out_dir=out, as_json=True) == 1
    raw = capsys.readouterr().out
    payload = json.loads(raw)
    assert payload["passed"] is False and "L-0" not in raw
    assert {(f["file"], f["column"], f["count"]) for f in payload["failures"]} == {
        ("learners.csv", "grade_level", 1), ("cte_courses.csv", "learner_id", 1)}


def test_folder_target_for_a_data_clerk(setup, tmp_path: Path, capsys) -> None:
    data, registry, out = setup
    folder = tmp_path / "2024"
    shutil.copytree(data / corpus.PID / "2024", folder)
    assert run_validate(str(folder), None, data_dir=data, registry_path=registry, out_dir=out, as_json=False) == 0
    assert "not checked against earlier years" in capsys.readouterr().out
    other = tmp_path / "my-files"
    shutil.copytree(folder, other)
    assert run_validate(str(other), 2024, data_dir=data, registry_path=registry, out_dir=out, as_json=False) == 0
    assert run_validate(str(other), None, data_dir=data, registry_path=registry, out_dir=out, as_json=False) == 2


@pytest.mark.parametrize("target, year", [("no-such-partnership", 2024), (corpus.PID, 1899), (corpus.PID, 2031),
                                          ("Not A Partnership!", None)])
def test_bad_arguments_are_2_without_traceback(setup, capsys, target, year) -> None:
    data, registry, out = setup
    assert run_validate(target, year, data_dir=data, registry_path=registry, out_dir=out, as_json=False) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "Traceback" not in err
