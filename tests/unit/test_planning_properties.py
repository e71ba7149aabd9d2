"""Hypothesis on random catalogues and results: the budget is never exceeded, prerequisites
always come first, removed providers never appear, and more budget never lowers the level."""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diagnosis.catalogue import Catalogue, Effect, Module, Offer, Provider, Ranking
from diagnosis.effects import apply_effects, effect_in_place
from diagnosis.planning import Planner
from tests.unit.builders import MANUFACTURING

PROFILE = {**MANUFACTURING, "district": "芝罘区", "has_cio": True}
AXES = {"service_record": 25, "capability": 25, "effectiveness": 25, "overall": 25}


@st.composite
def answers(draw, inst):
    out = {}
    for q in inst.questions:
        if q.allow_na and draw(st.integers(0, 5)) == 0:
            out[q.id] = "n/a"
        elif q.kind == "single":
            out[q.id] = draw(st.sampled_from([o.id for o in q.options]))
        elif q.kind == "multiple":
            plain = [o.id for o in q.options if not o.exclusive]
            chosen = draw(st.lists(st.sampled_from(plain), unique=True, max_size=len(plain)))
            out[q.id] = chosen or [o.id for o in q.options if o.exclusive][:1]
        elif q.kind == "rate":
            den = draw(st.integers(1, 200))
            out[q.id] = {"numerator": draw(st.integers(0, den)), "denominator": den}
        else:
            out[q.id] = draw(st.integers(int(q.min), int(q.max)))
    return out


@st.composite
def effect(draw, inst):
    q = draw(st.sampled_from(list(inst.questions)))
    if q.kind == "scenario":
        return Effect(q.id, draw(st.integers(1, 4)), scenario=True)
    if q.kind == "single":
        return Effect(q.id, draw(st.sampled_from([o.id for o in q.options])))
    if q.kind == "multiple":
        plain = [o.id for o in q.options if not o.exclusive]
        return Effect(q.id, tuple(draw(st.lists(st.sampled_from(plain), unique=True, min_size=1, max_size=3))))
    if q.kind == "rate":
        return Effect(q.id, {"rate": draw(st.sampled_from([0.2, 0.4, 0.6, 0.8, 1.0]))})
    return Effect(q.id, draw(st.integers(int(q.min), int(q.max))))


@st.composite
def catalogues(draw, inst):
    modules = {}
    for n in range(draw(st.integers(1, 7))):
        earlier = list(modules)
        requires = tuple(draw(st.lists(st.sampled_from(earlier), unique=True, max_size=1))) if earlier else ()
        cost = draw(st.integers(0, 40)) * 5000
        needs = tuple(draw(st.lists(effect(inst), max_size=1))) if draw(st.integers(0, 3)) == 0 else ()
        modules[f"m{n}"] = Module(id=f"m{n}", name={"zh": f"模块{n}", "en": f"Module {n}"},
                                  description={"zh": "d", "en": "d"}, category="x",
                                  effects=tuple(draw(st.lists(effect(inst), min_size=1, max_size=2))),
                                  requires_modules=requires, requires_answers=needs, one_off=(0, cost),
                                  yearly=draw(st.sampled_from([0, 1000, 5000])), weeks=draw(st.integers(1, 12)))
    providers = {}
    for n in range(draw(st.integers(0, 6))):
        offered = draw(st.lists(st.sampled_from(list(modules)), unique=True, min_size=1, max_size=3))
        providers[f"p{n}"] = Provider(
            id=f"p{n}", name={"zh": f"服务商{n}", "en": f"Provider {n}"}, uscc="", type=draw(st.sampled_from(
                ["chain_leader", "integrator", "product_vendor", "public_platform"])),
            districts=tuple(draw(st.sampled_from([["*"], ["芝罘区"], ["莱州市"], ["芝罘区", "莱州市"]]))),
            industries=tuple(draw(st.sampled_from([[], ["C"], ["C36"], ["F51"]]))),
            offers=tuple(Offer(m, draw(st.integers(0, 100)) * 1000) for m in offered), certifications=(),
            rating={a: draw(st.integers(0, 25)) for a in AXES},
            status=draw(st.sampled_from(["active", "active", "warned", "removed"])))
    return Catalogue(modules=modules, providers=providers, rating_axes=AXES, ranking=Ranking())


