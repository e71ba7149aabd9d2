"""Peer comparison: where an assessment's total stands among similar enterprises.

Peers are other enterprises' latest submitted assessments of the same instrument (and version:
two versions' totals measure different things), submitted
no later than the one compared (so a report says the same thing whenever it is rendered),
from enterprises of the same size class and the same industry: the same GB/T 4754 大类 when
that group is large enough, else the same 门类. Nothing is shown below k peers, and what is
shown is a quartile band computed by diagnosis.disclosure from banded totals, so that even an
attacker controlling every peer but one cannot read the last one's total off it.
"""
from sqlalchemy import text

from diagnosis import disclosure
from storage.db import db_session

_PEER_TOTALS = text("""
    SELECT a.total
    FROM assessments a
    JOIN enterprises e ON e.id = a.enterprise_id
    WHERE a.id IN (
        SELECT MAX(latest.id) FROM assessments latest
        WHERE latest.status = 'submitted'
          AND latest.instrument_id = :instrument_id
          AND latest.instrument_version = :version
          AND latest.submitted_at <= :as_of
        GROUP BY latest.enterprise_id)
      AND a.total IS NOT NULL
      AND e.id <> :enterprise_id
      AND e.size_class = :size_class
      AND e.industry_code LIKE :industry_prefix
""")


def peer_totals(instrument_id, version, enterprise_id, size_class, industry_prefix, as_of):
    """Totals of the peer group (plain SQL over assessments and enterprises)."""
    rows = db_session.execute(_PEER_TOTALS, {
        "instrument_id": instrument_id, "version": version, "enterprise_id": enterprise_id,
        "size_class": size_class, "industry_prefix": f"{industry_prefix}%", "as_of": as_of})
    return [float(total) for (total,) in rows]


def compare(instrument_id, enterprise_id, industry_code, size_class, total, as_of, version,
            max_total=100.0, k=disclosure.DEFAULT_K):
    """The peer comparison of one assessment as plain data.

    Returns {shown, count, min_peers, industry, industry_level ("division"|"section"),
    size_class, as_of, position, share_below, band, bands}: the position among peers from
    diagnosis.disclosure.peer_position (quartile band from totals banded by a quarter of the
    scale), only when shown. No peer's total or median is published.
    """
    base = {"shown": False, "count": 0, "min_peers": k, "industry": None,
            "industry_level": None, "size_class": size_class,
            "as_of": as_of.strftime("%Y-%m-%d") if as_of else None,
            "position": None, "share_below": None, "band": None, "bands": disclosure.PEER_BANDS}
    if not industry_code or not size_class or total is None or as_of is None:
        return base
    for prefix, level in ((industry_code, "division"), (industry_code[0], "section")):
        totals = peer_totals(instrument_id, version, enterprise_id, size_class, prefix, as_of)
        found = {**base, "count": len(totals), "industry": prefix, "industry_level": level}
        position = disclosure.peer_position(total, totals, max_total or 100.0, k)
        if position is not None:
            return {**found, **position, "shown": True}
    return found
