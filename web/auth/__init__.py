"""Accounts: register, log in/out, password reset, invitations, language choice."""
from urllib.parse import urlsplit

from flask import (Blueprint, abort, current_app, flash, redirect, render_template, request,
                   session, url_for)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user

from services import accounts
from web.auth.forms import (AcceptForm, InviteForm, LoginForm, RegisterForm, ResetForm,
                            ResetRequestForm)
from web.auth.mail import send_link
from web.i18n import LANGUAGES
from web.nav import nav_for_current_user, nav_item
from web.security import limiter, login_account_key

bp = Blueprint("auth", __name__)
nav_item("auth.invite", _l("Colleagues"), roles=("sme_user",), order=80)

REFUSALS = {
    "email_taken": _l("An account with this e-mail already exists. Log in or reset the password."),
    "password_too_short": _l("The password is too short."),
    "enterprise_name_required": _l("Enter the enterprise name."),
    "reset_invalid": _l("This reset link is invalid, already used or expired. Ask for a new one."),
    "invitation_invalid": _l("This invitation is invalid, already used or expired. "
                             "Ask your colleague for a new one."),
    "already_member": _l("This person already belongs to the enterprise."),
    "not_owner": _l("Only the enterprise's owner can invite colleagues."),
}


def _failed_login(response) -> bool:
    return response.status_code != 302  # only failed attempts count against the limits


def _safe_next(target: str | None) -> str | None:
    """Only same-site paths: an open redirect would help phishing."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _home() -> str:
    """Where a signed-in person starts: the first menu entry past the home page."""
    for item in nav_for_current_user(current_app):
        if item["endpoint"] != "public.index":
            return item["url"]
    return url_for("public.index")


@bp.route("/register", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(_home())
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user_id = accounts.register(form.email.data, form.password.data, form.name.data,
                                        form.enterprise_name.data, session.get("locale"))
        except accounts.AccountError as err:
            form.email.errors.append(REFUSALS[err.code])
        else:
            login_user(accounts.load_account(user_id))
            flash(_("Welcome! Please complete your enterprise profile first."), "success")
            return redirect(url_for("profile.edit"))
    return render_template("auth/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], methods=["POST"],
               deduct_when=_failed_login, scope="login-address")
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], methods=["POST"],
               key_func=login_account_key, deduct_when=_failed_login, scope="login-account")
def login():
    if current_user.is_authenticated and request.method == "GET":
        return redirect(_safe_next(request.args.get("next")) or _home())
    form = LoginForm()
    if form.validate_on_submit():
        account = accounts.authenticate(form.email.data, form.password.data)
        if account is not None:
            login_user(account, remember=form.remember.data)
            if account.locale:
                session["locale"] = account.locale
            return redirect(_safe_next(request.args.get("next")) or _home())
        form.password.errors.append(_("The e-mail or the password is wrong."))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout():
    logout_user()
    flash(_("You have logged out."), "success")
    return redirect(url_for("public.index"))


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], methods=["POST"],
               scope="reset-address")
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        token = accounts.start_password_reset(form.email.data,
                                              current_app.config["RESET_TOKEN_HOURS"])
        if token:
            send_link(accounts.normalise_email(form.email.data), _("Reset your password"),
                      _("Open this link to choose a new password:"),
                      url_for("auth.reset_password", token=token, _external=True))
        # Same answer either way, so the page does not reveal who has an account.
        flash(_("If an account uses that e-mail, a reset link is on its way."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token):
    if not accounts.reset_token_valid(token):
        flash(REFUSALS["reset_invalid"], "error")
        return redirect(url_for("auth.reset_request"))
    form = ResetForm()
    if form.validate_on_submit():
        accounts.finish_password_reset(token, form.password.data)
        logout_user()
        flash(_("Your password is changed. Log in with the new one."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)


@bp.route("/invite", methods=["GET", "POST"])
@login_required
def invite():
    enterprise_id = current_user.enterprise_id
    if enterprise_id is None:
        abort(404)
    owner = current_user.is_owner(enterprise_id)  # members see the people, owners also invite
    if request.method == "POST" and not owner:
        abort(404)
    form, link = InviteForm(), None
    if owner and form.validate_on_submit():
        try:
            token = accounts.invite(current_user, enterprise_id, form.email.data,
                                    current_app.config["INVITATION_DAYS"])
        except accounts.AccountError as err:
            form.email.errors.append(REFUSALS[err.code])
        else:
            link = url_for("auth.accept_invitation", token=token, _external=True)
            send_link(accounts.normalise_email(form.email.data), _("An invitation to join"),
                      _("Open this link to join your colleagues:"), link)
            flash(_("Invitation created. Send the link below to your colleague."), "success")
    return render_template("auth/invite.html", form=form, link=link, owner=owner,
                           members=accounts.members(enterprise_id))


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token):
    info = accounts.invitation_info(token)
    if info is None:
        flash(REFUSALS["invitation_invalid"], "error")
        return redirect(url_for("public.index"))
    signed_in = current_user.is_authenticated
    form = None if signed_in else AcceptForm()  # CSRFProtect checks the token for both
    if request.method == "POST" and (signed_in or form.validate_on_submit()):
        try:
            user_id = accounts.accept_invitation(
                token, user_id=current_user.id if signed_in else None,
                name=form.name.data if form else "",
                password=form.password.data if form else "",
                locale=session.get("locale"))
        except accounts.AccountError as err:
            flash(REFUSALS[err.code], "error")
        else:
            login_user(accounts.load_account(user_id))
            flash(_("You have joined %(name)s.", name=info["enterprise_name"]), "success")
            return redirect(_home())
    return render_template("auth/accept.html", form=form, info=info, signed_in=signed_in)


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
    return redirect(_safe_next(request.form.get("next")) or _home())


@bp.post("/language")
def set_language():
    locale = request.form.get("locale")
    if locale not in LANGUAGES:
        abort(400)
    session["locale"] = locale
    if current_user.is_authenticated:
        accounts.set_locale(current_user.id, locale)
    return redirect(_safe_next(request.form.get("next")) or url_for("public.index"))
