"""Report HTML → PDF with WeasyPrint, through the locked static-file fetcher.

Every report is a tagged PDF (structure for screen readers). Archival reports (submitted
assessments) are PDF/A-3b with the result JSON attached. Dates
and the document identifier come from the inputs, not the clock, so the same HTML and
attachment give the same bytes.
"""
import json
import warnings
from datetime import datetime, timezone

from weasyprint import HTML, Attachment

from reports.fetcher import SCHEME, StaticFetcher

ARCHIVAL_VARIANT = "pdf/a-3b"
RESULT_ATTACHMENT = "result.json"


def result_json(result):
    """The machine-readable result as attached to archival reports (stable key order)."""
    return json.dumps(result, ensure_ascii=False, sort_keys=True, indent=2).encode("utf-8")


def html_to_pdf(html, *, report_id, created=None, result=None, fetcher=None):
    """Render report `html` to PDF bytes.

    With `result` (a JSON-safe dict) the PDF is PDF/A-3b and carries it as result.json;
    without, a plain PDF. `created` (datetime) dates the attachment; `report_id` seeds the
    PDF identifier. `fetcher` defaults to a fresh StaticFetcher (pass one to inspect it).
    """
    fetcher = fetcher or StaticFetcher()
    created = created or datetime.now(timezone.utc)
    # Tagged (headings, tables, lists, reading order) so screen readers can follow it (Art. 38).
    options = {"pdf_identifier": report_id.encode("utf-8"), "pdf_tags": True}
    if result is not None:
        options["pdf_variant"] = ARCHIVAL_VARIANT
        options["attachments"] = [Attachment(
            string=result_json(result), name=RESULT_ATTACHMENT, url_fetcher=fetcher,
            description="Assessment result (JSON)", relationship="Data",
            created=created, modified=created)]
    document = HTML(string=html, base_url=SCHEME, url_fetcher=fetcher)
    with warnings.catch_warnings():
        # WeasyPrint 70 opens its bundled sRGB profile for PDF/A output and never closes it;
        # the file is read whole, so only the warning about the leaked handle is dropped.
        warnings.filterwarnings("ignore", r"unclosed file .*sRGB2014\.icc", ResourceWarning)
        return document.write_pdf(**options)
