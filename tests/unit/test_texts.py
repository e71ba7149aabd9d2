"""The one zh/en picker and the one wording of level conditions, used by pages, reports and CLI."""
from diagnosis.model import LevelCondition
from diagnosis.texts import condition_text, tr
from reports import levels, values


def test_the_picker_takes_the_language_then_the_other_and_passes_strings_through():
    assert tr({"zh": "甲", "en": "A"}, "en") == "A"
    assert tr({"zh": "甲", "en": "A"}, "zh") == "甲"
    assert tr({"zh": "甲", "en": ""}, "en") == "甲"
    assert tr({"zh": "", "en": "A"}, "zh") == "A"
    assert tr("plain", "en") == "plain" and tr(None, "zh") == "" and tr(3, "zh") == "3"


def test_reports_and_pages_use_the_same_picker():
    from web import i18n
    assert values.tr is tr
    assert i18n.tr is tr


def test_a_condition_among_scenarios_is_worded_with_their_names():
    c = LevelCondition("scenarios_at_least", level=3, count=2, mandatory_only=True, among=("s1", "s9"))
    words = condition_text(c, {"s1": {"zh": "产品设计", "en": "Product design"}})
    assert words == {"zh": "至少 2 个约束性场景达到 3 级及以上（限 产品设计、s9）",
                     "en": "at least 2 mandatory scenarios at level 3 or above (among Product design, s9)"}


def test_the_report_words_level_rules_as_the_results_page_does(cn):
    instrument = cn
    for level in instrument.levels:
        for c in level.conditions:
            core = condition_text(c, {s.id: s.text for s in instrument.scenarios})
            for lang in ("zh", "en"):
                assert levels.condition_text(c, instrument, lang).startswith(core[lang])
