"""One price per module, told the same way on the plan page, the module page and the PDF.

`price()` says what a module's figure is — the catalogue range (top of it), the top of the
range plus the first year's fee, a provider's quote, or free on a public platform — with the
subsidy beside it and a subsidy line that explains itself, including why a subsidy does not
apply. Plans budget with the same figure (Module.cost); a quote replaces it once a provider
has made one. Pure: catalogue objects and plain values in, a plain dict out.
"""
from dataclasses import asdict, dataclass
from typing import Optional

BASES = ("catalogue_range", "top_plus_first_year", "quote", "free")


@dataclass(frozen=True)
class Price:
    basis: str                 # one of BASES
    figure: int                # gross yuan the plan counts
    subsidy: int
    net: int                   # what the enterprise pays
    explained: dict            # {zh, en}: what the figure is
    subsidy_line: dict         # {zh, en}: the rule, and what it gives or why it does not apply
    one_off: tuple = (0, 0)
    yearly: int = 0
    provider: Optional[str] = None

    def to_dict(self):
        data = asdict(self)
        data["one_off"] = list(self.one_off)
        return data


def yuan(amount):
    """¥ and thousands separators: ¥56,000."""
    return f"¥{int(amount):,}"


def price(module, rule, profile, quote=None):
    """The Price of `module` for an enterprise with `profile` under subsidy `rule` (or None);
    `quote` = {"provider": id, "name": {zh, en}, "amount": yuan} replaces the catalogue figure."""
    low, high = (int(v) for v in module.one_off)
    yearly = int(module.yearly)
    if quote is not None:
        figure, basis = int(quote["amount"]), "quote"
        name = quote.get("name") or {"zh": str(quote.get("provider")), "en": str(quote.get("provider"))}
        explained = {"zh": f"{yuan(figure)}：{name['zh']} 的报价",
                     "en": f"{yuan(figure)}: quoted by {name['en']}"}
    elif module.cost == 0:
        figure, basis = 0, "free"
        explained = {"zh": "免费" + ("：由公共服务平台提供" if module.public else ""),
                     "en": "Free" + (": offered by a public service platform" if module.public else "")}
    else:
        figure = module.cost
        span = yuan(high) if low == high else f"{yuan(low)}–{yuan(high)}"
        if yearly:
            basis = "top_plus_first_year"
            explained = {"zh": f"{yuan(figure)}：目录价一次性 {span} 取上限，加第一年年费 {yuan(yearly)}",
                         "en": f"{yuan(figure)}: the top of the catalogue range ({span} one-off) "
                               f"plus the first year's fee ({yuan(yearly)})"}
        else:
            basis = "catalogue_range"
            explained = ({"zh": f"{yuan(figure)}：目录价", "en": f"{yuan(figure)}: the catalogue price"}
                         if low == high else
                         {"zh": f"{yuan(figure)}：目录价 {span} 取上限",
                          "en": f"{yuan(figure)}: the top of the catalogue range ({span})"})
    subsidy, line = _subsidy(module, rule, profile, figure)
    return Price(basis=basis, figure=figure, subsidy=subsidy, net=figure - subsidy,
                 explained=explained, subsidy_line=line, one_off=(low, high), yearly=yearly,
                 provider=quote.get("provider") if quote else None)


def _subsidy(module, rule, profile, figure):
    """(amount, {zh, en} line) of the rule for this module and enterprise."""
    if rule is None:
        return 0, {"zh": "没有适用的补贴规则", "en": "No subsidy rule is set up"}
    pct = f"{rule.rate * 100:g}%"
    terms = {"zh": f"补贴 {pct}，每个模块最多 {yuan(rule.cap)}",
             "en": f"Subsidy {pct} up to {yuan(rule.cap)} per module"}
    reason = _not_applicable(module, rule, profile or {}, figure)
    if reason is not None:
        return 0, {"zh": f"{terms['zh']}——不适用：{reason['zh']}",
                   "en": f"{terms['en']} — not applicable because {reason['en']}"}
    amount = rule.subsidy(module, figure, profile)
    capped = round(figure * rule.rate) > rule.cap
    return amount, {"zh": f"{terms['zh']}：{yuan(amount)}" + ("（已达上限）" if capped else ""),
                    "en": f"{terms['en']}: {yuan(amount)}" + (" (the cap)" if capped else "")}


def _not_applicable(module, rule, profile, figure):
    """Why the rule gives nothing here ({zh, en}), or None when it applies."""
    if figure == 0:
        return {"zh": "该模块免费", "en": "the module is free"}
    if module.public and not rule.public_modules:
        return {"zh": "公共服务平台的模块不在补贴范围内", "en": "modules of public service platforms are not covered"}
    industry = profile.get("industry")
    if rule.industries and not industry:
        return {"zh": "企业信息中还没有填写行业", "en": "the enterprise profile names no industry yet"}
    if rule.industries and not any(str(industry).upper().startswith(c.upper()) for c in rule.industries):
        codes = "、".join(rule.industries), ", ".join(rule.industries)
        return {"zh": f"贵企业所属行业（{industry}）不在试点细分行业（{codes[0]}）之内",
                "en": f"your industry ({industry}) is not one of the pilot sub-sectors ({codes[1]})"}
    size = profile.get("size_class")
    if rule.size_classes and size not in rule.size_classes:
        return {"zh": f"企业规模（{size or '未知'}）不在 {'、'.join(rule.size_classes)} 之内",
                "en": f"the size class ({size or 'unknown'}) is not one of {', '.join(rule.size_classes)}"}
    district = profile.get("district")
    if rule.districts and district not in rule.districts:
        return {"zh": f"所在区（{district or '未知'}）不在 {'、'.join(rule.districts)} 之内",
                "en": f"the district ({district or 'unknown'}) is not one of {', '.join(rule.districts)}"}
    return None


def attach_prices(plan, catalogue, rule, profile, quotes=None):
    """`plan` (Plan.to_dict()) with a `price` (Price.to_dict()) on every planned module and
    candidate the catalogue has, so every page and the PDF tell the same price; `quotes` (module
    id -> quote as `price` takes it) replace the catalogue figure where a provider has quoted."""
    for module in [m for ph in plan.get("phases") or [] for m in ph.get("modules") or []] + \
            list(plan.get("candidates") or []):
        found = catalogue.modules.get(module.get("id")) if isinstance(module, dict) else None
        if found is not None:
            quote = (quotes or {}).get(found.id)
            module["price"] = price(found, rule, profile, quote).to_dict()
    return plan
