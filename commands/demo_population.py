"""`flask demo population --enterprises N [--quarters Q] [--seed S]`: synthetic enterprises
with several quarters of submissions (services/population.py), for demos and benchmarks."""
from datetime import date

import click
from flask import current_app
from flask.cli import with_appcontext

from sqlalchemy import select

from services import instrument_registry, population
from storage.db import db_session
from storage.models import Enterprise
from storage.organisation_models import Organisation
from services.reference import load_districts, load_industries


PLANS = 60  # planning takes tens of milliseconds each: a sample keeps the demo seed quick


@click.command("population")
@with_appcontext
@click.option("--enterprises", type=click.IntRange(1, 5_000_000), required=True)
@click.option("--quarters", type=click.IntRange(1, 40), default=4, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--instrument", default="cn-sme-2024", show_default=True)
@click.option("--plans", type=click.IntRange(0, 100_000), default=PLANS, show_default=True,
              help="synthetic enterprises given a default plan (and some a help request)")
def population_command(enterprises, quarters, seed, instrument, plans):
    """Add N synthetic enterprises (marked 【合成】) with submitted assessments."""
    click.echo(add(enterprises, quarters, seed, instrument, plans))


def present():
    """Whether synthetic enterprises were added already."""
    return db_session.scalar(select(Enterprise.id).where(
        Enterprise.name.startswith(population.SYNTHETIC)).limit(1)) is not None


def add(enterprises, quarters, seed, instrument="cn-sme-2024", plans=None):
    """Generate, score and store, then plan for a sample (help requests go to the first
    centre, when there is one); returns the line to print."""
    config = current_app.config
    registry = instrument_registry.instruments(config["QUESTIONNAIRES_DIR"])
    try:
        inst = registry[instrument]
    except KeyError:
        raise click.BadParameter(f"no such instrument: {instrument}", param_hint="--instrument")
    districts = [d["value"] for d in load_districts(str(config["DISTRICTS_FILE"]))]
    industries = load_industries(str(config["INDUSTRIES_FILE"]))
    made = population.generate(inst, enterprises, quarters, seed, districts, industries,
                               date.today())
    written = population.store(inst, made)
    centre = db_session.scalar(select(Organisation.id).where(Organisation.kind == "centre")
                               .order_by(Organisation.id).limit(1))
    planned, asked = population.plan_and_ask(inst, config, PLANS if plans is None else plans,
                                             centre)
    return (f"{enterprises} synthetic enterprises, {written} submitted assessments "
            f"({inst.id} {inst.version}, {quarters} quarters, seed {seed}); {planned} default "
            f"plans, {asked} help requests")
