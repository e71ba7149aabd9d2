"""`flask demo seed`: demo enterprises, people and assessments (data/demo.yaml), idempotent."""
import json
from datetime import timedelta
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select
from sqlalchemy.exc import OperationalError, ProgrammingError

from commands import demo_consultations, demo_organisations, demo_projects
from diagnosis.reader import safe_load
from services import accounts, drafts, instrument_registry, invitations, submission
from services import assessments as assessment_service
from services.errors import DomainError
from services.profile import update_profile
from storage.base import utcnow
from storage.db import db_session, transaction
from storage.models import Assessment, User

ROOT = Path(__file__).resolve().parent.parent
demo_cli = AppGroup("demo", help="Demonstration data.")


def _exists(email: str) -> bool:
    return db_session.scalar(select(User.id).where(User.email == email)) is not None


def _assessment(enterprise_id, user_id, spec, registry):
    # "version": an older version (its results stay as scored, its drafts move on when opened)
    instrument = registry.version(spec["instrument"], str(spec["version"])) if "version" in spec \
        else registry[spec["instrument"]]
    answers = spec["answers"]  # written out in the demo file, or the path of an example file
    if isinstance(answers, str):
        answers = json.loads((ROOT / answers).read_text(encoding="utf-8"))
    answers = {**answers, **spec.get("change", {})}  # an example file with a few answers changed
    if spec["status"] == "draft":  # a draft half-way through, as people leave them
        answers = dict(list(answers.items())[:max(1, int(len(answers) * spec.get("share", 0.5)))])
    profile = assessment_service.profile_of(enterprise_id)
    assessment_id = drafts.start(enterprise_id, user_id, instrument)
    drafts.save_answers(assessment_id, enterprise_id, instrument, answers, profile)
    if spec["status"] == "submitted":
        submission.submit(assessment_id, enterprise_id, instrument, profile, pledged=True,
                          settings=current_app.config)
        with transaction():  # back-date it, so the results page shows change over time
            row = db_session.get(Assessment, assessment_id)
            moment = utcnow() - timedelta(days=spec.get("days_ago", 0))
            row.created_at = row.pledged_at = row.submitted_at = moment


def _enterprise(spec, password, registry):
    owner = spec["owner"]
    user_id = accounts.register(owner["email"], password, owner["name"], spec["name"], "zh_CN")
    account = accounts.load_account(user_id)
    enterprise_id = account.enterprise_id
    profile = {k: spec.get(k) for k in ("name", "uscc", "industry_code", "district", "employees",
                                         "annual_revenue", "total_assets", "main_products",
                                         "has_cio")}
    update_profile(enterprise_id, profile, current_app.config["SIZE_RULES_FILE"])
    for member in spec.get("members", []):
        token = invitations.invite(account, enterprise_id, member["email"], days=1)
        invitations.accept_invitation(token, name=member["name"], password=password,
                                      locale="zh_CN")
    for item in spec.get("assessments", []):
        _assessment(enterprise_id, user_id, item, registry)


def _add_enterprises(data) -> int:
    """Create the demo enterprises that are not there yet; how many."""
    missing = [spec for spec in data["enterprises"] if not _exists(spec["owner"]["email"])]
    if missing:
        registry = instrument_registry.instruments(current_app.config["QUESTIONNAIRES_DIR"])
        for spec in missing:
            _enterprise(spec, data["password"], registry)
    return len(missing)


def _print_logins(data):
    click.echo(f"Demo log-ins (password for all: {data['password']}), at /auth/login:")
    for e in data["enterprises"]:
        people = [e["owner"]["email"]] + [m["email"] for m in e.get("members", [])]
        click.echo(f"  {', '.join(people):<45} {e['name']} ({e['district']}, {e['industry_code']})")
    for s in data["staff"]:
        click.echo(f"  {s['email']:<45} {', '.join(s['roles'])}")


@demo_cli.command("seed")
@click.option("--file", "path", default=str(ROOT / "data" / "demo.yaml"), show_default=True,
              type=click.Path(exists=True, dir_okay=False))
def seed(path):
    """Create the demo enterprises, people and assessments once; later runs change nothing."""
    data = safe_load(Path(path).read_text(encoding="utf-8"))
    try:
        complete = _exists(data["staff"][-1]["email"])
    except (OperationalError, ProgrammingError):
        raise click.ClickException("the database has no tables yet: run "
                                   "`alembic upgrade head` first") from None
    if complete:
        added = _add_enterprises(data)  # listed since this database was seeded
        click.echo(f"Demo enterprises added: {added}." if added
                   else "Demo data is already there; nothing changed.")
        _print_logins(data)
        demo_organisations.seed(data["password"])
        _later_part("consultations", demo_consultations.seed)
        _later_part("projects", demo_projects.seed)
        _population(data)
        return
    _add_enterprises(data)
    for staff in data["staff"]:
        if not _exists(staff["email"]):
            accounts.create_user(staff["email"], data["password"], staff["name"],
                                 staff["roles"], "zh_CN")
    click.echo(f"Demo data created: {len(data['enterprises'])} enterprises with their "
               f"assessments, {len(data['staff'])} staff accounts.")
    _print_logins(data)
    demo_organisations.seed(data["password"])
    demo_consultations.seed()
    demo_projects.seed()
    _population(data)


def _later_part(name, seed_part):
    """Seed a part of the demo added after this database was first seeded; when the older demo
    lacks what it builds on (e.g. a consent), say so instead of stopping the server's start."""
    try:
        seed_part()
    except DomainError:
        db_session.rollback()
        click.echo(f"Demo {name} left out: this demo database predates them. For the full demo, "
                   "remove instance/diagnosis.sqlite3 and seed again.")


def _population(data):
    """The synthetic enterprises the bureau dashboard shows (once)."""
    spec = data.get("population")
    if spec and not demo_population.present():
        click.echo(demo_population.add(spec["enterprises"], spec["quarters"], spec["seed"]))


from commands import demo_population  # noqa: E402
from commands.demo_population import population_command  # noqa: E402
demo_cli.add_command(population_command)
