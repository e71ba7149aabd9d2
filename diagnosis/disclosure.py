"""Disclosure control: which aggregate figures may be published without revealing a firm.

One module for the bureau dashboard, its exports and brief, the API and the SME's peer
comparison (the method and its limits: docs/disclosure.md).

A table is described by its *micro cells* (the finest cross-classification, e.g. district ×
size class × level, each with a count of enterprises) and its *figures*: every published
number that is a sum of micro cells (a cell's count, a level count inside it, a margin, the
grand total). `protect` decides which figures to suppress:

1. Threshold rule (primary suppression): a figure from 1 … k−1 enterprises is suppressed.
   Zero is published: it describes no respondent.
2. Secondary suppression against exact disclosure: the published figures are linear equations
   over the micro cells. A suppressed figure (or a micro cell of 1 … k−1 enterprises) is
   disclosed when its vector lies in the row space of the published figures' vectors (then
   every table consistent with what is published gives it the same value). While the audit
   finds one, the cheapest related published figure (fewest enterprises; margins cost more
   because they hold more) among those of the audit's derivation is suppressed as well, and
   the audit runs again.
Means and medians go with the count they were computed from (`central`).
"""
from collections.abc import Hashable, Iterable, Mapping
from statistics import median

DEFAULT_K = 5
_TOL = 1e-9


def is_small(value, k):
    """Whether a count falls under the threshold rule (zero does not: no respondent)."""
    return 0 < value < k


def protect(micro: Mapping[Hashable, int], figures: Mapping[Hashable, Iterable[Hashable]],
            k: int = DEFAULT_K, forced: Iterable[Hashable] = (),
            keep: Iterable[Hashable] = (), equations=()) -> frozenset:
    """Keys of `figures` to suppress (primary and secondary).

    `micro`: micro cell → count; `figures`: figure key → the micro cells it sums; `forced`:
    figure keys suppressed whatever their value (e.g. disclosive by differencing with another
    table); `keep`: keys never chosen for secondary suppression (the grand total). A kept
    figure that is itself small is suppressed all the same. `equations` ((whole key, part
    keys), e.g. from `cross_equations`) speed things up: first no equation may hold a single
    suppressed figure (the classic rule, cheap), then the audit settles what that leaves.
    """
    # figures summing the same cells are one number: decided together
    groups: dict = {}
    for key, cells in figures.items():
        groups.setdefault(frozenset(cells), []).append(key)
    members = {cells: cells for cells in groups}
    value = {cells: sum(micro.get(cell, 0) for cell in cells) for cells in groups}
    forced, keep = set(forced), set(keep)
    suppressed = {cells for cells, keys in groups.items()
                  if is_small(value[cells], k) or forced.intersection(keys)}
    kept = {cells for cells, keys in groups.items() if keep.intersection(keys)}
    sensitive = set(suppressed) | {frozenset([cell]) for cell, n in micro.items()
                                   if is_small(n, k)}
    _single_rule(_grouped(equations, figures), value, suppressed, kept)
    audit = _Audit(micro, members, value)
    exposed = sorted(sensitive, key=audit.order)
    while True:
        # fewer published figures never disclose more: only what was exposed is audited again
        exposed = audit.disclosed(suppressed, exposed)
        if not exposed:
            break
        added, used = set(), set()  # one complement per equation per round, then audit again
        for target in exposed:
            # the classic complement, among the figures the audit's derivation of the target
            # uses where there is one (another would leave that derivation standing)
            involved = set(audit.derivation(target))
            choice, equation = _complement(target, members, value, suppressed, kept,
                                           audit.order, involved)
            if choice is None:
                choice, equation = _complement(target, members, value, suppressed, kept,
                                               audit.order)
            if choice is not None and equation not in used:
                suppressed.add(choice)
                added.add(choice)
                used.add(equation)
        if not added:  # nothing left to hide behind: publish nothing but zeros
            suppressed = {cells for cells in groups if value[cells]} | suppressed
            break
    return frozenset(key for cells in suppressed for key in groups[cells])


def _grouped(equations, figures):
    out = []
    for whole, parts in equations:
        sets = [frozenset(figures[whole])] + [frozenset(figures[part]) for part in parts]
        if len(set(sets)) > 2 or (len(set(sets)) == 2 and len(parts) > 1):
            out.append(sets)
    return out


def _single_rule(equations, value, suppressed, kept):
    """Until no equation (whole and parts) holds exactly one suppressed figure, suppress the
    cheapest published one of such an equation."""
    changed = True
    while changed:
        changed = False
        for sets in equations:
            hidden = [cells for cells in sets if cells in suppressed]
            if len(hidden) != 1:
                continue
            open_ = [cells for cells in sets[1:] if cells not in suppressed and cells not in kept
                     and value[cells] > 0]
            if open_:
                suppressed.add(min(open_, key=lambda cells: (value[cells], len(cells),
                                                             sorted(map(repr, cells)))))
                changed = True


