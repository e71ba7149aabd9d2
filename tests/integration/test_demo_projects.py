"""The demo projects and the two commands: `projects list` and `providers outcomes` with exactly
the keys the documentation names, in JSON and as a table; the demo provider 达莱 (p001) has a
public outcome record made through the project steps, the warned 崆凰 (p002) has none yet."""
import json
import re

import pytest
from sqlalchemy import select

from services.population import SYNTHETIC
from storage.models import Assessment
from storage.organisation_models import Consent, Organisation
from storage.project_models import ProjectStep
from tests.helpers import login

KEYS = {"id", "enterprise", "provider", "modules", "status", "contracted_amount", "subsidy",
        "t0_assessment_id", "t1_assessment_id"}
# T1 - T0 of each accepted project, by hand from the instrument (cn-sme-2024 2.0.0) and the
# modules' effects (catalogues/modules.yaml); a data collection area is 10/14 points:
# 精测 mes-basic: production control reported automatically, +10/14 = 0.71 (level 2 → 2);
# 新源 qms-spc: quality data, +10/14, and the pass rate same → better, +7 × 0.5: 4.21 (2 → 2);
# 海工 iot-platform: 26 → 45 of 50 devices networked, band 0.75 → 1 of 6 points, +1.5; equipment
#   management 2 → 3; 39.80 → 41.30 points passes 40 with six scenarios at 2: level 1 → 2;
# 金果 energy-meter: energy data +10/14, energy per revenue same → better +3.5: 4.21; energy
#   management 0 → 2 is its sixth scenario at 2: level 1 → 2;
# 航宇 mes-basic + process-docs: production data +10/14 = 0.71; production control and process
#   design 1 → 2 make six scenarios at 2: level 1 → 2.
UPLIFTS = {"烟台高新精测仪器有限公司": (0.71, 0), "龙口新源化工材料有限公司": (4.21, 0),
           "烟台蓬莱海工船舶配件有限公司": (1.5, 1), "莱阳金果食品有限公司": (4.21, 1),
           "烟台航宇精密部件有限公司": (0.71, 1)}


