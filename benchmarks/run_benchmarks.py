"""Benchmarks of the gate, the indicators, the notebooks and the orchestration (``make bench``).

Each measurement runs in a fresh Python process, so its peak memory (max RSS) is its own,
and is repeated; the median is reported. Results go to ``benchmarks/results/latest.json``
and the table printed at the end is what BENCHMARKS.md records.

    python benchmarks/run_benchmarks.py                 # everything (about 30-40 minutes)
    python benchmarks/run_benchmarks.py --quick         # small sizes, one repeat (a smoke test)
    python benchmarks/run_benchmarks.py --only scale    # just the 10k/100k/1M measurements
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results"
BIN = Path(sys.executable).parent
# The demo's denver has about 15,000 learners (grades 6-12) a year at scale 1.
DENVER_LEARNERS_AT_SCALE_1 = 15_000
# Years generated for the scaled partnership-year: enough history for concentrators,
# cohorts and outcomes after high school, as a real report reads.
SCALED_YEARS = range(2021, 2025)
REPORT_YEAR = 2024


# ---------------------------------------------------------------- child measurements
def _child(kind: str, data: str, out: str) -> None:
    """One measurement in this (fresh) process; prints seconds and peak memory as JSON."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    from pathways.io.registry import load_registry

    registry = load_registry(REPO / "partnerships.yml")
    start = time.perf_counter()
    if kind == "validate":
        from pathways.gate import validate_submission

        result = validate_submission(
            Path(data) / "denver" / str(REPORT_YEAR),
            REPORT_YEAR,
            partnership_id="denver",
            history_dir=Path(data) / "denver",
        )
        assert result.passed, result.render_text()
    elif kind == "indicators":
        from pathways.indicators import compute_export

        compute_export(Path(data), registry, "denver", REPORT_YEAR)
    elif kind == "indicators-year":
        # Year Y alone (no trend columns): reads every year's files, computes only Y.
        from pathways.indicators import compute_year
        from pathways.io.submission import Submissions

        subs = Submissions(Path(data), "denver", REPORT_YEAR)
        compute_year(subs.history(REPORT_YEAR), registry.get("denver"), registry.min_cell_size)
    elif kind == "floor":
        _kernel_floor()
    else:
        raise SystemExit(f"unknown measurement {kind}")
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb}))


def _kernel_floor() -> None:
    """Start a kernel and import what the report notebook imports: the cost no notebook avoids."""
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="python3")
    try:
        kc.execute_interactive(
            "import pathways.report.context, pathways.indicators, pathways.gate, seaborn, statsmodels.api",
            timeout=300,
        )
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def measure(kind: str, data: Path | None = None, out: Path | None = None, repeats: int = 3) -> dict:
    runs = []
    for _ in range(repeats):
        proc = subprocess.run(
            [sys.executable, __file__, "--child", kind, "--data", str(data or ""), "--out", str(out or "")],
            capture_output=True,
            text=True,
            cwd=REPO,
        )
        if proc.returncode != 0:
            raise SystemExit(f"measurement {kind} failed:\n{proc.stdout}\n{proc.stderr}")
        runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    return {
        "median_s": statistics.median(r["seconds"] for r in runs),
        "runs_s": [round(r["seconds"], 2) for r in runs],
        "peak_mb": max(r["peak_mb"] for r in runs),
    }


def timed_cli(args: list[str], repeats: int = 1, before=None) -> dict:
    """Wall time of a ``pathways`` command (median of ``repeats``), with ``before()`` run untimed first."""
    times = []
    for _ in range(repeats):
        if before:
            before()
        start = time.perf_counter()
        proc = subprocess.run([str(BIN / "pathways"), *args], capture_output=True, text=True, cwd=REPO)
        times.append(time.perf_counter() - start)
        if proc.returncode != 0:
            raise SystemExit(
                f"pathways {' '.join(args)} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
            )
    return {"median_s": statistics.median(times), "runs_s": [round(t, 2) for t in times]}


