"""What the hostile-request tests send and check: a victim enterprise with something of every
kind, intruders in every role, every URL rule filled with the victim's ids or with junk, the
hostile bodies, and a snapshot of the whole database. (No tests here.)"""
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import inspect, select, text
from werkzeug.datastructures import MultiDict

from tests.api_helpers import make_token
from tests.deletion_helpers import build
from tests.organisation_helpers import consent, make_org, staff_user

ROOT = Path(__file__).resolve().parent.parent
MARK = "<script>alert('hostile')</script>"
# An id no row has (still inside the database's integer range).
MISSING = 987654
# Statuses a hostile request may get: sent back to a form (200 with the errors, or 303 to the
# page with a message), to the sign-in page (302), or refused with a clear status.
CLEAR = {200, 302, 303, 400, 401, 403, 404, 405, 409, 413, 415, 422, 429}
# Written by reads (sign-in bookkeeping), not by what a request changes.
VOLATILE = {"last_used_at", "last_login_at", "last_seen_at"}


@dataclass(frozen=True)
class Victim:
    """The enterprise everyone else attacks, and ids of every kind it owns."""
    ids: dict
    owner: object


def victim(app, make_user, files_dir) -> Victim:
    """An owner's enterprise (deletion_helpers.build: assessments, an on-site visit with
    evidence, projects with files, a consent, an invitation), its centre's staff and
    invitations, an API token, a first-admin invitation."""
    from services import first_admins
    from services.organisations import OPERATOR
    from storage.api_models import ApiToken
    from storage.consultation_models import EvidenceFile
    from storage.db import db_session
    from storage.models import Assessment, Invitation
    from storage.organisation_models import Consent, OrgMembership, StaffInvitation
    from storage.project_models import ProjectFile

    owner, other = make_user(enterprise="受害企业"), make_user(enterprise="旁观企业")
    world = build(app, make_user, owner, other, files_dir)
    staff = staff_user(app, make_user, world.centre_id, "consultant")
    make_token(app, owner, "assessments:read")
    waiting = make_org(app, "centre", name="待管理员中心")
    with app.app_context():
        first_admins.invite(OPERATOR, waiting, "first@example.com", 14)
        staff_invitation = StaffInvitation(organisation_id=world.centre_id,
                                           email="staff@example.com", role="consultant",
                                           token_hash="s" * 64, expires_at=_later())
        db_session.add(staff_invitation)
        answers = json.loads((ROOT / "examples" / "quick-check" / "mixed.json").read_text())
        for row in db_session.scalars(select(Assessment).where(Assessment.total.is_not(None))):
            row.answers, row.max_total = answers, 100.0  # complete, as a submission is
        db_session.commit()
        ids = {
            "user_id": owner.id, "enterprise_id": world.enterprise_id,
            "assessment_id": world.signed_id, "draft_id": world.draft_id,
            "org_id": world.centre_id, "waiting_org_id": waiting,
            "project_id": world.accepted_project_id,
            "open_project_id": world.open_project_id,
            "consent_id": _one(select(Consent.id)),
            "evidence_id": _one(select(EvidenceFile.id)),
            "file_id": _one(select(ProjectFile.id).where(
                ProjectFile.project_id == world.accepted_project_id)),
            "invitation_id": _one(select(Invitation.id)),
            "staff_invitation_id": staff_invitation.id,
            "first_admin_invitation_id": _one(select(StaffInvitation.id).where(
                StaffInvitation.organisation_id == waiting)),
            "membership_id": _one(select(OrgMembership.id).where(
                OrgMembership.user_id == staff.id)),
            "token_id": _one(select(ApiToken.id)),
            "number": 1,
        }
    return Victim(ids, owner)


def _one(query):
    from storage.db import db_session
    return db_session.scalars(query).first()


def _later():
    from datetime import timedelta

    from storage.base import utcnow
    return utcnow() + timedelta(days=3)


ROLES = ("anonymous", "sme", "consultant", "centre_admin", "revoked", "provider", "bureau",
         "administrator")


def intruder(app, make_user, login_as, role, victim_ids):
    """A client signed in as someone outside the victim's enterprise ("anonymous": signed
    out; "revoked": staff of a centre whose consent the enterprise revoked)."""
    client = app.test_client()
    if role == "anonymous":
        return client
    if role == "sme":
        return login_as(make_user(enterprise="入侵企业"), client)
    if role == "administrator":
        return login_as(make_user(roles=("administrator",), enterprise=None), client)
    kind, org_role = {"consultant": ("centre", "consultant"),
                      "centre_admin": ("centre", "centre_admin"),
                      "revoked": ("centre", "consultant"),
                      "provider": ("provider", "provider_admin"),
                      "bureau": ("bureau", "bureau_admin")}[role]
    org = make_org(app, kind, **({"provider_ref": "p002"} if kind == "provider" else {}))
    if role == "revoked":  # the enterprise consented, then took it back
        consent(app, victim_ids["enterprise_id"], org, status="revoked")
    return login_as(staff_user(app, make_user, org, org_role), client)


