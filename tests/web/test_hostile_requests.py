"""Replayed attacks and hostile input against every URL rule of the application.

For every rule of `app.url_map`, filled with the ids of a victim enterprise (or junk), as
someone signed out and as each role outside the enterprise: wrong methods, bodies of the wrong
type, broken and overlong UTF-8, NUL bytes, long and huge fields, duplicated parameters, JSON
of the wrong shape, missing and replayed CSRF tokens, a session cookie replayed after logout,
spoofed Host and X-Forwarded-* headers, hostile file names and files, open redirects. Always a
clear status, never a 500, the input never echoed unescaped, and the database exactly as it
was (tests/hostile_helpers.py takes its snapshot)."""
import io
import logging
import re
from urllib.parse import urlsplit

import pytest
from werkzeug.exceptions import HTTPException

from tests.conftest import BACKENDS
from tests.helpers import PASSWORD, csrf_token, login, logout
from tests.hostile_helpers import (CLEAR, MARK, ROLES, bodies, changed, fresh, intruder,
                                   paths, snapshot, victim)

WRONG_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
# Actions that change only the caller's own session (tested on their own below).
OWN_SESSION = {"auth.logout", "auth.language", "auth.enterprise"}
# What an administrator may do to any account or organisation waiting for its first admin.
ADMINISTRATORS_OWN = {"accounts.disable", "accounts.enable", "accounts.end_sessions",
                      "admin.invite_first_admin", "admin.resend_first_admin",
                      "admin.withdraw_first_admin"}
QUERY = {"next": "//evil.example/", "lang": MARK, "page": "\x00", "rows": ["district", MARK],
         "as_of": "2026-13-45", "instrument": "../../etc/passwd", "budget": "1e999999",
         "q": "長" * 5000}


@pytest.fixture
def world(app, make_user, tmp_path):
    app.config["FILES_DIR"] = tmp_path / "files"
    return victim(app, make_user, tmp_path / "files")


def _rules(app, *, skip=OWN_SESSION | {"static"}):
    return [r for r in app.url_map.iter_rules() if r.endpoint not in skip]


def _writes(rule) -> bool:
    return bool(rule.methods - {"GET", "HEAD", "OPTIONS"})


def _check(response, problems, *where):
    """A clear status and no hostile text echoed as markup (the response closed after: a file
    download holds its file open until then)."""
    text = response.get_data().decode("utf-8", "replace")
    response.close()
    if response.status_code not in CLEAR:
        problems.append((*where, response.status_code))
    if MARK in text:
        problems.append((*where, "echoed unescaped"))


def _sweep(client, db, app, world, role, kinds, *, junk_paths=False):
    """Send every body of `kinds` with every method a rule takes, to every rule; returns the
    problems found (status, echo, or a changed database)."""
    problems, before = [], snapshot(db)
    for rule in _rules(app):
        targets = list(paths(rule, world.ids))
        for path in (targets if junk_paths else targets[:1]):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                sent = [("query", {"query_string": QUERY})] if method == "GET" else kinds
                for label, kwargs in sent:
                    response = client.open(path, method=method, **fresh(kwargs))
                    _check(response, problems, role, method, path[:90], label)
            if _writes(rule):
                after = snapshot(db)
                allowed = role == "administrator" and rule.endpoint in ADMINISTRATORS_OWN
                if after != before and not allowed:
                    problems.append((role, rule.rule, "changed", changed(before, after)))
                before = after
    return problems


@pytest.mark.parametrize("role", ["anonymous", "sme"])
def test_every_hostile_body_on_every_route_gets_a_clear_status_and_changes_nothing(
        app, client, db, make_user, login_as, world, role):
    signed = intruder(app, make_user, login_as, role, world.ids)
    assert _sweep(signed, db, app, world, role, bodies()) == []


# Access is decided in Python before any query: each role is swept once, the roles taking the
# databases in turn (the owner's hostile bodies below reach the database and go to both).
@pytest.mark.parametrize("role, database_url",
                         [(role, BACKENDS[i % len(BACKENDS)]) for i, role in enumerate(ROLES)],
                         indirect=["database_url"])
def test_nobody_outside_the_enterprise_reaches_its_ids_on_any_route(app, db, make_user,
                                                                     login_as, world, role):
    signed = intruder(app, make_user, login_as, role, world.ids)
    kinds = [b for b in bodies() if b[0] in ("empty", "form-marked", "multipart")]
    assert _sweep(signed, db, app, world, role, kinds) == []


