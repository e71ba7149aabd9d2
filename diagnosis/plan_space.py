"""The state space of one assessment's plan: candidates and encoded states.

A state is the scoring engine's encoded row seen as a vector: one column per scored item (one
per option for multiple choice, so that a union of options is a maximum) plus the scenario
levels. States are scored exactly with the core's batch path.
"""
from dataclasses import dataclass

import numpy as np

from diagnosis.scoring import Encoded


@dataclass
class Candidate:
    module: object
    cost: int                 # net cost to the enterprise
    x: np.ndarray             # state vector after this module alone
    scen: np.ndarray          # scenario levels after this module alone


class Space:
    """The state space of one assessment: item shares (options split out) and scenario levels."""

    def __init__(self, comp, base_enc, profile):
        inst = comp.instrument
        self.comp = comp
        self.base = base_enc
        self.n_items = len(comp.item_ids)
        cols, weights_of = [], []
        # Multiple-choice items become one column per option so that a union is a maximum.
        for i, it in enumerate(inst.items):
            if it.kind == "multiple":
                for o in it.options:
                    if not o.exclusive:
                        cols.append((i, o.id, o.share))
            else:
                cols.append((i, None, 1.0))
        self.cols = cols
        self.col_item = np.array([c[0] for c in cols])
        self.col_share = np.array([c[2] for c in cols])
        self.multi = np.array([c[1] is not None for c in cols])
        self.coef = self._coefficients()
        self.w = self.coef[self.col_item] * self.col_share
        self.applies = base_enc.conditions
        base_scores = comp.score_batch(base_enc)
        self.base_total = float(base_scores.totals[0])
        self.base_rank = int(base_scores.levels[0])

    def _coefficients(self):
        """d total / d share per item, by scoring the base with each item at 0 and at 1."""
        n = self.n_items
        lo = np.repeat(self.base.shares, n, axis=0)
        hi = lo.copy()
        idx = np.arange(n)
        lo[idx, idx] = 0.0
        hi[idx, idx] = 1.0
        rows = np.concatenate([lo, hi])
        enc = Encoded(rows, np.repeat(self.base.applicable, 2 * n, axis=0),
                      np.repeat(self.base.scenarios, 2 * n, axis=0), np.repeat(self.base.conditions, 2 * n, axis=0))
        t = self.comp.score_batch(enc).totals
        return t[n:] - t[:n]

    def vector(self, enc, values):
        """State vector of an encoded row; `values` are its answers (for multiple-choice options)."""
        x = np.empty(len(self.cols))
        for k, (i, option, _) in enumerate(self.cols):
            if option is None:
                x[k] = enc.shares[0, i]
            else:
                chosen = values.get(self.comp.item_ids[i])
                x[k] = 1.0 if isinstance(chosen, list) and option in chosen else 0.0
        return x

    def open_item(self, x, item_id, share, options):
        """Raise an item's columns in x as if it were shown (an item behind an answer)."""
        i = self.comp.item_index[item_id]
        for k, (col_item, option, _) in enumerate(self.cols):
            if col_item == i:
                x[k] = max(x[k], 1.0 if option in options else 0.0) if option is not None else max(x[k], share)
        return x

    def encode_state(self, xs, scens):
        """Encoded rows for states (many at once) — exactly what the core scores."""
        xs = np.atleast_2d(xs)
        shares = self.base.shares.repeat(len(xs), axis=0).copy()
        single = ~self.multi
        shares[:, self.col_item[single]] = xs[:, single]
        if self.multi.any():
            multi_items = np.unique(self.col_item[self.multi])
            for i in multi_items:
                sel = self.multi & (self.col_item == i)
                shares[:, i] = np.minimum(1.0, xs[:, sel] @ self.col_share[sel])
        n = len(xs)
        return Encoded(shares, self.base.applicable.repeat(n, axis=0), np.atleast_2d(scens).astype(np.int8),
                       self.base.conditions.repeat(n, axis=0))

    def exact(self, xs, scens):
        """(totals, ranks) of states, scored by the core's batch path."""
        scores = self.comp.score_batch(self.encode_state(xs, scens))
        return scores.totals, scores.levels
