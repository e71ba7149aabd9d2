"""Renormalisation rules and answer-based show_if on numbers, on small hand-made instruments."""
import pytest

from diagnosis import score, visible_ids
from tests.unit.builders import build

TXT = {"zh": "文", "en": "Text"}


def item(iid, points, **extra):
    base = {"id": iid, "kind": "single", "points": points, "text": TXT, "help": TXT, "evidence": TXT,
            "options": [{"id": "no", "share": 0, "text": TXT}, {"id": "yes", "share": 1, "text": TXT}],
            "rubric": {"yes": TXT}}
    base.update(extra)
    return base


def instrument(rule, method="sum"):
    """Two dimensions: d1 = a (6, may be n/a) + b (4); d2 = c (10, manufacturing only)."""
    return build({
        "id": "renorm", "version": "1.0.0", "title": TXT,
        "total": {"points": 20, "method": method}, "not_applicable": {"rule": rule},
        "dimensions": [
            {"id": "d1", "title": TXT, "points": 10, "indicators": [
                {"id": "i1", "title": TXT, "points": 10, "items": [item("a", 6, allow_na=True), item("b", 4)]}]},
            {"id": "d2", "title": TXT, "points": 10, "indicators": [
                {"id": "i2", "title": TXT, "points": 10, "items": [
                    item("c", 10, show_if={"profile": {"industry_group": ["manufacturing"]}})]}]}],
        "levels": [{"id": "only", "rank": 1, "name": TXT, "meaning": TXT}]})


MANU = {"industry_group": "manufacturing"}


def test_dimension_rule_keeps_each_dimension_maximum():
    # a n/a: d1 = b 4 of 4 → 10 of 10; d2 = c no → 0; total 10
    r = score(instrument("dimension"), {"a": "n/a", "b": "yes", "c": "no"}, MANU)
    assert (r.dimensions["d1"]["score"], r.dimensions["d1"]["max"]) == (10, 10)
    assert r.total == 10


def test_total_rule_spreads_points_over_every_applicable_item():
    # a n/a: 14 applicable points scale to 20 (×20/14); earned b 4 → 4×20/14 = 5.714286
    r = score(instrument("total"), {"a": "n/a", "b": "yes", "c": "no"}, MANU)
    assert r.total == pytest.approx(4 * 20 / 14, abs=1e-6)
    assert r.dimensions["d1"]["max"] == pytest.approx(4 * 20 / 14, abs=1e-6)
    assert r.dimensions["d2"]["max"] == pytest.approx(10 * 20 / 14, abs=1e-6)


def test_a_dimension_with_nothing_applicable_leaves_the_total_to_the_others():
    # services: c hidden, so d2 has nothing to score; d1 = a yes 6 + b no 0 = 6 of 10 → total 6×20/10 = 12
    r = score(instrument("dimension"), {"a": "yes", "b": "no"}, {"industry_group": "services"})
    assert r.dimensions["d2"] == {"score": 0.0, "max": 0.0, "title": TXT,
                                  "indicators": {"i2": {"score": 0.0, "max": 0.0, "title": TXT}}}
    assert r.total == 12 and r.max_total == 20


def test_mean_of_dimensions_skips_a_dimension_with_nothing_applicable():
    # mean over d1 only: 6/10 → 60 % of 20 = 12; with manufacturing and c yes: (0.6 + 1)/2 × 20 = 16
    inst = instrument("dimension", method="mean_of_dimensions")
    assert score(inst, {"a": "yes", "b": "no"}, {"industry_group": "services"}).total == 12
    assert score(inst, {"a": "yes", "b": "no", "c": "yes"}, MANU).total == 16


def test_answer_gates_on_a_scale_and_a_rate(small_data):
    items = small_data["dimensions"][0]["indicators"][0]["items"]
    items[0] = {"id": "a", "kind": "scale", "points": 4, "min": 0, "max": 4,
                "text": TXT, "help": TXT, "evidence": TXT, "rubric": {str(n): TXT for n in (1, 2, 3, 4)}}
    items[1]["show_if"] = {"answer": {"a": {"at_least": 2}}}
    items.append(item("d", 0, show_if={"answer": {"c": {"at_least": 0.5}}}))
    inst = build(small_data)
    assert "b" not in visible_ids(inst, {"a": 1}, MANU)
    assert "b" in visible_ids(inst, {"a": 2}, MANU)
    assert "d" not in visible_ids(inst, {"c": {"numerator": 4, "denominator": 10}}, MANU)
    assert "d" in visible_ids(inst, {"c": {"numerator": 5, "denominator": 10}}, MANU)
