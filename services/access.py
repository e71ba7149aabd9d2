"""Who may reach which enterprise's data. Anything not theirs answers 404, so ids of
other enterprises reveal nothing (not even that they exist)."""
from sqlalchemy import select

from services.accounts import AccountUser
from services.assessments import assessment_with_profile
from services.errors import NotFound
from storage.db import db_session
from storage.models import Assessment, Enterprise, Membership


def _reaches(user, enterprise_id: int, allow_roles) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if allow_roles and user.has_role(*allow_roles):
        return True
    if isinstance(user, AccountUser):
        # Its memberships were read from the database for this very request.
        return enterprise_id in user.enterprise_ids
    return db_session.scalar(select(Membership.id).where(
        Membership.user_id == user.id, Membership.enterprise_id == enterprise_id)) is not None


def enterprise_for_user_or_404(user, enterprise_id, *, allow_roles=()) -> Enterprise:
    """The enterprise if `user` is one of its people (or has one of `allow_roles`), else 404."""
    try:
        enterprise_id = int(enterprise_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    enterprise = db_session.get(Enterprise, enterprise_id)
    if enterprise is None or not _reaches(user, enterprise_id, allow_roles):
        raise NotFound()
    return enterprise


def assessment_for_user_or_404(user, assessment_id, *, allow_roles=()) -> Assessment:
    """The assessment if it belongs to one of `user`'s enterprises (or allow_roles), else 404."""
    try:
        assessment_id = int(assessment_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    assessment = db_session.get(Assessment, assessment_id)
    if assessment is None or not _reaches(user, assessment.enterprise_id, allow_roles):
        raise NotFound()
    return assessment


def assessment_data_for_user_or_404(user, assessment_id, *, allow_roles=()) -> tuple[dict, dict]:
    """(assessment as a plain dict, its enterprise's profile) in one read, with the same rule
    and the same 404 as assessment_for_user_or_404."""
    try:
        assessment_id = int(assessment_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    found = assessment_with_profile(assessment_id)
    if found is None or not _reaches(user, found[0]["enterprise_id"], allow_roles):
        raise NotFound()
    return found
