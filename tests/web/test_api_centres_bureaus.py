"""The API's report verification and bureau aggregates: the same services as the verification
page and the bureau dashboard (the same table as `flask aggregates`, the same suppression),
the same access (bureau staff only, within their scope)."""
import json
from datetime import datetime, timezone

import pytest

from tests.api_helpers import bearer, is_problem, make_token
from tests.organisation_helpers import make_org, staff_user

LAISHAN, ZHIFU = "莱山区", "芝罘区"


@pytest.fixture
def firms(app):
    """Seven enterprises in 莱山区 at level1, five at level2; three in 芝罘区 at level1."""
    from storage.db import db_session
    from storage.models import Assessment, Enterprise

    with app.app_context():
        for i, (district, level) in enumerate([(LAISHAN, "level1")] * 7 + [(LAISHAN, "level2")]
                                              * 5 + [(ZHIFU, "level1")] * 3):
            firm = Enterprise(name=f"企业{i}", district=district, size_class="small",
                              industry_code="C34")
            db_session.add(firm)
            db_session.flush()
            db_session.add(Assessment(enterprise_id=firm.id, instrument_id="cn-sme-2024",
                                      instrument_version="2.0.0", status="submitted",
                                      answers={}, total=40.0, level_id=level,
                                      submitted_at=datetime(2026, 5, 1, tzinfo=timezone.utc)))
        db_session.commit()


def test_a_bureau_token_gets_the_table_of_flask_aggregates_with_small_groups_suppressed(
        app, client, make_user, firms):
    city = make_org(app, "bureau", name="市工信局")
    analyst = staff_user(app, make_user, city, role="bureau_analyst")
    token = make_token(app, analyst, "aggregates:read")
    reply = client.get("/api/v1/aggregates?instrument=cn-sme-2024&by=district&as_of=2026-06-30",
                       headers=bearer(token))
    assert reply.status_code == 200, reply.get_data(as_text=True)
    printed = app.test_cli_runner().invoke(args=[
        "aggregates", "--instrument", "cn-sme-2024", "--by", "district", "--as-of",
        "2026-06-30", "--format", "json"])
    assert reply.get_json() == json.loads(printed.output)
    table = reply.get_json()
    cells = {c["district"]: c for c in table["cells"]}
    assert table["total"]["n"] == 15
    assert cells[ZHIFU]["n"] is None and cells[ZHIFU]["suppressed"]  # 3 < k = 5
    # ... and 莱山区 too, or the total less its 12 would give 芝罘区's 3 away.
    assert cells[LAISHAN]["n"] is None and cells[LAISHAN]["suppressed"]


def test_a_district_bureau_stays_in_its_district(app, client, make_user, firms):
    laishan = make_org(app, "bureau", name="莱山区工信局", districts=[LAISHAN])
    analyst = staff_user(app, make_user, laishan, role="bureau_analyst")
    token = make_token(app, analyst, "aggregates:read")
    outside = client.get(f"/api/v1/aggregates?by=district&district={ZHIFU}",
                         headers=bearer(token, "en"))
    assert list(is_problem(outside, 422, "invalid_input")["errors"]) == ["district"]
    inside = client.get("/api/v1/aggregates?by=district", headers=bearer(token)).get_json()
    assert [c["district"] for c in inside["cells"]] == [LAISHAN]


@pytest.mark.parametrize("query, field", [("by=colour", "by"), ("instrument=nope", "instrument"),
                                          ("as_of=yesterday", "as_of"),
                                          ("size_class=huge", "size_class")])
def test_bad_aggregate_filters_are_named(app, client, make_user, query, field):
    city = make_org(app, "bureau")
    token = make_token(app, staff_user(app, make_user, city, role="bureau_analyst"),
                       "aggregates:read")
    body = is_problem(client.get(f"/api/v1/aggregates?{query}", headers=bearer(token)), 422)
    assert field in body["errors"]


def test_nobody_but_bureau_staff_gets_aggregates(app, client, sme_user, make_user):
    is_problem(client.get("/api/v1/aggregates", headers=bearer(make_token(app, sme_user))), 404)
    centre = make_org(app, "centre")
    admin = staff_user(app, make_user, centre, role="centre_admin")
    is_problem(client.get("/api/v1/aggregates", headers=bearer(make_token(
        app, admin, "aggregates:read", "--organisation", str(centre)))), 404)


def test_verification_says_genuine_only_for_the_number_and_code_together(app, client, db,
                                                                        sme_user, token=None):
    from storage.consultation_models import OnSiteAssessment
    from storage.models import Assessment

    centre = make_org(app, "centre")
    row = Assessment(enterprise_id=sme_user.enterprise_id, instrument_id="cn-sme-2024",
                     instrument_version="2.0.0", status="submitted", answers={}, total=50.0,
                     result={"level": {"id": "level2", "rank": 2, "name": {"zh": "二级",
                                                                           "en": "Level 2"}}})
    db.add(row)
    db.flush()
    db.add(OnSiteAssessment(assessment_id=row.id, organisation_id=centre, state="signed",
                            self_answers={}, item_states={}, report_number="YT2026-0001",
                            verification_code="ABCD-EFGH-JKLM"))
    db.commit()
    token = make_token(app, sme_user, "reports:read")
    genuine = client.post("/api/v1/verification", headers=bearer(token),
                          json={"report_number": "yt2026-0001", "code": "abcd efgh jklm"})
    assert genuine.get_json() == {"genuine": True, "report_number": "YT2026-0001",
                                  "level": {"id": "level2", "rank": 2,
                                            "name": {"zh": "二级", "en": "Level 2"}}}
    wrong = client.post("/api/v1/verification", headers=bearer(token),
                        json={"report_number": "YT2026-0001", "code": "ABCD-EFGH-JKLX"})
    assert wrong.get_json() == {"genuine": False}
    is_problem(client.post("/api/v1/verification", headers=bearer(token),
                           json={"report_number": "x" * 101, "code": ""}), 422)
