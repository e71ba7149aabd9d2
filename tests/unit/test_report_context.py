"""The report context: plain data in one language, from the core's result."""
import json

import pytest

from diagnosis import load_instrument, score
from reports.context import result_context
from reports.demo import ANSWERS, INSTRUMENT_FILE, PROFILE

INSTRUMENT = load_instrument(INSTRUMENT_FILE)
RESULT = score(INSTRUMENT, ANSWERS, PROFILE).to_dict()


def context(lang="zh", **kwargs):
    return result_context(RESULT, INSTRUMENT, PROFILE, {"name": "示例"}, lang, **kwargs)


def test_context_is_plain_json_safe_data():
    json.dumps(context())


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="report language"):
        context("fr")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_level_total_and_dimensions_come_from_the_result_in_one_language(lang):
    ctx = context(lang)
    assert ctx["level"]["name"] == RESULT["level"]["name"][lang]
    assert ctx["level"]["meaning"] == RESULT["level"]["meaning"][lang]
    assert [d["id"] for d in ctx["dimensions"]] == [d.id for d in INSTRUMENT.dimensions]
    for row in ctx["dimensions"]:
        scored = RESULT["dimensions"][row["id"]]
        assert row["title"] == scored["title"][lang]
        assert row["percent"] == round(100 * scored["score"] / scored["max"])
        assert [i["id"] for i in row["indicators"]] == list(scored["indicators"])


def test_strongest_and_weakest_dimension_are_by_share_of_maximum():
    ctx = context()
    shares = {d: v["score"] / v["max"] for d, v in RESULT["dimensions"].items()}
    assert ctx["strongest"]["id"] == max(shares, key=shares.get)
    assert ctx["weakest"]["id"] == min(shares, key=shares.get)


def test_scenario_grid_has_every_scenario_with_group_mandatory_and_level():
    ctx = context()
    assert [s["id"] for s in ctx["scenarios"]] == [s.id for s in INSTRUMENT.scenarios]
    first = ctx["scenarios"][0]
    scenario = INSTRUMENT.scenarios[0]
    assert first["name"] == scenario.text["zh"]
    assert first["mandatory"] == scenario.mandatory
    assert first["level"] == ANSWERS[scenario.id]
    group_titles = {g.id: g.title["zh"] for g in INSTRUMENT.scenario_groups}
    assert first["group"] == group_titles[scenario.group]
    assert sum(len(g["rows"]) for g in ctx["scenario_groups"]) == len(INSTRUMENT.scenarios)


def test_checklist_has_one_row_per_condition_with_pass_or_fail():
    rows = context()["level_checks"]
    expected = [(lv["rank"], c["passed"]) for lv in RESULT["level_checks"] for c in lv["conditions"]]
    assert [(r["rank"], r["passed"]) for r in rows] == expected
    assert any(r["passed"] for r in rows) and not all(r["passed"] for r in rows)


def test_next_level_says_what_is_missing_in_plain_words():
    zh, en = context("zh")["next_level"], context("en")["next_level"]
    target = RESULT["next_level"]["level"]["name"]
    assert zh["level"] == target["zh"] and target["zh"] in zh["intro"]
    assert en["level"] == target["en"] and target["en"] in en["intro"]
    failing = RESULT["next_level"]["failing"]
    assert len(zh["sentences"]) == len(failing) == len(en["sentences"])
    points = next(c for c in failing if c["kind"] == "total_at_least")
    gap = round(points["required"] - points["actual"], 2)
    assert f"{gap:g}" in zh["sentences"][failing.index(points)]
    assert len(zh["steps"]) == len(RESULT["next_level"]["improvements"])


def test_top_level_has_nothing_missing():
    top = dict(RESULT, next_level={"reached_top": True, "level": None})
    nxt = result_context(top, INSTRUMENT, PROFILE, {}, "en")["next_level"]
    assert nxt["top"] and not nxt["sentences"] and RESULT["level"]["name"]["en"] in nxt["intro"]


