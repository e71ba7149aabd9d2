"""Forms of the account pages (labels and messages translated lazily)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import EqualTo, InputRequired, Length, Regexp

from services.accounts import MIN_PASSWORD

EMAIL = Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Enter a valid e-mail address."))
REQUIRED = InputRequired(message=_l("This field is required."))


def _password_fields():
    password = PasswordField(_l("Password"), validators=[
        REQUIRED, Length(min=MIN_PASSWORD, max=200,
                         message=_l("Use at least %(num)d characters.", num=MIN_PASSWORD))])
    confirm = PasswordField(_l("Repeat the password"), validators=[
        REQUIRED, EqualTo("password", message=_l("The two passwords differ."))])
    return password, confirm


class RegisterForm(FlaskForm):
    enterprise_name = StringField(_l("Enterprise name"), validators=[REQUIRED, Length(max=200)])
    name = StringField(_l("Your name"), validators=[REQUIRED, Length(max=100)])
    email = EmailField(_l("E-mail"), validators=[REQUIRED, EMAIL, Length(max=200)])
    password, confirm = _password_fields()


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[REQUIRED, EMAIL])
    password = PasswordField(_l("Password"), validators=[REQUIRED])
    remember = BooleanField(_l("Keep me logged in on this device"))


class ResetRequestForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[REQUIRED, EMAIL])


class ResetForm(FlaskForm):
    password, confirm = _password_fields()


class InviteForm(FlaskForm):
    email = EmailField(_l("Colleague's e-mail"), validators=[REQUIRED, EMAIL, Length(max=200)])


class AcceptForm(FlaskForm):
    name = StringField(_l("Your name"), validators=[REQUIRED, Length(max=100)])
    password, confirm = _password_fields()
