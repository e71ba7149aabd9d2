"""`flask catalogue import FILE... [--replace]`, `flask catalogue export --kind K [--format F] [-o FILE]`,
`flask catalogue check [DIR]`."""
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from commands.diagnose import EXIT_BAD_INPUT
from diagnosis import load_instruments
from diagnosis.catalogue import CatalogueError, load_catalogue
from services import catalogue as catalogues

group = AppGroup("catalogue", help="Solution modules and service providers.")


@group.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=True))
@click.option("--replace", is_flag=True, help="Replace the kind(s) imported instead of merging by id.")
def import_(paths, replace):
    """Import YAML or CSV files (a directory: its modules.yaml and providers.yaml).

    The whole catalogue that would result is validated first; any problem refuses the import
    with file, row and field named, and nothing stored changes.
    """
    files = []
    for path in map(Path, paths):
        members = [path / f"{k}.yaml" for k in catalogues.KINDS] if path.is_dir() else [path]
        files += [(m.name, m.read_bytes()) for m in members if m.exists()]
    try:
        report = catalogues.import_files(files, current_app.config, replace=replace)
    except CatalogueError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{len(exc.problems)} problem(s); nothing was imported", err=True)
        raise SystemExit(EXIT_BAD_INPUT)
    click.echo(f"imported {', '.join(report.files)}: {report.modules} modules, {report.providers} providers")


@group.command("export")
@click.option("--kind", type=click.Choice(catalogues.KINDS), required=True)
@click.option("--format", "fmt", type=click.Choice(["yaml", "csv", "json"]), default="yaml", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="File to write (default: standard output).")
def export(kind, fmt, output):
    """Write the catalogue in use (one kind) as YAML, CSV or JSON."""
    text = catalogues.export(kind, current_app.config, fmt)
    if output:
        Path(output).write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}")
    else:
        click.echo(text, nl=False)


@group.command("check")
@click.argument("directory", required=False, type=click.Path(file_okay=False, exists=True))
def check(directory):
    """Validate a catalogue directory (default: the sample catalogue) without importing it."""
    directory = directory or current_app.config["CATALOGUES_DIR"]
    try:
        plain = load_catalogue(directory)  # structure first, then effects against its instrument
        inst = load_instruments(current_app.config["QUESTIONNAIRES_DIR"]).get(plain.instrument)
        cat = load_catalogue(directory, inst)
    except CatalogueError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        raise SystemExit(EXIT_BAD_INPUT)
    click.echo(f"{directory}: {len(cat.modules)} modules, {len(cat.providers)} providers, no problems")
