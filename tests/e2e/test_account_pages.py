"""Account and profile pages in a real browser: usable at 375 px and accessible (axe-core)."""
import uuid


def _register(page, live_server):
    email = f"e2e-{uuid.uuid4().hex[:8]}@example.com"
    page.goto("/auth/register")
    page.fill("#enterprise_name", "烟台测试机械有限公司")
    page.fill("#name", "测试员")
    page.fill("#email", email)
    page.fill("#password", "correct horse battery")
    page.fill("#confirm", "correct horse battery")
    page.click("form.stack button[type=submit]")
    assert "请查收邮件" in page.inner_text("h1")
    live_server.confirm_registration(page, email)
    return email


def test_login_and_register_pages_are_accessible(page, axe):
    for path in ("/auth/login", "/auth/register", "/auth/reset"):
        page.goto(path)
        assert axe(page) == [], path


def test_profile_form_filters_industries_and_explains_a_bad_code(page, axe, live_server):
    _register(page, live_server)
    assert page.url.endswith("/profile/edit")
    assert axe(page) == []

    page.fill("#industry_code-filter", "汽车")
    options = page.locator("#industry_code option").all_inner_texts()
    assert "C36 汽车制造业" in options and not any("纺织" in o for o in options)

    page.fill("#name", "烟台测试机械有限公司")
    page.fill("#uscc", "91110000600037341X")
    page.select_option("#industry_code", "C36")
    page.select_option("#district", "芝罘区")
    page.fill("#employees", "120")
    page.fill("#annual_revenue", "5000")
    page.check("input[name=has_cio][value=no]")
    page.click("form.stack button.primary")
    assert "最后一位校验码与前 17 位不符" in page.inner_text("main")
    assert axe(page) == []

    page.fill("#uscc", "91110000600037341L")
    page.click("form.stack button.primary")
    assert page.url.endswith("/profile/#next-step")
    assert "工业：从业人员 120 人（≥20）且营业收入 5000 万元（≥300 万）→ 小型" in page.inner_text("main")
    assert axe(page) == []


def test_profile_form_works_without_javascript(new_context, live_server):
    page = new_context(javascript=False).new_page()
    _register(page, live_server)
    assert page.locator("#industry_code-filter").count() == 0  # no search box, the select still works
    assert page.locator("#industry_code optgroup").count() >= 20


def test_language_switch_turns_the_page_english(page):
    page.goto("/auth/login")
    page.click("button[value=en]")
    assert page.get_attribute("html", "lang") == "en"
    assert page.inner_text("h1") == "Log in"
