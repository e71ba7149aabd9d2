"""Shared helpers for the report tests: PDF inspection with poppler and pypdf, and a
submitted assessment of the national instrument made through the services.

(No tests here; other report test modules import from it.)
"""
import io
import subprocess
from datetime import datetime, timezone

import pytest
from pypdf import PdfReader

from reports.demo import ANSWERS, INSTRUMENT_FILE

ENTERPRISE = {"name": "烟台测试精工有限公司", "industry_code": "C34", "size_class": "small",
              "district": "芝罘区", "uscc": None, "employees": 120, "annual_revenue": 50_000_000,
              "has_cio": False}


def pdftotext(pdf, *pages):
    """Text of the PDF (or of pages first..last) as poppler's pdftotext extracts it."""
    args = ["pdftotext", "-raw"]  # content order: a wrapped table cell stays together
    if pages:
        args += ["-f", str(pages[0]), "-l", str(pages[-1])]
    return subprocess.run(args + ["-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def pdffonts(pdf):
    """Rows of poppler's pdffonts: name, type, encoding, emb, sub, uni."""
    out = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


def page_count(pdf):
    return len(PdfReader(io.BytesIO(pdf)).pages)


def attachments(pdf):
    """{name: [bytes, ...]} of the files embedded in the PDF."""
    return PdfReader(io.BytesIO(pdf)).attachments


def xmp(pdf):
    metadata = PdfReader(io.BytesIO(pdf)).trailer["/Root"].get("/Metadata")
    return metadata.get_object().get_data().decode() if metadata is not None else ""


def submit_assessment(app, enterprise_id, user_id, answers=ANSWERS, **enterprise):
    """Fill the enterprise profile, start, answer and submit the national instrument; the
    assessment's id."""
    from services import drafts, instrument_registry, submission
    from services.profile import profile_dict
    from storage.db import db_session
    from storage.models import Enterprise

    with app.app_context():
        row = db_session.get(Enterprise, enterprise_id)
        for key, value in {**ENTERPRISE, **enterprise}.items():
            if key != "name" or "name" in enterprise:
                setattr(row, key, value)
        db_session.commit()
        instrument = instrument_registry.instruments(app.config["QUESTIONNAIRES_DIR"])["cn-sme-2024"]
        profile = profile_dict(enterprise_id)
        aid = drafts.start(enterprise_id, user_id, instrument)
        drafts.save_answers(aid, enterprise_id, instrument, dict(answers), profile)
        submission.submit(aid, enterprise_id, instrument, profile, pledged=True)
        return aid


def insert_submitted(app, enterprise_id, total, submitted_at=None, instrument_id="cn-sme-2024", version="2.0.0"):
    """A bare submitted assessment row with a given total (for peer statistics)."""
    from storage.db import db_session
    from storage.models import Assessment

    with app.app_context():
        row = Assessment(enterprise_id=enterprise_id, instrument_id=instrument_id,
                         instrument_version=version, status="submitted", answers={},
                         result={}, total=total, max_total=100.0,
                         submitted_at=submitted_at or datetime(2026, 1, 1, tzinfo=timezone.utc))
        db_session.add(row)
        db_session.commit()
        return row.id


@pytest.fixture
def report_app(app):
    """The test app (its fresh database also holds the stored reports)."""
    assert INSTRUMENT_FILE.exists()
    return app


def stored_reports(app):
    """(cache_key, report_id, assessment_id, lang, size, pdf) of every stored report."""
    from sqlalchemy import select

    from storage.db import db_session
    from storage.report_models import StoredReport

    with app.app_context():
        return [(r.cache_key, r.report_id, r.assessment_id, r.lang, r.size, r.pdf)
                for r in db_session.scalars(select(StoredReport).order_by(StoredReport.id))]
