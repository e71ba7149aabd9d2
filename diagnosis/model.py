"""The instrument model: frozen dataclasses built by the loader from a questionnaire file.

Texts are dicts {"zh": str, "en": str}. Lists are tuples so an Instrument never changes after load.
"""
from dataclasses import dataclass, field
from typing import Optional

KINDS = ("single", "multiple", "rate", "scale", "scenario")
NA = "n/a"  # the answer value meaning "not applicable" where an item allows it


@dataclass(frozen=True)
class Option:
    id: str
    text: dict
    share: float
    exclusive: bool = False


@dataclass(frozen=True)
class Band:
    """Rates from `low` to `high` (0..1) pay `share` of the item's points; each end is in the
    band when it is closed ("[0, 0.1]", "(0.1, 0.2]"). Written `{min: x}` in older files: the
    band then runs from x (included) to the next band's minimum (excluded)."""
    low: float
    high: float
    share: float
    low_closed: bool = True
    high_closed: bool = False

    @property
    def min(self):
        return self.low

    def contains(self, rate, tolerance=1e-9):
        """Whether `rate` is in the band; rates within `tolerance` of an end count as that end."""
        above = rate > self.low + tolerance or (abs(rate - self.low) <= tolerance and self.low_closed)
        below = rate < self.high - tolerance or (abs(rate - self.high) <= tolerance and self.high_closed)
        return above and below

    def text(self):
        """The band as an interval, e.g. "(10%, 20%]"."""
        return (f"{'[' if self.low_closed else '('}{self.low * 100:g}%, "
                f"{self.high * 100:g}%{']' if self.high_closed else ')'}")


@dataclass(frozen=True)
class RateInput:
    label: dict
    unit: dict
    whole: bool = False          # a count: only whole numbers are accepted


@dataclass(frozen=True)
class ScenarioLevel:
    """What level 1..4 of one scenario looks like, and the evidence an assessor asks for."""
    text: dict
    evidence: dict


@dataclass(frozen=True)
class ProfileLink:
    """A question the enterprise profile also answers (diagnosis/profile_links.py): `field`
    of the profile is `part` × `unit` of a rate item, or true when a choice item has any of
    `options`; `source` ("profile" or "answer") is the one that wins once both exist."""
    field: str
    item: str
    source: str
    part: Optional[str] = None
    unit: float = 1.0
    options: tuple = ()


@dataclass(frozen=True)
class Check:
    """A plausibility rule on answers. kind "rate_above" (the item's rate above `value`),
    "exceeds" / "differs_from" (the item's `part` against `other`'s `other_part`). action
    "refuse" makes it a problem with the answer; "question" a warning shown beside it."""
    id: str
    item: str
    kind: str
    action: str
    message: dict
    value: Optional[float] = None
    part: Optional[str] = None
    other: Optional[str] = None
    other_part: Optional[str] = None


@dataclass(frozen=True)
class Condition:
    """One `show_if` test. source "profile": profile[key] in values, or within at_least/at_most.
    source "answer": the answer to item `key` is (or, for multiple, includes) one of `values`,
    or is at least `at_least`."""
    source: str
    key: str
    values: Optional[tuple] = None
    at_least: Optional[float] = None
    at_most: Optional[float] = None


@dataclass(frozen=True)
class Item:
    id: str
    kind: str
    points: float
    text: dict
    help: dict
    evidence: dict
    dimension: str
    indicator: str
    options: tuple = ()
    allow_na: bool = False
    required: bool = True
    show_if: tuple = ()          # Conditions, all of which must hold
    bands: tuple = ()            # rate
    numerator: Optional[RateInput] = None
    denominator: Optional[RateInput] = None
    min: Optional[float] = None  # scale
    max: Optional[float] = None  # scale maximum; rate input maximum
    shares: tuple = ()           # scale, optional, one per step from min to max
    rubric: dict = field(default_factory=dict)   # answer key -> {zh, en}: what counts as proof

    def option(self, option_id):
        for o in self.options:
            if o.id == option_id:
                return o
        return None


@dataclass(frozen=True)
class Scenario:
    """An application scenario, answered with a level 0..4; scores no points, counts in level rules."""
    id: str
    group: str
    text: dict
    help: dict
    evidence: dict
    mandatory: bool
    options: tuple               # one Option per level, id "0".."4", share level/4
    allow_na: bool = False
    required: bool = True
    show_if: tuple = ()
    levels: tuple = ()           # ScenarioLevel for levels 1..4 of this scenario, or ()
    kind: str = "scenario"
    points: float = 0.0
    min: int = 0
    max: int = 4

    @property
    def title(self):
        return self.text

    @property
    def rubric(self):
        """The evidence that proves each level ("1".."4"), as items keep it per answer."""
        return {str(n): lv.evidence for n, lv in enumerate(self.levels, start=1)}


@dataclass(frozen=True)
class Indicator:
    id: str
    title: dict
    points: float
    items: tuple


@dataclass(frozen=True)
class Dimension:
    id: str
    title: dict
    points: float
    indicators: tuple


@dataclass(frozen=True)
class ScenarioGroup:
    id: str
    title: dict


@dataclass(frozen=True)
class LevelCondition:
    """kind: "total_at_least" | "total_above" (value) or "scenarios_at_least" (level, count,
    mandatory_only, among). show_if: profile Conditions under which the condition applies."""
    kind: str
    value: Optional[float] = None
    level: Optional[int] = None
    count: Optional[int] = None
    mandatory_only: bool = False
    among: tuple = ()
    show_if: tuple = ()


@dataclass(frozen=True)
class Level:
    id: str
    rank: int
    name: dict
    meaning: dict
    conditions: tuple = ()


@dataclass(frozen=True)
class Instrument:
    id: str
    version: str
    title: dict
    description: dict
    indicative: bool
    max_total: float
    total_method: str            # "sum" | "mean_of_dimensions"
    not_applicable_rule: str     # "dimension" | "total"
    profile_defaults: dict
    scenario_levels: tuple       # texts for levels 0..4
    scenario_groups: tuple
    dimensions: tuple
    scenarios: tuple
    levels: tuple                # ascending rank
    source: str = ""
    superseded_by: Optional[str] = None   # a newer version replaces this one (kept for results)
    checks: tuple = ()           # plausibility Checks
    minutes: Optional[int] = None  # about how long filling it in takes
    profile_links: tuple = ()    # ProfileLinks
    _index: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def items(self):
        """Scored items in questionnaire order."""
        return self._index["items"]

    @property
    def questions(self):
        """Everything an enterprise answers: items, then scenarios."""
        return self._index["questions"]

    def question(self, qid):
        """The Item or Scenario with this id, or None."""
        return self._index["by_id"].get(qid)

    def level(self, rank):
        for lv in self.levels:
            if lv.rank == rank:
                return lv
        return None

    def __hash__(self):
        return hash((self.id, self.version, self.source))
