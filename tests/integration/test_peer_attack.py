"""The attack of issue 13 on the peer comparison, performed on a real database.

Four accounts of the same profile submit chosen totals, and a fifth (the attacker's own)
reads its comparison again and again with chosen totals of its own; the one real peer's total
must not come out to within ±10 points.
"""
from datetime import datetime, timedelta, timezone

from diagnosis.disclosure import peer_position
from services import peers
from tests.integration.test_report_service import submit_profile
from tests.integration.test_report_support import insert_submitted

VICTIM_TOTAL = 47.68
START = datetime(2026, 1, 1, tzinfo=timezone.utc)


def test_controlling_every_peer_but_one_does_not_recover_the_last_total(app, make_user):
    victim = make_user(enterprise="victim")
    submit_profile(app, victim.enterprise_id, "C34")
    insert_submitted(app, victim.enterprise_id, VICTIM_TOTAL, submitted_at=START)
    attackers = [make_user(enterprise=f"attacker {i}") for i in range(4)]
    for user in attackers:
        submit_profile(app, user.enterprise_id, "C34")
    me = make_user(enterprise="attacker's own")
    observations = []  # (placement of the four, own total, what the report shows)
    when = START
    placements = [(0.0, 0.0, 100.0, 100.0), (0.0, 40.0, 55.0, 100.0), (24.0, 26.0, 49.0, 51.0)]
    with app.app_context():
        for placement in placements:
            when += timedelta(days=1)
            for user, total in zip(attackers, placement):
                insert_submitted(app, user.enterprise_id, total, submitted_at=when)
            for step in range(0, 201, 2):  # own totals 0, 1, …, 100
                shown = peers.compare("cn-sme-2024", me.enterprise_id, "C34", "small",
                                      step / 2, when + timedelta(hours=1), "2.0.0")
                assert shown["shown"] and shown["count"] == 5
                assert "median" not in shown and "percentile" not in shown
                observations.append((placement, step / 2, shown))
    keys = ("count", "position", "share_below", "band", "bands")
    candidates = sorted([v / 10 for v in range(1001)] + [VICTIM_TOTAL])
    possible = [v for v in candidates
                if all(peer_position(own, list(placement) + [v], 100)
                       == {key: shown[key] for key in keys}
                       for placement, own, shown in observations)]
    assert VICTIM_TOTAL in possible  # the model of what is published is the real one
    assert max(possible) - min(possible) > 20  # yet the total is not pinned to ±10 points