def test_junk_in_every_path_parameter_answers_clearly(app, db, make_user, login_as, world):
    signed = intruder(app, make_user, login_as, "sme", world.ids)
    kinds = [b for b in bodies() if b[0] in ("empty", "form-marked")]
    assert _sweep(signed, db, app, world, "sme", kinds, junk_paths=True) == []


@pytest.mark.both_databases
def test_the_owner_sending_hostile_bodies_to_the_own_routes_changes_nothing(
        app, db, login_as, world):
    owner = login_as(world.owner)
    # A button's post (empty, or any well-formed form) is the owner's to send.
    kinds = [b for b in bodies() if b[0].startswith(("json-", "text-")) or b[0] in (
        "form-invalid-utf8", "form-overlong-utf8", "form-huge")]
    assert _sweep(owner, db, app, world, "owner", kinds) == []


@pytest.mark.parametrize("role", ["anonymous", "sme"])
def test_a_method_a_rule_does_not_take_answers_405_with_allow(app, make_user, login_as, world,
                                                               role):
    signed = intruder(app, make_user, login_as, role, world.ids)
    wrong = []
    routes = app.url_map.bind("localhost")
    for rule in _rules(app):
        path = next(paths(rule, world.ids))
        for method in set(WRONG_METHODS) - rule.methods:
            if rule.rule.startswith("/api/") or _matches(routes, path, method):
                continue  # the API asks for a token first (tests/web/test_api.py)
            response = signed.open(path, method=method, json={"x": 1})
            allow = set(response.headers.get("Allow", "").replace(" ", "").split(","))
            if response.status_code != 405 or not rule.methods - {"OPTIONS"} <= allow:
                wrong.append((method, rule.rule, response.status_code))
    assert wrong == []


def _matches(routes, path, method) -> bool:
    """Another rule takes this path with this method (e.g. /plan/admin/catalogue/<kind>/<id>)."""
    try:
        routes.match(path, method)
    except HTTPException:
        return False
    return True


# CSRF: missing, forged, or replayed from another session -------------------------------------

@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
@pytest.mark.parametrize("token_from", ["none", "another-session", "logged-out-session"])
def test_posts_without_this_sessions_csrf_token_are_refused_and_change_nothing(
        app, db, make_user, world, token_from):
    other = app.test_client()
    stolen = csrf_token(other, "/auth/login")
    login(other, world.owner.email, token=stolen)
    client = app.test_client()
    mine = csrf_token(client, "/auth/login")
    assert login(client, world.owner.email, token=mine).status_code == 302
    if token_from == "logged-out-session":
        logout(other, stolen)
    token = {"none": None}.get(token_from, stolen)
    before, refused = snapshot(db), []
    for rule in _rules(app, skip={"static"}):
        if rule.rule.startswith("/api/") or not _writes(rule):
            continue
        path = next(paths(rule, world.ids))
        data = {"csrf_token": token} if token else {}
        for method in sorted(rule.methods - {"GET", "HEAD", "OPTIONS"}):
            for headers in ({}, {"X-CSRFToken": token} if token else {"Referer": "/"}):
                response = client.open(path, method=method, data=data, headers=headers)
                if response.status_code != 400 or "安全令牌" not in response.get_data(as_text=True):
                    refused.append((method, rule.rule, response.status_code))
    assert refused == [] and changed(before, snapshot(db)) == []


# Sessions and one-time links replayed ---------------------------------------------------------

def test_a_session_cookie_replayed_after_logout_is_as_good_as_none(app, db, world):
    owner = app.test_client()
    login(owner, world.owner.email, world.owner.password)
    saved = owner.get_cookie("session").value
    logout(owner)
    before, differs = snapshot(db), []
    for rule in _rules(app):
        path = next(paths(rule, world.ids))
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            thief, stranger = app.test_client(), app.test_client()
            thief.set_cookie("session", saved)
            got = thief.open(path, method=method, data={"confirm": "yes"})
            expected = stranger.open(path, method=method, data={"confirm": "yes"})
            if got.status_code != expected.status_code or got.status_code >= 500:
                differs.append((method, rule.rule, got.status_code, expected.status_code))
    assert differs == [] and changed(before, snapshot(db)) == []


def _mailed(caplog, kind):
    found = [re.search(r"(http://\S+/%s/\S+)" % kind, r.getMessage()) for r in caplog.records]
    return [m.group(1).replace("http://localhost", "") for m in found if m]


