"""A form base for every form that stores what people type: text fields lose surrounding
spaces, refuse control characters (services.text's rule) and, when required, refuse text of
only spaces, each with a message next to the field. And the rule that pages take HTML forms
only (`refuse_other_bodies`, run before every page's view)."""
from urllib.parse import unquote_to_bytes

from flask import current_app, jsonify, request
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
BODY_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def refuse_other_bodies():
    """Before every page's view: a body that is not an HTML form (JSON, text, bytes of no
    type) is refused with 415 and nothing is read from it, a form that is not UTF-8 with 400.
    Forms (FlaskForm) would otherwise take a JSON body for their fields, and a JSON array or a
    deeply nested document breaks them (500). The JSON API (/api/) reads JSON and has its own
    checks; a request that matched no route is left to its 404 or 405."""
    if request.method not in BODY_METHODS or request.url_rule is None \
            or request.blueprint == "api":
        return None
    from web.errors import wants_json
    view = current_app.view_functions.get(request.endpoint)
    json_reply = wants_json() or getattr(view, "answers_json", False)
    if request.mimetype == FORM_TYPES[0] and _not_utf8():
        return _refuse(400, _("Nothing was saved: the form was not sent as UTF-8 text. Reload "
                              "the page and send it again."), json_reply)
    if request.mimetype in FORM_TYPES or (not request.mimetype and not request.content_length):
        return None  # a form, or no body at all (a button's post, left to the view)
    return _refuse(415, _other_type(), json_reply)


def answers_json(view):
    """Mark a view that answers JSON only (a page script's): its refusals are JSON too."""
    view.answers_json = True
    return view


def _not_utf8() -> bool:
    # Werkzeug drops or keeps undecoded what is not UTF-8 (a form of broken bytes arrives
    # empty, and an empty form is a button's post), so the raw body is checked. Overlong
    # sequences fail too. (Multipart bodies are left to the views: reading them here would
    # apply the 1 MB limit before an upload's view can raise it.)
    try:
        unquote_to_bytes(request.get_data(cache=True).replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def _other_type() -> str:
    return _("Nothing was saved: send the page's form (this request was %(type)s).",
             type=request.mimetype or _("without a content type"))


def not_a_form(json_reply: bool = False):
    """The refusal of a POST that is not a filled HTML form, else None: 415 for another
    content type (JSON, text), 400 for an empty form. Without it a JSON post looks like a form
    that cleared every answer. Call it after the access check (unknown ids stay 404).
    `json_reply`: answer as the autosave route does ({"saved": false, "message"})."""
    if request.method != "POST":
        return None
    if request.mimetype not in FORM_TYPES:
        return _refuse(415, _other_type(), json_reply)
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
