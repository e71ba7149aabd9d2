"""Choosing the modules of a plan: a mixed-integer program solved to proven optimality by HiGHS.

One binary y[m] per candidate module. The state after a set of modules is, per state column
(an item's share, or one multiple-choice option), the best value any chosen module brings;
it is written as steps: z[c, k] <= sum of y over the modules reaching step k, so a step
counts only when some chosen module reaches it. The total is linear in the shares (modules
never change which items apply), so the points are sum(weight * step * z). A scenario at
level a or above is u[j, a] <= sum of y over the modules raising it that far; a count
condition sums u over its pool. Prerequisites: y[m] <= y[r]; an answer a module needs:
y[m] <= sum of y over the modules bringing it (and, where modules could wait for each other
in a cycle, an order t[m] so that some provider comes strictly before).

The model is exact for the level rule (points thresholds, counts of scenarios at a level,
mandatory-only pools and applicability) except where an item is shown only after some answer:
there a module's effect counts as if shown (optimistic), and every set the solver returns is
re-scored through its real answers; a set the model over-rated is cut off and the model
solved again until the best real set is proven (the `real` callback, see `solve`).
"""
import highspy
import numpy as np

INT_TOL = 0.5          # binaries come back within 1e-6 of 0 or 1; round at one half
TOTAL_SLACK = 5e-7     # totals are rounded to 6 decimals before a threshold is compared
OPTIONS = {"mip_rel_gap": 0.0, "mip_abs_gap": 0.0, "output_flag": False, "threads": 1}
MAX_CUTS = 200


class Unproven(RuntimeError):
    """The solver did not prove a plan optimal (it should never happen; a bug if it does)."""


