"""``pathways run``: execute the report notebooks with papermill, in parallel, incrementally.

Each partnership-year is a job whose inputs (its data files up to that year, its registry
entry and the suppression threshold, the notebook, the package's code) are hashed; a job
whose hash matches its last successful run in the manifest is skipped. Reports run first,
then the statewide overview of each year from the reports' exports. One failing job does
not stop the others; the summary says what ran, was skipped, refused or failed, and why.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path

import nbformat

from pathways import __version__
from pathways.atomic import write_atomically
from pathways.errors import PathwaysError
from pathways.registry import Registry
from pathways.safety import check_partnership_id, check_year, md_escape
from pathways.submission import submission_digest, submitted_years

REPO_ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = REPO_ROOT / "notebooks"
REPORT_NOTEBOOK = "partnership_report.ipynb"
OVERVIEW_NOTEBOOK = "statewide_overview.ipynb"
MANIFEST = "manifest.json"
DEFAULT_TIMEOUT_S = 900


@dataclass
class Job:
    kind: str  # "report" | "overview"
    key: str  # "denver/2024" or "statewide/2024"
    year: int
    notebook: Path
    output_dir: Path
    parameters: dict
    input_hash: str
    partnership_id: str | None = None
    title: str = ""


@dataclass
class JobResult:
    key: str
    status: str  # ok | skipped | refused | failed
    seconds: float = 0.0
    reason: str = ""
    input_hash: str = ""
    finished_at: str = ""


@dataclass
class RunSummary:
    results: list[JobResult] = field(default_factory=list)

    @property
    def failed(self) -> list[JobResult]:
        return [r for r in self.results if r.status in ("failed", "refused")]

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.results)


def runs_dir(out_dir: Path) -> Path:
    return Path(out_dir) / "runs"


def load_manifest(out_dir: Path) -> dict:
    path = runs_dir(out_dir) / MANIFEST
    if not path.is_file():
        return {"jobs": {}}
    return json.loads(path.read_text(encoding="utf-8"))


def _write_manifest(out_dir: Path, manifest: dict) -> None:
    path = runs_dir(out_dir) / MANIFEST
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, json.dumps(manifest, indent=2, sort_keys=True))


def _sha() -> hashlib._Hash:
    return hashlib.sha256()


# Code that builds, publishes or audits the book, or runs the command line. No notebook
# imports it (a test follows every import from the notebooks), so a change to the book's
# look or to publishing does not re-execute every notebook.
NOT_IN_NOTEBOOKS = ("book.py", "publish.py", "audit.py", "cli.py", "templates.py", "methods.py",
                    "dictionary_docs.py", "book_assets/")


def code_hash() -> str:
    """Hash of the package code the notebooks run, and its data files: a change reruns everything."""
    h = _sha()
    root = Path(str(files("pathways")))
    for path in sorted(root.rglob("*")):
        if path.relative_to(root).as_posix().startswith(NOT_IN_NOTEBOOKS):
            continue
        if path.is_file() and path.suffix in (".py", ".yml", ".md", ".html", ".css", ".js"):
            h.update(str(path.relative_to(root)).encode())
            h.update(path.read_bytes())
    h.update(__version__.encode())
    return h.hexdigest()


def _hash_parts(*parts: str) -> str:
    h = _sha()
    for part in parts:
        h.update(part.encode())
        h.update(b"\0")
    return h.hexdigest()


def notebook_path(name: str) -> Path:
    """The .ipynb, made from its jupytext pair when only the .py exists (fresh clone)."""
    ipynb = NOTEBOOK_DIR / name
    if not ipynb.exists():
        raise PathwaysError(f"notebook {ipynb} is missing; run `make notebooks` to make it from its .py pair")
    return ipynb


def plan(data_dir: Path, registry: Registry, registry_path: Path, out_dir: Path,
         partnerships: list[str] | None = None, years: list[int] | None = None) -> list[Job]:
    data_dir, out_dir = Path(data_dir).resolve(), Path(out_dir).resolve()
    code = code_hash()
    report_nb = notebook_path(REPORT_NOTEBOOK)
    report_nb_hash = hashlib.sha256(report_nb.read_bytes()).hexdigest()
    selected = [check_partnership_id(p) for p in partnerships] if partnerships else registry.ids
    for pid in selected:
        registry.get(pid)
    wanted_years = {check_year(y) for y in years} if years else None
    jobs: list[Job] = []
    for pid in selected:
        entry = registry.get(pid)
        for year in submitted_years(data_dir, pid):
            if year < entry.baseline_year or (wanted_years and year not in wanted_years):
                continue
            out = runs_dir(out_dir) / pid / str(year)
            entry_json = json.dumps(entry.model_dump(mode="json"), sort_keys=True)
            h = _hash_parts("report", code, report_nb_hash, entry_json, str(registry.min_cell_size),
                            submission_digest(data_dir, pid, year))
            jobs.append(Job("report", f"{pid}/{year}", year, report_nb, out, {
                "partnership": pid, "year": year, "data_dir": str(data_dir),
                "registry": str(Path(registry_path).resolve()), "output_dir": str(out),
            }, h, pid, f"{entry.name} — {year}"))
    overview_nb = NOTEBOOK_DIR / OVERVIEW_NOTEBOOK
    if overview_nb.exists():
        overview_hash = hashlib.sha256(overview_nb.read_bytes()).hexdigest()
        for year in sorted({j.year for j in jobs}):
            members = sorted(j.input_hash for j in jobs if j.year == year)
            out = runs_dir(out_dir) / "statewide" / str(year)
            h = _hash_parts("overview", code, overview_hash, str(registry.min_cell_size), *members)
            jobs.append(Job("overview", f"statewide/{year}", year, overview_nb, out, {
                "year": year, "runs_dir": str(runs_dir(out_dir)),
                "registry": str(Path(registry_path).resolve()), "output_dir": str(out),
            }, h, None, f"All partnerships side by side — {year}"))
    return jobs


def _finalize_notebook(path: Path, title: str) -> None:
    """Give the executed notebook its partnership's H1 (the book's table of contents uses it)
    and hide the parameter cells, which hold this machine's paths."""
    nb = nbformat.read(path, as_version=4)
    titled = False
    for cell in nb.cells:
        if not titled and cell.cell_type == "markdown" and cell.source.lstrip().startswith("# "):
            cell.source = "# " + md_escape(title)
            titled = True
        tags = cell.get("metadata", {}).get("tags", [])
        if {"parameters", "injected-parameters"} & set(tags) and "remove-cell" not in tags:
            cell.metadata["tags"] = [*tags, "remove-cell"]
    nbformat.write(nb, path)