def test_used_reset_registration_and_invitation_links_replayed_change_nothing(
        app, client, db, world, caplog, login_as):
    caplog.set_level(logging.WARNING)
    client.post("/auth/register", data={"enterprise_name": "新企业", "name": "王五",
                                        "email": "new-firm@example.com", "password": PASSWORD,
                                        "confirm": PASSWORD})
    client.post("/auth/reset", data={"email": world.owner.email})
    owner = login_as(world.owner)
    owner.post("/auth/invite", data={"email": "colleague@example.com"})
    registration, = _mailed(caplog, "auth/register")
    reset, = _mailed(caplog, "auth/reset")
    invitation, = _mailed(caplog, "auth/invitation")
    new_password = {"password": "a brand new passphrase", "confirm": "a brand new passphrase"}
    joining = {"name": "李四", **new_password}
    uses = [(registration, {}), (reset, new_password), (invitation, joining)]
    for link, data in uses:
        assert app.test_client().post(link, data=data).status_code == 302
    before = snapshot(db)
    for link, data in uses:
        replayed = app.test_client().post(link, data=data)
        assert replayed.status_code in (302, 404), link
        assert app.test_client().get(link).status_code in (200, 302, 404)
    assert changed(before, snapshot(db)) == []
    assert login(app.test_client(), world.owner.email, "a brand new passphrase").status_code == 302


# Host and X-Forwarded-* -----------------------------------------------------------------------

@pytest.mark.parametrize("headers", [
    {"Host": "evil.example"}, {"Host": "evil.example:443"}, {"Host": "localhost@evil.example"},
    {"Host": "evil.example", "X-Forwarded-Host": "localhost"}])
def test_a_foreign_host_header_is_refused_before_any_link_is_made(client, db, world, caplog,
                                                                  headers):
    caplog.set_level(logging.WARNING)
    before = snapshot(db)
    response = client.post("/auth/reset", data={"email": world.owner.email}, headers=headers)
    assert response.status_code == 400 and "请求有误" in response.get_data(as_text=True)
    assert client.get("/", headers=headers).status_code == 400
    assert _mailed(caplog, "auth/reset") == [] and changed(before, snapshot(db)) == []


def test_forwarded_headers_are_ignored_without_a_trusted_proxy(client, world, caplog):
    caplog.set_level(logging.WARNING)
    spoofed = {"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https",
               "X-Forwarded-For": "203.0.113.9", "X-Forwarded-Prefix": "/evil"}
    response = client.post("/auth/reset", data={"email": world.owner.email}, headers=spoofed)
    assert response.status_code == 302 and response.location == "/auth/login"
    link, = _mailed(caplog, "auth/reset")
    assert link.startswith("/auth/reset/")


@pytest.mark.app_config(TRUSTED_PROXIES=1)
def test_behind_a_proxy_a_forwarded_host_of_another_site_is_refused(client, world, caplog):
    caplog.set_level(logging.WARNING)
    response = client.post("/auth/reset", data={"email": world.owner.email},
                           headers={"X-Forwarded-Host": "evil.example"})
    assert response.status_code == 400 and _mailed(caplog, "auth/reset") == []


@pytest.mark.app_config(PUBLIC_URL="https://diagnosis.example.cn")
def test_mailed_links_are_built_on_the_public_address(client, world, caplog):
    caplog.set_level(logging.WARNING)
    for host in ("diagnosis.example.cn", "localhost", "127.0.0.1:5000"):
        response = client.post("/auth/reset", data={"email": world.owner.email},
                               headers={"Host": host})
        assert response.status_code == 302, host
    links = [re.search(r"(\S+/auth/reset/\S+)", r.getMessage()) for r in caplog.records]
    assert [m.group(1).split("/auth/")[0] for m in links if m] == \
        ["https://diagnosis.example.cn"] * 3
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400


# Files: names and contents -------------------------------------------------------------------

HOSTILE_NAMES = ["../../../etc/passwd.png", "..\\..\\boot.ini.png", "/etc/shadow.png",
                 "a\x00.png", MARK + ".png", "x" * 600 + ".png", "%2e%2e%2fup.png"]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
SCRIPTED = [("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
             b'<script>alert(1)</script></svg>'),
            ("page.html", b"<html><script>alert(1)</script></html>"),
            ("page.png", b"<html><script>alert(1)</script></html>"),
            ("drawing.svg.png", b'<svg onload="alert(1)"/>')]


