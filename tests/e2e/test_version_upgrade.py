"""An SME comes back to a draft begun on cn-sme-2024 1.0.0: it opens on 2.0.0 with a note beside
each question, confirming or answering a question settles its note, an implausible figure is
questioned beside it; on a phone and on a desktop, with axe-core on the pages."""
import json
import time
import uuid
from pathlib import Path

import pytest

from services import accounts, assessments, drafts, instrument_registry
from storage.db import db_session
from storage.models import Assessment, Enterprise
from tests.e2e.test_accessibility import _open
from tests.helpers import PASSWORD

OLD = json.loads((Path(__file__).resolve().parents[2] / "tests" / "data" / "v1" / "mixed.json").read_text(encoding="utf-8"))
VIEWS = [pytest.param("zh-CN", 375, id="zh-375"), pytest.param("en-US", 1280, id="en-1280")]


@pytest.fixture
def old_draft(live_server):
    app = live_server.app
    email = f"upgrade-{uuid.uuid4().hex[:10]}@example.com"
    with app.app_context():
        user_id = accounts.register(email, PASSWORD, "李先生", "版本升级测试公司")
        eid = accounts.load_account(user_id).enterprise_id
        db_session.get(Enterprise, eid).industry_code = "C34"
        db_session.commit()
        old = instrument_registry.instruments(app.config["QUESTIONNAIRES_DIR"]).version("cn-sme-2024", "1.0.0")
        aid = drafts.start(eid, user_id, old)
        drafts.save_answers(aid, eid, old, OLD, assessments.profile_of(eid))
    return {"email": email, "id": aid}


def notes(live_server, aid):
    with live_server.app.app_context():
        db_session.expire_all()
        return dict(db_session.get(Assessment, aid).answer_notes or {})


def wait_until(check, seconds=5):
    for _ in range(int(seconds / 0.2)):
        if check():
            return True
        time.sleep(0.2)
    return check()


@pytest.mark.parametrize("locale, width", VIEWS)
def test_an_old_draft_reopens_on_the_new_version_with_its_notes(new_context, live_server, old_draft, axe,
                                                                  locale, width):
    page = _open(new_context, old_draft, locale, width)
    aid = old_draft["id"]
    page.goto(f"/assess/{aid}/page/1")
    assert page.locator("#network-note").is_visible()
    assert page.locator("#equipment_digital_rate-note").is_visible()
    assert axe(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    # "This answer is right" settles a carried-over answer without changing it
    page.click("#equipment_digital_rate-note button.confirm")
    page.wait_for_selector("#equipment_digital_rate-note", state="detached")
    assert wait_until(lambda: "equipment_digital_rate" not in notes(live_server, aid))
    assert page.input_value("#equipment_digital_rate-numerator") == "30"
    # answering the question asked again settles its note too
    page.click("label[for='network-2']")
    page.wait_for_selector("#network-note", state="detached")
    assert wait_until(lambda: "network" not in notes(live_server, aid))

    # digital spend above half of revenue is questioned beside the question, and kept
    page.goto(f"/assess/{aid}/page/2")
    page.fill("#digital_spend_rate-numerator", "3000")
    page.fill("#digital_spend_rate-denominator", "5000")
    page.wait_for_selector("#digital_spend_rate-warning", state="visible")
    assert "60.0%" in page.inner_text("#digital_spend_rate-warning")
    assert axe(page) == []

    page.goto(f"/assess/{aid}/submit")
    listed = page.inner_text("ul.to-check")
    assert ("企业已经建设了哪些网络" not in listed) and ("Which networks" not in listed)
    assert "60.0%" in listed
    assert axe(page) == []
