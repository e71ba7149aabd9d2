"""Routes of the API tokens page."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from services import api_tokens, organisations
from services.access_vocabulary import vocabulary
from services.errors import NotFound
from web.tokens import bp

EXPIRY_CHOICES = (30, 90, 365)


def _administered():
    """[{"id", "name"}] of the organisations the person may make service tokens for."""
    return [{"id": o["id"], "name": o["name"]} for o in organisations.mine(current_user)
            if o["role"] in vocabulary().admin_roles(o["kind"])]


def _message(code, params):
    if code == "token_scopes":
        return _("Choose at least one of the scopes listed.")
    if code == "token_expiry":
        return _("Choose one of the expiry periods listed.")
    if code == "control_characters":
        return _("Remove the invisible control characters from this text.")
    return _("Give the token a name of at most 255 characters, e.g. the system that uses it.")


def _page(new_token=None, values=None, errors=None, status=200):
    values = values or {"name": "", "scopes": [], "days": "90", "organisation": ""}
    return render_template(
        "tokens/index.html", tokens=api_tokens.listed(current_user), new_token=new_token,
        scopes=api_tokens.settings().scopes, expiry_choices=EXPIRY_CHOICES,
        organisations=_administered(), values=values, errors=errors or {}), status


@bp.get("/")
@login_required
def index():
    return _page()


@bp.post("/")
@login_required
def create():
    """Make a token and show it once, on this response only (never stored or redirected)."""
    form = request.form
    values = {"name": form.get("name", ""), "scopes": form.getlist("scopes"),
              "days": form.get("days", ""), "organisation": form.get("organisation", "")}
    organisation = values["organisation"]
    try:
        if organisation and not organisation.isdigit():
            raise NotFound()
        made = api_tokens.create(current_user, values["name"], values["scopes"],
                                 values["days"] or None, int(organisation) if organisation else None)
    except api_tokens.TokenInvalid as err:
        return _page(values=values, status=400, errors={
            field: _message(problem.code, problem.params) for field, problem in err.problems.items()})
    except NotFound:
        return _page(values=values, errors={"organisation": _(
            "Choose one of the organisations listed.")}, status=400)
    return _page(new_token=made.token)


@bp.post("/<int:token_id>/revoke")
@login_required
def revoke(token_id):
    """Revoke a token at once: the next request with it is refused."""
    api_tokens.revoke(current_user, token_id)
    flash(_("Token revoked. Requests with it are refused from now on."), "success")
    return redirect(url_for("tokens.index"))
