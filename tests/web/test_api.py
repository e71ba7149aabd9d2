"""JSON API v1: the same services as the pages and the command line (same result and plan
JSON, same answer checks and messages), problem+json for every refusal, pagination, access
as on the pages (another tenant's ids are 404, outsiders' reads are audited)."""
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from storage.models import Assessment
from tests.api_helpers import bearer, is_problem, make_token
from tests.organisation_helpers import audit_count, consent, make_org, staff_user

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
MIXED = json.loads((EXAMPLES / "quick-check" / "mixed.json").read_text(encoding="utf-8"))
PROFILE = json.loads((EXAMPLES / "profile-manufacturing.json").read_text(encoding="utf-8"))


@pytest.fixture
def token(app, sme_user):
    return make_token(app, sme_user)


def _draft(client, token, instrument="quick-check"):
    reply = client.post("/api/v1/assessments", headers=bearer(token),
                        json={"instrument": instrument})
    assert reply.status_code == 201, reply.get_data(as_text=True)
    return reply.get_json()["id"]


def _submitted(client, token, answers=MIXED):
    aid = _draft(client, token)
    assert client.put(f"/api/v1/assessments/{aid}/answers", headers=bearer(token),
                      json={"answers": answers}).status_code == 200
    reply = client.post(f"/api/v1/assessments/{aid}/submit", headers=bearer(token),
                        json={"pledge": True})
    assert reply.status_code == 200, reply.get_data(as_text=True)
    return aid


# --- instruments, catalogue, pagination ---------------------------------------------------

def test_instruments_are_listed_a_page_at_a_time_with_a_link_header(client, token):
    first = client.get("/api/v1/instruments?per_page=2", headers=bearer(token))
    body = first.get_json()
    assert body["total"] == 3 and body["page"] == 1 and len(body["items"]) == 2
    assert 'page=2&per_page=2>; rel="next"' in first.headers["Link"]
    assert 'page=2&per_page=2>; rel="last"' in first.headers["Link"]
    last = client.get("/api/v1/instruments?per_page=2&page=2", headers=bearer(token))
    assert len(last.get_json()["items"]) == 1 and 'rel="next"' not in last.headers["Link"]
    ids = {i["id"] for i in body["items"] + last.get_json()["items"]}
    assert ids == {"quick-check", "cn-sme-2024", "eu-dma"}


@pytest.mark.parametrize("query", ["page=0", "per_page=101", "per_page=x", "unknown=1"])
def test_bad_paging_values_are_named(client, token, query):
    body = is_problem(client.get(f"/api/v1/instruments?{query}", headers=bearer(token)), 422,
                      "invalid_input")
    assert set(body["errors"]) == {query.split("=")[0]}


def test_an_instrument_comes_with_its_questions_in_both_languages(client, token):
    body = client.get("/api/v1/instruments/quick-check", headers=bearer(token)).get_json()
    assert body["version"] == "1.0.0" and len(body["items"]) == 11
    network = next(q for q in body["items"] if q["id"] == "qc_network")
    assert network["text"]["zh"] and network["text"]["en"]
    assert "partial" in {o["id"] for o in network["options"]}
    old = client.get("/api/v1/instruments/cn-sme-2024?version=1.0.0", headers=bearer(token))
    assert old.get_json()["version"] == "1.0.0"
    is_problem(client.get("/api/v1/instruments/nope", headers=bearer(token)), 404, "not_found")
    is_problem(client.get("/api/v1/instruments/cn-sme-2024?version=9", headers=bearer(token)),
               404)


def test_the_catalogue_lists_modules_and_providers(client, token):
    modules = client.get("/api/v1/catalogue/modules?per_page=100", headers=bearer(token))
    providers = client.get("/api/v1/catalogue/providers", headers=bearer(token))
    assert modules.status_code == providers.status_code == 200
    assert all("id" in m and "name" in m for m in modules.get_json()["items"])
    assert providers.get_json()["total"] >= len(providers.get_json()["items"]) > 0


# --- scoring and planning are the command line's JSON ---------------------------------------

def test_scoring_gives_the_same_json_as_flask_diagnose(app, client, token):
    printed = app.test_cli_runner().invoke(args=[
        "diagnose", "--instrument", "quick-check", "--answers",
        str(EXAMPLES / "quick-check" / "mixed.json"), "--profile",
        str(EXAMPLES / "profile-manufacturing.json")])
    reply = client.post("/api/v1/score", headers=bearer(token),
                        json={"instrument": "quick-check", "answers": MIXED, "profile": PROFILE})
    assert reply.status_code == 200
    assert reply.get_json() == json.loads(printed.output)


