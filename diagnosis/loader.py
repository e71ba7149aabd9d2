"""Build an Instrument from parsed YAML, reporting every structural problem with its path."""
from .bands import read_bands
from .evidence import read_levels, read_rubric
from .model import (Condition, Dimension, Indicator, Instrument, Item, Level, LevelCondition,
                    Option, RateInput, Scenario, ScenarioGroup)
from .plausibility import read_checks
from .profile_links import read_links

EPS = 1e-9
ITEM_KEYS = ("id", "kind", "points", "text", "help", "evidence")
ITEM_OPTIONAL = {
    "single": ("options",), "multiple": ("options",),
    "rate": ("numerator", "denominator", "bands", "max"),
    "scale": ("min", "max", "shares"),
}
COMMON_OPTIONAL = ("allow_na", "required", "show_if", "rubric")


def build(data, r):
    """Turn the top-level mapping into an Instrument (fields may be placeholders where bad)."""
    top = r.mapping(data, "", required=("id", "version", "title", "total", "dimensions", "levels"),
                    optional=("description", "indicative", "not_applicable", "profile_defaults",
                              "scenario_levels", "scenario_groups", "scenarios", "superseded_by",
                              "plausibility", "minutes", "profile_links"))
    total = r.mapping(top.get("total", {}), "total", required=("points",), optional=("method",))
    method = total.get("method", "sum")
    if method not in ("sum", "mean_of_dimensions"):
        r.bad("total.method", f"unknown method {method!r} (allowed: sum, mean_of_dimensions)")
    na = r.mapping(top.get("not_applicable", {"rule": "dimension"}), "not_applicable",
                   required=("rule",))
    rule = na.get("rule", "dimension")
    if rule not in ("dimension", "total"):
        r.bad("not_applicable.rule", f"unknown rule {rule!r} (allowed: dimension, total)")
    defaults = top.get("profile_defaults", {})
    if not isinstance(defaults, dict):
        r.bad("profile_defaults", "must be a mapping of profile field to value")
        defaults = {}
    dims = tuple(_dimension(d, f"dimensions[{i}]", r)
                 for i, d in enumerate(r.seq(top.get("dimensions"), "dimensions")))
    has_scen = "scenarios" in top
    levels_txt = ()
    groups = ()
    if has_scen or "scenario_levels" in top:
        raw = r.seq(top.get("scenario_levels"), "scenario_levels")
        if len(raw) != 5:
            r.bad("scenario_levels", f"must describe the 5 levels 0..4, got {len(raw)}")
        levels_txt = tuple(r.text(t, f"scenario_levels[{i}]") for i, t in enumerate(raw))
        groups = tuple(_group(g, f"scenario_groups[{i}]", r)
                       for i, g in enumerate(r.seq(top.get("scenario_groups"), "scenario_groups")))
    scenarios = tuple(_scenario(s, f"scenarios[{i}]", r, levels_txt)
                      for i, s in enumerate(r.seq(top.get("scenarios", []), "scenarios", False)))
    levels = tuple(_level(lv, f"levels[{i}]", r)
                   for i, lv in enumerate(r.seq(top.get("levels"), "levels")))
    return Instrument(
        id=r.ident(top.get("id"), "id"), version=r.semver(top.get("version"), "version"),
        title=r.text(top.get("title"), "title"),
        description=r.text(top["description"], "description") if "description" in top else {"zh": "", "en": ""},
        indicative=r.boolean(top.get("indicative"), "indicative"),
        max_total=float(r.number(total.get("points", 0), "total.points", lo=EPS)),
        total_method=method, not_applicable_rule=rule, profile_defaults=dict(defaults),
        scenario_levels=levels_txt, scenario_groups=groups, dimensions=dims,
        scenarios=scenarios, levels=levels,
        source=r.file,
        superseded_by=r.semver(top["superseded_by"], "superseded_by") if "superseded_by" in top else None,
        checks=read_checks(top.get("plausibility"), r),
        minutes=int(r.number(top["minutes"], "minutes", lo=1, hi=600, integer=True)) if "minutes" in top else None,
        profile_links=read_links(top.get("profile_links"), r),
    )


