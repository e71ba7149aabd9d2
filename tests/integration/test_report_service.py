"""Report use cases on a real database: cached bytes, report ids, peers, hostile content."""
import dataclasses
import re
from datetime import datetime, timezone

import pytest
from flask import current_app
from werkzeug.local import LocalProxy

from reports.document import render_pdf, report_id
from reports.fetcher import StaticFetcher
from services import peers, planning
from tests.integration.test_report_support import (attachments, insert_submitted, pdftotext,  # noqa: F401
                                                   report_app, stored_reports, submit_assessment)

CFG = LocalProxy(lambda: current_app.config)  # the settings services take, in an app context

HOSTILE = {
    "name": '<b>恶意</b><img src="file:///etc/passwd">公司',
    "main_products": '<link rel="attachment" href="file:///etc/passwd"><style>body{background:url(file:///etc/passwd)}</style>',
}


@pytest.fixture
def submitted(report_app, sme_user):
    return submit_assessment(report_app, sme_user.enterprise_id, sme_user.id)


def test_second_request_returns_the_cached_bytes(report_app, submitted):
    from services import reports

    with report_app.app_context():
        first = reports.report_for_assessment(submitted, "zh", CFG)
        assert reports.cached(reports.inputs_for_assessment(submitted, "zh", CFG)).pdf == first.pdf
        again = reports.report_for_assessment(submitted, "zh", CFG)
    assert again.pdf == first.pdf and again.report_id == first.report_id
    rows = stored_reports(report_app)
    assert [(r[0], r[1], r[2], r[3], r[4]) for r in rows] == [
        (first.cache_key, first.report_id, submitted, "zh", len(first.pdf))]
    assert rows[0][5] == first.pdf
    assert first.pdf.startswith(b"%PDF-")


def test_languages_share_the_report_id_but_not_the_file(report_app, submitted):
    from services import reports

    with report_app.app_context():
        zh = reports.report_for_assessment(submitted, "zh", CFG)
        en = reports.report_for_assessment(submitted, "en", CFG)
    assert zh.report_id == en.report_id and zh.cache_key != en.cache_key
    assert "Summary" in pdftotext(en.pdf) and "结论摘要" in pdftotext(zh.pdf)
    assert en.filename.endswith("_en.pdf") and not zh.filename.endswith("_en.pdf")


def test_new_instrument_version_or_new_plan_gives_a_new_report_id(report_app, submitted):
    from services import reports

    with report_app.app_context():
        inputs = reports.inputs_for_assessment(submitted, "zh", CFG)
    newer = dataclasses.replace(inputs, instrument=dataclasses.replace(inputs.instrument, version="9.0.0"))
    planned = dataclasses.replace(inputs, plan={"phases": [], "budget": 1})
    replanned = dataclasses.replace(inputs, plan={"phases": [], "budget": 2})
    ids = {report_id(x) for x in (inputs, newer, planned, replanned)}
    assert len(ids) == 4
    assert report_id(dataclasses.replace(inputs, lang="en")) == report_id(inputs)


def test_filename_names_enterprise_instrument_date_and_report(report_app, submitted):
    from services import reports

    with report_app.app_context():
        made = reports.report_for_assessment(submitted, "zh", CFG)
        inputs = reports.inputs_for_assessment(submitted, "zh", CFG)
        date = inputs.created.strftime("%Y-%m-%d")
        other_plan = reports.report_for_assessment(submitted, "zh", CFG,
                                                   planning.Choices(50000, None, 6))
    assert made.filename == f"示例机械有限公司_cn-sme-2024_{date}_{made.report_id[3:]}.pdf"
    assert made.report_id.startswith(f"DR-A{submitted}-")
    assert other_plan.filename != made.filename  # another plan, another report, another name


def test_a_report_stored_first_by_another_process_is_the_one_served(report_app, submitted):
    from services import reports

    with report_app.app_context():
        inputs = reports.inputs_for_assessment(submitted, "zh", CFG)
        theirs = reports.render(inputs, CFG)  # e.g. an RQ worker, between our cache check and store
        ours = reports.ReportFile(theirs.report_id, theirs.cache_key, theirs.filename, b"%PDF-other")
        kept = reports._keep(inputs, ours)
    assert kept.pdf == theirs.pdf
    assert len(stored_reports(report_app)) == 1


def test_loose_answers_are_not_stored(report_app):
    from reports.demo import ANSWERS, PROFILE
    from services import reports

    with report_app.app_context():
        made = reports.render(reports.inputs_for_answers("cn-sme-2024", ANSWERS, PROFILE, "zh", CFG), CFG)
    assert made.pdf.startswith(b"%PDF-") and stored_reports(report_app) == []


def test_report_of_a_draft_is_refused(report_app, sme_user):
    from services import drafts, instrument_registry, reports

    with report_app.app_context():
        instrument = instrument_registry.instruments(report_app.config["QUESTIONNAIRES_DIR"])["cn-sme-2024"]
        draft = drafts.start(sme_user.enterprise_id, sme_user.id, instrument)
        with pytest.raises(reports.ReportUnavailable) as err:
            reports.report_for_assessment(draft, "zh", CFG)
    assert err.value.code == "not_submitted"


def test_hostile_enterprise_text_is_printed_literally_and_nothing_is_fetched(report_app, make_user):
    from services import reports

    owner = make_user(enterprise="x")
    aid = submit_assessment(report_app, owner.enterprise_id, owner.id, **HOSTILE)
    with report_app.app_context():
        inputs = reports.inputs_for_assessment(aid, "zh", CFG)
        fetcher = StaticFetcher()
        pdf = render_pdf(inputs, fetcher=fetcher)
    text = re.sub(r"\s+", "", pdftotext(pdf))
    assert re.sub(r"\s+", "", HOSTILE["name"]) in text
    assert re.sub(r"\s+", "", HOSTILE["main_products"]) in text
    assert fetcher.requested == ["report-static:css/report.css"]
    assert list(attachments(pdf)) == ["result.json"]


