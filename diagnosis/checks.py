"""Cross-reference checks on a built Instrument: ids, show_if references, level rules."""
from .evidence import check_evidence
from .loader import EPS
from .plausibility import check_references
from .profile_links import check_link_references
from .profile import INDUSTRY_GROUPS, PROFILE_FIELDS


def check(inst, r):
    """Append every cross-reference problem of `inst` to the reader's problems."""
    paths = {}
    seen = {}
    for di, d in enumerate(inst.dimensions):
        _unique(d.id, f"dimensions[{di}].id", seen, r)
        for ii, ind in enumerate(d.indicators):
            _unique(ind.id, f"dimensions[{di}].indicators[{ii}].id", seen, r)
            for ti, it in enumerate(ind.items):
                p = f"dimensions[{di}].indicators[{ii}].items[{ti}]"
                _unique(it.id, f"{p}.id", seen, r)
                paths[it.id] = p
    for si, s in enumerate(inst.scenarios):
        _unique(s.id, f"scenarios[{si}].id", seen, r)
        paths.setdefault(s.id, f"scenarios[{si}]")
    if inst.total_method == "sum":
        total = sum(d.points for d in inst.dimensions)
        if abs(total - inst.max_total) > EPS:
            r.bad("total.points", f"points {inst.max_total:g} do not add up: its dimensions sum to {total:g}")
    groups = {}
    for gi, g in enumerate(inst.scenario_groups):
        _unique(g.id, f"scenario_groups[{gi}].id", groups, r)
    for si, s in enumerate(inst.scenarios):
        if s.group not in groups:
            r.bad(f"scenarios[{si}].group", f"unknown scenario group '{s.group}'")
    _check_show_if(inst, paths, r)
    _check_levels(inst, r)
    _check_profile_fields(inst, paths, r)
    check_evidence(inst, paths, r)
    check_references(inst, r)
    check_link_references(inst, r)


def _unique(qid, path, seen, r):
    if qid in seen:
        r.bad(path, f"duplicate id '{qid}' (first at {seen[qid]})")
    else:
        seen[qid] = path


def _check_show_if(inst, paths, r):
    earlier = {}
    for q in inst.questions:
        p = paths.get(q.id, q.id)
        for c in q.show_if:
            if c.source != "answer":
                continue
            where = f"{p}.show_if.answer.{c.key}"
            if q.kind == "scenario":
                r.bad(where, "scenarios may only depend on the profile")
            elif c.key not in earlier:
                known = inst.question(c.key) is not None
                r.bad(where, f"show_if refers to {'a later' if known else 'unknown'} item '{c.key}'"
                      + (" (refer only to earlier items)" if known else ""))
            else:
                _check_answer_condition(earlier[c.key], c, where, r)
        earlier[q.id] = q


def _check_answer_condition(gate, c, where, r):
    """The condition must only reveal on better answers, so a better answer never hides points."""
    if c.values is not None:
        if gate.kind not in ("single", "multiple"):
            r.bad(where, f"list of options needs a single or multiple item; '{gate.id}' is {gate.kind} (use at_least)")
            return
        offered = {o.id: o for o in gate.options}
        for v in c.values:
            if v not in offered:
                r.bad(where, f"option '{v}' is not offered by item '{gate.id}'")
            elif offered[v].exclusive:
                r.bad(where, f"exclusive option '{v}' cannot reveal items (a better answer would hide them)")
        listed = [offered[v].share for v in c.values if v in offered]
        if listed and gate.kind == "single":
            lowest = min(listed)
            missing = [o.id for o in gate.options if o.share > lowest and o.id not in c.values]
            if missing:
                r.bad(where, f"must also list the better options {missing}: a better answer must never hide an item")
    elif gate.kind in ("single", "multiple"):
        r.bad(where, f"item '{gate.id}' is {gate.kind}: list its option ids")
    elif gate.kind == "rate" and not 0 <= c.at_least <= 1:
        r.bad(where, f"at_least {c.at_least} must be a rate between 0 and 1")
    elif gate.kind in ("scale", "scenario") and not gate.min <= c.at_least <= gate.max:
        r.bad(where, f"at_least {c.at_least} is outside {gate.min}..{gate.max} of item '{gate.id}'")


def _check_profile_fields(inst, paths, r):
    """Catch typos in profile field names and industry groups (they would hide items silently)."""
    places = [(f"{paths.get(q.id, q.id)}.show_if.profile", q.show_if) for q in inst.questions]
    for li, lv in enumerate(inst.levels):
        places += [(f"levels[{li}].conditions[{ci}].show_if.profile", c.show_if) for ci, c in enumerate(lv.conditions)]
    places.append(("profile_defaults", [_Default(k, v) for k, v in inst.profile_defaults.items()]))
    for where, conds in places:
        for c in conds:
            if c.source != "profile":
                continue
            if c.key not in PROFILE_FIELDS:
                r.bad(f"{where}.{c.key}", f"unknown profile field '{c.key}' (known: {', '.join(PROFILE_FIELDS)})")
            elif c.key == "industry_group":
                for v in c.values or ():
                    if v not in INDUSTRY_GROUPS:
                        r.bad(f"{where}.{c.key}", f"unknown industry group {v!r} (known: {', '.join(INDUSTRY_GROUPS)})")


class _Default:
    """A profile default seen as a condition, so one check covers both."""
    source = "profile"

    def __init__(self, key, value):
        self.key, self.values = key, (value,)


def _check_levels(inst, r):
    ranks, ids = {}, {}
    for li, lv in enumerate(inst.levels):
        _unique(lv.id, f"levels[{li}].id", ids, r)
        _unique(lv.rank, f"levels[{li}].rank", ranks, r)
    by_rank = sorted(range(len(inst.levels)), key=lambda i: inst.levels[i].rank)
    scen = {s.id: s for s in inst.scenarios}
    for pos, li in enumerate(by_rank):
        lv = inst.levels[li]
        path = f"levels[{li}]"
        if pos == 0 and lv.conditions:
            r.bad(f"{path}.conditions", "the lowest level must have no conditions")
        if pos > 0 and not lv.conditions:
            r.bad(f"{path}.conditions", "only the lowest level may have no conditions")
        for ci, c in enumerate(lv.conditions):
            cp = f"{path}.conditions[{ci}]"
            for k in c.show_if:
                if k.source != "profile":
                    r.bad(f"{cp}.show_if", "level conditions may only depend on the profile")
            slack = EPS if c.kind == "total_at_least" else 0
            if c.kind in ("total_at_least", "total_above") and c.value >= inst.max_total + slack:
                r.bad(f"{cp}.{c.kind}", f"impossible: {c.value:g} is above the maximum total {inst.max_total:g}")
            if c.kind == "scenarios_at_least":
                _check_count(c, scen, f"{cp}.scenarios_at_least", r)


def _check_count(c, scen, path, r):
    for i, sid in enumerate(c.among):
        if sid not in scen:
            r.bad(f"{path}.among[{i}]", f"unknown scenario '{sid}'")
    pool = [scen[s] for s in c.among if s in scen] if c.among else list(scen.values())
    if c.mandatory_only:
        pool = [s for s in pool if s.mandatory]
    if c.count > len(pool):
        what = "mandatory scenarios" if c.mandatory_only else "scenarios"
        r.bad(f"{path}.count", f"impossible count: {c.count} {what} required but only {len(pool)} exist")
