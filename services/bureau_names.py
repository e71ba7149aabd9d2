"""The names of the bureau tables' grouping keys, filters, size classes and assessment modes, in
Chinese and English: one home for the dashboard, the brief's cover and the exports' notes."""

KEYS = {  # the keys a table is grouped by
    "district": {"zh": "所在区（市）", "en": "District"},
    "size_class": {"zh": "企业规模", "en": "Size class"},
    "industry": {"zh": "行业（门类）", "en": "Industry (section)"},
    "division": {"zh": "行业（大类）", "en": "Industry (division)"},
}
FILTERS = {
    "instrument": {"zh": "评测工具", "en": "Instrument"},
    "since": {"zh": "提交起始日期", "en": "Submitted from"},
    "as_of": {"zh": "统计日期", "en": "As of"},
    "industry": {"zh": "所属行业", "en": "Industry"},
    "priority": {"zh": "重点产业", "en": "Priority industry"},
    "district": KEYS["district"],
    "size_class": KEYS["size_class"],
    "mode": {"zh": "评测方式", "en": "Assessment mode"},
    "by": {"zh": "表格行", "en": "Table rows"},
}
SIZE_CLASSES = {"large": {"zh": "大型", "en": "large"}, "medium": {"zh": "中型", "en": "medium"},
                "small": {"zh": "小型", "en": "small"}, "micro": {"zh": "微型", "en": "micro"}}
MODES = {"self": {"zh": "自评", "en": "Self-assessment"},
         "on_site": {"zh": "现场评定", "en": "On-site assessment"},
         "all": {"zh": "全部", "en": "Both"}}
VALUES = {"size_class": SIZE_CLASSES, "mode": MODES}  # filters whose values are codes


def in_language(lang):
    """{keys, filters, sizes, modes}: each code → its name in `lang` ("en", else Chinese)."""
    pick = "en" if lang == "en" else "zh"

    def named(names):
        return {code: text[pick] for code, text in names.items()}

    return {"keys": named(KEYS), "filters": named(FILTERS), "sizes": named(SIZE_CLASSES),
            "modes": named(MODES)}
