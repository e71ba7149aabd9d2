"""What an on-site assessor accepts as proof: each item's rubric and each scenario's levels.

An item's `rubric` maps an answer to what proves it: option ids for single and multiple
choice, `numerator` and `denominator` for a rate, each step ("1", "2", ...) for a scale. A
scenario's `levels` say, for levels 1..4, what that level looks like in that scenario and what
proves it. Both are required in instruments whose level counts (not `indicative`), unless the
file is an old version kept for stored results (`superseded_by`).
"""
from .model import ScenarioLevel

NA_KEY = "n/a"


def rubric_keys(item):
    """(keys that must be described, keys that may be) for an item's rubric."""
    if item.kind in ("single", "multiple"):
        required = [o.id for o in item.options if o.share > 0]
        optional = [o.id for o in item.options if o.share <= 0]
    elif item.kind == "rate":
        required, optional = ["numerator", "denominator"], []
    elif item.kind == "scale" and isinstance(item.min, int) and isinstance(item.max, int):
        required, optional = [str(v) for v in range(item.min + 1, item.max + 1)], [str(item.min)]
    else:
        required, optional = [], []
    if item.allow_na:
        optional.append(NA_KEY)
    return required, optional


def read_rubric(raw, path, r):
    """{answer key: {zh, en}} as written (keys are checked against the item by check_rubric)."""
    if raw is None:
        return {}
    if not isinstance(raw, dict) or not raw:
        r.bad(path, "must map each answer (option id, numerator/denominator or scale step) to "
                    "the evidence that proves it")
        return {}
    return {str(key): r.text(text, f"{path}.{key}") for key, text in raw.items()}


def check_rubric(item, path, required_here, r):
    """Unknown keys are typos; missing keys are gaps an assessor would meet on site."""
    required, optional = rubric_keys(item)
    for key in item.rubric:
        if key not in required and key not in optional:
            r.bad(f"{path}.rubric.{key}", f"'{key}' is not an answer of this {item.kind} item "
                                          f"(describe: {', '.join(required + optional)})")
    if not item.rubric and not required_here:
        return
    missing = [k for k in required if k not in item.rubric]
    if not item.rubric:
        r.bad(path, "missing key 'rubric': say what proves each answer "
                    f"({', '.join(required)}) for on-site assessors")
    elif missing:
        r.bad(f"{path}.rubric", f"no evidence described for {', '.join(missing)}")


def read_levels(raw, path, r):
    """A scenario's `levels`: {1..4: {text, evidence}} → tuple of 4 ScenarioLevel, or ()."""
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        r.bad(path, "must map the levels 1, 2, 3 and 4 to {text, evidence}")
        return ()
    keys = [k for k in raw if not isinstance(k, bool)]
    for key in raw:
        if isinstance(key, bool) or key not in (1, 2, 3, 4):
            r.bad(f"{path}.{key}", f"unknown level {key!r} (describe the levels 1, 2, 3 and 4)")
    missing = [n for n in (1, 2, 3, 4) if n not in keys]
    if missing:
        r.bad(path, f"levels {', '.join(map(str, missing))} not described (describe 1, 2, 3 and 4)")
        return ()
    out = []
    for n in (1, 2, 3, 4):
        p = f"{path}.{n}"
        level = r.mapping(raw[n], p, required=("text", "evidence"))
        out.append(ScenarioLevel(text=r.text(level.get("text"), f"{p}.text"),
                                 evidence=r.text(level.get("evidence"), f"{p}.evidence")))
    return tuple(out)


def evidence_required(inst):
    """Whether every item needs a rubric and every scenario its levels."""
    return not inst.indicative and inst.superseded_by is None


def check_evidence(inst, paths, r):
    """Rubrics and scenario levels: complete where required, never naming unknown answers."""
    required = evidence_required(inst)
    for q in inst.items:
        check_rubric(q, paths.get(q.id, q.id), required, r)
    described = [s for s in inst.scenarios if s.levels]
    for s in inst.scenarios:
        if not s.levels and (required or described):
            why = "every scenario needs them once one has them" if not required else \
                "say what levels 1-4 look like in this scenario and what proves each"
            r.bad(paths.get(s.id, s.id), f"missing key 'levels': {why}")
