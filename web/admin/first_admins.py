"""The first administrator of an organisation that has none yet: invite one, send an
invitation again, withdraw it (platform administrators only; anyone else gets 404)."""
from flask import current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from services import first_admins
from services.errors import Conflict, InvalidInput
from web.admin import bp
from web.admin.views import render_page
from web.organisations.staff import mail_invitation, message


def _back():
    return redirect(url_for("admin.organisations_page") + "#waiting")


@bp.post("/organisations/<int:org_id>/first-admin")
@login_required
def invite_first_admin(org_id):
    email = request.form.get("email", "").strip()
    try:
        created = first_admins.invite(current_user, org_id, email,
                                      current_app.config["INVITATION_DAYS"])
    except (InvalidInput, Conflict) as err:
        return render_page(errors={f"first_admin_{org_id}": message(err.code)},
                           values={"districts": [], "kind": "centre",
                                   f"first_admin_{org_id}": email},
                           status=409 if isinstance(err, Conflict) else 400)
    email = email.lower()
    if created.admin_added:
        flash(_("%(email)s is its administrator.", email=email), "success")
        return _back()
    flash(_("Invitation created. It works only for %(email)s.", email=email), "success")
    return render_page(link=mail_invitation(email, created.invitation_token))


@bp.post("/organisations/<int:org_id>/invitations/<int:invitation_id>/resend")
@login_required
def resend_first_admin(org_id, invitation_id):
    try:
        email, token = first_admins.resend(current_user, org_id, invitation_id,
                                           current_app.config["INVITATION_DAYS"])
    except (InvalidInput, Conflict) as err:
        return render_page(errors={f"first_admin_{org_id}": message(err.code)}, status=409)
    flash(_("The invitation is sent again with a new link; the earlier link no longer works."),
          "success")
    return render_page(link=mail_invitation(email, token))


@bp.post("/organisations/<int:org_id>/invitations/<int:invitation_id>/withdraw")
@login_required
def withdraw_first_admin(org_id, invitation_id):
    try:
        first_admins.withdraw(current_user, org_id, invitation_id)
    except InvalidInput as err:
        return render_page(errors={f"first_admin_{org_id}": message(err.code)}, status=409)
    flash(_("The invitation is withdrawn: its link no longer works."), "success")
    return _back()