class _Audit:
    """Which sensitive figures the published ones pin down exactly, as matrices built once.

    A figure is disclosed when its vector over the unknown micro cells lies in the row space of
    the published figures' vectors; a cell is known when a published figure is that cell alone
    or sums to zero (every member then is zero).
    """

    def __init__(self, micro, members, value):
        import numpy as np  # here, not at the top: the web application starts without numpy

        self.cells = sorted(micro, key=repr)
        self.index = {cell: i for i, cell in enumerate(self.cells)}
        self.keys = list(members)
        self.rows = self._matrix([members[key] for key in self.keys])
        self.pins = np.array([len(members[key]) == 1 or value[key] == 0 for key in self.keys],
                             dtype=bool)
        self._order = {}

    def _matrix(self, cell_sets):
        import numpy as np

        matrix = np.zeros((len(cell_sets), len(self.cells)))
        for i, cells in enumerate(cell_sets):
            matrix[i, [self.index[cell] for cell in cells if cell in self.index]] = 1.0
        return matrix

    def order(self, cells):
        """The figures' fixed order (by their cells' texts), memoised."""
        if cells not in self._order:
            self._order[cells] = sorted(map(repr, cells))
        return self._order[cells]

    def disclosed(self, suppressed, targets):
        """The `targets` (cell sets, in order) that the published figures pin down; for each,
        `derivation` then names the published figures that pin it."""
        import numpy as np

        published = np.array([key not in suppressed for key in self.keys], dtype=bool)
        unknown = np.flatnonzero(~self.rows[published & self.pins].any(axis=0))
        rows = self.rows[:, unknown][published]  # the few unknown columns first: less copying
        used = rows.any(axis=1)
        rows = rows[used]
        self._used = [key for key, keep in zip((k for k, p in zip(self.keys, published) if p),
                                               used) if keep]
        u, singular, vt = _row_factors(rows) if len(rows) else (None, None, None)
        basis = vt if vt is not None else np.zeros((0, len(unknown)))
        vectors = self._matrix(targets)[:, unknown]
        residual = vectors - (vectors @ basis.T) @ basis if len(basis) else vectors
        size = np.maximum(1.0, np.linalg.norm(vectors, axis=1))
        hidden = np.linalg.norm(residual, axis=1) > _TOL * size
        found = [cells for cells, keep in zip(targets, hidden) if not keep]
        # the least-norm weights y with rowsᵀ y = target: the figures an attacker would combine
        self._weights = {} if u is None else {
            cells: (u @ ((vt @ vector) / singular))
            for cells, vector, keep in zip(targets, vectors, hidden) if not keep}
        return found

    def derivation(self, target):
        """The published figures (cell sets) with a part in pinning `target` in the last audit."""
        weights = self._weights.get(target)
        if weights is None:
            return []
        top = max(abs(weights).max(), 1.0)
        return [key for key, w in zip(self._used, weights) if abs(w) > 1e-7 * top]


def _row_factors(matrix):
    """(U, singular values, Vᵀ) of the matrix's SVD cut to its rank: Vᵀ's rows are an
    orthonormal basis of its row space."""
    import numpy as np

    u, singular, vt = np.linalg.svd(matrix, full_matrices=False)
    rank = int((singular > _TOL * max(matrix.shape) * (singular[0] if len(singular) else 0)).sum())
    return u[:, :rank], singular[:rank], vt[:rank]





def _complement(target, members, value, suppressed, kept, order, among=None):
    """The cheapest published figure whose suppression may hide `target`, and the equation
    (cell set) it came from.

    A target that equals the sum of published parts loses the cheapest part; else one in the
    tightest published figure containing it (the target's row or column) loses its cheapest
    other part: the classic complementary cell. Smallest value first, then fewer cells; only
    figures in `among` when given.
    """
    def cheapest(keys):
        keys = [key for key in keys if value[key] > 0 and key not in kept
                and (among is None or key in among)]
        return min(keys, key=lambda key: (value[key], len(members[key]), order(key)),
                   default=None)

    published = [key for key in members if key not in suppressed]
    parts = cheapest(key for key in published if key < target)
    if parts is not None:
        return parts, target
    for whole in sorted((key for key in published if key > target), key=len):
        choice = cheapest(key for key in published if key < whole and not key & target)
        if choice is not None:
            return choice, whole
    return None, target


