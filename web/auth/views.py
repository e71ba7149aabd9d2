"""Register (confirmed by e-mail), log in and out, reset or change the password, language."""
from flask import (abort, current_app, flash, redirect, render_template, request,
                   session, url_for)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, logout_user

from services import accounts, registration, throttle
from services.errors import InvalidInput
from web.auth import bp
from web.auth.forms import (PASSWORD_HINT, ChangePasswordForm, LoginForm, RegisterForm, ResetForm,
                            ResetRequestForm)
from web.auth.messages import refusal, show_on
from web.auth.signin import remember_device, safe_next, sign_in, sign_out, throttle_keys
from web.i18n import LANGUAGES
from web.mail import mail_link, send
from web.nav import nav_for_current_user
from web.security import limiter


def home() -> str:
    """Where a signed-in person starts: the first menu entry past the home page."""
    for item in nav_for_current_user(current_app):
        if item["endpoint"] != "public.index":
            return item["url"]
    return url_for("public.index")


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["REGISTER_LIMIT"], methods=["POST"],
               scope="register-address")
def register():
    if current_user.is_authenticated:
        return redirect(home())
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            asked = registration.request_registration(
                form.email.data, form.password.data, form.name.data, form.enterprise_name.data,
                session.get("locale"), current_app.config["REGISTRATION_HOURS"])
        except InvalidInput as err:
            show_on(form, err, "email")
        else:
            _mail_registration(asked)
            # The same page whether or not the address has an account: the mail tells.
            return render_template("auth/check_mail.html", email=asked.email)
    return render_template("auth/register.html", form=form, password_hint=PASSWORD_HINT)


def _mail_registration(asked) -> None:
    if asked.token:
        link = mail_link("auth.confirm_registration", token=asked.token)
        send(asked.email, _("Confirm your registration"),
             _("Open this link to confirm your e-mail address and finish registering "
               "(valid for %(hours)d hours):", hours=current_app.config["REGISTRATION_HOURS"])
             + f"\n\n{link}\n", link)
    else:
        link = mail_link("auth.login")
        reset = mail_link("auth.reset_request")
        send(asked.email, _("You already have an account"),
             _("Someone (probably you) tried to register with this e-mail address, which "
               "already has an account. Log in at %(login)s, or choose a new password at "
               "%(reset)s. If it was not you, ignore this mail.", login=link, reset=reset))


@bp.route("/register/<token>", methods=["GET", "POST"])
def confirm_registration(token):
    """The mailed link: a button (not the visit itself) creates the account, so mail scanners
    that open links do not use it up."""
    info = registration.registration_info(token)
    if info is None:
        flash(refusal("registration_invalid"), "error")
        return redirect(url_for("auth.register"))
    if request.method == "POST":
        try:
            user_id = registration.complete_registration(token)
        except InvalidInput as err:
            flash(refusal(err.code), "error")
            return redirect(url_for("auth.register"))
        if current_user.is_authenticated:
            sign_out()
        sign_in(accounts.load_account(user_id))
        flash(_("Welcome! Please complete your enterprise profile first."), "success")
        return remember_device(redirect(url_for("profile.edit")), info["email"])
    return render_template("auth/confirm.html", info=info)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated and request.method == "GET":
        return redirect(safe_next(request.args.get("next")) or home())
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        keys = throttle_keys(form.email.data)
        wait = throttle.wait_seconds(keys)
        if wait:  # refused before the password is checked: guessing faster gains nothing
            form.password.errors = [_wait_message(wait)]
            status = 429
        else:
            account = accounts.authenticate(form.email.data, form.password.data)
            if account is not None:
                sign_in(account, remember=form.remember.data)
                if account.locale:
                    session["locale"] = account.locale
                response = redirect(safe_next(request.args.get("next")) or home())
                return remember_device(response, account.email)
            throttle.record_failure(keys)
            form.password.errors = [_("The e-mail or the password is wrong.")]
    return render_template("auth/login.html", form=form), status


def _wait_message(seconds: int) -> str:
    if seconds < 120:
        return ngettext("Too many wrong passwords for this account. Try again in %(num)d second.",
                        "Too many wrong passwords for this account. Try again in %(num)d seconds.",
                        seconds)
    return ngettext("Too many wrong passwords for this account. Try again in %(num)d minute.",
                    "Too many wrong passwords for this account. Try again in %(num)d minutes.",
                    (seconds + 59) // 60)


@bp.post("/logout")
def logout():
    sign_out()
    flash(_("You have logged out."), "success")
    return redirect(url_for("public.index"))


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RESET_LIMIT"], methods=["POST"],
               scope="reset-address")
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        token = accounts.start_password_reset(form.email.data,
                                              current_app.config["RESET_TOKEN_HOURS"])
        if token:
            link = mail_link("auth.reset_password", token=token)
            send(accounts.normalise_email(form.email.data), _("Reset your password"),
                 _("Open this link to choose a new password:") + f"\n\n{link}\n", link)
        # Same answer either way, so the page does not reveal who has an account.
        flash(_("If an account uses that e-mail, a reset link is on its way."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token):
    email = accounts.reset_email(token)
    if email is None:
        flash(refusal("reset_invalid"), "error")
        return redirect(url_for("auth.reset_request"))
    form = ResetForm()
    if form.validate_on_submit():
        try:
            accounts.finish_password_reset(token, form.password.data)
        except InvalidInput as err:
            show_on(form, err, "password")
        else:
            logout_user()
            flash(_("Your password is changed. Log in with the new one."), "success")
            # The link proved the mailbox: this browser counts as the owner's device.
            return remember_device(redirect(url_for("auth.login")), email)
    return render_template("auth/reset_password.html", form=form, password_hint=PASSWORD_HINT)


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            accounts.change_password(current_user, form.old_password.data, form.password.data)
        except InvalidInput as err:
            show_on(form, err, "password")
        else:
            flash(_("Your password is changed. You were logged out everywhere else."), "success")
            return redirect(url_for("auth.change_password"))
    status = 400 if form.errors else 200
    return render_template("auth/password.html", form=form, password_hint=PASSWORD_HINT), status


@bp.post("/enterprise")
@login_required
def choose_enterprise():
    """People of several enterprises choose which one they act for."""
    try:
        enterprise_id = int(request.form.get("enterprise_id", ""))
    except ValueError:
        abort(400)
    if enterprise_id not in current_user.enterprise_ids:
        abort(404)
    session["enterprise_id"] = enterprise_id
    return redirect(safe_next(request.form.get("next")) or home())


@bp.post("/language")
def set_language():
    locale = request.form.get("locale")
    if locale not in LANGUAGES:
        abort(400)
    session["locale"] = locale
    if current_user.is_authenticated:
        accounts.set_locale(current_user.id, locale)
    return redirect(safe_next(request.form.get("next")) or url_for("public.index"))
