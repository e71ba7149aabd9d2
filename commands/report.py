"""`flask report (--assessment ID | --instrument ID --answers FILE.json [--profile FILE.json])
--out FILE.pdf [--lang zh|en]`: write a PDF diagnosis report."""
from pathlib import Path

import click
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
@with_appcontext
def report(assessment_id, instrument_id, answers_path, profile_path, out_path, lang):
    """Write the report of a submitted assessment, or of answers in a file (not archival)."""
    from services import reports

    if (assessment_id is None) == (instrument_id is None):
        _fail(["give either --assessment ID or --instrument ID with --answers FILE.json"])
    try:
        if assessment_id is not None:
            made = reports.report_for_assessment(assessment_id, lang)
        else:
            if not answers_path:
                _fail(["--instrument needs --answers FILE.json"])
            answers = _read_json(answers_path, "answers")
            profile = _read_json(profile_path, "profile") if profile_path else {}
            name = profile.get("name") if isinstance(profile, dict) else None
            enterprise = {"name": name} if name else {}
            made = reports.render(reports.inputs_for_answers(
                instrument_id, answers, profile, lang, enterprise=enterprise))
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


_UNAVAILABLE = {
    "unknown_assessment": "no assessment with id {assessment_id}",
    "not_submitted": "assessment {assessment_id} is a draft: submit it before making its report",
    "unknown_instrument": "unknown instrument '{instrument_id}'",
}


def init_app(app):
    app.cli.add_command(report)
