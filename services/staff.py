"""Organisation staff: admins invite by e-mail, the invited person joins, admins remove staff.

An invitation link works once, until it expires or is withdrawn, and only for the address it
was sent to (services.invitations.require_addressed_to, the enterprises' rule): a signed-in
person with another e-mail is refused, and a new account gets the invited address and meets
the password rule (services.passwords). Admins see every invitation with its state, withdraw
one or send it again (a new link; the old one stops working), by the enterprises' rules
(services/invitations.py: new_link, state, view, take_back, send_again).
"""
import re
from dataclasses import asdict

from sqlalchemy import func, select, update

from services import accounts, invitations, passwords, tokens
from services.access import valid_id
from services.access_vocabulary import vocabulary
from services.errors import Conflict, InvalidInput, NotFound
from storage.base import utcnow
from storage.db import db_session, transaction
from storage.models import User
from storage.organisation_models import Organisation, OrgMembership, StaffInvitation

# An address with no spaces or control characters: user@host.domain.
EMAIL = re.compile(r"^[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+$")


def _admin_org(actor, organisation_id) -> Organisation:
    """The organisation if the actor is one of its admins, else NotFound."""
    organisation_id = valid_id(organisation_id)
    role = actor.org_role(organisation_id) if getattr(actor, "is_authenticated", False) else None
    org = db_session.get(Organisation, organisation_id) if role else None
    if org is None or org.status != "active" or not vocabulary().role(role).admin:
        raise NotFound()
    return org


def add_invitation(organisation_id: int, email: str, role: str, invited_by: int | None,
                   days: int) -> str:
    """Store an invitation in the caller's transaction; returns the link token."""
    row = StaffInvitation(organisation_id=organisation_id, email=email, role=role,
                          invited_by=invited_by)
    token = invitations.new_link(row, days)
    db_session.add(row)
    return token


def on_staff(organisation_id: int, email: str) -> bool:
    return db_session.scalar(
        select(OrgMembership.id).join(User, User.id == OrgMembership.user_id)
        .where(User.email == email, OrgMembership.organisation_id == organisation_id)
    ) is not None


def invite(actor, organisation_id, email: str, role: str, days: int) -> str:
    """An admin invites a person by e-mail with a role of the organisation's kind."""
    org = _admin_org(actor, organisation_id)
    email = accounts.normalise_email(email)
    if not EMAIL.match(email) or len(email) > 255:
        raise InvalidInput("email_format")
    if role not in vocabulary().kinds[org.kind]["roles"]:
        raise InvalidInput("role_unknown")
    if on_staff(org.id, email):
        raise Conflict("already_staff")
    with transaction():
        token = add_invitation(org.id, email, role, actor.id, days)
    return token


def staff_list(actor, organisation_id) -> dict:
    """{"people": [...], "invitations": [...]} of an organisation, for its admins."""
    org = _admin_org(actor, organisation_id)
    voc = vocabulary()
    rows = db_session.execute(
        select(OrgMembership.id, OrgMembership.role, OrgMembership.user_id, User.name, User.email)
        .join(User, User.id == OrgMembership.user_id)
        .where(OrgMembership.organisation_id == org.id).order_by(OrgMembership.id)).all()
    people = [{"membership_id": r.id, "name": r.name, "email": r.email, "role": r.role,
               "role_name": voc.role(r.role).name, "is_you": r.user_id == actor.id}
              for r in rows]
    now = utcnow()
    sent = db_session.scalars(select(StaffInvitation)
                              .where(StaffInvitation.organisation_id == org.id)
                              .order_by(StaffInvitation.id.desc()))
    found = [{**asdict(invitations.view(i, now)), "role_name": voc.role(i.role).name}
             for i in sent]
    roles = voc.roles_of(org.kind)
    return {"people": people, "invitations": found,
            "roles": [(r.id, r.name) for r in roles],
            "default_role": next((r.id for r in roles if not r.admin), roles[0].id)}


def remove(actor, organisation_id, membership_id) -> None:
    """An admin removes a staff member (not the organisation's last admin)."""
    org = _admin_org(actor, organisation_id)
    row = db_session.get(OrgMembership, valid_id(membership_id))
    if row is None or row.organisation_id != org.id:
        raise NotFound()
    admins = vocabulary().admin_roles(org.kind)
    if row.role in admins:
        count = db_session.scalar(select(func.count()).select_from(OrgMembership).where(
            OrgMembership.organisation_id == org.id, OrgMembership.role.in_(admins)))
        if count <= 1:
            raise Conflict("last_admin")
    with transaction():
        db_session.delete(row)


