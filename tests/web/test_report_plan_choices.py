"""The PDF report carries the plan the person made on the plan page (budget, target level,
horizon), read and validated exactly as the plan page reads them; the results page's download
keeps the default plan."""
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import current_app
from werkzeug.local import LocalProxy

from tests.integration.test_report_support import (pdftotext, report_app,  # noqa: F401
                                                   stored_reports, submit_assessment)

CFG = LocalProxy(lambda: current_app.config)  # the settings services take, in an app context

CHOSEN = "budget=500000&target=level3&horizon=18"


def _submitted(report_app, user):
    return submit_assessment(report_app, user.enterprise_id, user.id)


def _flat(pdf):
    return re.sub(r"\s+", "", pdftotext(pdf))


def test_plan_page_links_to_the_report_with_its_choices(report_app, sme_user, sme_client):
    aid = _submitted(report_app, sme_user)
    html = sme_client.get(f"/plan/{aid}?{CHOSEN}").get_data(as_text=True)
    href = unescape(re.search(r'data-testid="plan-pdf" href="([^"]+)"', html).group(1))
    url = urlsplit(href)
    assert url.path == f"/reports/{aid}.pdf"
    assert parse_qs(url.query) == {"budget": ["500000"], "target": ["level3"], "horizon": ["18"]}
    assert "下载含此方案的 PDF 报告" in html


def test_report_with_choices_holds_that_plan_and_a_new_report_id(report_app, sme_user, sme_client):
    from services import planning

    aid = _submitted(report_app, sme_user)
    chosen = sme_client.get(f"/reports/{aid}.pdf?{CHOSEN}")
    default = sme_client.get(f"/reports/{aid}.pdf")
    assert chosen.status_code == 200 and chosen.mimetype == "application/pdf"
    assert "500,000元" in _flat(chosen.data) and "500,000元" not in _flat(default.data)
    assert "200,000元" in _flat(default.data)
    assert "三级" in _flat(chosen.data)
    assert chosen.headers["X-Report-Id"] != default.headers["X-Report-Id"]
    with report_app.app_context():
        plan = planning.plan_for_report(aid, CFG, planning.Choices(500000, "level3", 18))
    assert plan["budget"] == 500000 and plan["target_level"]["id"] == "level3"


@pytest.mark.parametrize("first, again", [
    ("", "?budget=200000&horizon=12"),  # the default plan asked for explicitly
    (f"?{CHOSEN}", "?horizon=18&target=level3&budget=500,000"),  # same choices, written otherwise
], ids=["default", "chosen"])
def test_same_plan_twice_gives_the_same_stored_bytes(report_app, sme_user, sme_client, first, again):
    aid = _submitted(report_app, sme_user)
    one, two = sme_client.get(f"/reports/{aid}.pdf{first}"), sme_client.get(f"/reports/{aid}.pdf{again}")
    assert one.status_code == 200 and one.data == two.data
    assert len(stored_reports(report_app)) == 1


def test_bad_choices_are_refused_with_a_clear_message_and_nothing_is_stored(report_app, sme_user,
                                                                            sme_client):
    aid = _submitted(report_app, sme_user)
    cases = [("budget=lots", "请按平常写法输入以元为单位的预算"), ("budget=-5", "预算不能为负数"),
             ("budget=1e400", "请按平常写法输入以元为单位的预算"), ("budget=nan", "请按平常写法输入以元为单位的预算"),
             ("budget=200000.5", "请以整元输入预算"), ("budget=2000000万", "预算超出任何方案所需"),
             ("target=level9", "请从列出的等级中选择"), ("horizon=7", "请从列出的期限中选择"),
             ("budget=500000&target=<script>", "请从列出的等级中选择")]
    for query, message in cases:
        response = sme_client.get(f"/reports/{aid}.pdf?{query}")
        page = response.get_data(as_text=True)
        assert response.status_code == 400, query
        assert message in page and "这些方案选项无法使用" in page, query
        assert b"%PDF" not in response.data and "<script>" not in page
    assert stored_reports(report_app) == []


def test_bad_choices_are_explained_in_english_on_an_english_page(report_app, sme_user, sme_client):
    aid = _submitted(report_app, sme_user)
    sme_client.post("/auth/language", data={"locale": "en", "next": "/"})
    response = sme_client.get(f"/reports/{aid}.pdf?budget=lots")
    assert response.status_code == 400
    assert "Enter the budget in yuan as you would write it" in response.get_data(as_text=True)


def test_another_enterprises_report_with_choices_is_not_found(report_app, sme_user, other_sme_user,
                                                              login_as):
    aid = _submitted(report_app, sme_user)
    stranger = login_as(other_sme_user)
    assert stranger.get(f"/reports/{aid}.pdf?{CHOSEN}").status_code == 404
    assert stranger.get(f"/reports/{aid}.pdf?budget=lots").status_code == 404
    assert stored_reports(report_app) == []


def test_results_page_download_keeps_the_default_plan(report_app, sme_user, sme_client):
    aid = _submitted(report_app, sme_user)
    html = sme_client.get(f"/assess/{aid}/result").get_data(as_text=True)
    links = re.findall(r'href="(/reports/%d\.pdf[^"]*)"' % aid, html)
    assert links and not any("budget" in link or "target" in link for link in links)


def test_cli_report_takes_the_plan_choices(report_app, sme_user, tmp_path):
    aid = _submitted(report_app, sme_user)
    out = tmp_path / "r.pdf"
    runner = report_app.test_cli_runner()
    result = runner.invoke(args=["report", "--assessment", str(aid), "--out", str(out),
                                 "--budget", "500000", "--target-level", "level3"])
    assert result.exit_code == 0, result.output
    assert "500,000元" in _flat(out.read_bytes())
    out.unlink()
    bad = runner.invoke(args=["report", "--assessment", str(aid), "--out", str(out),
                              "--target-level", "level9"])
    assert bad.exit_code == 2 and "--target-level" in bad.output and not out.exists()


def test_a_budget_too_large_for_a_number_is_named_on_the_plan_page_too(report_app, sme_user,
                                                                       sme_client):
    aid = _submitted(report_app, sme_user)
    response = sme_client.get(f"/plan/{aid}?budget=1e400")
    assert response.status_code == 200
    assert 'id="budget-error"' in response.get_data(as_text=True)
