"""Size class by the national SME rules (工信部联企业〔2011〕300号), cases worked by hand."""
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from diagnosis.sizing import SizeRuleError, classify, load_size_rules

RULES = load_size_rules(Path(__file__).resolve().parents[2] / "data" / "size_classes.yaml")
WAN = 10_000  # yuan


@pytest.mark.parametrize("code, employees, revenue_wan, assets_wan, expected", [
    # 工业: large needs ≥1000 people AND ≥40000 万; medium ≥300 and ≥2000; small ≥20 and ≥300.
    ("C36", 120, 5000, None, "small"),
    ("C36", 300, 2000, None, "medium"),       # exactly on both lower bounds
    ("C36", 299, 2000, None, "small"),        # one short of medium people
    ("C36", 1000, 40000, None, "large"),
    ("C36", 1000, 39999, None, "medium"),     # under the revenue ceiling: still an SME
    ("C36", 5000, 1000, None, "small"),       # many people, small revenue: not medium
    ("C36", 19, 5000, None, "micro"),
    ("D44", 25, 299, None, "micro"),          # electricity is industry too
    # 批发业: medium ≥20 people and ≥5000 万; small ≥5 and ≥1000.
    ("F51", 20, 5000, None, "medium"),
    ("F51", 4, 90000, None, "micro"),
    # 零售业: small ≥10 and ≥100; medium ≥50 and ≥500.
    ("F52", 10, 100, None, "small"),
    # 软件和信息技术服务业: small ≥10 people and ≥50 万.
    ("I65", 12, 60, None, "small"),
    ("I65", 12, 40, None, "micro"),
    # 建筑业 uses revenue and assets: medium ≥6000 and ≥5000; small ≥300 and ≥300.
    ("E48", None, 6000, 5000, "medium"),
    ("E48", None, 6000, 4999, "small"),
    # 农、林、牧、渔业: revenue only; medium ≥500, small ≥50.
    ("A01", None, 499, None, "small"),
    ("A01", None, 20000, None, "large"),
    # 房地产开发经营 (K701) vs 物业管理 (K702).
    ("K701", None, 1000, 5000, "medium"),
    ("K702", 150, 600, None, "small"),
    # 租赁和商务服务业: employees and assets; small ≥10 and ≥100 万.
    ("L72", 50, None, 100, "small"),
    # 其他未列明行业: employees only; medium ≥100.
    ("M74", 100, None, None, "medium"),
    ("M74", 9, None, None, "micro"),
])
def test_size_class_follows_the_rule_for_the_industry(code, employees, revenue_wan, assets_wan,
                                                        expected):
    sizing = classify(RULES, code, employees,
                      None if revenue_wan is None else revenue_wan * WAN,
                      None if assets_wan is None else assets_wan * WAN)
    assert sizing.size_class == expected, sizing.reason["zh"]


def test_reason_names_the_group_the_figures_and_the_thresholds():
    sizing = classify(RULES, "C36", 120, 5000 * WAN)
    assert sizing.reason["zh"] == "工业：从业人员 120 人（≥20）且营业收入 5000 万元（≥300 万）→ 小型"
    assert sizing.reason["en"] == ("Industry: 120 employees (≥ 20) and revenue CNY 50 million "
                                   "(≥ 3 million) → small")


def test_micro_reason_names_what_falls_short():
    sizing = classify(RULES, "C13", 12, 5000 * WAN)
    assert sizing.reason["zh"] == "工业：从业人员 12 人（<20）→ 微型"


def test_missing_figure_gives_no_class_and_says_what_to_enter():
    sizing = classify(RULES, "E47", None, 6000 * WAN, None)
    assert sizing.size_class is None
    assert sizing.missing == ("assets",)
    assert "资产总额" in sizing.reason["zh"]


def test_industry_without_a_rule_gets_no_class():
    sizing = classify(RULES, "J66", 50, 1000 * WAN)
    assert sizing.size_class is None and sizing.group is None


def test_the_longest_code_wins():
    assert RULES.group_for("G59").id == "warehousing"
    assert RULES.group_for("G54").id == "transport"
    assert RULES.group_for("K702").id == "property_management"


def test_a_bad_rules_file_names_file_path_and_problem(tmp_path):
    bad = tmp_path / "rules.yaml"
    bad.write_text("source: {zh: x, en: y}\ngroups:\n  g:\n    name: {zh: a, en: b}\n"
                   "    industries: [C]\n    tiers:\n      large: {people: 5}\n"
                   "      medium: {employees: -1}\n      small: {employees: 1}\n",
                   encoding="utf-8")
    with pytest.raises(SizeRuleError) as err:
        load_size_rules(bad)
    problems = "\n".join(err.value.problems)
    assert f"{bad}: groups.g.tiers.large.people: unknown figure" in problems
    assert f"{bad}: groups.g.tiers.medium.employees: must be a positive number" in problems


ORDER = {"micro": 0, "small": 1, "medium": 2, "large": 3}
CODES = sorted({code for group in RULES.groups for code in group.industries})


@given(code=st.sampled_from(CODES),
       figures=st.tuples(*[st.integers(0, 5_000) for _ in range(3)]),
       more=st.tuples(*[st.integers(0, 5_000) for _ in range(3)]))
def test_bigger_figures_never_give_a_smaller_class(code, figures, more):
    def size(people, revenue_wan, assets_wan):
        return classify(RULES, code, people, revenue_wan * 1000 * WAN, assets_wan * 100 * WAN)

    small, big = size(*figures), size(*(a + b for a, b in zip(figures, more)))
    assert small.size_class is not None and big.size_class is not None
    assert ORDER[big.size_class] >= ORDER[small.size_class]
    assert small.reason["zh"].endswith(
        {"micro": "微型", "small": "小型", "medium": "中型", "large": "大型"}[small.size_class])
