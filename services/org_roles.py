"""The organisations a person works for, loaded with the signed-in person (AccountUser)."""
from typing import NamedTuple

from sqlalchemy import bindparam, select

from storage.db import db_session
from storage.organisation_models import Organisation, OrgMembership


class OrgRole(NamedTuple):
    organisation_id: int
    kind: str  # centre | provider | bureau | platform
    role: str  # a role of that kind (data/access.yaml)


# Active organisations only: an inactive one's staff reach nothing through it.
_ROLES_QUERY = (
    select(OrgMembership.organisation_id, Organisation.kind, OrgMembership.role)
    .join(Organisation, Organisation.id == OrgMembership.organisation_id)
    .where(OrgMembership.user_id == bindparam("user_id"), Organisation.status == "active")
    .order_by(OrgMembership.id))


def organisation_roles(user_id: int) -> tuple[OrgRole, ...]:
    """(organisation, kind, role) of each active organisation the person works for."""
    rows = db_session.connection().execute(_ROLES_QUERY, {"user_id": user_id}).all()
    return tuple(OrgRole(*row) for row in rows)
