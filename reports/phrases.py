"""Sentences the report context generates from data, in both languages.

Kept as {zh, en} pairs (like instrument texts) so the context can be built without an
application or request: the results page, the PDF worker and the CLI all call it.
Placeholders use str.format names.
"""

PHRASES = {
    "no_level": {
        "zh": "尚未达到一级",
        "en": "Below level 1",
    },
    "no_level_meaning": {
        "zh": "得分或应用场景尚未满足最低等级的条件。",
        "en": "The score or the application scenarios do not yet meet the conditions of the lowest level.",
    },
    "top_level": {
        "zh": "已达到最高等级“{level}”，请保持并巩固现有成果。",
        "en": "You have reached the highest level, “{level}”. Keep and consolidate what you have achieved.",
    },
    "next_intro": {
        "zh": "要达到下一等级“{level}”，还需要：",
        "en": "To reach the next level, “{level}”, you still need:",
    },
    "next_ready": {
        "zh": "已满足“{level}”的全部条件。",
        "en": "All conditions of “{level}” are met.",
    },
    "need_points": {
        "zh": "总分再提高 {gap} 分（目前 {actual} 分，需要至少 {required} 分）。",
        "en": "{gap} more points in total (now {actual}, at least {required} needed).",
    },
    "need_scenarios": {
        "zh": "再有 {gap} 个应用场景达到 L{min_level} 或以上（目前 {actual} 个，需要至少 {required} 个）。",
        "en": "{gap} more application scenarios at L{min_level} or above (now {actual}, at least {required} needed).",
    },
    "need_mandatory": {
        "zh": "其中再有 {gap} 个约束性场景达到 L{min_level} 或以上（目前 {actual} 个，需要至少 {required} 个）。",
        "en": "{gap} more mandatory scenarios among them at L{min_level} or above (now {actual}, at least {required} needed).",
    },
    "need_other": {
        "zh": "满足条件：{condition}（目前 {actual}，需要 {required}）。",
        "en": "Meet the condition: {condition} (now {actual}, {required} needed).",
    },
    "candidates": {
        "zh": "最接近的场景：{names}。",
        "en": "Scenarios closest to the next step: {names}.",
    },
    "check_points": {
        "zh": "总分至少 {required} 分",
        "en": "A total of at least {required} points",
    },
    "check_scenarios": {
        "zh": "至少 {required} 个应用场景达到 L{min_level} 或以上",
        "en": "At least {required} application scenarios at L{min_level} or above",
    },
    "check_mandatory": {
        "zh": "其中至少 {required} 个约束性场景达到 L{min_level} 或以上",
        "en": "Of these, at least {required} mandatory scenarios at L{min_level} or above",
    },
    "rule_total_at_least": {"zh": "总分 ≥ {value}", "en": "total ≥ {value}"},
    "rule_total_above": {"zh": "总分 > {value}", "en": "total > {value}"},
    "rule_scenarios": {
        "zh": "≥ {count} 个场景达到 L{level} 或以上",
        "en": "≥ {count} scenarios at L{level} or above",
    },
    "rule_mandatory": {
        "zh": "≥ {count} 个约束性场景达到 L{level} 或以上",
        "en": "≥ {count} mandatory scenarios at L{level} or above",
    },
    "rule_among": {"zh": "（在{names}中）", "en": " (among {names})"},
    "rule_conditional": {"zh": "（仅适用于部分企业）", "en": " (applies to some enterprises only)"},
    "not_applicable": {"zh": "不适用", "en": "Not applicable"},
    "not_answered": {"zh": "未作答", "en": "Not answered"},
    "none_selected": {"zh": "未选择", "en": "None selected"},
    "yes": {"zh": "是", "en": "Yes"},
    "no": {"zh": "否", "en": "No"},
    "rate": {
        "zh": "{numerator} / {denominator}（{percent}%）",
        "en": "{numerator} / {denominator} ({percent}%)",
    },
    "scenario_level": {"zh": "L{level}", "en": "L{level}"},
    "list_sep": {"zh": "、", "en": ", "},
    "radar_label": {"zh": "雷达图，各维度得分率", "en": "Radar chart, share of each dimension's maximum"},
    "bar_label": {"zh": "条形图，各维度得分与满分", "en": "Bar chart, score and maximum of each dimension"},
    "bar_score": {"zh": "得分", "en": "Score"},
    "bar_max": {"zh": "满分", "en": "Maximum"},
    "bar_axis": {"zh": "分数", "en": "Points"},
}


def phrase(key, lang, **params):
    """The phrase `key` in `lang` ("zh" or "en"), with `params` filled in."""
    texts = PHRASES[key]
    return texts.get(lang, texts["zh"]).format(**params)
