"""Downloading the PDF report: only the enterprise's own people, in the page's language,
with a name people can file; rendered in the request when no Redis is configured."""
from urllib.parse import quote

from tests.integration.test_report_support import (attachments, pdftotext, report_app,  # noqa: F401
                                                   submit_assessment)


def _submitted(report_app, user):
    return submit_assessment(report_app, user.enterprise_id, user.id)


def test_owner_downloads_the_report_as_a_named_pdf(report_app, sme_user, sme_client):
    aid = _submitted(report_app, sme_user)
    response = sme_client.get(f"/reports/{aid}.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="report_cn-sme-2024_')
    assert "filename*=UTF-8''" + quote("示例机械有限公司_cn-sme-2024_") in disposition
    assert response.headers["X-Report-Id"].startswith(f"DR-A{aid}-")
    assert "示例机械有限公司" in pdftotext(response.data)
    assert list(attachments(response.data)) == ["result.json"]


def test_report_follows_the_page_language_or_the_lang_argument(report_app, sme_user, sme_client):
    aid = _submitted(report_app, sme_user)
    assert "结论摘要" in pdftotext(sme_client.get(f"/reports/{aid}.pdf").data)
    sme_client.post("/auth/language", data={"locale": "en", "next": "/"})
    english = sme_client.get(f"/reports/{aid}.pdf")
    assert "Summary" in pdftotext(english.data)
    assert "_en.pdf" in english.headers["Content-Disposition"]
    chinese = sme_client.get(f"/reports/{aid}.pdf?lang=zh")
    assert "结论摘要" in pdftotext(chinese.data)


def test_same_request_twice_gives_the_same_bytes(report_app, sme_user, sme_client):
    aid = _submitted(report_app, sme_user)
    assert sme_client.get(f"/reports/{aid}.pdf").data == sme_client.get(f"/reports/{aid}.pdf").data


def test_other_enterprises_report_is_not_found(report_app, sme_user, other_sme_user, login_as):
    aid = _submitted(report_app, sme_user)
    stranger = login_as(other_sme_user)
    assert stranger.get(f"/reports/{aid}.pdf").status_code == 404
    assert stranger.get("/reports/999999.pdf").status_code == 404


def test_anonymous_visitor_is_sent_to_log_in(report_app, sme_user, client):
    aid = _submitted(report_app, sme_user)
    response = client.get(f"/reports/{aid}.pdf")
    assert response.status_code in (302, 401)
    assert b"%PDF" not in response.data


def test_draft_has_no_report_yet(report_app, sme_user, sme_client):
    from services import drafts, instrument_registry

    with report_app.app_context():
        instrument = instrument_registry.instruments(report_app.config["QUESTIONNAIRES_DIR"])["cn-sme-2024"]
        draft = drafts.start(sme_user.enterprise_id, sme_user.id, instrument)
    response = sme_client.get(f"/reports/{draft}.pdf")
    assert response.status_code == 409
    assert "提交" in response.get_data(as_text=True)


def test_results_page_links_to_the_download(report_app, sme_user, sme_client):
    aid = _submitted(report_app, sme_user)
    html = sme_client.get(f"/assess/{aid}/result").get_data(as_text=True)
    assert f"/reports/{aid}.pdf" in html
