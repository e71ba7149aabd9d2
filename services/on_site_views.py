"""On-site assessments as the centre's pages show them, as plain data: one assessment for its
centre's staff (both sides' answers, item states, the people, what the person may do next,
evidence and history; audited `view_assessment`), and the centre's on-site assessments of one
client with whether the person may start another.
"""
from sqlalchemy import select

from services import access, workspace
from services.on_site import history, open_for, person_name, review_required
from services.on_site_evidence import evidence_files
from storage.consultation_models import OnSiteAssessment
from storage.db import db_session
from storage.models import Assessment, Enterprise


def view(actor, assessment_id) -> dict:
    """The on-site assessment as its centre's staff see it (audited `view_assessment`), plain
    data: ids, enterprise and centre names, state, both sides' answers, item states, the
    people, the review comment, what the actor may do, evidence and history."""
    opened = open_for(actor, assessment_id)
    a, row, org = opened.assessment, opened.on_site, opened.organisation
    role = actor.org_role(org.id)
    review = review_required(org)
    reviewer_role = role in ("reviewer", "centre_admin")
    return {
        "id": a.id, "enterprise_id": a.enterprise_id,
        "enterprise": db_session.get(Enterprise, a.enterprise_id).name,
        "organisation": {"id": org.id, "name": org.name, "review_required": review},
        "instrument_id": a.instrument_id, "instrument_version": a.instrument_version,
        "state": row.state, "self_answers": dict(row.self_answers or {}),
        "answers": dict(a.answers or {}), "item_states": dict(row.item_states or {}),
        "consultant": person_name(row.consultant_id), "reviewer": person_name(row.reviewer_id),
        "review_comment": row.review_comment, "corrects_id": row.corrects_id,
        "source_assessment_id": row.source_assessment_id,
        "created_at": a.created_at, "signed_at": row.signed_at,
        "report_number": row.report_number, "verification_code": row.verification_code,
        "may": {
            "edit": row.state == "assessing",
            "submit": row.state == "assessing" and review,
            "sign": (row.state == "in_review" and reviewer_role and actor.id != row.consultant_id)
            if review else row.state in ("assessing", "in_review"),
            "send_back": row.state == "in_review" and reviewer_role
            and actor.id != row.consultant_id,
        },
        "evidence": evidence_files(a.id), "history": history(a.id),
    }


def for_client(actor, organisation_id, enterprise_id) -> dict:
    """The centre's on-site assessments of one client, newest first, and whether the actor may
    start one ({"assessments": [...], "may_start": bool}); empty without consent. Reads nothing
    the client page has not already checked (and audited) for the same consent."""
    org = workspace.centre_for_staff(actor, organisation_id)
    if not access.permits(actor, "view_assessment", enterprise_id, organisation_id=org.id):
        return {"assessments": [], "may_start": False}
    rows = db_session.execute(
        select(OnSiteAssessment, Assessment)
        .join(Assessment, Assessment.id == OnSiteAssessment.assessment_id)
        .where(OnSiteAssessment.organisation_id == org.id,
               Assessment.enterprise_id == access.valid_id(enterprise_id))
        .order_by(Assessment.id.desc())).all()
    return {"assessments": [{"id": a.id, "state": row.state, "instrument_id": a.instrument_id,
                             "instrument_version": a.instrument_version,
                             "created_at": a.created_at, "signed_at": row.signed_at,
                             "report_number": row.report_number,
                             "level": (a.result or {}).get("level")} for row, a in rows],
            "may_start": access.permits(actor, "edit_on_site", enterprise_id,
                                        organisation_id=org.id)}
