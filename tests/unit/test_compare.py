"""Before/after comparison of two results (diagnosis.compare): hand-computed cases, versions
that differ, and invariants."""
from hypothesis import given
from hypothesis import strategies as st

from diagnosis.compare import compare


def result(total, rank, dims, scenarios, version="2.0.0", passed=()):
    return {"instrument": "cn-sme-2024", "version": version, "total": total,
            "level": {"id": f"level{rank}", "rank": rank, "name": {"zh": f"{rank}级", "en": f"L{rank}"}},
            "dimensions": {d: {"score": s, "max": m, "title": {"zh": d, "en": d}}
                           for d, (s, m) in dims.items()},
            "scenarios": scenarios,
            "level_checks": [{"level": "level2", "name": {"zh": "二级", "en": "Level 2"},
                              "conditions": [{"applies": True, "passed": name in passed,
                                              "text": {"zh": name, "en": name}}
                                             for name in ("total 40", "6 scenarios")]}]}


def test_same_version_compares_everything():
    t0 = result(35.5, 1, {"strategy": (10, 20), "data": (5, 30)}, {"design": 1, "sales": 2},
                passed=("6 scenarios",))
    t1 = result(44.25, 2, {"strategy": (14, 20), "data": (5, 30)}, {"design": 3, "sales": 2},
                passed=("total 40", "6 scenarios"))
    c = compare(t0, t1)
    assert c["same_version"] and c["total"] == {"before": 35.5, "after": 44.25, "change": 8.75}
    assert c["level"]["change"] == 1
    assert [(d["id"], d["change"]) for d in c["dimensions"]] == [("strategy", 4), ("data", 0)]
    assert [(s["id"], s["change"]) for s in c["scenarios"]] == [("design", 2), ("sales", 0)]
    assert c["newly_held"] == [{"level": {"zh": "二级", "en": "Level 2"},
                                "text": {"zh": "total 40", "en": "total 40"}}]
    assert c["not_compared"] == []


def test_across_versions_only_shared_parts_compare():
    t0 = result(60, 3, {"strategy": (10, 20), "old_dim": (5, 10)}, {"design": 1, "gone": 2},
                version="1.0.0")
    t1 = result(50, 2, {"strategy": (12, 20), "new_dim": (5, 10), "data": (1, 40)},
                {"design": 2}, version="2.0.0")
    t0["dimensions"]["data"] = {"score": 1, "max": 30, "title": {}}  # same id, another scale
    c = compare(t0, t1)
    assert not c["same_version"] and c["total"] is None and c["level"] is None
    assert c["newly_held"] == []
    assert [d["id"] for d in c["dimensions"]] == ["strategy"]
    assert [s["id"] for s in c["scenarios"]] == ["design"]
    assert c["not_compared"] == ["data", "gone", "new_dim", "old_dim"]


scores = st.floats(min_value=0, max_value=100, allow_nan=False)


@given(scores, scores, scores, scores, st.integers(0, 4), st.integers(0, 4))
def test_changes_are_after_minus_before_and_reverse_to_their_negatives(a, b, c, d, s0, s1):
    t0 = result(a, 1, {"x": (c, 100)}, {"sc": s0})
    t1 = result(b, 2, {"x": (d, 100)}, {"sc": s1})
    forward, backward = compare(t0, t1), compare(t1, t0)
    assert abs(forward["total"]["change"] - round(b - a, 4)) < 1e-9
    assert forward["total"]["change"] == -backward["total"]["change"] or \
        abs(forward["total"]["change"] + backward["total"]["change"]) < 1e-3
    assert forward["scenarios"][0]["change"] == s1 - s0 == -backward["scenarios"][0]["change"]
    same = compare(t0, t0)
    assert same["total"]["change"] == 0 and same["dimensions"][0]["change"] == 0
    assert same["newly_held"] == []