def _check_plan(plan, cat, budget, inst, answers):
    assert plan["total_cost"] <= budget
    assert plan["exact"]
    placed = []
    for phase in plan["phases"]:
        for m in phase["modules"]:
            assert all(r in placed for r in m["requires"]), (m["id"], m["requires"], placed)
            # answers it needs are in place, or brought by a module placed before it
            before = apply_effects(inst, answers, [e for mid in placed for e in cat.modules[mid].effects])
            for need in cat.modules[m["id"]].requires_answers:
                assert effect_in_place(inst, before, need), (m["id"], need)
            placed.append(m["id"])
            for p in m["providers"] + m["public_platforms"]:
                provider = cat.providers[p["id"]]
                assert provider.status != "removed"
                assert "*" in provider.districts or "芝罘区" in provider.districts
                assert p["warned"] == (provider.status == "warned")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_plans_keep_budget_prerequisites_and_provider_rules_and_more_budget_never_hurts(cn, data):
    ans = data.draw(answers(cn))
    cat = data.draw(catalogues(cn))
    low = data.draw(st.integers(0, 60)) * 5000
    high = low + data.draw(st.integers(0, 60)) * 5000
    target = data.draw(st.sampled_from([None, "level2", "level3", "level4"]))
    planner = Planner(cn, ans, PROFILE, cat)
    plans = [planner.plan(b, target_level=target).to_dict() for b in (low, high)]
    for plan, budget in zip(plans, (low, high)):
        _check_plan(plan, cat, budget, cn, ans)
    assert plans[1]["projected_level"]["rank"] >= plans[0]["projected_level"]["rank"]
    if plans[0]["reachable"]:
        assert plans[1]["reachable"]
    if plans[0]["min_budget_for_target"] is not None:
        assert plans[0]["min_budget_for_target"] == plans[1]["min_budget_for_target"]
        assert plans[1]["reachable"] == (high >= plans[1]["min_budget_for_target"])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_same_properties_on_a_small_instrument_where_levels_are_often_within_reach(data):
    from diagnosis import visible_ids
    from tests.unit.builders import SMALL, build

    inst = build(SMALL)
    drawn = data.draw(answers(inst))
    shown = visible_ids(inst, drawn, PROFILE)
    ans = {q: v for q, v in drawn.items() if q in shown}
    cat = data.draw(catalogues(inst))
    low = data.draw(st.integers(0, 30)) * 5000
    high = low + data.draw(st.integers(0, 30)) * 5000
    planner = Planner(inst, ans, PROFILE, cat)
    plans = [planner.plan(b).to_dict() for b in (low, high)]
    for plan, budget in zip(plans, (low, high)):
        _check_plan(plan, cat, budget, inst, ans)
    assert plans[1]["projected_level"]["rank"] >= plans[0]["projected_level"]["rank"]
    if plans[0]["reachable"]:
        assert plans[1]["reachable"]


def _valid_sets(inst, ans, cat, budget):
    """Every subset of modules within the budget that can be done in some order (each module
    after what it needs), with its cost and the answers once all are implemented."""
    import itertools

    from diagnosis import visible_ids

    shown = lambda i, a: visible_ids(i, a, PROFILE)  # noqa: E731
    in_place = {m.id for m in cat.modules.values() if all(effect_in_place(inst, ans, e) for e in m.effects)}
    ids = [m for m in cat.modules if m not in in_place]
    for r in range(len(ids) + 1):
        for combo in itertools.combinations(ids, r):
            cost = sum(cat.modules[m].cost for m in combo)
            if cost > budget:
                continue
            done, state, progress = set(), dict(ans), True
            while progress:  # some order does every module after what it needs
                progress = False
                for mid in combo:
                    m = cat.modules[mid]
                    if mid not in done and all(q in done or q in in_place for q in m.requires_modules) \
                            and all(effect_in_place(inst, state, need) for need in m.requires_answers):
                        done.add(mid)
                        state = apply_effects(inst, state, m.effects)
                        progress = True
            if done != set(combo):
                continue
            # once all are implemented, the answers are the best each item got
            yield combo, cost, apply_effects(inst, ans, [e for mid in combo for e in cat.modules[mid].effects], shown)


def _cheapest_by_brute_force(inst, ans, cat, budget, target_rank):
    """The least cost of a set reaching the target, checked the slow way: prerequisites, then score()."""
    from diagnosis import score

    costs = [cost for _, cost, after in _valid_sets(inst, ans, cat, budget)
             if score(inst, after, PROFILE).level["rank"] >= target_rank]
    return min(costs, default=None)


def _closest_by_brute_force(inst, ans, cat, budget, target_rank):
    """The best (unmet conditions, shortfall, -points, cost) of any set, by score()."""
    from diagnosis import score

    best = None
    for _, cost, after in _valid_sets(inst, ans, cat, budget):
        result = score(inst, after, PROFILE)
        check = next(c for c in result.level_checks if c["rank"] == target_rank)
        conds = [c for c in check["conditions"] if c["applies"]]
        unmet = sum(1 for c in conds if not c["passed"])
        short = sum(max(0.0, (c["required"] - c["actual"]) / c["required"]) for c in conds if not c["passed"])
        key = (unmet, round(short, 6), -round(result.total, 6), cost)
        best = key if best is None or key < best else best
    return best


def _small_case(data, max_steps):
    """Answers, a catalogue and a budget on the small instrument, and the plan for them."""
    from diagnosis import visible_ids
    from tests.unit.builders import SMALL, build

    inst = build(SMALL)
    drawn = data.draw(answers(inst))
    shown = visible_ids(inst, drawn, PROFILE)
    ans = {q: v for q, v in drawn.items() if q in shown}
    cat = data.draw(catalogues(inst))
    budget = data.draw(st.integers(0, max_steps)) * 5000
    return inst, ans, cat, budget, Planner(inst, ans, PROFILE, cat).plan(budget).to_dict()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_plan_is_the_cheapest_set_reaching_the_target_checked_against_every_subset(data):
    inst, ans, cat, budget, plan = _small_case(data, 40)
    if plan["current"]["level"]["rank"] >= plan["target_level"]["rank"]:
        return
    best = _cheapest_by_brute_force(inst, ans, cat, budget, plan["target_level"]["rank"])
    assert plan["reachable"] == (best is not None)
    if best is not None:
        assert plan["total_cost"] == best


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_solver_is_never_worse_than_brute_force_when_the_target_is_out_of_reach(data):
    """Unreachable within the budget: the plan is the closest of every subset (fewest unmet
    conditions, then smallest shortfall, then most points, then lowest cost)."""
    inst, ans, cat, budget, plan = _small_case(data, 20)
    if plan["reachable"]:
        return
    best = _closest_by_brute_force(inst, ans, cat, budget, plan["target_level"]["rank"])
    got = (plan["unmet_conditions"], round(plan["shortfall"], 6), -round(plan["projected_total"], 6),
           plan["total_cost"])
    assert got[0] == best[0] and got[1] == pytest.approx(best[1], abs=1e-6)
    assert got[2] == pytest.approx(best[2], abs=1e-6) and got[3] == best[3]
