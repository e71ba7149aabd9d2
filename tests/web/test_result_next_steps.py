"""The results page lists the fewest improvements the core found for the next level, in words,
as the PDF report does."""
import html as htmlmod
import json
import re

import pytest

from config import ROOT
from tests.integration.test_report_support import report_app, submit_assessment  # noqa: F401

MIXED = json.loads((ROOT / "examples" / "cn-sme-2024" / "mixed.json").read_text(encoding="utf-8"))


def _stored_result(app, aid):
    from storage.db import db_session
    from storage.models import Assessment

    with app.app_context():
        return db_session.get(Assessment, aid).result


def _steps(page):
    """The items of the page's list of improvements, as plain text."""
    found = re.search(r'<ol class="next-steps" data-testid="next-steps">(.*?)</ol>', page, re.S)
    assert found, "the results page has no list of improvements"
    return [htmlmod.unescape(re.sub(r"\s+", " ", li)).strip()
            for li in re.findall(r"<li>(.*?)</li>", found.group(1), re.S)]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_result_lists_each_improvement_the_core_found(report_app, sme_user, sme_client, lang):
    aid = submit_assessment(report_app, sme_user.enterprise_id, sme_user.id, answers=MIXED)
    improvements = _stored_result(report_app, aid)["next_level"]["improvements"]
    assert len(improvements) >= 3  # the mixed answers are well short of the next level
    if lang == "en":
        sme_client.post("/auth/language", data={"locale": "en", "next": "/"})
    page = sme_client.get(f"/assess/{aid}/result").get_data(as_text=True)
    steps = _steps(page)
    assert len(steps) == len(improvements)
    for step, improvement in zip(steps, improvements):
        # Each line names the question (or scenario) and the current and the better answer (or
        # scenario level), in the page's language.
        assert improvement["text"][lang] in step
        if improvement["kind"] == "scenario":
            now, better = f"{improvement['from']}", f"{improvement['to']}"
        else:
            now, better = improvement["from_text"][lang], improvement["to_text"][lang]
        assert now in step and better in step
        assert step.index(now) < step.rindex(better)


def test_result_step_reads_as_in_the_report(report_app, sme_user, sme_client):
    aid = submit_assessment(report_app, sme_user.enterprise_id, sme_user.id, answers=MIXED)
    steps = _steps(sme_client.get(f"/assess/{aid}/result").get_data(as_text=True))
    # Hand-checked against the instrument: the mixed answers have one management rule; two
    # more (1.875 points each) close the last of the 16.77 points level 3 still needs.
    assert ("“企业建立了哪些数字化管理制度？”：从“信息系统建设和运维管理制度”提高到“信息系统建设和运维管理制度、"
            "数字化转型实施流程制度、数据资源管理制度”（+3.75 分）") in steps


def test_result_says_the_total_after_the_improvements(report_app, sme_user, sme_client):
    aid = submit_assessment(report_app, sme_user.enterprise_id, sme_user.id, answers=MIXED)
    after = _stored_result(report_app, aid)["next_level"]["total_after"]
    page = sme_client.get(f"/assess/{aid}/result").get_data(as_text=True)
    assert f"完成以上改进后，总分预计为 {round(after, 2):g} 分" in page  # shown to two decimals


def test_top_level_result_lists_no_improvements(report_app, sme_user, sme_client):
    best = json.loads((ROOT / "examples" / "cn-sme-2024" / "best.json").read_text(encoding="utf-8"))
    aid = submit_assessment(report_app, sme_user.enterprise_id, sme_user.id, answers=best)
    page = sme_client.get(f"/assess/{aid}/result").get_data(as_text=True)
    assert 'data-testid="next-steps"' not in page