def execute_job(job: Job, timeout_s: int = DEFAULT_TIMEOUT_S) -> JobResult:
    """Run one notebook into ``job.output_dir`` (in a worker process)."""
    import papermill as pm

    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("MPLBACKEND", "Agg")
    # Each report re-gates every earlier year; the gate caches results by file content here
    # (never under the data folder, which may be read-only).
    cache = job.output_dir.parents[1] / ".cache"
    os.environ.setdefault("PATHWAYS_GATE_CACHE", str(cache))
    os.environ.setdefault("PATHWAYS_INDICATOR_CACHE", str(cache))
    start = time.monotonic()
    staging = job.output_dir.with_name(job.output_dir.name + ".running")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    params = {**job.parameters, "output_dir": str(staging)}
    if job.kind == "report":
        refusal = _gate_in_worker(job)
        if refusal is not None:
            shutil.rmtree(staging, ignore_errors=True)
            return JobResult(job.key, "refused", time.monotonic() - start, refusal, job.input_hash,
                             datetime.now(UTC).isoformat(timespec="seconds"))
    name = "report.ipynb" if job.kind == "report" else "overview.ipynb"
    last_error: Exception | None = None
    for attempt in range(2):
        try:
            pm.execute_notebook(
                str(job.notebook), str(staging / name), parameters=params, kernel_name="python3",
                progress_bar=False, cwd=str(job.notebook.parent), execution_timeout=timeout_s,
                request_save_on_cell_execute=False, log_output=False,
                # The kernel's own log (its TCP-transport notice, the interrupt at shutdown) is
                # noise to an analyst; a kernel that dies still fails the job through nbclient.
                extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
            )
            last_error = None
            break
        except pm.PapermillExecutionError as exc:
            last_error = exc
            break
        except TimeoutError as exc:  # a cell ran past the timeout: retrying would only wait again
            last_error = exc
            break
        except Exception as exc:  # kernel start collisions (papermill #511): retry once
            last_error = exc
            time.sleep(1 + attempt)
    seconds = time.monotonic() - start
    finished = datetime.now(UTC).isoformat(timespec="seconds")
    if last_error is not None:
        shutil.rmtree(staging, ignore_errors=True)
        status, reason = _classify(last_error)
        return JobResult(job.key, status, seconds, reason, job.input_hash, finished)
    _finalize_notebook(staging / name, job.title)
    shutil.rmtree(job.output_dir, ignore_errors=True)
    os.replace(staging, job.output_dir)
    return JobResult(job.key, "ok", seconds, "", job.input_hash, finished)