def _dimension(d, path, r):
    d = r.mapping(d, path, required=("id", "title", "points", "indicators"))
    did = r.ident(d.get("id"), f"{path}.id")
    inds = tuple(_indicator(x, f"{path}.indicators[{i}]", r, did)
                 for i, x in enumerate(r.seq(d.get("indicators"), f"{path}.indicators")))
    pts = r.number(d.get("points", 0), f"{path}.points", lo=0)
    _adds_up(pts, [x.points for x in inds], f"{path}.points", "indicators", r)
    return Dimension(id=did, title=r.text(d.get("title"), f"{path}.title"), points=float(pts),
                     indicators=inds)


def _indicator(d, path, r, did):
    d = r.mapping(d, path, required=("id", "title", "points", "items"))
    iid = r.ident(d.get("id"), f"{path}.id")
    items = tuple(_item(x, f"{path}.items[{i}]", r, did, iid)
                  for i, x in enumerate(r.seq(d.get("items"), f"{path}.items")))
    pts = r.number(d.get("points", 0), f"{path}.points", lo=0)
    _adds_up(pts, [x.points for x in items], f"{path}.points", "items", r)
    return Indicator(id=iid, title=r.text(d.get("title"), f"{path}.title"), points=float(pts),
                     items=items)


def _adds_up(declared, parts, path, what, r):
    if isinstance(declared, (int, float)) and abs(declared - sum(parts)) > EPS:
        r.bad(path, f"points {declared:g} do not add up: its {what} sum to {sum(parts):g}")


def _item(d, path, r, did, iid):
    kind = d.get("kind") if isinstance(d, dict) else None
    if not isinstance(kind, str) or kind not in ITEM_OPTIONAL:
        if isinstance(d, dict):
            r.bad(f"{path}.kind", f"unknown kind {kind!r} (allowed: single, multiple, rate, scale)")
        kind_keys = ()
    else:
        kind_keys = ITEM_OPTIONAL[kind]
    d = r.mapping(d, path, required=ITEM_KEYS, optional=kind_keys + COMMON_OPTIONAL)
    extra = {}
    if kind in ("single", "multiple"):
        extra["options"] = _options(d.get("options"), f"{path}.options", r, kind)
    elif kind == "rate":
        extra.update(_rate(d, path, r))
    elif kind == "scale":
        extra.update(_scale(d, path, r))
    return Item(
        id=r.ident(d.get("id"), f"{path}.id"), kind=kind or "single",
        points=float(r.number(d.get("points", 0), f"{path}.points", lo=0)),
        text=r.text(d.get("text"), f"{path}.text"), help=r.text(d.get("help"), f"{path}.help"),
        evidence=r.text(d.get("evidence"), f"{path}.evidence"), dimension=did, indicator=iid,
        allow_na=r.boolean(d.get("allow_na"), f"{path}.allow_na"),
        required=r.boolean(d.get("required"), f"{path}.required", default=True),
        show_if=show_if(d.get("show_if"), f"{path}.show_if", r),
        rubric=read_rubric(d.get("rubric"), f"{path}.rubric", r), **extra)


def _options(raw, path, r, kind):
    opts = []
    for i, o in enumerate(r.seq(raw, path)):
        p = f"{path}[{i}]"
        o = r.mapping(o, p, required=("id", "text") + (("share",) if kind == "single" else ()),
                      optional=("share", "exclusive") if kind == "multiple" else ())
        share = o.get("share")
        if share is not None:
            share = r.number(share, f"{p}.share", lo=0, hi=1)
        opts.append(Option(id=r.ident(o.get("id"), f"{p}.id"), text=r.text(o.get("text"), f"{p}.text"),
                           share=share, exclusive=r.boolean(o.get("exclusive"), f"{p}.exclusive")))
    seen = set()
    for i, o in enumerate(opts):
        if o.id in seen:
            r.bad(f"{path}[{i}].id", f"duplicate option id '{o.id}'")
        seen.add(o.id)
    if len(opts) < 2:
        r.bad(path, "needs at least two options")
    if kind == "single":
        if opts and abs(max(o.share or 0 for o in opts) - 1) > EPS:
            r.bad(path, "the best option must pay the full points (share 1)")
        return tuple(Option(o.id, o.text, float(o.share or 0)) for o in opts)
    return _multiple_shares(opts, path, r)


