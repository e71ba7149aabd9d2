"""Translated messages for the account use cases' refusal codes (services raise the codes)."""
from flask_babel import lazy_gettext as _l

from services.passwords import MIN_PASSWORD

REFUSALS = {
    "email_taken": _l("An account with this e-mail already exists. Log in or reset the password."),
    "password_too_short": _l("Use at least %(num)d characters.", num=MIN_PASSWORD),
    "password_too_long": _l("Use at most 200 characters."),
    "password_is_email": _l("Do not use your e-mail address as the password."),
    "password_guessable": _l("This password is too easy to guess: it is common, or made of a "
                             "word, a name, a date, a keyboard pattern or your own details. Use "
                             "a few unrelated words or a longer phrase."),
    "name_required": _l("Enter your name."),
    "enterprise_name_required": _l("Enter the enterprise name."),
    "required": _l("This field is required."),
    "control_characters": _l("Remove the invisible control characters (for example a pasted "
                             "line break or NUL) from this text."),
    "reset_invalid": _l("This reset link is invalid, already used or expired. Ask for a new one."),
    "registration_invalid": _l("This registration link is invalid, already used or expired. "
                               "Register again, or log in if you have finished registering."),
    "invitation_invalid": _l("This invitation is invalid, already used or expired. "
                             "Ask your colleague for a new one."),
    "invitation_other_address": _l("This invitation was sent to another e-mail address than the "
                                   "one you are logged in with. Nothing was changed: log out and "
                                   "open the link again, or ask for an invitation to your own "
                                   "address."),
    "invitation_accepted": _l("This invitation has been accepted already."),
    "already_member": _l("This person already belongs to the enterprise."),
    "not_owner": _l("Only the enterprise's owner can invite colleagues."),
    "old_password_wrong": _l("The current password is wrong."),
    "cannot_disable_self": _l("You cannot disable your own account."),
    "deletion_password_wrong": _l("The password is wrong. Nothing was deleted."),
    "deletion_name_wrong": _l("Type the enterprise's name exactly as shown above. Nothing was "
                              "deleted."),
}

# Which form field a refusal belongs next to.
FIELDS = {
    "email_taken": "email",
    "password_too_short": "password", "password_too_long": "password",
    "password_is_email": "password", "password_guessable": "password",
    "name_required": "name", "enterprise_name_required": "enterprise_name",
    "old_password_wrong": "old_password",
    "deletion_password_wrong": "password", "deletion_name_wrong": "confirmation",
}


def refusal(code: str):
    """The message for a refusal code (a generic one for codes not listed)."""
    return REFUSALS.get(code, REFUSALS["required"])


def show_on(form, error, default_field: str) -> None:
    """Put a service refusal next to its field of `form`."""
    name = FIELDS.get(error.code, default_field)
    field = getattr(form, name, None) or getattr(form, default_field)
    field.errors = [*field.errors, refusal(error.code)]
