"""One price, one story: the plan page, the module page and the PDF's plan rows tell a module's
price the same way (diagnosis/pricing.py), with the subsidy line beside it."""
import re

from reports.plan_view import plan_view
from tests.web.test_plan_pages import planned  # noqa: F401


def test_plan_page_module_page_and_pdf_rows_tell_the_same_price(planned, app):  # noqa: F811
    aid, client = planned
    html = client.get(f"/plan/{aid}?budget=500000").get_data(as_text=True)
    module = re.search(r'data-testid="module-([\w-]+)"', html).group(1)   # the first planned module
    with app.app_context():
        from diagnosis.pricing import price
        from services import catalogue
        expected = price(catalogue.current(app.config).modules[module], catalogue.subsidy_rule(app.config),
                         {"industry": "C36", "size_class": "small", "district": "芝罘区"})
    explained, line = expected.explained["zh"], expected.subsidy_line["zh"]
    assert expected.subsidy > 0 and "取上限" in explained        # C36 is a pilot sub-sector
    card = html.split(f'data-testid="module-{module}"')[1].split("</article>")[0]
    pays = f"您支付 ¥{expected.net:,}"
    assert pays in card and explained in card and line in card
    page = client.get(f"/plan/modules/{module}?assessment={aid}").get_data(as_text=True)
    assert pays in page and explained in page and line in page
    with app.app_context():
        from services import planning
        plan = planning.plan_for_report(aid, app.config, planning.Choices(500000, None, 12))
    rows = [m for ph in plan_view(plan, "zh")["phases"] for m in ph["modules"] if m["id"] == module]
    assert rows and rows[0]["price"] == [explained, line]


def test_the_module_page_without_an_assessment_says_why_no_subsidy_applies(client):
    html = client.get("/plan/modules/bi-lite").get_data(as_text=True)
    assert "不适用：企业信息中还没有填写行业" in html and "您支付 ¥13,000" in html
