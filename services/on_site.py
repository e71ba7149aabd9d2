"""The on-site assessment record (现场评定) and the access to it: an `Assessment` in mode
`on_site` beside its `OnSiteAssessment` row, opened only by the staff of the centre that owns
it and, through services.access, only while the enterprise's consent allows (audited, as
on-site staff are always outsiders); starting one from the self-assessment, blank, or as the
correction of a signed one; its change log; and the checks every step of the consultation
shares (still editable, a reason's length, who the people are). The steps themselves live in
services.on_site_items (verifying items), services.on_site_evidence, services.on_site_sign_off
(review and signing) and services.on_site_views (what the pages show).
"""
from dataclasses import dataclass

from sqlalchemy import select

from services import access, workspace
from services.errors import Conflict, InvalidInput, NotFound
from services.text import clean_line
from storage.consultation_models import OnSiteAssessment, OnSiteChange
from storage.db import db_session
from storage.models import Assessment, User
from storage.organisation_models import Organisation

REASON_LENGTH = 1000


@dataclass(frozen=True)
class Opened:
    """An on-site assessment as loaded for one person: the rows and the organisation's id."""

    assessment: Assessment
    on_site: OnSiteAssessment
    organisation: Organisation


def rows_for_staff(actor, assessment_id) -> tuple[Assessment, OnSiteAssessment, Organisation]:
    """The assessment, its on-site row and the centre for a member of that centre's staff
    (no consent check yet); NotFound for anyone else."""
    assessment_id = access.valid_id(assessment_id)
    row = db_session.get(OnSiteAssessment, assessment_id)
    if row is None:
        raise NotFound()
    org = workspace.centre_for_staff(actor, row.organisation_id)
    return db_session.get(Assessment, assessment_id), row, org


def open_for(actor, assessment_id, action="view_assessment") -> Opened:
    """The on-site assessment for its centre's staff while the enterprise's consent allows
    `action` (audited); NotFound for anyone else."""
    assessment, row, org = rows_for_staff(actor, assessment_id)
    access.check(actor, action, assessment.enterprise_id, organisation_id=org.id,
                 object_type="assessment", object_id=assessment.id)
    return Opened(assessment, row, org)


def enterprise_of(actor, assessment_id) -> int:
    """The enterprise of an on-site assessment the actor's centre owns; NotFound otherwise."""
    assessment, _row, _org = rows_for_staff(actor, assessment_id)
    return assessment.enterprise_id


def organisation_of(assessment_id) -> int:
    """The id of the centre that owns the on-site assessment."""
    return db_session.get(OnSiteAssessment, access.valid_id(assessment_id)).organisation_id


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
    org = workspace.centre_for_staff(actor, organisation_id)
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


def reason_text(value, required) -> str | None:
    """A reason or comment as kept (None: none); InvalidInput `reason_required` /
    `reason_too_long`."""
    text = clean_line(value, required=required, code="reason_required", multiline=True)
    if len(text) > REASON_LENGTH:
        raise InvalidInput("reason_too_long", max=REASON_LENGTH)
    return text or None


def check_editable(row: OnSiteAssessment) -> None:
    """Conflict `signed` / `in_review` unless the assessment is being assessed."""
    if row.state == "signed":
        raise Conflict("signed")
    if row.state != "assessing":
        raise Conflict("in_review")


def review_required(org) -> bool:
    """Whether the centre needs a second person to sign."""
    return bool((org.settings or {}).get("review_required"))


def person_name(user_id):
    """A person's name (else e-mail) for the record, or None."""
    user = user_id and db_session.get(User, user_id)
    return (user.name or user.email) if user else None


def history(assessment_id) -> list[dict]:
    """Every change, oldest first, with the person's name (callers have checked access)."""
    rows = db_session.execute(
        select(OnSiteChange, User.name, User.email).outerjoin(User, User.id == OnSiteChange.actor_id)
        .where(OnSiteChange.assessment_id == assessment_id).order_by(OnSiteChange.id)).all()
    return [{"id": c.id, "item_id": c.item_id, "kind": c.kind, "at": c.at, "old": c.old,
             "new": c.new, "reason": c.reason, "by": name or email or "—"}
            for c, name, email in rows]
