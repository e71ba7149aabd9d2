"""The core's Problem codes in the page's language, for messages next to each field."""
from flask_babel import gettext as _

from diagnosis import plausibility
from web.i18n import lang, t


def _field(params):
    if params.get("field") == "numerator":
        return _("The first number")
    if params.get("field") == "denominator":
        return _("The second number")
    return _("The value")


def problem_text(problem, instrument=None):
    """One Problem (from diagnosis) as a sentence in the current language."""
    code, params = problem.code, dict(problem.params or {})
    if code == "option_not_offered":
        return _("Choose one of the options offered.")
    if code == "exclusive_combined":
        option = instrument.question(problem.item).option(params.get("option")) if instrument else None
        name = t(option.text) if option is not None else params.get("option", "")
        return _("“%(option)s” cannot be combined with other options.", option=name)
    if code == "duplicate_option":
        return _("Each option can be chosen only once.")
    if code == "empty_choice":
        return _("Choose at least one option, or the “none” option.")
    if code == "wrong_type":
        return _("This answer is not in the expected form; choose or enter it again.")
    if code == "negative":
        return _("%(field)s must not be negative.", field=_field(params))
    if code == "out_of_range":
        if params.get("min") is not None:
            return _("Choose a value from %(min)s to %(max)s.", min=_num(params.get("min")),
                     max=_num(params.get("max")))
        return _("%(field)s must not be above %(max)s.", field=_field(params),
                 max=_num(params.get("max")))
    if code == "zero_denominator":
        return _("The second number must be greater than 0.")
    if code == "numerator_exceeds_denominator":
        return _("The first number (%(numerator)s) cannot be larger than the second (%(denominator)s).",
                 numerator=_num(params.get("numerator")), denominator=_num(params.get("denominator")))
    if code == "required_missing":
        return _("Answer this question before submitting.")
    if code == "hidden_item_answered":
        return _("This question does not apply to your enterprise; its answer is not used.")
    if code == "not_applicable_not_allowed":
        return _("This question cannot be answered “not applicable”.")
    if code == "not_whole_number":
        return _("%(field)s is a count: enter a whole number, for example 12.", field=_field(params))
    if code == "implausible":
        check = _check(instrument, params.get("check"))
        if check is not None:
            return plausibility.message(check, {k: params[k] for k in ("rate", "value", "other") if k in params},
                                        lang())
        return _("This answer looks implausible; please check it.")
    if code == "unknown_item":
        return _("“%(item)s” is not a question of this questionnaire.", item=problem.item)
    return _("This answer cannot be accepted (%(code)s).", code=code)


def _num(value):
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _check(instrument, check_id):
    for check in getattr(instrument, "checks", ()):
        if check.id == check_id:
            return check
    return None
