"""The dashboard's further figures on a real database (SQLite and PostgreSQL): hand-computed
median, dimension and indicator means, scenario heatmap, T0→T1 uplift and module demand, with
small cells suppressed and never shown as 0."""
from datetime import date

import pytest

from services import aggregates, bureau_figures, instrument_registry, organisations
from services.access import BureauScope
from tests.figure_helpers import LAISHAN, ZHIFU, figure_population


@pytest.fixture
def population(app):
    return figure_population(app)


def _run(app, figure, scope=None, **raw):
    with app.app_context():
        registry = instrument_registry.instruments(app.config["QUESTIONNAIRES_DIR"])
        query = aggregates.parse({"instrument": "cn-sme-2024", "by": "district",
                                  "as_of": "2026-06-30", **raw},
                                 organisations.reference(app.config), registry,
                                 date(2026, 12, 1), scope=scope)
        instrument = registry["cn-sme-2024"]
        if figure in (bureau_figures.module_demand, bureau_figures.plan_demand):
            from services import catalogue
            return figure(query, scope, catalogue.current(app.config))
        if figure in (bureau_figures.median_total, bureau_figures.uplift):
            return figure(query, scope)
        return figure(query, scope, instrument)


def test_median_of_an_even_count_is_the_mean_of_the_two_middle_totals(population):
    assert _run(population, bureau_figures.median_total) == {"n": 10, "median": 55.0}
    # 莱山区: 10 … 70, the middle one of seven
    assert _run(population, bureau_figures.median_total, district=LAISHAN) == \
        {"n": 7, "median": 40.0}


def test_median_from_fewer_than_k_enterprises_is_suppressed_never_zero(population):
    assert _run(population, bureau_figures.median_total, district=ZHIFU) == \
        {"n": None, "median": None}
    assert _run(population, bureau_figures.median_total, district=ZHIFU, as_of="2026-01-01") \
        == {"n": 0, "median": None}


def test_median_counts_only_the_latest_assessment_and_follows_the_scope(population):
    # before WHEN only the six baselines exist: 0, 10, 20, 30, 40, 50
    assert _run(population, bureau_figures.median_total, as_of="2026-02-01")["median"] == 25.0
    scope = BureauScope(1, frozenset([LAISHAN]), frozenset())
    assert _run(population, bureau_figures.median_total, scope=scope)["median"] == 40.0


def test_dimension_means_weakest_first_in_points_and_percent(population):
    found = _run(population, bureau_figures.dimension_means)
    assert [(d["id"], d["n"], d["mean"], d["max"], d["percent"]) for d in found] == [
        ("management", 10, 6.0, 30.0, 20.0), ("foundation", 10, 20.0, 40.0, 50.0),
        ("outcomes", 10, 27.0, 30.0, 90.0)]
    assert found[0]["title"]["zh"]


def test_dimension_means_below_k_are_suppressed(population):
    found = _run(population, bureau_figures.dimension_means, district=ZHIFU)
    assert all(d["n"] is None and d["mean"] is None and d["percent"] is None for d in found)


def test_indicator_means_weakest_first_and_unanswered_indicators_last(population):
    found = _run(population, bureau_figures.indicator_means)
    assert [(d["id"], d["mean"], d["percent"]) for d in found[:2]] == [
        ("equipment", 1.0, 10.0), ("planning", 5.0, 50.0)]
    assert found[0]["dimension"]["en"]
    assert all(d["n"] == 0 and d["mean"] is None for d in found[2:])
    assert len(found) == 9


def test_scenario_heatmap_shares_with_small_cells_and_their_complements_hidden(population):
    heat = _run(population, bureau_figures.scenario_heatmap)
    assert heat["levels"] == [0, 1, 2, 3, 4] and len(heat["rows"]) == 16
    rows = {row["id"]: row for row in heat["rows"]}
    marketing = rows["marketing"]
    assert marketing["n"] == 10
    assert [(c["n"], c["share"]) for c in marketing["cells"]] == [
        (0, 0.0), (5, 50.0), (0, 0.0), (5, 50.0), (0, 0.0)]
    # four at level 0 are too few; six at level 2 would give them away (10 − 6)
    design = rows["product_design"]
    assert design["n"] == 10
    assert [c["n"] for c in design["cells"]] == [None, 0, None, 0, 0]
    assert rows["quality"]["n"] is None and rows["quality"]["cells"][4]["n"] is None
    assert rows["finance"]["n"] == 0 and not heat["empty"]


def test_uplift_of_baseline_pairs_hides_the_few_that_did_not_move_up(population):
    found = _run(population, bureau_figures.uplift)
    # six pairs, each 10 points up; four one level up, two not: those two are too few
    assert found == {"pairs": 6, "up": None, "share_up": None, "mean_points": 10.0,
                     "mean_levels": 0.67, "empty": False}


def test_uplift_below_k_pairs_is_suppressed_and_none_is_an_empty_state(population):
    found = _run(population, bureau_figures.uplift, district=ZHIFU)
    assert found["pairs"] == 0 and found["empty"] and found["mean_points"] is None
    scope = BureauScope(1, frozenset([LAISHAN]), frozenset())
    assert _run(population, bureau_figures.uplift, scope=scope)["pairs"] == 6
    before = _run(population, bureau_figures.uplift, as_of="2026-02-01")
    assert before["pairs"] == 0 and before["empty"]


def test_module_demand_counts_enterprises_by_category_and_hides_small_counts(population):
    found = _run(population, bureau_figures.module_demand)
    assert found == [{"category": "equipment", "modules": [
                          {"id": "iot-retrofit", "name": found[0]["modules"][0]["name"],
                           "enterprises": None}]},
                     {"category": "infrastructure", "modules": [
                         {"id": "net-basic", "name": found[1]["modules"][0]["name"],
                          "enterprises": 6}]}]
    assert found[1]["modules"][0]["name"]["zh"]
    # net-industrial was asked for after the date: counted from then on
    later = _run(population, bureau_figures.module_demand, as_of="2026-11-30")
    assert [m["id"] for m in later[1]["modules"]] == ["net-basic", "net-industrial"]


def test_plan_demand_counts_each_enterprises_counted_plan_by_category(population):
    found = _run(population, bureau_figures.plan_demand)
    assert [(g["category"], [(m["id"], m["enterprises"]) for m in g["modules"]])
            for g in found] == [("equipment", [("iot-retrofit", None)]),  # two: suppressed
                                ("infrastructure", [("net-basic", 7)])]
    assert found[1]["modules"][0]["name"]["en"]
    # before WHEN the six baselines are each firm's latest: their plans count instead
    before = _run(population, bureau_figures.plan_demand, as_of="2026-02-01")
    assert [(m["id"], m["enterprises"]) for g in before for m in g["modules"]] == \
        [("mes-lite", 6)]
    assert _run(population, bureau_figures.plan_demand, district=ZHIFU) == \
        [{"category": "equipment", "modules": [
            {"id": "iot-retrofit", "name": found[0]["modules"][0]["name"], "enterprises": None}]}]
