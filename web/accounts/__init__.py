"""Account administration for administrators: list and search accounts, disable and
re-enable them, end a person's sessions. Everyone else gets 404."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required

from services import account_admin
from services.errors import InvalidInput
from web.auth.messages import refusal
from web.nav import nav_item

bp = Blueprint("accounts", __name__)
nav_item("accounts.index", _l("Accounts"), roles=("administrator",), order=85)

ROLE_NAMES = {"sme_user": _l("Enterprise user"), "consultant": _l("Consultant"),
              "centre_admin": _l("Centre administrator"), "bureau_analyst": _l("Bureau analyst"),
              "administrator": _l("Administrator")}


def _admin_only():
    if not current_user.has_role(account_admin.ADMIN_ROLE):
        abort(404)


@bp.get("/")
@login_required
def index():
    _admin_only()
    page = request.args.get("page", "1")
    if not page.isdigit() or len(page) > 6:
        abort(400)
    query = request.args.get("q", "")
    if len(query) > 200:
        abort(400)
    found = account_admin.list_accounts(current_user, query, int(page))
    return render_template("accounts/index.html", found=found, role_names=ROLE_NAMES)


def _back():
    args = {k: v for k, v in (("q", request.form.get("q", "")[:200]),
                              ("page", request.form.get("page", ""))) if v}
    if "page" in args and not args["page"].isdigit():
        args.pop("page")
    return redirect(url_for("accounts.index", **args))


@bp.post("/<int:user_id>/disable")
@login_required
def disable(user_id):
    _admin_only()
    try:
        email = account_admin.set_active(current_user, user_id, False)
    except InvalidInput as err:
        flash(refusal(err.code), "error")
    else:
        flash(_("%(email)s is disabled and logged out everywhere.", email=email), "success")
    return _back()


@bp.post("/<int:user_id>/enable")
@login_required
def enable(user_id):
    _admin_only()
    email = account_admin.set_active(current_user, user_id, True)
    flash(_("%(email)s can log in again.", email=email), "success")
    return _back()


@bp.post("/<int:user_id>/end-sessions")
@login_required
def end_sessions(user_id):
    _admin_only()
    ended = account_admin.end_sessions(current_user, user_id)
    flash(ngettext("%(num)d session ended.", "%(num)d sessions ended.", ended), "success")
    return _back()
