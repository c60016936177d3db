"""The gate's first pass (``gate/screen.py``) must never let through what the suite refuses.

Differential: every variant of the bad-input corpus (and every good spelling) is validated twice,
once the fast way (the first pass, the suite only when it fails) and once with the first pass
switched off (the suite itself, always); the findings must be the same.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from bad_inputs import corpus
from pathways.gate import validate as gate_module
from pathways.gate import validate_submission
from pathways.gate.screen import int_range_regex, int_value_regex


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> Path:
    return corpus.write_good(tmp_path_factory.mktemp("screen") / "data")


def _findings(result) -> list[tuple]:
    return sorted((f.file, f.column or "", f.check, f.count, tuple(f.rows)) for f in result.failures)


@pytest.mark.parametrize("name", sorted(corpus.BAD) + sorted(corpus.GOOD))
def test_the_first_pass_finds_what_the_suite_finds(good, tmp_path, name, monkeypatch):
    edit = corpus.BAD[name][0] if name in corpus.BAD else corpus.GOOD[name]
    root = corpus.make_variant(good, tmp_path / "data" / corpus.PID, edit)
    fast = validate_submission(root / "2024", 2024, partnership_id=corpus.PID, history_dir=root)
    monkeypatch.setattr(gate_module, "_passes_screen", lambda *args: False)  # the suite itself, every file
    full = validate_submission(root / "2024", 2024, partnership_id=corpus.PID, history_dir=root)
    assert (fast.passed, _findings(fast)) == (full.passed, _findings(full))


@pytest.mark.parametrize(
    "low,high",
    [(0, 0), (0, 9), (1, 12), (9, 10), (0, 100), (17, 230), (1999, 2031), (0, 1000), (5, 5), (99, 1001)],
)
def test_a_range_regex_matches_exactly_the_numbers_of_its_range(low, high):
    pattern = re.compile(int_range_regex(low, high))
    for n in range(0, max(high * 2, 50) + 1):
        assert bool(pattern.fullmatch(str(n))) == (low <= n <= high), n
    if low > 0:
        assert not pattern.fullmatch(f"0{low}")  # no leading zeros in the plain form


def test_a_value_regex_takes_the_spellings_the_gate_takes_and_no_other():
    pattern = re.compile(int_value_regex(3, 120))
    rng = random.Random(7)
    for n in [rng.randrange(0, 400) for _ in range(300)] + [3, 120, 2, 121]:
        inside = 3 <= n <= 120
        for spelling in (str(n), f"+{n}", f"00{n}", f"{n}.0", f"{n}.000"):
            assert bool(pattern.fullmatch(spelling)) == inside, spelling
        assert not pattern.fullmatch(f"-{n}")  # "-0" only when the range starts at 0
    assert not pattern.fullmatch("12.5") and not pattern.fullmatch("1e2") and not pattern.fullmatch("")
