"""`pathways run` never loses the last good state (issue 17, item 4).

One run at a time per output folder (a clear message for the second; a stale lock of a dead
process taken over), a damaged manifest refused rather than guessed, and a failed rerun that
leaves the previous good output, export and manifest entry in place and says so. The notebook
is a once-notebook dropped into its own folder, so no learner data is needed.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from drops import write_notebook
from pathways.pipeline.runlock import LOCK_NAME, folder_lock

pytestmark = pytest.mark.slow
FAIL_FLAG = "FAIL-NOW"


def _pathways(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("pathways")
    return subprocess.run([str(exe), *args], cwd=cwd, capture_output=True, text=True, timeout=600)


@pytest.fixture
def project(tmp_path, repo):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    write_notebook(
        notebooks,
        "tally",
        [
            ("markdown", "# A tally", []),
            ("code", "output_dir = None", ["parameters"]),
            (
                "code",
                "import pathlib\n\n"
                f"if pathlib.Path({str(tmp_path / FAIL_FLAG)!r}).exists():\n"
                "    raise RuntimeError('asked to fail')\n"
                "print('TALLY-OK')",
                [],
            ),
        ],
    )
    (tmp_path / "data").mkdir()
    out = tmp_path / "reports"
    args = (
        "run",
        "--data",
        str(tmp_path / "data"),
        "--out",
        str(out),
        "--registry",
        str(repo / "partnerships.yml"),
        "--notebooks",
        str(notebooks),
    )
    return tmp_path, out, args


def _no_traceback(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in result.stdout + result.stderr


def test_a_second_run_on_a_busy_folder_is_a_message_and_changes_nothing(project):
    root, out, args = project
    with folder_lock(out, "run"):  # this test process is the running pathways command
        result = _pathways(*args, cwd=root)
    assert result.returncode != 0
    _no_traceback(result)
    assert f"another `pathways run` (process {os.getpid()}" in result.stderr
    assert (
        f"is using the output folder {out}; wait for it to finish and run again. Nothing was changed."
        in result.stderr
    )
    assert not (out / "runs" / "manifest.json").exists()


def test_a_stale_lock_of_a_dead_process_is_taken_over(project):
    root, out, args = project
    out.mkdir(parents=True)
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    (out / LOCK_NAME).write_text(
        json.dumps(
            {
                "host": socket.gethostname(),
                "pid": int(dead.stdout),
                "started": 0.0,
                "token": "x",
                "command": "run",
            }
        ),
        encoding="utf-8",
    )
    result = _pathways(*args, cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "taking it over" in result.stderr
    assert not (out / LOCK_NAME).exists()  # released at the end


def test_a_failed_rerun_keeps_the_previous_good_output_and_says_so(project):
    root, out, args = project
    first = _pathways(*args, cwd=root)
    assert first.returncode == 0, first.stdout + first.stderr
    manifest = out / "runs" / "manifest.json"
    before = json.loads(manifest.read_text(encoding="utf-8"))["jobs"]
    (key,) = before
    executed = next((out / "runs").rglob("tally.ipynb"))
    good = executed.read_bytes()
    assert b"TALLY-OK" in good

    (root / FAIL_FLAG).write_text("", encoding="utf-8")
    again = _pathways(*args, "--force", cwd=root)
    assert again.returncode == 1
    _no_traceback(again)
    assert "kept the previous good output" in again.stdout
    assert executed.read_bytes() == good  # the page the book shows is still the good one
    after = json.loads(manifest.read_text(encoding="utf-8"))["jobs"][key]
    assert (
        after["status"] == "ok" and after["finished_at"] == before[key]["finished_at"]
    )  # still the good run
    assert after["input_hash"] == before[key]["input_hash"]
    assert after["last_failure"]["status"] == "failed" and "asked to fail" in after["last_failure"]["reason"]


def test_a_damaged_manifest_is_refused_not_guessed(project):
    root, out, args = project
    assert _pathways(*args, cwd=root).returncode == 0
    manifest = out / "runs" / "manifest.json"
    manifest.write_text('{"format": 2, "jobs": {', encoding="utf-8")  # cut short
    result = _pathways(*args, cwd=root)
    assert result.returncode in (1, 2)
    _no_traceback(result)
    assert "manifest" in result.stderr and "damaged" in result.stderr
    assert manifest.read_text(encoding="utf-8") == '{"format": 2, "jobs": {'  # left for the user to look at