def _admin_invitation(actor, organisation_id, invitation_id) -> StaffInvitation:
    """One of the organisation's invitations if the actor is one of its admins, else
    NotFound (also for another organisation's invitation)."""
    org = _admin_org(actor, organisation_id)
    row = db_session.get(StaffInvitation, valid_id(invitation_id))
    if row is None or row.organisation_id != org.id:
        raise NotFound()
    return row


def withdraw(actor, organisation_id, invitation_id) -> None:
    """An admin takes back an invitation not accepted yet; its link stops working."""
    row = _admin_invitation(actor, organisation_id, invitation_id)
    with transaction():
        invitations.take_back(row)


def resend(actor, organisation_id, invitation_id, days: int) -> tuple[str, str]:
    """An admin sends an invitation not accepted yet again (also a withdrawn or expired one):
    a new link and expiry; the old link stops working. Returns (e-mail, token)."""
    row = _admin_invitation(actor, organisation_id, invitation_id)
    if row.accepted_at is None and on_staff(row.organisation_id, row.email):
        raise Conflict("already_staff")
    with transaction():
        token = invitations.send_again(row, days)
        email = row.email
    return email, token


def add_member(organisation_id: int, user_id: int, role: str, added_by: int | None = None):
    """Put an existing account on the staff at once (the command line and the demo)."""
    org = db_session.get(Organisation, organisation_id)
    if org is None or role not in vocabulary().kinds[org.kind]["roles"]:
        raise InvalidInput("role_unknown")
    with transaction():
        db_session.add(OrgMembership(user_id=user_id, organisation_id=organisation_id,
                                     role=role, added_by=added_by))


def _usable(token: str) -> StaffInvitation | None:
    row = db_session.scalar(select(StaffInvitation)
                            .where(StaffInvitation.token_hash == tokens.token_hash(token)))
    if row is None or invitations.state(row) != "pending":
        return None
    org = db_session.get(Organisation, row.organisation_id)
    return row if org is not None and org.status == "active" else None


def invitation_info(token: str) -> dict | None:
    """{"email", "organisation", "kind_name", "role_name", "has_account"} or None if unusable."""
    row = _usable(token)
    if row is None:
        return None
    org = db_session.get(Organisation, row.organisation_id)
    voc = vocabulary()
    return {"email": row.email, "organisation": org.name, "organisation_id": org.id,
            "kind_name": voc.kinds[org.kind]["name"], "role_name": voc.role(row.role).name,
            "has_account": db_session.scalar(select(User.id).where(User.email == row.email))
            is not None}


def accept(token: str, *, actor=None, name: str = "", password: str = "",
           locale: str | None = None) -> int:
    """Join the organisation: the signed-in `actor` (if the invitation is for their address) or
    a new account with the invited address. Returns the user id; one transaction."""
    row = _usable(token)
    if row is None:
        raise InvalidInput("invitation_invalid")
    signed_in = getattr(actor, "is_authenticated", False)
    if signed_in:  # the rule the enterprises' invitations follow
        invitations.require_addressed_to(row.email, actor.email)
    elif accounts.email_taken(row.email):
        raise InvalidInput("log_in_first")
    else:
        passwords.check_password(password, email=row.email, names=(name,))
    with transaction():
        if signed_in:
            user_id = actor.id
            if db_session.scalar(select(OrgMembership.id).where(
                    OrgMembership.user_id == user_id,
                    OrgMembership.organisation_id == row.organisation_id)) is not None:
                raise Conflict("already_staff")
        else:  # staff accounts get no global role: their organisation decides what they see
            user_id = accounts.new_user(row.email, passwords.hash_password(password), name,
                                        locale, roles=()).id
        # Spend the token atomically: of two tabs accepting at once, one joins, and a link
        # withdrawn or sent again meanwhile no longer works.
        spent = db_session.execute(
            update(StaffInvitation)
            .where(StaffInvitation.id == row.id, StaffInvitation.accepted_at.is_(None),
                   StaffInvitation.withdrawn_at.is_(None),
                   StaffInvitation.token_hash == tokens.token_hash(token))
            .values(accepted_at=utcnow(), accepted_by=user_id))
        if spent.rowcount != 1:
            raise InvalidInput("invitation_invalid")
        db_session.add(OrgMembership(user_id=user_id, organisation_id=row.organisation_id,
                                     role=row.role, added_by=row.invited_by))
    return user_id
