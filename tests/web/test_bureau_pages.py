"""Bureau pages: who gets in (404 for everyone else), scope, bad filters, exports, named list."""
import csv
import io
from datetime import datetime, timezone

import pytest
from openpyxl import load_workbook

from tests.organisation_helpers import (audit_count, consent, make_org, staff_user,
                                        submitted_firms)

LAISHAN, ZHIFU = "莱山区", "芝罘区"


@pytest.fixture
def firms(app):
    """Twelve enterprises in 莱山区 (C34, small; 7 at level1, 5 at level2), three in 芝罘区."""
    with app.app_context():
        return submitted_firms([(LAISHAN, "level1", 30.0)] * 7 + [(LAISHAN, "level2", 50.0)] * 5
                               + [(ZHIFU, "level1", 25.0)] * 3,
                               datetime(2026, 5, 1, tzinfo=timezone.utc))


@pytest.fixture
def city(app):
    return make_org(app, "bureau", name="市工信局")


@pytest.fixture
def laishan(app):
    return make_org(app, "bureau", name="莱山区工信局", districts=[LAISHAN])


def test_city_analyst_sees_figures_and_suppression_marks(app, make_user, login_as, firms, city):
    client = login_as(staff_user(app, make_user, city, "bureau_analyst"))
    page = client.get("/bureau/?as_of=2026-06-30&rows=district&cols=size_class&lang=en")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "主管部门看板" in html and "已评测企业" in html
    assert ">15<" in html  # enterprises assessed, city-wide
    assert "×" in html  # 芝罘区 has 3: suppressed, never shown as 0
    assert "<svg" in html
    # targets (data/targets.yaml): 5 of the pilot sub-sectors at level 2+ of 730; 15 of 2000
    targets = html.split('id="targets-title"')[1]
    assert "<td>5</td><td>0.7%</td>" in targets.replace("\n", "")
    assert "<td>15</td><td>0.8%</td>" in targets.replace("\n", "")


def test_everyone_but_bureau_staff_gets_404(app, make_user, login_as, client, firms, city):
    assert client.get("/bureau/").status_code == 404  # signed out
    assert client.get("/bureau/export.xlsx").status_code == 404
    assert client.get("/bureau/named").status_code == 404
    sme = login_as(make_user())
    assert sme.get("/bureau/").status_code == 404
    centre = make_org(app, "centre")
    consultant = login_as(staff_user(app, make_user, centre, "consultant"))
    for url in ("/bureau/", "/bureau/export.csv", "/bureau/named"):
        assert consultant.get(url).status_code == 404


def test_district_bureau_asking_for_another_district_gets_400_and_no_data(
        app, make_user, login_as, firms, laishan):
    client = login_as(staff_user(app, make_user, laishan, "bureau_analyst"))
    ok = client.get("/bureau/?as_of=2026-06-30").get_data(as_text=True)
    assert ">12<" in ok and ZHIFU not in ok.split("<table class=\"cross\">")[1].split("</table>")[0]
    refused = client.get(f"/bureau/?district={ZHIFU}&as_of=2026-06-30")
    assert refused.status_code == 400
    text = refused.get_data(as_text=True)
    assert "超出本局的数据范围" in text and "<table class=\"cross\">" not in text
    assert client.get(f"/bureau/export.csv?district={ZHIFU}").status_code == 400


@pytest.mark.parametrize("query,words", [
    ("as_of=2026-02-30", "日期格式"), ("as_of=2999-01-01", "不能晚于今天"),
    ("industry=Z99", "未知的行业代码"), ("rows=colour", "未知的分组维度"),
    ("cols=%00", "未知的分组维度"), ("size_class=giant", "未知的企业规模")])
def test_bad_filters_are_named_and_show_no_figures(app, make_user, login_as, firms, city,
                                                    query, words):
    client = login_as(staff_user(app, make_user, city, "bureau_analyst"))
    page = client.get(f"/bureau/?{query}")
    assert page.status_code == 400 and words in page.get_data(as_text=True)


def test_exports_read_back_with_the_same_suppression(app, make_user, login_as, firms, city):
    client = login_as(staff_user(app, make_user, city, "bureau_analyst"))
    raw = client.get("/bureau/export.csv?as_of=2026-06-30&rows=district&cols=district")
    assert raw.status_code == 200 and raw.data.startswith(b"\xef\xbb\xbf")
    rows = {row[0]: row for row in csv.reader(io.StringIO(raw.data.decode("utf-8-sig")))}
    # 芝罘区 has 3 (suppressed); 莱山区's 12 would give it away from the total of 15
    assert rows[ZHIFU][1] == "×" and rows[LAISHAN][1] == "×" and rows["合计"][1] == "15"
    xlsx = client.get("/bureau/export.xlsx?as_of=2026-06-30&rows=district&cols=size_class")
    book = load_workbook(io.BytesIO(xlsx.data))
    assert book.sheetnames[0] == "table" and book.sheetnames[-1] == "notes"


def test_empty_selection_says_no_data_yet(app, make_user, login_as, city):
    client = login_as(staff_user(app, make_user, city, "bureau_analyst"))
    html = client.get("/bureau/?as_of=2026-06-30").get_data(as_text=True)
    assert "尚无数据：此范围内截至该日期还没有企业提交评测" in html


def test_named_list_shows_consenting_firms_only_and_audits_each(app, db, make_user, login_as,
                                                                 firms, city):
    listed, revoked, other_scope = firms[0], firms[1], firms[2]
    consent(app, listed, city, scopes=("named_list",))
    consent(app, revoked, city, scopes=("named_list",), status="revoked")
    consent(app, other_scope, city, scopes=("share_report",))
    client = login_as(staff_user(app, make_user, city, "bureau_analyst"))
    before = audit_count(db, listed)
    html = client.get("/bureau/named").get_data(as_text=True)
    assert "企业0" in html and "企业1" not in html and "企业2" not in html
    assert audit_count(db, listed) == before + 1
    assert audit_count(db, revoked) == 0 and audit_count(db, other_scope) == 0


def test_brief_is_a_pdf_with_filters_and_suppression_explained(app, make_user, login_as,
                                                               firms, city):
    import subprocess
    client = login_as(staff_user(app, make_user, city, "bureau_analyst"))
    made = client.get("/bureau/brief.pdf?as_of=2026-06-30&district=莱山区")
    assert made.status_code == 200 and made.data.startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-", "-"], input=made.data, capture_output=True,
                          check=True).stdout.decode("utf-8")
    assert "2026-06-30" in text and "所在区（市）: 莱山区" in text
    assert "×" in text and "不会显示为 0" in text
    # the cross-table of the dashboard's two keys is in the brief too
    assert "按所在区（市）的企业数及二级及以上占比" in text.replace("\n", "")
    assert "莱山区" in text and "合计" in text
    assert client.get("/bureau/brief.pdf?as_of=bad").status_code == 400
    assert app.test_client().get("/bureau/brief.pdf").status_code == 404
