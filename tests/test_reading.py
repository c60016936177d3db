"""The fast CSV reader (Arrow) gives exactly the cells the reference reader (pandas) gives."""

from __future__ import annotations

import codecs
import multiprocessing
import os

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pathways.io import submission
from pathways.io.dictionary import load_dictionary
from pathways.io.submission import (
    _parse_text_cells_pandas,
    _record_rows,
    parse_text_cells,
    read_raw,
    to_number,
)

TRICKY = {
    "plain": "a,b,c\n1,2,3\n4,5,6\n",
    "no final newline": "a,b,c\n1,2,3\n4,5,6",
    "crlf": "a,b,c\r\n1,2,3\r\n4,5,6\r\n",
    "blank lines": "a,b,c\n1,2,3\n\n\n4,5,6\n\n",
    "crlf blank lines": "a,b,c\r\n1,2,3\r\n\r\n4,5,6\r\n",
    "excel quoting": 'a,b,c\n"x, y","say ""hi""",3\n',
    "newline in quotes": 'a,b,c\n"two\nlines",2,3\n',
    "spaces and blanks": "a,b,c\n  1 , ,3  \n,,\n",
    "unicode and nbsp": "a,b,c\nJosé,\u00a0x\u00a0,Ñandú\n",
    "formula-like": 'a,b,c\n=1+2,+3,-4\n@x,\',""\n',
}


@pytest.mark.parametrize("text", TRICKY.values(), ids=TRICKY.keys())
def test_arrow_reader_matches_pandas(tmp_path, text):
    headers = text.split("\n", 1)[0].strip().split(",")
    fast = parse_text_cells(text.encode("utf-8"), len(headers))
    reference = _parse_text_cells_pandas(tmp_path / "x.csv", text, headers)
    fast.columns = reference.columns
    pd.testing.assert_frame_equal(fast, reference)


cell = st.text(alphabet=st.sampled_from(list('ab ,"\n\u00e9\u00a01-.')), max_size=6)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(cell, cell, cell), min_size=1, max_size=6), st.sampled_from(["\n", "\r\n"]))
def test_arrow_reader_matches_pandas_on_quoted_random_cells(rows, newline):
    def quote(value: str) -> str:
        return '"' + value.replace('"', '""') + '"'

    text = newline.join(["a,b,c", *(",".join(quote(v) for v in row) for row in rows)]) + newline
    fast = parse_text_cells(text.encode("utf-8"), 3)
    reference = _parse_text_cells_pandas(None, text, ["a", "b", "c"])
    fast.columns = reference.columns
    pd.testing.assert_frame_equal(fast, reference)


def test_read_raw_on_the_demo_matches_the_reference_reader(demo_data_small):
    by_filename = {spec.filename: spec for spec in load_dictionary().files.values()}
    checked = 0
    for path in sorted(demo_data_small.glob("*/2024/*.csv")):
        raw = read_raw(path, by_filename[path.name])
        text = path.read_bytes().decode("utf-8-sig")
        headers = [h.strip() for h in text.split("\n", 1)[0].split(",")]
        reference = _parse_text_cells_pandas(path, text, headers)
        reference.columns = raw.frame.columns
        pd.testing.assert_frame_equal(raw.frame, reference)
        checked += 1
    assert checked >= 30  # every file of the three partnerships


def test_a_line_of_spaces_falls_back_to_the_reference_reader(tmp_path):
    spec = load_dictionary().file("pathways")
    header = ",".join(spec.column_names)
    row = ",".join("x" for _ in spec.column_names)
    path = tmp_path / spec.filename
    path.write_bytes(codecs.BOM_UTF8 + f"{header}\n{row}\n   \n{row}\n".encode())
    raw = read_raw(path, spec)
    assert len(raw.frame) >= 2


def test_to_number_takes_the_slow_path_for_a_bad_value():
    values = to_number(pd.Series(["1", "2.0", "x", None], dtype="str"))
    assert values.iloc[:2].tolist() == [1.0, 2.0]
    assert values.iloc[2:].isna().all()


def test_to_number_reads_what_python_reads():
    spellings = ["+3", "1e3", ".5", "2024.0", "-0", "5.", "1E-2", "+.5e+2", "007", None]
    values = to_number(pd.Series(spellings, dtype="str"))
    assert values.iloc[:-1].tolist() == [float(v) for v in spellings[:-1]]
    assert pd.isna(values.iloc[-1])


@pytest.mark.parametrize(
    ("text", "rows"),
    [
        ("a,b\n1,2\n3,4\n", None),
        ('a,b\n"two\nlines",2\n3,4\n', None),  # a line break inside quotes stays one row
        ("a,b\n1,2\n3,4\n\n\n", None),  # trailing blank lines move no record
        ("a,b\n1,2\n\n3,4\n", [2, 4]),
        ('a,b\n"two\nlines",2\n \t\r\n3,4\n', [2, 4]),
        ("a,b\r\n\r\n1,2\r\n,\r\n3,4", [3, 4, 5]),  # a row of empty cells is a record
    ],
)
def test_record_rows_count_blank_lines_like_a_spreadsheet(tmp_path, text, rows):
    headers = text.split("\n", 1)[0].strip().split(",")
    # pandas' reader, which read_raw falls back to for the line of spaces Arrow refuses
    records = len(_parse_text_cells_pandas(tmp_path / "x.csv", text, headers))
    found = _record_rows(text, records)
    assert (None if found is None else found.tolist()) == rows


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is POSIX only")
def test_a_forked_process_reads_after_its_parent_did(monkeypatch):
    # A large file's columns are trimmed on a thread pool; a forked child has none of its
    # parent's threads and must start its own pool, not wait forever on the parent's.
    monkeypatch.setattr(submission, "ROWS_FOR_THREADS", 0)  # the pool for this small file too
    text = b"a,b\n x ,y\n"
    assert parse_text_cells(text, 2).iloc[0].tolist() == ["x", "y"]  # the parent's pool exists now
    context = multiprocessing.get_context("fork")
    with context.Pool(1) as pool:
        cells = pool.apply_async(_first_row, (text,)).get(timeout=30)
    assert cells == ["x", "y"]


def _first_row(text: bytes) -> list[str]:
    return parse_text_cells(text, 2).iloc[0].tolist()