def test_every_answer_given_is_listed_with_its_text():
    rows = {r["id"]: r for r in context("en")["answers"]}
    assert set(ANSWERS) <= set(rows)
    network = INSTRUMENT.question("network")
    assert rows["network"]["question"] == network.text["en"]
    assert rows["network"]["answer"] == "; ".join(network.option(o).text["en"] for o in ANSWERS["network"])
    spend = ANSWERS["digital_spend_rate"]
    assert "e+" not in rows["digital_spend_rate"]["answer"]  # figures written out in full
    assert f"{spend['numerator']} / {spend['denominator']:,}" in rows["digital_spend_rate"]["answer"]


def test_methodology_is_read_from_the_instrument():
    method = context()["methodology"]
    assert sum(d["max"] for d in method["dimensions"]) == INSTRUMENT.max_total
    assert [lv["name"] for lv in method["levels"]] == [lv.name["zh"] for lv in INSTRUMENT.levels]
    for row, level in zip(method["levels"], INSTRUMENT.levels):
        assert len(row["rules"]) == len(level.conditions)
    assert method["mandatory_count"] == sum(s.mandatory for s in INSTRUMENT.scenarios)


def test_history_is_oldest_first_with_change_since_the_previous():
    history = [{"date": "2025-06-01", "total": 40.0, "level": RESULT["level"]},
               {"date": "2024-06-01", "total": 30.5, "level": None}]
    rows = context(history=history)["history"]
    assert [r["date"] for r in rows["rows"]] == ["2024-06-01", "2025-06-01"]
    assert [r["change"] for r in rows["rows"]] == [None, 9.5]
    assert rows["change_since_last"] == round(RESULT["total"] - 40.0, 2)
    assert context()["history"]["change_since_last"] is None


def test_scenario_not_shown_is_level_0_and_marked_not_applicable():
    # cn-sme-2024 2.0.0 hides nothing; 1.0.0 (kept for its results) hid production scenarios
    # from services firms.
    old = load_instrument(INSTRUMENT_FILE.parent / "cn-sme-2024-1.0.0.yaml")
    answers = json.loads((INSTRUMENT_FILE.parents[1] / "tests" / "data" / "v1" / "services.json").read_text(encoding="utf-8"))
    profile = {**PROFILE, "industry": "F51", "industry_group": "non_manufacturing"}
    result = score(old, answers, profile).to_dict()
    rows = {s["id"]: s for s in result_context(result, old, profile, {}, "zh")["scenarios"]}
    hidden = [sid for sid in rows if sid not in result["scenarios"]]
    assert hidden == ["process_design", "production_control"]
    for sid in hidden:
        assert rows[sid]["level"] == 0 and rows[sid]["applicable"] is False
        assert "detail" not in rows[sid]  # 1.0.0 had no per-scenario level texts
    assert all(rows[sid]["applicable"] for sid in result["scenarios"])


def test_scenarios_say_what_their_level_and_the_next_look_like():
    rows = {s["id"]: s for s in context("en")["scenarios"]}
    finance = INSTRUMENT.question("finance")
    assert ANSWERS["finance"] == 3
    assert rows["finance"]["detail"] == finance.levels[2].text["en"]
    assert rows["finance"]["next_detail"] == finance.levels[3].text["en"]
    assert rows["energy_management"]["detail"] is None  # level 0: not done
    assert rows["energy_management"]["next_detail"] == INSTRUMENT.question("energy_management").levels[0].text["en"]


def test_no_change_is_given_between_totals_of_two_versions():
    history = [{"date": "2024-06-01", "total": 30.25, "level": None, "version": "1.0.0"},
               {"date": "2025-06-01", "total": 35.0, "level": None, "version": "1.0.0"}]
    rows = context(history=history)["history"]  # RESULT was scored with 2.0.0
    assert [r["change"] for r in rows["rows"]] == [None, 4.75]
    assert rows["change_since_last"] is None
    later = history[:1] + [{"date": "2025-06-01", "total": 35.0, "level": None, "version": RESULT["version"]}]
    rows = context(history=later)["history"]
    assert [r["change"] for r in rows["rows"]] == [None, None]
    assert rows["change_since_last"] == round(RESULT["total"] - 35.0, 2)