def _gate_in_worker(job: Job) -> str | None:
    """Gate the job's years in this long-lived worker, which imports Great Expectations once.

    The results land in the gate cache, so the notebook's own gate call finds them without
    importing GX (seconds per notebook); a refused year is reported without starting a kernel.
    """
    from pathways.validation import GateRefused, require_history_pass

    try:
        require_history_pass(Path(job.parameters["data_dir"]), job.partnership_id, job.year)
    except GateRefused as exc:
        return str(exc).splitlines()[0][:500]
    return None


def _classify(exc: Exception) -> tuple[str, str]:
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = str(getattr(exc, "evalue", exc)).strip()
    if ename in ("GateRefused", "SubmissionRefused"):
        return "refused", evalue.splitlines()[0][:500] if evalue else "data refused by the validation gate"
    if "Timeout" in ename or "timed out" in evalue.lower():
        return "failed", f"timed out: {evalue.splitlines()[0][:300] if evalue else ''}"
    first = evalue.splitlines()[0][:500] if evalue else ""
    return "failed", f"{ename}: {first}"


def run(data_dir: Path, registry: Registry, registry_path: Path, out_dir: Path, *,
        partnerships: list[str] | None = None, years: list[int] | None = None, workers: int | None = None,
        force: bool = False, timeout_s: int = DEFAULT_TIMEOUT_S, progress: bool = True) -> RunSummary:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    jobs = plan(data_dir, registry, registry_path, out_dir, partnerships, years)
    manifest = load_manifest(out_dir)
    summary = RunSummary()
    todo: list[Job] = []
    for job in jobs:
        previous = manifest["jobs"].get(job.key, {})
        up_to_date = (previous.get("status") == "ok" and previous.get("input_hash") == job.input_hash
                      and (job.output_dir / ("report.ipynb" if job.kind == "report" else "overview.ipynb")).exists())
        if up_to_date and not force:
            summary.results.append(JobResult(job.key, "skipped", 0.0, "inputs unchanged", job.input_hash,
                                             previous.get("finished_at", "")))
        else:
            todo.append(job)
    workers = max(1, min(workers or os.cpu_count() or 1, len(todo) or 1))
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, disable=not progress, transient=False) as bar:
        task = bar.add_task("executing notebooks", total=len(todo))
        for phase in ("report", "overview"):
            # Earliest years first: later reports then find the years they show already cached.
            batch = sorted((j for j in todo if j.kind == phase), key=lambda j: (j.year, j.key))
            if not batch:
                continue
            with ProcessPoolExecutor(max_workers=min(workers, len(batch))) as pool:
                futures = {pool.submit(execute_job, job, timeout_s): job for job in batch}
                for future in as_completed(futures):
                    job = futures[future]
                    try:
                        result = future.result()
                    except Exception as exc:  # a worker that died: report it, keep going
                        result = JobResult(job.key, "failed", 0.0, f"worker crashed: {exc}", job.input_hash)
                    summary.results.append(result)
                    entry = asdict(result)
                    entry.update(kind=job.kind, partnership_id=job.partnership_id, year=job.year,
                                 output_dir=str(job.output_dir), title=job.title)
                    manifest["jobs"][job.key] = entry
                    if result.status != "ok":
                        shutil.rmtree(job.output_dir, ignore_errors=True)
                    _write_manifest(out_dir, manifest)
                    bar.advance(task)
    for job in jobs:  # skipped jobs keep their manifest entry; record newly planned ones
        manifest["jobs"].setdefault(job.key, {"status": "pending", "input_hash": job.input_hash})
    _write_manifest(out_dir, manifest)
    summary.results.sort(key=lambda r: r.key)
    return summary


def print_summary(summary: RunSummary) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="pathways run")
    for col in ("partnership-year", "status", "seconds", "why"):
        table.add_column(col)
    for r in summary.results:
        table.add_row(r.key, r.status, f"{r.seconds:.1f}" if r.status not in ("skipped",) else "", r.reason)
    console = Console(width=140)
    console.print(table)
    console.print(f"ran {summary.count('ok')}, skipped {summary.count('skipped')}, "
                  f"refused {summary.count('refused')}, failed {summary.count('failed')}")
