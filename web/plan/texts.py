"""Translated names and messages of the plan pages (catalogue codes → the page's language)."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

CATEGORIES = {
    "infrastructure": _l("Network and infrastructure"), "equipment": _l("Equipment"),
    "lifecycle": _l("Product lifecycle"), "production": _l("Production"), "supply_chain": _l("Supply chain"),
    "management": _l("Management and decisions"), "security": _l("Security"), "planning": _l("Planning"),
    "organisation": _l("Organisation and talent"),
}
DEPLOYMENTS = {"saas": _l("Software as a service"), "on_premise": _l("On-premise"),
               "hardware_retrofit": _l("Hardware retrofit")}
PROVIDER_TYPES = {"chain_leader": _l("Chain-leading firm (链主企业)"),
                  "integrator": _l("Integrator (综合集成服务商)"),
                  "product_vendor": _l("Small-fast-light-precise vendor (小快轻准产品服务商)"),
                  "public_platform": _l("Public service platform (公共服务平台)")}
RATING_AXES = {"service_record": _l("Enterprises served (服务企业情况)"),
               "capability": _l("Products and services (产品服务能力)"),
               "effectiveness": _l("Results achieved (工作实效)"),
               "overall": _l("Overall service ability (综合服务能力)")}


def category_name(code):
    return str(CATEGORIES.get(code, code))


def deployment_name(code):
    return str(DEPLOYMENTS.get(code, code))


def provider_type_name(code):
    return str(PROVIDER_TYPES.get(code, code))


def rating_axis_name(code):
    return str(RATING_AXES.get(code, code))


def choice_problem(field, code=None):
    """What is wrong with one plan choice; for the budget, `code` (diagnosis.budget) says why."""
    if field == "budget":
        return {
            "negative": _("The budget cannot be negative. Enter an amount in yuan, for example 200000 or 20万."),
            "fraction": _("Enter the budget in whole yuan (no fen), for example 200000 or 20.5万."),
            "too_large": _("That budget is larger than any plan needs; enter at most 10,000,000,000 yuan."),
        }.get(code, _("Enter the budget in yuan as you would write it, for example 200000, 200,000, "
                      "¥200,000 or 20万."))
    return {"target": _("Choose one of the levels listed."),
            "horizon": _("Choose one of the horizons listed.")}[field]


def problem_text(p):
    """One catalogue import problem in the page's language: where, then what is wrong."""
    params = p.params or {}
    messages = {
        "file_missing": _("the file is missing"),
        "not_utf8": _("the file is not UTF-8 text"),
        "yaml_syntax": _("malformed YAML at line %(line)s", line=params.get("line", "?")),
        "not_mapping": _("must be a mapping (key: value)"),
        "missing_field": _("a required field is missing or empty"),
        "missing_column": _("the CSV header lacks these columns"),
        "missing_translation": _("needs a text in both Chinese and English"),
        "not_a_number": _("must be a number (got “%(value)s”)", value=params.get("value", "")),
        "out_of_range": _("the number is out of range (got %(value)s)", value=params.get("value", "")),
        "unknown_value": _("“%(value)s” is not one of: %(allowed)s", value=params.get("value", ""),
                           allowed=params.get("allowed", "")),
        "not_a_list": _("must be a list"),
        "not_a_boolean": _("must be true or false"),
        "bad_id": _("“%(value)s” is not a valid id (lower-case letters, digits, _ - .)", value=params.get("value", "")),
        "duplicate_id": _("the id “%(value)s” is used twice", value=params.get("value", "")),
        "bad_effect": _("each effect needs an item and an answer, or a scenario and a level"),
        "unknown_item": _("item “%(value)s” is not in the questionnaire", value=params.get("value", "")),
        "unknown_scenario": _("scenario “%(value)s” is not in the questionnaire", value=params.get("value", "")),
        "bad_answer": _("“%(value)s” is not an answer the item accepts", value=params.get("value", "")),
        "bad_range": _("the cost range must be [minimum, maximum]"),
        "unknown_module": _("module “%(value)s” is not in the catalogue", value=params.get("value", "")),
        "prerequisite_cycle": _("the prerequisites form a cycle"),
        "bad_total": _("the values must add up to the declared total"),
        "bad_uscc": _("“%(value)s” is not a valid unified social credit code", value=params.get("value", "")),
        "bad_rating": _("needs one score for each rating axis"),
        "bad_offer": _("each offer must be MODULE:PRICE"),
        "names_mismatch": _("needs one English name per certification (%(expected)s), separated by “|”",
                            expected=params.get("expected", "?")),
        "unknown_kind": _("cannot tell whether this file holds modules or providers"),
        "duplicate_kind": _("two files of the same kind in one import"),
    }
    where = " · ".join(x for x in (p.file, p.where, p.field) if x)
    return {"where": where, "message": str(messages.get(p.code, p.message)), "detail": p.message}