def test_planning_gives_the_same_json_as_flask_plan(app, client, token):
    printed = app.test_cli_runner().invoke(args=[
        "plan", "--instrument", "cn-sme-2024", "--answers",
        str(EXAMPLES / "cn-sme-2024" / "mixed.json"), "--profile",
        str(EXAMPLES / "profile-manufacturing.json"), "--budget", "150000"])
    answers = json.loads((EXAMPLES / "cn-sme-2024" / "mixed.json").read_text(encoding="utf-8"))
    # Sent in the file's key order (the test client's `json=` would sort the keys, and the
    # plan's explanations list the changes in the order the answers came).
    body = json.dumps({"instrument": "cn-sme-2024", "answers": answers, "profile": PROFILE,
                       "budget": 150000})
    reply = client.post("/api/v1/plan", headers=bearer(token), data=body,
                        content_type="application/json")
    assert reply.status_code == 200, reply.get_data(as_text=True)
    assert reply.get_json() == json.loads(printed.output)


def test_answers_that_cannot_be_scored_are_named_in_the_callers_language(client, token):
    answers = dict(MIXED, qc_network="everywhere", qc_skills=99)
    zh = is_problem(client.post("/api/v1/score", headers=bearer(token, "zh-CN,zh;q=0.9"),
                                json={"instrument": "quick-check", "answers": answers}),
                    422, "answers_rejected")
    en = is_problem(client.post("/api/v1/score", headers=bearer(token, "en-GB,en;q=0.8"),
                                json={"instrument": "quick-check", "answers": answers}), 422)
    assert set(zh["errors"]) == set(en["errors"]) == {"qc_network", "qc_skills"}
    assert zh["errors"]["qc_network"] == ["请从给出的选项中选择。"]
    assert en["errors"]["qc_network"] == ["Choose one of the options offered."]
    assert zh["title"] == "答案未保存" and en["title"] == "Answers not saved"


@pytest.mark.parametrize("body, field", [
    ({"instrument": "nope", "answers": {}}, "instrument"),
    ({"instrument": "quick-check", "version": "9.9.9", "answers": {}}, "version"),
    ({"instrument": "quick-check"}, "answers"),
    ({"instrument": "quick-check", "answers": [], "extra": 1}, "extra"),
    ({"instrument": "quick-check", "answers": {}, "profile": {"employees": -1}},
     "profile.employees"),
])
def test_bad_scoring_requests_name_the_field(client, token, body, field):
    found = is_problem(client.post("/api/v1/score", headers=bearer(token), json=body), 422)
    assert field in found["errors"]


def test_a_plan_target_that_is_no_level_is_named(client, token):
    found = is_problem(client.post("/api/v1/plan", headers=bearer(token), json={
        "instrument": "quick-check", "answers": MIXED, "budget": 1, "target_level": "L9"}), 422)
    assert list(found["errors"]) == ["target_level"]


# --- bodies that are not JSON ------------------------------------------------------------

@pytest.mark.parametrize("data, content_type, status, code", [
    ("{bad", "application/json", 400, "malformed_json"),
    ('{"instrument": NaN}', "application/json", 400, "malformed_json"),
    (b'{"instrument": "\xff"}', "application/json", 400, "malformed_json"),
    ('{"instrument": "quick-check"}', "text/plain", 415, "unsupported_media_type"),
    ("instrument=quick-check", "application/x-www-form-urlencoded", 415,
     "unsupported_media_type"),
    ("[1, 2]", "application/json", 422, "invalid_input"),
    ("x" * (1024 * 1024 + 1), "application/json", 413, "payload_too_large"),
])
def test_bodies_that_are_not_a_json_object_are_refused_and_nothing_is_made(
        client, db, token, data, content_type, status, code):
    reply = client.post("/api/v1/assessments", headers=bearer(token), data=data,
                        content_type=content_type)
    is_problem(reply, status, code)
    assert db.scalar(select(Assessment.id)) is None


# --- assessments ---------------------------------------------------------------------------

