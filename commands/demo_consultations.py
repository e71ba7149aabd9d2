"""The consultations part of `flask demo seed` (data/demo-consultations.yaml): run once, after
the organisations, through the same services the pages use."""
from datetime import timedelta
from pathlib import Path

import click
from flask import current_app
from sqlalchemy import select

from diagnosis.reader import safe_load
from services import (accounts, baseline, consents, on_site, on_site_evidence, on_site_items,
                      on_site_sign_off)
from services.access_vocabulary import vocabulary
from services.instrument_registry import instruments
from services.file_store import store_for
from storage.consultation_models import OnSiteAssessment
from storage.db import db_session
from storage.models import Assessment, Enterprise, Membership, User
from storage.organisation_models import Consent, Organisation

ROOT = Path(__file__).resolve().parent.parent
FILE = ROOT / "data" / "demo-consultations.yaml"


def _enterprise(uscc) -> int:
    return db_session.scalar(select(Enterprise.id).where(Enterprise.uscc == uscc))


def _person(email):
    return accounts.load_account(db_session.scalar(select(User.id).where(User.email == email)))


def _consent(spec, org_id) -> None:
    enterprise_id = _enterprise(spec["enterprise"])
    if db_session.scalar(select(Consent.id).where(Consent.enterprise_id == enterprise_id,
                                                  Consent.organisation_id == org_id)):
        return
    owner = db_session.scalar(select(Membership.user_id).where(
        Membership.enterprise_id == enterprise_id, Membership.role == "owner"))
    until = consents.local_today(current_app.config) + timedelta(days=spec["days"])
    consents.ask(accounts.load_account(owner), enterprise_id, org_id, scopes=spec["scopes"],
                 purpose=vocabulary().purpose(spec["purpose"]), valid_until=until,
                 settings=current_app.config)


def _visit(spec, org_id, instrument) -> int:
    consultant = _person(spec["consultant"])
    aid = on_site.start(consultant, org_id, _enterprise(spec["enterprise"]), instrument)
    for change in spec.get("adjust", ()):
        on_site_items.save_item(consultant, aid, instrument, change["item"], change["answer"],
                                reason=change["reason"],
                                base=on_site_items.last_change_id(aid, change["item"]))
    for item in spec.get("evidence", ()):
        with (ROOT / item["file"]).open("rb") as stream:
            on_site_evidence.attach(consultant, aid, item["item"], instrument, stream, item["name"],
                                    store_for(current_app.config))
    if spec.get("sign_by"):
        on_site_sign_off.submit_for_review(consultant, aid, instrument)
        on_site_sign_off.sign(_person(spec["sign_by"]), aid, instrument, current_app.config)
    return aid


def _baseline(spec) -> None:
    rows = db_session.scalars(select(Assessment).where(
        Assessment.enterprise_id == _enterprise(spec["enterprise"]),
        Assessment.instrument_id == spec["instrument"], Assessment.status == "submitted",
        Assessment.mode == "self").order_by(Assessment.submitted_at)).all()
    if rows:
        row = rows[0] if spec["which"] == "first" else rows[-1]
        owner = db_session.scalar(select(Membership.user_id).where(
            Membership.enterprise_id == row.enterprise_id, Membership.role == "owner"))
        baseline.mark(accounts.load_account(owner), row.id)


def seed(path: Path = FILE) -> None:
    """Create the demo consultations unless the centre has on-site assessments already."""
    data = safe_load(path.read_text(encoding="utf-8"))
    org_id = db_session.scalar(select(Organisation.id).where(Organisation.kind == "centre",
                                                             Organisation.name == data["centre"]))
    if org_id is None or db_session.scalar(select(OnSiteAssessment.assessment_id).where(
            OnSiteAssessment.organisation_id == org_id)):
        return
    for spec in data["consents"]:
        _consent(spec, org_id)
    instrument = instruments(current_app.config["QUESTIONNAIRES_DIR"])["cn-sme-2024"]
    made = [_visit(spec, org_id, instrument) for spec in data["on_site"]]
    for spec in data["baselines"]:
        _baseline(spec)
    click.echo(f"Consultations: {len(made)} on-site assessments at {data['centre']} "
               f"(one in progress, one signed), a T0/T1 pair.")
