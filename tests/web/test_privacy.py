"""The privacy notice: both languages, the retention periods from data/retention.yaml, linked
from every page's footer and from registration; its data files are checked on load."""
import pytest


def test_the_notice_says_what_why_who_how_long_and_how_to_leave_in_chinese(client):
    page = client.get("/privacy").get_data(as_text=True)
    for text in ("隐私声明", "我们收集什么", "为什么收集", "谁能看到", "保存多久", "导出与删除",
                 "已签发的现场评定报告", "删除后保留 1095 天。", "删除后保留 1825 天。"):
        assert text in page, text


def test_the_notice_reads_in_english(client):
    client.post("/auth/language", data={"locale": "en"})
    page = client.get("/privacy").get_data(as_text=True)
    assert "Privacy notice" in page and "Who can see it" in page
    assert "kept 1095 days after the deletion." in page


@pytest.mark.parametrize("path", ["/", "/auth/login", "/auth/register", "/privacy",
                                  "/api/v1/docs", "/no-such-page"])
def test_every_page_footer_links_the_notice(client, path):
    page = client.get(path).get_data(as_text=True)
    footer = page.split('<footer class="site-footer">', 1)[1]
    assert 'href="/privacy"' in footer


def test_registration_links_the_notice_above_the_form(client):
    page = client.get("/auth/register").get_data(as_text=True)
    assert page.index('href="/privacy"') < page.index("<form class=\"stack\"")


def test_a_retention_file_with_problems_names_each(tmp_path):
    from services.privacy import retention

    bad = tmp_path / "retention.yaml"
    bad.write_text("kept:\n  audit_records: {days: -1, name: {zh: x}}\n", encoding="utf-8")
    with pytest.raises(ValueError) as found:
        retention(bad)
    text = str(found.value)
    assert "kept.audit_records.days" in text and "kept.audit_records.name" in text
    assert "kept.signed_on_site_reports: missing" in text
