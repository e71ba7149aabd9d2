"""`flask instruments check [FILE ...]`: validate questionnaire files."""
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from diagnosis import load_files

instruments_cli = AppGroup("instruments", help="Questionnaire (instrument) files.")


@instruments_cli.command("check")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
def check(files):
    """Validate FILES (default: every *.yaml in QUESTIONNAIRES_DIR); exit 1 listing all problems."""
    paths = [Path(f) for f in files] or sorted(Path(current_app.config["QUESTIONNAIRES_DIR"]).glob("*.yaml"))
    if not paths:
        click.echo(f"no *.yaml files in {current_app.config['QUESTIONNAIRES_DIR']}", err=True)
        raise SystemExit(1)
    found, problems = load_files(paths)
    for inst in found.values():
        click.echo(f"ok {inst.source} ({inst.id} {inst.version}, {len(inst.questions)} questions)")
    for line in problems:
        click.echo(line, err=True)
    if problems:
        click.echo(f"{len(problems)} problem(s) found", err=True)
        raise SystemExit(1)


def init_app(app):
    app.cli.add_command(instruments_cli)
