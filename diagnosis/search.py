"""Choosing a set of modules: branch and bound over the scoring engine's encoded arrays.

Why not ratio-greedy: levels are thresholds (points *and* counts of scenarios), and effects on
the same item overlap, so the best gain-per-yuan module first can use up a budget that a
different combination would have turned into a level. Instead:

- Each module's effect is encoded once, by scoring its modified answers with the core. A set
  of modules combines effects by taking the better answer per item (the union of options for
  multiple choice, the highest scenario level), so a set's state is an element-wise maximum.
- The total is linear in the item shares while applicability is fixed (modules never change
  it), so the gain of a set is a sum over items; gains are submodular (a module never adds
  more on top of others than alone), which makes fractional-knapsack relaxations valid bounds.
- Depth-first branch and bound (include the module with its prerequisites / leave it out)
  with those bounds is exact; a node limit keeps huge catalogues fast (`exact` says whether
  the limit was hit). Every set reported is re-scored exactly with score_batch.
"""
import numpy as np

from diagnosis.plan_space import EPS, LevelRule

NODE_LIMIT = 300


def _essential(goal):
    """Drop conditions another one implies (a lower total, a smaller count over a wider pool)."""
    out = []
    for c in goal:
        implied = False
        for d in goal:
            if d is c or d[0] != c[0]:
                continue
            if c[0] == "total":
                implied = (d[1], d[2]) > (c[1], c[2]) or ((d[1], d[2]) == (c[1], c[2]) and goal.index(d) < goal.index(c))
            else:
                implied = d[1] >= c[1] and d[2] >= c[2] and not (d[3] & ~c[3]).any() and \
                    ((d[1], d[2], int(d[3].sum())) != (c[1], c[2], int(c[3].sum())) or goal.index(d) < goal.index(c))
            if implied:
                break
        if not implied:
            out.append(c)
    return out


