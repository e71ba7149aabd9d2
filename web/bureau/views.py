"""Routes of the bureau dashboard: filters in the query string, figures from services.bureau."""
from dataclasses import replace
from datetime import date

from flask import abort, current_app, render_template, request, Response
from flask_login import current_user

from services import (access, aggregate_counts, aggregate_exports, aggregate_query, aggregates,
                      bureau, bureau_figures, figure_sheets, instrument_registry, organisations, rescore)
from services.access_vocabulary import vocabulary
from services.errors import NotFound
from services.reference import load_districts, load_industries, load_priority_industries
from web.bureau import bp
from web.i18n import lang
from web.plan.texts import category_name

FILTERS = ("instrument", "since", "as_of", "industry", "priority", "district", "size_class",
           "mode")


def _scope():
    """The signed-in person's bureau scope, or NotFound (404) for anyone else."""
    if not current_user.is_authenticated:
        raise NotFound()
    return access.bureau_scope(current_user)


def _is_admin(scope):
    return current_user.org_role(scope.organisation_id) in vocabulary().admin_roles("bureau")


def _query(scope):
    config = current_app.config
    registry = instrument_registry.instruments(config["QUESTIONNAIRES_DIR"])
    raw = {key: request.args.get(key) for key in FILTERS}
    raw["instrument"] = raw["instrument"] or "cn-sme-2024"
    raw["by"] = request.args.get("rows") or "district"
    query = aggregates.parse(raw, organisations.reference(config), registry, date.today(),
                             k=config["DISCLOSURE_K"], scope=scope)
    levels = registry[query.instrument].levels
    return query, levels, raw


def _choices():
    config = current_app.config
    industries = load_industries(str(config["INDUSTRIES_FILE"]))
    return {"districts": load_districts(str(config["DISTRICTS_FILE"])),
            "sections": industries.sections, "priorities": _priorities(),
            "by_keys": aggregate_query.BY_KEYS,
            "modes": aggregate_query.MODES, "size_classes": aggregate_query.SIZE_CLASSES}


def _priorities():
    config = current_app.config
    return load_priority_industries(str(config["PRIORITY_INDUSTRIES_FILE"]),
                                    str(config["INDUSTRIES_FILE"]))


def _axes():
    rows = request.args.get("rows") or "district"
    cols = request.args.get("cols") or "size_class"
    return rows, cols


def _validated(scope):
    """(query, levels, rows, cols) from the query string, or QueryInvalid."""
    rows, cols = _axes()
    query, levels, _ = _query(scope)
    if cols not in aggregate_query.BY_KEYS:
        raise aggregates.QueryInvalid([("cols", "unknown_by", cols)])
    return query, levels, rows, cols


@bp.get("/")
def dashboard():
    scope = _scope()
    try:
        query, levels, rows, cols = _validated(scope)
    except aggregates.QueryInvalid as err:
        rows, cols = _axes()
        values = {key: request.args.get(key, "") for key in FILTERS}
        return render_template("bureau/dashboard.html", errors=err.texts(lang()),
                               values=values, rows=rows, cols=cols, data=None,
                               choices=_choices()), 400
    data, names, charts = bureau.page_data(query, levels, rows, cols, scope,
                                           current_app.config, lang())
    values = {**{key: request.args.get(key, "") for key in FILTERS},
              "as_of": query.as_of.isoformat(), "instrument": query.instrument}
    return render_template("bureau/dashboard.html", errors=None, values=values, rows=rows,
                           cols=cols, data=data, level_names=names, charts=charts,
                           choices=_choices(), query=query, scope=scope, category_name=category_name,
                           is_admin=_is_admin(scope),
                           export_args={**request.args})


