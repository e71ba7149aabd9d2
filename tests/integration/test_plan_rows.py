"""The modules of the default plan are kept as rows on submission (the bureaus' plan demand):
the same modules the plan page shows first, none where the catalogue does not plan for the
instrument, and counted per enterprise by bureau_figures.plan_demand."""
from sqlalchemy import select

from tests.api_helpers import bearer, make_token
from tests.integration.test_report_support import ANSWERS, ENTERPRISE


def _kept(app, aid):
    from storage.db import db_session
    from storage.models import AssessmentPlanModule

    with app.app_context():
        return set(db_session.scalars(select(AssessmentPlanModule.module_id)
                                      .where(AssessmentPlanModule.assessment_id == aid)))


def _profiled(app, enterprise_id):
    from storage.db import db_session
    from storage.models import Enterprise

    with app.app_context():
        row = db_session.get(Enterprise, enterprise_id)
        for key, value in ENTERPRISE.items():
            if key != "name":
                setattr(row, key, value)
        db_session.commit()


def _submit_by_api(app, client, token, instrument, answers):
    aid = client.post("/api/v1/assessments", headers=bearer(token),
                      json={"instrument": instrument}).get_json()["id"]
    assert client.put(f"/api/v1/assessments/{aid}/answers", headers=bearer(token),
                      json={"answers": answers}).status_code == 200
    reply = client.post(f"/api/v1/assessments/{aid}/submit", headers=bearer(token),
                        json={"pledge": True})
    assert reply.status_code == 200, reply.get_data(as_text=True)
    return aid


def test_a_submission_keeps_the_modules_the_plan_page_shows_first(app, client, sme_user):
    from services import planning

    _profiled(app, sme_user.enterprise_id)
    aid = _submit_by_api(app, client, make_token(app, sme_user), "cn-sme-2024", ANSWERS)
    with app.app_context():
        plan = planning.plan_for_assessment(aid, app.config).to_dict()
    shown = {m["id"] for phase in plan["phases"] for m in phase["modules"]}
    assert shown and _kept(app, aid) == shown


def test_no_rows_where_the_catalogue_does_not_plan_for_the_instrument(app, client, sme_user):
    import json

    from tests.web.test_api import MIXED

    aid = _submit_by_api(app, client, make_token(app, sme_user), "quick-check",
                         json.loads(json.dumps(MIXED)))
    assert _kept(app, aid) == set()


def test_a_service_call_without_settings_keeps_no_plan(app, sme_user):
    from tests.integration.test_report_support import submit_assessment

    assert _kept(app, submit_assessment(app, sme_user.enterprise_id, sme_user.id)) == set()
