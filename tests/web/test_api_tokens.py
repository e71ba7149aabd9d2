"""API tokens: made by the command line or the tokens page, shown once, stored hashed, scoped,
listed with last use, revocable, expiring; service tokens act only for their organisation."""
import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import select

from storage.api_models import ApiToken
from tests.api_helpers import bearer, is_problem, make_token
from tests.organisation_helpers import make_org, staff_user


def _row(db, token):
    db.expire_all()
    return db.scalar(select(ApiToken).where(
        ApiToken.token_hash == hashlib.sha256(token.encode()).hexdigest()))


def test_the_command_prints_a_token_stored_only_as_its_hash(app, db, sme_user):
    token = make_token(app, sme_user, "catalogue:read", "--expires", "90d")
    assert token.startswith("sdt_") and len(token) > 40
    row = _row(db, token)
    assert row is not None and row.scopes == ["catalogue:read"] and row.user_id == sme_user.id
    assert token not in (row.token_hash, row.prefix) and token.startswith(row.prefix)
    days = (row.expires_at - row.created_at).total_seconds() / 86400
    assert 89.99 < days < 90.01


@pytest.mark.parametrize("args, message", [
    (["--scopes", "catalogue:read,everything"], "everything"),
    (["--scopes", ""], "known:"),
    (["--scopes", "catalogue:read", "--expires", "0d"], "--expires"),
    (["--scopes", "catalogue:read", "--expires", "9999d"], "--expires"),
    (["--scopes", "catalogue:read", "--expires", "soon"], "--expires"),
])
def test_the_command_refuses_bad_scopes_and_expiry_and_writes_nothing(app, db, sme_user, args,
                                                                       message):
    result = app.test_cli_runner().invoke(args=["tokens", "create", "--user", sme_user.email,
                                                *args])
    assert result.exit_code == 2 and message in result.output
    assert db.scalar(select(ApiToken.id)) is None


def test_the_command_refuses_an_unknown_person(app, db):
    result = app.test_cli_runner().invoke(
        args=["tokens", "create", "--user", "nobody@example.com", "--scopes", "catalogue:read"])
    assert result.exit_code == 2 and "no active account" in result.output


def test_a_token_works_until_revoked_and_its_last_use_is_recorded(app, client, db, sme_user,
                                                                   login_as):
    token = make_token(app, sme_user, "catalogue:read")
    assert _row(db, token).last_used_at is None
    assert client.get("/api/v1/instruments", headers=bearer(token)).status_code == 200
    assert _row(db, token).last_used_at is not None
    page = login_as(sme_user)
    listing = page.get("/tokens/").get_data(as_text=True)
    assert _row(db, token).prefix in listing and token not in listing
    assert page.post(f"/tokens/{_row(db, token).id}/revoke").status_code == 302
    is_problem(client.get("/api/v1/instruments", headers=bearer(token)), 401, "unauthorized")


def test_an_expired_token_is_refused(app, client, db, sme_user):
    token = make_token(app, sme_user, "catalogue:read", "--expires", "1d")
    row = _row(db, token)
    row.expires_at = row.created_at - timedelta(seconds=1)
    db.commit()
    is_problem(client.get("/api/v1/instruments", headers=bearer(token)), 401, "unauthorized")


@pytest.mark.parametrize("header", ["", "Bearer", "Bearer sdt_wrong", "Basic abc",
                                    "Bearer " + "x" * 5000])
def test_missing_or_unknown_tokens_answer_401_problems(client, header):
    body = is_problem(client.get("/api/v1/instruments", headers={"Authorization": header}), 401)
    assert body["code"] == "unauthorized"


def test_a_token_without_the_scope_is_refused_with_403(app, client, sme_user):
    token = make_token(app, sme_user, "catalogue:read")
    reply = client.get("/api/v1/assessments", headers=bearer(token))
    is_problem(reply, 403, "insufficient_scope")
    assert 'scope="assessments:read"' in reply.headers["WWW-Authenticate"]


def test_someone_elses_token_cannot_be_revoked(app, db, sme_user, other_sme_user, login_as):
    token = make_token(app, sme_user, "catalogue:read")
    other = login_as(other_sme_user)
    assert other.post(f"/tokens/{_row(db, token).id}/revoke").status_code == 404
    assert other.post(f"/tokens/{2**63}/revoke").status_code == 404
    assert _row(db, token).revoked_at is None


def test_the_page_makes_a_token_and_shows_it_once(app, client, db, sme_user, login_as):
    page = login_as(sme_user)
    made = page.post("/tokens/", data={"name": "城市平台", "scopes": ["catalogue:read"],
                                       "days": "30"})
    assert made.status_code == 200
    text = made.get_data(as_text=True)
    token = text.split('class="token-value">', 1)[1].split("<", 1)[0]
    assert _row(db, token).name == "城市平台"
    assert token not in page.get("/tokens/").get_data(as_text=True)
    assert client.get("/api/v1/instruments", headers=bearer(token)).status_code == 200


@pytest.mark.parametrize("data, message", [
    ({"name": "x", "scopes": []}, "请至少选择一项列出的权限范围。"),
    ({"name": "x", "scopes": ["root"]}, "请至少选择一项列出的权限范围。"),
    ({"name": "", "scopes": ["catalogue:read"]}, "请为令牌起一个名字"),
    ({"name": "x\x00", "scopes": ["catalogue:read"]}, "请删除文字中的不可见控制字符。"),
    ({"name": "x", "scopes": ["catalogue:read"], "days": "1000000"}, "请选择列出的有效期之一。"),
    ({"name": "x", "scopes": ["catalogue:read"], "organisation": "abc"}, "请选择列出的机构之一。"),
])
def test_the_page_refuses_bad_input_in_chinese_and_makes_nothing(db, sme_user, login_as, data,
                                                                   message):
    reply = login_as(sme_user).post("/tokens/", data={"days": "90", **data})
    assert reply.status_code == 400 and message in reply.get_data(as_text=True)
    assert db.scalar(select(ApiToken.id)) is None


def test_the_page_needs_a_login(client):
    assert client.get("/tokens/").status_code == 302
    assert client.post("/tokens/", data={"name": "x"}).status_code == 302


def test_a_service_token_acts_only_for_its_organisation_while_its_maker_administers_it(
        app, client, db, make_user):
    centre = make_org(app, "centre")
    admin = staff_user(app, make_user, centre, role="centre_admin")
    consultant = staff_user(app, make_user, centre, role="consultant")
    refused = app.test_cli_runner().invoke(args=[
        "tokens", "create", "--user", consultant.email, "--scopes", "assessments:read",
        "--organisation", str(centre)])
    assert refused.exit_code == 2 and "not an administrator" in refused.output
    token = make_token(app, admin, "assessments:read", "--organisation", str(centre))
    assert _row(db, token).organisation_id == centre
    assert client.get("/api/v1/assessments", headers=bearer(token)).status_code == 200
    from storage.organisation_models import OrgMembership
    db.query(OrgMembership).filter_by(user_id=admin.id).delete()
    db.commit()
    is_problem(client.get("/api/v1/assessments", headers=bearer(token)), 401)


def test_the_page_names_every_problem_at_once(db, sme_user, login_as):
    reply = login_as(sme_user).post("/tokens/", data={"name": "", "days": "-5"})
    text = reply.get_data(as_text=True)
    assert reply.status_code == 400
    for message in ("请为令牌起一个名字", "请至少选择一项列出的权限范围。", "请选择列出的有效期之一。"):
        assert message in text
    assert db.scalar(select(ApiToken.id)) is None
