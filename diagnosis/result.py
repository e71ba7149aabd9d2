"""score(): one assessment → Result with explanation and next-level analysis."""
from dataclasses import dataclass, field

from .answers import HIDDEN, NOT_APPLICABLE, SHOWN, resolve
from .errors import AnswerError
from .explain import level_checks, level_dict, next_level
from .model import NA
from .scoring import compile_instrument
from .texts import answer_text


@dataclass(frozen=True)
class Result:
    """The outcome of scoring one assessment, as plain data (texts are {zh, en} dicts)."""
    instrument: str
    version: str
    indicative: bool
    total: float
    max_total: float
    level: dict                 # {id, rank, name, meaning}
    dimensions: dict            # id -> {score, max, title, indicators: {id -> {score, max, title}}}
    scenarios: dict             # id -> level, for scenarios shown and answered (not n/a)
    items: list                 # per question: points earned, max, state, the answer and its text
    level_checks: list
    next_level: dict
    profile: dict = field(default_factory=dict)

    def to_dict(self):
        """JSON-safe dict (texts are {zh, en})."""
        return {
            "instrument": self.instrument, "version": self.version, "indicative": self.indicative,
            "total": self.total, "max_total": self.max_total, "level": self.level,
            "dimensions": self.dimensions, "scenarios": self.scenarios, "items": self.items,
            "level_checks": self.level_checks, "next_level": self.next_level, "profile": self.profile,
        }


def score(instrument, answers, profile=None):
    """Score one assessment; raises AnswerError listing every problem with the answers."""
    res = resolve(instrument, answers, profile, partial=False)
    if res.problems:
        raise AnswerError(res.problems)
    comp = compile_instrument(instrument)
    enc = comp.encode_resolved(res)
    ev = comp.evaluate(enc)
    dims = {}
    k = 0
    for di, d in enumerate(instrument.dimensions):
        inds = {}
        for ind in d.indicators:
            inds[ind.id] = {"score": float(ev["ind_score"][0, k]), "max": float(ev["ind_max"][0, k]), "title": ind.title}
            k += 1
        dims[d.id] = {"score": float(ev["dim_score"][0, di]), "max": float(ev["dim_max"][0, di]),
                      "title": d.title, "indicators": inds}
    lv = instrument.levels[int(ev["level_index"][0])]
    return Result(
        instrument=instrument.id, version=instrument.version, indicative=instrument.indicative,
        total=float(ev["total"][0]), max_total=instrument.max_total, level=level_dict(lv), dimensions=dims,
        scenarios={sid: int(res.shares[sid]) for sid in comp.scenario_ids if sid in res.shares},
        items=_items(instrument, comp, res, ev), level_checks=level_checks(comp, ev, enc),
        next_level=next_level(comp, res, enc, ev), profile=res.profile)


def _state(res, qid):
    state = res.states[qid]
    if state == SHOWN:
        if qid not in res.values:
            return "unanswered"
        return "not_applicable" if res.values[qid] == NA else "answered"
    return {HIDDEN: "hidden", NOT_APPLICABLE: "not_applicable"}.get(state, state)


def _items(inst, comp, res, ev):
    earned = ev["earned"][0] * ev["item_scale"][0]
    maxima = ev["weight"][0] * ev["item_scale"][0]
    out = []
    for i, it in enumerate(inst.items):
        value = res.values.get(it.id)
        entry = {"id": it.id, "kind": it.kind, "dimension": it.dimension, "indicator": it.indicator,
                 "state": _state(res, it.id), "points": round(float(earned[i]), 4), "max": round(float(maxima[i]), 4),
                 "answer": value, "answer_text": answer_text(it, value, inst.scenario_levels), "text": it.text}
        if it.kind == "rate" and isinstance(value, dict):
            entry["rate"] = value["numerator"] / value["denominator"]
        out.append(entry)
    for s in inst.scenarios:
        value = res.values.get(s.id)
        out.append({"id": s.id, "kind": "scenario", "group": s.group, "mandatory": s.mandatory,
                    "state": _state(res, s.id), "points": 0.0, "max": 0.0, "answer": value,
                    "answer_text": answer_text(s, value, inst.scenario_levels), "text": s.text})
    return out