@bp.get("/brief.pdf")
def brief():
    """The PDF brief of the same figures, filters and date on its cover."""
    scope = _scope()
    try:
        query, levels, rows, cols = _validated(scope)
    except aggregates.QueryInvalid as err:
        return Response("\n".join(err.messages(lang())), 400, mimetype="text/plain")
    data, names, charts = bureau.page_data(query, levels, rows, cols, scope,
                                           current_app.config, lang())
    filters = [(key, value) for key, value in query.filters().items()
               if key not in ("as_of", "since") and value and (value != "all" or key == "priority")]
    scope_text = ", ".join(sorted(scope.districts | scope.industries)) or "—"
    html = render_template("bureau/brief.html", data=data, level_names=names, charts=charts,
                           rows=rows, cols=cols, query=query, filters=filters, scope_text=scope_text, lang=lang(),
                           priority_names={g["id"]: g["name"] for g in _priorities()},
                           category_name=category_name)
    from reports.pdf import html_to_pdf  # WeasyPrint: loaded by the first brief

    pdf = html_to_pdf(html, report_id=f"brief-{query.instrument}-{query.as_of.isoformat()}")
    name = f"brief_{query.instrument}_{query.as_of.isoformat()}.pdf"
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


CSV_TABLES = ("table", *figure_sheets.SHEETS, "notes")


@bp.get("/export.<fmt>")
def export(fmt):
    """The level table and every further figure: XLSX one sheet each plus notes; CSV one
    file each, chosen with `table=` (default the level table)."""
    scope = _scope()
    if fmt not in ("csv", "xlsx"):
        raise NotFound()
    wanted = request.args.get("table") or "table"
    try:
        query, levels, rows, cols = _validated(scope)
        if fmt == "csv" and wanted not in CSV_TABLES:
            raise aggregates.QueryInvalid([("table", "unknown_table", wanted)])
    except aggregates.QueryInvalid as err:
        return Response("\n".join(err.messages(lang())), 400, mimetype="text/plain")
    by = (rows,) if rows == cols else (rows, cols)
    table = aggregates.table(replace(query, by=by), [level.id for level in levels], scope)
    further = ([] if fmt == "csv" and wanted in ("table", "notes")
               else figure_sheets.sheets(bureau_figures.for_settings(query, scope,
                                                                     current_app.config), lang()))
    if fmt == "csv":
        sheet_rows = dict(further, table=aggregate_exports.rows(table, lang()),
                          notes=aggregate_exports.notes(table, lang(), _priorities()))[wanted]
        body, mimetype = aggregate_exports.csv_bytes(sheet_rows), "text/csv; charset=utf-8"
    else:
        body = aggregate_exports.to_xlsx(table, lang(), further, _priorities())
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    suffix = "" if wanted == "table" or fmt == "xlsx" else f"_{wanted}"
    name = f"aggregates_{query.instrument}_{query.as_of.isoformat()}{suffix}.{fmt}"
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/named")
def named():
    scope = _scope()
    return render_template("bureau/named.html", firms=bureau.named_list(current_user, scope))


@bp.route("/what-if", methods=["GET", "POST"])
def what_if():
    """Administrators of the bureau: the level distribution of the stored assessments under an
    uploaded, changed instrument file, protected like every figure. Writes nothing."""
    scope = _scope()
    if not _is_admin(scope):
        abort(404)
    config = current_app.config
    current = instrument_registry.instruments(config["QUESTIONNAIRES_DIR"]).get(
        request.values.get("instrument") or "cn-sme-2024")
    if current is None:
        abort(404)
    within = aggregate_counts.conditions(
        aggregate_query.Query(current.id, current.version, ("district",), date.today()), scope)
    found, errors, status = None, None, 200
    if request.method == "POST":
        upload = request.files.get("file")
        try:
            changed = rescore.changed_instrument(upload.filename if upload else "",
                                                 upload.read() if upload else b"", current)
            found = rescore.what_if(changed, current.version, k=config["DISCLOSURE_K"],
                                    where=list(within))
        except rescore.FileInvalid as err:
            errors, status = err.messages(lang()), 400
    return render_template("bureau/what_if.html", found=found, errors=errors,
                           instrument=current, k=config["DISCLOSURE_K"],
                           level_names={level.id: level.name for level in current.levels}), status
