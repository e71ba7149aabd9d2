"""The planning engine: from a result, the profile and the catalogue to a budgeted roadmap.

Every projected total and level is the scoring engine's: single modules and module sets are
scored through the batch path, and each phase's cumulative answers through score().
"""
from dataclasses import dataclass, field

import numpy as np

from diagnosis.answers import value_share, visible_ids
from diagnosis.effects import apply_effects, effect_in_place, lowest_answer, raised
from diagnosis.matching import match_providers
from diagnosis.plan_space import Candidate, Space
from diagnosis.plan_texts import cio_recommendation, gaps, module_why
from diagnosis.profile import profile_allows
from diagnosis.result import score
from diagnosis.roadmap import phase_months, phase_plan, priority_key
from diagnosis.scoring import compile_instrument
from diagnosis.search import NODE_LIMIT, Search

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


def _level(inst, rank):
    lv = inst.level(int(rank))
    return {"id": lv.id, "rank": lv.rank, "name": dict(lv.name)}


def resolve_target(inst, current_rank, target_level):
    """Target rank from a level id or rank; default the next level (or the top)."""
    if target_level in (None, ""):
        return min(current_rank + 1, inst.levels[-1].rank)
    for lv in inst.levels:
        if target_level in (lv.id, lv.rank, str(lv.rank)):
            return lv.rank
    raise ValueError(f"unknown target level {target_level!r}: choose from "
                     + ", ".join(lv.id for lv in inst.levels))


