"""Provider matching for one module: who may be recommended, in which order, and why.

The published formula (catalogues/README.md), weights from the catalogue's `ranking`:

    score = 100 × (w_rating × rating/100 + w_price × cheapest/price + w_fit × fit
                   + w_outcome × outcome)
    fit   = (district fit + industry fit) / 2
            district fit: 1 when the district is named, 0.5 when the provider serves the whole city
            industry fit: 1 for a matching 大类 code, 0.75 for a matching 门类 letter,
                          0.5 for a provider without an industry focus
    outcome = the provider's outcome factor (diagnosis/outcomes.py), 0.5 until its record shows

Removed and suspended providers never appear; warned ones appear marked and are never ranked
first (the best provider without a warning goes ahead of them). Nothing a provider pays enters the
formula: the catalogue has no field for it. Ties go to the higher rating, then the lower price,
then the provider id, so the order never depends on file order.
"""
from dataclasses import dataclass

from diagnosis.catalogue import industry_matches
from diagnosis.outcomes import NEUTRAL

MIN_SHOWN = 3
NOT_RECOMMENDED = ("suspended", "removed")


@dataclass(frozen=True)
class ProviderMatch:
    provider: object
    price: int
    score: float
    rating: int
    price_score: float
    fit: float
    why: dict
    outcome: float = NEUTRAL

    def to_dict(self):
        p = self.provider
        return {"id": p.id, "name": dict(p.name), "type": p.type, "status": p.status,
                "warned": p.status == "warned", "note": dict(p.note), "price": self.price,
                "score": self.score, "rating": self.rating, "price_score": round(self.price_score, 3),
                "fit": self.fit, "outcome": self.outcome, "public": p.type == "public_platform", "why": dict(self.why),
                "certifications": [dict(c) for c in p.certifications]}


def _fit(provider, profile):
    district = (profile or {}).get("district")
    district_fit = 1.0 if district and district in provider.districts else 0.5
    industry = (profile or {}).get("industry") or ""
    if not provider.industries:
        industry_fit = 0.5
    elif any(len(c) >= 3 and industry_matches([c], industry) for c in provider.industries):
        industry_fit = 1.0
    else:
        industry_fit = 0.75
    return (district_fit + industry_fit) / 2


def _why(provider, price, cheapest, fit, profile, axes_total, outcome):
    district = (profile or {}).get("district") or ""
    zh = [f"服务商库评级 {provider.rating_total}/{axes_total}"]
    en = [f"library rating {provider.rating_total}/{axes_total}"]
    if outcome != NEUTRAL:
        zh.append(f"项目成效 {outcome:.2f}")
        en.append(f"project outcomes {outcome:.2f}")
    if price == 0:
        zh.append("免费提供")
        en.append("offered free of charge")
    else:
        zh.append(f"报价 {price:,} 元" + ("（匹配服务商中最低）" if price == cheapest else ""))
        en.append(f"price CNY {price:,}" + (" (lowest among matching providers)" if price == cheapest else ""))
    if district and district in provider.districts:
        zh.append(f"服务{district}")
        en.append("serves the enterprise's district")  # the district's stored name is Chinese
    else:
        zh.append("服务全市")
        en.append("serves the whole city")
    if provider.industries and fit >= 0.75:
        zh.append("熟悉本行业")
        en.append("experienced in this industry")
    if provider.status == "warned":
        zh.append("注意：该服务商已被警示")
        en.append("note: this provider has been warned")
    sentence = "; ".join(en)  # capitalise the first letter only: "CNY" and names keep theirs
    return {"zh": "；".join(zh) + "。", "en": sentence[:1].upper() + sentence[1:] + "."}


def _warned_not_first(ranked):
    """The ranking with the best provider without a warning moved to the top, if one exists."""
    if ranked and ranked[0][1].status == "warned":
        clean = next((i for i, r in enumerate(ranked) if r[1].status != "warned"), None)
        if clean is not None:
            ranked = [ranked[clean]] + ranked[:clean] + ranked[clean + 1:]
    return ranked


def match_providers(catalogue, module_id, profile, limit=5):
    """Ranked matches for a module: (market providers, public platforms).

    Market providers: the best `limit` (never fewer than three where three exist). Public
    platforms offering the module are all listed, ranked by the same formula.
    """
    eligible = []
    for p in catalogue.providers_for(module_id):
        offer = p.offer_for(module_id)
        if offer is None or p.status in NOT_RECOMMENDED or not p.serves(profile):
            continue
        eligible.append((p, offer.price))
    if not eligible:
        return [], []
    priced = [price for _, price in eligible if price > 0]
    cheapest = min(priced) if priced else 0
    weights = catalogue.ranking
    axes_total = sum(catalogue.rating_axes.values()) or 100
    ranked = []
    for p, price in eligible:
        price_score = 1.0 if price == 0 or not cheapest else cheapest / price
        fit = _fit(p, profile)
        outcome = catalogue.outcomes.get(p.id, NEUTRAL)
        score = 100 * (weights.rating * p.rating_total / axes_total + weights.price * price_score
                       + weights.fit * fit + weights.outcome * outcome)
        ranked.append((round(score, 1), p, price, price_score, fit, outcome))
    ranked.sort(key=lambda r: (-r[0], -r[1].rating_total, r[2], r[1].id))
    market = _warned_not_first([r for r in ranked if r[1].type != "public_platform"])
    market = market[:max(limit, MIN_SHOWN)]
    public = [r for r in ranked if r[1].type == "public_platform"]

    def match(r):  # the why is written only for the providers shown
        score, p, price, price_score, fit, outcome = r
        return ProviderMatch(p, price, score, p.rating_total, price_score, fit,
                             _why(p, price, cheapest, fit, profile, axes_total, outcome), outcome)

    return [match(r) for r in market], [match(r) for r in public]
