"""`flask demo population --enterprises N [--quarters Q] [--seed S]`: synthetic enterprises
with several quarters of submissions (services/population.py), for demos and benchmarks."""
from datetime import date

import click
from flask import current_app
from flask.cli import with_appcontext

from services import assessments, population
from services.reference import load_districts, load_industries


@click.command("population")
@with_appcontext
@click.option("--enterprises", type=click.IntRange(1, 5_000_000), required=True)
@click.option("--quarters", type=click.IntRange(1, 40), default=4, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--instrument", default="cn-sme-2024", show_default=True)
def population_command(enterprises, quarters, seed, instrument):
    """Add N synthetic enterprises (marked 【合成】) with submitted assessments."""
    config = current_app.config
    registry = assessments.instruments(config["QUESTIONNAIRES_DIR"])
    try:
        inst = registry[instrument]
    except KeyError:
        raise click.BadParameter(f"no such instrument: {instrument}", param_hint="--instrument")
    districts = [d["value"] for d in load_districts(str(config["DISTRICTS_FILE"]))]
    industries = load_industries(str(config["INDUSTRIES_FILE"]))
    made = population.generate(inst, enterprises, quarters, seed, districts, industries,
                               date.today())
    written = population.store(inst, made)
    click.echo(f"{enterprises} synthetic enterprises, {written} submitted assessments "
               f"({inst.id} {inst.version}, {quarters} quarters, seed {seed})")
