"""The planning engine: from a result, the profile and the catalogue to a budgeted roadmap.

The candidates (every suited module not yet in place) are scored alone through the core's
batch path; the set is chosen by the planning objective (plan_choice) and laid out in phases
(plan_assembly). Plan is re-exported here for callers.
"""
import numpy as np

from diagnosis.answers import value_share, visible_ids
from diagnosis.effects import apply_effects, effect_in_place, lowest_answer, parts, raised
from diagnosis.plan_assembly import Plan, assemble
from diagnosis.plan_choice import Choice
from diagnosis.plan_model import Program
from diagnosis.plan_space import Candidate, Space
from diagnosis.profile import profile_allows
from diagnosis.result import score
from diagnosis.scoring import compile_instrument

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

    def __init__(self, instrument, answers, profile, catalogue, subsidy=None):
        self.inst, self.answers, self.profile = instrument, dict(answers), dict(profile or {})
        self.catalogue, self.subsidy = catalogue, subsidy
        self.result = score(instrument, answers, profile)
        self.comp = compile_instrument(instrument)
        self.rule = self.comp.rule
        self.space = Space(self.comp, self.comp.encode(answers, profile), profile)
        self.x0 = self.space.vector(self.space.base, self.answers)
        self.base_ev = self.comp.evaluate(self.space.base, detail=False)
        # Profile-based visibility never changes here; answers only matter when some show_if
        # depends on an earlier answer, so resolve again only then.
        shown = visible_ids(instrument, self.answers, self.profile)
        self.gated = any(c.source == "answer" for q in instrument.questions for c in q.show_if)
        self._visible = (lambda inst, ans: visible_ids(inst, ans, self.profile)) if self.gated \
            else (lambda inst, ans: shown)
        self._candidates()
        self._cheapest = {}   # target rank -> cheapest set reaching it, whatever the budget
        self.requires, self.needs = self._dependencies()
        self.program = Program(self.space, self.x0, [c.x for c in self.cands], [c.scen for c in self.cands],
                               [c.cost for c in self.cands], self.rule, self.requires, self.needs)

    # -- candidates ---------------------------------------------------------------------------
    def _costs(self, module):
        gross = module.cost
        sub = self.subsidy.subsidy(module, gross, self.profile) if self.subsidy else 0
        return gross, sub, gross - sub

    def _candidates(self):
        mods = self.catalogue.modules
        self.in_place = {m.id for m in mods.values()
                         if all(effect_in_place(self.inst, self.answers, e) for e in m.effects)}
        self.cands, self.changed, self.raw = [], {}, {}
        for m in mods.values():
            if not m.suits(self.profile) or m.id in self.in_place:
                continue
            after = apply_effects(self.inst, self.answers, m.effects, self._visible)
            enc = self.comp.encode(after, self.profile)
            x, s = self.space.vector(enc, after), enc.scenarios[0].astype(np.int16)
            if self.gated:
                x = self._opened(m, x, after)
            # Modules that change no score stay in the pool: another module may need them first.
            self.changed[m.id] = {q: v for q, v in after.items() if v != self.answers.get(q)}
            # What a module brings, before visibility: what a module needing it checks.
            self.raw[m.id] = apply_effects(self.inst, self.answers, m.effects)
            self.cands.append(Candidate(m, self._costs(m)[2], x, s))
        self.index = {c.module.id: k for k, c in enumerate(self.cands)}
        if self.cands:
            ev = self.comp.evaluate(self.space.encode_state(np.array([c.x for c in self.cands]),
                                                            np.array([c.scen for c in self.cands])), detail=False)
            self.alone = {c.module.id: (float(ev["total"][k]), int(ev["rank"][k]), ev["cond_actual"][k])
                          for k, c in enumerate(self.cands)}
        else:
            self.alone = {}

    def _dependencies(self):
        """Per candidate: the candidates it needs first (None: a prerequisite cannot be had) and,
        per answer it needs that is not in place, the candidates bringing it."""
        requires, needs = [], []
        for c in self.cands:
            m = c.module
            req = []
            for rid in m.requires_modules:
                if rid not in self.in_place:
                    req = None if req is None or rid not in self.index else req + [self.index[rid]]
            requires.append(req)
            wanted = []
            for need in m.requires_answers:
                if effect_in_place(self.inst, self.answers, need):
                    continue
                for part in parts(self.inst, self.answers, need):
                    wanted.append([self.index[p] for p, raw in self.raw.items()
                                   if p != m.id and effect_in_place(self.inst, raw, part)])
            needs.append(wanted)
        return requires, needs

    def complete(self, chosen):
        """Whether every module of a set (candidate indices) has what it needs within it."""
        inside = set(chosen)
        return all(self.requires[m] is not None and inside.issuperset(self.requires[m])
                   and all(inside.intersection(p) for p in self.needs[m]) for m in chosen)

    def _opened(self, module, x, after):
        """The module's state with its effects on items still hidden behind an answer counted
        as if shown: an optimistic model (another module may open them); sets are always
        checked through their real answers (`_scored`)."""
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

    def _scored(self, ids):
        """The core's evaluation of a set of modules (ids), through its real answers."""
        after = apply_effects(self.inst, self.answers,
                              [e for mid in ids for e in self.catalogue.modules[mid].effects], self._visible)
        return self.comp.evaluate(self.comp.encode(after, self.profile), detail=False)

    # -- the plan -------------------------------------------------------------------------------
    def plan(self, budget, target_level=None, horizon_months=12, phases=3, provider_limit=5):
        inst = self.inst
        current = int(self.result.level["rank"])
        target = resolve_target(inst, current, target_level)
        conds = self.rule.up_to(target, self.space.applies)
        choice = Choice(self, conds, target)
        if current >= target:
            chosen, reachable, min_budget = [], True, 0
        else:
            # The cheapest way to the target whatever the budget: also the answer within it.
            if target not in self._cheapest:
                self._cheapest[target] = choice.cheapest(None)
            anywhere = self._cheapest[target]
            min_budget = int(round(anywhere[1])) if anywhere else None
            reachable = anywhere is not None and anywhere[1] <= budget
            chosen = anywhere[0] if reachable else choice.closest(budget)
        ids = [self.cands[k].module.id for k in chosen]
        return Plan(assemble(self, ids, budget, target, conds, reachable, min_budget,
                             horizon_months, phases, provider_limit))

    def _needs(self, ids):
        """Within the plan, which modules must come before which: the modules each one
        requires, and the earlier ones bringing an answer it needs (one valid order)."""
        done, state, needs, pending = [], dict(self.answers), {}, list(ids)
        while pending:
            for mid in pending:
                m = self.catalogue.modules[mid]
                parts_ = [p for need in m.requires_answers for p in parts(self.inst, self.answers, need)
                          if not effect_in_place(self.inst, self.answers, p)]
                if all(r in done or r not in ids for r in m.requires_modules) \
                        and all(effect_in_place(self.inst, state, p) for p in parts_):
                    break
            else:  # cannot happen for a set the program chose; keep the rest in order
                mid = pending[0]
            bring = [d for d in done if any(effect_in_place(self.inst, self.raw[d], p) for p in parts_)]
            needs[mid] = [r for r in m.requires_modules if r in ids] + [d for d in bring if d not in m.requires_modules]
            done.append(mid)
            pending.remove(mid)
            state = apply_effects(self.inst, state, m.effects)
        return needs

    def subsidy_info(self):
        if not self.subsidy:
            return None
        return {"name": dict(self.subsidy.name), "rate": self.subsidy.rate, "cap": self.subsidy.cap,
                "applies": self.subsidy.applies(self.profile)}


def make_plan(instrument, answers, profile, catalogue, budget, target_level=None, horizon_months=12,
              phases=3, subsidy=None, provider_limit=5):
    """One plan (see Planner.plan); raises AnswerError for bad answers, ValueError for a bad target."""
    planner = Planner(instrument, answers, profile, catalogue, subsidy)
    return planner.plan(budget, target_level, horizon_months, phases, provider_limit)
