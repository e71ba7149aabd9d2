"""On-site assessment (现场评定): a centre's consultant checks the evidence item by item,
corrects what the self-assessment over- or under-stated, and the centre signs.

States: assessing → (in_review →) signed. A centre with `review_required` needs a second
person (reviewer or centre admin) to sign; the reviewer may send it back with a comment.
Signing scores the verified answers with the core engine and locks the assessment for good:
a correction is a new on-site assessment that references the old one.

Every read and change goes through services.access (audited for outsiders, which on-site staff
always are) and is refused to anyone not on the staff of the centre that owns the assessment.
Answers are saved per item against the change the person last saw (`base`): a save made on a
stale screen is refused with the current value, so two consultants never overwrite each
other silently.
"""
import secrets
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

import diagnosis
from diagnosis import AnswerError, visible_ids
from services import access, workspace
from services.answer_changes import apply_changes
from services.assessments import profile_of
from services.errors import Conflict, InvalidInput, NotFound
from services.file_store import FileStore, accept
from services.score_rows import keep_score_rows, plan_modules_of
from services.text import clean_line
from storage.base import utcnow
from storage.consultation_models import EvidenceFile, OnSiteAssessment, OnSiteChange
from storage.db import db_session
from storage.models import Assessment, Enterprise, User
from storage.organisation_models import Organisation

REASON_LENGTH = 1000
CHOSEN_STATES = ("verified", "not_verifiable")  # "adjusted" follows from a changed answer
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read off paper


@dataclass(frozen=True)
class Opened:
    """An on-site assessment as loaded for one person: the rows and the organisation's id."""

    assessment: Assessment
    on_site: OnSiteAssessment
    organisation: Organisation


_centre_staff = workspace.centre_for_staff


def _open(actor, assessment_id) -> tuple[Assessment, OnSiteAssessment, Organisation]:
    assessment_id = access.valid_id(assessment_id)
    row = db_session.get(OnSiteAssessment, assessment_id)
    if row is None:
        raise NotFound()
    org = _centre_staff(actor, row.organisation_id)
    return db_session.get(Assessment, assessment_id), row, org


def open_for(actor, assessment_id, action="view_assessment") -> Opened:
    """The on-site assessment for its centre's staff while the enterprise's consent allows
    `action` (audited); NotFound for anyone else."""
    assessment, row, org = _open(actor, assessment_id)
    access.check(actor, action, assessment.enterprise_id, organisation_id=org.id,
                 object_type="assessment", object_id=assessment.id)
    return Opened(assessment, row, org)


def _latest_self(enterprise_id, instrument):
    return db_session.scalars(
        select(Assessment).where(Assessment.enterprise_id == enterprise_id,
                                 Assessment.mode == "self", Assessment.status == "submitted",
                                 Assessment.instrument_id == instrument.id,
                                 Assessment.instrument_version == instrument.version)
        .order_by(Assessment.submitted_at.desc(), Assessment.id.desc())).first()


def start(actor, organisation_id, enterprise_id, instrument, *, from_self=True,
          corrects=None) -> int:
    """A new on-site assessment of `instrument` for a consented client; returns its id.

    `from_self`: the enterprise's latest submitted self-assessment of this version prefills
    both the self-reported and the verified answers (none: it starts blank). `corrects`: a
    signed on-site assessment of this centre to correct; its answers prefill the new one."""
    org = _centre_staff(actor, organisation_id)
    with access.granted(actor, "edit_on_site", enterprise_id, organisation_id=org.id,
                        object_type="enterprise", object_id=enterprise_id) as grant:
        self_answers, source_id, corrects_id = {}, None, None
        if corrects is not None:
            old = db_session.get(OnSiteAssessment, access.valid_id(corrects))
            old_assessment = old and db_session.get(Assessment, old.assessment_id)
            if (old is None or old.organisation_id != org.id or old.state != "signed"
                    or old_assessment.enterprise_id != grant.enterprise_id):
                raise NotFound()
            if (old_assessment.instrument_id, old_assessment.instrument_version) != (
                    instrument.id, instrument.version):
                raise InvalidInput("correction_other_version")
            self_answers, source_id = dict(old.self_answers or {}), old.source_assessment_id
            verified, corrects_id = dict(old_assessment.answers or {}), old.assessment_id
        elif from_self:
            source = _latest_self(grant.enterprise_id, instrument)
            if source is None:
                raise InvalidInput("no_self_assessment")
            self_answers, source_id = dict(source.answers or {}), source.id
            verified = dict(self_answers)
        else:
            verified = {}
        assessment = Assessment(enterprise_id=grant.enterprise_id, created_by=actor.id,
                                instrument_id=instrument.id,
                                instrument_version=instrument.version, status="draft",
                                mode="on_site", answers=verified)
        db_session.add(assessment)
        db_session.flush()
        db_session.add(OnSiteAssessment(
            assessment_id=assessment.id, organisation_id=org.id, state="assessing",
            self_answers=self_answers, source_assessment_id=source_id, corrects_id=corrects_id,
            item_states={}, consultant_id=actor.id))
        # Whoever starts the first consultation looks after the client until a hand-over.
        workspace.assign(org.id, grant.enterprise_id, actor.id, by=actor.id,
                         only_if_unassigned=True)
    return assessment.id


