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
        "zh": "总分再提高 {gap} 分（目前 {actual} 分，需要不低于 {required} 分）；",
        "en": "{gap} more points in total (now {actual}, at least {required} needed);",
    },
    "need_points_above": {
        "zh": "总分高于 {required} 分（目前 {actual} 分）；",
        "en": "a total above {required} points (now {actual});",
    },
    "need_scenarios": {
        "zh": "再有 {gap} 个应用场景达到 {level} 级及以上（目前 {actual} 个，需要至少 {required} 个）；",
        "en": "{gap} more application scenarios at level {level} or above (now {actual}, at least {required} needed);",
    },
    "need_mandatory": {
        "zh": "其中再有 {gap} 个约束性场景达到 {level} 级及以上（目前 {actual} 个，需要至少 {required} 个）；",
        "en": "{gap} more mandatory scenarios at level {level} or above (now {actual}, at least {required} needed);",
    },
    "need_other": {
        "zh": "满足条件：{condition}（目前 {actual}，需要 {required}）；",
        "en": "to meet the condition {condition} (now {actual}, {required} needed);",
    },
    "steps_intro": {
        "zh": "最少的改进办法（共 {count} 项，由重新计分得出）：",
        "en": "The fewest improvements that get there ({count}, found by rescoring):",
    },
    "steps_partial": {
        "zh": "以下 {count} 项改进有帮助，但仅靠改进现有答案还不足以达到“{level}”：",
        "en": "These {count} improvements help, but improving the present answers alone does not reach “{level}”:",
    },
    "raise_item": {
        "zh": "“{question}”：从“{from}”提高到“{to}”（+{gain} 分）",
        "en": "“{question}”: from “{from}” to “{to}” (+{gain} points)",
    },
    "raise_scenario": {
        "zh": "场景“{question}”：从 {from_level} 级提高到 {to_level} 级",
        "en": "Scenario “{question}”: from level {from_level} to level {to_level}",
    },
    "raise_mandatory": {
        "zh": "约束性场景“{question}”：从 {from_level} 级提高到 {to_level} 级",
        "en": "Mandatory scenario “{question}”: from level {from_level} to level {to_level}",
    },
    "cannot_reach": {"zh": "目前无法满足：{what}。", "en": "Not reachable for now: {what}."},
    "scenarios": {"zh": "应用场景", "en": "Application scenarios"},
    "rule_conditional": {"zh": "（仅适用于部分企业）", "en": " (applies to some enterprises only)"},
    "not_applicable": {"zh": "不适用", "en": "Not applicable"},
    "not_answered": {"zh": "未作答", "en": "Not answered"},
    "list_sep": {"zh": "、", "en": ", "},
    "radar_label": {"zh": "雷达图，各维度得分率", "en": "Radar chart, share of each dimension's maximum"},
    "bar_label": {"zh": "条形图，各维度得分与满分", "en": "Bar chart, score and maximum of each dimension"},
    "bar_score": {"zh": "得分", "en": "Score"},
    "bar_max": {"zh": "满分", "en": "Maximum"},
}


def phrase(key, lang, **params):
    """The phrase `key` in `lang` ("zh" or "en"), with `params` filled in."""
    texts = PHRASES[key]
    return texts.get(lang, texts["zh"]).format(**params)
