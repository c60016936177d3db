"""`make bench`'s script runs: a smoke run of target 1 on a small partnership-year (never timed here:
speed is measured by the benchmarks, not asserted by tests)."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from pathlib import Path


def test_the_benchmark_script_measures_target_one_beside_its_floor(repo, tmp_path):
    proc = subprocess.run(
        [
            sys.executable,
            str(repo / "benchmarks" / "run_benchmarks.py"),
            "--quick",
            "--only",
            "scale",
            "--sizes",
            "1500",
            "--results",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        cwd=repo,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "| target | measured | floor | ratio | met/missed |" in proc.stdout
    results = json.loads((tmp_path / "quick.json").read_text(encoding="utf-8"))
    row = results["scale_targets"]["1500"]
    assert row["files"] > 0 and row["arrow_floor"]["files"] == row["files"]
    assert len(row["arrow_floor"]["parses_s"]) == 3
    # The profile goes where the results go (never into the repository from a test run).
    profile = Path(row["profile"])
    assert profile.parent == tmp_path and profile.read_text(encoding="utf-8").strip()
    both = row["gate+indicators"]
    assert both["gate_s"] > 0 and both["indicators_s"] > 0 and both["peak_mb"] > 0
    targets = {t["target"]: t for t in results["targets"]}
    assert len(targets) == 3 and all(t["floor"] > 0 and isinstance(t["met"], bool) for t in targets.values())
    # A missed target says by how much and where the time went, from this run's numbers and profile.
    parts = row["profile_parts"]
    assert parts["gate"]["s"] > 0 and parts["indicators"]["s"] > 0 and parts["importing GX"]["s"] > 0
    missed = [t for t in results["targets"] if not t["met"]]
    assert len(results["why_missed"]) == len(missed)
    for line in results["why_missed"]:
        assert line.startswith("target 1 missed by ") and line in proc.stdout
    if missed and missed[0]["unit"] == "s":
        assert f"imports {statistics.median([both['imports_s']]):.2f} s" in results["why_missed"][0]
        assert str(profile) in results["why_missed"][0]


def test_a_missed_target_is_missed_by_its_ratio_over_its_limit():
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from run_benchmarks import missed_by

    assert missed_by({"ratio": 28.5, "limit": "<= 10x", "unit": "s", "measured": 25.5}) == 2.85
    assert round(missed_by({"ratio": 1.5, "limit": ">= 1.8x", "unit": "s", "measured": 20.0}), 3) == 1.2
    assert round(missed_by({"ratio": 2.0, "limit": "< 3 GB", "unit": "GB", "measured": 3.3}), 3) == 1.1
