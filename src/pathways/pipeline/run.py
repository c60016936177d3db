"""``pathways run``: execute the report notebooks with papermill, in parallel, incrementally.

Every notebook of the notebooks folder with a ``parameters`` cell is run per partnership-year,
per year or once, by the names its parameters cell declares (contract section 2,
:mod:`pathways.pipeline.notebook_specs`). Each run of a notebook is a job with its own output folder
under ``<out>/runs/`` and its own input hash (the notebook, the package code it imports, the
data it reads); a job whose hash matches its last successful run is skipped. Partnership-year
jobs run first, then year jobs (the statewide overview reads the partnership-years' exports),
then once-jobs. The runner itself gates each partnership-year and writes its ``export.csv`` and
``validation.json`` with its full report.

What a run never loses: one run at a time per output folder (:mod:`pathways.pipeline.runlock`); a job's
new folder and the export replace the old ones only when the job succeeded
(:mod:`pathways.io.folders`); a failed or timed-out rerun keeps the previous good output and its
manifest entry, and the summary says so; the manifest is replaced in one step after each job.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import shutil
import statistics
import time
from concurrent.futures import as_completed
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import nbformat

from pathways.errors import PathwaysError
from pathways.io.atomic import write_atomically
from pathways.io.folders import recover, replace_folder, staging_for, withdraw
from pathways.io.hashing import file_digest
from pathways.io.paths import check_partnership_id, check_year
from pathways.io.project import project_path
from pathways.io.registry import Registry
from pathways.io.submission import submission_digest, submitted_years
from pathways.pipeline.notebook_specs import SCOPES, NotebookSpec, code_digest, discover, notebook_code_digest

NOTEBOOK_DIR = project_path("notebooks")
MANIFEST = "manifest.json"
MANIFEST_FORMAT = 2
DEFAULT_TIMEOUT_S = 900
EXPORT_FILES = ("export.csv", "validation.json")
# Folders of runs/ that are not partnerships.
RESERVED_IDS = ("statewide", "analyses")
# The kernel draws inline: an analyst's own plt.show() or seaborn chart appears in the
# executed notebook (the package never chooses a backend on import).
KERNEL_MPL_BACKEND = "module://matplotlib_inline.backend_inline"
# The project's Python kernel (make setup installs it into the environment).
KERNEL_NAME = "python3"
# What the runner's own gate and export run: a change to it reruns every partnership-year.
EXPORT_CODE = {"pathways.gate", "pathways.indicators", "pathways.io.export", "pathways.io.registry"}


class ManifestDamaged(PathwaysError):
    """The run manifest cannot be read."""


@dataclass
class Job:
    key: str  # denver/2024/partnership_report, statewide/2024/statewide_overview, analyses/<stem>
    notebook: str  # the notebook's stem
    scope: str
    notebook_path: Path
    output_dir: Path
    parameters: dict  # what its parameters cell declares, except output_dir (set per attempt)
    input_hash: str
    partnership_id: str | None
    year: int | None
    title: str
    collection: str
    order: float
    paper: str
    max_pages: int | None
    writes_export: bool  # the partnership-year's full report: the runner writes its export with it
    data_dir: Path
    registry_path: Path
    cache_dir: Path
    declared: tuple[str, ...] = ()


@dataclass
class JobResult:
    key: str
    status: str  # ok | skipped | refused | failed
    seconds: float = 0.0
    reason: str = ""
    input_hash: str = ""
    finished_at: str = ""
    staging: str = ""  # the new output folder, waiting to replace the old one
    export_staging: str = ""  # the partnership-year's new export.csv and validation.json
    kept_previous: bool = False


@dataclass
class RunSummary:
    results: list[JobResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[JobResult]:
        return [r for r in self.results if r.status in ("failed", "refused")]

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.results)


def runs_dir(out_dir: Path) -> Path:
    return Path(out_dir) / "runs"


def load_manifest(out_dir: Path) -> dict:
    """The run manifest (``{"format": 2, "jobs": {key: entry}}``); a damaged one is refused, not guessed."""
    path = runs_dir(out_dir) / MANIFEST
    if not path.is_file():
        return {"format": MANIFEST_FORMAT, "jobs": {}}
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        if (
            not isinstance(manifest, dict)
            or not isinstance(manifest.get("jobs"), dict)
            or not all(isinstance(e, dict) for e in manifest["jobs"].values())
        ):
            raise ValueError("not a manifest")
    except (ValueError, UnicodeDecodeError):
        raise ManifestDamaged(
            f"the run manifest {path} is damaged (not the JSON a run writes; it may have been cut short or "
            "edited). It records which notebooks are up to date: move it aside (or delete it) and run again, and "
            "every notebook will re-execute into its own folder; the reports on disk and the published versions "
            "are not touched."
        ) from None
    # Entries of the earlier layout (one report per partnership-year folder) name no notebook.
    manifest["jobs"] = {k: e for k, e in manifest["jobs"].items() if e.get("notebook")}
    manifest["format"] = MANIFEST_FORMAT
    return manifest


def _write_manifest(out_dir: Path, manifest: dict) -> None:
    path = runs_dir(out_dir) / MANIFEST
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, json.dumps(manifest, indent=2, sort_keys=True))


def job_folder(out_dir: Path, entry: dict) -> Path:
    """The output folder of a manifest entry (stored relative to ``<out>/runs``, so the folder can move)."""
    return runs_dir(out_dir) / entry["output_dir"]


def _hash_parts(*parts: str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode())
        h.update(b"\0")
    return h.hexdigest()


def _sha_file(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def partnership_years(
    data_dir: Path, registry: Registry, partnerships: list[str] | None = None, years: list[int] | None = None
) -> list[tuple[str, int]]:
    """The submitted partnership-years a run covers (from the baseline year on)."""
    selected = [check_partnership_id(p) for p in partnerships] if partnerships else registry.ids
    for pid in selected:
        registry.get(pid)
        if pid in RESERVED_IDS:
            raise PathwaysError(
                f"partnership id {pid!r} is reserved for the book's own folders; rename it in the registry"
            )
    wanted = {check_year(y) for y in years} if years else None
    out = []
    for pid in selected:
        entry = registry.get(pid)
        for year in submitted_years(data_dir, pid):
            if year >= entry.baseline_year and (wanted is None or year in wanted):
                out.append((pid, year))
    return out


def plan(
    data_dir: Path,
    registry: Registry,
    registry_path: Path,
    out_dir: Path,
    partnerships: list[str] | None = None,
    years: list[int] | None = None,
    *,
    notebook_dir: Path | None = None,
    specs: list[NotebookSpec] | None = None,
) -> list[Job]:
    """Every job of a run, in the order the phases run. Year and once jobs get their input hash
    when their phase starts (:func:`resolve_hash`), because they read what the earlier phases wrote."""
    data_dir, out_dir = Path(data_dir).resolve(), Path(out_dir).resolve()
    registry_path = Path(registry_path).resolve()
    if specs is None:
        specs = discover(Path(notebook_dir) if notebook_dir else NOTEBOOK_DIR)
    root = runs_dir(out_dir)
    cache = root / ".cache"
    pys = partnership_years(data_dir, registry, partnerships, years)
    export_code = code_digest(EXPORT_CODE)
    data_hash = {}
    for pid, year in pys:
        entry_json = json.dumps(registry.get(pid).model_dump(mode="json"), sort_keys=True)
        data_hash[(pid, year)] = _hash_parts(
            "data",
            export_code,
            entry_json,
            str(registry.min_cell_size),
            submission_digest(data_dir, pid, year),
        )
    notebook_hash = {s.stem: _hash_parts(_sha_file(s.path), notebook_code_digest(s.path)) for s in specs}
    # The partnership-year's full report: the book's chapter, and the job the export belongs to.
    per_py = [s for s in specs if s.scope == "partnership-year"]
    chapter = next((s.stem for s in per_py if s.collection == "reports"), per_py[0].stem if per_py else None)

    def job(spec: NotebookSpec, key: str, pid: str | None, year: int | None, input_hash: str) -> Job:
        values = {
            "partnership": pid,
            "year": year,
            "data_dir": str(data_dir),
            "registry": str(registry_path),
            "runs_dir": str(root),
        }
        params = {n: values[n] for n in spec.declared if n != "output_dir"}
        return Job(
            key,
            spec.stem,
            spec.scope,
            spec.path,
            root / key,
            params,
            input_hash,
            pid,
            year,
            spec.title,
            spec.collection,
            spec.order,
            spec.paper,
            spec.max_pages,
            spec.scope == "partnership-year" and spec.stem == chapter,
            data_dir,
            registry_path,
            cache,
            spec.declared,
        )

    jobs: list[Job] = []
    for spec in specs:
        if spec.scope == "partnership-year":
            for pid, year in pys:
                jobs.append(
                    job(
                        spec,
                        f"{pid}/{year}/{spec.stem}",
                        pid,
                        year,
                        _hash_parts(
                            "partnership-year",
                            notebook_hash[spec.stem],
                            pid,
                            str(year),
                            data_hash[(pid, year)],
                        ),
                    )
                )
        elif spec.scope == "year":
            for year in sorted({y for _, y in pys}):
                jobs.append(job(spec, f"statewide/{year}/{spec.stem}", None, year, ""))
        else:
            jobs.append(job(spec, f"analyses/{spec.stem}", None, None, ""))
    return jobs


def resolve_hash(job: Job, registry: Registry, out_dir: Path, pys: list[tuple[str, int]]) -> str:
    """Input hash of a year or once job, from what it declares it reads, as it is on disk now."""
    root = runs_dir(out_dir)
    spec_hash = _hash_parts(_sha_file(job.notebook_path), notebook_code_digest(job.notebook_path))
    parts = [job.scope, spec_hash, str(job.year or "")]
    if "registry" in job.declared:
        parts.append(_sha_file(job.registry_path))
    if "data_dir" in job.declared:
        parts += [
            f"{pid}/{y}:{submission_digest(job.data_dir, pid, y)}"
            for pid, y in pys
            if job.year is None or y == job.year
        ]
    if "runs_dir" in job.declared:
        for pid in registry.ids:
            for export in sorted((root / pid).glob("*/export.csv")):
                if job.year is None or export.parent.name == str(job.year):
                    parts.append(f"{pid}/{export.parent.name}:{file_digest(export)}")
    return _hash_parts(*parts)


# ------------------------------------------------------------------ in the worker
def execute_job(job: Job, timeout_s: int = DEFAULT_TIMEOUT_S) -> JobResult:
    """Run one notebook into a staging folder beside ``job.output_dir`` (in a worker process).

    The folder replaces the job's output only in the run's own process, once this returns ok.
    """
    import papermill as pm

    from pathways.pipeline.warm_kernels import WarmKernelManager, start_template

    os.environ["GX_ANALYTICS_ENABLED"] = "false"
    # Set per job, not once per worker: a long-lived Dask worker serves runs of other folders.
    os.environ["PATHWAYS_GATE_CACHE"] = str(job.cache_dir)
    os.environ["PATHWAYS_INDICATOR_CACHE"] = str(job.cache_dir)
    start = time.monotonic()

    def done(status: str, reason: str = "", **extra) -> JobResult:
        return JobResult(
            job.key,
            status,
            time.monotonic() - start,
            reason,
            job.input_hash,
            datetime.now(UTC).isoformat(timespec="seconds"),
            **extra,
        )

    export_staging = None
    with _kernel_environment():
        start_template(KERNEL_NAME)
    if job.scope == "partnership-year":
        try:
            refusal, export_staging = _gate_and_export(job)
        except Exception as exc:  # the engine failed on data the gate passed: this job fails, the run goes on
            return done(*_classify(exc))
        if refusal is not None:
            return done("refused", refusal)
    staging = staging_for(job.output_dir)
    staging.mkdir(parents=True)
    params = dict(job.parameters)
    if "output_dir" in job.declared:
        params["output_dir"] = str(staging)
    executed = staging / f"{job.notebook}.ipynb"
    last_error: Exception | None = None
    with _kernel_environment():
        for attempt in range(2):
            try:
                pm.execute_notebook(
                    str(job.notebook_path),
                    str(executed),
                    parameters=params,
                    kernel_name=KERNEL_NAME,
                    progress_bar=False,
                    cwd=str(job.notebook_path.parent),
                    execution_timeout=timeout_s,
                    request_save_on_cell_execute=False,
                    log_output=False,
                    # The kernel's own log (its TCP-transport notice, the interrupt at shutdown) is
                    # noise to an analyst; a kernel that dies still fails the job through nbclient.
                    extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
                    # A fresh kernel process per notebook, forked from this worker's template
                    # that has the report libraries imported (pipeline/warm_kernels.py).
                    kernel_manager_class=WarmKernelManager,
                )
                last_error = None
                break
            except (pm.PapermillExecutionError, TimeoutError) as exc:  # retrying would fail (or wait) again
                last_error = exc
                break
            except Exception as exc:  # kernel start collisions (papermill #511): retry once
                last_error = exc
                time.sleep(1 + attempt)
    if last_error is not None:
        shutil.rmtree(staging, ignore_errors=True)
        if export_staging is not None:
            shutil.rmtree(export_staging, ignore_errors=True)
        return done(*_classify(last_error))
    _finalize_notebook(executed)
    return done("ok", staging=str(staging), export_staging=str(export_staging or ""))


@contextlib.contextmanager
def _kernel_environment():
    """The environment the kernel starts with (it copies this process's at start)."""
    saved = os.environ.get("MPLBACKEND")
    os.environ["MPLBACKEND"] = KERNEL_MPL_BACKEND
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("MPLBACKEND", None)
        else:
            os.environ["MPLBACKEND"] = saved


def _gate_and_export(job: Job) -> tuple[str | None, Path | None]:
    """Gate the partnership-year and compute its indicators in this long-lived worker (Great
    Expectations is imported once per worker, and the results land in the caches the notebook's
    ``open_report`` reads: the files the gate just read are still in this process, not yet in the
    kernel's); for the full report's job, also compute the export and write it, with the gate's
    results, aside for the run to put in place. A refused year is reported without starting a kernel."""
    from pathways.gate import GateRefused, require_history_pass

    try:
        gates = require_history_pass(job.data_dir, job.partnership_id, job.year, cache_dir=job.cache_dir)
    except GateRefused as exc:
        return str(exc).splitlines()[0][:500], None
    from pathways.indicators import compute_export, compute_series
    from pathways.io.export import write_export
    from pathways.io.registry import load_registry

    registry = load_registry(job.registry_path)
    series = compute_series(job.data_dir, registry, job.partnership_id, job.year)
    if not job.writes_export:
        return None, None
    export = compute_export(job.data_dir, registry, job.partnership_id, job.year, series=series)
    folder = staging_for(job.output_dir.parent / "export")
    folder.mkdir(parents=True)
    with open(folder / "export.csv", "w", encoding="utf-8", newline="") as fh:
        write_export(export, fh, "csv")
    (folder / "validation.json").write_text(
        json.dumps({str(y): g.to_dict() for y, g in gates.items()}, indent=2, default=str), encoding="utf-8"
    )
    return None, folder


def _finalize_notebook(path: Path) -> None:
    """Hide the parameter cells, which hold this machine's paths. The title stays the analyst's."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if {"parameters", "injected-parameters"} & set(tags) and "remove-cell" not in tags:
            cell.metadata["tags"] = [*tags, "remove-cell"]
    nbformat.write(nb, path)


def _classify(exc: Exception) -> tuple[str, str]:
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = str(getattr(exc, "evalue", exc)).strip()
    if ename in ("GateRefused", "SubmissionRefused"):
        return "refused", evalue.splitlines()[0][:500] if evalue else "data refused by the validation gate"
    if "Timeout" in ename or "timed out" in evalue.lower():
        return "failed", f"timed out: {evalue.splitlines()[0][:300] if evalue else ''}"
    first = evalue.splitlines()[0][:500] if evalue else ""
    return "failed", f"{ename}: {first}"


# ------------------------------------------------------------------ in the run's own process
def _entry(job: Job, result: JobResult, out_dir: Path) -> dict:
    return {
        "key": job.key,
        "notebook": job.notebook,
        "scope": job.scope,
        "partnership_id": job.partnership_id,
        "year": job.year,
        "output_dir": job.output_dir.relative_to(runs_dir(out_dir)).as_posix(),
        "status": result.status,
        "input_hash": result.input_hash,
        "finished_at": result.finished_at,
        "reason": result.reason,
        "title": job.title,
        "collection": job.collection,
        "order": job.order,
        "paper": job.paper,
        "max_pages": job.max_pages,
        "is_chapter": job.writes_export,
        "seconds": round(result.seconds, 2),
    }


def _up_to_date(job: Job, entry: dict | None) -> bool:
    if not entry or entry.get("status") != "ok" or entry.get("input_hash") != job.input_hash:
        return False
    if not (job.output_dir / f"{job.notebook}.ipynb").is_file():
        return False
    return not job.writes_export or all((job.output_dir.parent / f).is_file() for f in EXPORT_FILES)


def _record(job: Job, result: JobResult, manifest: dict, out_dir: Path, summary: RunSummary) -> None:
    """Apply a finished job to the output folder and the manifest (in that order)."""
    root = runs_dir(out_dir)
    previous = manifest["jobs"].get(job.key)
    if result.status == "ok":
        if result.export_staging:
            staged = Path(result.export_staging)
            for name in EXPORT_FILES:
                os.replace(staged / name, job.output_dir.parent / name)
            shutil.rmtree(staged, ignore_errors=True)
        replace_folder(Path(result.staging), job.output_dir)
        entry = _entry(job, result, out_dir)
    elif result.status == "refused":
        # The partnership-year's new submission was refused: its reports are withdrawn from the
        # book and the overview (kept under runs/.withdrawn/, never deleted).
        moved = [
            withdraw(p, root) for p in (job.output_dir, *(job.output_dir.parent / f for f in EXPORT_FILES))
        ]
        if any(moved):
            summary.notes.append(
                f"{job.key}: the previous output was withdrawn from the book (kept under "
                f"{root / '.withdrawn'}) because the new submission was refused"
            )
        entry = _entry(job, result, out_dir)
    elif previous and previous.get("status") == "ok" and (job.output_dir / f"{job.notebook}.ipynb").is_file():
        entry = dict(previous)
        entry["last_failure"] = {"status": result.status, "reason": result.reason, "at": result.finished_at}
        result.kept_previous = True
        result.reason += (
            f" — kept the previous good output of {previous.get('finished_at') or 'an earlier run'}"
        )
    else:
        entry = _entry(job, result, out_dir)
    manifest["jobs"][job.key] = entry
    _write_manifest(out_dir, manifest)


def _prune(manifest: dict, specs_stems: set[str], out_dir: Path, summary: RunSummary) -> None:
    """Entries of notebooks that are no longer in the notebooks folder leave the book."""
    root = runs_dir(out_dir)
    for key, entry in list(manifest["jobs"].items()):
        if entry.get("notebook") not in specs_stems:
            withdraw(job_folder(out_dir, entry), root)
            del manifest["jobs"][key]
            summary.notes.append(
                f"{key}: its notebook {entry.get('notebook')}.ipynb is gone; its output was "
                f"withdrawn (kept under {root / '.withdrawn'})"
            )


def run(
    data_dir: Path,
    registry: Registry,
    registry_path: Path,
    out_dir: Path,
    *,
    partnerships: list[str] | None = None,
    years: list[int] | None = None,
    workers: int | None = None,
    force: bool = False,
    timeout_s: int = DEFAULT_TIMEOUT_S,
    progress: bool = True,
    notebook_dir: Path | None = None,
    cluster: str | None = None,
    log=print,
) -> RunSummary:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from pathways.pipeline.executors import check_cluster_address, job_executor
    from pathways.pipeline.runlock import folder_lock

    if cluster is not None:
        check_cluster_address(cluster)
        if workers is not None:
            raise PathwaysError(
                "--workers sets the local pool; with --cluster use local:N for N local Dask workers"
            )
    data_dir, out_dir = Path(data_dir).resolve(), Path(out_dir).resolve()
    notebook_dir = Path(notebook_dir).resolve() if notebook_dir else NOTEBOOK_DIR
    specs = discover(notebook_dir)
    jobs = plan(data_dir, registry, registry_path, out_dir, partnerships, years, specs=specs)
    pys = partnership_years(data_dir, registry, partnerships, years)
    summary = RunSummary()
    with folder_lock(out_dir, "run", log=log):
        restored = recover(runs_dir(out_dir))
        summary.notes += [f"{r}: put back the output a killed run had moved aside" for r in restored]
        manifest = load_manifest(out_dir)
        _prune(manifest, {s.stem for s in specs}, out_dir, summary)
        _write_manifest(out_dir, manifest)
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with (
            contextlib.ExitStack() as stack,
            Progress(*columns, disable=not progress, transient=False) as bar,
        ):
            task = bar.add_task("executing notebooks", total=0)
            pool = None
            for scope in SCOPES:
                phase = [j for j in jobs if j.scope == scope]
                todo = []
                for job in phase:
                    if scope != "partnership-year":
                        job.input_hash = resolve_hash(job, registry, out_dir, pys)
                    previous = manifest["jobs"].get(job.key)
                    if _up_to_date(job, previous) and not force:
                        summary.results.append(
                            JobResult(
                                job.key,
                                "skipped",
                                0.0,
                                "inputs unchanged",
                                job.input_hash,
                                previous.get("finished_at", ""),
                            )
                        )
                    else:
                        todo.append(job)
                if not todo:
                    continue
                bar.update(task, total=bar.tasks[0].total + len(todo))
                if pool is None:
                    later = sum(1 for j in jobs if SCOPES.index(j.scope) > SCOPES.index(scope))
                    size = max(1, min(workers or os.cpu_count() or 1, len(todo) + later))
                    pool = stack.enter_context(
                        job_executor(
                            size,
                            cluster,
                            out_dir=out_dir,
                            shared_paths={
                                "data folder": str(data_dir),
                                "notebooks folder": str(notebook_dir),
                            },
                        )
                    )
                todo = in_submission_order(todo, manifest)
                futures = {pool.submit(execute_job, job, timeout_s): job for job in todo}
                try:
                    for future in as_completed(futures):
                        job = futures[future]
                        try:
                            result = future.result()
                        except Exception as exc:  # a worker that died: report it, keep going
                            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
                            result = JobResult(
                                job.key,
                                "failed",
                                0.0,
                                f"worker crashed: {first}",
                                job.input_hash,
                                datetime.now(UTC).isoformat(timespec="seconds"),
                            )
                        summary.results.append(result)
                        _record(job, result, manifest, out_dir, summary)
                        bar.advance(task)
                except BaseException:
                    for future in futures:
                        future.cancel()
                    raise
    summary.results.sort(key=lambda r: r.key)
    return summary


def in_submission_order(todo: list[Job], manifest: dict) -> list[Job]:
    """Earliest years first: later reports then find the years they show already cached. Within
    a year the longest notebook first, so that it does not start last and keep the run waiting
    on it alone (a notebook never run counts as longest)."""
    typical_s = _typical_seconds(manifest)
    return sorted(todo, key=lambda j: (j.year or 0, -typical_s.get(j.notebook, math.inf), j.key))


def _typical_seconds(manifest: dict) -> dict[str, float]:
    """Each notebook's median seconds over its jobs in the manifest: the notebook's own length.
    (One job's last seconds is not: the first jobs of a worker also pay for importing Great
    Expectations and gating the year.)"""
    seconds: dict[str, list[float]] = {}
    for entry in manifest["jobs"].values():
        notebook, job_s = entry.get("notebook"), entry.get("seconds")
        if entry.get("status") == "ok" and notebook and isinstance(job_s, int | float) and job_s > 0:
            seconds.setdefault(notebook, []).append(float(job_s))
    return {name: statistics.median(values) for name, values in seconds.items()}


def print_summary(summary: RunSummary) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="pathways run")
    for col in ("notebook run", "status", "seconds", "why"):
        table.add_column(col)
    for r in summary.results:
        table.add_row(r.key, r.status, f"{r.seconds:.1f}" if r.status != "skipped" else "", r.reason)
    console = Console(width=160)
    console.print(table)
    for note in summary.notes:
        console.print(f"note: {note}")
    kept = sum(r.kept_previous for r in summary.results)
    console.print(
        f"ran {summary.count('ok')}, skipped {summary.count('skipped')}, refused {summary.count('refused')}, "
        f"failed {summary.count('failed')}"
        + (f" (the previous good output of {kept} of them is kept)" if kept else "")
    )
