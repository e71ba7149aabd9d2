"""`flask report (--assessment ID [--budget N] [--target-level L] [--horizon M] | --instrument ID
--answers FILE.json [--profile FILE.json]) --out FILE.pdf [--lang zh|en]`: write a PDF
diagnosis report (an assessment's with the plan of these choices, else the default plan)."""
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from commands.diagnose import _fail, _read_json
from diagnosis import AnswerError, InstrumentError


@click.command("report")
@click.option("--assessment", "assessment_id", type=int, help="A submitted assessment's id.")
@click.option("--instrument", "instrument_id", help="Instrument id, with --answers.")
@click.option("--answers", "answers_path", type=click.Path(dir_okay=False),
              help="Answers JSON: question id -> answer.")
@click.option("--profile", "profile_path", type=click.Path(dir_okay=False),
              help="Enterprise profile JSON (may carry a \"name\" for the cover).")
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False),
              help="Where to write the PDF.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("--budget", help="With --assessment: the plan's budget in yuan (default 200000).")
@click.option("--target-level", "target", help="With --assessment: the plan's target level id.")
@click.option("--horizon", help="With --assessment: the plan's horizon in months (6, 12, 18, 24).")
@with_appcontext
def report(assessment_id, instrument_id, answers_path, profile_path, out_path, lang,
           budget, target, horizon):
    """Write the report of a submitted assessment, or of answers in a file (not archival)."""
    from services import reports

    if (assessment_id is None) == (instrument_id is None):
        _fail(["give either --assessment ID or --instrument ID with --answers FILE.json"])
    asked = {k: v for k, v in (("budget", budget), ("target", target), ("horizon", horizon))
             if v is not None}
    if asked and assessment_id is None:
        _fail(["--budget, --target-level and --horizon go with --assessment ID"])
    try:
        if assessment_id is not None:
            made = reports.report_for_assessment(assessment_id, lang, current_app.config,
                                                 _choices(assessment_id, asked))
        else:
            if not answers_path:
                _fail(["--instrument needs --answers FILE.json"])
            answers = _read_json(answers_path, "answers")
            profile = _read_json(profile_path, "profile") if profile_path else {}
            name = profile.get("name") if isinstance(profile, dict) else None
            enterprise = {"name": name} if name else {}
            made = reports.render(reports.inputs_for_answers(
                instrument_id, answers, profile, lang, current_app.config, enterprise=enterprise),
                current_app.config)
    except reports.ReportUnavailable as exc:
        _fail([_UNAVAILABLE.get(exc.code, exc.code).format(assessment_id=assessment_id,
                                                            instrument_id=instrument_id)])
    except InstrumentError as exc:
        _fail(exc.problems)
    except AnswerError as exc:
        _fail([f"{answers_path}: {p.message}" for p in exc.problems]
              + [f"{len(exc.problems)} problem(s) found"])
    Path(out_path).write_bytes(made.pdf)
    click.echo(f"{out_path}: report {made.report_id}, {len(made.pdf) // 1024} KB "
               f"(suggested name {made.filename})")


def _choices(assessment_id, asked):
    """Plan choices read as the plan page reads them; None (the default plan) when none."""
    from services import planning
    from storage.db import db_session
    from storage.models import Assessment

    if not asked:
        return None
    row = db_session.get(Assessment, assessment_id)
    instrument = planning.instrument(row.instrument_id, current_app.config) if row is not None else None
    if instrument is None:
        return None  # report_for_assessment names what is wrong with the assessment
    choices = planning.read_choices(asked, instrument, current_app.config)
    if choices.problems:
        _fail([_BAD_CHOICE[f].format(levels=", ".join(lv.id for lv in instrument.levels))
               for f in choices.problems])
    return choices


_BAD_CHOICE = {
    "budget": "--budget: give a whole number of yuan, e.g. 200000",
    "target": "--target-level: give one of the levels {levels}",
    "horizon": "--horizon: give 6, 12, 18 or 24 months",
}

_UNAVAILABLE = {
    "unknown_assessment": "no assessment with id {assessment_id}",
    "not_submitted": "assessment {assessment_id} is a draft: submit it before making its report",
    "unknown_instrument": "unknown instrument '{instrument_id}'",
}
