"""`flask instruments check [FILE ...]`: validate questionnaire and answer-mapping files;
`flask instruments upgrade-drafts`: move drafts of superseded versions to the latest."""
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from diagnosis import load_files
from diagnosis.mapping_loader import MappingError, load_mappings

instruments_cli = AppGroup("instruments", help="Questionnaire (instrument) files.")


@instruments_cli.command("check")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
def check(files):
    """Validate FILES (default: every *.yaml in QUESTIONNAIRES_DIR and its mappings/ folder,
    the mappings against those instruments); exit 1 listing all problems."""
    folder = Path(current_app.config["QUESTIONNAIRES_DIR"])
    paths = [Path(f) for f in files] or sorted(folder.glob("*.yaml"))
    if not paths:
        click.echo(f"no *.yaml files in {folder}", err=True)
        raise SystemExit(1)
    found, problems = load_files(paths)
    for inst in found.all():
        click.echo(f"ok {inst.source} ({inst.id} {inst.version}, {len(inst.questions)} questions)")
    if not files and not problems:
        try:
            mappings = load_mappings(folder / "mappings", found)
        except MappingError as exc:
            problems += exc.problems
        else:
            for m in mappings.values():
                click.echo(f"ok {m.file} ({' '.join(m.source)} → {' '.join(m.target)})")
    for line in problems:
        click.echo(line, err=True)
    if problems:
        click.echo(f"{len(problems)} problem(s) found", err=True)
        raise SystemExit(1)


@instruments_cli.command("upgrade-drafts")
@with_appcontext
def upgrade_drafts():
    """Move every draft of a superseded instrument version to the latest version, carrying
    over the answers its mapping maps (one transaction); prints the counts."""
    from services import upgrades
    try:
        counts = upgrades.upgrade_all_drafts(current_app.config["QUESTIONNAIRES_DIR"])
    except upgrades.NoMapping as exc:
        click.echo(str(exc), err=True)
        raise SystemExit(1) from None
    click.echo(f"{counts.drafts} draft(s) upgraded: {counts.carried_over} answer(s) carried over, "
               f"{counts.answer_again} to answer again, {counts.new_questions} new question(s)")