def test_a_draft_is_filled_submitted_and_scored_as_the_questionnaire_does(app, client, db, token):
    aid = _draft(client, token)
    saved = client.put(f"/api/v1/assessments/{aid}/answers", headers=bearer(token),
                       json={"answers": {"qc_network": "partial"}})
    assert saved.get_json() == {"saved": True, "message": "所有答案已保存。", "answered": 1,
                                "required": 11, "visible": sorted(saved.get_json()["visible"]),
                                "dropped": []}
    early = client.post(f"/api/v1/assessments/{aid}/submit", headers=bearer(token),
                        json={"pledge": True})
    assert "qc_devices" in is_problem(early, 422, "answers_rejected")["errors"]
    is_problem(client.get(f"/api/v1/assessments/{aid}/result", headers=bearer(token)), 409,
               "not_submitted")
    client.put(f"/api/v1/assessments/{aid}/answers", headers=bearer(token),
               json={"answers": MIXED})
    done = client.post(f"/api/v1/assessments/{aid}/submit", headers=bearer(token),
                       json={"pledge": True}).get_json()
    expected = client.post("/api/v1/score", headers=bearer(token), json={
        "instrument": "quick-check", "answers": MIXED, "profile": {}}).get_json()
    assert done["result"]["total"] == expected["total"]
    assert client.get(f"/api/v1/assessments/{aid}/result",
                      headers=bearer(token)).get_json() == done["result"]
    again = client.put(f"/api/v1/assessments/{aid}/answers", headers=bearer(token),
                       json={"answers": {"qc_network": "none"}})
    assert is_problem(again, 409, "conflict")["detail"] == "此评测已提交，不能再修改。"
    listed = client.get("/api/v1/assessments?status=submitted", headers=bearer(token)).get_json()
    assert [a["id"] for a in listed["items"]] == [aid] and listed["items"][0]["level_id"]


def test_the_full_assessment_needs_the_pledge_the_quick_check_does_not(client, token):
    full = _draft(client, token, "cn-sme-2024")
    unpledged = client.post(f"/api/v1/assessments/{full}/submit", headers=bearer(token),
                            json={"pledge": False})
    assert list(is_problem(unpledged, 422, "pledge_required")["errors"]) == ["pledge"]
    quick = _draft(client, token)
    client.put(f"/api/v1/assessments/{quick}/answers", headers=bearer(token),
               json={"answers": MIXED})
    done = client.post(f"/api/v1/assessments/{quick}/submit", headers=bearer(token), json={})
    assert done.status_code == 200 and done.get_json()["status"] == "submitted"


def test_a_refused_answer_saves_nothing_and_says_what_autosave_says(client, db, token):
    aid = _draft(client, token)
    client.put(f"/api/v1/assessments/{aid}/answers", headers=bearer(token),
               json={"answers": {"qc_network": "partial"}})
    refused = client.put(f"/api/v1/assessments/{aid}/answers", headers=bearer(token), json={
        "answers": {"qc_plan": "idea", "qc_skills": "many", "not_a_question": 1}})
    body = is_problem(refused, 422, "answers_rejected")
    assert body["detail"] == "未保存：请修改标出的答案。"
    assert "not_a_question" in body["errors"]
    db.expire_all()
    assert db.get(Assessment, aid).answers == {"qc_network": "partial"}


def test_an_empty_change_is_refused(client, token):
    aid = _draft(client, token)
    is_problem(client.put(f"/api/v1/assessments/{aid}/answers", headers=bearer(token),
                          json={"answers": {}}), 422, "invalid_input")


@pytest.mark.parametrize("path", ["/api/v1/assessments/{id}", "/api/v1/assessments/{id}/result",
                                  "/api/v1/assessments/{id}/report/status?lang=zh"])
def test_another_tenants_assessment_is_not_found_and_unchanged(app, client, db, token,
                                                              other_sme_user, path):
    theirs = make_token(app, other_sme_user)
    aid = _submitted(client, theirs)
    for some_id in (aid, 999999, 2**31 - 1, 2**31, 2**63 - 1, 2**63, 2**64):
        is_problem(client.get(path.format(id=some_id), headers=bearer(token)), 404)
    for method, tail, body in (("put", "answers", {"answers": {"qc_network": "none"}}),
                               ("post", "submit", {"pledge": True}),
                               ("post", "report", {"lang": "zh"})):
        reply = getattr(client, method)(f"/api/v1/assessments/{aid}/{tail}",
                                        headers=bearer(token), json=body)
        is_problem(reply, 404)
    db.expire_all()
    assert db.get(Assessment, aid).answers == MIXED
    assert audit_count(db) == 0