def test_hostile_answers_text_is_printed_literally(report_app):
    """Answer texts reach the PDF through the appendix: markup in them stays text."""
    from reports.demo import demo_inputs

    inputs = demo_inputs("en", with_plan=False)
    item = next(i for i in inputs.result["items"] if i["id"] == "network")
    payload = '<img src="file:///etc/passwd"><link rel="attachment" href="file:///etc/passwd">url(file:///x)'
    item["answer_text"] = {"zh": payload, "en": payload}
    fetcher = StaticFetcher()
    pdf = render_pdf(inputs, fetcher=fetcher)
    assert re.sub(r"\s+", "", payload) in re.sub(r"\s+", "", pdftotext(pdf))
    assert fetcher.requested == ["report-static:css/report.css"] and not fetcher.refused
    assert list(attachments(pdf)) == ["result.json"]


def test_peer_band_is_shown_from_five_peers_of_the_same_division_and_size(report_app, make_user):
    when = datetime(2026, 2, 1, tzinfo=timezone.utc)
    me = make_user(enterprise="me")
    others = [make_user(enterprise=f"peer {i}") for i in range(6)]
    for i, (user, total) in enumerate(zip(others, [10.0, 20.0, 30.0, 60.0, 70.0, 99.0])):
        submit_profile(report_app, user.enterprise_id, "C34" if i < 5 else "C35")
        insert_submitted(report_app, user.enterprise_id, total)
    submit_profile(report_app, me.enterprise_id, "C34")
    with report_app.app_context():
        shown = peers.compare("cn-sme-2024", me.enterprise_id, "C34", "small", 50.0, when, "2.0.0")
        section = peers.compare("cn-sme-2024", me.enterprise_id, "C35", "small", 50.0, when, "2.0.0")
        too_early = peers.compare("cn-sme-2024", me.enterprise_id, "C34", "small", 50.0,
                                  datetime(2025, 1, 1, tzinfo=timezone.utc), "2.0.0")
        other_version = peers.compare("cn-sme-2024", me.enterprise_id, "C34", "small", 50.0, when, "1.0.0")
    # bands of 25 points: peers in C34 10, 20, 30, 60, 70 -> bands 0, 0, 1, 2, 2; 50 is in
    # band 2: 3 below and 2 level (half each) -> 4 of 5 -> the top quarter
    assert shown["shown"] and shown["count"] == 5 and shown["industry_level"] == "division"
    assert shown["position"] == "top" and shown["share_below"] == 80 and "median" not in shown
    # only one peer in C35, so the 门类 C (all six, 99 in band 3) is used: 4 of 6
    assert section["shown"] and section["industry"] == "C" and section["count"] == 6
    assert section["position"] == "upper_middle" and section["share_below"] == 67
    assert not too_early["shown"] and too_early["count"] == 0
    # the peers' totals were scored with 2.0.0: they do not compare with a 1.0.0 total
    assert not other_version["shown"] and other_version["count"] == 0


def test_peers_below_five_are_not_shown(report_app, make_user):
    me = make_user(enterprise="me")
    for total in (10.0, 20.0, 30.0, 40.0):
        user = make_user(enterprise=f"peer {total}")
        submit_profile(report_app, user.enterprise_id, "C34")
        insert_submitted(report_app, user.enterprise_id, total)
    with report_app.app_context():
        result = peers.compare("cn-sme-2024", me.enterprise_id, "C34", "small", 50.0,
                               datetime(2026, 2, 1, tzinfo=timezone.utc), "2.0.0")
    assert not result["shown"] and result["count"] == 4 and result["position"] is None


def submit_profile(app, enterprise_id, industry_code, size_class="small"):
    from storage.db import db_session
    from storage.models import Enterprise

    with app.app_context():
        row = db_session.get(Enterprise, enterprise_id)
        row.industry_code, row.size_class = industry_code, size_class
        db_session.commit()


def test_assessment_report_carries_the_recommended_plan(report_app, submitted):
    from services import planning, reports

    with report_app.app_context():
        plan = planning.plan_for_report(submitted, CFG)
        made = reports.report_for_assessment(submitted, "en", CFG)
    text = re.sub(r"\s+", "", pdftotext(made.pdf))
    assert plan and plan["phases"]
    assert "Netcostaftersubsidy" in text and "Noplanwascomputed" not in text
    first = plan["phases"][0]["modules"][0]
    assert re.sub(r"\s+", "", first["name"]["en"]) in text


def test_report_shows_the_peer_band_once_five_peers_exist(report_app, sme_user, make_user):
    from services import reports

    for total in (10.0, 20.0, 30.0, 60.0, 70.0):
        peer = make_user(enterprise=f"peer {total}")
        submit_profile(report_app, peer.enterprise_id, "C34")
        insert_submitted(report_app, peer.enterprise_id, total)
    aid = submit_assessment(report_app, sme_user.enterprise_id, sme_user.id)
    with report_app.app_context():
        made = reports.report_for_assessment(aid, "zh", CFG)
        total = reports.inputs_for_assessment(aid, "zh", CFG).result["total"]
    assert 25 <= total < 50  # band 1: 10 and 20 below, 30 level, 60 and 70 above: 2.5 of 5
    text = re.sub(r"\s+", "", pdftotext(made.pdf))
    assert "5份已提交评测中，本结果位于中上四分之一" in text
    assert "C34通用设备制造业（大类）" in text
