import pytest

from pathways.io.markdown import md_escape
from pathways.io.paths import UnsafeInputError, check_partnership_id, check_year, submission_dir


@pytest.mark.parametrize("bad", ["../etc", "a/b", "", "UPPER", "x" * 41, "a b", "..", "denver\n"])
def test_partnership_ids_that_could_escape_are_refused(bad):
    with pytest.raises(UnsafeInputError):
        check_partnership_id(bad)


@pytest.mark.parametrize("bad", ["../2024", "24", "20245", "1999", "abcd", "2024/.."])
def test_years_must_be_four_digits(bad):
    with pytest.raises(UnsafeInputError):
        check_year(bad)


def test_submission_dir(tmp_path):
    assert submission_dir(tmp_path, "san-luis-valley", "2024") == tmp_path / "san-luis-valley" / "2024"


def test_md_escape_makes_markup_inert():
    escaped = md_escape("<script>alert(1)</script> {eval-rst}`x` [a](b) **c**")
    assert "<" not in escaped.replace("\\<", "")
    assert "`" not in escaped.replace("\\`", "")
    assert "{" not in escaped.replace("\\{", "")
