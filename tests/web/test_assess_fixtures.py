"""Fixtures shared by the questionnaire tests: a small instrument with every kind of question.

Other test_assess*.py modules import the fixtures from here. The instrument `test-mini` has a
single gate, a multiple follow-up shown only when the gate is "yes", a rate that allows
"not applicable", a 0..4 scale, an item shown only to manufacturers, and two scenarios.
"""
import re

import pytest

MINI_YAML = """\
id: test-mini
version: 1.0.0
title: {zh: 测试问卷, en: "Test questionnaire"}
description: {zh: 测试用。, en: "For tests."}
indicative: false
total: {points: 100, method: sum}
not_applicable: {rule: dimension}
dimensions:
  - id: base
    title: {zh: 基础, en: "Foundations"}
    points: 60
    indicators:
      - id: net
        title: {zh: 网络, en: "Network"}
        points: 60
        items:
          - id: gate
            kind: single
            points: 10
            text: {zh: 有没有系统？, en: "Do you have a system?"}
            help: {zh: 说明, en: "Help"}
            evidence: {zh: 证据, en: "Evidence"}
            options:
              - {id: "no", share: 0, text: {zh: 没有, en: "No"}}
              - {id: "yes", share: 1, text: {zh: 有, en: "Yes"}}
            rubric: {"yes": {zh: 系统截图, en: "A screenshot"}}
          - id: follow
            kind: multiple
            points: 10
            show_if: {answer: {gate: ["yes"]}}
            text: {zh: 哪些模块？, en: "Which modules?"}
            help: {zh: 说明, en: "Help"}
            evidence: {zh: 证据, en: "Evidence"}
            options:
              - {id: a, text: {zh: 甲, en: "A"}}
              - {id: b, text: {zh: 乙, en: "B"}}
              - {id: none, exclusive: true, text: {zh: 都没有, en: "None"}}
            rubric: {a: {zh: 甲的截图, en: "A screenshot of A"}, b: {zh: 乙的截图, en: "A screenshot of B"}}
          - id: devices
            kind: rate
            points: 20
            allow_na: true
            text: {zh: 多少设备联网？, en: "How many devices are networked?"}
            help: {zh: 说明, en: "Help"}
            evidence: {zh: 证据, en: "Evidence"}
            numerator: {label: {zh: 联网设备, en: "Networked devices"}, unit: {zh: 台, en: "devices"}}
            denominator: {label: {zh: 全部设备, en: "All devices"}, unit: {zh: 台, en: "devices"}}
            max: 1000
            bands:
              - {min: 0, share: 0}
              - {min: 0.5, share: 0.5}
              - {min: 1, share: 1}
            rubric: {numerator: {zh: 联网清单, en: "List of networked devices"}, denominator: {zh: 设备台账, en: "Equipment register"}}
          - id: maturity
            kind: scale
            points: 20
            min: 0
            max: 4
            text: {zh: 成熟度？, en: "Maturity?"}
            help: {zh: 说明, en: "Help"}
            evidence: {zh: 证据, en: "Evidence"}
            rubric: {"1": {zh: 一, en: "One"}, "2": {zh: 二, en: "Two"}, "3": {zh: 三, en: "Three"}, "4": {zh: 四, en: "Four"}}
  - id: mgmt
    title: {zh: 管理, en: "Management"}
    points: 40
    indicators:
      - id: plan_ind
        title: {zh: 规划, en: "Planning"}
        points: 40
        items:
          - id: plan
            kind: single
            points: 20
            text: {zh: 有规划吗？, en: "Is there a plan?"}
            help: {zh: 说明, en: "Help"}
            evidence: {zh: 证据, en: "Evidence"}
            options:
              - {id: "no", share: 0, text: {zh: 没有, en: "No"}}
              - {id: "yes", share: 1, text: {zh: 有, en: "Yes"}}
            rubric: {"yes": {zh: 规划文件, en: "The plan"}}
          - id: factory
            kind: single
            points: 20
            show_if: {profile: {industry_group: [manufacturing]}}
            text: {zh: 车间联网吗？, en: "Is the shop floor networked?"}
            help: {zh: 说明, en: "Help"}
            evidence: {zh: 证据, en: "Evidence"}
            options:
              - {id: "no", share: 0, text: {zh: 没有, en: "No"}}
              - {id: "yes", share: 1, text: {zh: 有, en: "Yes"}}
            rubric: {"yes": {zh: 现场查看, en: "Seen on site"}}
scenario_levels:
  - {zh: 0级：未开展, en: "Level 0: not done"}
  - {zh: 1级：工具辅助, en: "Level 1: tools"}
  - {zh: 2级：信息系统, en: "Level 2: a system"}
  - {zh: 3级：集成, en: "Level 3: integrated"}
  - {zh: 4级：智能, en: "Level 4: AI-driven"}
scenario_groups:
  - {id: ops, title: {zh: 经营, en: "Operations"}}
scenarios:
  - id: sales_scn
    group: ops
    mandatory: true
    title: {zh: 营销管理, en: "Sales"}
    help: {zh: 说明, en: "Help"}
    evidence: {zh: 证据, en: "Evidence"}
    levels:
      1: {text: {zh: 表格记录, en: "Kept in spreadsheets"}, evidence: {zh: 表格, en: "The spreadsheets"}}
      2: {text: {zh: 系统管理, en: "Run on a system"}, evidence: {zh: 系统截图, en: "System screenshots"}}
      3: {text: {zh: 系统集成, en: "Integrated with other systems"}, evidence: {zh: 接口说明, en: "Interface description"}}
      4: {text: {zh: 模型驱动, en: "Driven by models"}, evidence: {zh: 模型记录, en: "Model records"}}
  - id: finance_scn
    group: ops
    mandatory: false
    title: {zh: 财务管理, en: "Finance"}
    help: {zh: 说明, en: "Help"}
    evidence: {zh: 证据, en: "Evidence"}
    levels:
      1: {text: {zh: 表格记录, en: "Kept in spreadsheets"}, evidence: {zh: 表格, en: "The spreadsheets"}}
      2: {text: {zh: 系统管理, en: "Run on a system"}, evidence: {zh: 系统截图, en: "System screenshots"}}
      3: {text: {zh: 系统集成, en: "Integrated with other systems"}, evidence: {zh: 接口说明, en: "Interface description"}}
      4: {text: {zh: 模型驱动, en: "Driven by models"}, evidence: {zh: 模型记录, en: "Model records"}}
levels:
  - id: l1
    rank: 1
    name: {zh: 一级, en: "Level 1"}
    meaning: {zh: 初始, en: "Initial"}
  - id: l2
    rank: 2
    name: {zh: 二级, en: "Level 2"}
    meaning: {zh: 规范, en: "Standardised"}
    conditions:
      - total_at_least: 50
      - scenarios_at_least: {level: 2, count: 1}
"""

