"""Evidence files of an on-site assessment: attaching a checked and stored file to an item
while the consultant assesses (recorded in the history), the assessment's list of files, and
one file for download by its centre's staff while the consent allows, or by the enterprise's
own people once the assessment is signed.
"""
from sqlalchemy import select

from services import access
from services.errors import InvalidInput, NotFound
from services.file_store import FileStore, accept
from services.on_site import check_editable, enterprise_of, open_for, organisation_of
from storage.consultation_models import EvidenceFile, OnSiteAssessment, OnSiteChange
from storage.db import db_session
from storage.models import Assessment


def attach(actor, assessment_id, item_id, instrument, stream, name, store: FileStore) -> dict:
    """Attach an evidence file to an item while assessing; the file is checked and stored
    first (services.file_store: InvalidInput file_empty / file_too_large / file_type)."""
    if instrument.question(item_id) is None:
        raise InvalidInput("unknown_item", item=item_id)
    enterprise_id = enterprise_of(actor, assessment_id)
    check_editable(db_session.get(OnSiteAssessment, assessment_id))
    stored = accept(stream, name, store)
    with access.granted(actor, "edit_on_site", enterprise_id,
                        organisation_id=organisation_of(assessment_id),
                        object_type="assessment", object_id=assessment_id):
        row = db_session.get(OnSiteAssessment, assessment_id)
        check_editable(row)  # read again inside the transaction: it may have been signed meanwhile
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
