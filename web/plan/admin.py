"""Catalogue administration: import YAML or CSV (refused whole, nothing changes), export, edit
one module or provider with the import's validation, and the format help."""
from pathlib import Path

import yaml
from flask import Response, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markdown_it import MarkdownIt
from markupsafe import Markup
from werkzeug.exceptions import NotFound

from diagnosis.catalogue import CatalogueError
from diagnosis.reader import safe_load
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


KINDS = ("modules", "providers")
FORMATS = {"yaml": "application/x-yaml", "csv": "text/csv"}


@bp.get("/admin/catalogue/export/<kind>.<fmt>")
@login_required
def admin_export(kind, fmt):
    """The catalogue in use, one kind, as a YAML or CSV file (also the template for an import)."""
    _admin_only()
    if kind not in KINDS or fmt not in FORMATS:
        raise NotFound()
    response = Response(catalogues.export(kind, current_app.config, fmt), mimetype=FORMATS[fmt])
    response.headers["Content-Disposition"] = f"attachment; filename={kind}.{fmt}"
    return response


@bp.get("/admin/catalogue/format")
@login_required
def admin_format():
    """The catalogue format and the ranking formula (catalogues/README.md), inside the app,
    rendered from its Markdown (CommonMark and tables; raw HTML in it is shown as text)."""
    _admin_only()
    text = (Path(current_app.config["CATALOGUES_DIR"]) / "README.md").read_text(encoding="utf-8")
    return render_template("plan/admin_format.html", guide=Markup(_guide_html(text)))


def _guide_html(text):
    """HTML of a Markdown guide (CommonMark and tables; raw HTML in it is shown as text), its
    headings one level down: the page's own title is the h1."""
    markdown = MarkdownIt("commonmark", {"html": False}).enable("table")
    tokens = markdown.parse(text)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"
    return markdown.renderer.render(tokens, markdown.options, {})


@bp.route("/admin/catalogue/<kind>/<entry_id>", methods=["GET", "POST"])
@login_required
def admin_entry(kind, entry_id):
    """Edit one module or provider as YAML; checked exactly as an import (merged by id), so a
    refusal lists every problem and changes nothing."""
    _admin_only()
    cat = catalogues.current(current_app.config)
    entries = cat.modules if kind == "modules" else cat.providers if kind == "providers" else {}
    if entry_id not in entries:
        raise NotFound()
    problems, done, status = [], None, 200
    if request.method == "POST":
        text = request.form.get("entry", "")
        try:
            entry = safe_load(text)
        except yaml.YAMLError:
            entry = None
        if not isinstance(entry, dict) or entry.get("id") != entry_id:
            problems = [{"where": "", "detail": "", "message": _(
                "Write one entry as YAML, keeping its id “%(id)s”.", id=entry_id)}]
        else:
            try:
                done = catalogues.import_files(
                    [(f"{kind}.yaml", yaml.safe_dump({"catalogue": kind, kind: [entry]},
                                                     allow_unicode=True))],
                    current_app.config, user_id=current_user.id)
            except CatalogueError as exc:
                problems = [problem_text(p) for p in exc.problems]
        status = 400 if problems else 200
    else:
        text = _entry_yaml(kind, entry_id)
    return render_template("plan/admin_entry.html", kind=kind, entry_id=entry_id, text=text,
                           problems=problems, done=done), status


def _entry_yaml(kind, entry_id) -> str:
    doc = safe_load(catalogues.export(kind, current_app.config, "yaml"))
    entry = next(e for e in doc[kind] if e.get("id") == entry_id)
    return yaml.safe_dump(entry, allow_unicode=True, sort_keys=False, width=100)
