"""The recommended plan as report rows: phases, modules, costs, providers, each with its why.

The plan comes from the planning core as a plain dict. This module reads it tolerantly (texts
may be {zh, en} dicts or strings; money may be missing) and resolves it to one language.
"""
from reports.context import _get, _num, tr


def _money(value):
    return None if value is None else _num(float(value))


def _why(obj, lang):
    why = _get(obj, "why", "reason", "reasons", "rationale")
    if isinstance(why, (list, tuple)):
        return [tr(w, lang) for w in why]
    return [tr(why, lang)] if why else []


def _cost(obj):
    cost = _money(_get(obj, "cost", "price", "total_cost"))
    subsidy = _money(_get(obj, "subsidy", "total_subsidy"))
    net = _money(_get(obj, "net_cost", "net"))
    if net is None and cost is not None:
        net = _num(cost - (subsidy or 0))
    return {"cost": cost, "subsidy": subsidy, "net_cost": net}


def provider_row(provider, lang):
    return {"name": tr(_get(provider, "name", "title"), lang),
            "kind": tr(_get(provider, "kind_title", "kind", "type"), lang),
            "rating": _get(provider, "rating", "stars"),
            "public": bool(_get(provider, "public", default=False)),
            "why": _why(provider, lang)}


def module_row(module, lang):
    return {"id": _get(module, "id", "module"),
            "title": tr(_get(module, "title", "name"), lang),
            **_cost(module),
            "uplift": _num(_get(module, "uplift", "gain", "points")),
            "why": _why(module, lang),
            "providers": [provider_row(p, lang) for p in _get(module, "providers", default=[])]}


def plan_view(plan, lang):
    """Phases with modules and totals, in `lang`; None when no plan was computed."""
    if not plan:
        return None
    phases = []
    for number, phase in enumerate(_get(plan, "phases", default=[]) or [], start=1):
        modules = [module_row(m, lang) for m in _get(phase, "modules", default=[]) or []]
        row = {"number": _get(phase, "number", "index", default=number),
               "title": tr(_get(phase, "title", "name"), lang),
               "why": _why(phase, lang), "modules": modules, **_cost(phase)}
        if row["cost"] is None and modules:
            row["cost"] = _num(sum(m["cost"] or 0 for m in modules))
            row["net_cost"] = _num(sum(m["net_cost"] or 0 for m in modules))
        phases.append(row)
    totals = _cost(plan)
    if totals["cost"] is None and phases:
        totals = {"cost": _num(sum(p["cost"] or 0 for p in phases)),
                  "subsidy": None,
                  "net_cost": _num(sum(p["net_cost"] or 0 for p in phases))}
    projected = _get(plan, "projected", "target", default={}) or {}
    level = _get(projected, "level")
    return {"phases": phases, **totals,
            "budget": _money(_get(plan, "budget")),
            "why": _why(plan, lang),
            "projected_total": _num(_get(projected, "total")),
            "projected_level": tr(_get(level, "name") if isinstance(level, dict) else level, lang)}