def _multiple_shares(opts, path, r):
    excl = [o for o in opts if o.exclusive]
    if len(excl) > 1:
        r.bad(path, "at most one option may be exclusive (the 'none' option)")
    for o in excl:
        if o.share not in (None, 0):
            r.bad(path, f"exclusive option '{o.id}' must score 0")
    paying = [o for o in opts if not o.exclusive]
    declared = [o for o in paying if o.share is not None]
    if declared and len(declared) != len(paying):
        r.bad(path, "declare a share for every non-exclusive option or for none of them")
    if declared and len(declared) == len(paying) and abs(sum(o.share for o in paying) - 1) > EPS:
        r.bad(path, f"shares of the non-exclusive options must add up to 1, got {sum(o.share for o in paying):g}")
    equal = 1.0 / len(paying) if paying else 0.0
    return tuple(Option(o.id, o.text, 0.0 if o.exclusive else float(o.share if declared and o.share is not None else equal),
                        o.exclusive) for o in opts)


def _rate(d, path, r):
    out = {}
    for side in ("numerator", "denominator"):
        p = f"{path}.{side}"
        x = r.mapping(d.get(side), p, required=("label", "unit"), optional=("whole",))
        out[side] = RateInput(label=r.text(x.get("label"), f"{p}.label"), unit=r.text(x.get("unit"), f"{p}.unit"),
                              whole=r.boolean(x.get("whole"), f"{p}.whole"))
    if "max" in d:
        out["max"] = float(r.number(d["max"], f"{path}.max", lo=EPS))
    out["bands"] = read_bands(d.get("bands"), f"{path}.bands", r)
    return out


def _scale(d, path, r):
    lo = r.number(d.get("min", 0), f"{path}.min", integer=True)
    hi = r.number(d.get("max", 0), f"{path}.max", integer=True)
    if "min" not in d or "max" not in d:
        r.bad(path, "a scale needs 'min' and 'max'")
    elif hi <= lo:
        r.bad(f"{path}.max", f"max {hi} must be greater than min {lo}")
    shares = ()
    if "shares" in d:
        raw = r.seq(d["shares"], f"{path}.shares")
        shares = tuple(float(r.number(s, f"{path}.shares[{i}]", lo=0, hi=1)) for i, s in enumerate(raw))
        if isinstance(hi, int) and isinstance(lo, int) and len(shares) != hi - lo + 1:
            r.bad(f"{path}.shares", f"needs {hi - lo + 1} shares (one per step {lo}..{hi}), got {len(shares)}")
        _ascending(shares, f"{path}.shares", "shares", r)
        if shares and abs(shares[-1] - 1) > EPS:
            r.bad(f"{path}.shares", "the top of the scale must pay the full points (share 1)")
    return {"min": lo, "max": hi, "shares": shares}


def _ascending(values, path, what, r, strict=False):
    for a, b in zip(values, values[1:]):
        if b < a or (strict and b == a):
            r.bad(path, f"{what} must {'strictly ' if strict else ''}increase, got {list(values)}")
            return


def show_if(raw, path, r):
    """show_if: a mapping {profile: {...}} / {answer: {...}} or a list of them (all must hold)."""
    if raw is None:
        return ()
    parts = raw if isinstance(raw, list) else [raw]
    conds = []
    for j, part in enumerate(parts):
        p = f"{path}[{j}]" if isinstance(raw, list) else path
        part = r.mapping(part, p, optional=("profile", "answer"))
        if not part:
            r.bad(p, "must name 'profile' or 'answer' conditions")
        for source in ("profile", "answer"):
            if source in part:
                spec = part[source]
                if not isinstance(spec, dict) or not spec:
                    r.bad(f"{p}.{source}", "must map a field or item id to the values it must have")
                    continue
                for key, want in spec.items():
                    conds.append(_condition(source, key, want, f"{p}.{source}.{key}", r))
    return tuple(conds)


