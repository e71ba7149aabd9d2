"""Compile an instrument into numpy arrays and score assessments, one or many, with the same code.

One row per assessment. Item → indicator → dimension → total, then the level rule. The single
path (score()) encodes one row and runs exactly the arithmetic the batch path runs.
"""
from typing import NamedTuple

import numpy as np

from .answers import HIDDEN, SHOWN, resolve
from .errors import AnswerError
from .levels import LevelRule
from .model import NA
from .profile import effective_profile

DECIMALS = 6     # scores are rounded once, here, so both paths and all thresholds agree


class Encoded(NamedTuple):
    """Assessments as arrays (N rows)."""
    shares: np.ndarray       # [N, items] float64: share of the item's points earned (0..1)
    applicable: np.ndarray   # [N, items] float64: 1 where the item counts in the maximum
    scenarios: np.ndarray    # [N, scenarios] int8: level 0..4, -1 where hidden or n/a
    conditions: np.ndarray   # [N, level conditions] bool: the condition applies to this profile


class BatchScores(NamedTuple):
    totals: np.ndarray       # [N] float64
    levels: np.ndarray       # [N] int: level rank
    dimensions: np.ndarray   # [N, dimensions] float64


def stack(encoded):
    """Join encoded assessments (each of any N) into one batch."""
    return Encoded(*(np.concatenate(parts, axis=0) for parts in zip(*encoded)))


class Compiled:
    """An instrument as arrays. Build with compile_instrument() (cached)."""

    def __init__(self, inst):
        self.instrument = inst
        items = inst.items
        self.item_ids = [it.id for it in items]
        self.item_index = {qid: i for i, qid in enumerate(self.item_ids)}
        self.points = np.array([it.points for it in items], dtype=np.float64)
        inds = [ind for d in inst.dimensions for ind in d.indicators]
        self.indicator_ids = [ind.id for ind in inds]
        self.dimension_ids = [d.id for d in inst.dimensions]
        self.ind_starts = np.cumsum([0] + [len(ind.items) for ind in inds[:-1]])
        self.dim_ind_starts = np.cumsum([0] + [len(d.indicators) for d in inst.dimensions[:-1]])
        self.ind_dim = np.repeat(np.arange(len(inst.dimensions)), [len(d.indicators) for d in inst.dimensions])
        self.item_dim = np.array([self.dimension_ids.index(it.dimension) for it in items])
        self.dim_points = np.array([d.points for d in inst.dimensions], dtype=np.float64)
        self.scenario_ids = [s.id for s in inst.scenarios]
        self.scenario_index = {sid: i for i, sid in enumerate(self.scenario_ids)}
        self.rule = LevelRule(inst)
        self.level_ranks = self.rule.ranks
        self.conditions = self.rule.conditions
        self.level_slices = self.rule.slices

    # -- encoding -------------------------------------------------------------------------
    def encode(self, answers, profile=None):
        """Validate one assessment and encode it as a one-row batch; raises AnswerError."""
        res = resolve(self.instrument, answers, profile, partial=False)
        if res.problems:
            raise AnswerError(res.problems)
        return self.encode_resolved(res)

    def encode_many(self, assessments):
        """Encode an iterable of (answers, profile) pairs into one batch."""
        return stack([self.encode(a, p) for a, p in assessments])

    def encode_resolved(self, res):
        n, m = len(self.item_ids), len(self.scenario_ids)
        shares = np.zeros((1, n))
        applicable = np.zeros((1, n))
        for i, qid in enumerate(self.item_ids):
            state = res.states[qid]
            if state == HIDDEN or (state == SHOWN and res.values.get(qid) != NA):
                applicable[0, i] = 1.0
                shares[0, i] = res.shares.get(qid, 0.0)
        scen = np.full((1, m), -1, dtype=np.int8)
        for j, sid in enumerate(self.scenario_ids):
            if res.states[sid] == SHOWN and sid in res.shares:
                scen[0, j] = res.shares[sid]
        return Encoded(shares, applicable, scen, self.condition_flags(res.profile))

    def condition_flags(self, profile):
        """Which level conditions apply to this (effective) profile, as a [1, k] array."""
        return self.rule.applies(profile)

    def effective_profile(self, profile):
        return effective_profile(self.instrument, profile)

    # -- scoring --------------------------------------------------------------------------
    def score_batch(self, enc):
        """Totals, level ranks and dimension scores for a batch; same numbers as score()."""
        ev = self.evaluate(enc, detail=False)
        return BatchScores(ev["total"], ev["rank"], ev["dim_score"])

    def evaluate(self, enc, detail=True):
        """The arrays of scoring a batch; with detail, also indicators and items (explanations).

        Sums across columns are written as sequential column additions, never BLAS or pairwise
        reductions, so a row's numbers do not depend on the batch it is scored in.
        """
        inst = self.instrument
        weight = enc.applicable * self.points
        earned = enc.shares * weight
        ind_e = np.add.reduceat(earned, self.ind_starts, axis=1)
        ind_a = np.add.reduceat(weight, self.ind_starts, axis=1)
        dim_e = np.add.reduceat(ind_e, self.dim_ind_starts, axis=1)
        dim_a = np.add.reduceat(ind_a, self.dim_ind_starts, axis=1)
        if inst.not_applicable_rule == "dimension":
            # hidden / n/a points go to the rest of their dimension: each dimension keeps its maximum
            scale = np.divide(self.dim_points, dim_a, out=np.zeros_like(dim_a), where=dim_a > 0)
            dim_max = np.where(dim_a > 0, self.dim_points, 0.0)
        else:
            tot_a = _rowsum(dim_a)[:, None]
            factor = np.divide(self.dim_points.sum(), tot_a, out=np.zeros_like(tot_a), where=tot_a > 0)
            scale = np.broadcast_to(factor, dim_a.shape)
            dim_max = dim_a * scale
        dim_score = dim_e * scale
        if inst.total_method == "sum":
            denom = _rowsum(dim_max)
            total = np.divide(inst.max_total * _rowsum(dim_score), denom, out=np.zeros_like(denom), where=denom > 0)
        else:
            ratio = np.divide(dim_score, dim_max, out=np.zeros_like(dim_score), where=dim_max > 0)
            counted = _rowsum((dim_max > 0).astype(np.float64))
            total = np.divide(inst.max_total * _rowsum(ratio), counted, out=np.zeros_like(counted), where=counted > 0)
        total = np.round(total, DECIMALS)
        ev = {"total": total, "dim_score": np.round(dim_score, DECIMALS)}
        if detail:
            ind_scale = scale[:, self.ind_dim]
            ev.update(dim_max=np.round(dim_max, DECIMALS), ind_score=np.round(ind_e * ind_scale, DECIMALS),
                      ind_max=np.round(ind_a * ind_scale, DECIMALS), item_scale=scale[:, self.item_dim],
                      weight=weight, earned=earned)
        ev.update(self._levels(enc, total))
        return ev

    def _levels(self, enc, total):
        return self.rule.evaluate(total, enc.scenarios, enc.conditions)


def _rowsum(x):
    """Row sums as sequential column additions (same result for any number of rows)."""
    out = x[:, 0].copy()
    for j in range(1, x.shape[1]):
        out += x[:, j]
    return out


_CACHE: dict = {}


def compile_instrument(instrument):
    """Compiled arrays for an instrument, cached per id and version (and the very object)."""
    key = (instrument.id, instrument.version)
    hit = _CACHE.get(key)
    if hit is None or hit.instrument is not instrument:
        hit = _CACHE[key] = Compiled(instrument)
    return hit
