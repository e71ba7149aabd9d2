"""Every operation the OpenAPI document lists refuses a caller without a usable token — none, a
revoked one, an expired one (401) — and a token without the operation's scope (403): each a
problem+json, and nothing changed. The operations are read from the document itself, so a new
endpoint is swept as soon as it is documented."""
import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from storage.api_models import ApiToken
from storage.models import Assessment
from storage.report_models import StoredReport
from tests.api_helpers import ALL_SCOPES, bearer, is_problem, make_token

METHODS = {"get", "post", "put", "patch", "delete"}


def _operations(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    for path, methods in sorted(doc["paths"].items()):
        for method, operation in sorted(methods.items()):
            if method in METHODS:
                scopes = [scope for requirement in operation.get("security", doc["security"])
                          for scope in requirement.get("bearer", [])]
                yield method, path, scopes


def _state(db, aid):
    db.expire_all()
    draft = db.get(Assessment, aid)
    return (db.scalar(select(func.count(Assessment.id))), draft.status, dict(draft.answers),
            db.scalar(select(func.count(StoredReport.id))))


def _token_row(db, token):
    return db.scalar(select(ApiToken).where(
        ApiToken.token_hash == hashlib.sha256(token.encode()).hexdigest()))


@pytest.fixture
def setting(app, client, db, sme_user):
    """A draft of the caller's own (so an id is never the reason for a refusal), a revoked and an
    expired token of the same person with every scope."""
    owner = make_token(app, sme_user)
    reply = client.post("/api/v1/assessments", headers=bearer(owner),
                        json={"instrument": "quick-check"})
    assert reply.status_code == 201
    revoked, expired = make_token(app, sme_user), make_token(app, sme_user, ALL_SCOPES,
                                                              "--expires", "1d")
    db.expire_all()
    _token_row(db, revoked).revoked_at = _token_row(db, revoked).created_at
    row = _token_row(db, expired)
    row.expires_at = row.created_at - timedelta(seconds=1)
    db.commit()
    return {"aid": reply.get_json()["id"], "revoked": revoked, "expired": expired}


def _call(client, method, path, aid, headers):
    url = path.replace("{assessment_id}", str(aid)).replace("{instrument_id}", "quick-check")
    body = {"answers": {"qc_network": "partial"}, "pledge": True, "instrument": "quick-check"}
    return client.open(url, method=method.upper(), headers=headers,
                       json=body if method != "get" else None)


def test_every_operation_is_swept(client):
    operations = list(_operations(client))
    assert len(operations) >= 18 and all(scopes for _m, _p, scopes in operations)


def test_no_revoked_or_expired_token_passes_any_operation(app, client, db, sme_user, setting):
    aid = setting["aid"]
    before = _state(db, aid)
    for method, path, _scopes in _operations(client):
        for headers in ({}, bearer(setting["revoked"]), bearer(setting["expired"])):
            reply = _call(client, method, path, aid, headers)
            is_problem(reply, 401, "unauthorized")
    assert _state(db, aid) == before


def test_a_token_without_the_operations_scope_is_refused_by_every_operation(
        app, client, db, sme_user, setting):
    aid = setting["aid"]
    before = _state(db, aid)
    everything = ALL_SCOPES.split(",")
    for method, path, scopes in _operations(client):
        others = [scope for scope in everything if scope not in scopes]
        token = make_token(app, sme_user, ",".join(others))
        reply = _call(client, method, path, aid, bearer(token))
        is_problem(reply, 403, "insufficient_scope")
    assert _state(db, aid) == before