class Program:
    """The linear model of one assessment's candidates: variables and the expressions of the
    total, of each level condition's actual value and of the cost."""

    def __init__(self, space, x0, X, S, costs, rule, requires, needs):
        """`X`, `S`: each candidate's state vector and scenario levels alone; `requires[m]`:
        candidate indices m needs first (None: cannot be met); `needs[m]`: per answer m needs,
        the candidate indices that bring it."""
        self.n = n = len(costs)
        self.costs = np.asarray(costs, dtype=np.float64)
        self.rule, self.applies = rule, space.applies
        self.names, self.lower, self.upper, self.integral = [], [], [], []
        self.rows, self.lo, self.hi = [], [], []
        for m in range(n):
            self._var(f"y{m}", 0, 1, True)
        self.total_coef = {}
        self._points(space, x0, X)
        self.s0 = space.base.scenarios[0].astype(np.int16)
        self.S = np.asarray(S).reshape(n, len(self.s0))
        self._scen = {}
        self._extra = {}
        self._prerequisites(requires, needs)
        self.base_total = space.base_total

    # -- building ---------------------------------------------------------------------------
    def _var(self, name, lo, hi, integral=False):
        self.names.append(name)
        self.lower.append(lo)
        self.upper.append(hi)
        self.integral.append(1 if integral else 0)
        return len(self.names) - 1

    def _row(self, coefs, lo=-np.inf, hi=np.inf):
        self.rows.append(dict(coefs))
        self.lo.append(lo)
        self.hi.append(hi)

    def _points(self, space, x0, X):
        X = np.asarray(X).reshape(self.n, len(space.cols))
        cap_items = {}
        for c in range(len(space.cols)):
            levels = np.unique(X[:, c][X[:, c] > x0[c] + 1e-12])
            prev = x0[c]
            terms = []
            for v in levels:
                z = self._var(f"z{c}_{v:g}", 0, 1)
                self._row({z: 1.0, **{int(m): -1.0 for m in np.flatnonzero(X[:, c] >= v - 1e-12)}}, hi=0.0)
                terms.append((z, float(space.w[c] * (v - prev))))
                prev = v
            if space.multi[c]:
                cap_items.setdefault(int(space.col_item[c]), []).extend(terms)
            else:
                for z, gain in terms:
                    self.total_coef[z] = self.total_coef.get(z, 0.0) + gain
        # Options of one multiple-choice item may add up to more than the item's points.
        for i, terms in cap_items.items():
            room = float(space.coef[i] * (1.0 - space.base.shares[0, i]))
            if sum(g for _, g in terms) <= room + 1e-12:
                for z, gain in terms:
                    self.total_coef[z] = self.total_coef.get(z, 0.0) + gain
                continue
            g = self._var(f"g{i}", 0, max(room, 0.0))
            self._row({g: 1.0, **{z: -gain for z, gain in terms}}, hi=0.0)
            self.total_coef[g] = 1.0

    def at_level(self, j, a):
        """(constant, variable or None): scenario j at level a or above."""
        if self.s0[j] >= a:
            return 1, None
        key = (j, a)
        if key not in self._scen:
            raisers = np.flatnonzero(self.S[:, j] >= a)
            if not len(raisers):
                self._scen[key] = None
            else:
                u = self._var(f"u{j}_{a}", 0, 1)
                self._row({u: 1.0, **{int(m): -1.0 for m in raisers}}, hi=0.0)
                self._scen[key] = u
        return 0, self._scen[key]

    def actual(self, k):
        """(constant, {variable: coefficient}) of condition k's actual value (total or count)."""
        c = self.rule.conditions[k][1]
        if c.kind != "scenarios_at_least":
            return self.base_total, dict(self.total_coef)
        const, coefs = 0, {}
        for j in np.flatnonzero(self.rule.pools[k]):
            one, var = self.at_level(j, c.level)
            const += one
            if var is not None:
                coefs[var] = 1.0
        return const, coefs

    def condition_row(self, k, met=None):
        """A row making condition k hold (with `met`, a binary: hold when met is 1)."""
        const, coefs = self.actual(k)
        need = self.rule.threshold(k)
        if self.rule.conditions[k][1].kind != "scenarios_at_least":
            need -= TOTAL_SLACK
        if met is None:
            return coefs, need - const, np.inf
        return {**coefs, met: -need}, -const, np.inf

    def shortfall_row(self, k, short):
        """short >= 1 - actual / required: condition k's missing share (with short >= 0)."""
        const, coefs = self.actual(k)
        need = float(self.rule.threshold(k))
        return {short: 1.0, **{v: c / need for v, c in coefs.items()}}, 1.0 - const / need, np.inf

    def indicator(self, name):
        """A binary variable by name (made once, kept for every later program)."""
        return self._named(name, 0, 1, True)

    def shortfall(self, name):
        return self._named(name, 0, np.inf)

    def _named(self, name, lo, hi, integral=False):
        if name not in self._extra:
            self._extra[name] = self._var(name, lo, hi, integral)
        return self._extra[name]

    def _prerequisites(self, requires, needs):
        n = self.n
        waits = {m: set() for m in range(n)}
        for m in range(n):
            if requires[m] is None or any(not p for p in needs[m]):
                self.upper[m] = 0
                continue
            for r in requires[m]:
                self._row({m: 1.0, r: -1.0}, hi=0.0)
                waits[m].add(r)
            for providers in needs[m]:
                self._row({m: 1.0, **{p: -1.0 for p in providers if p != m}}, hi=0.0)
                waits[m].update(p for p in providers if p != m)
        cyclic = _in_cycles(waits)
        if not cyclic:
            return
        # Modules that could wait for each other: an order where what a module waits for
        # comes strictly before it (t[m] >= t[p] + 1 when m relies on p).
        big = n + 1
        t = {m: self._var(f"t{m}", 0, n) for m in cyclic}
        for m in cyclic:
            for r in requires[m] or ():
                if r in cyclic:
                    self._row({t[m]: 1.0, t[r]: -1.0, m: -big}, lo=1 - big)
            for providers in needs[m]:
                inside = [p for p in providers if p in cyclic and p != m]
                if not inside:
                    continue
                # v: the module relies on provider p (then p is chosen and comes first); this
                # row is tighter than the plain requirement row above
                vs = {}
                for p in inside:
                    v = self._var(f"v{m}_{p}", 0, 1, True)
                    self._row({v: 1.0, p: -1.0}, hi=0.0)
                    self._row({t[m]: 1.0, t[p]: -1.0, v: -big}, lo=1 - big)
                    vs[v] = -1.0
                outside = {p: -1.0 for p in providers if p not in cyclic and p != m}
                self._row({m: 1.0, **outside, **vs}, hi=0.0)

    # -- solving ----------------------------------------------------------------------------
    def cost_row(self):
        return {m: float(self.costs[m]) for m in range(self.n) if self.costs[m]}

    def solve(self, objectives, extra_rows=()):
        """Lexicographic: minimise each objective ({var: coef}, tolerance) in turn, keeping the
        earlier ones at their optimum (within their tolerance). Returns (chosen candidate
        indices, [optimum per objective]) or None when no set meets the rows."""
        nv = len(self.names)
        if not nv:   # nothing to choose: the empty set, if the rows allow it
            fits = all(lo <= 0 <= hi for lo, hi in zip(self.lo + [r[1] for r in extra_rows],
                                                       self.hi + [r[2] for r in extra_rows]))
            return ([], [0.0] * len(objectives)) if fits else None
        h = _solver()
        h.passModel(self._lp(list(extra_rows)))
        every = np.arange(nv, dtype=np.int32)
        optima, x = [], None
        for obj, tol in objectives:
            c = np.zeros(nv)
            for var, coef in obj.items():
                c[var] += coef
            h.changeColsCost(nv, every, c)
            if x is not None:
                h.setSolution(_start(x))    # the last optimum is feasible here: a first incumbent
            h.run()
            status = h.getModelStatus()
            if status == highspy.HighsModelStatus.kInfeasible:
                return None
            if status != highspy.HighsModelStatus.kOptimal:
                raise Unproven(h.modelStatusToString(status))
            x = np.array(h.getSolution().col_value)
            value = float(h.getInfo().objective_function_value)
            optima.append(value)
            idx = np.flatnonzero(c).astype(np.int32)
            h.addRow(-highspy.kHighsInf, value + tol, len(idx), idx, c[idx])
        return [m for m in range(self.n) if x[m] > INT_TOL], optima

    def _lp(self, extra):
        """The program (with `extra` rows) as a HiGHS model, column-wise."""
        rows = self.rows + [r for r, _, _ in extra]
        r_idx = np.array([i for i, row in enumerate(rows) for _ in row], dtype=np.int32)
        c_idx = np.array([v for row in rows for v in row], dtype=np.int32)
        vals = np.array([coef for row in rows for coef in row.values()], dtype=np.float64)
        order = np.lexsort((r_idx, c_idx))
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = len(self.names), len(rows)
        lp.col_cost_ = np.zeros(len(self.names))
        lp.col_lower_ = np.array(self.lower, dtype=np.float64)
        lp.col_upper_ = np.array(self.upper, dtype=np.float64)
        lp.row_lower_ = np.array(self.lo + [a for _, a, _ in extra], dtype=np.float64)
        lp.row_upper_ = np.array(self.hi + [b for _, _, b in extra], dtype=np.float64)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = np.searchsorted(c_idx[order], np.arange(len(self.names) + 1)).astype(np.int32)
        lp.a_matrix_.index_ = r_idx[order]
        lp.a_matrix_.value_ = vals[order]
        lp.integrality_ = [highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous
                           for i in self.integral]
        return lp

    def no_good(self, chosen):
        """A row excluding exactly this set of modules."""
        inside = set(chosen)
        row = {m: (-1.0 if m in inside else 1.0) for m in range(self.n)}
        return row, 1 - len(inside), np.inf


class _Quiet(highspy.Highs):
    """HiGHS without its banner: the log is switched off before callbacks are installed (the
    CLI prints plans as JSON on standard output)."""

    def enableCallbacks(self):
        self.setOptionValue("output_flag", False)
        return super().enableCallbacks()


def _solver():
    h = _Quiet()
    for name, value in OPTIONS.items():
        h.setOptionValue(name, value)
    return h


def _start(x):
    sol = highspy.HighsSolution()
    sol.col_value = list(x)
    return sol


def _in_cycles(waits):
    """Modules on a cycle of the "waits for" graph (Tarjan's strongly connected components)."""
    index, low, stack, on, out = {}, {}, [], set(), set()
    counter = [0]

    def visit(v):
        work = [(v, iter(sorted(waits[v])))]
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        while work:
            node, it = work[-1]
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(waits[w]))))
                    break
                if w in on:
                    low[node] = min(low[node], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on.discard(w)
                        comp.append(w)
                        if w == node:
                            break
                    if len(comp) > 1:
                        out.update(comp)

    for v in waits:
        if v not in index:
            visit(v)
    return out
