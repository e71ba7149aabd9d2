"""The projects part of `flask demo seed` (data/demo-projects.yaml), idempotent: every step is
taken through the services by the person who owns it, as in the application."""
import io
from datetime import timedelta
from pathlib import Path

import click
from flask import current_app
from sqlalchemy import func, select

from diagnosis import visible_ids
from diagnosis.effects import apply_effects
from diagnosis.reader import safe_load
from services import (access, accounts, consents, instrument_registry, projects,
                      provider_lifecycle, referrals)
from services import assessments as assessment_service
from services import catalogue as catalogues
from services.access_vocabulary import vocabulary
from storage.db import db_session, transaction
from storage.models import Assessment, Enterprise, Membership, User
from storage.organisation_models import Organisation, OrgMembership
from storage.project_models import Project, ProjectStep

FILE = Path(__file__).resolve().parent.parent / "data" / "demo-projects.yaml"
PDF = b"%%PDF-1.4\n%% demo document: %s\n%%%%EOF\n"


def _account(email):
    return accounts.load_account(db_session.scalar(select(User.id).where(User.email == email)))


def _owner(enterprise_id):
    return accounts.load_account(db_session.scalar(select(Membership.user_id).where(
        Membership.enterprise_id == enterprise_id, Membership.role == "owner")))


def _provider_staff(org_id):
    return accounts.load_account(db_session.scalar(select(OrgMembership.user_id).where(
        OrgMembership.organisation_id == org_id).order_by(OrgMembership.id)))


def _assessment(enterprise_id, owner, spec, registry):
    from commands.demo import _assessment as make  # the demo's own way of making assessments
    if spec is None:  # the enterprise's newest submitted assessment
        return db_session.scalar(select(Assessment.id).where(
            Assessment.enterprise_id == enterprise_id, Assessment.status == "submitted")
            .order_by(Assessment.id.desc()))
    make(enterprise_id, owner.id, {"instrument": "cn-sme-2024", "status": "submitted", **spec},
         registry)
    return db_session.scalar(select(func.max(Assessment.id)).where(
        Assessment.enterprise_id == enterprise_id))


def _follow_up(enterprise_id, owner, t0_id, spec, registry, cat):
    """T1: T0's answers with the project's modules in place (the effects the plan counted on),
    then what else changed meanwhile (`also`)."""
    t0 = db_session.get(Assessment, t0_id)
    instrument = registry.version(t0.instrument_id, t0.instrument_version)
    profile = assessment_service.profile_of(enterprise_id)
    effects = [e for m in spec["modules"] for e in cat.modules[m].effects]
    answers = apply_effects(instrument, t0.answers, effects,
                            lambda inst, given: visible_ids(inst, given, profile))
    return _assessment(enterprise_id, owner, {"answers": answers, "change": spec["t1"].get(
        "also", {}), "days_ago": spec["t1"]["days_ago"]}, registry)


def _centre_consent(enterprise_id, owner, centre_id):
    if access.consent_in_force(enterprise_id, [centre_id], ["share_summary", "share_report",
                                                            "view_assessments"]) is None:
        until = consents.local_today(current_app.config) + timedelta(days=365)
        consents.ask(owner, enterprise_id, centre_id, ["share_summary"],
                     vocabulary().purpose("project_acceptance"), until, current_app.config)


def _made(enterprise_id, modules) -> bool:
    """Whether the enterprise has a project for these modules (the demo has one per set)."""
    return any(sorted(m) == sorted(modules) for m in db_session.scalars(
        select(Project.modules).where(Project.enterprise_id == enterprise_id)))


def _project(spec, data, registry):
    cfg = current_app.config
    cat = catalogues.current(cfg)
    enterprise_id = db_session.scalar(select(Enterprise.id).where(Enterprise.uscc == spec["enterprise"]))
    org_id = db_session.scalar(select(Organisation.id).where(Organisation.name == spec["organisation"]))
    if enterprise_id is None or org_id is None or _made(enterprise_id, spec["modules"]):
        return False
    owner = _owner(enterprise_id)
    t0 = _assessment(enterprise_id, owner, spec.get("t0"), registry)
    until = consents.local_today(cfg) + timedelta(days=365)
    pid = projects.request_help(owner, enterprise_id, {
        "organisation_id": org_id, "assessment_id": t0, "modules": spec["modules"],
        "share": spec["share"], "message": spec.get("message", ""), "valid_until": until},
        catalogue=cat, settings=cfg)
    centre_id = db_session.scalar(select(Organisation.id).where(Organisation.name == data["centre"]))
    consultant = _account(data["centre_consultant"])
    profile = assessment_service.profile_of(enterprise_id)
    for step in spec["steps"]:
        if step == "pack":
            for item in ("contract", "invoices", "summary", "results"):
                projects.add_file(owner, pid, item, f"{item}.pdf", io.BytesIO(PDF % item.encode()), cfg)
            projects.link_follow_up(owner, pid, _follow_up(enterprise_id, owner, t0, spec, registry, cat))
            continue
        if step == "propose":
            referrals.propose(consultant, pid, catalogue=cat, profile=profile)
            continue
        if step == "choose":
            referrals.choose(owner, pid, spec["choose"], cfg)
            continue
        side = projects.rules(cfg).steps[step].side
        if side == "centre":
            _centre_consent(enterprise_id, owner, centre_id)
        # the organisation asked, or the provider chosen from the centre's short list
        asked = db_session.scalar(select(Project.organisation_id).where(Project.id == pid))
        actor = {"enterprise": owner, "provider": _provider_staff(asked), "centre": consultant}[side]
        projects.move(actor, pid, step, amount=spec.get("quote"), reason=spec.get("reason"),
                      settings=cfg, catalogue=cat, subsidy_rule=catalogues.subsidy_rule(cfg),
                      profile=profile)
    if "contract_days_ago" in spec:  # the steps up to the contract happened that long ago
        with transaction():
            for row in db_session.scalars(select(ProjectStep).where(
                    ProjectStep.project_id == pid, ProjectStep.step.in_(
                        ("request", "propose", "choose", "contact", "quote", "contract")))):
                row.at = row.at - timedelta(days=spec["contract_days_ago"])
    if "rating" in spec:
        projects.rate(owner, pid, spec["rating"], spec.get("comment", ""), cfg)
    return True


def seed(path: Path = FILE) -> None:
    """Create the demo projects and warnings that are missing."""
    data = safe_load(path.read_text(encoding="utf-8"))
    registry = instrument_registry.instruments(current_app.config["QUESTIONNAIRES_DIR"])
    made = sum(_project(spec, data, registry) for spec in data["projects"])
    for warning in data["warnings"]:
        cat = catalogues.current(current_app.config)
        if cat.providers[warning["provider"]].status == "active":
            deadline = consents.local_today(current_app.config) + timedelta(days=warning["deadline_days"])
            provider_lifecycle.act(_account(warning["by"]), warning["provider"], "warn",
                                   reason=warning["reason"], deadline=deadline, catalogue=cat,
                                   settings=current_app.config)
    if made:
        click.echo(f"Demo projects created: {made} (flask --app app projects list).")