MANUFACTURER = "C36"  # GB/T 4754 大类 in 门类 C: the "factory" item applies
FULL = {"gate": "yes", "follow": ["a"], "devices": {"numerator": 5, "denominator": 10},
        "maturity": 4, "plan": "yes", "factory": "yes", "sales_scn": 2, "finance_scn": 1}


@pytest.fixture
def mini_app(app, tmp_path):
    """The app with `test-mini` as its only questionnaire."""
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    (folder / "test-mini.yaml").write_text(MINI_YAML, encoding="utf-8")
    app.config["QUESTIONNAIRES_DIR"] = folder
    return app


def set_profile(app, enterprise_id, **fields):
    from storage.db import db_session
    from storage.models import Enterprise
    with app.app_context():
        row = db_session.get(Enterprise, enterprise_id)
        for key, value in fields.items():
            setattr(row, key, value)
        db_session.commit()


def stored(app, assessment_id):
    """The assessment row as a dict, read in a fresh session."""
    from services import assessments
    from storage.db import db_session
    from storage.models import Assessment
    with app.app_context():
        row = db_session.get(Assessment, assessment_id)
        return None if row is None else {**assessments.get(row.id, row.enterprise_id),
                                         "lock_version": row.lock_version,
                                         "dimension_scores": {d.dimension_id: (d.score, d.max)
                                                              for d in row.dimension_scores}}


def start(client, instrument="test-mini"):
    """Start an assessment through the dashboard form; returns its id."""
    response = client.post("/assess/start", data={"instrument": instrument})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/assess/(\d+)/page/1", response.headers["Location"]).group(1))


@pytest.fixture
def owner(mini_app, sme_user):
    set_profile(mini_app, sme_user.enterprise_id, industry_code=MANUFACTURER)
    return sme_user


@pytest.fixture
def owner_client(owner, login_as, mini_app):
    return login_as(owner, mini_app.test_client())


def test_the_test_instrument_loads_with_every_kind_of_question(mini_app):
    from services.instrument_registry import instruments
    inst = instruments(mini_app.config["QUESTIONNAIRES_DIR"])["test-mini"]
    assert {q.kind for q in inst.questions} == {"single", "multiple", "rate", "scale", "scenario"}