def cross_table(counts):
    """Micro cells and figures of a cross-table with level counts, margins and a total.

    `counts`: (by values tuple, level id) → enterprises (zero combinations may be left out).
    Figures: ("cell", by) its count, ("level", by, level) a level count inside it,
    ("margin", i, value) and ("margin_level", i, value, level) per value of the i-th by key,
    ("total",) and ("total_level", level).
    """
    micro = {key: n for key, n in counts.items() if n}
    figures = {}
    for by, level in micro:
        figures.setdefault(("cell", by), set()).add((by, level))
        figures[("level", by, level)] = {(by, level)}
        for i, value in enumerate(by):
            figures.setdefault(("margin", i, value), set()).add((by, level))
            figures.setdefault(("margin_level", i, value, level), set()).add((by, level))
        figures.setdefault(("total",), set()).add((by, level))
        figures.setdefault(("total_level", level), set()).add((by, level))
    return micro, figures


def cross_equations(figures):
    """The additive relations between the figures of `cross_table` (whole key, part keys)."""
    cells = sorted({key[1] for key in figures if key[0] == "cell"}, key=repr)
    levels = sorted({key[-1] for key in figures if key[0] == "total_level"}, key=repr)
    out = []

    def add(whole, parts):
        parts = [part for part in parts if part in figures]
        if whole in figures and parts:
            out.append((whole, parts))

    for by in cells:
        add(("cell", by), [("level", by, level) for level in levels])
    keys = len(cells[0]) if cells else 0
    for i in range(keys):
        values = sorted({by[i] for by in cells}, key=repr)
        for v in values:
            add(("margin", i, v), [("cell", by) for by in cells if by[i] == v])
            add(("margin", i, v), [("margin_level", i, v, level) for level in levels])
            for level in levels:
                add(("margin_level", i, v, level),
                    [("level", by, level) for by in cells if by[i] == v])
        add(("total",), [("margin", i, v) for v in values])
        for level in levels:
            add(("total_level", level), [("margin_level", i, v, level) for v in values])
    add(("total",), [("total_level", level) for level in levels])
    return out


def threshold_count(n, k=DEFAULT_K):
    """A count published alone (no other published figure adds up with it): itself, or None
    when it falls under the threshold rule."""
    return None if is_small(n, k) else n


def central_figure(value, n, k=DEFAULT_K, digits=1):
    """A mean or median computed in the database from `n` enterprises: rounded to `digits`,
    or None below k enterprises (or none at all). A median from an odd count is one firm's own
    figure, so callers round medians more coarsely than means."""
    if value is None or n < k:
        return None
    return round(float(value)) if digits == 0 else round(float(value), digits)


def rows_by_level(counts):
    """Micro cells, figures and equations of rows that each split into levels, where the rows
    overlap (the same enterprises in every scenario), so no total across rows is published.

    `counts`: (row, level) → enterprises. Figures: ("row", row) and ("level", row, level).
    """
    micro = {key: n for key, n in counts.items() if n}
    figures, equations = {}, []
    for row, level in micro:
        figures.setdefault(("row", row), set()).add((row, level))
        figures[("level", row, level)] = {(row, level)}
    for key in [key for key in figures if key[0] == "row"]:
        equations.append((key, [("level", key[1], level) for level in
                                sorted({lv for row, lv in micro if row == key[1]}, key=repr)]))
    return micro, figures, equations


def central(values, n_published):
    """Mean and median of `values` when their count is published, else both None."""
    if not n_published or not values:
        return {"mean": None, "median": None}
    return {"mean": round(sum(values) / len(values), 2), "median": round(median(values), 2)}


# --- the SME's peer comparison -------------------------------------------------------------

PEER_BANDS = 4  # bands of the scale: a quarter of the maximum each (0–25, 25–50, … of 100)
POSITIONS = ("bottom", "lower_middle", "upper_middle", "top")


def score_band(total, max_total, bands=PEER_BANDS):
    """Index (0 … bands−1) of the band of the scale `total` falls in."""
    if max_total <= 0:
        return 0
    return min(bands - 1, max(0, int(bands * total / max_total)))


def peer_position(total, peer_totals, max_total, k=DEFAULT_K, bands=PEER_BANDS):
    """Where `total` stands among `peer_totals`, coarsely enough not to reveal any peer.

    Threat: an attacker controls every peer but one and its own total, and asks as often as it
    likes. So the answer depends on each total only through its band of the scale (a quarter
    of the maximum): whatever the attacker does, it learns at most which quarter of the scale
    the remaining peer's total is in — a range of 25 points of 100, never ±10.
    Returns None below k peers, else {count, position (POSITIONS), share_below (0–100,
    in steps the bands allow), band (the SME's own band index), bands}.
    """
    if len(peer_totals) < k:
        return None
    own = score_band(total, max_total, bands)
    others = [score_band(other, max_total, bands) for other in peer_totals]
    below = sum(1 for band in others if band < own)
    equal = sum(1 for band in others if band == own)
    share = (below + equal / 2) / len(others)
    return {"count": len(others), "position": POSITIONS[min(3, int(share * 4))],
            "share_below": round(100 * share), "band": own, "bands": bands}