def _condition(source, key, want, path, r):
    if isinstance(want, list):
        if not want:
            r.bad(path, "must list at least one value")
        if source == "answer":
            want = [r.ident(v, f"{path}[{i}]") for i, v in enumerate(want)]
        return Condition(source, str(key), values=tuple(want))
    if isinstance(want, dict):
        allowed = ("at_least", "at_most") if source == "profile" else ("at_least",)
        want = r.mapping(want, path, optional=allowed)
        if not want:
            r.bad(path, f"needs {' or '.join(allowed)}")
        return Condition(source, str(key),
                         at_least=r.number(want["at_least"], f"{path}.at_least") if "at_least" in want else None,
                         at_most=r.number(want["at_most"], f"{path}.at_most") if "at_most" in want else None)
    r.bad(path, "must be a list of values or {at_least: N}")
    return Condition(source, str(key), values=())


def _group(g, path, r):
    g = r.mapping(g, path, required=("id", "title"))
    return ScenarioGroup(id=r.ident(g.get("id"), f"{path}.id"), title=r.text(g.get("title"), f"{path}.title"))


def _scenario(s, path, r, levels_txt):
    s = r.mapping(s, path, required=("id", "group", "title", "mandatory", "help", "evidence"),
                  optional=("allow_na", "required", "show_if", "levels"))
    options = tuple(Option(id=str(n), text=t, share=n / 4) for n, t in enumerate(levels_txt))
    return Scenario(
        id=r.ident(s.get("id"), f"{path}.id"), group=str(s.get("group")),
        text=r.text(s.get("title"), f"{path}.title"), help=r.text(s.get("help"), f"{path}.help"),
        evidence=r.text(s.get("evidence"), f"{path}.evidence"),
        mandatory=r.boolean(s.get("mandatory"), f"{path}.mandatory"), options=options,
        allow_na=r.boolean(s.get("allow_na"), f"{path}.allow_na"),
        required=r.boolean(s.get("required"), f"{path}.required", default=True),
        show_if=show_if(s.get("show_if"), f"{path}.show_if", r),
        levels=read_levels(s.get("levels"), f"{path}.levels", r))


def _level(lv, path, r):
    lv = r.mapping(lv, path, required=("id", "rank", "name", "meaning"), optional=("conditions",))
    conds = tuple(_level_condition(c, f"{path}.conditions[{i}]", r)
                  for i, c in enumerate(r.seq(lv.get("conditions", []), f"{path}.conditions", False)))
    return Level(id=r.ident(lv.get("id"), f"{path}.id"), rank=r.number(lv.get("rank", 0), f"{path}.rank", integer=True),
                 name=r.text(lv.get("name"), f"{path}.name"), meaning=r.text(lv.get("meaning"), f"{path}.meaning"),
                 conditions=conds)


def _level_condition(c, path, r):
    kinds = ("total_at_least", "total_above", "scenarios_at_least")
    c = r.mapping(c, path, optional=kinds + ("show_if",))
    named = [k for k in kinds if k in c]
    if len(named) != 1:
        r.bad(path, f"must have exactly one of {', '.join(kinds)}")
        return LevelCondition(kind="total_at_least", value=0.0)
    when = show_if(c.get("show_if"), f"{path}.show_if", r)
    kind = named[0]
    if kind != "scenarios_at_least":
        return LevelCondition(kind=kind, value=float(r.number(c[kind], f"{path}.{kind}", lo=0)), show_if=when)
    p = f"{path}.scenarios_at_least"
    s = r.mapping(c[kind], p, required=("level", "count"), optional=("mandatory_only", "among"))
    among = tuple(r.ident(x, f"{p}.among[{i}]") for i, x in enumerate(r.seq(s.get("among", []), f"{p}.among", False)))
    return LevelCondition(kind=kind, level=r.number(s.get("level", 1), f"{p}.level", lo=1, hi=4, integer=True),
                          count=r.number(s.get("count", 1), f"{p}.count", lo=1, integer=True),
                          mandatory_only=r.boolean(s.get("mandatory_only"), f"{p}.mandatory_only"),
                          among=among, show_if=when)
