"""One price per module (diagnosis/pricing.py): what the figure is, the subsidy beside it and
a subsidy line that says why it does or does not apply; hand-computed."""
from hypothesis import given
from hypothesis import strategies as st

from diagnosis.catalogue import Module, SubsidyRule
from diagnosis.pricing import price

RULE = SubsidyRule(name={"zh": "试点补贴", "en": "Pilot subsidy"}, rate=0.3, cap=50000,
                   industries=("C34", "C36"))
MANUFACTURER = {"industry": "C36", "size_class": "small"}


def module(one_off=(20000, 50000), yearly=6000, public=False):
    return Module(id="m", name={"zh": "模块", "en": "Module"}, description={"zh": "", "en": ""},
                  category="production", effects=(), one_off=one_off, yearly=yearly, public=public)


def test_top_of_the_range_plus_the_first_year_with_the_subsidy_beside_it():
    p = price(module(), RULE, MANUFACTURER)
    # 50,000 + 6,000 = 56,000; 30 % = 16,800 (under the 50,000 cap); pays 39,200
    assert (p.basis, p.figure, p.subsidy, p.net) == ("top_plus_first_year", 56000, 16800, 39200)
    assert p.explained["en"] == "¥56,000: the top of the catalogue range (¥20,000–¥50,000 one-off) plus the first year's fee (¥6,000)"
    assert p.explained["zh"] == "¥56,000：目录价一次性 ¥20,000–¥50,000 取上限，加第一年年费 ¥6,000"
    assert p.subsidy_line["en"] == "Subsidy 30% up to ¥50,000 per module: ¥16,800"


def test_the_cap_is_said_when_it_bites():
    p = price(module(one_off=(100000, 200000), yearly=0), RULE, MANUFACTURER)
    assert (p.basis, p.figure, p.subsidy, p.net) == ("catalogue_range", 200000, 50000, 150000)
    assert p.explained["en"] == "¥200,000: the top of the catalogue range (¥100,000–¥200,000)"
    assert p.subsidy_line["zh"] == "补贴 30%，每个模块最多 ¥50,000：¥50,000（已达上限）"


def test_a_subsidy_that_does_not_apply_says_why():
    p = price(module(), RULE, {"industry": "C33"})
    assert (p.subsidy, p.net) == (0, 56000)
    assert p.subsidy_line["en"] == ("Subsidy 30% up to ¥50,000 per module — not applicable because your industry "
                                    "(C33) is not one of the pilot sub-sectors (C34, C36)")
    assert p.subsidy_line["zh"] == "补贴 30%，每个模块最多 ¥50,000——不适用：贵企业所属行业（C33）不在试点细分行业（C34、C36）之内"
    assert price(module(), RULE, {}).subsidy_line["en"].endswith("because the enterprise profile names no industry yet")


def test_public_platform_modules_and_free_ones():
    free = price(module(one_off=(0, 0), yearly=0, public=True), RULE, MANUFACTURER)
    assert (free.basis, free.figure, free.net) == ("free", 0, 0)
    assert free.explained["en"] == "Free: offered by a public service platform"
    paid_public = price(module(one_off=(0, 5000), yearly=0, public=True), RULE, MANUFACTURER)
    assert paid_public.subsidy == 0
    assert paid_public.subsidy_line["en"].endswith("because modules of public service platforms are not covered")


def test_a_providers_quote_replaces_the_catalogue_figure():
    quote = {"provider": "p1", "name": {"zh": "海磁科技", "en": "Haici Tech"}, "amount": 45000}
    p = price(module(), RULE, MANUFACTURER, quote=quote)
    assert (p.basis, p.figure, p.subsidy, p.net, p.provider) == ("quote", 45000, 13500, 31500, "p1")
    assert p.explained == {"zh": "¥45,000：海磁科技 的报价", "en": "¥45,000: quoted by Haici Tech"}


def test_without_a_rule_the_line_says_so():
    p = price(module(), None, MANUFACTURER)
    assert (p.subsidy, p.net, p.subsidy_line["en"]) == (0, 56000, "No subsidy rule is set up")


@given(low=st.integers(0, 10**6), extra=st.integers(0, 10**6), yearly=st.integers(0, 10**5),
       industry=st.sampled_from(["C36", "C33", None]))
def test_net_is_figure_less_subsidy_and_the_figure_is_what_plans_budget(low, extra, yearly, industry):
    m = module(one_off=(low, low + extra), yearly=yearly)
    p = price(m, RULE, {"industry": industry} if industry else {})
    assert p.figure == m.cost and p.net == p.figure - p.subsidy
    assert 0 <= p.subsidy <= min(RULE.cap, round(p.figure * RULE.rate))
    assert (p.subsidy > 0) == (industry == "C36" and p.figure > 0 and round(p.figure * 0.3) > 0)
