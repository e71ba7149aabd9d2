"""Is this report genuine? The public check of a signed on-site report by its report number and
verification code: it answers whether both belong together and the level the report states,
nothing else (no enterprise, no answers). The web page and the API both call `verify`."""
import hmac
import re

from sqlalchemy import select

from storage.consultation_models import OnSiteAssessment
from storage.db import db_session
from storage.models import Assessment

NUMBER_LENGTH = 32
_NOT_CODE = re.compile(r"[^0-9A-Z]")


def normalise_code(code) -> str:
    """The code as printed, whatever spaces, dashes or case it was typed with."""
    raw = _NOT_CODE.sub("", str(code or "").upper())[:64]
    return "-".join(raw[i:i + 4] for i in range(0, len(raw), 4))


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
    # Compared in constant time, and even when the number is unknown, so timing tells nothing.
    expected = row.verification_code if row is not None else "-" * 14
    if not hmac.compare_digest(expected.encode(), normalise_code(code).encode()) or row is None:
        return {"genuine": False}
    level = (row.result or {}).get("level") or {}
    return {"genuine": True, "report_number": number,
            "level": {"id": level.get("id"), "rank": level.get("rank"),
                      "name": level.get("name")}}
