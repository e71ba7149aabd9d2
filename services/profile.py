"""Enterprise profile: read it as plain data, validate and save it, derive the size class."""
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select

from diagnosis.sizing import classify, load_size_rules
from diagnosis.uscc import check_uscc
from services.errors import InvalidInput
from services.text import clean_line
from storage.db import db_session, transaction
from storage.models import Enterprise

MANUFACTURING_SECTION = "C"


class ProfileError(Exception):
    """Refused input: `.problems` {field: code}; codes are keys the web layer translates."""

    def __init__(self, problems: dict):
        super().__init__(problems)
        self.problems = problems


@lru_cache(maxsize=4)
def size_rules(path):
    return load_size_rules(Path(path))


def industry_group(industry_code: str | None) -> str | None:
    """manufacturing / non_manufacturing from the GB/T 4754 门类 letter."""
    if not industry_code:
        return None
    return "manufacturing" if industry_code[0] == MANUFACTURING_SECTION else "non_manufacturing"


def _enterprise(enterprise) -> Enterprise:
    return enterprise if isinstance(enterprise, Enterprise) else db_session.get(Enterprise,
                                                                                int(enterprise))


# The enterprise columns the diagnosis core's profile is made of.
PROFILE_COLUMNS = ("industry_code", "district", "employees", "annual_revenue", "size_class",
                   "has_cio")


# Profile fields an answer may set (diagnosis/profile_links.py, source: answer), with their
# column. Fields that decide the size class (revenue, employees) are never set from answers.
ANSWERED_COLUMNS = {"has_cio": "has_cio"}


def core_profile(columns) -> dict:
    """The profile the diagnosis core expects, from a mapping of PROFILE_COLUMNS. Unknown values
    are left out, so the instrument's profile defaults apply to them."""
    code = columns.get("industry_code")
    profile = {"industry": code, "industry_group": industry_group(code),
               "district": columns.get("district"), "employees": columns.get("employees"),
               "revenue": columns.get("annual_revenue"), "size_class": columns.get("size_class"),
               "has_cio": columns.get("has_cio")}
    return {key: value for key, value in profile.items() if value is not None}


def profile_dict(enterprise) -> dict:
    """The profile the diagnosis core expects (an Enterprise or its id)."""
    e = _enterprise(enterprise)
    return core_profile({column: getattr(e, column) for column in PROFILE_COLUMNS})


def profile_view(enterprise_id: int) -> dict:
    """Everything the profile page shows, as plain values."""
    e = _enterprise(enterprise_id)
    return {"id": e.id, "name": e.name, "uscc": e.uscc, "industry_code": e.industry_code,
            "industry_section": e.industry_section, "district": e.district,
            "employees": e.employees, "annual_revenue": e.annual_revenue,
            "total_assets": e.total_assets, "size_class": e.size_class,
            "size_reason": e.size_reason, "main_products": e.main_products,
            "has_cio": e.has_cio, "complete": is_complete(e)}


def is_complete(e: Enterprise) -> bool:
    """Whether the profile has what the diagnosis needs."""
    return None not in (e.uscc, e.industry_code, e.district, e.employees, e.annual_revenue,
                        e.has_cio) and e.size_class is not None


def sizing_for(rules_path, industry_code, employees, revenue, assets):
    """The size class decision (diagnosis.sizing.Sizing) for these figures."""
    return classify(size_rules(str(rules_path)), industry_code, employees, revenue, assets)


def update_profile(enterprise_id: int, data: dict, rules_path) -> dict:
    """Save a validated profile; derives size class and reason. Returns profile_view().

    `data` keys: name, uscc, industry_code, district, employees, annual_revenue (yuan),
    total_assets (yuan or None), main_products, has_cio. Raises ProfileError.
    """
    problems = {}
    texts = {}
    for field, multiline in (("name", False), ("main_products", True)):
        try:
            texts[field] = clean_line(data.get(field), required=field == "name",
                                      code=f"{field}_required", multiline=multiline)
        except InvalidInput as err:
            problems[field] = err.code
    code, problem = check_uscc(data.get("uscc"))
    if problem:
        problems["uscc"] = problem
    elif db_session.scalar(select(Enterprise.id).where(Enterprise.uscc == code,
                                                       Enterprise.id != enterprise_id)):
        problems["uscc"] = "uscc_taken"
    sizing = sizing_for(rules_path, data["industry_code"], data["employees"],
                        data["annual_revenue"], data.get("total_assets"))
    if "assets" in sizing.missing:
        problems["total_assets"] = "assets_required"
    if problems:
        raise ProfileError(problems)
    with transaction():
        e = db_session.get(Enterprise, enterprise_id)
        e.name = texts["name"]
        e.uscc = code
        e.industry_code = data["industry_code"]
        e.district = data["district"]
        e.employees = data["employees"]
        e.annual_revenue = data["annual_revenue"]
        e.total_assets = data.get("total_assets")
        e.main_products = texts["main_products"] or None
        e.has_cio = data["has_cio"]
        e.size_class = sizing.size_class
        e.size_reason = sizing.reason
    return profile_view(enterprise_id)
