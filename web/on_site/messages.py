"""Texts for the refusals of services.on_site (and its on_site_* steps) and services.file_store,
keyed by their codes."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

MESSAGES = {
    "reason_required": _l("Say why the answer changes: a changed answer needs a reason. "
                          "Nothing was saved."),
    "reason_too_long": _l("Keep the reason under 1000 characters. Nothing was saved."),
    "control_characters": _l("Remove the invisible control characters (for example NUL) from "
                             "the text. Nothing was saved."),
    "answer_invalid": _l("This answer is not one the item offers. Nothing was saved."),
    "unknown_item": _l("This item is not part of the assessment. Nothing was saved."),
    "unknown_state": _l("Choose verified or not verifiable. Nothing was saved."),
    "changed_meanwhile": _l("Someone else saved this item in the meantime; their answer is shown "
                            "now. Check it and save again if yours still differs."),
    "signed": _l("This assessment is signed and can no longer change. A correction is a new "
                 "on-site assessment referencing it."),
    "in_review": _l("This assessment is in review and cannot change until the reviewer sends it "
                    "back."),
    "not_in_review": _l("Only an assessment in review can be sent back or signed by a "
                        "reviewer."),
    "own_review": _l("A second person must review: you cannot review or sign your own on-site "
                     "assessment."),
    "incomplete": _l("Some required items have no verified answer yet; answer them first."),
    "no_self_assessment": _l("The enterprise has no submitted self-assessment of this "
                             "questionnaire version; start a blank on-site assessment instead."),
    "correction_other_version": _l("A correction uses the questionnaire version of the "
                                   "assessment it corrects."),
    "file_empty": _l("The file is empty; nothing was stored."),
    "file_type": _l("This kind of file is not accepted (checked by its content, not its name): "
                    "send a photo (JPEG, PNG, HEIC, WebP), a PDF or an office document. Nothing "
                    "was stored."),
    "file_missing": _l("Choose a file to upload."),
}


def message(code: str, **params) -> str:
    """The refusal's text in the page's language."""
    if code == "file_too_large":
        return _("The file is larger than %(mb)d MB; nothing was stored.",
                 mb=params.get("max_mb", 20))
    return str(MESSAGES.get(code) or _("This could not be done; nothing was changed."))
