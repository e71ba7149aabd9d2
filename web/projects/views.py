"""Routes of help requests and projects. Every decision is the services'; a refusal re-shows the
page with the reason in the person's language and changes nothing."""
from datetime import timedelta

from flask import (Response, current_app, flash, redirect, render_template, request, url_for)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.exceptions import RequestEntityTooLarge

from services import catalogue as catalogues
from services import consents, organisations, project_views, projects, referrals
from services.assessments import profile_of
from services.errors import Conflict, InvalidInput, NotFound
from services.file_store import MAX_BYTES
from web.i18n import t
from web.projects import bp
from web.projects.messages import message


def _catalogue():
    return catalogues.current(current_app.config)


@bp.get("/")
@login_required
def index():
    """The enterprise's projects, and the referrals or clients' projects of each organisation."""
    cfg, cat = current_app.config, _catalogue()
    mine = (project_views.for_enterprise(current_user, current_user.enterprise_id, catalogue=cat,
                                         settings=cfg)
            if current_user.enterprise_id is not None else None)
    orgs = [dict(o, projects=project_views.for_organisation(current_user, o["id"], catalogue=cat,
                                                            settings=cfg))
            for o in organisations.mine(current_user) if o["kind"] in ("provider", "centre")]
    return render_template("projects/index.html", mine=mine, orgs=orgs)


def _form_values(form=None):
    form = form or {}
    until = consents.local_today(current_app.config) + timedelta(days=365)
    return {"organisation_id": form.get("organisation_id", request.args.get("organisation", "")),
            "assessment_id": form.get("assessment_id", request.args.get("assessment", "")),
            "modules": form.getlist("modules") if form else
            [m for m in request.args.getlist("module") if m],
            "share": form.get("share", "summary"), "message": form.get("message", ""),
            "valid_until": form.get("valid_until", until.isoformat())}


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """Ask for help: with a provider offering the module(s), or a centre that finds one; share
    the level and plan summary or the full report, with consent until a chosen day."""
    enterprise_id = current_user.enterprise_id
    if enterprise_id is None:
        raise NotFound()
    values = _form_values(request.form if request.method == "POST" else None)
    cat, errors, status = _catalogue(), {}, 200
    modules = [m for m in values["modules"] if m in cat.modules]
    if request.method == "POST":
        try:
            pid = projects.request_help(current_user, enterprise_id, values, catalogue=cat,
                                        settings=current_app.config)
        except projects.ProjectInvalid as err:
            errors = {f: message(code) for f, code in err.problems.items()}
            status = 400
        except Conflict as err:
            errors, status = {"form": message(err.code)}, 409
        else:
            flash(_("Request sent. The organisation sees what you chose to share, and you can "
                    "revoke that on the data sharing page.") if current_user.is_owner(enterprise_id)
                  else _("Request saved. It is sent once an owner of your enterprise gives "
                         "consent on the data sharing page."), "success")
            return redirect(url_for("projects.show", project_id=pid))
    return render_template(
        "projects/new.html", values=values, errors=errors,
        modules=[{"id": m, "name": cat.modules[m].name} for m in modules],
        targets=project_views.help_targets(catalogue=cat, modules=modules)), status


def _show(project_id, errors=None, status=200):
    view = project_views.detail(current_user, project_id, catalogue=_catalogue(),
                                settings=current_app.config)
    return render_template("projects/show.html", p=view, errors=errors or {}), status


@bp.get("/<int:project_id>")
@login_required
def show(project_id):
    return _show(project_id)


def _refusal(project_id, err):
    if isinstance(err, projects.ProjectInvalid):
        return _show(project_id, {f: message(c) for f, c in err.problems.items()}, 400)
    params = dict(err.params)
    if err.code == "pack_incomplete":
        pack = projects.rules(current_app.config).pack
        params["items"] = "、".join(t(pack[i].name) for i in params.get("missing", ()) if i in pack)
    errors = {"form": message(err.code, **params)}
    if err.code == "no_candidates":  # the way on: the providers the catalogue lists
        errors["no_candidates"] = True
    return _show(project_id, errors, 409 if isinstance(err, Conflict) else 400)


