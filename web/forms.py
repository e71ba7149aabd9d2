"""A form base for every form that stores what people type: text fields lose surrounding
spaces, refuse control characters (services.text's rule) and, when required, refuse text of
only spaces, each with a message next to the field."""
from flask import jsonify, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DecimalField, PasswordField, StringField
from wtforms.validators import StopValidation

from services.text import control_character

MSG_CONTROL = _l("Remove the invisible control characters (for example a pasted line break or "
                 "NUL) from this text.")
MSG_REQUIRED = _l("This field is required.")


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _plain_text(form, field):
    multiline = field.widget.__class__.__name__ == "TextArea"
    if control_character(field.data or "", multiline):
        raise StopValidation(MSG_CONTROL)
    if field.flags.required and not field.data:
        raise StopValidation(MSG_REQUIRED)


class TextForm(FlaskForm):
    """FlaskForm whose text fields (StringField and subclasses: e-mail, text areas; not
    passwords) follow the stored-text rule."""

    class Meta(FlaskForm.Meta):
        def bind_field(self, form, unbound_field, options):
            field_class = unbound_field.field_class
            if issubclass(field_class, StringField) and not issubclass(field_class, PasswordField):
                # Passed to bind(), which overrides the class's own: the class stays as it is.
                kwargs = unbound_field.kwargs
                options = dict(options, filters=[_strip, *kwargs.get("filters", ())],
                               validators=[_plain_text, *kwargs.get("validators", ())])
            return unbound_field.bind(form=form, **options)


MSG_NUMBER = _l("Enter a number, for example 1200 or 35.5.")


class FiniteDecimalField(DecimalField):
    """A DecimalField that refuses NaN, sNaN and infinities (Decimal parses them all; sNaN
    even breaks the range check) with a clear message instead."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None and not self.data.is_finite():
            self.data = None
            raise ValueError(MSG_NUMBER)


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def not_a_form(json_reply: bool = False):
    """The refusal of a POST that is not a filled HTML form, else None: 415 for another
    content type (JSON, text), 400 for an empty form. Without it a JSON post looks like a form
    that cleared every answer. Call it after the access check (unknown ids stay 404).
    `json_reply`: answer as the autosave route does ({"saved": false, "message"})."""
    if request.method != "POST":
        return None
    if request.mimetype not in FORM_TYPES:
        return _refuse(415, _("Nothing was saved: send the page's form (this request was "
                              "%(type)s).", type=request.mimetype or _("without a content type")),
                       json_reply)
    if not any(k != "csrf_token" for k in request.form):
        return _refuse(400, _("Nothing was saved: the form arrived empty. Reload the page and "
                              "try again."), json_reply)
    return None


def _refuse(status, message, json_reply):
    if json_reply:
        return jsonify(saved=False, message=message, errors={}), status
    from web.errors import error_response
    title = _("Unsupported request") if status == 415 else _("Bad request")
    return error_response(status, title, message)