@pytest.mark.demo_seeded
def test_the_demo_seeds_projects_in_several_states_and_the_commands_show_them(app, runner, db):
    listed = runner.invoke(args=["projects", "list", "--format", "json"])
    assert listed.exit_code == 0, listed.output
    everything = json.loads(listed.output)
    assert all(set(r) == KEYS for r in everything)
    # the synthetic population's help requests (no people, marked by name) are not the demo's
    rows = [r for r in everything if not r["enterprise"].startswith(SYNTHETIC)]
    assert sorted(r["status"] for r in rows) == ["accepted"] * 5 + [
        "implementing", "quoted", "requested", "withdrawn"]
    accepted = [r for r in rows if r["status"] == "accepted"]
    assert {r["provider"] for r in accepted} == {"p001"}
    # 30 % subsidy for the pilot sub-sectors, up to 50,000 a module: 新源 (C26) 66,500 → 19,950;
    # 海工 (C37) 106,000 → 31,800; 航宇 (C37, two modules) 43,000 → 12,900; 精测 (C40) and
    # 金果 (C13) none
    assert sorted((r["contracted_amount"], r["subsidy"]) for r in accepted) == [
        (24500, 0), (33000, 0), (43000, 12900), (66500, 19950), (106000, 31800)]
    pairs = {}
    for r in accepted:
        t0, t1 = db.get(Assessment, r["t0_assessment_id"]), db.get(Assessment, r["t1_assessment_id"])
        assert t0.submitted_at < t1.submitted_at and t0.total < t1.total
        pairs[r["enterprise"]] = (round(t1.total - t0.total, 2), t1.level_rank - t0.level_rank)
    assert pairs == UPLIFTS

    # 新源 asks the centre for its next project from its newest assessment: its accepted
    # project's T1 (53.79 points, level 2), not a T0 of full marks
    xinyuan = [r for r in rows if r["enterprise"] == "龙口新源化工材料有限公司"]
    through_centre = next(r for r in xinyuan if r["status"] == "requested")
    done = next(r for r in xinyuan if r["status"] == "accepted")
    assert through_centre["t0_assessment_id"] == done["t1_assessment_id"]
    baseline = db.get(Assessment, through_centre["t0_assessment_id"])
    assert (round(baseline.total, 2), baseline.level_id) == (53.79, "level2")
    # 航宇 asked the centre, a consultant proposed 达莱 and the SME chose it
    hangyu = next(r for r in accepted if r["enterprise"] == "烟台航宇精密部件有限公司")
    steps = db.scalars(select(ProjectStep.step).where(ProjectStep.project_id == hangyu["id"])
                       .order_by(ProjectStep.id)).all()
    assert steps[:4] == ["request", "propose", "choose", "contact"] and steps[-1] == "accept"

    outcomes = runner.invoke(args=["providers", "outcomes"])
    assert outcomes.exit_code == 0
    by_id = {row["provider"]: row for row in json.loads(outcomes.output)}
    p001 = by_id["p001"]["record"]
    # 7 projects: 5 accepted, 海景's withdrawn, 云帆's quoted → 5 of 6 closed = 0.8333;
    # point uplifts 0.71, 0.71, 1.5, 4.21, 4.21 → median 1.5; levels 0, 0, 1, 1, 1 → 1;
    # satisfaction (means of the four aspects) 3.75, 3.75, 4.25, 4.5, 4.75 → 4.25;
    # contract to acceptance 45, 60, 75, 90, 120 days → 75
    assert p001 == {"projects": 7, "accepted": 5, "rejected": 0, "withdrawn": 1,
                    "accepted_share": 0.8333, "assessed_pairs": 5, "median_level_uplift": 1.0,
                    "median_point_uplift": 1.5, "rated": 5, "median_satisfaction": 4.25,
                    "timed": 5, "median_days_to_acceptance": 75.0, "shown": True}
    p002 = by_id["p002"]
    assert p002["status"] == "warned"
    assert (p002["record"]["projects"], p002["record"]["accepted"], p002["record"]["shown"]) == (
        1, 0, False)

    table = runner.invoke(args=["providers", "outcomes", "--format", "table"]).output
    assert "p001" in table and "4.25" in table
    assert "implementing" in runner.invoke(args=["projects", "list", "--format", "table"]).output

    again = runner.invoke(args=["demo", "seed"])
    assert again.exit_code == 0
    assert len(json.loads(runner.invoke(args=["projects", "list"]).output)) == len(everything)

    # the record on the bureau dashboard and the providers' public pages, in both languages
    analyst = app.test_client()
    login(analyst, "analyst@bureau.demo", "demo-2024")
    section = analyst.get("/bureau/").get_data(as_text=True).split('id="providers-title"')[1]
    section = section.split("</section>")[0]
    assert "烟台达莱集团有限公司（示例）" in section and "崆凰" not in section
    assert ("<td>5</td><td>83.3%</td><td>1.0</td><td>1.5</td><td>4.25</td>"
            in re.sub(r">\s+<", "><", section))
    visitor = app.test_client()
    page = visitor.get("/plan/providers/p001").get_data(as_text=True)
    assert "+1.5 分，等级 +1" in page and "通过 5 个，未通过 0 个，撤回 1 个" in page
    assert "目前 0 个" in visitor.get("/plan/providers/p002").get_data(as_text=True)
    visitor.post("/auth/language", data={"locale": "en", "next": "/"})
    page = visitor.get("/plan/providers/p001").get_data(as_text=True)
    assert "+1.5 points, level +1" in page and "5 projects with both assessments" in page
    assert "4.25 / 5 (5 ratings)" in page and "Integration of informatization" in page


@pytest.mark.demo_seeded
def test_the_demos_consent_purposes_read_in_english_on_english_pages(app, db):
    """The demo's purposes are the service's own (data/access.yaml): 海星's consultation,
    the help requests to 达莱 and the provider the centre proposed to 航宇."""
    owner = app.test_client()
    login(owner, "owner@haixing.demo", "demo-2024")
    owner.post("/auth/language", data={"locale": "en", "next": "/"})
    page = owner.get("/consents/").get_data(as_text=True)
    assert ("A consultation on our digital transformation and an on-site assessment" in page
            and "数字化转型咨询与现场评定" not in page)
    dalai = db.scalar(select(Organisation.id).where(Organisation.provider_ref == "p001"))
    purposes = dict(db.execute(select(Consent.enterprise_id, Consent.purpose)
                               .where(Consent.organisation_id == dalai)).all())
    provider = app.test_client()
    login(provider, "staff@dalai.demo", "demo-2024")
    provider.post("/auth/language", data={"locale": "en", "next": "/"})
    shown = set()
    for enterprise_id in purposes:
        page = provider.get(f"/org/{dalai}/clients/{enterprise_id}").get_data(as_text=True)
        shown.add(page.split("<dt>Purpose</dt><dd>")[1].split("</dd>")[0])
    assert shown == {
        "Help with our digital transformation: Shop-floor reporting",
        "Help with our digital transformation: Integrated quality data and SPC",
        "Help with our digital transformation: Supplier collaboration SaaS",
        "Help with our digital transformation: Full device connectivity on an industrial "
        "internet platform",
        "Help with our digital transformation: Energy metering and monitoring",
        "Help with our digital transformation (a provider the centre proposed)"}
