"""Colleagues: the enterprise's people, invitations with their state (owners invite, withdraw,
send again), and accepting an invitation (only under the address it was sent to)."""
from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from services import accounts, invitations
from services.errors import InvalidInput
from web.auth import bp
from web.auth.forms import PASSWORD_HINT, AcceptForm, InviteForm
from web.auth.messages import refusal, show_on
from web.auth.signin import remember_device, sign_in
from web.auth.views import home
from web.mail import mail_link, send


def _mail_invitation(email: str, token: str) -> str:
    link = mail_link("auth.accept_invitation", token=token)
    send(email, _("An invitation to join"),
         _("Open this link to join your colleagues:") + f"\n\n{link}\n", link)
    return link


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
            token = invitations.invite(current_user, enterprise_id, form.email.data,
                                       current_app.config["INVITATION_DAYS"])
        except InvalidInput as err:
            show_on(form, err, "email")
        else:
            link = _mail_invitation(accounts.normalise_email(form.email.data), token)
            flash(_("Invitation created. Send the link below to your colleague."), "success")
    sent = invitations.invitations(current_user, enterprise_id) if owner else []
    return render_template("auth/invite.html", form=form, link=link, owner=owner,
                           members=accounts.members(enterprise_id), invitations=sent,
                           days=current_app.config["INVITATION_DAYS"]), 400 if form.errors else 200


def _owner_enterprise() -> int:
    enterprise_id = current_user.enterprise_id
    if enterprise_id is None or not current_user.is_owner(enterprise_id):
        abort(404)
    return enterprise_id


@bp.post("/invitations/<int:invitation_id>/withdraw")
@login_required
def withdraw_invitation(invitation_id):
    try:
        invitations.withdraw(current_user, _owner_enterprise(), invitation_id)
    except InvalidInput as err:
        flash(refusal(err.code), "error")
    else:
        flash(_("The invitation is withdrawn: its link no longer works."), "success")
    return redirect(url_for("auth.invite"))


@bp.post("/invitations/<int:invitation_id>/resend")
@login_required
def resend_invitation(invitation_id):
    enterprise_id = _owner_enterprise()
    try:
        email, token = invitations.resend(current_user, enterprise_id, invitation_id,
                                          current_app.config["INVITATION_DAYS"])
    except InvalidInput as err:
        flash(refusal(err.code), "error")
        return redirect(url_for("auth.invite"))
    link = _mail_invitation(email, token)
    flash(_("The invitation is sent again with a new link; the earlier link no longer works."),
          "success")
    return render_template("auth/invite.html", form=InviteForm(formdata=None), link=link,
                           owner=True, members=accounts.members(enterprise_id),
                           invitations=invitations.invitations(current_user, enterprise_id),
                           days=current_app.config["INVITATION_DAYS"])


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token):
    info = invitations.invitation_info(token)
    if info is None:
        flash(refusal("invitation_invalid"), "error")
        return redirect(url_for("public.index"))
    signed_in = current_user.is_authenticated
    other_address = signed_in and accounts.normalise_email(current_user.email) != info["email"]
    form = None if signed_in else AcceptForm()  # CSRFProtect checks the token for both
    status = 200
    if request.method == "POST" and (signed_in or form.validate_on_submit()):
        try:
            user_id = invitations.accept_invitation(
                token, account=current_user if signed_in else None,
                name=form.name.data if form else "",
                password=form.password.data if form else "", locale=session.get("locale"))
        except InvalidInput as err:
            if form is not None and err.code.startswith("password"):
                show_on(form, err, "password")
            else:
                flash(refusal(err.code), "error")
            status = 403 if err.code == "invitation_other_address" else 400
        else:
            flash(_("You have joined %(name)s.", name=info["enterprise_name"]), "success")
            if signed_in:
                return redirect(home())
            sign_in(accounts.load_account(user_id))
            return remember_device(redirect(home()), info["email"])
    return render_template("auth/accept.html", form=form, info=info, signed_in=signed_in,
                           other_address=other_address, password_hint=PASSWORD_HINT), status