def _reason(value, required) -> str | None:
    text = clean_line(value, required=required, code="reason_required", multiline=True)
    if len(text) > REASON_LENGTH:
        raise InvalidInput("reason_too_long", max=REASON_LENGTH)
    return text or None


def last_change_id(assessment_id, item_id) -> int:
    """The id of the item's newest answer or state change (0: none yet); a save names the one
    its screen showed."""
    return db_session.scalar(
        select(func.max(OnSiteChange.id)).where(OnSiteChange.assessment_id == assessment_id,
                                                OnSiteChange.item_id == item_id,
                                                OnSiteChange.kind.in_(("answer", "state")))) or 0


def _editable(row: OnSiteAssessment) -> None:
    if row.state == "signed":
        raise Conflict("signed")
    if row.state != "assessing":
        raise Conflict("in_review")


def item_state(self_answers, item_id, answer, chosen) -> str:
    """verified | adjusted | not_verifiable for an item's verified `answer`."""
    if chosen == "not_verifiable":
        return "not_verifiable"
    return "adjusted" if answer != self_answers.get(item_id) else "verified"


def save_item(actor, assessment_id, instrument, item_id, answer, *, chosen_state="verified",
              reason=None, base=0) -> dict:
    """Record the verified answer (None: none) and verification of one item.

    Refused, nothing written: a signed or in-review assessment (Conflict `signed` /
    `in_review`), an unknown item or an answer the item does not offer (InvalidInput), a changed
    answer without a reason (InvalidInput `reason_required`), a screen that missed another
    person's save of this item (Conflict `changed_meanwhile`, params: current answer, state,
    base). Returns {"answer", "state", "base"}."""
    if instrument.question(item_id) is None:
        raise InvalidInput("unknown_item", item=item_id)
    if chosen_state not in CHOSEN_STATES:
        raise InvalidInput("unknown_state")
    for _attempt in range(2):
        try:
            with access.granted(actor, "edit_on_site", _enterprise_of(actor, assessment_id),
                                object_type="assessment", object_id=assessment_id,
                                organisation_id=_organisation_of(assessment_id)):
                return _save_item(actor, assessment_id, instrument, item_id, answer,
                                  chosen_state, reason, base)
        except StaleDataError:
            db_session.expire_all()  # another item was saved at the same moment: try again
    raise Conflict("changed_meanwhile")


def _enterprise_of(actor, assessment_id) -> int:
    assessment, _row, _org = _open(actor, assessment_id)
    return assessment.enterprise_id


def _organisation_of(assessment_id) -> int:
    return db_session.get(OnSiteAssessment, access.valid_id(assessment_id)).organisation_id


