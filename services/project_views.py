"""Projects as each party sees them, as plain data: the SME's list, an organisation's list, one
project with its steps, pack and rating, and every project for the command line.

A provider sees only what the SME chose to share (the level and the modules asked for; the
report link only with `share: report`); every outsider read is audited through services.access.
"""
from sqlalchemy import select

from services import access
from services.errors import NotFound
from services.projects import UNAVAILABLE, pack_missing, project_or_404, rules, sides
from services.tokens import aware
from storage.base import utcnow
from storage.db import db_session, transaction
from storage.models import Assessment, Enterprise, User
from storage.organisation_models import Consent, Organisation
from storage.project_models import Project, ProjectFile, ProjectRating, ProjectStep


def _level(assessment: Assessment | None) -> dict | None:
    if assessment is None or not assessment.result:
        return None
    return {"id": assessment.id, "instrument": assessment.instrument_id,
            "total": assessment.total, "max_total": assessment.max_total,
            "level": (assessment.result.get("level") or {}).get("name"),
            "rank": assessment.level_rank}


def _provider(catalogue, ref) -> dict | None:
    p = catalogue.providers.get(ref or "")
    return None if p is None else {"id": p.id, "name": dict(p.name), "status": p.status,
                                   "note": dict(p.note)}


def _summary(project: Project, enterprise: Enterprise, org: Organisation, catalogue,
             project_rules) -> dict:
    provider = _provider(catalogue, project.provider_ref)
    open_ = not project_rules.final(project.status)
    return {"id": project.id, "enterprise": enterprise.name, "enterprise_id": enterprise.id,
            "organisation": org.name, "organisation_kind": org.kind, "provider": provider,
            "modules": [{"id": m, "name": dict(catalogue.modules[m].name)
                         if m in catalogue.modules else {"zh": m, "en": m}}
                        for m in project.modules],
            "status": project.status, "status_name": project_rules.statuses[project.status]["name"],
            "share": project.share, "quote": project.quote,
            "contracted_amount": project.contracted_amount, "subsidy": project.subsidy,
            "t0_assessment_id": project.t0_assessment_id,
            "t1_assessment_id": project.t1_assessment_id,
            # an open project with a provider no longer allowed to work: the SME must know
            "flagged": bool(open_ and provider and provider["status"] in UNAVAILABLE),
            "updated_at": aware(project.updated_at)}


def for_enterprise(actor, enterprise_id, *, catalogue, settings) -> list[dict]:
    """The enterprise's projects, newest first, for its own people."""
    enterprise_id = access.valid_id(enterprise_id)
    if not getattr(actor, "is_authenticated", False) or enterprise_id not in actor.enterprise_ids:
        raise NotFound()
    project_rules = rules(settings)
    rows = db_session.execute(
        select(Project, Enterprise, Organisation)
        .join(Enterprise, Enterprise.id == Project.enterprise_id)
        .join(Organisation, Organisation.id == Project.organisation_id)
        .where(Project.enterprise_id == enterprise_id).order_by(Project.id.desc())).all()
    return [_summary(p, e, o, catalogue, project_rules) for p, e, o in rows]


def for_organisation(actor, organisation_id, *, catalogue, settings,
                     enterprise_id: int | None = None) -> list[dict]:
    """A provider's referrals (the requests sent to it) or a centre's clients' projects, while
    the SME's consent is in force (only one enterprise's with `enterprise_id`); each
    enterprise listed leaves a `list_clients` record."""
    organisation_id = access.valid_id(organisation_id)
    role = actor.org_role(organisation_id) if getattr(actor, "is_authenticated", False) else None
    org = db_session.get(Organisation, organisation_id)
    if role is None or org is None or org.status != "active":
        raise NotFound()
    query = select(Project, Enterprise, Organisation) \
        .join(Enterprise, Enterprise.id == Project.enterprise_id) \
        .join(Organisation, Organisation.id == Project.organisation_id)
    if org.kind == "centre":
        clients = select(Consent.enterprise_id).where(
            Consent.organisation_id == org.id, Consent.status == "active",
            Consent.valid_until > utcnow())
        query = query.where(Project.enterprise_id.in_(clients))
    else:
        query = query.where(Project.organisation_id == org.id)
    if enterprise_id is not None:
        query = query.where(Project.enterprise_id == enterprise_id)
    project_rules, listed = rules(settings), []
    with transaction():
        for p, e, o in db_session.execute(query.order_by(Project.id.desc())).all():
            if not access.permits(actor, "view_referral", e.id, organisation_id=org.id):
                continue  # consent revoked or expired: the request is no longer theirs to see
            access.authorise(actor, "list_clients", e.id, organisation_id=org.id,
                             object_type="project", object_id=p.id)
            listed.append(_summary(p, e, o, catalogue, project_rules))
    return listed


def _steps(project: Project, project_rules) -> list[dict]:
    rows = db_session.execute(
        select(ProjectStep, User.name, Organisation.name)
        .outerjoin(User, User.id == ProjectStep.user_id)
        .outerjoin(Organisation, Organisation.id == ProjectStep.organisation_id)
        .where(ProjectStep.project_id == project.id).order_by(ProjectStep.id)).all()
    return [{"step": s.step, "status": s.status,
             "status_name": project_rules.statuses[s.status]["name"], "side": s.side,
             "who": who or "", "organisation": org_name, "at": aware(s.at),
             "amount": s.amount, "reason": s.reason} for s, who, org_name in rows]


