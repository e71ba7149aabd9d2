"""Explanations: which level conditions pass, and the fewest improvements to reach the next level."""
import numpy as np

from .answers import SHOWN
from .bands import numerator_into
from .levels import in_pool
from .model import NA
from .texts import answer_text, condition_text


def level_checks(comp, ev, enc, row=0):
    """Per level: every condition with required vs actual, whether it applies and passes."""
    out = []
    for li, lv in enumerate(comp.instrument.levels):
        conds = []
        for k in range(comp.level_slices[li].start, comp.level_slices[li].stop):
            c = comp.conditions[k][1]
            conds.append(condition_dict(c, bool(enc.conditions[row, k]), bool(ev["cond_passed"][row, k]),
                                        float(ev["cond_actual"][row, k])))
        out.append({"level": lv.id, "rank": lv.rank, "name": lv.name, "passed": bool(ev["level_ok"][row, li]),
                    "reached": li <= int(ev["level_index"][row]), "conditions": conds})
    return out


def condition_dict(c, applies, passed, actual):
    d = {"kind": c.kind, "applies": applies, "passed": passed or not applies, "text": condition_text(c)}
    if c.kind == "scenarios_at_least":
        d.update(required=c.count, actual=int(actual), level=c.level, mandatory_only=c.mandatory_only,
                 among=list(c.among))
    else:
        d.update(required=c.value, actual=round(actual, 4))
    return d


def item_steps(q, value, share):
    """Better answers for one item, cheapest first: [(share, answer value)]."""
    steps = []
    if q.kind == "single":
        for o in sorted(q.options, key=lambda o: o.share):
            if o.share > share:
                steps.append((o.share, o.id))
    elif q.kind == "multiple":
        chosen = [v for v in value if not q.option(v).exclusive]
        rest = sorted((o for o in q.options if not o.exclusive and o.id not in chosen), key=lambda o: -o.share)
        got = share
        for o in rest:
            chosen = chosen + [o.id]
            got = min(1.0, got + o.share)
            steps.append((got, list(chosen)))
    elif q.kind == "rate":
        d = value["denominator"]
        for b in q.bands:
            if b.share > share:
                steps.append((b.share, {"numerator": numerator_into(q, b, d), "denominator": d}))
    elif q.kind == "scale":
        for v in range(value + 1, q.max + 1):
            s = q.shares[v - q.min] if q.shares else (v - q.min) / (q.max - q.min)
            if s > share:
                steps.append((s, v))
    return steps


def next_level(comp, res, enc, ev):
    """For the level above the current one: failing conditions and the fewest improvements."""
    inst = comp.instrument
    index = int(ev["level_index"][0])
    if index + 1 >= len(inst.levels):
        return {"reached_top": True, "level": None, "failing": [], "improvements": [], "reachable": True,
                "unreachable": [], "total_after": float(ev["total"][0])}
    target = inst.levels[index + 1]
    sl = comp.level_slices[index + 1]
    failing, need_total, scen_conds = [], None, []
    for k in range(sl.start, sl.stop):
        c = comp.conditions[k][1]
        if not enc.conditions[0, k] or ev["cond_passed"][0, k]:
            continue
        failing.append(condition_dict(c, True, False, float(ev["cond_actual"][0, k])))
        if c.kind == "scenarios_at_least":
            scen_conds.append(c)
        else:  # "above" needs a little more than the value; totals are rounded to 6 decimals
            need = c.value if c.kind == "total_at_least" else c.value + 1e-6
            need_total = max(need_total or 0.0, need)
    row = enc
    improvements, unreachable = [], []
    if scen_conds:
        row, scen_changes, missing = _raise_scenarios(comp, res, row, scen_conds)
        improvements += scen_changes
        unreachable += [condition_text(c) for c in missing]
    if need_total is not None:
        row, item_changes, ok = _raise_items(comp, res, row, need_total)
        improvements = item_changes + improvements
        if not ok:
            unreachable.append({"zh": f"总分无法达到 {need_total:g} 分", "en": f"the total cannot reach {need_total:g} points"})
    after = comp.evaluate(row, detail=False)
    reachable = not unreachable and bool(after["level_index"][0] >= index + 1)
    return {"reached_top": False, "level": level_dict(target), "failing": failing, "improvements": improvements,
            "reachable": reachable, "unreachable": unreachable, "total_after": float(after["total"][0])}


def level_dict(lv):
    return {"id": lv.id, "rank": lv.rank, "name": lv.name, "meaning": lv.meaning}


