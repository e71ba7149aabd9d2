"""`flask aggregates --instrument ID --by KEYS [filters] --format json|csv|xlsx [--out FILE]`."""
import json
import sys
from datetime import date

import click
from flask import current_app
from flask.cli import with_appcontext

from commands.diagnose import EXIT_BAD_INPUT
from services import aggregate_exports, aggregates, instrument_registry, organisations
from services.reference import load_priority_industries


@click.command("aggregates")
@with_appcontext
@click.option("--instrument", required=True)
@click.option("--by", required=True, help="Comma-separated: district, size_class, industry "
              "(门类), division (大类).")
@click.option("--industry", help="A GB/T 4754 门类 letter or 大类 code.")
@click.option("--priority", help="The city's priority industries: all, or one group's id "
              "from data/priority-industries.yaml (e.g. automotive).")
@click.option("--district")
@click.option("--size-class")
@click.option("--as-of", help="YYYY-MM-DD (default today): each enterprise's latest "
              "submitted assessment by that day.")
@click.option("--since", help="YYYY-MM-DD (optional): count only assessments submitted from "
              "that day to the as-of day.")
@click.option("--mode", default="all", help="self | on_site | all")
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "xlsx"]), default="json")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh")
@click.option("--out", type=click.Path(dir_okay=False), help="File to write (default stdout).")
def aggregates_command(instrument, by, industry, priority, district, size_class, as_of, since,
                       mode, fmt, lang, out):
    """Aggregate maturity for the whole city, with disclosure control; bad filters exit 2."""
    config = current_app.config
    registry = instrument_registry.instruments(config["QUESTIONNAIRES_DIR"])
    raw = {"instrument": instrument, "by": by, "industry": industry, "priority": priority,
           "district": district, "size_class": size_class, "as_of": as_of, "since": since,
           "mode": mode}
    try:
        query = aggregates.parse(raw, organisations.reference(config), registry, date.today(),
                                 k=config.get("DISCLOSURE_K", 5))
    except aggregates.QueryInvalid as err:
        for message in err.messages(lang):
            click.echo(message, err=True)
        sys.exit(EXIT_BAD_INPUT)
    levels = [level.id for level in registry[query.instrument].levels]
    table = aggregates.table(query, levels)
    if fmt == "json":
        data = (json.dumps(table, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    elif fmt == "csv":
        data = aggregate_exports.to_csv(table, lang)
    else:
        data = aggregate_exports.to_xlsx(table, lang, priorities=load_priority_industries(
            str(config["PRIORITY_INDUSTRIES_FILE"]), str(config["INDUSTRIES_FILE"])))
    if out:
        with open(out, "wb") as handle:
            handle.write(data)
    else:
        sys.stdout.buffer.write(data)
