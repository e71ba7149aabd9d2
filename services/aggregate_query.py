"""The bureaus' aggregate query: its filters as text (command line, form, API) validated into a
`Query`, every problem named in the reader's language (`QueryInvalid`)."""
from dataclasses import dataclass
from datetime import date

from diagnosis import disclosure
from services.errors import InvalidInput

BY_KEYS = ("district", "size_class", "industry", "division")
MODES = ("self", "on_site", "all")
SIZE_CLASSES = ("large", "medium", "small", "micro")

MESSAGES = {
    "unknown_instrument": {"zh": "没有这个评测工具：{value}", "en": "No such instrument: {value}"},
    "by_required": {"zh": "请至少选择一个分组维度", "en": "Choose at least one key to group by"},
    "unknown_by": {"zh": "未知的分组维度：{value}（可用：district、size_class、industry、division）",
                   "en": "Unknown key to group by: {value} (known: district, size_class, "
                         "industry, division)"},
    "repeated_by": {"zh": "分组维度重复：{value}", "en": "Key to group by given twice: {value}"},
    "unknown_industry": {"zh": "未知的行业代码：{value}（GB/T 4754 门类字母或大类代码）",
                         "en": "Unknown industry code: {value} (a GB/T 4754 section letter "
                               "or division code)"},
    "unknown_district": {"zh": "未知的区（市）：{value}", "en": "Unknown district: {value}"},
    "unknown_size_class": {"zh": "未知的企业规模：{value}（large、medium、small、micro）",
                           "en": "Unknown size class: {value} (large, medium, small, micro)"},
    "unknown_mode": {"zh": "未知的评测方式：{value}（self、on_site、all）",
                     "en": "Unknown assessment mode: {value} (self, on_site, all)"},
    "bad_date": {"zh": "日期格式应为 YYYY-MM-DD：{value}", "en": "A date must read YYYY-MM-DD: {value}"},
    "future_date": {"zh": "日期不能晚于今天：{value}", "en": "The date is in the future: {value}"},
    "since_after_as_of": {"zh": "起始日期不能晚于截至日期：{value}",
                          "en": "The start date is after the as-of date: {value}"},
    "unknown_priority": {"zh": "未知的重点产业：{value}（all 或 data/priority-industries.yaml 中的编号）",
                         "en": "Unknown priority industry: {value} (all, or an id of "
                               "data/priority-industries.yaml)"},
    "unknown_table": {"zh": "未知的表：{value}（可用：table、median、dimensions、indicators、"
                            "heatmap、uplift、demand、providers、notes）",
                      "en": "Unknown table: {value} (known: table, median, dimensions, "
                            "indicators, heatmap, uplift, demand, providers, notes)"},
    "outside_scope": {"zh": "超出本局的数据范围：{value}", "en": "Outside this bureau's scope: {value}"},
}


class QueryInvalid(InvalidInput):
    """Every problem of an aggregate query: `problems` is a list of (field, code, value)."""

    def __init__(self, problems):
        super().__init__(problems=problems)
        self.problems = problems

    def texts(self, lang="zh"):
        """[(field, message)]: pages name the field by its label."""
        return [(field, MESSAGES[code][lang if lang in ("zh", "en") else "zh"].format(
            value=value)) for field, code, value in self.problems]

    def messages(self, lang="zh"):
        """"field: message" lines (the command line, plain-text answers)."""
        return [f"{field}: {text}" for field, text in self.texts(lang)]


