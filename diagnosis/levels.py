"""The level rule, in one place: which conditions a level asks for and whether they hold.

A level is reached when every condition of it and of every lower level holds (conditions a
profile is exempt from always hold). A condition is a points threshold ("total_at_least",
"total_above") or a count of scenarios at a level or above, among a pool (all scenarios, the
mandatory ones, or those named in `among`). Scoring, the planner and the plan texts all read
the rule from here.
"""
import numpy as np

from .profile import profile_allows

TOLERANCE = 1e-9     # totals are rounded to 6 decimals; thresholds compare within this
ABOVE = 1e-6         # "total_above" needs this much more than its value (the rounding step)


def in_pool(scenario, cond):
    """Whether a scenario counts towards a scenario condition."""
    return (not cond.among or scenario.id in cond.among) and (scenario.mandatory or not cond.mandatory_only)


def implies(a, b):
    """Whether condition `a` holding means `b` holds (a higher total; more scenarios at a higher
    level, in a pool within b's)."""
    if a.kind == "scenarios_at_least" or b.kind == "scenarios_at_least":
        if a.kind != b.kind:
            return False
        pool_within = (a.mandatory_only or not b.mandatory_only) \
            and (not b.among or (a.among and set(a.among) <= set(b.among)))
        return bool(pool_within) and a.level >= b.level and a.count >= b.count
    strict_a, strict_b = a.kind == "total_above", b.kind == "total_above"
    return a.value > b.value or (a.value == b.value and (strict_a or not strict_b))


class LevelRule:
    """An instrument's level conditions as arrays: one column per condition, levels in order."""

    def __init__(self, inst):
        self.instrument = inst
        self.conditions = [(li, c) for li, lv in enumerate(inst.levels) for c in lv.conditions]
        self.ranks = np.array([lv.rank for lv in inst.levels])
        self.slices, start = [], 0
        for lv in inst.levels:
            self.slices.append(slice(start, start + len(lv.conditions)))
            start += len(lv.conditions)
        self.pools = {k: np.array([in_pool(s, c) for s in inst.scenarios], dtype=bool)
                      for k, (_, c) in enumerate(self.conditions) if c.kind == "scenarios_at_least"}

    def applies(self, profile):
        """Which conditions apply to this (effective) profile, as a [1, k] bool array."""
        return np.array([[profile_allows(c.show_if, profile) for _, c in self.conditions]], dtype=bool)

    def threshold(self, k):
        """The least total (or count) that passes condition k."""
        c = self.conditions[k][1]
        if c.kind == "scenarios_at_least":
            return c.count
        return c.value + ABOVE if c.kind == "total_above" else c.value

    def up_to(self, rank, applies):
        """Indices of the applying conditions of every level up to `rank`, none implied by another."""
        ks = [k for k, (li, _) in enumerate(self.conditions)
              if self.ranks[li] <= rank and applies[0, k]]
        out = []
        for k in ks:
            c = self.conditions[k][1]
            if not any(j != k and implies(self.conditions[j][1], c)
                       and (not implies(c, self.conditions[j][1]) or j > k) for j in ks):
                out.append(k)
        return out

    def evaluate(self, totals, scenarios, applies):
        """Per row: conditions passed and their actual values, levels passed, the level reached.

        `scenarios` are levels (-1 where hidden or n/a); counts are integers, so one row and a
        batch agree whatever the batch size.
        """
        n = len(totals)
        passed = np.ones((n, len(self.conditions)), dtype=bool)
        actual = np.zeros((n, len(self.conditions)))
        for k, (_, c) in enumerate(self.conditions):
            if c.kind == "scenarios_at_least":
                counts = (scenarios[:, self.pools[k]] >= c.level).sum(axis=1, dtype=np.int32)
                actual[:, k] = counts
                passed[:, k] = counts >= c.count
            else:
                actual[:, k] = totals
                passed[:, k] = totals > c.value + TOLERANCE if c.kind == "total_above" \
                    else totals >= c.value - TOLERANCE
        ok = passed | ~applies
        level_ok = np.ones((n, len(self.slices)), dtype=bool)
        reached = np.ones(n, dtype=bool)
        index = np.full(n, -1)
        for li, sl in enumerate(self.slices):
            for k in range(sl.start, sl.stop):
                level_ok[:, li] &= ok[:, k]
            reached &= level_ok[:, li]
            index += reached  # a level counts only when every lower level is reached too
        return {"cond_passed": passed, "cond_actual": actual, "level_ok": level_ok,
                "level_index": index, "rank": self.ranks[index]}

    def scenario_levels_needed(self, rank):
        """The scenario level the conditions of `rank` count, for mandatory (True) and other
        scenarios (False)."""
        out = {}
        for li, c in self.conditions:
            if self.ranks[li] == rank and c.kind == "scenarios_at_least":
                for mandatory in (True, False):
                    if mandatory or not c.mandatory_only:
                        out[mandatory] = max(out.get(mandatory, 0), c.level)
        return out
