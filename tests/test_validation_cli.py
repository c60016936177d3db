"""``run_validate``: exit codes 0/1/2 and a clerk report without learner ids."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bad_inputs import corpus
from pathways.gate.command import run_validate


@pytest.fixture()
def setup(tmp_path: Path):
    data = tmp_path / "data"
    corpus.write_good(data)
    return data, corpus.write_registry(tmp_path / "registry.yml"), tmp_path / "out"


def test_pass_is_0_and_writes_results(setup, capsys) -> None:
    data, registry, out = setup
    assert (
        run_validate(corpus.PID, 2024, data_dir=data, registry_path=registry, out_dir=out, as_json=False) == 0
    )
    printed = capsys.readouterr()
    assert "passed" in printed.out
    assert "Calculating Metrics" not in printed.out + printed.err  # GX progress bars are off
    assert (out / "validation" / corpus.PID / "2024" / "result.json").is_file()
    assert (out / "validation" / corpus.PID / "2024" / "data_docs" / "index.html").is_file()
    assert (
        run_validate(corpus.PID, None, data_dir=data, registry_path=registry, out_dir=out, as_json=True) == 0
    )
    payload = json.loads(capsys.readouterr().out)
    assert payload["passed"] is True and set(payload["years"]) == {"2023", "2024"}


def test_refused_is_1_with_file_column_count_and_rows(setup, capsys) -> None:
    data, registry, out = setup
    corpus._set("cte_courses", 5, learner_id="L-0999")(data / corpus.PID / "2024")
    corpus._set("learners", 2, grade_level="13")(data / corpus.PID / "2024")
    assert (
        run_validate(corpus.PID, 2024, data_dir=data, registry_path=registry, out_dir=out, as_json=False) == 1
    )
    text = capsys.readouterr().out
    assert "learners.csv, column grade_level: 1 row" in text and "(row 4)" in text
    assert "cte_courses.csv, column learner_id: 1 row" in text and "(row 7)" in text
    assert "L-0999" not in text and "L-0" not in text
    assert (
        run_validate(corpus.PID, 2024, data_dir=data, registry_path=registry, out_dir=out, as_json=True) == 1
    )
    raw = capsys.readouterr().out
    payload = json.loads(raw)
    assert payload["passed"] is False and "L-0" not in raw
    assert {(f["file"], f["column"], f["count"]) for f in payload["failures"]} == {
        ("learners.csv", "grade_level", 1),
        ("cte_courses.csv", "learner_id", 1),
    }


def test_folder_target_for_a_data_clerk(setup, tmp_path: Path, capsys) -> None:
    data, registry, out = setup
    folder = tmp_path / "2024"
    shutil.copytree(data / corpus.PID / "2024", folder)
    assert (
        run_validate(str(folder), None, data_dir=data, registry_path=registry, out_dir=out, as_json=False)
        == 0
    )
    assert "not checked against earlier years" in capsys.readouterr().out
    other = tmp_path / "my-files"
    shutil.copytree(folder, other)
    assert (
        run_validate(str(other), 2024, data_dir=data, registry_path=registry, out_dir=out, as_json=False) == 0
    )
    assert (
        run_validate(str(other), None, data_dir=data, registry_path=registry, out_dir=out, as_json=False) == 2
    )


@pytest.mark.parametrize(
    "target, year",
    [("no-such-partnership", 2024), (corpus.PID, 1899), (corpus.PID, 2031), ("Not A Partnership!", None)],
)
def test_bad_arguments_are_2_without_traceback(setup, capsys, target, year) -> None:
    data, registry, out = setup
    assert run_validate(target, year, data_dir=data, registry_path=registry, out_dir=out, as_json=False) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "Traceback" not in err


# --------------------------------------------------------------------------- the command, run as a user runs it
# Each failure is one paragraph on stderr, exit 1 (refused) or 2 (could not run), never a traceback.

import ctypes  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402

_PR_CAPBSET_DROP, _CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH = 24, 1, 2


def _obey_file_permissions() -> None:
    """In the child: root ignores file permissions; drop the two capabilities that let it, so an
    unreadable file is unreadable (an ordinary user obeys them already)."""
    if os.geteuid() == 0:
        libc = ctypes.CDLL(None, use_errno=True)
        for cap in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
            if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
                raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def _pathways(
    *args: str,
    cwd: Path,
    env: dict | None = None,
    obey_permissions: bool = False,
    file_size_limit: int | None = None,
) -> subprocess.CompletedProcess:
    """Run the installed command as a user runs it (``file_size_limit``: a disk that takes no more)."""
    exe = Path(sys.executable).with_name("pathways")

    def before_exec() -> None:
        if obey_permissions:
            _obey_file_permissions()
        if file_size_limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))

    full_env = {**os.environ, "HOME": str(cwd), **(env or {})}
    return subprocess.run(
        [str(exe), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        env=full_env,
        preexec_fn=before_exec,
    )


def _one_paragraph(result: subprocess.CompletedProcess, code: int) -> str:
    """stderr of a failed run: ``error: ...``, one paragraph (a refusal carries the gate's whole report)."""
    assert result.returncode == code, result.stdout + result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr.startswith("error: ")
    assert code == 1 or "\n\n" not in result.stderr.strip()
    return result.stderr


@pytest.fixture()
def shared(tmp_path: Path):
    """A good submission and its registry; permissions restored afterwards so pytest can clean up."""
    root = tmp_path / "cli"
    data = root / "data"
    corpus.write_good(data)
    registry = corpus.write_registry(root / "registry.yml")
    yield root, data, registry
    for path in [root, *root.rglob("*")]:
        if not path.is_symlink():
            path.chmod(0o755 if path.is_dir() else 0o644)


def test_a_registry_path_that_is_a_folder_is_a_message(shared) -> None:
    root, data, _registry = shared
    err = _one_paragraph(
        _pathways("validate", corpus.PID, "2024", "--data", str(data), "--registry", str(data), cwd=root), 2
    )
    assert "the registry could not be read (it is a folder, not a file)" in err


def test_an_unreadable_registry_is_a_message(shared) -> None:
    root, data, registry = shared
    registry.chmod(0)
    result = _pathways(
        "indicators",
        corpus.PID,
        "2024",
        "--data",
        str(data),
        "--registry",
        str(registry),
        cwd=root,
        obey_permissions=True,
    )
    # The command line itself checks the option before any of our code runs: a usage error, exit 2.
    assert result.returncode == 2 and "Traceback" not in result.stdout + result.stderr
    assert "Invalid value for '--registry'" in result.stderr and "is not readable" in result.stderr


def test_an_unreadable_data_folder_is_a_message(shared) -> None:
    root, data, registry = shared
    (data / corpus.PID).chmod(0)
    err = _one_paragraph(
        _pathways(
            "validate",
            corpus.PID,
            "--data",
            str(data),
            "--registry",
            str(registry),
            cwd=root,
            obey_permissions=True,
        ),
        2,
    )
    assert f"could not list the folder {data / corpus.PID}: permission denied" in err


def test_an_unreadable_file_is_refused_by_name(shared) -> None:
    root, data, registry = shared
    out = root / "out"
    (data / corpus.PID / "2024" / "learners.csv").chmod(0)
    result = _pathways(
        "validate",
        corpus.PID,
        "2024",
        "--data",
        str(data),
        "--registry",
        str(registry),
        "--out",
        str(out),
        cwd=root,
        obey_permissions=True,
    )
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
    assert (
        "learners.csv: the file could not be read (permission denied); make it readable by the account that "
        "runs the gate."
    ) in result.stdout


def test_a_read_only_output_folder_is_a_message_after_the_result(shared) -> None:
    root, data, registry = shared
    out = root / "out"
    out.mkdir()
    out.chmod(0o555)
    result = _pathways(
        "validate",
        corpus.PID,
        "2024",
        "--data",
        str(data),
        "--registry",
        str(registry),
        "--out",
        str(out),
        cwd=root,
        obey_permissions=True,
    )
    err = _one_paragraph(result, 2)
    assert "passed the validation gate" in result.stdout
    assert "the validation ran, but its results could not be written to" in err
    assert "(permission denied)" in err or "(the file system is read-only)" in err


def test_a_full_output_folder_is_a_message(shared) -> None:
    root, data, registry = shared
    # A disk that takes no more than 1 KiB per file: result.json does not fit.
    result = _pathways(
        "validate",
        corpus.PID,
        "2024",
        "--data",
        str(data),
        "--registry",
        str(registry),
        "--out",
        str(root / "out"),
        cwd=root,
        file_size_limit=1024,
    )
    err = _one_paragraph(result, 2)
    assert "its results could not be written to" in err and "(the file would be too large)" in err


def test_an_output_path_that_is_a_file_is_a_message(shared) -> None:
    root, data, registry = shared
    (root / "out").write_text("not a folder")
    for args in (
        ("validate", corpus.PID, "2024", "--data", str(data), "--registry", str(registry)),
        ("templates",),
        ("demo-data", "--data", str(root / "out" / "demo"), "--partnership", "denver"),
    ):
        out = ("--out", str(root / "out")) if args[0] != "demo-data" else ()
        reg = (
            ("--registry", str(Path(__file__).resolve().parents[1] / "partnerships.yml"))
            if args[0] == "demo-data"
            else ()
        )
        err = _one_paragraph(_pathways(*args, *out, *reg, cwd=root), 2)
        assert (
            "part of the path is a file, not a folder" in err
            or "something else of that name is in the way" in err
        )


@pytest.mark.parametrize("year", ["２０２４", "٢٠٢٤"])
def test_unicode_digit_years_are_refused_by_every_verb(shared, year) -> None:
    root, data, registry = shared
    for verb in ("validate", "indicators"):
        err = _one_paragraph(
            _pathways(verb, corpus.PID, year, "--data", str(data), "--registry", str(registry), cwd=root), 2
        )
        assert f"year '{year}' is not valid: use a four-digit school year such as 2024" in err


def test_indicators_refuses_a_refused_submission_with_the_gates_message(shared) -> None:
    root, data, registry = shared
    corpus._set("learners", 2, grade_level="13")(data / corpus.PID / "2024")
    result = _pathways(
        "indicators", corpus.PID, "2024", "--data", str(data), "--registry", str(registry), cwd=root
    )
    err = _one_paragraph(result, 1)
    assert result.stdout == ""  # no table computed from refused data
    assert err.startswith(
        "error: The validation gate refused test-partnership 2024: learners.csv, column "
        "grade_level: 1 row has a value that is not a whole number from 6 to 12 (row 4)."
    )
    # an earlier refused year refuses the later one's indicators too
    corpus._set("learners", 2, grade_level="13")(data / corpus.PID / "2023")
    corpus._set("learners", 2, grade_level="9")(data / corpus.PID / "2024")
    err = _one_paragraph(
        _pathways(
            "indicators", corpus.PID, "2024", "--data", str(data), "--registry", str(registry), cwd=root
        ),
        1,
    )
    assert err.startswith("error: The validation gate refused test-partnership 2023:")


def test_a_damaged_gate_cache_entry_is_rebuilt_by_the_command(shared) -> None:
    root, data, registry = shared
    cache = root / "cache"
    env = {"PATHWAYS_GATE_CACHE": str(cache), "PATHWAYS_INDICATOR_CACHE": str(root / "indicators")}
    args = ("indicators", corpus.PID, "2024", "--data", str(data), "--registry", str(registry))
    first = _pathways(*args, cwd=root, env=env)
    assert first.returncode == 0, first.stderr
    for entry in cache.glob("gate-*.json"):
        entry.write_text('{"format": "pathways-gate-result/1", "result": {"passed": tru')
    again = _pathways(*args, cwd=root, env=env)
    assert again.returncode == 0 and "Traceback" not in again.stderr, again.stderr
    assert again.stdout == first.stdout
    assert all(json.loads(p.read_text())["result"]["passed"] for p in cache.glob("gate-*.json"))
