"""Provider matching: who may be recommended, in which order (the published formula), and why."""
import pytest

from diagnosis.catalogue import Catalogue, Module, Offer, Provider, Ranking, Effect
from diagnosis.matching import match_providers

AXES = {"service_record": 25, "capability": 25, "effectiveness": 25, "overall": 25}


def provider(pid, rating, price, *, districts=("芝罘区",), industries=(), status="active", type="product_vendor"):
    each = rating // 4
    return Provider(id=pid, name={"zh": pid, "en": pid}, uscc="", type=type, districts=tuple(districts),
                    industries=tuple(industries), offers=(Offer("crm", price),), certifications=(),
                    rating={"service_record": rating - 3 * each, "capability": each, "effectiveness": each,
                            "overall": each}, status=status)


def catalogue(*providers):
    crm = Module(id="crm", name={"zh": "客户管理", "en": "CRM"}, description={"zh": "d", "en": "d"},
                 category="lifecycle", effects=(Effect("marketing", 2, scenario=True),))
    return Catalogue(modules={"crm": crm}, providers={p.id: p for p in providers}, rating_axes=AXES,
                     ranking=Ranking(0.5, 0.3, 0.2))


PROFILE = {"industry": "C36", "district": "芝罘区"}


def test_formula_by_hand():
    # p1: rating 80, price 10,000 (cheapest), district named, no industry focus:
    #   100 × (0.5 × 0.80 + 0.3 × 1.0 + 0.2 × (1 + 0.5)/2) = 40 + 30 + 15 = 85.0
    # p2: rating 90, price 20,000, whole city, industry C36 named:
    #   100 × (0.5 × 0.90 + 0.3 × 0.5 + 0.2 × (0.5 + 1)/2) = 45 + 15 + 15 = 75.0
    market, public = match_providers(catalogue(provider("p1", 80, 10000),
                                               provider("p2", 90, 20000, districts=("*",), industries=("C36",))),
                                     "crm", PROFILE)
    assert [(m.provider.id, m.score) for m in market] == [("p1", 85.0), ("p2", 75.0)]
    assert public == []


def test_removed_never_warned_marked_and_other_districts_or_industries_left_out():
    cat = catalogue(provider("ok", 70, 10000), provider("gone", 99, 1000, status="removed"),
                    provider("warn", 60, 10000, status="warned"),
                    provider("far", 90, 10000, districts=("莱州市",)),
                    provider("chem", 90, 10000, industries=("C26",)))
    market, _ = match_providers(cat, "crm", PROFILE)
    ids = [m.provider.id for m in market]
    assert ids == ["ok", "warn"]
    assert market[1].to_dict()["warned"] is True
    assert "警示" in market[1].why["zh"] and "warned" in market[1].why["en"]


def test_at_least_three_shown_even_with_a_smaller_limit_and_order_never_depends_on_file_order():
    ps = [provider(f"p{i}", 60 + i, 10000 + 1000 * i) for i in range(6)]
    forward, _ = match_providers(catalogue(*ps), "crm", PROFILE, limit=1)
    backward, _ = match_providers(catalogue(*reversed(ps)), "crm", PROFILE, limit=1)
    assert len(forward) == 3
    assert [m.provider.id for m in forward] == [m.provider.id for m in backward]


def test_public_platforms_are_listed_apart():
    cat = catalogue(provider("vendor", 70, 10000),
                    provider("platform", 60, 0, districts=("*",), type="public_platform"))
    market, public = match_providers(cat, "crm", PROFILE)
    assert [m.provider.id for m in market] == ["vendor"]
    assert [m.provider.id for m in public] == ["platform"]
    assert "免费" in public[0].why["zh"] and "free" in public[0].why["en"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_match_has_a_why_in_both_languages(lang):
    market, _ = match_providers(catalogue(provider("p1", 80, 10000)), "crm", PROFILE)
    assert market[0].why[lang] and "80" in market[0].why[lang]


def test_the_district_served_is_named_in_chinese_and_described_in_english():
    market, _ = match_providers(catalogue(provider("p1", 80, 10000),
                                          provider("p2", 70, 10000, districts=("*",))), "crm", PROFILE)
    named, city = (m.why for m in market)
    assert "服务芝罘区" in named["zh"] and "serves the enterprise's district" in named["en"]
    assert "芝罘区" not in named["en"]
    assert "服务全市" in city["zh"] and "serves the whole city" in city["en"]


def test_suspended_never_recommended_and_a_warned_provider_never_ranked_first():
    # warned "top": rating 96, cheapest → 100 × (0.5 × 0.96 + 0.3 × 1 + 0.2 × 0.75) = 93.0, the
    # highest score, yet the best provider without a warning ("good": 40 + 15 + 15 = 70.0) goes
    # first; "paused" (suspended) is left out although it would score highest of all.
    cat = catalogue(provider("top", 96, 10000, status="warned"), provider("good", 80, 20000),
                    provider("paused", 99, 5000, status="suspended"), provider("also", 60, 20000))
    market, _ = match_providers(cat, "crm", PROFILE)
    assert [(m.provider.id, m.score) for m in market] == [("good", 70.0), ("top", 93.0), ("also", 60.0)]


def test_only_warned_providers_keep_their_order():
    cat = catalogue(provider("a", 90, 10000, status="warned"), provider("b", 80, 10000, status="warned"))
    market, _ = match_providers(cat, "crm", PROFILE)
    assert [m.provider.id for m in market] == ["a", "b"]


def test_the_outcome_factor_enters_the_score_with_its_weight():
    # weights 0.4 / 0.3 / 0.2 / 0.1; both rated 80 at the same price, district named, no focus:
    #   "proven" outcome 0.9: 100 × (0.32 + 0.3 + 0.15 + 0.09) = 86.0
    #   "new" (no record, neutral 0.5): 100 × (0.32 + 0.3 + 0.15 + 0.05) = 82.0
    from dataclasses import replace
    cat = replace(catalogue(provider("new", 80, 10000), provider("proven", 80, 10000)),
                  ranking=Ranking(0.4, 0.3, 0.2, 0.1), outcomes={"proven": 0.9})
    market, _ = match_providers(cat, "crm", PROFILE)
    assert [(m.provider.id, m.score) for m in market] == [("proven", 86.0), ("new", 82.0)]
    assert "项目成效 0.90" in market[0].why["zh"] and "项目成效" not in market[1].why["zh"]
