"""The recommended plan as report rows: phases, modules, costs, providers, each with its why.

Reads the planning core's `Plan.to_dict()` (diagnosis/planning.py) and resolves it to one
language. Costs: a module's `cost` is gross and `net_cost` what the enterprise pays after the
subsidy; phase and plan totals are summed from the modules so the table always adds up.
"""
from reports.values import num, pick, tr

PROVIDERS_SHOWN = 3  # per module: the best matches; the web plan page lists them all


def _why(obj, lang):
    why = pick(obj, "why", "reason")
    if isinstance(why, (list, tuple)):
        return [tr(w, lang) for w in why]
    return [tr(why, lang)] if why else []


def _money(value):
    return None if value is None else num(float(value))


def provider_row(provider, lang):
    return {"name": tr(pick(provider, "name", "title"), lang),
            "rating": pick(provider, "rating"),
            "price": _money(pick(provider, "price")),
            "public": bool(pick(provider, "public", default=False)),
            "warned": bool(pick(provider, "warned", default=False)),
            "why": _why(provider, lang)}


def module_row(module, lang):
    cost = _money(pick(module, "cost"))
    subsidy = _money(pick(module, "subsidy")) or 0
    net = _money(pick(module, "net_cost"))
    if net is None and cost is not None:
        net = num(cost - subsidy)
    # free public service platforms first (Art. 18), then the ranked market providers
    providers = list(pick(module, "public_platforms", default=[]) or [])
    providers += list(pick(module, "providers", default=[]) or [])
    return {"id": pick(module, "id"), "title": tr(pick(module, "name", "title"), lang),
            "cost": cost, "subsidy": subsidy, "net_cost": net,
            "weeks": pick(module, "weeks"), "public": bool(pick(module, "public", default=False)),
            "uplift": num(pick(module, "uplift")), "why": _why(module, lang),
            "providers": [provider_row(p, lang) for p in providers[:PROVIDERS_SHOWN]],
            "more_providers": max(len(providers) - PROVIDERS_SHOWN, 0)}


def _level_name(level, lang):
    return tr(pick(level, "name"), lang) if isinstance(level, dict) else tr(level, lang)


def plan_view(plan, lang):
    """Phases with modules and totals, in `lang`; None when no plan was computed."""
    if not plan:
        return None
    plan = plan.to_dict() if hasattr(plan, "to_dict") else plan
    phases = []
    for number, phase in enumerate(pick(plan, "phases", default=[]) or [], start=1):
        modules = [module_row(m, lang) for m in pick(phase, "modules", default=[]) or []]
        months = pick(phase, "months")
        phases.append({
            "number": pick(phase, "index", default=number),
            "title": tr(pick(phase, "title", "name"), lang),
            "months": [num(m) for m in months] if months else None,
            "modules": modules,
            "cost": num(sum(m["cost"] or 0 for m in modules)),
            "net_cost": num(sum(m["net_cost"] or 0 for m in modules)),
            "projected_total": num(pick(phase, "projected_total")),
            "projected_level": _level_name(pick(phase, "projected_level"), lang),
        })
    cost = num(sum(p["cost"] for p in phases))
    net = num(sum(p["net_cost"] for p in phases))
    subsidy = pick(plan, "subsidy")
    cio = pick(plan, "cio_recommendation")
    return {
        "phases": phases, "cost": cost, "net_cost": net, "subsidy": num(cost - net),
        "subsidy_name": tr(pick(subsidy, "name"), lang) if isinstance(subsidy, dict) else "",
        "budget": _money(pick(plan, "budget")),
        "target_level": _level_name(pick(plan, "target_level"), lang),
        "reachable": pick(plan, "reachable"),
        "min_budget": _money(pick(plan, "min_budget_for_target")),
        "projected_total": num(pick(plan, "projected_total")),
        "projected_level": _level_name(pick(plan, "projected_level"), lang),
        "cio": tr(pick(cio, "text"), lang) if isinstance(cio, dict) else "",
        "why": _why(plan, lang),
        "sample": bool(pick(plan, "sample_catalogue", default=False)),
    }
