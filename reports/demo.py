"""The demo report: a sample manufacturer answering the national instrument.

Used by the benchmark, the tests and `flask report` examples. The enterprise, its answers and
the plan are sample data, not a real company.
"""
from datetime import datetime, timezone

from config import ROOT
from diagnosis import load_instrument, score
from diagnosis.catalogue import load_catalogue, load_subsidy
from diagnosis.planning import make_plan
from diagnosis.pricing import attach_prices
from diagnosis.profile_links import profile_from_answers
from reports.document import ReportInputs

INSTRUMENT_FILE = ROOT / "questionnaires" / "cn-sme-2024.yaml"
CATALOGUE_DIR = ROOT / "catalogues"

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
    "network": ["control_network", "system_network"],
    "equipment_digital_rate": {"numerator": 30, "denominator": 50},
    "equipment_networked_rate": {"numerator": 12, "denominator": 50},
    "data_collection_areas": ["marketing", "production_control", "finance"],
    "system_coverage": "two_or_more",
    "network_security": ["products"],
    "data_security": ["rules", "products"],
    "digital_awareness": "planned",
    "management_rules": ["system_operations"],
    "digital_talent": ["staff", "training"],
    "digital_spend_rate": {"numerator": 40, "denominator": 5000},  # 万元
    "energy_per_revenue": "same",
    "product_pass_rate": "better",
    "revenue_per_employee": "same",
    "cost_per_revenue": "better",
    "product_design": 2, "process_design": 1, "marketing": 2, "after_sales": 1,
    "planning_scheduling": 2, "production_control": 1, "quality": 2, "equipment_management": 1,
    "safety": 1, "energy_management": 0, "procurement": 2, "warehousing_logistics": 2,
    "finance": 3, "human_resources": 2, "collaboration": 2, "decision_support": 0,
}

HISTORY = [{"id": 1, "date": "2025-06-20", "total": 38.5,
            "level": {"zh": "一级", "en": "Level 1"}}]

PLAN_BUDGET = 300_000


def demo_plan(instrument):
    """The planning engine's plan for the demo answers, on the sample catalogue."""
    catalogue = load_catalogue(CATALOGUE_DIR, instrument)
    subsidy = load_subsidy(CATALOGUE_DIR / "subsidy.yaml")
    profile = profile_from_answers(instrument, ANSWERS, PROFILE)  # the answer says who owns it
    plan = make_plan(instrument, ANSWERS, profile, catalogue, PLAN_BUDGET, subsidy=subsidy).to_dict()
    return attach_prices(plan, catalogue, subsidy, profile)


def demo_inputs(lang="zh", archival=True, with_plan=True):
    """ReportInputs of the demo enterprise's submitted assessment."""
    instrument = load_instrument(INSTRUMENT_FILE)
    result = score(instrument, ANSWERS, PROFILE).to_dict()
    return ReportInputs(instrument=instrument, answers=dict(ANSWERS), result=result,
                        profile=dict(PROFILE), enterprise=dict(ENTERPRISE), lang=lang,
                        plan=demo_plan(instrument) if with_plan else None, history=list(HISTORY),
                        assessment_id=42, archival=archival,
                        created=datetime(2026, 3, 18, 9, 30, tzinfo=timezone.utc))
