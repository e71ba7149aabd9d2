"""`flask reports prune [--older-than DAYS]`: remove stored PDF reports older than DAYS
(default REPORT_KEEP_DAYS) and, per assessment, those beyond its REPORT_COPIES newest. A removed
report is rendered again, with the same report id, when someone asks for it."""
import click
from flask import current_app
from flask.cli import AppGroup

group = AppGroup("reports", help="Stored PDF reports.")


@group.command("prune")
@click.option("--older-than", "days", type=click.IntRange(min=0),
              help="Remove reports stored more than this many days ago (default REPORT_KEEP_DAYS).")
def prune(days):
    """Remove old stored reports and the copies beyond each assessment's newest."""
    from services import reports

    removed = reports.prune(current_app.config, older_than_days=days)
    click.echo(f"removed {removed} stored report(s)")
