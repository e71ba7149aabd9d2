"""Review and sign-off of an on-site assessment: assessing → (in_review →) signed. A centre
with `review_required` needs a second person (reviewer or centre admin) to sign, who may send
it back with a comment; without it the consultant signs. Signing scores the verified answers
with the core, keeps the result with its score rows, records who signed for which centre with
a report number and verification code, and locks the assessment for good: a correction is a
new on-site assessment that references the old one (services.on_site.start). Also what the PDF
and the results page print about a signed one.
"""
import secrets

import diagnosis
from diagnosis import AnswerError, visible_ids
from services import access
from services.assessments import profile_of
from services.errors import Conflict, InvalidInput
from services.on_site import (check_editable, enterprise_of, history, organisation_of,
                              person_name, reason_text, review_required, rows_for_staff)
from services.on_site_evidence import evidence_files
from services.score_rows import keep_score_rows, plan_modules_of
from storage.base import utcnow
from storage.consultation_models import OnSiteAssessment, OnSiteChange
from storage.db import db_session
from storage.models import Assessment, Enterprise

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read off paper


def _missing(assessment, instrument) -> list[str]:
    answers = dict(assessment.answers or {})
    visible = visible_ids(instrument, answers, profile_of(assessment.enterprise_id))
    return [q.id for q in instrument.questions
            if q.required and q.id in visible and q.id not in answers]


def submit_for_review(actor, assessment_id, instrument) -> None:
    """assessing → in_review; every required item must have a verified answer
    (InvalidInput `incomplete`, params: items)."""
    enterprise_id = enterprise_of(actor, assessment_id)
    with access.granted(actor, "edit_on_site", enterprise_id,
                        organisation_id=organisation_of(assessment_id),
                        object_type="assessment", object_id=assessment_id):
        assessment = db_session.get(Assessment, assessment_id)
        row = db_session.get(OnSiteAssessment, assessment_id)
        check_editable(row)
        missing = _missing(assessment, instrument)
        if missing:
            raise InvalidInput("incomplete", items=missing)
        row.state = "in_review"
        row.review_comment = None
        db_session.add(OnSiteChange(assessment_id=assessment_id, kind="submitted",
                                    actor_id=actor.id))


def send_back(actor, assessment_id, comment) -> None:
    """in_review → assessing with the reviewer's comment (required); a reviewer or centre admin
    other than the consultant."""
    assessment, row, org = rows_for_staff(actor, assessment_id)
    text = reason_text(comment, required=True)
    with access.granted(actor, "review_on_site", assessment.enterprise_id,
                        organisation_id=org.id, object_type="assessment",
                        object_id=assessment_id):
        row = db_session.get(OnSiteAssessment, assessment_id, populate_existing=True)
        if row.state != "in_review":
            raise Conflict("signed" if row.state == "signed" else "not_in_review")
        if row.consultant_id == actor.id:
            raise Conflict("own_review")
        row.state, row.review_comment, row.reviewer_id = "assessing", text, actor.id
        db_session.add(OnSiteChange(assessment_id=assessment_id, kind="sent_back",
                                    actor_id=actor.id, reason=text))


def _verification_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return "-".join(raw[i:i + 4] for i in range(0, 12, 4))


def report_number(organisation_id, signed_at, assessment_id) -> str:
    return f"XC-{organisation_id:03d}-{signed_at:%Y}-{assessment_id:06d}"


def sign(actor, assessment_id, instrument, settings=None) -> dict:
    """Score the verified answers with the core, record who signed for which centre, lock.

    With `review_required` only a reviewer or centre admin other than the consultant signs,
    from in_review; without it the consultant may sign while assessing. Returns
    {"report_number", "verification_code", "level"}. With `settings` the default plan's
    modules are kept too (services.score_rows.keep_score_rows)."""
    assessment, row, org = rows_for_staff(actor, assessment_id)
    review = review_required(org)
    action = "review_on_site" if review else "edit_on_site"
    with access.granted(actor, action, assessment.enterprise_id, organisation_id=org.id,
                        object_type="assessment", object_id=assessment_id):
        row = db_session.get(OnSiteAssessment, assessment_id, populate_existing=True)
        assessment = db_session.get(Assessment, assessment_id, populate_existing=True)
        if row.state == "signed":
            raise Conflict("signed")
        if review and row.state != "in_review":
            raise Conflict("not_in_review")
        if review and row.consultant_id == actor.id:
            raise Conflict("own_review")
        profile = profile_of(assessment.enterprise_id)
        answers = dict(assessment.answers or {})
        visible = visible_ids(instrument, answers, profile)
        kept = {qid: value for qid, value in answers.items() if qid in visible}
        try:
            data = diagnosis.score(instrument, kept, profile).to_dict()
        except AnswerError:
            raise InvalidInput("incomplete", items=_missing(assessment, instrument)) from None
        try:
            self_result = diagnosis.score(instrument, dict(row.self_answers or {}), profile).to_dict()
        except AnswerError:
            self_result = None  # started blank, or the self-assessment was incomplete
        now = utcnow()
        level = data.get("level") or {}
        assessment.status, assessment.answers, assessment.result = "submitted", kept, data
        assessment.total, assessment.max_total = data["total"], data["max_total"]
        assessment.level_id, assessment.level_rank = level.get("id"), level.get("rank")
        assessment.submitted_at = now
        keep_score_rows(assessment, data, plan_modules_of(instrument, kept, profile, settings))
        if review or row.state == "in_review":
            row.reviewer_id = actor.id if actor.id != row.consultant_id else row.reviewer_id
        row.state, row.signed_at, row.self_result = "signed", now, self_result
        row.report_number = report_number(org.id, now, assessment_id)
        row.verification_code = _verification_code()
        # What the centre signed, as it read then: its own record, kept whatever the consent
        # does later (services.workspace.signed_reports lists it from here alone).
        row.signature = {"centre": org.name, "consultant": person_name(row.consultant_id),
                         "reviewer": person_name(row.reviewer_id),
                         "signed_by": person_name(actor.id),
                         "instrument": instrument.id, "version": instrument.version,
                         "enterprise": db_session.get(Enterprise, assessment.enterprise_id).name,
                         "level": {"id": level.get("id"), "name": level.get("name")},
                         "total": data["total"]}
        db_session.add(OnSiteChange(assessment_id=assessment_id, kind="signed",
                                    actor_id=actor.id))
        return {"report_number": row.report_number, "verification_code": row.verification_code,
                "level": level}


def signed_record(assessment_id) -> dict | None:
    """What the PDF and the results page print about a signed on-site assessment, or None for
    anything else (callers have checked access): signature, report number, verification
    code, the adjusted items and the evidence list."""
    row = db_session.get(OnSiteAssessment, assessment_id)
    if row is None or row.state != "signed":
        return None
    assessment = db_session.get(Assessment, assessment_id)
    changes = [c for c in history(assessment_id) if c["kind"] == "answer"]
    reasons = {}
    for change in changes:
        reasons.setdefault(change["item_id"], []).append(change["reason"])
    self_answers = row.self_answers or {}
    states = row.item_states or {}
    adjusted = [{"item_id": qid, "self": self_answers.get(qid),
                 "verified": (assessment.answers or {}).get(qid),
                 "reasons": [r for r in reasons.get(qid, ()) if r]}
                for qid, state in states.items() if state == "adjusted"]
    return {"signature": dict(row.signature or {}), "signed_at": row.signed_at,
            "report_number": row.report_number, "verification_code": row.verification_code,
            "self_result": row.self_result, "adjusted": adjusted,
            "evidence": evidence_files(assessment_id), "corrects_id": row.corrects_id}
