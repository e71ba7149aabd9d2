"""The recommended plan as report rows: phases, modules, costs, providers, each with its why.

The plan comes from the planning core as a plain dict. This module reads it tolerantly (texts
may be {zh, en} dicts or strings; money may be missing) and resolves it to one language.
"""
from reports.values import num, pick, tr


def _money(value):
    return None if value is None else num(float(value))


def _why(obj, lang):
    why = pick(obj, "why", "reason", "reasons", "rationale")
    if isinstance(why, (list, tuple)):
        return [tr(w, lang) for w in why]
    return [tr(why, lang)] if why else []


def _cost(obj):
    cost = _money(pick(obj, "cost", "price", "total_cost"))
    subsidy = _money(pick(obj, "subsidy", "total_subsidy"))
    net = _money(pick(obj, "net_cost", "net"))
    if net is None and cost is not None:
        net = num(cost - (subsidy or 0))
    return {"cost": cost, "subsidy": subsidy, "net_cost": net}


def provider_row(provider, lang):
    return {"name": tr(pick(provider, "name", "title"), lang),
            "kind": tr(pick(provider, "kind_title", "kind", "type"), lang),
            "rating": pick(provider, "rating", "stars"),
            "public": bool(pick(provider, "public", default=False)),
            "why": _why(provider, lang)}


def module_row(module, lang):
    return {"id": pick(module, "id", "module"),
            "title": tr(pick(module, "title", "name"), lang),
            **_cost(module),
            "uplift": num(pick(module, "uplift", "gain", "points")),
            "why": _why(module, lang),
            "providers": [provider_row(p, lang) for p in pick(module, "providers", default=[])]}


def plan_view(plan, lang):
    """Phases with modules and totals, in `lang`; None when no plan was computed."""
    if not plan:
        return None
    phases = []
    for number, phase in enumerate(pick(plan, "phases", default=[]) or [], start=1):
        modules = [module_row(m, lang) for m in pick(phase, "modules", default=[]) or []]
        row = {"number": pick(phase, "number", "index", default=number),
               "title": tr(pick(phase, "title", "name"), lang),
               "why": _why(phase, lang), "modules": modules, **_cost(phase)}
        if row["cost"] is None and modules:
            row["cost"] = num(sum(m["cost"] or 0 for m in modules))
            row["net_cost"] = num(sum(m["net_cost"] or 0 for m in modules))
        phases.append(row)
    totals = _cost(plan)
    if totals["cost"] is None and phases:
        totals = {"cost": num(sum(p["cost"] or 0 for p in phases)),
                  "subsidy": None,
                  "net_cost": num(sum(p["net_cost"] or 0 for p in phases))}
    projected = pick(plan, "projected", "target", default={}) or {}
    level = pick(projected, "level")
    return {"phases": phases, **totals,
            "budget": _money(pick(plan, "budget")),
            "why": _why(plan, lang),
            "projected_total": num(pick(projected, "total")),
            "projected_level": tr(pick(level, "name") if isinstance(level, dict) else level, lang)}