def _save_item(actor, assessment_id, instrument, item_id, answer, chosen_state, reason, base):
    assessment = db_session.get(Assessment, assessment_id)
    row = db_session.get(OnSiteAssessment, assessment_id)
    _editable(row)
    if (assessment.instrument_id, assessment.instrument_version) != (instrument.id,
                                                                     instrument.version):
        raise InvalidInput("unknown_item", item=item_id)
    answers = dict(assessment.answers or {})
    states = dict(row.item_states or {})
    current, current_state = answers.get(item_id), states.get(item_id)
    latest = last_change_id(assessment_id, item_id)
    if int(base or 0) != latest:
        raise Conflict("changed_meanwhile", current=current, state=current_state, base=latest)
    if answer != current:
        merged, _dropped, problems = apply_changes(instrument, answers, {item_id: answer},
                                                   profile_of(assessment.enterprise_id))
        if problems:
            raise InvalidInput("answer_invalid", item=item_id,
                               problems=[p.code for p in problems])
    else:
        merged = answers
    new_state = item_state(row.self_answers or {}, item_id, answer, chosen_state)
    if answer == current and new_state == current_state:
        return {"answer": current, "state": current_state, "base": latest}
    changed_answer = answer != current
    # A first answer on a blank item needs no reason; changing one that was there does.
    text = _reason(reason, required=changed_answer and current is not None)
    now = utcnow()
    if changed_answer:
        db_session.add(OnSiteChange(assessment_id=assessment_id, item_id=item_id, kind="answer",
                                    actor_id=actor.id, at=now, old=current, new=answer,
                                    reason=text))
        assessment.answers = merged
    if new_state != current_state:
        db_session.add(OnSiteChange(assessment_id=assessment_id, item_id=item_id, kind="state",
                                    actor_id=actor.id, at=now, old=current_state, new=new_state,
                                    reason=None if changed_answer else text))
        states[item_id] = new_state
        row.item_states = states
    assessment.updated_at = now  # bumps the row's version: a concurrent save retries
    db_session.flush()
    return {"answer": answer, "state": new_state, "base": last_change_id(assessment_id, item_id)}


def attach(actor, assessment_id, item_id, instrument, stream, name, store: FileStore) -> dict:
    """Attach an evidence file to an item while assessing; the file is checked and stored
    first (services.file_store: InvalidInput file_empty / file_too_large / file_type)."""
    if instrument.question(item_id) is None:
        raise InvalidInput("unknown_item", item=item_id)
    enterprise_id = _enterprise_of(actor, assessment_id)
    _editable(db_session.get(OnSiteAssessment, assessment_id))
    stored = accept(stream, name, store)
    with access.granted(actor, "edit_on_site", enterprise_id,
                        organisation_id=_organisation_of(assessment_id),
                        object_type="assessment", object_id=assessment_id):
        row = db_session.get(OnSiteAssessment, assessment_id)
        _editable(row)  # read again inside the transaction: it may have been signed meanwhile
        evidence = EvidenceFile(assessment_id=assessment_id, item_id=item_id,
                                sha256=stored.sha256, size=stored.size,
                                media_type=stored.media_type, name=stored.name,
                                uploaded_by=actor.id)
        db_session.add(evidence)
        db_session.add(OnSiteChange(assessment_id=assessment_id, item_id=item_id,
                                    kind="evidence", actor_id=actor.id,
                                    new={"name": stored.name, "sha256": stored.sha256}))
        db_session.flush()
        return {"id": evidence.id, "name": stored.name, "sha256": stored.sha256,
                "size": stored.size, "media_type": stored.media_type}


def evidence_files(assessment_id) -> list[dict]:
    """The assessment's evidence files in upload order (callers have checked access)."""
    rows = db_session.scalars(select(EvidenceFile).where(
        EvidenceFile.assessment_id == assessment_id).order_by(EvidenceFile.id))
    return [{"id": e.id, "item_id": e.item_id, "name": e.name, "media_type": e.media_type,
             "size": e.size, "sha256": e.sha256, "uploaded_at": e.uploaded_at} for e in rows]


def evidence_file(actor, assessment_id, evidence_id) -> dict:
    """One evidence file of an assessment the actor may see (its centre's staff while the
    consent allows, or the enterprise's own people once signed); NotFound otherwise, also for
    a file of another assessment."""
    assessment_id, evidence_id = access.valid_id(assessment_id), access.valid_id(evidence_id)
    evidence = db_session.get(EvidenceFile, evidence_id)
    if evidence is None or evidence.assessment_id != assessment_id:
        raise NotFound()
    row = db_session.get(OnSiteAssessment, assessment_id)
    assessment = db_session.get(Assessment, assessment_id)
    if actor.is_authenticated and assessment.enterprise_id in actor.enterprise_ids:
        if row.state != "signed":
            raise NotFound()
    else:
        open_for(actor, assessment_id)
    return {"name": evidence.name, "media_type": evidence.media_type, "sha256": evidence.sha256,
            "size": evidence.size}


