"""Benchmark plan computation: demo assessments with the sample catalogue, and with a synthetic
catalogue of 500 modules and 2,000 providers.

Each timed call is one whole plan as the plan page computes it (score, candidates re-scored,
the mixed-integer programs solved to optimality, phases re-scored, provider matching). A
same-run baseline times scoring the assessment alone, so figures from a loaded machine can be
compared as ratios. Ends with one line:
`planning: sample p95 X ms, large p95 X ms, proven N/M`.

Run: .venv/bin/python bench/planning.py [--random 12] [--seed 1] [--modules 500] [--providers 2000]
"""
import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scoring import random_assessments  # noqa: E402
from diagnosis import load_instrument, score  # noqa: E402
from diagnosis.catalogue import (Catalogue, Effect, Module, Offer, Provider, Ranking,  # noqa: E402
                                 load_catalogue, load_subsidy)
from diagnosis.planning import make_plan  # noqa: E402

BUDGETS = (50_000, 200_000, 500_000, 2_000_000)
DISTRICTS = ["芝罘区", "福山区", "牟平区", "莱山区", "蓬莱区", "龙口市", "莱阳市", "莱州市", "招远市", "栖霞市",
             "海阳市", "黄渤海新区", "高新区"]
AXES = {"service_record": 25, "capability": 25, "effectiveness": 25, "overall": 25}


def demo_assessments(inst, n_random, rng):
    """The shipped examples with their profiles, plus random valid assessments."""
    ex = ROOT / "examples"
    manufacturing = json.loads((ex / "profile-manufacturing.json").read_text(encoding="utf-8"))
    services = json.loads((ex / "profile-services.json").read_text(encoding="utf-8"))
    out = []
    for name, profile in (("mixed", manufacturing), ("worst", manufacturing), ("services", services)):
        out.append((json.loads((ex / "cn-sme-2024" / f"{name}.json").read_text(encoding="utf-8")), profile))
    for answers, profile in random_assessments(inst, n_random, rng):
        out.append((answers, {**profile, "district": rng.choice(DISTRICTS), "has_cio": rng.random() < 0.5}))
    return out


def _effect(rng, q, strength):
    """An effect on question q; `strength` 1..4 sets how far it raises."""
    if q.kind == "scenario":
        return Effect(q.id, strength, scenario=True)
    if q.kind == "single":
        ranked = sorted(q.options, key=lambda o: o.share)
        return Effect(q.id, ranked[min(len(ranked) - 1, strength)].id)
    if q.kind == "multiple":
        plain = [o.id for o in q.options if not o.exclusive]
        return Effect(q.id, tuple(rng.sample(plain, min(len(plain), strength * 2))))
    if q.kind == "rate":
        return Effect(q.id, {"rate": strength / 4})
    return Effect(q.id, min(int(q.max), int(q.min) + strength))


