"""The API tokens page, the API documentation page, My data and the privacy notice in a real
browser, on a phone (375 px, Chinese) and a desktop (1280 px, English): make a token, use it,
revoke it; download the data; axe-core finds no serious problem."""
import io
import json
import urllib.request
import uuid
import zipfile
from pathlib import Path

import pytest

from services import accounts
from tests.e2e.test_accessibility import VIEWS, _open
from tests.helpers import PASSWORD

SHOTS = Path(__file__).resolve().parents[2] / "instance" / "screenshots"


@pytest.fixture
def person(live_server):
    email = f"api-{uuid.uuid4().hex[:10]}@example.com"
    with live_server.app.app_context():
        accounts.register(email, PASSWORD, "李先生", "接口页面测试公司")
    return {"email": email}


def _get(url, token):
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request) as reply:
            return reply.status
    except urllib.error.HTTPError as err:
        return err.code


@pytest.mark.parametrize("locale, width", VIEWS)
def test_a_token_is_made_used_and_revoked_on_the_page(live_server, new_context, person, axe,
                                                      locale, width):
    page = _open(new_context, person, locale, width)
    page.goto("/tokens/")
    assert axe(page) == []
    page.click("main form[action='/tokens/'] button[type=submit]")  # nothing filled in
    assert page.locator("#token-name-error, #token-scopes-error").count() == 2
    assert axe(page) == []
    page.fill("#token-name", "城市平台")
    page.check("input[value='catalogue:read']")
    page.click("main form[action='/tokens/'] button[type=submit]")
    token = page.locator(".token-value").inner_text().strip()
    assert token.startswith("sdt_")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"tokens-{width}.png"), full_page=True)
    assert axe(page) == []
    assert _get(f"{live_server.url}/api/v1/instruments", token) == 200
    page.goto("/tokens/")
    page.click("main ul form button[type=submit]")
    assert _get(f"{live_server.url}/api/v1/instruments", token) == 401


@pytest.mark.parametrize("locale, width", VIEWS)
def test_docs_privacy_and_my_data_read_well_and_the_export_downloads(new_context, person, axe,
                                                                      locale, width):
    page = _open(new_context, person, locale, width)
    for path, name in (("/api/v1/docs", "api-docs"), ("/privacy", "privacy"),
                       ("/my-data/", "my-data")):
        page.goto(path)
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
        assert axe(page) == [], path
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, path
    with page.expect_download() as download:
        page.click("a[href='/my-data/export.zip']")
    with open(download.value.path(), "rb") as fh:
        zf = zipfile.ZipFile(io.BytesIO(fh.read()))
    assert json.loads(zf.read("enterprise.json"))["name"] == "接口页面测试公司"