def history(assessment_id) -> list[dict]:
    """Every change, oldest first, with the person's name (callers have checked access)."""
    rows = db_session.execute(
        select(OnSiteChange, User.name, User.email).outerjoin(User, User.id == OnSiteChange.actor_id)
        .where(OnSiteChange.assessment_id == assessment_id).order_by(OnSiteChange.id)).all()
    return [{"id": c.id, "item_id": c.item_id, "kind": c.kind, "at": c.at, "old": c.old,
             "new": c.new, "reason": c.reason, "by": name or email or "—"}
            for c, name, email in rows]


def _missing(assessment, instrument) -> list[str]:
    answers = dict(assessment.answers or {})
    visible = visible_ids(instrument, answers, profile_of(assessment.enterprise_id))
    return [q.id for q in instrument.questions
            if q.required and q.id in visible and q.id not in answers]


def submit_for_review(actor, assessment_id, instrument) -> None:
    """assessing → in_review; every required item must have a verified answer
    (InvalidInput `incomplete`, params: items)."""
    enterprise_id = _enterprise_of(actor, assessment_id)
    with access.granted(actor, "edit_on_site", enterprise_id,
                        organisation_id=_organisation_of(assessment_id),
                        object_type="assessment", object_id=assessment_id):
        assessment = db_session.get(Assessment, assessment_id)
        row = db_session.get(OnSiteAssessment, assessment_id)
        _editable(row)
        missing = _missing(assessment, instrument)
        if missing:
            raise InvalidInput("incomplete", items=missing)
        row.state = "in_review"
        row.review_comment = None
        db_session.add(OnSiteChange(assessment_id=assessment_id, kind="submitted",
                                    actor_id=actor.id))


def _review_required(org) -> bool:
    return bool((org.settings or {}).get("review_required"))


def send_back(actor, assessment_id, comment) -> None:
    """in_review → assessing with the reviewer's comment (required); a reviewer or centre admin
    other than the consultant."""
    assessment, row, org = _open(actor, assessment_id)
    text = _reason(comment, required=True)
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


def _name(user_id):
    user = user_id and db_session.get(User, user_id)
    return (user.name or user.email) if user else None


def sign(actor, assessment_id, instrument, settings=None) -> dict:
    """Score the verified answers with the core, record who signed for which centre, lock.

    With `review_required` only a reviewer or centre admin other than the consultant signs,
    from in_review; without it the consultant may sign while assessing. Returns
    {"report_number", "verification_code", "level"}. With `settings` the default plan's
    modules are kept too (services.score_rows.keep_score_rows)."""
    assessment, row, org = _open(actor, assessment_id)
    review = _review_required(org)
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
        row.signature = {"centre": org.name, "consultant": _name(row.consultant_id),
                         "reviewer": _name(row.reviewer_id), "signed_by": _name(actor.id),
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


def view(actor, assessment_id) -> dict:
    """The on-site assessment as its centre's staff see it (audited `view_assessment`), plain
    data: ids, enterprise and centre names, state, both sides' answers, item states, the
    people, the review comment, what the actor may do, evidence and history."""
    opened = open_for(actor, assessment_id)
    a, row, org = opened.assessment, opened.on_site, opened.organisation
    role = actor.org_role(org.id)
    review = _review_required(org)
    reviewer_role = role in ("reviewer", "centre_admin")
    return {
        "id": a.id, "enterprise_id": a.enterprise_id,
        "enterprise": db_session.get(Enterprise, a.enterprise_id).name,
        "organisation": {"id": org.id, "name": org.name, "review_required": review},
        "instrument_id": a.instrument_id, "instrument_version": a.instrument_version,
        "state": row.state, "self_answers": dict(row.self_answers or {}),
        "answers": dict(a.answers or {}), "item_states": dict(row.item_states or {}),
        "consultant": _name(row.consultant_id), "reviewer": _name(row.reviewer_id),
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
    org = _centre_staff(actor, organisation_id)
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