def _raise_items(comp, res, base, need):
    """Fewest items to improve so the total reaches `need`; gains found by rescoring."""
    inst = comp.instrument
    cands = []
    for i, qid in enumerate(comp.item_ids):
        value = res.values.get(qid)
        if res.states[qid] != SHOWN or value is None or value == NA:
            continue
        steps = item_steps(inst.question(qid), value, res.shares[qid])
        if steps:
            cands.append((i, qid, value, steps))
    if not cands:
        return base, [], False
    # one row per candidate at its best answer: exact gains, renormalisation included
    shares = np.repeat(base.shares, len(cands), axis=0)
    for r, (i, _, _, steps) in enumerate(cands):
        shares[r, i] = steps[-1][0]
    before = comp.evaluate(base, detail=False)["total"][0]
    gains = comp.evaluate(_tile(base, shares), detail=False)["total"] - before
    order = np.argsort(-gains, kind="stable")
    # cumulative rows: best answers for the top-1, top-2, ... candidates
    cum = np.repeat(base.shares, len(cands), axis=0)
    for r in range(len(cands)):
        if r:
            cum[r] = cum[r - 1]
        i = cands[order[r]][0]
        cum[r, i] = cands[order[r]][3][-1][0]
    totals = comp.evaluate(_tile(base, cum), detail=False)["total"]
    meets = np.nonzero(totals >= need - 1e-9)[0]
    ok = len(meets) > 0
    k = int(meets[0]) + 1 if ok else len(cands)
    chosen = [cands[order[r]] for r in range(k)]
    final = cum[k - 1].copy()
    picks = {c[0]: (c[3][-1], gains[order[r]]) for r, c in enumerate(chosen)}
    if ok:  # the last item needs only its cheapest step that still reaches the target
        i, _, _, steps = chosen[-1]
        trial = np.repeat(final[None, :], len(steps), axis=0)
        trial[:, i] = [s for s, _ in steps]
        t = comp.evaluate(_tile(base, trial), detail=False)["total"]
        first = int(np.nonzero(t >= need - 1e-9)[0][0])
        final = trial[first]
        if first < len(steps) - 1:
            one = base.shares.copy()
            one[0, i] = steps[first][0]
            picks[i] = (steps[first], comp.evaluate(base._replace(shares=one), detail=False)["total"][0] - before)
    row = base._replace(shares=final[None, :])
    out = []
    for i, qid, value, _ in chosen:
        q = inst.question(qid)
        (_, to), gain = picks[i]
        out.append({"id": qid, "kind": q.kind, "text": q.text, "from": value,
                    "from_text": answer_text(q, value, inst.scenario_levels), "to": to,
                    "to_text": answer_text(q, to, inst.scenario_levels), "gain": round(float(gain), 4)})
    return row, out, ok


def _tile(base, shares):
    n = shares.shape[0]
    return base._replace(shares=shares, applicable=np.repeat(base.applicable, n, axis=0),
                         scenarios=np.repeat(base.scenarios, n, axis=0), conditions=np.repeat(base.conditions, n, axis=0))


def _raise_scenarios(comp, res, base, conds):
    """Fewest scenarios to raise so each count condition holds; closest-to-target first."""
    inst = comp.instrument
    levels = base.scenarios[0].astype(int).copy()
    planned = {}
    missing = []
    # mandatory-only conditions first: what they raise also counts for the general ones
    for c in sorted(conds, key=lambda c: (not c.mandatory_only, -c.level)):
        pool = [j for j, s in enumerate(inst.scenarios) if in_pool(s, c) and levels[j] >= 0]
        have = sum(1 for j in pool if levels[j] >= c.level)
        below = sorted((j for j in pool if levels[j] < c.level),
                       key=lambda j: (-levels[j], not inst.scenarios[j].mandatory, j))
        need = c.count - have
        if need > len(below):
            missing.append(c)
            need = len(below)
        for j in below[:need]:
            planned.setdefault(j, int(levels[j]))
            levels[j] = c.level
    scen = levels.astype(np.int8)[None, :]
    out = []
    for j, old in planned.items():
        s = inst.scenarios[j]
        out.append({"id": s.id, "kind": "scenario", "text": s.text, "mandatory": s.mandatory, "from": old,
                    "from_text": answer_text(s, old, inst.scenario_levels), "to": int(levels[j]),
                    "to_text": answer_text(s, int(levels[j]), inst.scenario_levels), "gain": 0.0})
    return base._replace(scenarios=scen), out, missing
