"""WTForms built at run time from instrument data: one form class per questionnaire page.

Each question becomes one field named after its id whose `.data` is the answer in the core's
JSON shape (option id, list of option ids, {"numerator", "denominator"}, int, "n/a") or None
when the person left it empty. Parsing errors (a value no option offers, a number that is
not a number) become field errors in the page's language; the core's own checks come later,
in services.answer_changes. Templates render the fields themselves (fieldsets, legends, help).
"""
from functools import lru_cache

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, Field
from wtforms.validators import ValidationError

from diagnosis.model import NA

# Posted keys that are not answers.
CONTROL_KEYS = frozenset({"csrf_token", "action", "items"})

MSG_CHOICE = _l("Choose one of the options offered.")
MSG_NUMBER = _l("Enter a number, for example 12 or 3.5.")
MSG_BOTH = _l("Enter both numbers, or leave both empty.")
MSG_NA_ALONE = _l("“Not applicable” cannot be combined with other answers.")
MSG_NA_NOT_ALLOWED = _l("This question cannot be answered “not applicable”.")
MSG_ONE_VALUE = _l("Give one answer only.")


class AnswerField(Field):
    """Base of the question fields: knows its question and which posted keys it reads."""

    def __init__(self, question, **kwargs):
        super().__init__(label=question.id, **kwargs)
        self.question = question

    @staticmethod
    def keys_for(name):
        """The posted keys of a question field called `name`."""
        return {name}

    def _value(self):
        return self.data

    def pre_validate(self, form):
        # Parsing already checked everything; process_errors are reported by Field.validate.
        pass


class ChoiceAnswerField(AnswerField):
    """single, scale and scenario questions: one value from a fixed list (radio buttons)."""

    def __init__(self, question, **kwargs):
        super().__init__(question, **kwargs)
        self.values = _choice_values(question)

    def process_formdata(self, valuelist):
        values = [v for v in valuelist if v != ""]
        if not values:
            self.data = None
            return
        if len(values) > 1:
            raise ValueError(MSG_ONE_VALUE)
        value = values[0]
        if value == NA:
            if not self.question.allow_na:
                raise ValueError(MSG_NA_NOT_ALLOWED)
            self.data = NA
            return
        if value not in self.values:
            raise ValueError(MSG_CHOICE)
        self.data = value if self.question.kind == "single" else int(value)

    @property
    def choice(self):
        """The selected value as the radio buttons' value text ("" when none)."""
        return "" if self.data is None else str(self.data)


class MultipleAnswerField(AnswerField):
    """multiple questions: any number of options (checkboxes); nothing ticked = unanswered."""

    def process_formdata(self, valuelist):
        values = [v for v in valuelist if v != ""]
        if not values:
            self.data = None
            return
        offered = {o.id for o in self.question.options}
        if NA in values:
            if not self.question.allow_na:
                raise ValueError(MSG_NA_NOT_ALLOWED)
            if len(values) > 1:
                raise ValueError(MSG_NA_ALONE)
            self.data = NA
            return
        if any(v not in offered for v in values) or len(set(values)) != len(values):
            raise ValueError(MSG_CHOICE)
        order = [o.id for o in self.question.options]
        self.data = sorted(values, key=order.index)

    @property
    def chosen(self):
        if isinstance(self.data, list):
            return set(self.data)
        return {NA} if self.data == NA else set()


class RateAnswerField(AnswerField):
    """rate questions: two numbers (e.g. networked devices / all devices) or not applicable."""

    @staticmethod
    def keys_for(name):
        return {f"{name}-numerator", f"{name}-denominator", f"{name}-na"}

    def process(self, formdata, data=None, extra_filters=None):
        self.process_errors = []
        self.raw = {"numerator": "", "denominator": ""}
        self.data = data
        if isinstance(data, dict):
            self.raw = {k: _plain(data.get(k)) for k in self.raw}
        if formdata is None:
            return
        got = {k: formdata.getlist(f"{self.name}-{k}") for k in ("numerator", "denominator", "na")}
        if any(len(v) > 1 for v in got.values()):
            self.process_errors.append(MSG_ONE_VALUE)
            return
        self.raw = {k: (got[k][0].strip() if got[k] else "") for k in ("numerator", "denominator")}
        try:
            self.data = self._parse(got["na"][0] if got["na"] else "")
        except ValueError as exc:
            self.process_errors.append(exc.args[0])

    def _parse(self, na):
        if na:
            if not self.question.allow_na or na != NA:
                raise ValueError(MSG_NA_NOT_ALLOWED)
            if self.raw["numerator"] or self.raw["denominator"]:
                raise ValueError(MSG_NA_ALONE)
            return NA
        num, den = self.raw["numerator"], self.raw["denominator"]
        if not num and not den:
            return None
        if not num or not den:
            raise ValueError(MSG_BOTH)
        return {"numerator": _number(num), "denominator": _number(den)}

    @property
    def is_na(self):
        return self.data == NA