class Search:
    """Branch and bound over the candidates of one assessment (see the module docstring)."""

    def __init__(self, space, candidates, node_limit=NODE_LIMIT, evaluate=None):
        """`evaluate(modules) -> (total, rank)` scores a set through its real answers; the
        planner passes it when some item is shown only after a given answer (candidate states
        then assume such items open, an optimistic model checked against the real answers)."""
        self.space = space
        self.evaluate = evaluate
        self.cands = candidates
        self.by_id = {c.module.id: k for k, c in enumerate(candidates)}
        k = len(candidates)
        self.X = np.array([c.x for c in candidates]).reshape(k, len(space.cols))
        self.S = np.array([c.scen for c in candidates], dtype=np.int16).reshape(k, space.base.scenarios.shape[1])
        self.costs = np.array([c.cost for c in candidates], dtype=np.float64)
        self.bundles = [self._positions(c) for c in candidates]
        self.bundle_costs = np.array([self.costs[b].sum() if b else np.inf for b in self.bundles])
        self.has_bundle = np.array([b is not None for b in self.bundles], dtype=bool)
        self.B = np.zeros((k, k), dtype=bool)       # B[m, q]: q is in m's bundle
        for m, bundle in enumerate(self.bundles):
            self.B[m, bundle or []] = True
        self.Bf = self.B.astype(np.float64)
        self.node_limit = node_limit
        self.exact = True
        self.nodes = 0

    def _positions(self, cand):
        out = [self.by_id.get(mid) for mid in cand.bundle]
        return None if None in out else out

    def _start(self, base_values):
        self.nodes = 0
        self.exact = True
        self.x0 = self.space.vector(self.space.base, base_values)
        self.s0 = self.space.base.scenarios[0].astype(np.int16)

    def _adds(self, k, chosen, allowed):
        """Positions to add with candidate k (it and missing prerequisites); None if one is out."""
        bundle = self.bundles[k]
        if bundle is None or not allowed[bundle].all():
            return None
        return [j for j in bundle if j not in chosen]

    def _apply(self, x, scen, adds):
        if adds:
            x = np.maximum(x, self.X[adds].max(axis=0))
            scen = np.maximum(scen, self.S[adds].max(axis=0))
        return x, scen

    def _total(self, x):
        return self.space.base_total + float(self.space.w @ (x - self.x0))

    def _dominated(self, X, S):
        """Candidates never worth branching on: another is no dearer, does at least as much and
        needs no prerequisite this one does not (it can still come in as a prerequisite)."""
        k = len(self.cands)
        out = np.zeros(k, dtype=bool)
        pre = [set(b or ()) - {j} for j, b in enumerate(self.bundles)]
        for a in range(k):
            better = (X >= X[a]).all(axis=1) & (S >= S[a]).all(axis=1) & (self.costs <= self.costs[a])
            better[a] = False
            for b in np.flatnonzero(better):
                same = (X[b] == X[a]).all() and (S[b] == S[a]).all() and self.costs[b] == self.costs[a]
                if (not same or b < a) and pre[b] <= pre[a] and a not in pre[b]:
                    out[a] = True
                    break
        return out

    # -- objective A: the cheapest set reaching a level ------------------------------------------
    def cheapest_reaching(self, rank, budget, base_values):
        """(positions, cost) of the cheapest set reaching `rank` within `budget`, or None."""
        self._start(base_values)
        self.goal = _essential(self.space.rule.conditions_up_to(rank))
        self.target = rank
        cap = max((c[1] for c in self.goal if c[0] == "scen"), default=0)
        self.Sc = np.minimum(self.S, cap)
        self.branchable = ~self._dominated(self.X, self.Sc)
        self.best, self.best_cost = None, budget + EPS
        allowed = np.ones(len(self.cands), dtype=bool)
        self._reach([], 0.0, self.x0, self.s0, allowed, None)
        return self.best

    def _gains(self, x, scen, total):
        """Per condition still unmet: need, and each candidate's marginal contribution
        (and, for scenario counts, the level and the scenarios still below it)."""
        needs, cols, scen_needs = [], [], []
        for kind, a, b, pool in self.goal:
            if kind == "total":
                need = a + (1e-6 if b else 0.0) - total
                if need > EPS:
                    needs.append(need)
                    cols.append((np.maximum(self.X, x) - x) @ self.space.w)
            else:
                below = pool & (scen < a)
                need = b - int((pool & (scen >= a)).sum())
                if need > 0:
                    needs.append(float(need))
                    cols.append((self.S[:, below] >= a).sum(axis=1).astype(np.float64))
                    scen_needs.append((need, a, below))
        return needs, cols, scen_needs

    def _bound(self, needs, cols, allowed, chosen, scen_needs):
        """(lower bound on the cost still needed, candidates the binding relaxation uses)."""
        costs = self.costs[allowed]
        best, used = 0.0, None
        combos = [(n, c) for n, c in zip(needs, cols)]
        if len(needs) > 1:
            combos.append((1.0, sum(c / n for n, c in zip(needs, cols)) / len(needs)))
        for need, col in combos:
            lb, picked = _cover(need, col[allowed], costs)
            if lb > best or used is None:
                best, used = lb, np.flatnonzero(allowed)[picked]
            if best == np.inf:
                break
        for need, a, below in scen_needs:
            lb, picked = self._scenario_bound(need, a, below, allowed, chosen)
            if lb > best:
                best, used = lb, picked
        mask = np.zeros(len(self.cands), dtype=bool)
        if used is not None:
            mask[used] = True
        return best, mask

    def _scenario_bound(self, need, a, below, allowed, chosen):
        """Least cost of raising `need` more scenarios to level `a`, prerequisites included.

        Each scenario costs its cheapest module with everything that module needs; a module
        serving u of these scenarios (itself or as a prerequisite) is charged 1/u per scenario,
        so shared prerequisites are never counted twice and the sum stays a lower bound.
        """
        if not len(self.cands) or not below.any():
            return np.inf, None
        feasible = allowed & self.has_bundle & ~(self.B[:, ~allowed].any(axis=1))
        raises = (self.S[:, below] >= a) & feasible[:, None]
        served = (self.Bf.T @ raises) > 0
        unpaid = np.ones(len(self.cands))
        unpaid[chosen] = 0.0
        share = self.costs * unpaid / np.maximum(served.sum(axis=1), 1)
        bundle_cost = self.Bf @ share
        per_scenario = np.where(raises, bundle_cost[:, None], np.inf)
        cheapest = per_scenario.min(axis=0)
        if np.isfinite(cheapest).sum() < need:
            return np.inf, None
        pick = np.argsort(cheapest, kind="stable")[:need]
        modules = per_scenario[:, pick].argmin(axis=0)
        return float(cheapest[pick].sum()), np.flatnonzero(self.B[modules].any(axis=0))

    def _reach(self, chosen, cost, x, scen, allowed, hint):
        self.nodes += 1
        if self.nodes > self.node_limit:
            self.exact = False
            return
        total = self._total(x)
        needs, cols, scen_needs = self._gains(x, scen, total)
        if not needs:
            if self._real_rank(chosen, x, scen) >= self.target:
                chosen, cost, x, scen = self._trim(chosen, cost, x, scen)
                if cost < self.best_cost - EPS:
                    self.best, self.best_cost = (list(chosen), cost), cost
                return
            if self.evaluate is None:
                return
            # The optimistic model says reached, the real answers not yet (an item still
            # hidden behind an answer): any module that changes something may open it.
            useful = allowed & self.branchable & ((self.X > x + EPS).any(axis=1) | (self.S > scen).any(axis=1))
            lb, used, progress = 0.0, np.zeros(len(self.cands), dtype=bool), 1.0
        else:
            lb, used = hint if hint is not None else self._bound(needs, cols, allowed, chosen, scen_needs)
            if cost + lb >= self.best_cost - EPS:
                return
            useful = np.zeros(len(self.cands), dtype=bool)
            for col, need in zip(cols, needs):
                useful |= col > EPS
            useful &= allowed & self.branchable
            # Branch on the module with the most progress per yuan (prerequisites counted): a
            # greedy first dive gives a good plan early, which prunes the rest.
            progress = sum(np.minimum(col, need) / need for col, need in zip(cols, needs))
        useful[chosen] = False
        if not useful.any():
            return
        ratio = np.where(useful, self.bundle_costs / np.maximum(progress, EPS), np.inf)
        k = int(np.argmin(ratio))
        adds = self._adds(k, chosen, allowed)
        if adds is not None:
            add_cost = float(self.costs[adds].sum())
            if cost + add_cost < self.best_cost - EPS:
                nx, ns = self._apply(x, scen, adds)
                self._reach(chosen + adds, cost + add_cost, nx, ns, allowed, None)
        out = allowed.copy()
        out[k] = False
        # Leaving out a module the binding relaxation did not use cannot lower the bound.
        self._reach(chosen, cost, x, scen, out, None if used[k] else (lb, used))

    def _trim(self, chosen, cost, x, scen):
        """Drop modules the goal no longer needs, dearest first (nothing else may need them)."""
        for j in sorted(chosen, key=lambda j: -self.costs[j]):
            if any(j in self.bundles[o] for o in chosen if o != j):
                continue
            rest = [o for o in chosen if o != j]
            nx, ns = self._apply(self.x0, self.s0, rest)
            if not self._gains(nx, ns, self._total(nx))[0] and self._real_rank(rest, nx, ns) >= self.target:
                chosen, cost, x, scen = rest, cost - float(self.costs[j]), nx, ns
        return chosen, cost, x, scen

    def _real(self, chosen, x, scen):
        """(total, rank) of a set as the core scores it."""
        if self.evaluate is not None:
            return self.evaluate([self.cands[k].module for k in chosen])
        totals, ranks = self.space.exact(x, scen)
        return float(totals[0]), int(ranks[0])

    def _real_rank(self, chosen, x, scen):
        return self._real(chosen, x, scen)[1]

    # -- objective B: the most points within a budget, keeping a level ---------------------------
    def most_points(self, budget, keep_rank, start, base_values):
        """(positions, cost) with the highest total within `budget` whose level is at least
        `keep_rank`; `start` (positions, cost) is a known such set."""
        self._start(base_values)
        self.budget, self.keep = budget, keep_rank
        x, s = self._apply(self.x0, self.s0, start[0])
        self.best = (list(start[0]), start[1])
        self.best_key = (round(self._real(start[0], x, s)[0], 6), -start[1])
        self.branchable = ~self._dominated(self.X, self.S)
        allowed = np.ones(len(self.cands), dtype=bool)
        self._improve([], 0.0, self.x0, self.s0, allowed)
        return self.best

    def _improve(self, chosen, cost, x, scen, allowed):
        self.nodes += 1
        if self.nodes > self.node_limit:
            self.exact = False
            return
        total = self._total(x)
        key = (round(total, 6), -cost)
        if key > self.best_key and self.space.rule.rank(total, scen) >= self.keep:
            real_total, real_rank = self._real(chosen, x, scen)
            key = (round(real_total, 6), -cost)
            if real_rank >= self.keep and key > self.best_key:
                self.best, self.best_key = (list(chosen), cost), key
        room = self.budget - cost
        rest = allowed & (self.costs <= room + EPS)
        gains = (np.maximum(self.X, x) - x) @ self.space.w
        scen_ub = np.maximum(scen, self.S[rest].max(axis=0)) if rest.any() else scen
        total_ub = total + _fill(room, gains[rest], self.costs[rest])
        if round(total_ub, 6) + 1e-6 <= self.best_key[0] or self.space.rule.rank(total_ub, scen_ub) < self.keep:
            return
        useful = rest & self.branchable & ((gains > EPS) | (self.S > scen).any(axis=1))
        if not useful.any():
            return
        k = int(np.argmax(useful))
        adds = self._adds(k, chosen, allowed)
        if adds is not None and cost + float(self.costs[adds].sum()) <= self.budget + EPS:
            nx, ns = self._apply(x, scen, adds)
            self._improve(chosen + adds, cost + float(self.costs[adds].sum()), nx, ns, allowed)
        out = allowed.copy()
        out[k] = False
        self._improve(chosen, cost, x, scen, out)


def _cover(need, gains, costs):
    """Least cost to cover `need` when candidates may be taken fractionally: (bound, used)."""
    useful = np.flatnonzero(gains > EPS)
    g = gains[useful]
    if g.sum() < need - 1e-7:
        return np.inf, useful
    c = costs[useful]
    order = np.argsort(c / g, kind="stable")
    cum = np.cumsum(g[order])
    k = int(np.searchsorted(cum, need - 1e-9))
    before = cum[k - 1] if k else 0.0
    lb = c[order[:k]].sum() + c[order[k]] * (need - before) / g[order[k]]
    return lb, useful[order[:k + 1]]


def _fill(budget, gains, costs):
    """Most gain within `budget` when candidates may be taken fractionally (an upper bound)."""
    useful = gains > EPS
    g, c = gains[useful], costs[useful]
    free = c <= 0
    total = g[free].sum()
    g, c = g[~free], c[~free]
    order = np.argsort(-(g / c), kind="stable")
    g, c = g[order], c[order]
    cum = np.cumsum(c)
    k = int(np.searchsorted(cum, budget, side="right"))
    total += g[:k].sum()
    if k < len(g):
        total += g[k] * (budget - (cum[k - 1] if k else 0.0)) / c[k]
    return total
