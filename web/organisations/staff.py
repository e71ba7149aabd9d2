"""Staff pages: admins list, invite and remove staff, see the invitations with their state,
withdraw or send one again; an invited person joins."""
from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from services import accounts, organisations, staff
from services.errors import Conflict, InvalidInput
from web.auth.forms import PASSWORD_HINT, AcceptForm
from web.auth.messages import REFUSALS, show_on
from web.auth.signin import remember_device, sign_in
from web.mail import mail_link, send
from web.organisations import bp

MESSAGES = {
    "email_format": _l("Enter a valid e-mail address."),
    "role_unknown": _l("Choose one of the roles listed."),
    "already_staff": _l("This person is already on the staff."),
    "last_admin": _l("The organisation needs at least one administrator: make someone else "
                     "one first. Nothing was changed."),
    "invitation_invalid": _l("This invitation is invalid, already used or expired. Ask the "
                             "organisation's administrator for a new one."),
    "log_in_first": _l("An account with this e-mail exists: log in first, then open the "
                       "link again."),
}


def message(code: str) -> str:
    return str(MESSAGES.get(code) or REFUSALS.get(code)
               or _("This could not be done; nothing was changed."))


def mail_invitation(email: str, token: str) -> str:
    """Mail the link (through the mail queue, web/mail.py); returns it for the page."""
    link = mail_link("organisations.accept_invitation", token=token)
    send(email, _("An invitation to join"),
         _("Open this link to join the staff of the organisation:") + f"\n\n{link}\n", link)
    return link


def _staff_page(org_id, *, link=None, errors=None, values=None, status=200):
    org = organisations.for_staff(current_user, org_id)
    found = staff.staff_list(current_user, org_id)  # NotFound unless an admin
    return render_template("organisations/staff.html", org=org, staff=found, link=link,
                           errors=errors or {}, values=values or {"email": "", "role": ""},
                           days=current_app.config["INVITATION_DAYS"]), status


@bp.route("/<int:org_id>/staff", methods=["GET", "POST"])
@login_required
def staff_page(org_id):
    """The staff list; posting the form invites a person (admins only, like the page)."""
    if request.method == "GET":
        return _staff_page(org_id)
    values = {"email": request.form.get("email", "").strip(), "role": request.form.get("role", "")}
    try:
        token = staff.invite(current_user, org_id, values["email"], values["role"],
                             current_app.config["INVITATION_DAYS"])
    except InvalidInput as err:
        field = "role" if err.code == "role_unknown" else "email"
        return _staff_page(org_id, errors={field: message(err.code)}, values=values, status=400)
    except Conflict as err:
        return _staff_page(org_id, errors={"email": message(err.code)}, values=values,
                           status=409)
    link = mail_invitation(accounts.normalise_email(values["email"]), token)
    flash(_("Invitation created. It works only for %(email)s.",
            email=accounts.normalise_email(values["email"])), "success")
    return _staff_page(org_id, link=link)


@bp.post("/<int:org_id>/staff/<int:membership_id>/remove")
@login_required
def remove_staff(org_id, membership_id):
    people = staff.staff_list(current_user, org_id)["people"]  # NotFound unless an admin
    yourself = any(p["membership_id"] == membership_id and p["is_you"] for p in people)
    try:
        staff.remove(current_user, org_id, membership_id)
    except Conflict as err:
        return _staff_page(org_id, errors={"form": message(err.code)}, status=409)
    flash(_("Removed from the staff. They no longer reach the organisation's clients."),
          "success")
    if yourself:
        return redirect(url_for("organisations.index"))
    return redirect(url_for("organisations.staff_page", org_id=org_id))


@bp.post("/<int:org_id>/staff/invitations/<int:invitation_id>/withdraw")
@login_required
def withdraw_invitation(org_id, invitation_id):
    try:
        staff.withdraw(current_user, org_id, invitation_id)  # NotFound unless an admin
    except InvalidInput as err:
        return _staff_page(org_id, errors={"form": message(err.code)}, status=409)
    flash(_("The invitation is withdrawn: its link no longer works."), "success")
    return redirect(url_for("organisations.staff_page", org_id=org_id))


@bp.post("/<int:org_id>/staff/invitations/<int:invitation_id>/resend")
@login_required
def resend_invitation(org_id, invitation_id):
    try:
        email, token = staff.resend(current_user, org_id, invitation_id,
                                    current_app.config["INVITATION_DAYS"])
    except (InvalidInput, Conflict) as err:
        return _staff_page(org_id, errors={"form": message(err.code)}, status=409)
    link = mail_invitation(email, token)
    flash(_("The invitation is sent again with a new link; the earlier link no longer works."),
          "success")
    return _staff_page(org_id, link=link)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token):
    """Join an organisation's staff: only as the invited e-mail address, once."""
    info = staff.invitation_info(token)
    if info is None:
        flash(message("invitation_invalid"), "error")
        return redirect(url_for("public.index"))
    signed_in = current_user.is_authenticated
    form = None if signed_in else AcceptForm()
    problem = None
    if signed_in and current_user.email != info["email"]:
        problem = message("invitation_other_address")
    elif not signed_in and info["has_account"]:
        problem = message("log_in_first")
    status = 200
    if request.method == "POST":
        status = 403 if signed_in and problem else 400
    if request.method == "POST" and problem is None and (signed_in or form.validate_on_submit()):
        try:
            user_id = staff.accept(token, actor=current_user if signed_in else None,
                                   name=form.name.data if form else "",
                                   password=form.password.data if form else "",
                                   locale=session.get("locale"))
        except (InvalidInput, Conflict) as err:
            if form is not None and err.code.startswith("password"):
                show_on(form, err, "password")
            else:
                problem = message(err.code)
            status = 403 if err.code == "invitation_other_address" else 400
        else:
            flash(_("You have joined %(name)s.", name=info["organisation"]), "success")
            response = redirect(url_for("organisations.home", org_id=info["organisation_id"]))
            if signed_in:
                return response
            sign_in(accounts.load_account(user_id))
            return remember_device(response, info["email"])
    return render_template("organisations/accept.html", info=info, form=form, problem=problem,
                           signed_in=signed_in, password_hint=PASSWORD_HINT), status
