"""The demo report: a sample manufacturer answering the national instrument.

Used by the benchmark, the tests and `flask report` examples. The enterprise, its answers and
the plan are sample data, not a real company.
"""
from datetime import datetime, timezone

from config import ROOT
from diagnosis import load_instrument, score
from reports.document import ReportInputs

INSTRUMENT_FILE = ROOT / "questionnaires" / "cn-sme-2024.yaml"

ENTERPRISE = {
    "name": "烟台示例精密机械有限公司",
    "uscc": "91370602MA3C8XQK1R",
    "district": "芝罘区",
    "industry": "C34 通用设备制造业",
    "size_class": "small",
    "main_products": "液压阀门、精密铸件",
}
PROFILE = {"industry": "C34", "industry_group": "manufacturing", "district": "芝罘区",
           "employees": 120, "revenue": 50_000_000, "size_class": "small", "has_cio": False}

ANSWERS = {
    "network": "partial",
    "equipment_digital_rate": {"numerator": 30, "denominator": 50},
    "equipment_networked_rate": {"numerator": 12, "denominator": 50},
    "data_collection_areas": ["production", "sales", "finance"],
    "system_coverage": "two_or_more",
    "network_security": "tools",
    "data_security": "backup",
    "digital_plan": "written",
    "digital_governance": "part_time",
    "digital_talent": "some_staff",
    "digital_spend_rate": {"numerator": 40, "denominator": 5000},  # 万元
    "energy_per_revenue": "same",
    "monthly_output": "better",
    "revenue_per_employee": "same",
    "cost_per_revenue": "better",
    "product_design": 2, "process_design": 1, "marketing": 2, "after_sales": 1,
    "planning_scheduling": 2, "production_control": 1, "quality": 2, "equipment_management": 1,
    "safety": 1, "energy_management": 0, "procurement": 2, "warehousing_logistics": 2,
    "finance": 3, "human_resources": 2, "collaboration": 2, "decision_support": 0,
}

HISTORY = [{"id": 1, "date": "2025-06-20", "total": 38.5,
            "level": {"zh": "一级", "en": "Level 1"}}]

PLAN = {
    "budget": 300_000,
    "why": [{"zh": "先补齐生产过程的数据采集与设备联网，再推进系统集成。",
             "en": "First collect production data and network the equipment, then integrate the systems."}],
    "projected": {"total": 61.5, "level": {"zh": "二级", "en": "Level 2"}},
    "phases": [
        {"title": {"zh": "打好基础", "en": "Lay the foundation"},
         "modules": [
             {"id": "mes_lite", "title": {"zh": "轻量化 MES（生产管控）", "en": "Lightweight MES (production control)"},
              "cost": 120_000, "subsidy": 36_000, "uplift": 6.5,
              "why": {"zh": "生产管控场景只有 1 级，是约束性场景中最接近 2 级的。",
                      "en": "Production control is at level 1, the mandatory scenario closest to level 2."},
              "providers": [{"name": "烟台某工业软件有限公司（示例）",
                             "why": {"zh": "同行业案例 12 个，评级四星。", "en": "12 cases in the same industry, rated four stars."}}]},
             {"id": "iot_gateway", "title": {"zh": "设备联网网关", "en": "Equipment networking gateway"},
              "cost": 60_000, "subsidy": 18_000, "uplift": 3,
              "why": {"zh": "联网设备比例 24%，低于 50% 的档位。", "en": "24 % of equipment is networked, below the 50 % band."},
              "providers": [{"name": "公共服务平台（示例）", "public": True,
                             "why": {"zh": "免费试用三个月。", "en": "Free for a three-month trial."}}]}]},
        {"title": {"zh": "系统集成", "en": "Integrate the systems"},
         "modules": [
             {"id": "erp_integration", "title": {"zh": "ERP 与 MES 集成", "en": "ERP and MES integration"},
              "cost": 90_000, "subsidy": 27_000, "uplift": 4,
              "why": {"zh": "让计划排程与财务数据互通。", "en": "Lets scheduling and finance share data."},
              "providers": []}]},
    ],
}


def demo_inputs(lang="zh", archival=True, with_plan=True):
    """ReportInputs of the demo enterprise's submitted assessment."""
    instrument = load_instrument(INSTRUMENT_FILE)
    result = score(instrument, ANSWERS, PROFILE).to_dict()
    return ReportInputs(instrument=instrument, answers=dict(ANSWERS), result=result,
                        profile=dict(PROFILE), enterprise=dict(ENTERPRISE), lang=lang,
                        plan=PLAN if with_plan else None, history=list(HISTORY),
                        assessment_id=42, archival=archival,
                        created=datetime(2026, 3, 18, 9, 30, tzinfo=timezone.utc))
