"""The enterprise profile as the core sees it, and profile-based show_if tests."""

MANUFACTURING_SECTION = "C"  # GB/T 4754-2017 门类 C: 制造业
# Profile fields an instrument's show_if may test (the enterprise profile the shell passes in).
PROFILE_FIELDS = ("industry", "industry_group", "district", "employees", "revenue", "size_class", "has_cio")
INDUSTRY_GROUPS = ("manufacturing", "non_manufacturing")


def effective_profile(instrument, profile):
    """Profile with industry_group derived from the GB/T 4754 section letter and the
    instrument's profile_defaults filling what is still missing."""
    out = dict(profile or {})
    if out.get("industry_group") is None and isinstance(out.get("industry"), str) and out["industry"]:
        section = out["industry"].strip()[:1].upper()
        out["industry_group"] = "manufacturing" if section == MANUFACTURING_SECTION else "non_manufacturing"
    for key, value in instrument.profile_defaults.items():
        if out.get(key) is None:
            out[key] = value
    return out


def profile_holds(cond, profile):
    """Whether one profile Condition holds (a missing or non-numeric field never holds)."""
    value = profile.get(cond.key)
    if cond.values is not None:
        return value in cond.values
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    if cond.at_least is not None and value < cond.at_least:
        return False
    return cond.at_most is None or value <= cond.at_most


def profile_allows(show_if, profile):
    """All profile conditions of a show_if hold (answer conditions are judged elsewhere)."""
    return all(profile_holds(c, profile) for c in show_if if c.source == "profile")
