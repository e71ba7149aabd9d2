"""Disclosure control: threshold rule, secondary suppression audited independently, peer bands."""
import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from diagnosis.disclosure import (central, central_figure, cross_equations, cross_table,
                                  peer_position, protect, rows_by_level, score_band,
                                  threshold_count)


def solvable(micro, figures, suppressed, target_cells):
    """Independent audit: is the sum over `target_cells` fixed by the published figures?

    Rank test over all micro cells (a zero published sum fixes each of its cells, as
    non-negative counts would).
    """
    cells = sorted(micro, key=repr)
    index = {cell: i for i, cell in enumerate(cells)}
    rows = []
    for key, members in figures.items():
        if key in suppressed:
            continue
        rows.append([1.0 if cell in members else 0.0 for cell in cells])
        if sum(micro[cell] for cell in members) == 0:
            rows += [[1.0 if c == cell else 0.0 for c in cells] for cell in members]
    target = np.zeros(len(cells))
    for cell in target_cells:
        target[index[cell]] = 1.0
    if not rows:
        return False
    matrix = np.array(rows)
    return np.linalg.matrix_rank(np.vstack([matrix, target])) == np.linalg.matrix_rank(matrix)


def test_threshold_suppresses_small_counts_and_publishes_zero_and_large_ones():
    # one key, three districts: 2, 7, 9 enterprises, all at level1
    micro, figures = cross_table({(("A",), "l1"): 2, (("B",), "l1"): 7, (("C",), "l1"): 9})
    hidden = protect(micro, figures, k=5, keep=[("total",)])
    assert ("cell", ("A",)) in hidden
    # A alone would follow from the total 18 minus 7 and 9: B (the smaller) goes too
    assert ("cell", ("B",)) in hidden and ("cell", ("C",)) not in hidden
    assert ("total",) not in hidden
    assert not solvable(micro, figures, hidden, {(("A",), "l1")})


def test_a_two_by_two_block_hides_a_small_cell_in_a_hand_computed_table():
    # district × size, one level; the cell (D1, micro) has 3 enterprises
    counts = {(("D1", "micro"), "l1"): 3, (("D1", "small"), "l1"): 8,
              (("D2", "micro"), "l1"): 6, (("D2", "small"), "l1"): 10}
    micro, figures = cross_table(counts)
    hidden = protect(micro, figures, k=5, keep=[("total",)])
    cells = {key[1] for key in hidden if key[0] == "cell"}
    # the classic rectangle: the small cell, its row and column partners and the opposite corner
    assert cells == {("D1", "micro"), ("D1", "small"), ("D2", "micro"), ("D2", "small")}
    for cell in counts:
        assert not solvable(micro, figures, hidden, {cell})


def test_a_level_count_under_k_inside_a_published_cell_is_hidden_with_a_partner():
    counts = {(("D1",), "l1"): 9, (("D1",), "l2"): 7, (("D1",), "l4"): 1,
              (("D2",), "l1"): 6, (("D2",), "l2"): 8}
    micro, figures = cross_table(counts)
    hidden = protect(micro, figures, k=5, keep=[("total",)])
    assert ("level", ("D1",), "l4") in hidden and ("total_level", "l4") in hidden
    assert ("cell", ("D1",)) not in hidden  # the count of 17 stays
    assert not solvable(micro, figures, hidden, {(("D1",), "l4")})


@st.composite
def tables(draw):
    keys = draw(st.integers(1, 3))
    values = [draw(st.integers(1, 3)) for _ in range(keys)]
    levels = draw(st.lists(st.sampled_from(["l0", "l1", "l2", "l3"]), min_size=1, max_size=3,
                           unique=True))
    counts = {}
    for by in itertools.product(*[range(v) for v in values]):
        for level in levels:
            counts[(by, level)] = draw(st.sampled_from([0, 0, 1, 2, 3, 4, 5, 6, 9, 14]))
    return counts


@settings(max_examples=60, deadline=None)
@given(tables(), st.integers(2, 6), st.booleans())
def test_no_suppressed_figure_or_small_micro_cell_can_be_solved_from_what_is_published(
        counts, k, with_equations):
    micro, figures = cross_table(counts)
    equations = cross_equations(figures) if with_equations else ()
    hidden = protect(micro, figures, k=k, keep=[("total",)], equations=equations)
    for key, members in figures.items():
        n = sum(micro[cell] for cell in members)
        if 0 < n < k:
            assert key in hidden
            assert not solvable(micro, figures, hidden, members), key
    for cell, n in micro.items():
        if 0 < n < k:
            assert not solvable(micro, figures, hidden, {cell}), cell


def test_the_equations_of_a_cross_table_hold_for_its_counts():
    counts = {(("A", "x"), "l1"): 3, (("A", "y"), "l2"): 4, (("B", "x"), "l1"): 6}
    micro, figures = cross_table(counts)
    equations = cross_equations(figures)
    value = {key: sum(micro[c] for c in cells) for key, cells in figures.items()}
    assert ((("total",), [("margin", 0, "A"), ("margin", 0, "B")]) in equations)
    for whole, parts in equations:
        assert value[whole] == sum(value[part] for part in parts)


