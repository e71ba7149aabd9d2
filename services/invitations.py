"""Invitations of colleagues into an enterprise: invite, accept, list with their state,
withdraw, send again. Only a token's hash is stored; sending again makes a new token (the
old link stops working) and a new expiry.

An invitation works only for the address it was sent to (`require_addressed_to`): a person
signed in under another address is refused and nothing changes; a new account made through
the link gets the invited address.

The parts that work on any invitation row (an enterprise's, or an organisation's staff
invitation in services/staff.py: rows with email, token_hash, expires_at, sent_at,
accepted_at, withdrawn_at) are `new_link`, `state`, `view`, `take_back` and `send_again`.
"""
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from services import passwords, tokens
from services.accounts import (AccountError, AccountUser, _aware, _token_hash, email_taken,
                               new_user, normalise_email)
from services.errors import NotFound
from storage.base import utcnow
from storage.db import db_session, transaction
from storage.models import Enterprise, Invitation, Membership, User

STATES = ("pending", "accepted", "expired", "withdrawn")


def require_addressed_to(invited_email: str, person_email: str) -> None:
    """AccountError("invitation_other_address") unless the person is the one invited."""
    if normalise_email(invited_email) != normalise_email(person_email):
        raise AccountError("invitation_other_address")


def _require_owner(owner: AccountUser, enterprise_id: int) -> None:
    if not owner.is_owner(enterprise_id):
        raise AccountError("not_owner")


def new_link(row, days: int) -> str:
    """Give an invitation row a new token and expiry (the old link stops working); returns
    the token to put in the link."""
    token, digest = tokens.new_token()
    now = utcnow()
    row.token_hash, row.expires_at, row.sent_at = digest, now + timedelta(days=days), now
    return token


def invite(owner: AccountUser, enterprise_id: int, email: str, days: int) -> str:
    """An owner invites a colleague by e-mail; returns the one-time token."""
    _require_owner(owner, enterprise_id)
    email = normalise_email(email)
    already = db_session.scalar(
        select(Membership.id).join(User, User.id == Membership.user_id)
        .where(User.email == email, Membership.enterprise_id == enterprise_id))
    if already is not None:
        raise AccountError("already_member")
    with transaction():
        row = Invitation(enterprise_id=enterprise_id, email=email, invited_by=owner.id)
        token = new_link(row, days)
        db_session.add(row)
    return token


def state(row, now=None) -> str:
    """pending, accepted, expired or withdrawn."""
    if row.accepted_at is not None:
        return "accepted"
    if row.withdrawn_at is not None:
        return "withdrawn"
    return "expired" if _aware(row.expires_at) < (now or utcnow()) else "pending"


def _usable_invitation(token: str) -> Invitation | None:
    row = db_session.scalar(select(Invitation)
                            .where(Invitation.token_hash == _token_hash(token or "")))
    return row if row is not None and state(row) == "pending" else None


def invitation_info(token: str) -> dict | None:
    """{"email", "enterprise_name", "has_account"} for a usable invitation, else None."""
    row = _usable_invitation(token)
    if row is None:
        return None
    enterprise = db_session.get(Enterprise, row.enterprise_id)
    return {"email": row.email, "enterprise_name": enterprise.name,
            "has_account": email_taken(row.email)}


def accept_invitation(token: str, *, account: AccountUser | None = None, name: str = "",
                      password: str = "", locale: str | None = None) -> int:
    """Join the enterprise as member: the signed-in person (`account`, who must be the one
    invited) or a new account under the invited address. Returns the user id."""
    row = _usable_invitation(token)
    if row is None:
        raise AccountError("invitation_invalid")
    if account is not None:
        require_addressed_to(row.email, account.email)
    else:
        if email_taken(row.email):
            raise AccountError("email_taken")
        passwords.check_password(password, email=row.email, names=(name,))
    try:
        with transaction():
            if account is None:
                user_id = new_user(row.email, passwords.hash_password(password), name, locale).id
            else:
                user_id = account.id
                if row.enterprise_id in account.enterprise_ids:
                    raise AccountError("already_member")
            db_session.add(Membership(user_id=user_id, enterprise_id=row.enterprise_id,
                                      role="member"))
            row.accepted_at = utcnow()
            row.accepted_by = user_id
    except IntegrityError:
        raise AccountError("already_member") from None
    return user_id


@dataclass(frozen=True)
class InvitationView:
    id: int
    email: str
    state: str
    sent_at: object
    expires_at: object


def view(row, now=None) -> InvitationView:
    """What a list of invitations shows of one row."""
    return InvitationView(row.id, row.email, state(row, now or utcnow()),
                          _aware(row.sent_at or row.created_at), _aware(row.expires_at))


def take_back(row) -> None:
    """Withdraw an invitation not accepted yet (in the caller's transaction); its link stops
    working. Withdrawing it twice changes nothing."""
    if row.accepted_at is not None:
        raise AccountError("invitation_accepted")
    row.withdrawn_at = row.withdrawn_at or utcnow()


def send_again(row, days: int) -> str:
    """Renew an invitation not accepted yet, also a withdrawn or expired one (in the caller's
    transaction): a new link and expiry, the old link stops working. Returns the token."""
    if row.accepted_at is not None:
        raise AccountError("invitation_accepted")
    row.withdrawn_at = None
    return new_link(row, days)


def invitations(owner: AccountUser, enterprise_id: int) -> list[InvitationView]:
    """The enterprise's invitations, newest first, with their state (owners only)."""
    _require_owner(owner, enterprise_id)
    rows = db_session.scalars(select(Invitation).where(Invitation.enterprise_id == enterprise_id)
                              .order_by(Invitation.id.desc())).all()
    now = utcnow()
    return [view(r, now) for r in rows]


def _owned_invitation(owner: AccountUser, enterprise_id: int, invitation_id: int) -> Invitation:
    _require_owner(owner, enterprise_id)
    row = db_session.get(Invitation, invitation_id)
    if row is None or row.enterprise_id != enterprise_id:
        raise NotFound()
    return row


def withdraw(owner: AccountUser, enterprise_id: int, invitation_id: int) -> None:
    """Take back an invitation not accepted yet; its link stops working."""
    row = _owned_invitation(owner, enterprise_id, invitation_id)
    with transaction():
        take_back(row)


def resend(owner: AccountUser, enterprise_id: int, invitation_id: int, days: int) -> tuple[str, str]:
    """Send an invitation not accepted yet again (also a withdrawn or expired one): a new link
    and expiry; the old link stops working. Returns (e-mail, token)."""
    row = _owned_invitation(owner, enterprise_id, invitation_id)
    with transaction():
        token = send_again(row, days)
        email = row.email
    return email, token
