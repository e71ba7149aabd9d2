"""A centre's consultations: its clients with statuses, search and filters, "assigned to me",
follow-ups due, and the admin's hand-over of a client to another consultant."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from services import organisations
from services import workspace as clients_workspace
from services.errors import InvalidInput, NotFound
from services.reference import load_districts, load_industries
from web.forms import not_a_form
from web.i18n import t
from web.organisations import bp
from web.organisations.views import _named


def _filters():
    args = request.args
    return {"query": args.get("q", "")[:100], "district": args.get("district", "")[:64],
            "industry": args.get("industry", "")[:8], "status": args.get("status", ""),
            "mine": args.get("mine") == "1"}


@bp.get("/<int:org_id>/workspace")
@login_required
def workspace(org_id):
    """The centre's clients with where each consultation stands."""
    org = organisations.for_staff(current_user, org_id)
    if org["kind"] != "centre":
        raise NotFound()
    filters = _filters()
    if filters["status"] not in ("",) + clients_workspace.STATUSES:
        filters["status"] = ""
    found = clients_workspace.workspace(current_user, org_id, **filters)
    _named(found["clients"])
    cfg = current_app.config
    districts = [{"value": d["value"], "name": t(d["name"])}
                 for d in load_districts(str(cfg["DISTRICTS_FILE"]))]
    sections = load_industries(str(cfg["INDUSTRIES_FILE"])).sections
    return render_template("organisations/workspace.html", org=org, found=found, f=filters,
                           districts=districts, sections=sections,
                           signed=clients_workspace.signed_reports(current_user, org_id))


@bp.post("/<int:org_id>/clients/<int:enterprise_id>/hand-over")
@login_required
def hand_over(org_id, enterprise_id):
    """Give the client to another of the centre's consultants (centre admins)."""
    organisations.for_staff(current_user, org_id)
    refused = not_a_form()
    if refused:
        return refused
    try:
        clients_workspace.hand_over(current_user, org_id, enterprise_id, request.form.get("consultant"))
    except InvalidInput:
        flash(_("Choose one of the centre's consultants; nothing was changed."), "error")
    else:
        flash(_("The client has been handed over."), "success")
    return redirect(url_for("organisations.workspace", org_id=org_id)), 303