# ---------------------------------------------------------------- the suites
def scale_suite(work: Path, sizes: list[int], repeats: int) -> dict:
    from pathways.demo import write_demo_data
    from pathways.io.registry import load_registry

    registry = load_registry(REPO / "partnerships.yml")
    out: dict = {}
    for n in sizes:
        data = work / f"scale-{n}"
        start = time.perf_counter()
        write_demo_data(
            data,
            registry,
            seed=11,
            scale=n / DENVER_LEARNERS_AT_SCALE_1,
            partnerships=["denver"],
            years=SCALED_YEARS,
        )
        generated_s = time.perf_counter() - start
        with open(data / "denver" / str(REPORT_YEAR) / "learners.csv", "rb") as fh:
            learners = sum(1 for _ in fh) - 1
        row = {
            "learners": learners,
            "generate_s": round(generated_s, 1),
            "data_mb": round(sum(p.stat().st_size for p in data.rglob("*.csv")) / 1e6, 1),
        }
        row["validate"] = measure("validate", data, repeats=repeats)
        row["indicators"] = measure("indicators", data, repeats=repeats)
        row["indicators_year_only"] = measure("indicators-year", data, repeats=repeats)
        row["validate+indicators_s"] = round(row["validate"]["median_s"] + row["indicators"]["median_s"], 2)
        row["validate+indicators_year_only_s"] = round(
            row["validate"]["median_s"] + row["indicators_year_only"]["median_s"], 2
        )
        notebook_out = work / f"nb-{n}"
        row["report_notebook"] = timed_cli(
            [
                "run",
                "--data",
                str(data),
                "--out",
                str(notebook_out),
                "--partnership",
                "denver",
                "--year",
                str(REPORT_YEAR),
                "--force",
                "--workers",
                "1",
            ],
            repeats=repeats,
        )
        out[str(n)] = row
        print(f"  {n:>9,} learners: {json.dumps(row)}", flush=True)
        shutil.rmtree(notebook_out, ignore_errors=True)
        if n >= 1_000_000:
            shutil.rmtree(data, ignore_errors=True)
    return out


def orchestration_suite(work: Path, repeats: int) -> dict:
    data, out = work / "demo", work / "out"
    subprocess.run(
        [str(BIN / "pathways"), "demo-data", "--data", str(data)], check=True, cwd=REPO, capture_output=True
    )
    n_reports = sum(1 for p in data.glob("*/*") if p.is_dir())
    n_years = len({p.name for p in data.glob("*/*") if p.is_dir()})
    notebooks = n_reports + n_years
    cores = os.cpu_count() or 1
    results: dict = {"notebooks": notebooks, "cores": cores}

    def fresh():
        shutil.rmtree(out, ignore_errors=True)

    base = ["run", "--data", str(data), "--out", str(out)]
    results["full_run_all_cores"] = timed_cli([*base, "--workers", str(cores)], repeats=repeats, before=fresh)
    results["no_change_run"] = timed_cli(base, repeats=max(3, repeats))
    changed = data / "aurora" / "2024" / "employer_activity.csv"
    original = changed.read_bytes()

    def touch_one():
        # Same records, CRLF line ends: new bytes, so exactly one report (and its year's overview) reruns.
        text = original.decode("utf-8")
        flip = text.replace("\r\n", "\n") if "\r\n" in text else text.replace("\n", "\r\n")
        current = changed.read_bytes().decode("utf-8")
        changed.write_bytes((flip if current == text else text).encode("utf-8"))

    results["one_changed_run"] = timed_cli(base, repeats=repeats, before=touch_one)
    results["one_notebook_alone"] = timed_cli(
        [*base, "--partnership", "aurora", "--year", "2024", "--force", "--workers", "1"], repeats=repeats
    )
    results["kernel_floor_one"] = measure("floor", repeats=max(2, repeats))
    floor_one = results["kernel_floor_one"]["median_s"]
    results["floor_full_run_s"] = floor_one * notebooks / min(cores, notebooks)
    # Workers and Jupyter Book's own execution, on one partnership's six reports (time allows
    # no more on this machine): papermill with all cores, with one, and `execute_notebooks: force`.
    slv = [*base, "--partnership", "san-luis-valley", "--force"]
    results["slv_reports_all_cores"] = timed_cli([*slv, "--workers", str(cores)])
    results["slv_reports_1_worker"] = timed_cli([*slv, "--workers", "1"])
    results["jupyter_book_force_slv"] = _jupyter_book_force(work, data, "san-luis-valley")
    return results


