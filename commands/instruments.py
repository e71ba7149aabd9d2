"""`flask instruments check [FILE ...]`: validate questionnaire files."""
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from diagnosis import InstrumentError, load_instrument

instruments_cli = AppGroup("instruments", help="Questionnaire (instrument) files.")


@instruments_cli.command("check")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
def check(files):
    """Validate FILES (default: every *.yaml in QUESTIONNAIRES_DIR); exit 1 listing all problems."""
    paths = [Path(f) for f in files] or sorted(Path(current_app.config["QUESTIONNAIRES_DIR"]).glob("*.yaml"))
    if not paths:
        click.echo(f"no *.yaml files in {current_app.config['QUESTIONNAIRES_DIR']}", err=True)
        raise SystemExit(1)
    problems, seen = [], {}
    for path in paths:
        try:
            inst = load_instrument(path)
        except InstrumentError as exc:
            problems.extend(exc.problems)
            continue
        if inst.id in seen:
            problems.append(f"{path}: id: duplicate instrument id '{inst.id}' (also in {seen[inst.id]})")
            continue
        seen[inst.id] = path
        click.echo(f"ok {path} ({inst.id} {inst.version}, {len(inst.questions)} questions)")
    for line in problems:
        click.echo(line, err=True)
    if problems:
        click.echo(f"{len(problems)} problem(s) found", err=True)
        raise SystemExit(1)


def init_app(app):
    app.cli.add_command(instruments_cli)
