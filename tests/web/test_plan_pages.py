"""Plan pages: the plan of a submitted assessment recomputes from a GET form; module and
provider pages; access rules; bad choices answered in the page's language."""
import json
from pathlib import Path

import pytest
from flask import current_app
from werkzeug.local import LocalProxy

from diagnosis import load_instrument, score
from storage.models import Assessment, Enterprise

CFG = LocalProxy(lambda: current_app.config)  # the settings services take, in an app context

ROOT = Path(__file__).resolve().parents[2]
INSTRUMENT = load_instrument(ROOT / "questionnaires" / "cn-sme-2024.yaml")
MIXED = json.loads((ROOT / "examples" / "cn-sme-2024" / "mixed.json").read_text(encoding="utf-8"))
PROFILE = {"industry_code": "C36", "district": "芝罘区", "employees": 120, "annual_revenue": 50_000_000,
           "size_class": "small", "has_cio": False}


def _submitted(db, enterprise_id, answers=MIXED):
    enterprise = db.get(Enterprise, enterprise_id)
    for key, value in PROFILE.items():
        setattr(enterprise, key, value)
    profile = {"industry": "C36", "district": "芝罘区", "size_class": "small", "has_cio": False,
               "employees": 120, "revenue": 50_000_000}
    result = score(INSTRUMENT, answers, profile)
    row = Assessment(enterprise_id=enterprise_id, instrument_id=INSTRUMENT.id,
                     instrument_version=INSTRUMENT.version, status="submitted", answers=answers,
                     result=result.to_dict(), total=result.total, max_total=result.max_total,
                     level_id=result.level["id"], level_rank=result.level["rank"])
    db.add(row)
    db.commit()
    return row.id


@pytest.fixture
def planned(db, sme_user, login_as):
    aid = _submitted(db, sme_user.enterprise_id)
    return aid, login_as(sme_user)


def test_plan_page_shows_phases_costs_providers_and_cio_advice(planned):
    aid, client = planned
    response = client.get(f"/plan/{aid}?budget=500000")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'data-testid="reachable"' in html          # 500,000 reaches 三级 for this enterprise
    assert 'data-testid="target">三级<' in html
    assert "第 1 阶段" in html and "谁能提供帮助" in html
    # the profile says nobody is responsible, the answer says digital staff: the answer counts
    assert 'id="cio-title"' not in html
    assert "示例数据" in html                            # the sample catalogue says so


def test_a_smaller_budget_recomputes_and_names_the_budget_that_would_reach_the_target(planned):
    aid, client = planned
    html = client.get(f"/plan/{aid}?budget=20000&target=level3&horizon=6").get_data(as_text=True)
    assert 'data-testid="unreachable"' in html
    assert "最少需要" in html or "至少需要" in html or "最小预算" in html
    assert 'value="20000"' in html
    assert "6 个月" in html


def test_bad_budget_keeps_the_default_and_explains_next_to_the_field(planned):
    aid, client = planned
    response = client.get(f"/plan/{aid}?budget=lots&target=level9&horizon=5")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="budget-error"' in html and 'id="target-error"' in html and 'id="horizon-error"' in html
    assert 'aria-invalid="true"' in html


@pytest.mark.parametrize("written", ["200000", "200,000", "¥200,000", "20万", "20 万元", "￥２０万"])
def test_budgets_written_as_people_write_them_give_the_same_plan(planned, written):
    aid, client = planned
    html = client.get(f"/plan/{aid}", query_string={"budget": written, "target": "level3"}).get_data(as_text=True)
    assert 'id="budget-error"' not in html
    assert 'data-testid="cost">¥198,100<' in html      # the closest plan within ¥200,000


def test_a_budget_of_zero_gets_one_message_and_no_empty_phases(planned):
    aid, client = planned
    html = client.get(f"/plan/{aid}?budget=0&target=level3").get_data(as_text=True)
    assert html.count('data-testid="zero-budget"') == 1
    assert "预算为 0 时只能安排免费服务" in html and "¥406,000" in html
    assert 'data-testid="unreachable"' not in html and "第 1 阶段" not in html
    assert "搜索" not in html


def test_modules_show_the_level_conditions_they_move_never_plus_zero(planned):
    aid, client = planned
    html = client.get(f"/plan/{aid}?budget=200000&target=level3").get_data(as_text=True)
    assert "+0.00" not in html
    # a scenario module: its scenario, and the count of the 8 scenarios at level 3 三级 needs
    assert "决策支持 0→3：达到 3 级及以上的场景 2 → 3 个，三级需要 8 个" in html
    assert "目前：三级的 3 个条件满足 0 个" in html
    # the last phase: the mandatory-scenario condition holds, the other two not yet
    last = html[html.rindex('class="phase"'):]
    assert last.count('<li class="met">') == 1 and last.count('<li class="unmet">') == 2


def test_plan_page_in_english(planned, app):
    aid, client = planned
    client.post("/auth/language", data={"locale": "en", "next": f"/plan/{aid}"})
    html = client.get(f"/plan/{aid}?budget=500000").get_data(as_text=True)
    assert "Your improvement plan" in html and "Who can help" in html
    assert "Level 3" in html


