"""The few user-facing texts the core writes itself (both languages): conditions and answers;
and the one picker of a language from a {zh, en} text, for pages, reports and the CLI."""


def tr(text, lang):
    """`lang` ("zh" or "en") of a {zh, en} text, else its other language; strings pass
    through, None is empty."""
    if isinstance(text, dict):
        other = "en" if lang == "zh" else "zh"
        return text.get(lang) or text.get(other) or ""
    return "" if text is None else str(text)


def condition_text(c, names=None):
    """A level condition in words, {zh, en}: the one wording of the level rules, on the
    results page, in the plan and in the report. `names` (scenario id -> {zh, en}) names the
    scenarios a condition counts among; without it their ids are shown."""
    if c.kind == "total_at_least":
        return {"zh": f"总分不低于 {c.value:g} 分", "en": f"a total of at least {c.value:g} points"}
    if c.kind == "total_above":
        return {"zh": f"总分高于 {c.value:g} 分", "en": f"a total above {c.value:g} points"}
    named = {lang: [tr((names or {}).get(a), lang) or a for a in c.among] for lang in ("zh", "en")}
    among_zh = f"（限 {'、'.join(named['zh'])}）" if c.among else ""
    among_en = f" (among {', '.join(named['en'])})" if c.among else ""
    return {
        "zh": f"至少 {c.count} 个{'约束性' if c.mandatory_only else ''}场景达到 {c.level} 级及以上{among_zh}",
        "en": (f"at least {c.count} {'mandatory ' if c.mandatory_only else ''}scenario{'s' if c.count != 1 else ''}"
               f" at level {c.level} or above{among_en}"),
    }


def percent(x):
    return f"{x * 100:.1f}%"


def answer_text(q, value, levels_text):
    """The answer in words, {zh, en}; None when unanswered."""
    if value is None:
        return None
    if value == "n/a":
        return {"zh": "不适用", "en": "not applicable"}
    if q.kind == "single":
        return dict(q.option(value).text)
    if q.kind == "multiple":
        texts = [q.option(v).text for v in value]
        return {"zh": "、".join(t["zh"] for t in texts), "en": "; ".join(t["en"] for t in texts)}
    if q.kind == "rate":
        n, d = value["numerator"], value["denominator"]
        return {lang: f"{n:g} / {d:g} {q.denominator.unit[lang]} = {percent(n / d)}" for lang in ("zh", "en")}
    if q.kind == "scenario":
        return dict(levels_text[value])
    return {"zh": str(value), "en": str(value)}
