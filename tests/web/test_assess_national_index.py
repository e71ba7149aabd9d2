"""The national index's questionnaire pages: scenario pages one per group with what each level
means for that scenario and what "mandatory" means; implausible answers questioned, fractional
device counts refused, in both languages."""
import re

import pytest

from tests.web.test_assess_fixtures import start


@pytest.fixture
def draft(sme_client):
    return start(sme_client, "cn-sme-2024")


def english(client):
    client.post("/auth/language", data={"locale": "en", "next": "/"})


def test_scenarios_come_one_group_per_page(sme_client, draft):
    titles = {n: re.search(r"<h1>(.*?)</h1>", sme_client.get(f"/assess/{draft}/page/{n}").get_data(as_text=True),
                           re.S).group(1) for n in range(4, 8)}
    assert ["产品生命周期" in titles[4], "生产执行" in titles[5], "供应链" in titles[6], "管理决策" in titles[7]] == [True] * 4
    assert sme_client.get(f"/assess/{draft}/page/8").status_code == 404
    production = sme_client.get(f"/assess/{draft}/page/5").get_data(as_text=True)
    assert production.count('data-kind="scenario"') == 6


def test_a_scenario_page_says_what_mandatory_means_and_what_each_level_is_there(sme_client, draft):
    page = sme_client.get(f"/assess/{draft}/page/6").get_data(as_text=True)
    assert "“约束性”是什么意思" in page
    assert "一级：至少 6 个场景达到 1 级及以上，其中约束性场景至少 3 个" in page
    assert "三级：至少 8 个场景达到 3 级及以上，其中约束性场景至少 5 个" in page
    warehouse = re.search(r'id="q-warehousing_logistics".*?</fieldset>', page, re.S).group(0)
    assert "仓储物流与采购、生产、销售系统集成，库存和物流数据实时共享。" in warehouse  # its own level 3
    assert "订单自动生成出库或配送任务的记录和接口说明。" in warehouse                 # what proves it
    assert "约束性场景" in warehouse
    english(sme_client)
    page = sme_client.get(f"/assess/{draft}/page/6").get_data(as_text=True)
    assert "What “mandatory” means" in page and "Level 1: at least 6 scenarios at level 1 or above, 3 of them mandatory" in page
    assert "Warehousing and logistics are integrated with purchasing, production and sales" in page


def rate_post(item, numerator, denominator):
    return {"items": [item], f"{item}-numerator": numerator, f"{item}-denominator": denominator}


def test_spend_above_half_of_revenue_is_saved_and_questioned(sme_client, draft):
    reply = sme_client.post(f"/assess/{draft}/autosave/2", data=rate_post("digital_spend_rate", "3000", "5000"))
    data = reply.get_json()
    assert reply.status_code == 200 and data["saved"]
    assert data["warnings"] == {"digital_spend_rate": [
        "数字化投入占营业收入的 60.0%，超过一半，很少见。请核对两个数字都是近三年的年均值、单位都是万元。"]}
    page = sme_client.get(f"/assess/{draft}/page/2").get_data(as_text=True)
    assert re.search(r'id="digital_spend_rate-warning" role="status">数字化投入占营业收入的 60.0%', page)
    review = sme_client.get(f"/assess/{draft}/submit").get_data(as_text=True)
    assert "需要核对的答案" in review and "数字化投入占营业收入的 60.0%" in review
    reply = sme_client.post(f"/assess/{draft}/autosave/2", data=rate_post("digital_spend_rate", "300", "5000"))
    assert reply.get_json()["warnings"] == {}


def test_device_counts_that_disagree_are_questioned(sme_client, draft):
    sme_client.post(f"/assess/{draft}/autosave/1", data=rate_post("equipment_digital_rate", "10", "50"))
    data = sme_client.post(f"/assess/{draft}/autosave/1",
                           data=rate_post("equipment_networked_rate", "55", "60")).get_json()
    assert data["saved"] and data["warnings"] == {"equipment_networked_rate": [
        "联网设备（55 台）多于上一题的主要生产设备总数（50 台）。请按同一份设备台账核对。",
        "两题的主要生产设备总数不同（60 台和上一题的 50 台），两题应按同一份设备台账填写。"]}


@pytest.mark.parametrize("lang, message", [
    ("zh", "第一个数字是数量，请填写整数，例如 12。"),
    ("en", "The first number is a count: enter a whole number, for example 12."),
])
def test_fractional_device_counts_are_refused(sme_client, draft, lang, message):
    if lang == "en":
        english(sme_client)
    reply = sme_client.post(f"/assess/{draft}/autosave/1", data=rate_post("equipment_digital_rate", "2.5", "10"))
    assert reply.status_code == 400
    assert reply.get_json()["errors"] == {"equipment_digital_rate": [message]}
    page = sme_client.get(f"/assess/{draft}/page/1").get_data(as_text=True)
    assert 'value="2.5"' not in page  # nothing was saved



def test_the_plan_offers_real_levels_as_targets(app, sme_user, sme_client):
    from tests.integration.test_report_support import submit_assessment
    from tests.unit.test_cn_sme_2024 import example
    aid = submit_assessment(app, sme_user.enterprise_id, sme_user.id, answers=example("worst"))
    page = sme_client.get(f"/plan/{aid}").get_data(as_text=True)
    options = re.findall(r'<option value="(\w+)"', re.search(r'<select id="target".*?</select>', page, re.S).group(0))
    assert options == ["level1", "level2", "level3", "level4"]
    assert re.search(r'<option value="level1" selected>', page)  # below level 1: the next is level 1
