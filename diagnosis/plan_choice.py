"""Which modules a plan takes, by the planning objective (docs/planning.md), proven optimal.

1. Reach the target level at the lowest net cost within the budget (fewest modules on a tie).
2. If no set within the budget reaches it: the closest set — fewest unmet conditions of the
   target, then the smallest total shortfall (each condition's missing amount as a share of
   what it requires), then the most points, then the lowest cost, then the fewest modules.

Each stage is a mixed-integer program (diagnosis/plan_model.py) solved to optimality; every
set it returns is re-scored by the core, and one the model over-rated (only possible where an
item is shown after some answer) is cut off and the program solved again.
"""
import numpy as np

from diagnosis.plan_model import MAX_CUTS, Unproven

COST_TOL = 0.5      # net costs are whole yuan
VALUE_TOL = 1e-6    # points and shortfalls: the solver's tolerances, far below any real step
KEY_TOL = (VALUE_TOL, VALUE_TOL, COST_TOL)


class Choice:
    """The objective for one target and its conditions, over one planner's candidates."""

    def __init__(self, planner, conds, target):
        self.planner, self.prog, self.conds, self.target = planner, planner.program, conds, target
        self.cost = (self.prog.cost_row(), COST_TOL)

    def _budget_row(self, budget):
        return [] if budget is None else [(self.prog.cost_row(), -np.inf, budget + 1e-6)]

    def _real_cost(self, chosen):
        return float(sum(self.prog.costs[m] for m in chosen))

    def _ids(self, chosen):
        return [self.planner.cands[m].module.id for m in chosen]

    def cheapest(self, budget):
        """(candidate indices, net cost) of the cheapest set reaching the target, or None."""
        rows = [self.prog.condition_row(k) for k in self.conds] + self._budget_row(budget)
        cuts = []
        for _ in range(MAX_CUTS):
            found = self.prog.solve([self.cost], rows + cuts)
            if found is None:
                return None
            chosen = found[0]
            if self._reaches(chosen):
                return self._trim(chosen, self._reaches), self._real_cost(chosen)
            cuts.append(self.prog.no_good(chosen))
        raise Unproven("too many sets over-rated by the model")

    def closest(self, budget):
        """Candidate indices of the set closest to the target within the budget."""
        prog = self.prog
        unmet, rows = {}, self._budget_row(budget)
        big = len(self.conds) + 1
        for k in self.conds:
            met = prog.indicator(f"met{k}")
            short = prog.shortfall(f"short{k}")
            rows.append(prog.condition_row(k, met))
            rows.append(prog.shortfall_row(k, short))
            unmet[met] = -float(big)
            unmet[short] = 1.0
        points = {v: -c for v, c in prog.total_coef.items()}
        cuts, best = [], None
        for _ in range(MAX_CUTS):
            found = prog.solve([(unmet, VALUE_TOL), (points, VALUE_TOL), self.cost], rows + cuts)
            if found is None:
                break
            chosen, optima = found
            bound = (optima[0] + big * len(self.conds), optima[1] - prog.base_total, optima[2])
            key = self._key(chosen, big)
            if best is None or _before(key, best[1]):
                best = (chosen, key)
            if _before(best[1], bound):   # no set left can beat it: the model never under-rates a set
                return self._trim(best[0], lambda rest: _before(self._key(rest, big), best[1]))
            cuts.append(prog.no_good(chosen))
        else:
            raise Unproven("too many sets over-rated by the model")
        return best[0] if best else []

    def _reaches(self, chosen):
        return int(self.planner._scored(self._ids(chosen))["rank"][0]) >= self.target

    def _trim(self, chosen, still_good):
        """Leave out free modules the set does as well without (the solver may add them on a tie)."""
        for m in [m for m in chosen if not self.prog.costs[m]]:
            rest = [o for o in chosen if o != m]
            if self.planner.complete(rest) and still_good(rest):
                chosen = rest
        return chosen

    def _key(self, chosen, big):
        """The objective of a set as the core scores it, in the programs' terms."""
        ev = self.planner._scored(self._ids(chosen))
        rule = self.prog.rule
        unmet = shortfall = 0.0
        for k in self.conds:
            need = rule.threshold(k)
            actual = float(ev["cond_actual"][0, k])
            if not ev["cond_passed"][0, k]:
                unmet += 1
                shortfall += max(0.0, (need - actual) / need)
        total = float(ev["total"][0])
        return big * unmet + shortfall, -total, self._real_cost(chosen)


def _before(a, b):
    """Lexicographic a <= b within KEY_TOL (a is at least as good)."""
    for x, y, tol in zip(a, b, KEY_TOL):
        if x < y - tol:
            return True
        if x > y + tol:
            return False
    return True
