"""The ``pathways`` command. A verb takes ``--data``, ``--registry`` and ``--out`` where it reads or
writes them (``templates`` only its own ``--out``; ``demo-data`` and ``indicators`` write no output folder).

Imports of the heavy parts happen inside each verb so that ``pathways --help`` is quick.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from pathways.errors import PathwaysError, io_error

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

app = typer.Typer(
    help="Partnership progress reports: demo data, validation gate, indicators, notebooks, book.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

DataOpt = Annotated[
    Path, typer.Option("--data", help="Folder of submissions: <data>/<partnership>/<year>/*.csv")
]
RegistryOpt = Annotated[Path, typer.Option("--registry", help="Partnership registry (YAML)")]
OutOpt = Annotated[Path, typer.Option("--out", help="Output folder (executed notebooks, book, versions)")]
# Years are read as text and checked by pathways.io.paths.check_year: click's INT would take
# "２０２４" (any Unicode digits) and turn it into 2024.
YearArg = Annotated[
    str, typer.Argument(help="School year (the year it ends: 2023-24 is 2024)", metavar="YEAR")
]
DEFAULT_DATA = Path("data")
DEFAULT_REGISTRY = Path("partnerships.yml")
DEFAULT_OUT = Path("reports")


def _fail(exc: PathwaysError, code: int = 2) -> None:
    typer.echo(f"error: {exc}", err=True)
    raise typer.Exit(code)


@app.command("demo-data")
def demo_data(
    data: DataOpt = DEFAULT_DATA,
    registry: RegistryOpt = DEFAULT_REGISTRY,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives byte-identical files")] = 2024,
    scale: Annotated[float, typer.Option(help="Multiply every partnership's size (benchmarks)")] = 1.0,
    partnership: Annotated[list[str] | None, typer.Option(help="Only these partnerships")] = None,
) -> None:
    """Write the synthetic demo partnerships' submissions (every contract file, 2019-2024)."""
    from pathways.demo import write_demo_data
    from pathways.io.registry import load_registry

    try:
        reg = load_registry(registry)
        written = write_demo_data(data, reg, seed=seed, scale=scale, partnerships=partnership)
    except PathwaysError as exc:
        _fail(exc)
    except OSError as exc:
        _fail(
            io_error(
                exc, "write the demo data to", "give a writable folder with --data, on a disk with space."
            )
        )
    typer.echo(f"wrote {len(written)} files of synthetic demo data under {data}/")


@app.command()
def templates(
    out: Annotated[Path, typer.Option("--out", help="Where to write the templates")] = Path("data_templates"),
) -> None:
    """Write the data templates (CSV, README, Excel workbook) from the data dictionary."""
    from pathways.book.data_templates import write_templates

    try:
        paths = write_templates(out)
    except OSError as exc:
        _fail(
            io_error(
                exc, "write the templates to", "give a writable folder with --out, on a disk with space."
            )
        )
    typer.echo(f"wrote {len(paths)} template files to {out}/")


@app.command()
def validate(
    partnership: Annotated[
        str | None, typer.Argument(help="Partnership id, or a folder of CSV files to check")
    ] = None,
    year: Annotated[
        str | None, typer.Argument(help="School year (the year it ends: 2023-24 is 2024)", metavar="[YEAR]")
    ] = None,
    data: DataOpt = DEFAULT_DATA,
    registry: RegistryOpt = DEFAULT_REGISTRY,
    out: OutOpt = DEFAULT_OUT,
    as_json: Annotated[bool, typer.Option("--json", help="Print the machine-readable result")] = False,
    regenerate_suites: Annotated[
        bool,
        typer.Option(
            "--regenerate-suites", help="Rewrite validations/*.json from the data dictionary and exit"
        ),
    ] = False,
) -> None:
    """Run the validation gate on a partnership-year (or a folder) and say what is wrong.

    Exit 0 when the submission passes, 1 when it is refused, 2 when the arguments are wrong.
    """
    from pathways.gate.command import run_regenerate_suites, run_validate

    if regenerate_suites:
        raise typer.Exit(run_regenerate_suites())
    if partnership is None:
        _fail(
            PathwaysError("name a partnership id (with an optional year) or a folder of CSV files to check")
        )
    try:
        code = run_validate(
            partnership, year, data_dir=data, registry_path=registry, out_dir=out, as_json=as_json
        )
    except PathwaysError as exc:
        _fail(exc)
    raise typer.Exit(code)


@app.command()
def indicators(
    partnership: Annotated[str, typer.Argument(help="Partnership id")],
    year: YearArg,
    data: DataOpt = DEFAULT_DATA,
    registry: RegistryOpt = DEFAULT_REGISTRY,
    fmt: Annotated[str, typer.Option("--format", help="csv or json")] = "csv",
) -> None:
    """Print the tidy indicator export of a partnership-year (suppressed as published).

    Every year up to YEAR must pass the validation gate first: a refused submission exits 1
    with the gate's message, and nothing is computed from it.
    """
    from pathways.gate import GateRefused, require_history_pass
    from pathways.indicators import compute_export
    from pathways.io.export import write_export
    from pathways.io.paths import check_partnership_id, check_year
    from pathways.io.registry import load_registry

    if fmt not in ("csv", "json"):
        _fail(PathwaysError("--format must be csv or json"))
    try:
        pid, y = check_partnership_id(partnership), check_year(year)
        reg = load_registry(registry)
        reg.get(pid)
        require_history_pass(data, pid, y)
        table = compute_export(data, reg, pid, y)
    except GateRefused as exc:
        _fail(exc, 1)
    except PathwaysError as exc:
        _fail(exc)
    except OSError as exc:
        _fail(io_error(exc, "read", "check that the data folder and the registry are readable."))
    write_export(table, sys.stdout, fmt)


