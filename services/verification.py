"""Is this report genuine? The public check of a signed on-site report by its report number and
verification code: it answers whether both belong together and the level the report states,
nothing else (no enterprise, no answers). The web page and the API both call `verify`. A report
of an enterprise that was deleted still verifies while data/retention.yaml keeps it (the copy in
retained_records made at the deletion)."""
import hmac
import re
from types import SimpleNamespace

from sqlalchemy import select

from storage.consultation_models import OnSiteAssessment
from storage.db import db_session
from storage.models import Assessment
from storage.retention_models import RetainedRecord

KEPT_KIND = "signed_on_site_reports"  # data/retention.yaml

NUMBER_LENGTH = 32
_NOT_CODE = re.compile(r"[^0-9A-Z]")


def normalise_code(code) -> str:
    """The code as printed, whatever spaces, dashes or case it was typed with."""
    raw = _NOT_CODE.sub("", str(code or "").upper())[:64]
    return "-".join(raw[i:i + 4] for i in range(0, len(raw), 4))


def retained_copy(on_site: OnSiteAssessment, assessment: Assessment) -> dict:
    """What a signed report's check needs, kept after its enterprise's deletion."""
    return {"verification_code": on_site.verification_code,
            "result": {"level": (assessment.result or {}).get("level") or {}},
            "signed_at": on_site.signed_at.isoformat() if on_site.signed_at else None,
            "organisation_id": on_site.organisation_id, "signature": on_site.signature}


def _retained(number: str):
    data = db_session.scalar(select(RetainedRecord.data).where(
        RetainedRecord.kind == KEPT_KIND, RetainedRecord.reference == number))
    if data is None:
        return None
    return SimpleNamespace(verification_code=data["verification_code"], result=data["result"])


def verify(report_number, code) -> dict:
    """{"genuine": True, "report_number", "level": {id, rank, name}} when the number names a
    signed on-site report and the code is its code; {"genuine": False} otherwise (also for
    anything malformed)."""
    number = str(report_number or "").strip().upper()
    if not number or len(number) > NUMBER_LENGTH or not number.isprintable():
        return {"genuine": False}
    row = db_session.execute(
        select(OnSiteAssessment.verification_code, Assessment.result)
        .join(Assessment, Assessment.id == OnSiteAssessment.assessment_id)
        .where(OnSiteAssessment.report_number == number,
               OnSiteAssessment.state == "signed")).first()
    if row is None:
        row = _retained(number)
    # Compared in constant time, and even when the number is unknown, so timing tells nothing.
    expected = row.verification_code if row is not None else "-" * 14
    if not hmac.compare_digest(expected.encode(), normalise_code(code).encode()) or row is None:
        return {"genuine": False}
    level = (row.result or {}).get("level") or {}
    return {"genuine": True, "report_number": number,
            "level": {"id": level.get("id"), "rank": level.get("rank"),
                      "name": level.get("name")}}
