"""The organisations part of `flask demo seed` (data/demo-organisations.yaml), idempotent."""
from datetime import timedelta
from pathlib import Path

import click
from flask import current_app
from sqlalchemy import select

from diagnosis.reader import safe_load
from services import accounts, consents, organisations, staff
from services.access_vocabulary import vocabulary
from storage.db import db_session
from storage.models import Enterprise, Membership, User
from storage.organisation_models import Consent, Organisation, OrgMembership

FILE = Path(__file__).resolve().parent.parent / "data" / "demo-organisations.yaml"


def _user(person, password) -> int:
    found = db_session.scalar(select(User.id).where(User.email == person["email"]))
    if found is not None:
        return found
    return accounts.create_user(person["email"], password, person["name"],
                                person.get("roles", ()), "zh_CN")


def _organisation(spec, ref) -> int:
    found = db_session.scalar(select(Organisation.id).where(
        Organisation.kind == spec["kind"], Organisation.name == spec["name"]))
    if found is not None:
        return found
    data = {k: v for k, v in spec.items() if k != "staff"}
    return organisations.create(organisations.OPERATOR, data, ref).id


def _consent(spec, org_ids) -> None:
    enterprise_id = db_session.scalar(select(Enterprise.id)
                                      .where(Enterprise.uscc == spec["enterprise"]))
    org_id = org_ids[spec["organisation"]]
    if enterprise_id is None or db_session.scalar(select(Consent.id).where(
            Consent.enterprise_id == enterprise_id, Consent.organisation_id == org_id)):
        return
    until = consents.local_today(current_app.config) + timedelta(days=spec["days"])
    terms = {"scopes": spec["scopes"], "purpose": vocabulary().purpose(spec["purpose"]),
             "valid_until": until}
    if spec["asked_by"] == "enterprise":
        owner = db_session.scalar(select(Membership.user_id).where(
            Membership.enterprise_id == enterprise_id, Membership.role == "owner"))
        consents.ask(accounts.load_account(owner), enterprise_id, org_id,
                     settings=current_app.config, **terms)
    else:
        by = db_session.scalar(select(User.id).where(User.email == spec["by"]))
        consents.invite(accounts.load_account(by), org_id, uscc=spec["enterprise"],
                        settings=current_app.config, **terms)


def seed(password: str, path: Path = FILE) -> None:
    """Create what the file lists and is missing; print the organisations' log-ins."""
    data = safe_load(path.read_text(encoding="utf-8"))
    ref = organisations.reference(current_app.config)
    org_ids = {}
    for spec in data["organisations"]:
        org_ids[spec["name"]] = org_id = _organisation(spec, ref)
        for person in spec["staff"]:
            user_id = _user(person, password)
            member = db_session.scalar(select(OrgMembership.id).where(
                OrgMembership.user_id == user_id, OrgMembership.organisation_id == org_id))
            if member is None:
                staff.add_member(org_id, user_id, person["role"])
    for spec in data["consents"]:
        _consent(spec, org_ids)
    click.echo("Organisations (same password), at /auth/login:")
    for spec in data["organisations"]:
        for person in spec["staff"]:
            click.echo(f"  {person['email']:<45} {person['role']}, {spec['name']}")