def test_forced_figures_are_suppressed_and_protected_like_small_ones():
    counts = {(("A",), "l1"): 6, (("B",), "l1"): 7, (("C",), "l1"): 9}
    micro, figures = cross_table(counts)
    hidden = protect(micro, figures, k=5, forced=[("cell", ("C",))], keep=[("total",)])
    assert ("cell", ("C",)) in hidden and ("cell", ("A",)) in hidden


def test_central_figures_follow_their_count():
    assert central([10.0, 20.0, 60.0], True) == {"mean": 30.0, "median": 20.0}
    assert central([10.0, 20.0, 60.0], False) == {"mean": None, "median": None}


def test_central_figures_from_the_database_follow_their_count_and_round():
    assert central_figure(47.678, 5, k=5) == 47.7
    assert central_figure(47.678, 5, k=5, digits=0) == 48  # whole points: an int
    assert central_figure(47.678, 4, k=5) is None and central_figure(None, 9, k=5) is None
    assert central_figure(0.0, 5, k=5) == 0.0  # a real zero from enough firms is a figure


@given(st.integers(0, 50), st.integers(2, 10))
def test_a_count_alone_is_published_when_zero_or_from_k_and_never_turned_into_zero(n, k):
    shown = threshold_count(n, k)
    assert shown == (None if 0 < n < k else n)


@given(st.dictionaries(st.tuples(st.sampled_from("abc"), st.integers(0, 4)), st.integers(0, 9),
                       max_size=12), st.integers(2, 6))
def test_rows_by_level_hide_no_small_cell_that_its_row_and_siblings_would_give_away(counts, k):
    micro, figures, equations = rows_by_level(counts)
    hidden = protect(micro, figures, k, equations=equations)
    for key in figures:
        if key not in hidden:
            assert not 0 < sum(micro[cell] for cell in figures[key]) < k
    for key in hidden:
        assert not solvable(micro, figures, hidden, figures[key])


def test_score_band_splits_the_scale_in_quarters():
    assert [score_band(t, 100) for t in (0, 24.99, 25, 49.9, 50, 74.9, 75, 100)] == \
        [0, 0, 1, 1, 2, 2, 3, 3]


def test_peer_position_is_none_below_k_and_a_hand_computed_band_above():
    assert peer_position(50, [10, 20, 30, 40], 100) is None
    # own band 2 (50–75); peers in bands 0, 0, 1, 2, 3 -> 3 below + 1 equal / 2 = 3.5 of 5
    found = peer_position(60, [10, 20, 30, 70, 80], 100)
    assert found == {"count": 5, "position": "upper_middle", "share_below": 70, "band": 2,
                     "bands": 4}


def consistent_totals(observations, attacker_peers, grid):
    """Every victim total the attacker cannot rule out after its observations."""
    return [v for v in grid
            if all(peer_position(t, attacker_peers[i] + [v], 100) == seen
                   for i, (t, seen) in enumerate(observations))]


@settings(max_examples=30, deadline=None)
@given(st.floats(0, 100, allow_nan=False))
def test_the_attack_with_every_peer_but_one_never_pins_the_last_total_to_ten_points(victim):
    # the attacker controls four peers (placed around the scale) and its own total, and asks
    # once per own total on a fine grid: the most an adaptive attacker can learn
    grid = [x / 2 for x in range(201)]
    placements = [[0, 0, 100, 100], [0, 30, 60, 90], [24, 26, 49, 51]]
    observations, peers_used = [], []
    for placement in placements:
        for t in grid:
            observations.append((t, peer_position(t, placement + [victim], 100)))
            peers_used.append(placement)
    possible = consistent_totals(observations, peers_used, grid)
    assert max(possible) - min(possible) > 20


def test_the_audit_names_the_published_figures_that_pin_a_disclosed_cell():
    """The complement is chosen among the figures of the audit's derivation: they must hold the
    cell and, with the cells known on their own, pin it."""
    from diagnosis.disclosure import _Audit

    counts = {(("D1", "micro"), "l1"): 3, (("D1", "small"), "l1"): 8,
              (("D2", "micro"), "l1"): 6, (("D2", "small"), "l1"): 10}
    micro, figures = cross_table(counts)
    sets = {frozenset(cells) for cells in figures.values()}
    target = frozenset({(("D1", "micro"), "l1")})
    audit = _Audit(micro, {cells: cells for cells in sets},
                   {cells: sum(micro[c] for c in cells) for cells in sets})
    assert audit.disclosed({target}, [target]) == [target]
    named = set(audit.derivation(target))
    assert named and all(target <= cells for cells in named)  # only figures holding the cell
    singles = {cells for cells in sets if len(cells) == 1 and cells != target}
    hidden = {key for key, cells in figures.items() if frozenset(cells) not in named | singles}
    assert solvable(micro, figures, hidden, target)
    # once its row and column are hidden too, nothing is named and nothing pins it
    hidden |= {key for key, cells in figures.items() if frozenset(cells) in named}
    assert not solvable(micro, figures, hidden, target)
