"""One price, one story: the plan page, the module page and the PDF's plan rows tell a module's
price the same way (diagnosis/pricing.py), with the subsidy line beside it."""
from reports.plan_view import plan_view
from tests.web.test_plan_pages import planned  # noqa: F401


def test_plan_page_module_page_and_pdf_rows_tell_the_same_price(planned, app):  # noqa: F811
    aid, client = planned
    html = client.get(f"/plan/{aid}?budget=500000").get_data(as_text=True)
    # ehs-saas: ¥8,000–¥15,000 one-off + ¥5,000 a year = ¥20,000; C36 gets 30 % = ¥6,000
    explained = "¥20,000：目录价一次性 ¥8,000–¥15,000 取上限，加第一年年费 ¥5,000"
    line = "补贴 30%，每个模块最多 ¥50,000：¥6,000"
    assert 'data-testid="module-ehs-saas"' in html
    card = html.split('data-testid="module-ehs-saas"')[1].split("</article>")[0]
    assert "您支付 ¥14,000" in card and explained in card and line in card
    module = client.get(f"/plan/modules/ehs-saas?assessment={aid}").get_data(as_text=True)
    assert "您支付 ¥14,000" in module and explained in module and line in module
    with app.app_context():
        from services import planning
        plan = planning.plan_for_report(aid, planning.Choices(500000, None, 12))
    rows = [m for ph in plan_view(plan, "zh")["phases"] for m in ph["modules"] if m["id"] == "ehs-saas"]
    assert rows and rows[0]["price"] == [explained, line]


def test_the_module_page_without_an_assessment_says_why_no_subsidy_applies(client):
    html = client.get("/plan/modules/bi-lite").get_data(as_text=True)
    assert "不适用：企业信息中还没有填写行业" in html and "您支付 ¥13,000" in html
