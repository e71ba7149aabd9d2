"""Catalogue import for administrators: upload YAML or CSV; refused whole, nothing changes."""
from flask import current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.exceptions import NotFound

from diagnosis.catalogue import CatalogueError
from services import catalogue as catalogues
from web.plan import bp
from web.plan.texts import problem_text

ADMIN_ROLES = ("administrator", "centre_admin")


def _admin_only():
    if not current_user.has_role(*ADMIN_ROLES):
        raise NotFound()  # like every other page a person may not reach


@bp.route("/admin/catalogue", methods=["GET", "POST"])
@login_required
def admin_catalogue():
    _admin_only()
    problems, done, status = [], None, 200
    if request.method == "POST":
        files = [(f.filename, f.read()) for f in request.files.getlist("files") if f and f.filename]
        if not files:
            problems = [{"where": "", "message": _("Choose at least one file to import."), "detail": ""}]
            status = 400
        else:
            try:
                done = catalogues.import_files(files, current_app.config, replace=request.form.get("mode") == "replace",
                                               user_id=current_user.id)
            except CatalogueError as exc:
                problems = [problem_text(p) for p in exc.problems]
                status = 400
    cat = catalogues.current(current_app.config)
    return render_template("plan/admin.html", problems=problems, done=done, cat=cat,
                           imports=catalogues.recent_imports()), status
