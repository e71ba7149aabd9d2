"""The first administrator of an organisation that has none yet: the platform administrator
(or the command line) sees its admin invitations with their state, sends one again (a new
link; the old one stops working), withdraws one, or invites someone else. Once the
organisation has an admin, its own admins look after its invitations (services/staff.py).
"""
from dataclasses import asdict

from sqlalchemy import select

from services import accounts, invitations, staff
from services.access import valid_id
from services.access_vocabulary import vocabulary
from services.errors import Conflict, InvalidInput, NotFound
from services.organisations import OPERATOR, Created, appoint_admin, require_administrator
from storage.base import utcnow
from storage.db import db_session, transaction
from storage.organisation_models import Organisation, OrgMembership, StaffInvitation


def _with_admin() -> set[int]:
    voc = vocabulary()
    rows = db_session.execute(
        select(OrgMembership.organisation_id, Organisation.kind, OrgMembership.role).distinct()
        .join(Organisation, Organisation.id == OrgMembership.organisation_id)).all()
    return {r.organisation_id for r in rows if r.role in voc.admin_roles(r.kind)}


def waiting(actor) -> list[dict]:
    """Active organisations without an admin, by kind and name, each with its admin
    invitations newest first: {"id", "name", "kind_name", "invitations": [...]}."""
    require_administrator(actor)
    voc, now, staffed = vocabulary(), utcnow(), _with_admin()
    orgs = [o for o in db_session.scalars(
        select(Organisation).where(Organisation.status == "active")
        .order_by(Organisation.kind, Organisation.name)) if o.id not in staffed]
    sent = db_session.scalars(select(StaffInvitation).where(
        StaffInvitation.organisation_id.in_([o.id for o in orgs]))
        .order_by(StaffInvitation.id.desc())).all()
    out = []
    for org in orgs:
        admin_roles = voc.admin_roles(org.kind)
        found = [{**asdict(invitations.view(i, now)), "role_name": voc.role(i.role).name}
                 for i in sent if i.organisation_id == org.id and i.role in admin_roles]
        out.append({"id": org.id, "name": org.name, "kind_name": voc.kinds[org.kind]["name"],
                    "invitations": found})
    return out


def _waiting_org(actor, organisation_id) -> Organisation:
    require_administrator(actor)
    org = db_session.get(Organisation, valid_id(organisation_id))
    if org is None or org.status != "active" or org.id in _with_admin():
        raise NotFound()
    return org


def _invitation(actor, organisation_id, invitation_id) -> StaffInvitation:
    """An admin invitation of an organisation still without an admin, else NotFound."""
    org = _waiting_org(actor, organisation_id)
    row = db_session.get(StaffInvitation, valid_id(invitation_id))
    if row is None or row.organisation_id != org.id \
            or row.role not in vocabulary().admin_roles(org.kind):
        raise NotFound()
    return row


def invite(actor, organisation_id, email: str, days: int) -> Created:
    """Invite a first admin (an existing account joins at once, as on creation)."""
    org = _waiting_org(actor, organisation_id)
    email = accounts.normalise_email(email)
    if not staff.EMAIL.match(email) or len(email) > 255:
        raise InvalidInput("email_format")
    if staff.on_staff(org.id, email):
        raise Conflict("already_staff")
    with transaction():
        return appoint_admin(org, email, None if actor is OPERATOR else actor.id, days)


def withdraw(actor, organisation_id, invitation_id) -> None:
    """Take back a first-admin invitation not accepted yet; its link stops working."""
    row = _invitation(actor, organisation_id, invitation_id)
    with transaction():
        invitations.take_back(row)


def resend(actor, organisation_id, invitation_id, days: int) -> tuple[str, str]:
    """Send a first-admin invitation again (also a withdrawn or expired one): a new link and
    expiry; the old link stops working. Returns (e-mail, token)."""
    row = _invitation(actor, organisation_id, invitation_id)
    if staff.on_staff(row.organisation_id, row.email):
        raise Conflict("already_staff")
    with transaction():
        token = invitations.send_again(row, days)
        email = row.email
    return email, token
