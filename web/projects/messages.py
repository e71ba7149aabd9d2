"""Texts for the refusals of services.projects, keyed by the service's codes."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from web.consents.messages import MESSAGES as CONSENT_MESSAGES
from web.consents.messages import message as consent_message
from web.on_site.messages import message as file_message

MESSAGES = {
    "organisation_unknown": _l("Choose one of the providers or centres listed."),
    "provider_unavailable": _l("This provider is suspended or removed and takes no requests; "
                               "choose another one."),
    "provider_not_offering": _l("This provider does not offer the module(s) asked for; choose "
                                "one that does, or ask a centre."),
    "module_unknown": _l("Choose modules from the catalogue."),
    "share_required": _l("Choose what to share: the level and plan summary, or the full report."),
    "message_too_long": _l("Keep the text under 1,000 characters."),
    "step_unknown": _l("There is no such step."),
    "not_your_step": _l("This step belongs to the other party of the project; nothing was changed."),
    "step_out_of_order": _l("This step cannot be taken now: the project is not at the step it "
                            "follows. Nothing was changed."),
    "amount_required": _l("Enter the amount in yuan."),
    "amount_not_number": _l("Enter the amount in yuan as digits, for example 86000."),
    "amount_negative": _l("The amount cannot be below zero."),
    "amount_not_whole": _l("Enter the amount in whole yuan."),
    "amount_too_large": _l("This amount is too large; check the digits."),
    "reason_required": _l("Give the reason."),
    "reason_too_long": _l("Keep the reason under 1,000 characters."),
    "pack_item_unknown": _l("Choose one of the documents of the acceptance pack."),
    "pack_closed": _l("Documents are added while the project is contracted or being implemented."),
    "follow_up_unsuitable": _l("Choose a submitted assessment of the same questionnaire, made "
                               "after the one the request came from."),
    "rate_before_acceptance": _l("The provider is rated once the project is accepted."),
    "rating_range": _l("Choose from 1 to 5."),
    "already_rated": _l("This project has already been rated; nothing was changed."),
    "project_moved": _l("Someone else moved this project on meanwhile; nothing was changed. "
                        "Here is where it stands now."),
    "deadline_format": _l("Enter the deadline as year-month-day, for example 2027-06-30."),
    "deadline_past": _l("The deadline has passed; choose today or a later day."),
    "not_through_centre": _l("Only a request made through the centre gets a short list."),
    "no_candidates": _l("No provider with an account offers these modules for this enterprise "
                        "yet; nothing was changed."),
    "not_proposed": _l("Choose one of the providers the centre proposed."),
    "control_characters": CONSENT_MESSAGES["control_characters"],
}


def message(code: str, **params) -> str:
    """The refusal's text in the page's language."""
    if code == "pack_incomplete":
        return _("The acceptance pack is not complete yet; missing: %(items)s.",
                 items=params.get("items", ""))
    if code.startswith("file_"):  # the shared file store's refusals, worded once
        return file_message(code, **params)
    if code in MESSAGES:
        return str(MESSAGES[code])
    return consent_message(code)
