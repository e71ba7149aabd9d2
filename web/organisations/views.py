"""The organisation's home, a client's page and the invitation of an enterprise."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from services import (clients, consents, instrument_registry, on_site_views, organisations,
                      project_views)
from services import catalogue as catalogues
from services import workspace as clients_workspace
from services.errors import Conflict
from services.reference import load_districts, load_industries
from web.consents.messages import message
from web.consents.views import default_terms, scope_choices
from web.i18n import t
from web.organisations import bp


def _named(rows):
    """Add the industry and district names of each row's codes, in the page's language."""
    cfg = current_app.config
    industries = load_industries(str(cfg["INDUSTRIES_FILE"])).names
    districts = {d["value"]: d["name"] for d in load_districts(str(cfg["DISTRICTS_FILE"]))}
    for row in rows:
        code, district = row.get("industry_code"), row.get("district")
        row["industry_name"] = f"{code} {t(industries.get(code))}" if code else "—"
        row["district_name"] = t(districts.get(district)) or district or "—"
    return rows


@bp.get("/")
@login_required
def index():
    """The person's organisations; with one, straight to its home."""
    mine = organisations.mine(current_user)
    if len(mine) == 1:
        return redirect(url_for("organisations.home", org_id=mine[0]["id"]))
    return render_template("organisations/index.html", organisations=mine)


@bp.get("/<int:org_id>/")
@login_required
def home(org_id):
    """Clients whose consent is in force, and requests waiting for an enterprise's decision."""
    org = organisations.for_staff(current_user, org_id)
    page = request.args.get("page", "1")
    found = clients.clients(current_user, org_id, int(page) if page.isdigit() and len(page) < 7
                            else 1, current_app.config)
    _named(found["clients"])
    waiting = clients_workspace.in_review(current_user, org_id) if org["kind"] == "centre" else 0
    return render_template("organisations/home.html", org=org, found=found, in_review=waiting)


@bp.get("/<int:org_id>/clients/<int:enterprise_id>")
@login_required
def client(org_id, enterprise_id):
    """One client: profile, the consent, and its assessments when the consent covers them."""
    org = organisations.for_staff(current_user, org_id)
    found = clients.client(current_user, org_id, enterprise_id, current_app.config)
    _named([found["profile"]])
    registry = instrument_registry.instruments(current_app.config["QUESTIONNAIRES_DIR"])
    for row in found["assessments"] or ():
        known = registry.version(row["instrument"], row["version"]) or registry.get(row["instrument"])
        row["title"] = known.title if known else row["instrument"]
    visits = (on_site_views.for_client(current_user, org_id, enterprise_id)
              if org["kind"] == "centre" else {"assessments": [], "may_start": False})
    choices = [{"id": i.id, "title": i.title} for i in registry.values() if not i.indicative]
    projects = (project_views.for_organisation(
        current_user, org_id, catalogue=catalogues.current(current_app.config),
        settings=current_app.config, enterprise_id=enterprise_id)
        if org["kind"] in ("provider", "centre") else [])
    return render_template("organisations/client.html", org=org, c=found, visits=visits,
                           choices=choices, projects=projects)


@bp.route("/<int:org_id>/invite", methods=["GET", "POST"])
@login_required
def invite(org_id):
    """Ask an enterprise (by USCC or its owner's e-mail) for consent; its owner decides."""
    org = organisations.for_staff(current_user, org_id)
    values = dict(default_terms("client_consultation"), uscc="", owner_email="")
    if org["kind"] != "centre":
        values.update(scopes=[], purpose="")
    errors, status = {}, 200
    if request.method == "POST":
        form = request.form
        values = {"uscc": form.get("uscc", ""), "owner_email": form.get("owner_email", ""),
                  "scopes": form.getlist("scopes"), "purpose": form.get("purpose", ""),
                  "valid_until": form.get("valid_until", "")}
        try:
            consents.invite(current_user, org_id, uscc=values["uscc"],
                            owner_email=values["owner_email"], scopes=values["scopes"],
                            purpose=values["purpose"], valid_until=values["valid_until"],
                            settings=current_app.config)
        except consents.ConsentInvalid as err:
            errors = {field: message(code) for field, code in err.problems.items()}
            status = 400
        except Conflict as err:
            errors, status = {"form": message(err.code)}, 409
        else:
            flash(_("Request sent. The enterprise appears among your clients once its owner "
                    "accepts."), "success")
            return redirect(url_for("organisations.home", org_id=org_id))
    return render_template("organisations/invite.html", org=org, values=values, errors=errors,
                           scopes=scope_choices(org["kind"])), status