def _pack(project: Project, project_rules) -> list[dict]:
    files = db_session.scalars(select(ProjectFile).where(ProjectFile.project_id == project.id)
                               .order_by(ProjectFile.id)).all()
    missing = set(pack_missing(project, project_rules))
    return [{"id": item.id, "name": item.name, "kind": item.kind, "done": item.id not in missing,
             "files": [{"id": f.id, "filename": f.filename, "size": f.size}
                       for f in files if f.item == item.id]}
            for item in project_rules.pack.values()]


def detail(actor, project_id, *, catalogue, settings) -> dict:
    """One project for one of its parties: the summary, what was shared, steps (who and when),
    acceptance pack, rating, and the steps the actor may take now. An outsider's read is
    audited; anyone else gets NotFound."""
    project = project_or_404(project_id)
    found = sides(actor, project)
    if not found:
        raise NotFound()
    if "enterprise" not in found:
        side = "provider" if "provider" in found else "centre"
        access.check(actor, "view_referral", project.enterprise_id,
                     organisation_id=found[side], object_type="project", object_id=project.id)
    project_rules = rules(settings)
    enterprise = db_session.get(Enterprise, project.enterprise_id)
    org = db_session.get(Organisation, project.organisation_id)
    view = _summary(project, enterprise, org, catalogue, project_rules)
    rating = db_session.scalar(select(ProjectRating).where(ProjectRating.project_id == project.id))
    t0 = db_session.get(Assessment, project.t0_assessment_id) if project.t0_assessment_id else None
    t1 = db_session.get(Assessment, project.t1_assessment_id) if project.t1_assessment_id else None
    view.update({
        "sides": sorted(found), "message": project.message, "reason": project.reason,
        "district": enterprise.district, "industry_code": enterprise.industry_code,
        "t0": _level(t0), "t1": _level(t1), "steps": _steps(project, project_rules),
        "pack": _pack(project, project_rules),
        "rating": None if rating is None else {
            "scores": [{"id": a, "name": project_rules.rating_aspects[a],
                        "value": rating.scores.get(a)} for a in project_rules.rating_aspects],
            "comment": rating.comment},
        "rating_aspects": [{"id": a, "name": n} for a, n in project_rules.rating_aspects.items()],
        "through_centre": org.kind == "centre" and project.status == "requested",
        "proposals": [dict(p, name=(_provider(catalogue, p["provider"]) or {}).get("name"))
                      for p in project.proposals or ()],
        "actions": [{"id": s.id, "name": s.name, "needs": list(s.needs), "side": s.side}
                    for side in sorted(found) for s in project_rules.open_steps(project.status, side)],
    })
    if "enterprise" in found:
        # What projects.link_follow_up accepts: the baseline's version, submitted after it.
        view["follow_up_choices"] = [] if t0 is None else [
            {"id": a.id, "total": a.total, "submitted_at": aware(a.submitted_at)}
            for a in db_session.scalars(select(Assessment).where(
                Assessment.enterprise_id == project.enterprise_id, Assessment.status == "submitted",
                Assessment.id != t0.id, Assessment.submitted_at >= t0.submitted_at,
                Assessment.instrument_id == t0.instrument_id,
                Assessment.instrument_version == t0.instrument_version)
                .order_by(Assessment.id.desc()))]
    return view


def all_projects() -> list[dict]:
    """Every project for the command line (the operator's view): plain values only; `provider`
    is the catalogue provider id, None while a centre is still finding one."""
    rows = db_session.execute(
        select(Project, Enterprise.name, Organisation.name)
        .join(Enterprise, Enterprise.id == Project.enterprise_id)
        .join(Organisation, Organisation.id == Project.organisation_id)
        .order_by(Project.id)).all()
    return [{"id": p.id, "enterprise": e, "provider": p.provider_ref, "modules": list(p.modules),
             "status": p.status, "contracted_amount": p.contracted_amount, "subsidy": p.subsidy,
             "t0_assessment_id": p.t0_assessment_id, "t1_assessment_id": p.t1_assessment_id}
            for p, e, o in rows]


def help_targets(*, catalogue, modules=()) -> list[dict]:
    """Whom an SME can ask for help with `modules` (public data): provider organisations whose
    catalogue provider offers them all and still takes requests (warned ones marked), then the
    centres, which find a suitable provider."""
    rows = db_session.scalars(select(Organisation).where(
        Organisation.status == "active", Organisation.kind.in_(("provider", "centre")))
        .order_by(Organisation.kind.desc(), Organisation.name)).all()
    targets = []
    for org in rows:
        entry = {"id": org.id, "name": org.name, "kind": org.kind, "warned": False, "price": None}
        if org.kind == "provider":
            p = catalogue.providers.get(org.provider_ref or "")
            if p is None or p.status in UNAVAILABLE or any(p.offer_for(m) is None for m in modules):
                continue
            entry.update(warned=p.status == "warned", provider=p.id,
                         price=sum(p.offer_for(m).price for m in modules) if modules else None)
        targets.append(entry)
    return targets


def prices_by_module(actor, enterprise_id) -> dict:
    """module id -> the enterprise's own figure for it from its newest project that is not
    withdrawn or rejected: {"project", "kind" ("contracted" | "quote"), "amount", "subsidy"}.
    For the enterprise's own people only (empty for anyone else)."""
    if not getattr(actor, "is_authenticated", False) or enterprise_id not in actor.enterprise_ids:
        return {}
    found = {}
    for p in db_session.scalars(select(Project).where(
            Project.enterprise_id == enterprise_id, Project.status.not_in(("withdrawn", "rejected")),
            Project.quote.is_not(None)).order_by(Project.id)):
        kind = "contracted" if p.contracted_amount is not None else "quote"
        figure = {"project": p.id, "kind": kind, "subsidy": p.subsidy,
                  "amount": p.contracted_amount if kind == "contracted" else p.quote}
        found.update({m: figure for m in p.modules})
    return found
