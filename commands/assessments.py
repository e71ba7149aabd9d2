"""`flask assessments list [--enterprise ID] --format json|table`: every assessment, self and
on-site, for administrators and scripts."""
import json

import click
from flask.cli import AppGroup

from services.assessment_list import KEYS, all_assessments

assessments_cli = AppGroup("assessments", help="Assessments: self-assessments and on-site.")


@assessments_cli.command("list")
@click.option("--enterprise", "enterprise_id", type=click.IntRange(1, 2**63 - 1),
              help="Only this enterprise's assessments.")
@click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="table",
              show_default=True)
def list_(enterprise_id, fmt):
    """One row per assessment: id, enterprise, instrument, version, mode, status, total,
    level, signed_at, report_number."""
    rows = all_assessments(enterprise_id)
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = [KEYS] + [tuple("" if r[k] is None else (f"{r[k]:g}" if k == "total" else str(r[k]))
                            for k in KEYS) for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(KEYS))]
    for row in table:
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