@bp.post("/<int:project_id>/step/<step>")
@login_required
def step(project_id, step):
    """Take one step of the project (the service checks side, order and what it carries)."""
    project = projects.project_or_404(project_id)
    try:
        projects.move(current_user, project_id, step, amount=request.form.get("amount"),
                      reason=request.form.get("reason"), settings=current_app.config,
                      catalogue=_catalogue(), subsidy_rule=catalogues.subsidy_rule(current_app.config),
                      profile=profile_of(project.enterprise_id))
    except (InvalidInput, Conflict) as err:
        return _refusal(project_id, err)
    flash(_("Done: the project moved on."), "success")
    return redirect(url_for("projects.show", project_id=project_id))


@bp.post("/<int:project_id>/files")
@login_required
def upload(project_id):
    """Add a document to the acceptance pack (up to the file store's limit, 20 MB)."""
    request.max_content_length = MAX_BYTES + 64 * 1024
    try:
        upload = request.files.get("file")
        item = request.form.get("item", "")
    except RequestEntityTooLarge:
        return _refusal(project_id, InvalidInput("file_too_large", max_mb=MAX_BYTES // 2**20))
    if upload is None or not upload.filename:
        return _refusal(project_id, InvalidInput("file_missing"))
    try:
        projects.add_file(current_user, project_id, item, upload.filename, upload.stream,
                          current_app.config)
    except (InvalidInput, Conflict) as err:
        return _refusal(project_id, err)
    flash(_("Document added to the acceptance pack."), "success")
    return redirect(url_for("projects.show", project_id=project_id))


@bp.get("/<int:project_id>/files/<int:file_id>")
@login_required
def download(project_id, file_id):
    name, kind, raw = projects.file_bytes(current_user, project_id, file_id, current_app.config)
    response = Response(raw, mimetype=kind)
    response.headers["Content-Disposition"] = "attachment"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.post("/<int:project_id>/follow-up")
@login_required
def follow_up(project_id):
    """Name the post-upgrade assessment (T1)."""
    try:
        projects.link_follow_up(current_user, project_id, request.form.get("assessment_id"))
    except (InvalidInput, Conflict) as err:
        return _refusal(project_id, err)
    flash(_("Post-upgrade assessment linked."), "success")
    return redirect(url_for("projects.show", project_id=project_id))


@bp.post("/<int:project_id>/rating")
@login_required
def rating(project_id):
    """Rate the provider once the project is accepted."""
    aspects = projects.rules(current_app.config).rating_aspects
    try:
        projects.rate(current_user, project_id, {a: request.form.get(a, "") for a in aspects},
                      request.form.get("comment", ""), current_app.config)
    except (InvalidInput, Conflict) as err:
        return _refusal(project_id, err)
    flash(_("Thank you: your rating is part of the provider's outcome record."), "success")
    return redirect(url_for("projects.show", project_id=project_id))


@bp.post("/<int:project_id>/propose")
@login_required
def propose(project_id):
    """A centre consultant proposes a short list from the neutral ranking."""
    project = projects.project_or_404(project_id)
    try:
        referrals.propose(current_user, project_id, catalogue=_catalogue(),
                          profile=profile_of(project.enterprise_id))
    except (InvalidInput, Conflict) as err:
        return _refusal(project_id, err)
    flash(_("Short list proposed: the enterprise chooses one of them."), "success")
    return redirect(url_for("projects.show", project_id=project_id))


@bp.post("/<int:project_id>/choose")
@login_required
def choose(project_id):
    """The SME picks one of the proposed providers."""
    try:
        referrals.choose(current_user, project_id, request.form.get("provider", ""),
                         current_app.config)
    except (InvalidInput, Conflict) as err:
        return _refusal(project_id, err)
    flash(_("Request sent to the provider you chose, with the same sharing."), "success")
    return redirect(url_for("projects.show", project_id=project_id))
