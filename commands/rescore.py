"""`flask rescore --instrument ID --file NEW.yaml --what-if [--format json|table]`."""
import json
import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from commands.diagnose import EXIT_BAD_INPUT
from diagnosis import InstrumentError, load_instrument
from services import instrument_registry, rescore
from services.aggregate_exports import SUPPRESSED


@click.command("rescore")
@click.option("--instrument", required=True)
@click.option("--file", "path", required=True, type=click.Path(dir_okay=False))
@click.option("--what-if", is_flag=True, help="Only report what would change (required: "
              "stored results are never rescored).")
@click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="json")
@with_appcontext
def rescore_command(instrument, path, what_if, fmt):
    """How the level distribution of stored assessments would change under a changed file."""
    problems = []
    if not what_if:
        problems.append("--what-if is required: stored results are never rescored")
    registry = instrument_registry.instruments(current_app.config["QUESTIONNAIRES_DIR"])
    current = registry.get(instrument) if hasattr(registry, "get") else None
    if current is None:
        problems.append(f"unknown instrument '{instrument}'")
    try:
        changed = load_instrument(path)
    except InstrumentError as exc:
        problems += exc.problems
        changed = None
    except OSError as exc:
        problems.append(f"{path}: cannot read: {exc.strerror}")
        changed = None
    if changed is not None and current is not None and changed.id != current.id:
        problems.append(f"{path}: is instrument '{changed.id}', not '{instrument}'")
    if problems:
        for problem in problems:
            click.echo(problem, err=True)
        sys.exit(EXIT_BAD_INPUT)
    found = rescore.what_if(changed, current.version, k=current_app.config["DISCLOSURE_K"])
    if fmt == "json":
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    click.echo(f"{found['instrument']} {found['stored_version']} → file {found['file_version']}: "
               f"{_mark(found['assessments'])} assessments, {_mark(found['unscorable'])} not "
               f"scorable (× = suppressed: fewer than {found['k']} enterprises, or it would "
               "reveal one)")
    click.echo(f"{'level':<10}{'stored':>10}{'what-if':>10}")
    for level, count in found["before"].items():
        click.echo(f"{level:<10}{_mark(count):>10}{_mark(found['after'][level]):>10}")
    for move, count in found["moves"].items():
        click.echo(f"  {move}: {_mark(count)}")


def _mark(value):
    return SUPPRESSED if value is None else str(value)
