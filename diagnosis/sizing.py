"""SME size class (大/中/小/微) from the industry's rule, with the reason in words.

Rules are data (data/size_classes.yaml); this module holds the mechanism only.
Pure: stdlib and yaml.
"""
from dataclasses import dataclass
from pathlib import Path

import yaml

from diagnosis.reader import safe_load

TIERS = ("large", "medium", "small")
FIGURES = ("employees", "revenue", "assets")
CLASS_NAMES = {"large": {"zh": "大型", "en": "large"}, "medium": {"zh": "中型", "en": "medium"},
               "small": {"zh": "小型", "en": "small"}, "micro": {"zh": "微型", "en": "micro"}}
FIGURE_NAMES = {"employees": {"zh": "从业人员", "en": "employees"},
                "revenue": {"zh": "营业收入", "en": "revenue"},
                "assets": {"zh": "资产总额", "en": "total assets"}}
YUAN_PER_WAN = 10_000


class SizeRuleError(ValueError):
    """The rules file is wrong; `.problems` are "file: path: what is wrong"."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class Group:
    id: str
    name: dict
    industries: tuple[str, ...]
    tiers: dict  # tier -> {figure: threshold in persons or 万元}

    def needs(self) -> set[str]:
        return {fig for limits in self.tiers.values() for fig in limits}


@dataclass(frozen=True)
class SizeRules:
    source: dict
    groups: tuple[Group, ...]

    def group_for(self, industry_code: str | None) -> Group | None:
        """The group whose longest listed code prefixes the industry code."""
        code = (industry_code or "").strip().upper()
        best, best_len = None, 0
        for group in self.groups:
            for prefix in group.industries:
                if code.startswith(prefix) and len(prefix) > best_len:
                    best, best_len = group, len(prefix)
        return best


@dataclass(frozen=True)
class Sizing:
    size_class: str | None  # large | medium | small | micro | None (cannot tell)
    group: str | None
    reason: dict  # {"zh": ..., "en": ...}
    missing: tuple[str, ...] = ()  # figures the rule needs but were not given


def _text(value, where, problems):
    if not (isinstance(value, dict) and isinstance(value.get("zh"), str)
            and isinstance(value.get("en"), str)):
        problems.append(f"{where}: needs text in both languages {{zh: ..., en: ...}}")
        return {"zh": "", "en": ""}
    return {"zh": value["zh"], "en": value["en"]}


def _group(gid, raw, where, problems) -> Group:
    if not isinstance(raw, dict):
        problems.append(f"{where}: must be a mapping")
        return Group(gid, {}, (), {})
    industries = raw.get("industries")
    if not (isinstance(industries, list) and industries
            and all(isinstance(c, str) and c for c in industries)):
        problems.append(f"{where}.industries: must be a non-empty list of GB/T 4754 codes")
        industries = []
    tiers, raw_tiers = {}, raw.get("tiers")
    if not isinstance(raw_tiers, dict) or set(raw_tiers) != set(TIERS):
        problems.append(f"{where}.tiers: must give exactly {', '.join(TIERS)}")
        raw_tiers = {}
    for tier, limits in raw_tiers.items():
        tier_where = f"{where}.tiers.{tier}"
        if not isinstance(limits, dict) or not limits:
            problems.append(f"{tier_where}: must map figures to thresholds")
            continue
        for fig, value in limits.items():
            if fig not in FIGURES:
                problems.append(f"{tier_where}.{fig}: unknown figure (use {', '.join(FIGURES)})")
            elif isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                problems.append(f"{tier_where}.{fig}: must be a positive number")
        tiers[tier] = dict(limits)
    return Group(gid, _text(raw.get("name"), f"{where}.name", problems),
                 tuple(c.upper() for c in industries), tiers)


def load_size_rules(path) -> SizeRules:
    """Read and validate the rules file; raise SizeRuleError naming every problem."""
    path = Path(path)
    try:
        raw = safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise SizeRuleError([f"{path}: cannot read: {err}"]) from None
    problems: list[str] = []
    if not isinstance(raw, dict) or not isinstance(raw.get("groups"), dict):
        raise SizeRuleError([f"{path}: groups: missing (a mapping of industry groups)"])
    source = _text(raw.get("source"), f"{path}: source", problems)
    groups = tuple(_group(gid, g, f"{path}: groups.{gid}", problems)
                   for gid, g in raw["groups"].items())
    seen: dict = {}
    for group in groups:
        for code in group.industries:
            if code in seen:
                problems.append(f"{path}: groups.{group.id}.industries: {code} is also in "
                                f"{seen[code]}")
            seen[code] = group.id
    if problems:
        raise SizeRuleError(problems)
    return SizeRules(source, groups)


def _num(value: float, sep: str = ",") -> str:
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", sep)


def _figure(fig, value, threshold, sign):
    """One criterion in both languages, e.g. 营业收入 5000 万元（≥300 万）."""
    zh, en = FIGURE_NAMES[fig]["zh"], FIGURE_NAMES[fig]["en"]
    if fig == "employees":
        return (f"{zh} {_num(value, '')} 人（{sign}{_num(threshold, '')}）",
                f"{_num(value)} {en} ({sign} {_num(threshold)})")
    return (f"{zh} {_num(value, '')} 万元（{sign}{_num(threshold, '')} 万）",
            f"{en} CNY {_num(value / 100)} million ({sign} {_num(threshold / 100)} million)")


def classify(rules: SizeRules, industry_code, employees=None, revenue=None,
             assets=None) -> Sizing:
    """Size class for an enterprise; revenue and assets in yuan, employees in persons."""
    group = rules.group_for(industry_code)
    if group is None:
        return Sizing(None, None, {"zh": "该行业没有中小企业划型标准。",
                                   "en": "The SME classification rules do not cover this "
                                         "industry."})
    given = {"employees": employees,
             "revenue": None if revenue is None else revenue / YUAN_PER_WAN,
             "assets": None if assets is None else assets / YUAN_PER_WAN}
    missing = tuple(f for f in FIGURES if f in group.needs() and given[f] is None)
    if missing:
        names = [FIGURE_NAMES[f] for f in missing]
        return Sizing(None, group.id, {
            "zh": f"{group.name['zh']}：需要填写" + "、".join(n["zh"] for n in names) + "。",
            "en": f"{group.name['en']}: enter the " + " and ".join(n["en"] for n in names) + "."},
            missing)
    for tier in TIERS:
        limits = group.tiers[tier]
        if all(given[f] >= t for f, t in limits.items()):
            parts = [_figure(f, given[f], t, "≥") for f, t in limits.items()]
            return _sizing(group, tier, parts)
    # Micro: name the figures that fall short of the small tier.
    parts = [_figure(f, given[f], t, "<") for f, t in group.tiers["small"].items()
             if given[f] < t]
    return _sizing(group, "micro", parts, joiner=("或", " or "))


def _sizing(group, size_class, parts, joiner=("且", " and ")):
    name = CLASS_NAMES[size_class]
    zh = f"{group.name['zh']}：" + joiner[0].join(p[0] for p in parts) + f"→ {name['zh']}"
    en = f"{group.name['en']}: " + joiner[1].join(p[1] for p in parts) + f" → {name['en']}"
    return Sizing(size_class, group.id, {"zh": zh, "en": en})
