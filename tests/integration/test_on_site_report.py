"""The PDF of a signed on-site assessment: the cover says on-site with centre, people, date,
report number and verification code; appendix B lists each adjusted item with its reason, both
totals and levels, and the evidence files with their SHA-256; a follow-up prints the change
against its baseline."""
import hashlib
import io

import pytest
from flask import current_app
from werkzeug.local import LocalProxy

from services import baseline, on_site, on_site_evidence, on_site_items, on_site_sign_off, reports
from services.instrument_registry import instruments
from services.file_store import LocalFileStore
from tests.integration.test_report_support import pdftotext, submit_assessment
from tests.organisation_helpers import account, consent, make_org, staff_user

CFG = LocalProxy(lambda: current_app.config)  # the settings services take, in an app context

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64


@pytest.fixture
def signed(app, make_user, sme_user, tmp_path):
    org = make_org(app, "centre", name="烟台市中小企业数字化转型促进中心")
    submit_assessment(app, sme_user.enterprise_id, sme_user.id)
    consent(app, sme_user.enterprise_id, org)
    consultant = account(app, staff_user(app, make_user, org))
    with app.app_context():
        instrument = instruments(app.config["QUESTIONNAIRES_DIR"])["cn-sme-2024"]
        aid = on_site.start(consultant, org, sme_user.enterprise_id, instrument)
        on_site_items.save_item(consultant, aid, instrument, "system_coverage", "one_area",
                                reason="现场只看到财务系统在用")
        on_site_evidence.attach(consultant, aid, "system_coverage", instrument, io.BytesIO(JPEG),
                                "财务系统截图.jpg", LocalFileStore(tmp_path / "files"))
        done = on_site_sign_off.sign(consultant, aid, instrument)
    return aid, done


def _text(app, aid, lang="zh"):
    with app.app_context():
        return pdftotext(reports.report_for_assessment(aid, lang, CFG).pdf)


def test_the_cover_and_appendix_say_on_site(app, signed):
    aid, done = signed
    text = _text(app, aid)
    cover = text.split("\f")[0]
    assert "现场评定" in cover and "企业自评" not in cover
    assert "烟台市中小企业数字化转型促进中心" in cover
    assert done["report_number"] in cover and done["verification_code"] in cover
    assert "附录 C" in text and "现场评定调整" in text
    assert "覆盖两个及以上业务环节" in text and "覆盖一个业务环节" in text
    assert "现场只看到财务系统在用" in text
    assert "财务系统截图.jpg" in text and hashlib.sha256(JPEG).hexdigest()[:20] in \
        text.replace("\n", "")


def test_the_english_report_says_on_site_too(app, signed):
    aid, done = signed
    text = _text(app, aid, "en")
    assert "On-site assessment" in text and "Appendix C. On-site adjustments" in text
    assert done["verification_code"] in text


def test_a_self_assessment_report_stays_self_reported(app, sme_user):
    aid = submit_assessment(app, sme_user.enterprise_id, sme_user.id)
    text = _text(app, aid)
    assert "企业自评" in text.split("\f")[0] and "现场评定调整" not in text


def test_a_follow_up_prints_the_change_against_t0(app, sme_user):
    from reports.demo import ANSWERS
    t0 = submit_assessment(app, sme_user.enterprise_id, sme_user.id)
    with app.app_context():
        from services.accounts import load_account
        baseline.mark(load_account(sme_user.id), t0)
    t1 = submit_assessment(app, sme_user.enterprise_id, sme_user.id,
                           answers=dict(ANSWERS, system_coverage="full"))
    text = _text(app, t1)
    assert "前后对比：T1 与" in text and "基线 T0" in text
    assert "前后对比" not in _text(app, t0)
