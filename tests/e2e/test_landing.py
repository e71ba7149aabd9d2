"""The landing page opens in Chinese in a real browser and passes the accessibility check."""
import re

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_landing_page_opens_in_chinese_and_is_accessible(page, axe):
    response = page.goto("/")

    assert response is not None and response.status == 200
    assert page.get_attribute("html", "lang").lower().startswith("zh")
    assert CJK.search(page.title()), f"title not in Chinese: {page.title()!r}"
    body = page.inner_text("body")
    assert len(CJK.findall(body)) >= 20, f"landing page explains too little in Chinese: {body!r}"
    assert axe(page) == []

