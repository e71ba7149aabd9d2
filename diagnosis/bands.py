"""Rate bands: reading them from a file, checking they tile 0..1, and finding a rate's band.

Two notations. Intervals say which ends belong to the band, as the national index does
("(10 %, 20 %]" pays 1.5 points, exactly 10 % pays the band below):

    bands:
      - {range: "[0, 0.1]", share: 0}
      - {range: "(0.1, 0.2]", share: 0.25}

The older `{min: x, share: s}` means "from x (included) up to the next band's minimum".
"""
import math
import re

from .model import Band

TOLERANCE = 1e-9   # a rate this close to a band's end counts as that end (0.3 / 3 is 0.1)
_NUMBER = r"(\d+(?:\.\d+)?)"
_RANGE = re.compile(rf"^\s*([\[(])\s*{_NUMBER}\s*,\s*{_NUMBER}\s*([\])])\s*$")


def read_bands(raw, path, r):
    """The item's bands as Band objects, every problem reported with its path."""
    rows = r.seq(raw, path)
    if not rows:
        return ()
    interval = [isinstance(b, dict) and "range" in b for b in rows]
    if any(interval) and not all(interval):
        r.bad(path, "write every band as {range, share} or every band as {min, share}, not both")
        return ()
    if all(interval):
        bands = [_interval(b, f"{path}[{i}]", r) for i, b in enumerate(rows)]
        bands = [b for b in bands if b is not None]
        if len(bands) == len(rows):
            _tiles(bands, path, r)
    else:
        bands = _minima(rows, path, r)
    if bands:
        shares = [b.share for b in bands]
        if any(b < a for a, b in zip(shares, shares[1:])):
            r.bad(path, f"band shares must never decrease, got {shares}")
        if abs(shares[-1] - 1) > TOLERANCE:
            r.bad(path, "the highest band must pay the full points (share 1)")
    return tuple(bands)


def _interval(b, path, r):
    b = r.mapping(b, path, required=("range", "share"))
    share = float(r.number(b.get("share", 0), f"{path}.share", lo=0, hi=1))
    text = b.get("range")
    found = _RANGE.match(text) if isinstance(text, str) else None
    if found is None:
        r.bad(f"{path}.range", f"{text!r} is not an interval like '(0.1, 0.2]' "
                               "('[' or ']' includes that end, '(' or ')' leaves it out)")
        return None
    opening, low, high, closing = found.groups()
    low, high = float(low), float(high)
    if not 0 <= low < high <= 1:
        r.bad(f"{path}.range", f"{text!r}: the ends must satisfy 0 <= low < high <= 1")
        return None
    return Band(low=low, high=high, share=share, low_closed=opening == "[", high_closed=closing == "]")


def _tiles(bands, path, r):
    """Every rate from 0 to 1 falls in exactly one band."""
    first, last = bands[0], bands[-1]
    if first.low != 0 or not first.low_closed:
        r.bad(f"{path}[0].range", "the first band must start at 0, included: '[0, ...'")
    if last.high != 1 or not last.high_closed:
        r.bad(f"{path}[{len(bands) - 1}].range", "the last band must end at 1, included: '..., 1]'")
    for i, (a, b) in enumerate(zip(bands, bands[1:]), start=1):
        where = f"{path}[{i}].range"
        if b.low > a.high:
            r.bad(where, f"gap: rates between {a.high:g} and {b.low:g} fall in no band")
        elif b.low < a.high:
            r.bad(where, f"overlap: bands[{i - 1}] runs to {a.high:g} but bands[{i}] starts at {b.low:g}")
        elif a.high_closed and b.low_closed:
            r.bad(where, f"overlap: a rate of exactly {b.low:g} falls in bands[{i - 1}] and bands[{i}] "
                         "(both include it; open one end with '(' or ')')")
        elif not a.high_closed and not b.low_closed:
            r.bad(where, f"gap: a rate of exactly {b.low:g} falls in no band (bands[{i - 1}] and "
                         f"bands[{i}] both leave it out; close one end with '[' or ']')")


def _minima(rows, path, r):
    minima, shares = [], []
    for i, b in enumerate(rows):
        p = f"{path}[{i}]"
        b = r.mapping(b, p, required=("min", "share"))
        minima.append(float(r.number(b.get("min", 0), f"{p}.min", lo=0, hi=1)))
        shares.append(float(r.number(b.get("share", 0), f"{p}.share", lo=0, hi=1)))
    if minima[0] != 0:
        r.bad(f"{path}[0].min", "the first band must start at 0")
    if any(b <= a for a, b in zip(minima, minima[1:])):
        r.bad(path, f"band minima must strictly increase, got {minima}")
        return [Band(low=m, high=1.0, share=s) for m, s in zip(minima, shares)]
    highs = minima[1:] + [1.0]
    return [Band(low=lo, high=hi, share=s, low_closed=True, high_closed=k == len(minima) - 1)
            for k, (lo, hi, s) in enumerate(zip(minima, highs, shares))]


def band_of(q, rate):
    """The Band a rate (0..1) falls in, or None."""
    for band in q.bands:
        if band.contains(rate, TOLERANCE):
            return band
    return None


def band_share(q, rate):
    """The share of the item's points a rate earns."""
    band = band_of(q, rate)
    return band.share if band is not None else 0.0


def numerator_into(q, band, denominator):
    """The smallest numerator (a whole number when the denominator is one) whose rate over
    `denominator` falls in `band`."""
    d = denominator
    start = band.low * d
    if float(d).is_integer():
        for n in (math.ceil(start - TOLERANCE * d), math.ceil(start - TOLERANCE * d) + 1):
            if n <= d and band.contains(n / d, TOLERANCE):
                return n
    if band.contains(band.low, TOLERANCE):
        return start
    step = 0.01  # an open end: the next hundredth above it
    return min(d, math.floor(start / step + 1e-6) * step + step)