# Real values for the string parts of routes, by argument name.
REAL_STRINGS = {"kind": "modules", "fmt": "csv", "entry_id": "erp", "module_id": "erp",
                "provider_id": "p001", "step": "suspend", "instrument_id": "quick-check",
                "decision": "accept", "token": "t" * 43, "filename": "css/site.css"}
JUNK_STRINGS = ("..%2F..%2F..%2Fetc%2Fpasswd", "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
                "%00", "%C0%AF", "x" * 3000)
# Which victim id an int argument takes on routes whose prefix says so.
ID_BY_PREFIX = {("/assess/", "assessment_id"): "draft_id",
                ("/admin/", "org_id"): "waiting_org_id",
                ("/admin/", "invitation_id"): "first_admin_invitation_id",
                ("/org/", "invitation_id"): "staff_invitation_id"}


def _int_value(rule, name, ids):
    for (prefix, arg), key in ID_BY_PREFIX.items():
        if rule.rule.startswith(prefix) and name == arg:
            return ids[key]
    return ids[name]


def paths(rule, ids):
    """The rule filled with the victim's ids and real names, then with each junk string."""
    def fill(value_of):
        path = rule.rule
        for name, converter in rule._converters.items():
            value = value_of(name, converter)
            path = _replace(path, name, str(value))
        return path
    real = fill(lambda n, c: _int_value(rule, n, ids) if _is_int(c) else REAL_STRINGS[n])
    yield real
    for junk in JUNK_STRINGS:
        if rule.arguments:
            yield fill(lambda n, c, junk=junk: MISSING if _is_int(c) else junk)


def _is_int(converter) -> bool:
    return type(converter).__name__ == "DatabaseIdConverter"


def _replace(path, name, value):
    return re.sub(r"<(?:[^:<>]+:)?%s>" % re.escape(name), value, path, count=1)


def bodies():
    """(label, kwargs for client.open) of the hostile bodies."""
    long = "长" * 200_000
    nested_text = "[" * 100_000 + "]" * 100_000
    form = "application/x-www-form-urlencoded"
    return [
        ("empty", {}),
        ("json-object", {"json": {"name": MARK, "answers": [1, 2], "email": ["a@b.c"]}}),
        ("json-array", {"json": [MARK, 1, None]}),
        ("json-scalar-types", {"json": {"budget": "100", "instrument": 7, "answers": "x",
                                        "target_level": [3], "page": "1", "per_page": {}}}),
        ("json-nested", {"data": nested_text, "content_type": "application/json"}),
        ("json-invalid-utf8", {"data": b'{"name": "\xff\xfe"}', "content_type": "application/json"}),
        ("json-overlong-utf8", {"data": b'{"name": "\xc0\xaf"}', "content_type": "application/json"}),
        ("text-plain", {"data": f"name={MARK}", "content_type": "text/plain"}),
        ("form-marked", {"data": {"name": MARK, "email": MARK, "next": "//evil.example/"}}),
        ("form-invalid-utf8", {"data": b"name=%FF%FE&email=\xff\xfe", "content_type": form}),
        ("form-overlong-utf8", {"data": b"name=%C0%AF&email=%C0%80", "content_type": form}),
        ("form-nul", {"data": {"name": "a\x00b", "email": "x\x00@example.com",
                               "password": "\x00", "confirm": "yes\x00"}}),
        ("form-duplicated", {"data": MultiDict([
            # the first of each is wrong: a right second one must not slip through
            ("name", ""), ("name", "b"), ("email", "x"), ("email", "y@example.com"),
            ("confirm", "no"), ("confirm", "yes"), ("csrf_token", "a"), ("csrf_token", "b")])}),
        ("form-long", {"data": {"name": long[:100_000], "email": long[:50_000] + "@example.com",
                                "purpose": long[:100_000]}}),
        ("form-huge", {"data": {"name": "x" * (2 * 1024 * 1024)}}),
        ("multipart", {"data": {"name": MARK, "file": (b"<svg onload=alert(1)/>",
                                                        "../../x.svg")},
                       "content_type": "multipart/form-data"}),
        ("multipart-broken", {"data": b"--xx\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n",
                              "content_type": "multipart/form-data; boundary=xx"}),
    ]


def fresh(kwargs: dict) -> dict:
    """The body ready to send: files (content, name) become new streams each time."""
    data = kwargs.get("data")
    if not isinstance(data, dict):
        return kwargs
    return dict(kwargs, data={k: (io.BytesIO(v[0]), v[1]) if isinstance(v, tuple) else v
                              for k, v in data.items()})


def snapshot(db) -> dict:
    """Every row of every table (but the sign-in bookkeeping columns), as text."""
    db.expire_all()
    db.rollback()
    bind = db.get_bind()
    found = {}
    for table in sorted(inspect(bind).get_table_names()):
        columns = [c["name"] for c in inspect(bind).get_columns(table)
                   if c["name"] not in VOLATILE]
        rows = db.execute(text(f"SELECT {', '.join(columns)} FROM {table}")).all()
        found[table] = sorted(repr(tuple(r)) for r in rows)
    db.rollback()
    return found


def changed(before: dict, after: dict) -> list:
    return [t for t in sorted(set(before) | set(after)) if before.get(t) != after.get(t)]
