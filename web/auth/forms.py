"""Forms of the account pages (labels and messages translated lazily). The password rule
itself is services.passwords'; the forms only check length and that the two copies match."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import EqualTo, InputRequired, Length, Regexp

from services.passwords import MAX_PASSWORD, MIN_PASSWORD
from web.forms import TextForm

EMAIL = Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Enter a valid e-mail address."))
REQUIRED = InputRequired(message=_l("This field is required."))
PASSWORD_HINT = _l("At least %(num)d characters, hard to guess: a few unrelated words work "
                   "well. Not your e-mail address.", num=MIN_PASSWORD)


def _password_fields(label=_l("Password")):
    password = PasswordField(label, validators=[
        REQUIRED, Length(min=MIN_PASSWORD, max=MAX_PASSWORD,
                         message=_l("Use at least %(num)d characters.", num=MIN_PASSWORD))])
    confirm = PasswordField(_l("Repeat the password"), validators=[
        REQUIRED, EqualTo("password", message=_l("The two passwords differ."))])
    return password, confirm


class RegisterForm(TextForm):
    enterprise_name = StringField(_l("Enterprise name"), validators=[REQUIRED, Length(max=200)])
    name = StringField(_l("Your name"), validators=[REQUIRED, Length(max=100)])
    email = EmailField(_l("E-mail"), validators=[REQUIRED, EMAIL, Length(max=200)])
    password, confirm = _password_fields()


class LoginForm(TextForm):
    email = EmailField(_l("E-mail"), validators=[REQUIRED, EMAIL, Length(max=200)])
    password = PasswordField(_l("Password"), validators=[REQUIRED, Length(max=MAX_PASSWORD)])
    remember = BooleanField(_l("Keep me logged in on this device"))


class ResetRequestForm(TextForm):
    email = EmailField(_l("E-mail"), validators=[REQUIRED, EMAIL, Length(max=200)])


class ResetForm(TextForm):
    password, confirm = _password_fields()


class ChangePasswordForm(TextForm):
    old_password = PasswordField(_l("Current password"),
                                 validators=[REQUIRED, Length(max=MAX_PASSWORD)])
    password, confirm = _password_fields(_l("New password"))


class InviteForm(TextForm):
    email = EmailField(_l("Colleague's e-mail"), validators=[REQUIRED, EMAIL, Length(max=200)])


class AcceptForm(TextForm):
    name = StringField(_l("Your name"), validators=[REQUIRED, Length(max=100)])
    password, confirm = _password_fields()
