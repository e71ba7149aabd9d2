"""`flask projects list [--format json|table]` and `flask providers outcomes [--format json|table]`."""
import json

import click
from flask import current_app
from flask.cli import AppGroup

from services import catalogue as catalogues
from services import project_views, provider_outcomes

projects_cli = AppGroup("projects", help="Help requests and the projects they became.")
providers_cli = AppGroup("providers", help="Service providers: their outcome records.")
FORMAT = click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="json",
                      show_default=True)


def _money(n):
    return "—" if n is None else f"{n:,}"


@projects_cli.command("list")
@FORMAT
def list_(fmt):
    """Every project: id, enterprise, provider, modules, status, contracted amount, subsidy, and
    the T0 and T1 assessment ids."""
    rows = project_views.all_projects()
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    click.echo(f"{'id':>5}  {'status':<12} {'provider':<9} {'contracted':>12} {'subsidy':>10} "
               f"{'T0':>5} {'T1':>5}  enterprise / modules")
    for r in rows:
        click.echo(f"{r['id']:>5}  {r['status']:<12} {r['provider'] or '—':<9} "
                   f"{_money(r['contracted_amount']):>12} {_money(r['subsidy']):>10} "
                   f"{r['t0_assessment_id'] or '—':>5} {r['t1_assessment_id'] or '—':>5}  "
                   f"{r['enterprise']} / {', '.join(r['modules']) or '—'}")


def _figure(value, suffix=""):
    return "—" if value is None else f"{value:g}{suffix}"


@providers_cli.command("outcomes")
@FORMAT
def outcomes(fmt):
    """Every provider's outcome record with the counts it rests on (shown on its page from the
    rules' `min_accepted` accepted projects)."""
    rows = provider_outcomes.outcomes(settings=current_app.config, catalogue=catalogues.current(current_app.config))
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    click.echo(f"{'provider':<9} {'status':<9} {'proj':>4} {'acc':>4} {'rej':>4} {'wdr':>4} "
               f"{'acc.share':>9} {'pairs':>5} {'Δlevel':>6} {'Δpoints':>7} {'rated':>5} "
               f"{'satisf.':>7} {'days':>5}  shown")
    for row in rows:
        r = row["record"]
        share = None if r["accepted_share"] is None else round(r["accepted_share"] * 100, 1)
        click.echo(f"{row['provider']:<9} {row['status']:<9} {r['projects']:>4} {r['accepted']:>4} "
                   f"{r['rejected']:>4} {r['withdrawn']:>4} {_figure(share, '%'):>9} "
                   f"{r['assessed_pairs']:>5} {_figure(r['median_level_uplift']):>6} "
                   f"{_figure(r['median_point_uplift']):>7} {r['rated']:>5} "
                   f"{_figure(r['median_satisfaction']):>7} "
                   f"{_figure(r['median_days_to_acceptance']):>5}  {'yes' if r['shown'] else 'no'}")
