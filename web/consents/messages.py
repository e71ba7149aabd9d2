"""Texts for the refusals of services.consents (shared by the enterprise's and the
organisations' pages), keyed by the service's codes."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from services.access_vocabulary import vocabulary
from web.profile.forms import MESSAGES as PROFILE_MESSAGES

MESSAGES = {
    "scopes_required": _l("Choose at least one thing the organisation may do."),
    "scope_unknown": _l("Choose among the permissions listed."),
    "scope_not_for_kind": _l("One of the permissions chosen cannot be given to this kind of "
                             "organisation."),
    "control_characters": _l("Remove the invisible control characters (for example a pasted "
                             "line break or NUL) from this text."),
    "purpose_required": _l("Say what the data will be used for."),
    "purpose_too_long": _l("Keep the purpose under 500 characters."),
    "valid_until_required": _l("Enter the end date."),
    "valid_until_format": _l("Enter the end date as year-month-day, for example 2027-06-30."),
    "valid_until_past": _l("The end date has passed; choose today or a later day."),
    "organisation_unknown": _l("Choose one of the centres listed."),
    "uscc_or_email": _l("Enter either the unified social credit code or the owner's e-mail "
                        "(one of the two)."),
    "enterprise_not_found": _l("No registered enterprise matches. Check what you entered, or "
                               "ask the enterprise to register first."),
    "consent_open": _l("There is already a consent or an open request with this organisation. "
                       "It must be revoked, declined or expired first; nothing was changed."),
    "not_requested": _l("This request has already been decided or has expired; nothing was "
                        "changed."),
    "not_active": _l("This consent is no longer in force; nothing was changed."),
    **{code: text for code, text in PROFILE_MESSAGES.items() if code.startswith("uscc_")},
}


def message(code: str) -> str:
    """The refusal's text in the page's language."""
    if code == "valid_until_too_far":
        return _("A consent can run for at most %(days)d days; choose an earlier end date.",
                 days=vocabulary().consent_max_days)
    return str(MESSAGES.get(code) or _("This could not be done; nothing was changed."))
