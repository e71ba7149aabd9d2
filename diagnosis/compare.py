"""Before and after: what changed between two results of the same instrument (T0 → T1).

Works on stored results (`Result.to_dict()`). Two results of one instrument version compare in
full. Across versions the totals and levels are scored on different scales and rules, so only
what both versions share under the same id is compared (dimensions, scenarios) and the rest is
reported as not comparable rather than as a change.
"""


def _conditions(result):
    """{(level id, condition text en): condition} of the conditions that apply."""
    found = {}
    for check in result.get("level_checks") or ():
        for cond in check.get("conditions") or ():
            if cond.get("applies", True):
                found[(check["level"], (cond.get("text") or {}).get("en"))] = (check, cond)
    return found


def compare(before, after):
    """{"same_version", "total", "level", "dimensions", "scenarios", "newly_held",
    "not_compared"}. `total` {"before", "after", "change"} and `level` {"before", "after",
    "change" (ranks)} are None across versions; `dimensions` and `scenarios` list
    {"id", "title", "before", "after", "change"} for ids both results have; `newly_held`:
    level conditions that hold after and did not before ({"level", "text"});
    `not_compared`: dimension and scenario ids only one of the two has."""
    same = (before.get("instrument") == after.get("instrument")
            and before.get("version") == after.get("version"))
    out = {"same_version": same, "total": None, "level": None, "newly_held": [],
           "before_version": before.get("version"), "after_version": after.get("version")}
    if same:
        out["total"] = {"before": before["total"], "after": after["total"],
                        "change": round(after["total"] - before["total"], 4)}
        lb, la = before.get("level") or {}, after.get("level") or {}
        out["level"] = {"before": lb, "after": la,
                        "change": (la.get("rank") or 0) - (lb.get("rank") or 0)}
        held_before = _conditions(before)
        for key, (check, cond) in _conditions(after).items():
            was = held_before.get(key)
            if cond.get("passed") and not (was and was[1].get("passed")):
                out["newly_held"].append({"level": check.get("name"), "text": cond.get("text")})
    dims_b, dims_a = before.get("dimensions") or {}, after.get("dimensions") or {}
    out["dimensions"] = [
        {"id": d, "title": dims_a[d].get("title"), "before": dims_b[d]["score"],
         "after": dims_a[d]["score"], "max": dims_a[d].get("max"),
         "change": round(dims_a[d]["score"] - dims_b[d]["score"], 4)}
        for d in dims_a if d in dims_b
        and (same or dims_a[d].get("max") == dims_b[d].get("max"))]
    sc_b, sc_a = before.get("scenarios") or {}, after.get("scenarios") or {}
    out["scenarios"] = [{"id": s, "before": sc_b[s], "after": sc_a[s],
                         "change": sc_a[s] - sc_b[s]} for s in sc_a if s in sc_b]
    compared = {d["id"] for d in out["dimensions"]} | {s["id"] for s in out["scenarios"]}
    out["not_compared"] = sorted((set(dims_a) | set(dims_b) | set(sc_a) | set(sc_b)) - compared)
    return out
