"""The dashboard's period (`since`) and priority-industry (`priority`) filters: the page, its
downloads, the brief's cover and the API, with bad values refused in zh and en."""
import io
import subprocess
from datetime import datetime, timezone

import pytest
from openpyxl import load_workbook

from tests.api_helpers import bearer, is_problem, make_token
from tests.organisation_helpers import make_org, staff_user


@pytest.fixture
def firms(app):
    """Six C36 (automotive) firms at level 2 submitted in May, six C34 firms at level 1 in
    February; all small, in 莱山区."""
    from storage.db import db_session
    from storage.models import Assessment, Enterprise

    with app.app_context():
        for industry, when, level, total in (
                [("C36", datetime(2026, 5, 1, tzinfo=timezone.utc), "level2", 50.0)] * 6
                + [("C34", datetime(2026, 2, 1, tzinfo=timezone.utc), "level1", 30.0)] * 6):
            firm = Enterprise(name="企业", district="莱山区", size_class="small",
                              industry_code=industry)
            db_session.add(firm)
            db_session.flush()
            db_session.add(Assessment(enterprise_id=firm.id, instrument_id="cn-sme-2024",
                                      instrument_version="2.0.0", status="submitted",
                                      answers={}, total=total, level_id=level,
                                      submitted_at=when))
        db_session.commit()


@pytest.fixture
def analyst(app, make_user, login_as, firms):
    return login_as(staff_user(app, make_user, make_org(app, "bureau", name="市工信局"),
                               "bureau_analyst"))


def overview(html):
    return html.split('id="overview-title"')[1].split("</dl>")[0]


@pytest.mark.parametrize("query", ["since=2026-04-01", "priority=automotive",
                                   "priority=all", "since=2026-05-01&priority=automotive"])
def test_each_filter_narrows_the_figures_to_the_six_c36_firms(analyst, query):
    html = analyst.get(f"/bureau/?as_of=2026-06-30&{query}").get_data(as_text=True)
    assert "<dd>6</dd>" in overview(html).replace(" ", "")
    whole = analyst.get("/bureau/?as_of=2026-06-30").get_data(as_text=True)
    assert "<dd>12</dd>" in overview(whole).replace(" ", "")


def test_the_form_keeps_the_values_and_names_the_period(app, analyst):
    html = analyst.get("/bureau/?as_of=2026-06-30&since=2026-04-01&priority=automotive"
                       ).get_data(as_text=True)
    assert 'name="since" value="2026-04-01"' in html
    assert '<option value="automotive" selected>汽车</option>' in html
    assert "2026-04-01 至 2026-06-30 期间提交的评测概览" in html
    analyst.post("/auth/language", data={"locale": "en"})
    html = analyst.get("/bureau/?as_of=2026-06-30&since=2026-04-01&priority=all"
                       ).get_data(as_text=True)
    assert '<option value="all" selected>All priority industries</option>' in html
    assert "Overview of the assessments submitted from 2026-04-01 to 2026-06-30" in html


@pytest.mark.parametrize("query,zh,en", [
    ("since=2026-13-01", "提交起始日期: 日期格式应为 YYYY-MM-DD：2026-13-01",
     "Submitted from: A date must read YYYY-MM-DD: 2026-13-01"),
    ("since=2999-01-01", "提交起始日期: 日期不能晚于今天：2999-01-01",
     "Submitted from: The date is in the future: 2999-01-01"),
    ("since=2026-07-01", "提交起始日期: 起始日期不能晚于截至日期：2026-07-01",
     "Submitted from: The start date is after the as-of date: 2026-07-01"),
    ("priority=ships", "重点产业: 未知的重点产业：ships", "Priority industry: Unknown priority industry: ships"),
])
def test_bad_values_are_form_errors_in_both_languages(app, analyst, query, zh, en):
    url = f"/bureau/?as_of=2026-06-30&{query}"
    page = analyst.get(url)
    html = page.get_data(as_text=True)
    assert page.status_code == 400 and zh in html and 'id="overview-title"' not in html
    assert analyst.get(f"/bureau/export.xlsx?{url.split('?')[1]}").status_code == 400
    analyst.post("/auth/language", data={"locale": "en"})
    page = analyst.get(url)
    assert page.status_code == 400 and en in page.get_data(as_text=True)


def test_an_industry_bureau_cannot_ask_for_another_priority_group(app, make_user, login_as,
                                                                   firms):
    cars = make_org(app, "bureau", name="汽车产业局", industries=["C36"])
    client = login_as(staff_user(app, make_user, cars, "bureau_analyst"))
    page = client.get("/bureau/?as_of=2026-06-30&priority=aerospace")
    assert page.status_code == 400 and "超出本局的数据范围：aerospace" in page.get_data(as_text=True)
    assert "<dd>6</dd>" in overview(client.get("/bureau/?as_of=2026-06-30&priority=all")
                                    .get_data(as_text=True)).replace(" ", "")


def test_notes_sheet_and_brief_cover_name_both(app, analyst):
    query = "as_of=2026-06-30&since=2026-04-01&priority=automotive"
    reply = analyst.get(f"/bureau/export.xlsx?{query}")
    notes = {row[0]: row[1] for row in load_workbook(io.BytesIO(reply.data))["notes"]
             .iter_rows(values_only=True)}
    assert notes["提交起始日期（只计该日至截至日期之间提交的评测）"] == "2026-04-01"
    assert notes["筛选条件"] == "评测方式: 全部; 重点产业: 汽车"
    made = analyst.get(f"/bureau/brief.pdf?{query}")
    assert made.status_code == 200
    text = subprocess.run(["pdftotext", "-", "-"], input=made.data, capture_output=True,
                          check=True).stdout.decode("utf-8")
    assert "提交起始日期" in text and "2026-04-01 至 2026-06-30 期间提交的评测概览" in text
    assert "重点产业: 汽车" in text


def test_the_api_takes_both_and_names_bad_values(app, client, make_user, firms):
    analyst = staff_user(app, make_user, make_org(app, "bureau", name="市工信局"),
                         role="bureau_analyst")
    token = make_token(app, analyst, "aggregates:read")
    reply = client.get("/api/v1/aggregates?by=district&as_of=2026-06-30&since=2026-04-01"
                       "&priority=automotive", headers=bearer(token))
    assert reply.status_code == 200, reply.get_data(as_text=True)
    body = reply.get_json()
    assert body["total"]["n"] == 6
    assert body["filters"]["since"] == "2026-04-01" and body["filters"]["priority"] == "automotive"
    figures = client.get("/api/v1/aggregates/figures?as_of=2026-06-30&priority=automotive",
                         headers=bearer(token)).get_json()
    assert figures["median"] == {"n": 6, "median": 50}
    bad = client.get("/api/v1/aggregates?as_of=2026-06-30&since=2026-07-01&priority=ships",
                     headers=bearer(token, "en"))
    errors = is_problem(bad, 422, "invalid_input")["errors"]
    assert errors == {"since": ["The start date is after the as-of date: 2026-07-01"],
                      "priority": ["Unknown priority industry: ships (all, or an id of "
                                   "data/priority-industries.yaml)"]}