def test_a_consented_centre_reads_through_its_service_token_audited_until_revoked(
        app, client, db, sme_user, token, make_user):
    aid = _submitted(client, token)
    centre = make_org(app, "centre")
    admin = staff_user(app, make_user, centre, role="centre_admin")
    service = make_token(app, admin, "assessments:read,assessments:write", "--organisation",
                         str(centre))
    is_problem(client.get(f"/api/v1/assessments/{aid}", headers=bearer(service)), 404)
    consent_id = consent(app, sme_user.enterprise_id, centre)
    before = audit_count(db, sme_user.enterprise_id)
    seen = client.get(f"/api/v1/assessments/{aid}", headers=bearer(service))
    assert seen.status_code == 200 and seen.get_json()["answers"] == MIXED
    listed = client.get(f"/api/v1/assessments?enterprise_id={sme_user.enterprise_id}",
                        headers=bearer(service)).get_json()
    assert [a["id"] for a in listed["items"]] == [aid]
    assert audit_count(db, sme_user.enterprise_id) == before + 2
    is_problem(client.put(f"/api/v1/assessments/{aid}/answers", headers=bearer(service),
                          json={"answers": {"qc_network": "none"}}), 404)
    is_problem(client.post("/api/v1/assessments", headers=bearer(service),
                           json={"instrument": "quick-check"}), 404)
    from storage.organisation_models import Consent
    db.get(Consent, consent_id).status = "revoked"
    db.commit()
    is_problem(client.get(f"/api/v1/assessments/{aid}", headers=bearer(service)), 404)
    is_problem(client.get(f"/api/v1/assessments?enterprise_id={sme_user.enterprise_id}",
                          headers=bearer(service)), 404)


# --- reports -------------------------------------------------------------------------------

def test_a_report_is_requested_polled_and_downloaded(client, token):
    aid = _submitted(client, token)
    is_problem(client.get(f"/api/v1/assessments/{aid}/report.pdf?lang=en",
                          headers=bearer(token)), 404)
    made = client.post(f"/api/v1/assessments/{aid}/report", headers=bearer(token),
                       json={"lang": "en"})
    state = made.get_json()
    assert made.status_code == 200 and state["status"] == "ready" and state["report_id"]
    assert client.get(f"/api/v1/assessments/{aid}/report/status?lang=en",
                      headers=bearer(token)).get_json() == state
    pdf = client.get(state["download"], headers=bearer(token))
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    assert pdf.headers["X-Report-Id"] == state["report_id"]


def test_a_draft_has_no_report(client, token):
    aid = _draft(client, token)
    is_problem(client.post(f"/api/v1/assessments/{aid}/report", headers=bearer(token),
                           json={"lang": "zh"}), 409, "not_submitted")


# --- limits and the document ---------------------------------------------------------------

@pytest.mark.app_config(RATELIMIT_ENABLED=True)
def test_each_token_has_its_own_rate_limit(app, client, sme_user, monkeypatch):
    from services import api_tokens
    small = api_tokens.ApiSettings(api_tokens.settings().scopes, 30, "3 per minute")
    monkeypatch.setattr(api_tokens, "settings", lambda: small)
    first, second = make_token(app, sme_user), make_token(app, sme_user)
    assert [client.get("/api/v1/instruments", headers=bearer(first)).status_code
            for _ in range(3)] == [200, 200, 200]
    is_problem(client.get("/api/v1/instruments", headers=bearer(first)), 429, "rate_limited")
    assert client.get("/api/v1/instruments", headers=bearer(second)).status_code == 200


def test_the_openapi_document_covers_every_api_route(app, client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"] == "3.1.0"
    routes = {(str(r.rule).replace("<int:", "{").replace("<string(maxlength=64):", "{")
               .replace(">", "}"), m.lower())
              for r in app.url_map.iter_rules() if str(r.rule).startswith("/api/v1/")
              for m in r.methods - {"HEAD", "OPTIONS"}}
    documented = {(p, m) for p, ops in doc["paths"].items() for m in ops}
    assert routes - documented == {("/api/v1/openapi.json", "get"), ("/api/v1/docs", "get")}
    score = doc["paths"]["/api/v1/score"]["post"]
    assert score["security"] == [{"bearer": ["assessments:read"]}]
    assert "application/problem+json" in score["responses"]["422"]["content"]


def test_the_documentation_page_is_served_here_in_both_languages(client):
    zh = client.get("/api/v1/docs").get_data(as_text=True)
    assert "API 文档" in zh and "/api/v1/score" in zh and "<script" not in zh
    client.post("/auth/language", data={"locale": "en"})
    assert "API documentation" in client.get("/api/v1/docs").get_data(as_text=True)


def test_a_method_the_address_does_not_take_is_a_405_problem_naming_the_allowed_ones(client,
                                                                                    token):
    reply = client.delete("/api/v1/score", headers=bearer(token))
    is_problem(reply, 405, "method_not_allowed")
    assert "POST" in reply.headers["Allow"]