NotebooksOpt = Annotated[
    Path | None,
    typer.Option("--notebooks", help="Folder of report notebooks (default: the project's notebooks/)"),
]


def _fail_io(exc: OSError, code: int = 2) -> None:
    from pathways.io.os_errors import describe_os_error

    _fail(describe_os_error(exc), code)


@app.command()
def run(
    data: DataOpt = DEFAULT_DATA,
    registry: RegistryOpt = DEFAULT_REGISTRY,
    out: OutOpt = DEFAULT_OUT,
    partnership: Annotated[
        list[str] | None, typer.Option(help="Only these partnerships (repeatable)")
    ] = None,
    year: Annotated[list[int] | None, typer.Option(help="Only these school years (repeatable)")] = None,
    workers: Annotated[int | None, typer.Option(help="Parallel notebooks (default: number of cores)")] = None,
    force: Annotated[bool, typer.Option(help="Re-execute even what is up to date")] = False,
    timeout: Annotated[int, typer.Option(help="Seconds a notebook cell may run")] = 900,
    notebooks: NotebooksOpt = None,
    cluster: Annotated[
        str | None,
        typer.Option(
            help="Run the notebooks on Dask: local:N (N worker processes here) or tcp://host:8786 (a running "
            "scheduler; data, notebooks and --out on a shared file system)"
        ),
    ] = None,
) -> None:
    """Execute the report notebooks per partnership and year, skipping what is up to date.

    Exit 0 when every notebook ran or was up to date, 1 when any was refused or failed (the
    previous good output of a failed one is kept), 2 when the run could not start.
    """
    from pathways.io.registry import load_registry
    from pathways.pipeline.run import print_summary
    from pathways.pipeline.run import run as run_notebooks

    try:
        reg = load_registry(registry)
        summary = run_notebooks(
            data,
            reg,
            registry,
            out,
            partnerships=partnership,
            years=year,
            workers=workers,
            force=force,
            timeout_s=timeout,
            progress=sys.stderr.isatty(),
            notebook_dir=notebooks,
            cluster=cluster,
            log=lambda m: typer.echo(m, err=True),
        )
    except PathwaysError as exc:
        _fail(exc)
    except OSError as exc:
        _fail_io(exc)
    print_summary(summary)
    raise typer.Exit(1 if summary.failed else 0)


@app.command()
def build(
    registry: RegistryOpt = DEFAULT_REGISTRY,
    out: OutOpt = DEFAULT_OUT,
    base_url: Annotated[
        str | None,
        typer.Option(
            help="Address the reports folder will be served from (default: pathways.base_url of _config.yml)"
        ),
    ] = None,
) -> None:
    """Build a preview of the book (version "draft") from the successful runs into _build/html."""
    from pathways.book.assemble import assemble, check_base_url, configured_base_url
    from pathways.book.assemble import build as build_book
    from pathways.io.registry import load_registry
    from pathways.pipeline.runlock import folder_lock

    try:
        reg = load_registry(registry)
        url = configured_base_url() if base_url is None else check_base_url(base_url)
        with folder_lock(out, "build", log=lambda m: typer.echo(m, err=True)):
            src = assemble(Path("_build/src"), out_dir=out, registry=reg, version="draft", base_url=url)
        html = build_book(src, Path("_build/html"))
    except PathwaysError as exc:
        _fail(exc)
    except OSError as exc:
        _fail_io(exc)
    typer.echo(f"book preview: {(html / 'index.html').resolve()}")


@app.command()
def publish(
    version: Annotated[str, typer.Argument(help="Calendar version, such as 2025.1")],
    data: DataOpt = DEFAULT_DATA,
    registry: RegistryOpt = DEFAULT_REGISTRY,
    out: OutOpt = DEFAULT_OUT,
    base_url: Annotated[
        str | None,
        typer.Option(
            help="Address the reports folder will be served from, such as https://data.example.org/pathways/reports/ "
            "(default: pathways.base_url of _config.yml); makes every stable address absolute"
        ),
    ] = None,
    if_missing: Annotated[bool, typer.Option(help="Succeed without change when the version exists")] = False,
) -> None:
    """Freeze the book, standalone reports, indicator tables and validation results into <out>/<version>/."""
    from pathways.book.publish import publish as publish_version
    from pathways.io.registry import load_registry

    try:
        reg = load_registry(registry)
        target = publish_version(
            version,
            registry=reg,
            data_dir=data,
            out_dir=out,
            base_url=base_url,
            if_missing=if_missing,
            log=lambda m: typer.echo(m, err=True),
        )
    except PathwaysError as exc:
        _fail(exc, 1)
    except OSError as exc:
        _fail_io(exc, 1)
    typer.echo(f"published version {version}: {(target / 'book' / 'index.html').resolve()}")


@app.command()
def audit(
    version: Annotated[str, typer.Argument(help="A published version")],
    data: DataOpt = DEFAULT_DATA,
    registry: RegistryOpt = DEFAULT_REGISTRY,
    out: OutOpt = DEFAULT_OUT,
) -> None:
    """Scan a published version for learner-level data; exit 1 when anything is found."""
    from pathways.book.audit import audit_version
    from pathways.book.publish import check_version
    from pathways.io.registry import load_registry

    try:
        check_version(version)
        folder = out / version
        if not folder.is_dir():
            raise PathwaysError(f"version {version} is not published under {out}/")
        findings = audit_version(folder, data_dir=data, registry=load_registry(registry))
    except PathwaysError as exc:
        _fail(exc)
    except OSError as exc:
        _fail_io(exc)
    for f in findings:
        typer.echo(f"- {f}")
    typer.echo(f"audit of {version}: {len(findings)} finding(s)")
    raise typer.Exit(1 if findings else 0)