def _number(text):
    try:
        value = float(text.replace(",", "").replace("，", ""))
    except ValueError:
        raise ValueError(MSG_NUMBER) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(MSG_NUMBER)
    return int(value) if value == int(value) and abs(value) < 2**53 else value


def _plain(value):
    return "" if value is None else str(value)


def _choice_values(question):
    if question.kind == "single" or question.kind == "scenario":
        return [o.id for o in question.options]
    low, high = int(question.min or 0), int(question.max or 0)
    return [str(v) for v in range(low, high + 1)]


_FIELD_CLASSES = {"single": ChoiceAnswerField, "scale": ChoiceAnswerField,
                  "scenario": ChoiceAnswerField, "multiple": MultipleAnswerField,
                  "rate": RateAnswerField}


class PageForm(FlaskForm):
    """Base of every page form; subclasses get one field per question on the page."""

    class Meta:
        csrf = False  # CSRFProtect checks every post (form field or X-CSRFToken header)

    question_ids = ()

    def answer_fields(self):
        return [self[f"q{i}"] for i in range(len(self.question_ids))]

    def field(self, qid):
        """The field of question `qid`."""
        return self[f"q{self.question_ids.index(qid)}"]

    def answers(self, only=None):
        """{question id: answer or None} for the page's questions (or the ids in `only`)."""
        return {f.name: f.data for f in self.answer_fields() if only is None or f.name in only}

    def errors_for(self, only=None):
        """{question id: [messages]} for fields in scope that failed to parse."""
        return {f.name: [str(m) for m in f.errors] for f in self.answer_fields()
                if f.errors and (only is None or f.name in only)}


def page_form_class(instrument, page):
    """A PageForm subclass for `page` of `instrument` (cached: instruments never change)."""
    return _page_form_class(instrument, page.number, tuple(page.question_ids))


@lru_cache(maxsize=128)
def _page_form_class(instrument, number, question_ids):
    attrs = {"question_ids": question_ids}
    for i, qid in enumerate(question_ids):
        question = instrument.question(qid)
        # Attribute names are positional so no question id can shadow a form attribute;
        # the posted name is the question id itself.
        attrs[f"q{i}"] = _FIELD_CLASSES[question.kind](question, name=qid)
    return type(f"Page{number}Form", (PageForm,), attrs)


def unknown_keys(instrument, page, formdata):
    """Posted keys that belong to no question on `page` (a forged or stale post)."""
    known = _posted_keys(instrument, tuple(page.question_ids))
    return sorted(k for k in formdata.keys() if k not in known)


@lru_cache(maxsize=128)
def _posted_keys(instrument, question_ids):
    # Every key a post of the page may carry: its questions' fields and the control keys.
    keys = set(CONTROL_KEYS)
    for qid in question_ids:
        keys |= _FIELD_CLASSES[instrument.question(qid).kind].keys_for(qid)
    return frozenset(keys)


def page_form(instrument, page, answers, formdata=None, only=None, prefill=None):
    """The page's form filled from stored `answers` (and `prefill` for unanswered questions:
    values shown, saved with the page), or parsed from `formdata` when posted; with `only`
    (question ids of the page), a form of just those questions."""
    if only is not None:
        chosen = set(only)
        ids = tuple(qid for qid in page.question_ids if qid in chosen)
        form_class = _page_form_class(instrument, page.number, ids)
    else:
        ids = tuple(page.question_ids)
        form_class = page_form_class(instrument, page)
    stored = {f"q{i}": answers.get(qid, (prefill or {}).get(qid)) for i, qid in enumerate(ids)}
    form = form_class(formdata=formdata, data=stored)
    if formdata is not None:
        # Validate parsing only (and CSRF, which the view checks separately for JSON replies).
        for field in form.answer_fields():
            field.errors = list(field.process_errors)
    return form


class PledgeForm(FlaskForm):
    """The truthfulness pledge ticked before submission."""

    class Meta:
        csrf = False  # CSRFProtect checks every post of the app before the view runs

    pledge = BooleanField(_l("I pledge that the answers are true and complete."))

    def validate_pledge(self, field):
        if not field.data:
            raise ValidationError(_l("Tick the pledge to submit the assessment."))
