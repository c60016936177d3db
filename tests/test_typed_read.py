"""Each file read once per process: what the gate read, the engine and later gates reuse, and
nothing stale is ever served."""

from __future__ import annotations

import os
import shutil

import pandas as pd
import pytest

from pathways.demo import write_demo_data
from pathways.gate import validate
from pathways.gate.validate import _earlier_values, _key_column, validate_submission
from pathways.io import submission
from pathways.io.dictionary import load_dictionary
from pathways.io.submission import Submissions, coerce, read_raw


@pytest.fixture()
def data(tmp_path, registry):
    write_demo_data(tmp_path, registry, seed=3, scale=0.05, partnerships=["denver"], years=[2022, 2023])
    submission.forget()
    yield tmp_path
    submission.forget()


@pytest.fixture()
def reads(monkeypatch):
    """The paths read_raw opens, in order."""
    opened = []
    real = submission.read_raw

    def counting(path, spec):
        opened.append(path.name if hasattr(path, "name") else str(path))
        return real(path, spec)

    monkeypatch.setattr(submission, "read_raw", counting)
    monkeypatch.setattr(validate, "read_raw", counting)
    return opened


def test_gate_then_engine_reads_each_file_once(data, reads):
    for year in (2022, 2023):
        assert validate_submission(data / "denver" / str(year), year, history_dir=data / "denver").passed
    gated = len(reads)
    files = sorted((data / "denver").glob("*/*.csv"))
    assert gated == len(files)  # 2022's files are not read again for 2023's cross-year checks

    subs = Submissions(data, "denver", 2023)
    assert len(reads) == gated  # the engine took every frame from memory
    learners = data / "denver" / "2023" / "learners.csv"
    expected = coerce(read_raw(learners, load_dictionary().file("learners")))  # the uncounted reader
    pd.testing.assert_frame_equal(subs.tables[2023]["learners"], expected)


def test_a_file_saved_again_is_read_again(data, reads):
    path = data / "denver" / "2023" / "learners.csv"
    spec = load_dictionary().file("learners")
    original = path.stat()
    before = submission.read_typed(path, spec)
    assert submission.read_typed(path, spec) is before and len(reads) == 1

    text = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(text[:-1]), encoding="utf-8")  # one learner fewer
    after = submission.read_typed(path, spec)
    assert len(reads) == 2 and len(after.frame) == len(before.frame) - 1

    # Saved back with the first size and modification time: only the change time tells.
    path.write_text("".join(text), encoding="utf-8")
    os.utime(path, ns=(original.st_atime_ns, original.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (original.st_size, original.st_mtime_ns)
    again = submission.read_typed(path, spec)
    assert len(reads) == 3 and again is not before


def test_only_one_partnership_folder_is_kept(data, tmp_path_factory):
    other = tmp_path_factory.mktemp("other")
    shutil.copytree(data / "denver", other / "aurora")
    spec = load_dictionary().file("learners")
    first = submission.read_typed(data / "denver" / "2023" / "learners.csv", spec)
    submission.read_typed(other / "aurora" / "2023" / "learners.csv", spec)
    again = submission.read_typed(data / "denver" / "2023" / "learners.csv", spec)
    assert again is not first  # the first partnership's frames were let go
    pd.testing.assert_frame_equal(again.frame, first.frame)


def test_earlier_keys_from_typed_read_equal_the_text_read(data):
    dictionary = load_dictionary()
    for file, column, where in [
        ("learners", "learner_id", None),
        (
            "hs_outcomes",
            "learner_id",
            ("exit_type", ("graduated_regular_diploma", "graduated_advanced_diploma")),
        ),
    ]:
        spec = dictionary.file(file)
        path = data / "denver" / "2022" / spec.filename
        st = path.stat()
        typed = _earlier_values(path, spec, column, where)
        text = _key_column(str(path), st.st_size, st.st_mtime_ns, column, where)
        assert len(typed) > 0
        assert typed.dtype == text.dtype
        assert list(typed) == list(text)


def test_filled_columns_match_the_text(data):
    spec = load_dictionary().file("learners")
    path = data / "denver" / "2023" / spec.filename
    raw = read_raw(path, spec)
    text_filled = {c for c in spec.column_names if c in raw.frame and (raw.frame[c] != "").any()}
    assert submission.typed(raw).filled == text_filled
