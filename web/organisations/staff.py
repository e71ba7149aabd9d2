"""Staff pages: admins list, invite and remove staff; an invited person joins."""
from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user

from services import accounts, organisations, staff
from services.errors import Conflict, InvalidInput
from web.auth import REFUSALS
from web.auth.forms import AcceptForm
from web.auth.mail import send_link
from web.organisations import bp

MESSAGES = {
    "email_format": _l("Enter a valid e-mail address."),
    "role_unknown": _l("Choose one of the roles listed."),
    "already_staff": _l("This person is already on the staff."),
    "last_admin": _l("The organisation needs at least one administrator: make someone else "
                     "one first. Nothing was changed."),
    "invitation_invalid": _l("This invitation is invalid, already used or expired. Ask the "
                             "organisation's administrator for a new one."),
    "invitation_other_address": _l("This invitation was sent to another e-mail address. Log out "
                                   "and open the link again, or log in with that address."),
    "log_in_first": _l("An account with this e-mail exists: log in first, then open the "
                       "link again."),
}


def _message(code: str) -> str:
    return str(MESSAGES.get(code) or REFUSALS.get(code)
               or _("This could not be done; nothing was changed."))


def _staff_page(org_id, *, link=None, errors=None, values=None, status=200):
    org = organisations.for_staff(current_user, org_id)
    found = staff.staff_list(current_user, org_id)  # NotFound unless an admin
    return render_template("organisations/staff.html", org=org, staff=found, link=link,
                           errors=errors or {}, values=values or {"email": "", "role": ""},
                           days=current_app.config["INVITATION_DAYS"]), status


@bp.get("/<int:org_id>/staff")
@login_required
def staff_page(org_id):
    return _staff_page(org_id)


@bp.post("/<int:org_id>/staff")
@login_required
def invite_staff(org_id):
    values = {"email": request.form.get("email", "").strip(), "role": request.form.get("role", "")}
    try:
        token = staff.invite(current_user, org_id, values["email"], values["role"],
                             current_app.config["INVITATION_DAYS"])
    except InvalidInput as err:
        field = "role" if err.code == "role_unknown" else "email"
        return _staff_page(org_id, errors={field: _message(err.code)}, values=values, status=400)
    except Conflict as err:
        return _staff_page(org_id, errors={"email": _message(err.code)}, values=values,
                           status=409)
    link = url_for("organisations.accept_invitation", token=token, _external=True)
    send_link(accounts.normalise_email(values["email"]), _("An invitation to join"),
              _("Open this link to join the staff of the organisation:"), link)
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
        return _staff_page(org_id, errors={"form": _message(err.code)}, status=409)
    flash(_("Removed from the staff. They no longer reach the organisation's clients."),
          "success")
    if yourself:
        return redirect(url_for("organisations.index"))
    return redirect(url_for("organisations.staff_page", org_id=org_id))


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token):
    """Join an organisation's staff: only as the invited e-mail address, once."""
    info = staff.invitation_info(token)
    if info is None:
        flash(_message("invitation_invalid"), "error")
        return redirect(url_for("public.index"))
    signed_in = current_user.is_authenticated
    form = None if signed_in else AcceptForm()
    problem = None
    if signed_in and current_user.email != info["email"]:
        problem = _message("invitation_other_address")
    elif not signed_in and info["has_account"]:
        problem = _message("log_in_first")
    if request.method == "POST" and problem is None and (signed_in or form.validate_on_submit()):
        try:
            user_id = staff.accept(token, actor=current_user if signed_in else None,
                                   name=form.data["name"] if form else "",
                                   password=form.data["password"] if form else "",
                                   locale=session.get("locale"))
        except (InvalidInput, Conflict) as err:
            problem = _message(err.code)
        else:
            if not signed_in:
                login_user(accounts.load_account(user_id))
            flash(_("You have joined %(name)s.", name=info["organisation"]), "success")
            return redirect(url_for("organisations.home", org_id=info["organisation_id"]))
    status = 400 if request.method == "POST" else 200
    return render_template("organisations/accept.html", info=info, form=form, problem=problem,
                           signed_in=signed_in), status