def _jupyter_book_force(work: Path, data: Path, partnership: str) -> dict:
    """The same report notebooks executed by Jupyter Book itself (``execute_notebooks: force``)."""
    import nbformat
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    book = work / "jb-force"
    shutil.rmtree(book, ignore_errors=True)
    (book / "nb").mkdir(parents=True)
    chapters = []
    for folder in sorted(data.glob(f"{partnership}/*")):
        pid, year = folder.parent.name, folder.name
        name = f"{pid}-{year}.ipynb"
        # Only inject the parameters; Jupyter Book does the executing.
        nb = load_notebook_node(str(REPO / "notebooks" / "partnership_report.ipynb"))
        nb = parameterize_notebook(
            nb,
            {
                "partnership": pid,
                "year": int(year),
                "data_dir": str(data),
                "registry": str(REPO / "partnerships.yml"),
                "output_dir": str(book / "out" / pid / year),
            },
        )
        nbformat.write(nb, book / "nb" / name)
        chapters.append(f"  - file: nb/{pid}-{year}")
    (book / "index.md").write_text("# Benchmark\n", encoding="utf-8")
    (book / "_toc.yml").write_text(
        "format: jb-book\nroot: index\nchapters:\n" + "\n".join(chapters) + "\n", encoding="utf-8"
    )
    (book / "_config.yml").write_text(
        "title: bench\nexecute:\n  execute_notebooks: force\n  timeout: 1800\n", encoding="utf-8"
    )
    start = time.perf_counter()
    proc = subprocess.run(
        [str(BIN / "jupyter-book"), "build", str(book), "--builder", "html"],
        capture_output=True,
        text=True,
        cwd=book,
    )
    seconds = time.perf_counter() - start
    result = {
        "median_s": seconds,
        "runs_s": [round(seconds, 2)],
        "ok": proc.returncode == 0,
        "notebooks": len(chapters),
    }
    if proc.returncode != 0:
        result["error_tail"] = (proc.stdout + proc.stderr)[-2000:]
    return result


def machine() -> dict:
    mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(mem_gib, 1),
        "python": platform.python_version(),
        "date": datetime.now(UTC).isoformat(timespec="minutes"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--child")
    parser.add_argument("--data")
    parser.add_argument("--out")
    parser.add_argument("--quick", action="store_true", help="10k and 100k learners, one repeat")
    parser.add_argument("--only", choices=["scale", "orchestration"])
    parser.add_argument("--sizes", type=int, nargs="+", help="learners per partnership-year to measure")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.data, args.out)
        return
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    sizes = args.sizes or ([10_000, 100_000] if args.quick else [10_000, 100_000, 1_000_000])
    repeats = 1 if args.quick else args.repeats
    results: dict = {"machine": machine(), "quick": args.quick}
    with tempfile.TemporaryDirectory(prefix="pathways-bench-") as tmp:
        work = Path(tmp)
        if args.only in (None, "scale"):
            print("scale: one partnership-year at 10k / 100k / 1M learners", flush=True)
            results["scale"] = scale_suite(work, sizes, repeats)
        if args.only in (None, "orchestration"):
            print(
                "orchestration: the demo, full / no-change / one-change runs, workers, Jupyter Book",
                flush=True,
            )
            results["orchestration"] = orchestration_suite(work, 1)
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = (
        "quick.json"
        if args.quick
        else ("latest.json" if not (args.only or args.sizes) else f"partial-{args.only or 'sizes'}.json")
    )
    (RESULTS / name).write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(json.dumps(results, indent=2))
    print(f"written to {RESULTS / name}")


if __name__ == "__main__":
    main()