def _consultant(app, make_user, login_as, world):
    from tests.organisation_helpers import staff_user
    return login_as(staff_user(app, make_user, world.ids["org_id"], "consultant"))


def test_hostile_file_names_are_stored_as_plain_names_inside_the_file_store(
        app, db, make_user, login_as, world, tmp_path):
    from storage.consultation_models import EvidenceFile
    from storage.project_models import ProjectFile

    consultant, owner = _consultant(app, make_user, login_as, world), login_as(world.owner)
    open_project = world.ids["open_project_id"]
    for name in HOSTILE_NAMES:
        evidence = consultant.post(f"/on-site/{world.ids['assessment_id']}/item/1/evidence",
                                   data={"files": (io.BytesIO(PNG + name.encode()), name)},
                                   content_type="multipart/form-data")
        project = owner.post(f"/projects/{open_project}/files",
                             data={"item": "contract", "file": (io.BytesIO(PNG + name.encode()),
                                                                name)},
                             content_type="multipart/form-data")
        for response in (evidence, project):
            assert response.status_code in CLEAR and MARK not in response.get_data(as_text=True)
    db.expire_all()
    stored = [r.name for r in db.query(EvidenceFile)] + [r.filename for r in db.query(ProjectFile)]
    for name in stored:
        assert "/" not in name and "\\" not in name and "\x00" not in name and len(name) <= 255
    outside = {p for p in tmp_path.rglob("*") if p.is_file()} - set(
        (tmp_path / "files").rglob("*"))
    assert not [p for p in outside if "passwd" in p.name or "shadow" in p.name or "up" in p.name]
    page = consultant.get(f"/on-site/{world.ids['assessment_id']}/item/1").get_data(as_text=True)
    assert MARK not in page


def test_files_with_script_are_refused_or_only_ever_sent_as_inert_downloads(
        app, db, make_user, login_as, world):
    from storage.consultation_models import EvidenceFile
    from storage.project_models import ProjectFile

    consultant, owner = _consultant(app, make_user, login_as, world), login_as(world.owner)
    aid, open_project = world.ids["assessment_id"], world.ids["open_project_id"]
    before = {"evidence": db.query(EvidenceFile).count(), "files": db.query(ProjectFile).count()}
    for name, content in SCRIPTED:
        consultant.post(f"/on-site/{aid}/item/1/evidence",
                        data={"files": (io.BytesIO(content), name)},
                        content_type="multipart/form-data")
        owner.post(f"/projects/{open_project}/files",
                   data={"item": "contract", "file": (io.BytesIO(content), name)},
                   content_type="multipart/form-data")
    db.expire_all()
    assert db.query(EvidenceFile).count() == before["evidence"]
    assert db.query(ProjectFile).count() == before["files"]
    for row in db.query(EvidenceFile):  # what is there is served inert
        sent = consultant.get(f"/on-site/{aid}/evidence/{row.id}")
        assert sent.headers["Content-Disposition"].startswith("attachment")
        assert sent.headers["X-Content-Type-Options"] == "nosniff"
        assert sent.mimetype in ("image/png", "image/jpeg", "application/pdf")
        sent.close()  # the download holds its file open until then


# Redirects ----------------------------------------------------------------------------------

OFF_SITE = ["//evil.example/", "https://evil.example/", "http:evil.example", "/\\evil.example",
            "\\\\evil.example", "javascript:alert(1)", "/%2F%2Fevil.example", "///evil.example",
            " //evil.example", "\t//evil.example", "//evil.example%2F@localhost/",
            "https:/\\evil.example", "/.//evil.example"]


@pytest.mark.parametrize("target", OFF_SITE)
def test_next_never_leads_off_the_site(app, world, target):
    def local(location):  # a path on this site, as a browser reads it
        parts = urlsplit(location.replace("\\", "/"))
        return location.startswith("/") and not parts.scheme and not parts.netloc

    signed_in = app.test_client()
    response = signed_in.post("/auth/login", query_string={"next": target},
                              data={"email": world.owner.email, "password": PASSWORD})
    assert response.status_code == 302 and local(response.location), response.location
    again = signed_in.get("/auth/login", query_string={"next": target})
    assert again.status_code == 302 and local(again.location), again.location
    language = app.test_client().post("/auth/language", data={"locale": "en", "next": target})
    assert language.status_code == 302 and local(language.location), language.location
    anonymous = app.test_client().get("/assess/", query_string={"next": target})
    assert anonymous.status_code == 302 and local(anonymous.location)