def synthetic_catalogue(inst, n_modules, n_providers, seed):
    """Random but plausible: chains of modules per question, dearer the further they raise."""
    rng = random.Random(seed)
    questions = list(inst.questions)
    modules, by_target = {}, {}
    for n in range(n_modules):
        q = rng.choice(questions)
        strength = rng.randint(1, 4)
        effects = [_effect(rng, q, strength)]
        if rng.random() < 0.25:
            other = rng.choice(questions)
            if other.id != q.id:
                effects.append(_effect(rng, other, rng.randint(1, 3)))
        lower = [m for m, s in by_target.get(q.id, []) if s < strength]
        requires = (rng.choice(lower),) if lower and strength >= 3 and rng.random() < 0.7 else ()
        cost = int(rng.uniform(0.5, 1.5) * 8000 * 2 ** strength) // 500 * 500
        mid = f"syn-{n:03d}"
        modules[mid] = Module(id=mid, name={"zh": f"合成模块{n}", "en": f"Synthetic module {n}"},
                              description={"zh": "合成", "en": "synthetic"}, category="synthetic",
                              effects=tuple(effects), requires_modules=requires, one_off=(cost // 2, cost),
                              yearly=rng.choice([0, 2000, 6000]), weeks=rng.randint(1, 4 * strength),
                              industries=("C",) if rng.random() < 0.15 else ())
        by_target.setdefault(q.id, []).append((mid, strength))
    ids = list(modules)
    providers = {}
    for n in range(n_providers):
        offered = rng.sample(ids, rng.randint(5, 30))
        pid = f"sp{n:04d}"
        providers[pid] = Provider(
            id=pid, name={"zh": f"合成服务商{n}", "en": f"Synthetic provider {n}"}, uscc="",
            type=rng.choice(["chain_leader", "integrator", "product_vendor", "product_vendor", "public_platform"]),
            districts=("*",) if rng.random() < 0.3 else tuple(rng.sample(DISTRICTS, rng.randint(1, 5))),
            industries=() if rng.random() < 0.7 else (rng.choice(["C", "C36", "C26", "I"]),),
            offers=tuple(Offer(m, modules[m].cost) for m in offered), certifications=(),
            rating={a: rng.randint(8, 25) for a in AXES},
            status=rng.choices(["active", "warned", "removed"], weights=[90, 6, 4])[0])
    return Catalogue(modules=modules, providers=providers, rating_axes=AXES, ranking=Ranking())


def timed(inst, cat, subsidy, assessments, budgets, repeat):
    times, reached, proven = [], 0, 0
    for answers, profile in assessments:
        for budget in budgets:
            for _ in range(repeat):
                t = time.perf_counter()
                plan = make_plan(inst, answers, profile, cat, budget, subsidy=subsidy).to_dict()
                times.append((time.perf_counter() - t) * 1000)
                reached += plan["reachable"]
                proven += plan["proven_optimal"]
    return times, reached, proven


def baseline(inst, assessments, repeat):
    """Scoring each assessment once (the same machine, the same run): the unit for ratios."""
    times = []
    for _ in range(repeat):
        for answers, profile in assessments:
            t = time.perf_counter()
            score(inst, answers, profile)
            times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def p95(values):
    return sorted(values)[max(0, int(round(len(values) * 0.95)) - 1)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--random", type=int, default=12, help="random assessments besides the examples")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--modules", type=int, default=500)
    ap.add_argument("--providers", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    inst = load_instrument(ROOT / "questionnaires" / "cn-sme-2024.yaml")
    rng = random.Random(args.seed)
    data = demo_assessments(inst, args.random, rng)
    for answers, profile in data:
        score(inst, answers, profile)  # all valid, and warm caches
    sample = load_catalogue(ROOT / "catalogues", inst)
    subsidy = load_subsidy(ROOT / "catalogues" / "subsidy.yaml")
    large = synthetic_catalogue(inst, args.modules, args.providers, args.seed)

    runs, proven_all, plans_all = {}, 0, 0
    unit = baseline(inst, data, 5)
    print(f"baseline: scoring one assessment, median {unit:.2f} ms")
    for name, cat in (("sample", sample), ("large", large)):
        timed(inst, cat, subsidy, data[:2], BUDGETS[:1], 1)  # warm-up
        times, reached, proven = timed(inst, cat, subsidy, data, BUDGETS, args.repeat)
        runs[name] = times
        proven_all += proven
        plans_all += len(times)
        print(f"{name}: {len(cat.modules)} modules, {len(cat.providers)} providers; {len(times)} plans "
              f"({len(data)} assessments x {len(BUDGETS)} budgets x {args.repeat}); target reached in "
              f"{reached}, proven optimal {proven}/{len(times)}; median {statistics.median(times):.1f} ms, "
              f"p95 {p95(times):.1f} ms ({p95(times) / unit:.0f} x scoring), max {max(times):.1f} ms")
    print(f"planning: sample p95 {p95(runs['sample']):.0f} ms, large p95 {p95(runs['large']):.0f} ms, "
          f"proven {proven_all}/{plans_all}")


if __name__ == "__main__":
    main()
