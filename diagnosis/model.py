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
    """A rate at or above `min` (0..1) pays `share` of the item's points."""
    min: float
    share: float


@dataclass(frozen=True)
class RateInput:
    label: dict
    unit: dict


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
    kind: str = "scenario"
    points: float = 0.0
    min: int = 0
    max: int = 4

    @property
    def title(self):
        return self.text


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
