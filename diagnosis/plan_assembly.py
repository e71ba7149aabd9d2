"""A chosen set of modules as the plan: entries with what each moves, phases with the
conditions that hold after each, the candidates that help, the gaps.

Every projected total and level is the scoring engine's: modules alone through the batch path,
each phase's cumulative answers through the same evaluation score() runs.
"""
from dataclasses import dataclass, field

from diagnosis.matching import match_providers
from diagnosis.plan_texts import (cio_recommendation, condition_states, gaps, module_why, moves, phase_summary,
                                  with_enables, zero_budget_text)
from diagnosis.roadmap import phase_months, phase_plan, priority_key

QUICK_WIN_WEEKS = 4
QUICK_WIN_COST = 20000
SCENARIO_STEP_POINTS = 1.0   # impact of one scenario level, for ordering only (not the score)


@dataclass
class Plan:
    """A plan as plain data; `to_dict()` is JSON-safe and what pages, CLI and PDF use."""
    data: dict = field(default_factory=dict)

    def to_dict(self):
        return self.data

    def __getattr__(self, name):
        try:
            return self.__dict__["data"][name]
        except KeyError:
            raise AttributeError(name) from None


def level_ref(inst, rank):
    lv = inst.level(int(rank))
    return {"id": lv.id, "rank": lv.rank, "name": dict(lv.name)}


def _impact(planner, mid):
    total = planner.alone[mid][0]
    steps = sum(max(0, v - (planner.answers.get(q) or 0)) for q, v in planner.changed[mid].items()
                if planner.inst.question(q).kind == "scenario")
    return max(0.0, total - planner.space.base_total) + SCENARIO_STEP_POINTS * steps


def _moves(planner, mid, conds):
    cand = planner.cands[planner.index[mid]]
    return moves(planner.inst, planner.rule, conds,
                 (planner.base_ev["cond_actual"][0], planner.space.base.scenarios[0]),
                 (planner.alone[mid][2], cand.scen))


def entry(planner, mid, conds, provider_limit, providers=True, moved=None):
    """One module as the plan shows it: costs, points alone, the conditions it moves."""
    inst, m = planner.inst, planner.catalogue.modules[mid]
    gross, sub, net = planner._costs(m)
    total, rank, _ = planner.alone[mid]
    impact = _impact(planner, mid)
    quick = m.weeks <= QUICK_WIN_WEEKS and net <= QUICK_WIN_COST and impact > 0
    moved = _moves(planner, mid, conds) if moved is None else moved
    market, public = match_providers(planner.catalogue, mid, planner.profile, provider_limit) if providers \
        else ([], [])
    return {
        "id": mid, "name": dict(m.name), "description": dict(m.description), "category": m.category,
        "cost": gross, "subsidy": sub, "net_cost": net, "one_off": list(m.one_off), "yearly": m.yearly,
        "weeks": m.weeks, "deployment": m.deployment, "public": m.public,
        "requires": [r for r in m.requires_modules if r not in planner.in_place],
        "projected_total": round(total, 4), "projected_level": level_ref(inst, rank),
        "uplift": round(total - planner.space.base_total, 4), "impact": round(impact, 4), "quick_win": quick,
        "moves": moved,
        "why": module_why(inst, m, planner.answers, planner.changed[mid], planner.space.base_total, total,
                          quick, moved),
        "providers": [p.to_dict() for p in market], "public_platforms": [p.to_dict() for p in public],
    }


def assemble(planner, ids, budget, target, conds, reachable, min_budget, horizon_months, phases,
             provider_limit):
    inst = planner.inst
    current = int(planner.result.level["rank"])
    entries = [entry(planner, mid, conds, provider_limit) for mid in ids]
    needs = planner._needs(ids)
    for e in entries:   # a module planned for what it opens, not for what it moves itself
        e["enables"] = [{"id": other, "name": dict(planner.catalogue.modules[other].name)}
                        for other in ids if e["id"] in needs.get(other, ())]
        e["why"] = with_enables(e["why"], e["enables"])
    # Nothing to do: no phases at all rather than empty ones.
    grouped = phase_plan(entries, needs, phases, horizon_months) if ids else []
    before = condition_states(inst, planner.rule, conds, planner.base_ev)
    out_phases, done, cumulative, cumulative_gross = [], [], 0, 0
    for index, group in enumerate(grouped):
        done += [e["id"] for e in group]
        ev = planner._scored(done)
        cost = sum(e["net_cost"] for e in group)
        cumulative += cost
        cumulative_gross += sum(e["cost"] for e in group)
        states = condition_states(inst, planner.rule, conds, ev)
        out_phases.append({
            "index": index + 1, "months": phase_months(index, phases, horizon_months), "modules": group,
            "cost": cost, "cumulative_cost": cumulative, "cumulative_gross_cost": cumulative_gross,
            "projected_total": float(ev["total"][0]), "projected_level": level_ref(inst, ev["rank"][0]),
            "conditions": states, "summary": phase_summary(inst, target, states)})
    final = out_phases[-1] if out_phases else None
    after = final["conditions"] if final else before
    # Helpful: moves a condition of the target level that does not hold yet.
    helpful = ((c.module.id, _moves(planner, c.module.id, conds)) for c in planner.cands)
    candidates = sorted((entry(planner, mid, conds, 0, providers=False, moved=moved)
                         for mid, moved in helpful if moved), key=priority_key)
    for c in candidates:
        c.pop("providers")
        c.pop("public_platforms")
    cio_ids = [{"id": c["id"], "name": c["name"]} for c in candidates if c["category"] == "organisation"]
    return {
        "instrument": inst.id, "version": inst.version, "budget": int(budget),
        "current": {"total": planner.result.total, "level": level_ref(inst, current)},
        "target_level": level_ref(inst, target), "horizon_months": horizon_months,
        "reachable": reachable, "min_budget_for_target": min_budget, "exact": True, "proven_optimal": True,
        "total_cost": cumulative, "total_gross_cost": cumulative_gross,
        "projected_total": final["projected_total"] if final else planner.result.total,
        "projected_level": final["projected_level"] if final else level_ref(inst, current),
        "conditions_before": before, "conditions_after": after,
        "unmet_conditions": sum(1 for c in after if not c["met"]),
        "shortfall": round(sum(c["shortfall"] for c in after), 6),
        "summary": phase_summary(inst, target, before, start=True),
        "zero_budget": zero_budget_text([c for c in candidates if c["net_cost"] == 0]) if budget == 0 else None,
        "phases": out_phases,
        "cio_recommendation": cio_recommendation(planner.profile, cio_ids),
        "subsidy": planner.subsidy_info(),
        "gaps": gaps(inst, planner.result, min(current + 1, inst.levels[-1].rank), target),
        "candidates": candidates, "sample_catalogue": planner.catalogue.sample,
    }
