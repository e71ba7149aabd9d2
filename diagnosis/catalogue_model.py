"""The catalogue's model: solution modules, providers, ranking and the subsidy rule.

Plain frozen dataclasses with no loading code, so the checker (diagnosis/catalogue_check.py)
builds them and the loader (diagnosis/catalogue.py) returns them without importing each other
both ways.
"""
from dataclasses import dataclass, field

PROVIDER_TYPES = ("chain_leader", "integrator", "product_vendor", "public_platform")
DEPLOYMENTS = ("saas", "on_premise", "hardware_retrofit")
SIZE_CLASSES = ("micro", "small", "medium", "large")
STATUSES = ("active", "warned", "suspended", "removed")


@dataclass(frozen=True)
class Effect:
    """What a module does to one item or scenario once implemented.

    `target` is the item or scenario id; `value` is the answer it brings the item to (an
    option id, a list of option ids, a scale int, or {"rate": share}) or, for a scenario, the
    level 0-4 it reaches. Effects only ever raise: an answer already better is kept.
    """

    target: str
    value: object
    scenario: bool = False


@dataclass(frozen=True)
class Requirement:
    """An answer that must already be in place (or be brought in by an earlier module)."""

    target: str
    value: object
    scenario: bool = False


@dataclass(frozen=True)
class Module:
    id: str
    name: dict
    description: dict
    category: str
    effects: tuple
    requires_modules: tuple = ()
    requires_answers: tuple = ()
    one_off: tuple = (0, 0)
    yearly: int = 0
    weeks: int = 1
    deployment: str = "saas"
    industries: tuple = ()
    size_classes: tuple = ()
    public: bool = False

    @property
    def cost(self):
        """Cost used for budgets: the top of the one-off range plus the first year's fee.

        Planning with the top of the range means a plan never overruns whichever provider
        the enterprise picks at the catalogue price.
        """
        return int(self.one_off[1]) + int(self.yearly)

    def suits(self, profile):
        """True when the module is offered for the enterprise's industry and size class."""
        profile = profile or {}
        if self.industries and not industry_matches(self.industries, profile.get("industry")):
            return False
        size = profile.get("size_class")
        return not (self.size_classes and size and size not in self.size_classes)


@dataclass(frozen=True)
class Offer:
    module: str
    price: int


@dataclass(frozen=True)
class Provider:
    id: str
    name: dict
    uscc: str
    type: str
    districts: tuple
    industries: tuple
    offers: tuple
    certifications: tuple  # of {zh, en}
    rating: dict
    status: str = "active"
    note: dict = field(default_factory=dict)

    @property
    def rating_total(self):
        return sum(self.rating.values())

    def offer_for(self, module_id):
        for offer in self.offers:
            if offer.module == module_id:
                return offer
        return None

    def serves(self, profile):
        """True when the provider covers the enterprise's district and industry."""
        profile = profile or {}
        district = profile.get("district")
        if district and "*" not in self.districts and district not in self.districts:
            return False
        return not self.industries or industry_matches(self.industries, profile.get("industry"))


@dataclass(frozen=True)
class Ranking:
    """Published weights of the provider ranking formula (see catalogues/README.md)."""

    rating: float = 0.5
    price: float = 0.3
    fit: float = 0.2
    outcome: float = 0.0  # weight of the providers' outcome records (diagnosis/outcomes.py)


@dataclass(frozen=True)
class Catalogue:
    modules: dict
    providers: dict
    rating_axes: dict
    ranking: Ranking = Ranking()
    instrument: str = ""
    sample: bool = False
    # provider id -> outcome factor 0..1 (diagnosis.outcomes.ranking_factor); absent: neutral
    outcomes: dict = field(default_factory=dict, compare=False)

    _offering: dict = field(default_factory=dict, compare=False, repr=False)

    def providers_for(self, module_id):
        """Providers offering the module (any status), indexed once per catalogue."""
        if not self._offering and self.providers:
            for p in self.providers.values():
                for offer in p.offers:
                    self._offering.setdefault(offer.module, []).append(p)
        return list(self._offering.get(module_id, ()))

    def to_dict(self):
        """Plain data in the YAML layout (what export writes)."""
        return {"modules": modules_to_data(self), "providers": providers_to_data(self)}


@dataclass(frozen=True)
class SubsidyRule:
    """The city pays `rate` of a module's cost, at most `cap` yuan, for eligible enterprises."""

    name: dict
    rate: float
    cap: int
    industries: tuple = ()
    size_classes: tuple = ()
    districts: tuple = ()
    public_modules: bool = False

    def applies(self, profile):
        profile = profile or {}
        if self.industries and not industry_matches(self.industries, profile.get("industry")):
            return False
        if self.size_classes and profile.get("size_class") not in self.size_classes:
            return False
        return not (self.districts and profile.get("district") not in self.districts)

    def subsidy(self, module, cost, profile):
        if (module.public and not self.public_modules) or not self.applies(profile):
            return 0
        return int(min(round(cost * self.rate), self.cap))


def industry_matches(codes, industry):
    """GB/T 4754 codes match by prefix: "C" covers "C36"; an unknown industry matches nothing."""
    if not industry:
        return False
    industry = str(industry).upper()
    return any(industry.startswith(str(code).upper()) for code in codes)


def _answer_value(value):
    return dict(value) if isinstance(value, dict) else (list(value) if isinstance(value, tuple) else value)


def _effect_data(effect):
    key = "scenario" if effect.scenario else "item"
    return {key: effect.target, ("level" if effect.scenario else "answer"): _answer_value(effect.value)}


def modules_to_data(catalogue):
    out = []
    for m in catalogue.modules.values():
        entry = {"id": m.id, "name": dict(m.name), "description": dict(m.description),
                 "category": m.category, "effects": [_effect_data(e) for e in m.effects]}
        requires = {}
        if m.requires_modules:
            requires["modules"] = list(m.requires_modules)
        if m.requires_answers:
            requires["answers"] = [_effect_data(r) for r in m.requires_answers]
        if requires:
            entry["requires"] = requires
        entry.update({"cost": {"one_off": list(m.one_off), "yearly": m.yearly}, "weeks": m.weeks,
                      "deployment": m.deployment, "public": m.public})
        if m.industries:
            entry["industries"] = list(m.industries)
        if m.size_classes:
            entry["size_classes"] = list(m.size_classes)
        out.append(entry)
    return {"catalogue": "modules", "sample": catalogue.sample, "instrument": catalogue.instrument,
            "modules": out}


def name_data(name):
    """A {zh, en} name as the file writes it: one text when both languages read the same."""
    return name["zh"] if name["zh"] == name["en"] else dict(name)


def providers_to_data(catalogue):
    out = []
    for p in catalogue.providers.values():
        entry = {"id": p.id, "name": dict(p.name), "uscc": p.uscc, "type": p.type,
                 "districts": list(p.districts), "industries": list(p.industries),
                 "offers": [{"module": o.module, "price": o.price} for o in p.offers],
                 "certifications": [name_data(c) for c in p.certifications], "rating": dict(p.rating),
                 "status": p.status}
        if p.note:
            entry["note"] = dict(p.note)
        out.append(entry)
    r = catalogue.ranking
    return {"catalogue": "providers", "sample": catalogue.sample,
            "rating_axes": dict(catalogue.rating_axes),
            "ranking": {"rating": r.rating, "price": r.price, "fit": r.fit, "outcome": r.outcome},
            "providers": out}