def test_another_enterprise_gets_404_for_the_plan(planned, other_sme_user, login_as):
    aid, _ = planned
    stranger = login_as(other_sme_user)
    assert stranger.get(f"/plan/{aid}").status_code == 404
    assert stranger.get(f"/plan/modules/erp-basic?assessment={aid}").status_code == 404


def test_plan_needs_a_login(planned, app):
    aid, _ = planned
    response = app.test_client().get(f"/plan/{aid}")
    assert response.status_code in (302, 401)


def test_module_page_ranks_providers_for_the_enterprise(planned):
    aid, client = planned
    html = client.get(f"/plan/modules/crm-saas?assessment={aid}").get_data(as_text=True)
    assert "客户关系管理SaaS" in html
    assert "评分" in html or "综合评分" in html
    assert f"/plan/{aid}" in html                       # back to the plan


def test_module_and_provider_pages_and_unknown_ids(client):
    assert "云ERP" in client.get("/plan/modules/erp-basic").get_data(as_text=True)
    assert client.get("/plan/modules/no-such-module").status_code == 404
    html = client.get("/plan/providers/p013").get_data(as_text=True)   # removed in the sample
    assert 'data-testid="status"' in html and "从不推荐" in html
    assert client.get("/plan/providers/p999").status_code == 404


def test_catalogue_page_publishes_the_ranking_formula(client):
    html = client.get("/plan/catalogue").get_data(as_text=True)
    assert "0.5" in html and "0.3" in html and "0.2" in html
    assert "p013" not in html                            # removed providers are not listed


def test_results_page_links_to_the_plan(planned):
    aid, client = planned
    html = client.get(f"/assess/{aid}/result").get_data(as_text=True)
    assert f"/plan/{aid}" in html


def test_draft_assessment_redirects_to_the_questionnaire(db, sme_user, login_as):
    row = Assessment(enterprise_id=sme_user.enterprise_id, instrument_id=INSTRUMENT.id,
                     instrument_version=INSTRUMENT.version, status="draft", answers={})
    db.add(row)
    db.commit()
    response = login_as(sme_user).get(f"/plan/{row.id}")
    assert response.status_code == 302


def test_plan_of_another_instrument_explains_that_plans_need_the_full_assessment(db, sme_user, login_as):
    from diagnosis import load_instrument as load
    quick = load(ROOT / "questionnaires" / "quick-check.yaml")
    from tests.unit.builders import extreme_answers
    answers = extreme_answers(quick, best=False)
    result = score(quick, answers, {"industry": "C36"})
    enterprise = db.get(Enterprise, sme_user.enterprise_id)
    enterprise.industry_code = "C36"
    row = Assessment(enterprise_id=sme_user.enterprise_id, instrument_id=quick.id,
                     instrument_version=quick.version, status="submitted", answers=answers,
                     result=result.to_dict(), total=result.total, max_total=result.max_total,
                     level_id=result.level["id"], level_rank=result.level["rank"])
    db.add(row)
    db.commit()
    html = login_as(sme_user).get(f"/plan/{row.id}").get_data(as_text=True)
    assert 'data-testid="unavailable"' in html and "完整评测" in html


def test_a_stored_catalogue_that_no_longer_validates_gives_a_clear_503(app, client, db):
    from services import catalogue as catalogues
    from storage.catalogue_models import CatalogueModule
    with app.app_context():
        catalogues.import_files([(n, (ROOT / "catalogues" / n).read_bytes()) for n in ("modules.yaml", "providers.yaml")], CFG)
    row = db.get(CatalogueModule, "net-basic")
    row.data = {**row.data, "effects": [{"item": "retired_item", "answer": "x"}]}  # as after an instrument update
    db.commit()
    with app.app_context():
        catalogues._CACHE.clear()
        catalogues._PARSED.clear()
    response = client.get("/plan/catalogue")
    assert response.status_code == 503
    assert "解决方案目录需要维护" in response.get_data(as_text=True)


def test_plan_for_report_gives_the_default_plan_of_a_submitted_assessment(app, db, sme_user):
    from services import planning
    aid = _submitted(db, sme_user.enterprise_id)
    draft = Assessment(enterprise_id=sme_user.enterprise_id, instrument_id=INSTRUMENT.id,
                       instrument_version=INSTRUMENT.version, status="draft", answers={})
    db.add(draft)
    db.commit()
    with app.app_context():
        plan = planning.plan_for_report(aid, CFG)
        assert planning.plan_for_report(draft.id, CFG) is None
    assert plan["budget"] == planning.DEFAULT_BUDGET
    assert plan["target_level"]["id"] == "level3"      # the next level after 二级
    assert plan["total_cost"] <= planning.DEFAULT_BUDGET


def test_the_art_41_advice_follows_the_answer_on_who_owns_digitalisation(db, sme_user, login_as):
    aid = _submitted(db, sme_user.enterprise_id, {**MIXED, "digital_talent": ["training"]})
    html = login_as(sme_user).get(f"/plan/{aid}").get_data(as_text=True)
    assert 'id="cio-title"' in html and "首席信息官" in html  # nobody responsible in the answer either