class Planner:
    """Everything one assessment's plans need, computed once (several budgets reuse it)."""

    def __init__(self, instrument, answers, profile, catalogue, subsidy=None, node_limit=NODE_LIMIT):
        self.inst, self.answers, self.profile = instrument, dict(answers), dict(profile or {})
        self.catalogue, self.subsidy = catalogue, subsidy
        self.result = score(instrument, answers, profile)
        self.comp = compile_instrument(instrument)
        self.space = Space(self.comp, self.comp.encode(answers, profile), profile)
        self.x0 = self.space.vector(self.space.base, self.answers)
        self.s0 = self.space.base.scenarios[0].astype(np.int16)
        # Profile-based visibility never changes here; answers only matter when some show_if
        # depends on an earlier answer, so resolve again only then.
        shown = visible_ids(instrument, self.answers, self.profile)
        self.gated = any(c.source == "answer" for q in instrument.questions for c in q.show_if)
        self._visible = (lambda inst, ans: visible_ids(inst, ans, self.profile)) if self.gated \
            else (lambda inst, ans: shown)
        self._candidates()
        self.node_limit = node_limit

    # -- candidates ---------------------------------------------------------------------------
    def _costs(self, module):
        gross = module.cost
        sub = self.subsidy.subsidy(module, gross, self.profile) if self.subsidy else 0
        return gross, sub, gross - sub

    def _candidates(self):
        mods = self.catalogue.modules
        self.in_place = {m.id for m in mods.values()
                         if all(effect_in_place(self.inst, self.answers, e) for e in m.effects)}
        suited = [m for m in mods.values() if m.suits(self.profile) and m.id not in self.in_place]
        changed, rows, xs, ss = {}, [], [], []
        self.helps = set()
        for m in suited:
            after = apply_effects(self.inst, self.answers, m.effects, self._visible)
            enc = self.comp.encode(after, self.profile)
            x, s = self.space.vector(enc, after), enc.scenarios[0].astype(np.int16)
            if self.gated:
                x = self._opened(m, x, after)
            # Modules that change no score stay in the pool: another module may need them first.
            if (x > self.x0 + 1e-9).any() or (s > self.s0).any():
                self.helps.add(m.id)
            changed[m.id] = {q: v for q, v in after.items() if v != self.answers.get(q)}
            rows.append(m)
            xs.append(x)
            ss.append(s)
        self.changed = changed
        totals, ranks = self.space.exact(np.array(xs).reshape(len(xs), -1), np.array(ss).reshape(len(ss), -1)) \
            if rows else ([], [])
        self.single = {m.id: (float(t), int(r)) for m, t, r in zip(rows, totals, ranks)}
        useful = {m.id: (m, x, s) for m, x, s in zip(rows, xs, ss)}
        cands = []
        for m, x, s in useful.values():
            bundle = self._bundle(m, useful, [])
            if bundle is None:
                continue
            cands.append(Candidate(m, self._costs(m)[2], x, s, tuple(bundle)))
        # Prerequisites first keeps bundles pointing at earlier positions; order helps pruning only.
        self.cands = sorted(cands, key=lambda c: (c.cost / max(1e-9, self._impact(c.module.id)), c.module.id))

    def _opened(self, module, x, after):
        """The module's state with its effects on items still hidden behind an answer counted
        as if shown: an optimistic model (another module may open them); sets are always
        checked through their real answers (`_evaluate`)."""
        profile = self.comp.effective_profile(self.profile)
        for effect in module.effects:
            q = self.inst.question(effect.target)
            if q is None or q.kind == "scenario" or effect.target in after \
                    or not profile_allows(q.show_if, profile):
                continue
            value = raised(q, lowest_answer(q), list(effect.value) if isinstance(effect.value, tuple)
                           else effect.value)
            share, _ = value_share(q, value)
            x = self.space.open_item(x, q.id, share or 0.0, value if isinstance(value, list) else ())
        return x

    def _evaluate(self, modules):
        """(total, rank) of a set of modules, scored through its real answers."""
        after = apply_effects(self.inst, self.answers, [e for m in modules for e in m.effects], self._visible)
        scores = self.comp.score_batch(self.comp.encode(after, self.profile))
        return float(scores.totals[0]), int(scores.levels[0])

    def _bundle(self, module, useful, seen):
        """The module and every prerequisite not yet in place; None when one cannot be met
        (including a module that would need itself, through another module's answer)."""
        if module.id in seen:
            return None
        out = []
        for rid in module.requires_modules:
            if rid in self.in_place:
                continue
            if rid not in useful:
                return None
            sub = self._bundle(useful[rid][0], useful, seen + [module.id])
            if sub is None:
                return None
            out += [b for b in sub if b not in out]
        for req in module.requires_answers:
            if effect_in_place(self.inst, self.answers, req):
                continue
            providers = sorted((u for u in useful.values()
                                if any(e.target == req.target and effect_in_place(
                                    self.inst, {req.target: self.changed[u[0].id].get(req.target)}, req)
                                    for e in u[0].effects)), key=lambda u: (u[0].cost, u[0].id))
            sub = None
            for u in providers:
                sub = self._bundle(u[0], useful, seen + [module.id])
                if sub is not None:
                    break
            if sub is None:
                return None
            out += [b for b in sub if b not in out]
        return out + [module.id]

    def _impact(self, mid):
        total, _ = self.single.get(mid, (self.space.base_total, 0))
        steps = sum(max(0, v - (self.answers.get(q) or 0)) for q, v in self.changed.get(mid, {}).items()
                    if self.inst.question(q).kind == "scenario")
        return max(0.0, total - self.space.base_total) + SCENARIO_STEP_POINTS * steps

    # -- the plan -------------------------------------------------------------------------------
    def plan(self, budget, target_level=None, horizon_months=12, phases=3, provider_limit=5):
        inst = self.inst
        current = int(self.result.level["rank"])
        target = resolve_target(inst, current, target_level)
        search = Search(self.space, self.cands, self.node_limit, self._evaluate if self.gated else None)
        exact = True
        if current >= target:
            chosen, reachable, min_budget = [], True, 0
        else:
            # The cheapest way to the target, whatever the budget, is also the answer within it.
            cheapest = search.cheapest_reaching(target, float("inf"), self.answers)
            exact = search.exact
            if (cheapest is None or cheapest[1] > budget) and not exact:
                within = search.cheapest_reaching(target, float(budget), self.answers)
                if within is not None:
                    cheapest = within
            min_budget = int(round(cheapest[1])) if cheapest else None
            reachable = cheapest is not None and cheapest[1] <= budget + 1e-9
            if reachable:
                chosen = cheapest[0]
            else:
                # What the budget can do at most: smaller searches, the first one did the most work.
                search.node_limit = max(1, self.node_limit // 2)
                start, keep = ([], 0.0), current
                for rank in range(target - 1, current, -1):
                    found = search.cheapest_reaching(rank, float(budget), self.answers)
                    exact = exact and search.exact
                    if found is not None:
                        start, keep = found, rank
                        break
                chosen = search.most_points(float(budget), keep, start, self.answers)[0]
                exact = exact and search.exact
        ids = [self.cands[k].module.id for k in chosen]
        return Plan(self._assemble(ids, budget, current, target, reachable, min_budget, exact,
                                   horizon_months, phases, provider_limit))

    def _entry(self, mid, target_conds, provider_limit, providers=True):
        m = self.catalogue.modules[mid]
        gross, sub, net = self._costs(m)
        total, rank = self.single[mid]
        impact = self._impact(mid)
        quick = m.weeks <= QUICK_WIN_WEEKS and net <= QUICK_WIN_COST and impact > 0
        helps = [c for c in target_conds if self._helps(mid, c)]
        market, public = match_providers(self.catalogue, mid, self.profile, provider_limit) if providers \
            else ([], [])
        return {
            "id": mid, "name": dict(m.name), "description": dict(m.description), "category": m.category,
            "cost": gross, "subsidy": sub, "net_cost": net, "one_off": list(m.one_off), "yearly": m.yearly,
            "weeks": m.weeks, "deployment": m.deployment, "public": m.public,
            "requires": [r for r in m.requires_modules if r not in self.in_place],
            "projected_total": round(total, 4), "projected_level": _level(self.inst, rank),
            "uplift": round(total - self.space.base_total, 4), "impact": round(impact, 4), "quick_win": quick,
            "why": module_why(self.inst, m, self.answers, self.changed[mid], self.space.base_total, total,
                              quick, [c for c in helps]),
            "providers": [p.to_dict() for p in market], "public_platforms": [p.to_dict() for p in public],
        }

    def _helps(self, mid, cond):
        if cond.kind != "scenarios_at_least":
            return False
        for q, v in self.changed[mid].items():
            s = self.inst.question(q)
            if s.kind == "scenario" and v >= cond.level > (self.answers.get(q) or 0) \
                    and (s.mandatory or not cond.mandatory_only) and (not cond.among or q in cond.among):
                return True
        return False

    def _needs(self, ids):
        """Within the plan, which modules must come before which (bundles say why)."""
        by_id = {c.module.id: c for c in self.cands}
        return {mid: [b for b in by_id[mid].bundle if b != mid and b in ids] for mid in ids}

    def _assemble(self, ids, budget, current, target, reachable, min_budget, exact,
                  horizon_months, phases, provider_limit):
        inst = self.inst
        tl = inst.level(target)
        target_conds = [c for c in (tl.conditions if tl else ())]
        entries = [self._entry(mid, target_conds, provider_limit) for mid in ids]
        grouped = phase_plan(entries, self._needs(ids), phases, horizon_months)
        out_phases, done, cumulative, cumulative_gross = [], [], 0, 0
        for index, group in enumerate(grouped):
            done += [e["id"] for e in group]
            effects = [e for mid in done for e in self.catalogue.modules[mid].effects]
            after = apply_effects(inst, self.answers, effects, self._visible)
            scores = self.comp.score_batch(self.comp.encode(after, self.profile))  # same numbers as score()
            cost = sum(e["net_cost"] for e in group)
            cumulative += cost
            cumulative_gross += sum(e["cost"] for e in group)
            out_phases.append({
                "index": index + 1, "months": phase_months(index, phases, horizon_months), "modules": group,
                "cost": cost, "cumulative_cost": cumulative, "cumulative_gross_cost": cumulative_gross,
                "projected_total": float(scores.totals[0]),
                "projected_level": _level(inst, scores.levels[0])})
        final = out_phases[-1] if out_phases else None
        candidates = sorted((self._entry(c.module.id, target_conds, 0, providers=False) for c in self.cands
                             if c.module.id in self.helps), key=priority_key)
        for c in candidates:
            c.pop("providers")
            c.pop("public_platforms")
        cio_ids = [{"id": c["id"], "name": c["name"]} for c in candidates if c["category"] == "organisation"]
        return {
            "instrument": inst.id, "version": inst.version, "budget": int(budget),
            "current": {"total": self.result.total, "level": _level(inst, self.result.level["rank"])},
            "target_level": _level(inst, target), "horizon_months": horizon_months,
            "reachable": reachable, "min_budget_for_target": min_budget, "exact": exact,
            "total_cost": cumulative, "total_gross_cost": cumulative_gross,
            "projected_total": final["projected_total"] if final else self.result.total,
            "projected_level": final["projected_level"] if final else _level(inst, self.result.level["rank"]),
            "phases": out_phases,
            "cio_recommendation": cio_recommendation(self.profile, cio_ids),
            "subsidy": self._subsidy_info(),
            "gaps": gaps(inst, self.result, min(current + 1, inst.levels[-1].rank), target),
            "candidates": candidates, "sample_catalogue": self.catalogue.sample,
        }

    def _subsidy_info(self):
        if not self.subsidy:
            return None
        return {"name": dict(self.subsidy.name), "rate": self.subsidy.rate, "cap": self.subsidy.cap,
                "applies": self.subsidy.applies(self.profile)}


def make_plan(instrument, answers, profile, catalogue, budget, target_level=None, horizon_months=12,
              phases=3, subsidy=None, provider_limit=5, node_limit=NODE_LIMIT):
    """One plan (see Planner.plan); raises AnswerError for bad answers, ValueError for a bad target."""
    planner = Planner(instrument, answers, profile, catalogue, subsidy, node_limit)
    return planner.plan(budget, target_level, horizon_months, phases, provider_limit)
