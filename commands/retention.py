"""`flask --app app retention purge [--dry-run]`: remove what the rules kept of deleted
enterprises once its period has passed (services/retention.py). Safe to run daily."""
import click
from flask import current_app
from flask.cli import AppGroup

from services import retention
from storage.base import utcnow

retention_cli = AppGroup("retention", help="What is kept after an enterprise's deletion.")


@retention_cli.command("purge")
@click.option("--dry-run", is_flag=True, help="Count what would go; change nothing.")
def purge(dry_run):
    """Print one line per kind with how many were removed (or would be, with --dry-run)."""
    counts = retention.purge(utcnow(), current_app.config, dry_run=dry_run)
    verb = "would remove" if dry_run else "removed"
    for kind in retention.KINDS:
        click.echo(f"{kind}: {verb} {counts[kind]}")
    click.echo(f"audit records redacted: {counts['audit_records_redacted']}")
    click.echo(f"deleted enterprises: {verb} {counts['enterprises']}")
    if not dry_run:
        click.echo(f"files: removed {counts['files']}")