@dataclass(frozen=True)
class Query:
    """A validated aggregate query (`parse` builds one). `mode`: each enterprise's latest
    self-assessment, latest signed on-site assessment, or latest of either ("all"). `since`:
    only assessments submitted from that day to `as_of` count. `priority`: the priority
    industry group ("all" or an id) that `industries` was resolved from."""

    instrument: str
    version: str
    by: tuple[str, ...]
    as_of: date
    industry: str | None = None
    district: str | None = None
    size_class: str | None = None
    mode: str = "all"
    k: int = disclosure.DEFAULT_K
    industries: tuple[str, ...] = ()  # any of these codes (a target's or priority group's)
    since: date | None = None
    priority: str | None = None

    def filters(self):
        return {"industry": self.industry, "district": self.district,
                "size_class": self.size_class, "mode": self.mode,
                "priority": self.priority,
                "since": self.since.isoformat() if self.since else None,
                "as_of": self.as_of.isoformat()}


def parse(raw, reference, instruments, today, k=disclosure.DEFAULT_K, scope=None):
    """A Query from text values (command line, form, API), or QueryInvalid naming every problem.

    `raw`: instrument, by ("a,b" or a list), as_of, since, industry, priority, district,
    size_class, mode.
    `reference`: services.organisations.Reference; `instruments`: the registry;
    `scope`: a services.access.BureauScope the filters must stay inside.
    """
    problems = []
    instrument = (raw.get("instrument") or "").strip()
    version = None
    try:
        version = instruments[instrument].version
    except (KeyError, TypeError):
        problems.append(("instrument", "unknown_instrument", instrument))
    by_raw = raw.get("by") or ""
    by = tuple(part.strip() for part in (by_raw.split(",") if isinstance(by_raw, str)
                                         else by_raw) if part.strip())
    if not by:
        problems.append(("by", "by_required", ""))
    for key in dict.fromkeys(by):
        if key not in BY_KEYS:
            problems.append(("by", "unknown_by", key))
    for key in sorted({key for key in by if by.count(key) > 1}):
        problems.append(("by", "repeated_by", key))
    industry = _text(raw.get("industry"))
    if industry and industry not in reference.industry_codes:
        problems.append(("industry", "unknown_industry", industry))
    district = _text(raw.get("district"))
    if district and district not in reference.districts:
        problems.append(("district", "unknown_district", district))
    size_class = _text(raw.get("size_class"))
    if size_class and size_class not in SIZE_CLASSES:
        problems.append(("size_class", "unknown_size_class", size_class))
    mode = _text(raw.get("mode")) or "all"
    if mode not in MODES:
        problems.append(("mode", "unknown_mode", mode))
    as_of = _date(raw.get("as_of"), today, problems, "as_of") or today
    since = _date(raw.get("since"), today, problems, "since")
    if since and as_of < since <= today:
        problems.append(("since", "since_after_as_of", since.isoformat()))
    priority = _text(raw.get("priority"))
    groups = reference.priority_industries
    industries = (tuple(dict.fromkeys(code for codes in groups.values() for code in codes))
                  if priority == "all" else tuple(groups.get(priority, ())))
    if priority and not industries:
        problems.append(("priority", "unknown_priority", priority))
    if scope is not None:
        if district and scope.districts and district not in scope.districts:
            problems.append(("district", "outside_scope", district))
        if industry and scope.industries and not any(industry.startswith(code)
                                                     for code in scope.industries):
            problems.append(("industry", "outside_scope", industry))
        if industries and scope.industries and not any(
                code.startswith(mine) or mine.startswith(code)
                for code in industries for mine in scope.industries):
            problems.append(("priority", "outside_scope", priority))
    if problems:
        raise QueryInvalid(problems)
    return Query(instrument, version, by, as_of, industry, district, size_class, mode, k,
                 industries, since, priority)


def _text(value):
    return value.strip() if isinstance(value, str) and value.strip() else None


def _date(value, today, problems, field):
    """A day from YYYY-MM-DD, None when empty or malformed (then a problem is noted)."""
    if value in (None, ""):
        return None
    if isinstance(value, date):
        parsed = value
    else:
        try:
            parsed = date.fromisoformat(str(value).strip())
        except ValueError:
            problems.append((field, "bad_date", str(value)[:40]))
            return None
    if parsed > today:
        problems.append((field, "future_date", parsed.isoformat()))
    return parsed

