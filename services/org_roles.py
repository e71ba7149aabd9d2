"""The organisations a person works for, as loaded with the signed-in person (AccountUser, in
services/accounts.py's one query)."""
from typing import NamedTuple


class OrgRole(NamedTuple):
    organisation_id: int
    kind: str  # centre | provider | bureau | platform
    role: str  # a role of that kind (data/access.yaml)
