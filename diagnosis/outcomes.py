"""A provider's outcome record: what happened in the projects it took on.

From plain facts per project (status, T0/T1 totals and level ranks, the SME's rating, the
contract and acceptance days) to medians and shares, each with the count it rests on. Pure.
"""
from dataclasses import asdict, dataclass
from datetime import date
from statistics import median

CLOSED = ("accepted", "rejected", "withdrawn")


@dataclass(frozen=True)
class ProjectFacts:
    status: str
    t0_total: float | None = None
    t1_total: float | None = None
    t0_rank: int | None = None
    t1_rank: int | None = None
    satisfaction: float | None = None  # the mean of the SME's aspect ratings, 1–5
    contracted_on: date | None = None
    accepted_on: date | None = None


@dataclass(frozen=True)
class OutcomeRecord:
    projects: int  # every project, open ones included
    accepted: int
    rejected: int
    withdrawn: int
    accepted_share: float | None  # accepted / (accepted + rejected + withdrawn)
    assessed_pairs: int  # accepted projects with both a T0 and a T1
    median_level_uplift: float | None
    median_point_uplift: float | None
    rated: int
    median_satisfaction: float | None
    timed: int  # accepted projects with a contract day
    median_days_to_acceptance: float | None
    shown: bool  # enough accepted projects to publish the record

    def to_dict(self) -> dict:
        return asdict(self)


NEUTRAL = 0.5  # the outcome factor of a provider without a published record: neither reward nor penalty


def ranking_factor(record: OutcomeRecord) -> float:
    """The outcome factor of the ranking formula, 0..1: once the record is shown,
    (accepted share + (median satisfaction − 1) / 4) / 2; before that NEUTRAL."""
    if not record.shown or record.accepted_share is None:
        return NEUTRAL
    satisfaction = record.median_satisfaction
    pleased = NEUTRAL if satisfaction is None else (satisfaction - 1) / 4
    return round((record.accepted_share + pleased) / 2, 4)


def _median(values):
    return float(median(values)) if values else None


def outcome_record(facts, min_accepted: int) -> OutcomeRecord:
    """The record over `facts` (one ProjectFacts per project of one provider)."""
    facts = list(facts)
    count = {s: sum(1 for f in facts if f.status == s) for s in CLOSED}
    accepted = [f for f in facts if f.status == "accepted"]
    closed = sum(count.values())
    pairs = [f for f in accepted if f.t0_total is not None and f.t1_total is not None]
    rated = [f.satisfaction for f in accepted if f.satisfaction is not None]
    timed = [(f.accepted_on - f.contracted_on).days for f in accepted
             if f.contracted_on is not None and f.accepted_on is not None]
    return OutcomeRecord(
        projects=len(facts), accepted=count["accepted"], rejected=count["rejected"],
        withdrawn=count["withdrawn"],
        accepted_share=round(count["accepted"] / closed, 4) if closed else None,
        assessed_pairs=len(pairs),
        median_level_uplift=_median([f.t1_rank - f.t0_rank for f in pairs
                                     if f.t0_rank is not None and f.t1_rank is not None]),
        median_point_uplift=_median([round(f.t1_total - f.t0_total, 2) for f in pairs]),
        rated=len(rated), median_satisfaction=_median(rated),
        timed=len(timed), median_days_to_acceptance=_median(timed),
        shown=count["accepted"] >= min_accepted)
