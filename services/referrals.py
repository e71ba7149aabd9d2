"""Referrals through a centre: an SME asked its centre for "any suitable provider"; a consultant
proposes a short list from the neutral ranking (diagnosis/matching.py), each provider with the
reason it was chosen; the SME picks one, and the request moves to that provider under a consent
of the same share.

Only providers with an organisation account can take a request, so the short list is the
ranking's best among them.
"""
from sqlalchemy import select, update

from diagnosis.matching import match_providers
from services import access, consents
from services.access_vocabulary import vocabulary
from services.errors import Conflict, InvalidInput, NotFound
from services.projects import SHARE_SCOPES, project_or_404, sides
from storage.base import utcnow
from storage.db import db_session, transaction
from storage.organisation_models import Consent, Organisation
from storage.project_models import Project, ProjectStep

SHORT_LIST = 3


def _through_centre(project: Project) -> bool:
    org = db_session.get(Organisation, project.organisation_id)
    return org is not None and org.kind == "centre" and project.status == "requested"


def candidates(project: Project, *, catalogue, profile) -> list[dict]:
    """The short list: per module, the best-ranked market providers that have an organisation
    account, with the ranking's reason, best first, at most SHORT_LIST."""
    accounts = dict(db_session.execute(select(Organisation.provider_ref, Organisation.id).where(
        Organisation.kind == "provider", Organisation.status == "active",
        Organisation.provider_ref.is_not(None))).all())
    found = {}
    for module in project.modules or ():
        market, _public = match_providers(catalogue, module, profile, limit=len(catalogue.providers))
        for match in market:
            if match.provider.id in accounts and match.provider.id not in found:
                found[match.provider.id] = {"provider": match.provider.id, "score": match.score,
                                            "why": dict(match.why)}
    ranked = sorted(found.values(), key=lambda c: -c["score"])
    return ranked[:SHORT_LIST]


def propose(actor, project_id, *, catalogue, profile) -> list[dict]:
    """A centre consultant records the short list on a request made through the centre."""
    project = project_or_404(project_id)
    found = sides(actor, project)
    if "centre" not in found:
        raise NotFound()
    if not _through_centre(project):
        raise InvalidInput("not_through_centre")
    short_list = candidates(project, catalogue=catalogue, profile=profile)
    if not short_list:
        raise InvalidInput("no_candidates")
    with transaction():
        access.authorise(actor, "accept_project", project.enterprise_id,
                         organisation_id=found["centre"], object_type="project",
                         object_id=project.id)
        db_session.execute(update(Project).where(Project.id == project.id)
                           .values(proposals=short_list, updated_at=utcnow()))
        db_session.add(ProjectStep(project_id=project.id, step="propose", status=project.status,
                                   side="centre", user_id=actor.id,
                                   organisation_id=found["centre"]))
    return short_list


def choose(actor, project_id, provider_ref, settings) -> None:
    """The SME picks one of the proposed providers: the request goes to its organisation, with
    a consent of the same share (an owner's at once, a member's waiting for an owner)."""
    project = project_or_404(project_id)
    if "enterprise" not in sides(actor, project):
        raise NotFound()
    proposed = {p["provider"] for p in project.proposals or ()}
    if not _through_centre(project) or provider_ref not in proposed:
        raise InvalidInput("not_proposed")
    org = db_session.scalar(select(Organisation).where(
        Organisation.provider_ref == provider_ref, Organisation.status == "active"))
    if org is None:
        raise InvalidInput("not_proposed")
    scope = "share_summary" if project.share == "summary" else "share_report"
    with transaction():
        consent = access.consent_in_force(project.enterprise_id, [org.id],
                                          SHARE_SCOPES[project.share])
        if consent is None:
            consent = consents.add_request(
                actor, project.enterprise_id, org.id, [scope], vocabulary().purpose("referral"),
                (db_session.get(Consent, project.consent_id).valid_until.date()
                 if project.consent_id else None), settings)
        moved = db_session.execute(update(Project).where(
            Project.id == project.id, Project.organisation_id == project.organisation_id)
            .values(organisation_id=org.id, provider_ref=provider_ref, consent_id=consent.id,
                    updated_at=utcnow()))
        if moved.rowcount != 1:
            raise Conflict("project_moved")
        db_session.add(ProjectStep(project_id=project.id, step="choose", status=project.status,
                                   side="enterprise", user_id=actor.id))
