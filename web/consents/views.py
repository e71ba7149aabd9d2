"""Routes of the enterprise's consents page and its access log."""
from datetime import timedelta

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from services import consents, organisations
from services.access_vocabulary import vocabulary
from services.errors import Conflict, NotFound
from web.consents import bp
from web.consents.messages import message
from web.i18n import lang

DEFAULT_SCOPES = ("view_assessments", "on_site_assessment")
DONE = {
    "accept": lambda: _("Consent given. The organisation can now do what it asked for."),
    "decline": lambda: _("Request declined. The organisation sees nothing of your data."),
    "revoke": lambda: _("Consent revoked. The organisation can no longer open your data."),
}


def _enterprise_id() -> int:
    if current_user.enterprise_id is None:
        raise NotFound()  # staff accounts have no enterprise
    return current_user.enterprise_id


def scope_choices(kind: str) -> list[dict]:
    """The permissions an organisation of `kind` may be given, with their texts."""
    return [{"id": s.id, "name": s.name, "description": s.description}
            for s in vocabulary().scopes_for(kind)]


def default_terms(purpose_id: str) -> dict:
    """A form's first terms: the default scopes, one of the service's own purposes in the
    page's language (shown to every later reader in theirs, unless edited) and a year."""
    until = consents.local_today(current_app.config) + timedelta(days=365)
    return {"scopes": list(DEFAULT_SCOPES), "purpose": vocabulary().purpose(purpose_id, lang()),
            "valid_until": until.isoformat()}


def _page(values=None, errors=None, status=200):
    enterprise_id = _enterprise_id()
    found = consents.for_enterprise(current_user, enterprise_id, current_app.config)
    values = values or dict(default_terms("consultation"), organisation="")
    taken = {c["organisation_id"] for c in found.awaiting + found.in_force}
    centres = [c for c in organisations.directory("centre") if c["id"] not in taken]
    return render_template(
        "consents/index.html", consents=found, owner=current_user.is_owner(enterprise_id),
        centres=centres, all_taken=bool(taken) and not centres, scopes=scope_choices("centre"),
        values=values, errors=errors or {}), status


@bp.get("/")
@login_required
def index():
    return _page()


@bp.post("/ask")
@login_required
def ask():
    """Ask a centre for a consultation: an owner's request is consent given at once."""
    enterprise_id = _enterprise_id()
    form = request.form
    values = {"organisation": form.get("organisation", ""), "scopes": form.getlist("scopes"),
              "purpose": form.get("purpose", ""), "valid_until": form.get("valid_until", "")}
    try:
        consents.ask(current_user, enterprise_id, values["organisation"], values["scopes"],
                     values["purpose"], values["valid_until"], current_app.config)
    except consents.ConsentInvalid as err:
        return _page(values, {field: message(code) for field, code in err.problems.items()}, 400)
    except Conflict as err:
        return _page(values, {"form": message(err.code)}, 409)
    if current_user.is_owner(enterprise_id):
        flash(_("Consent given. The centre sees your enterprise among its clients now."),
              "success")
    else:
        flash(_("Request saved. It takes effect once an owner of your enterprise accepts it."),
              "success")
    return redirect(url_for("consents.index"))


@bp.post("/<int:consent_id>/<any(accept, decline, revoke):decision>")
@login_required
def decide(consent_id, decision):
    """An owner accepts or declines a request, or revokes a consent in force."""
    _enterprise_id()
    try:
        getattr(consents, decision)(current_user, consent_id)
    except Conflict as err:
        return _page(errors={"form": message(err.code)}, status=409)
    flash(DONE[decision](), "success")
    return redirect(url_for("consents.index"))


@bp.get("/log")
@login_required
def log():
    """Who outside the enterprise read or changed its data, newest first."""
    page = request.args.get("page", "1")
    page = int(page) if page.isdigit() and len(page) < 7 else 1
    found = consents.access_log(current_user, _enterprise_id(), page)
    return render_template("consents/log.html", log=found)
