"""On-site assessment routes. Every route asks services.on_site (directly or through the step's
on_site_* module), which lets in only the staff of the centre that owns the assessment while the
enterprise's consent allows it (audited); anyone else gets 404. The item page is a plain form
that works without JavaScript; static/js/on_site.js saves each change as it is made (JSON
replies) and keeps unsent changes in the browser until they reach the server."""
from flask import (abort, current_app, flash, jsonify, redirect, render_template, request,
                   send_file, url_for)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.exceptions import RequestEntityTooLarge

from services import (access, instrument_registry, on_site, on_site_evidence, on_site_items,
                      on_site_sign_off, on_site_views)
from services.errors import Conflict, InvalidInput
from services.file_store import MAX_BYTES, store_for
from web.forms import not_a_form
from web.on_site import bp
from web.on_site.context import (history_rows, instrument_of, item_context, item_form,
                                 item_ids, overview_rows)
from web.on_site.messages import message

ITEM_KEYS = frozenset({"csrf_token", "action", "state", "reason", "base", "items"})


def _loaded(assessment_id):
    data = on_site_views.view(current_user, assessment_id)
    instrument = instrument_of(data)
    if instrument is None:
        abort(404)
    return data, instrument


def _wants_json():
    return request.accept_mimetypes.best_match(["text/html", "application/json"]) == \
        "application/json"


@bp.post("/start/<int:org_id>/<int:enterprise_id>")
@login_required
def start(org_id, enterprise_id):
    """Start an on-site assessment of the chosen questionnaire for a consented client."""
    registry = instrument_registry.instruments(current_app.config["QUESTIONNAIRES_DIR"])
    registry_instrument = registry.get(request.form.get("instrument", ""))
    from_self = request.form.get("from") != "blank"
    if registry_instrument is None:
        # Access first, so an unknown client or centre reads 404 whatever the form says.
        access.check(current_user, "edit_on_site", enterprise_id, organisation_id=org_id)
        flash(_("Choose one of the questionnaires listed; nothing was started."), "error")
        return redirect(url_for("organisations.client", org_id=org_id, enterprise_id=enterprise_id))
    try:
        aid = on_site.start(current_user, org_id, enterprise_id, registry_instrument,
                            from_self=from_self)
    except InvalidInput as err:
        flash(message(err.code), "error")
        return redirect(url_for("organisations.client", org_id=org_id, enterprise_id=enterprise_id))
    return redirect(url_for("on_site.overview", assessment_id=aid))


@bp.get("/<int:assessment_id>/")
@login_required
def overview(assessment_id):
    """All items with both answers and their state; review and sign-off; the history."""
    data, instrument = _loaded(assessment_id)
    return render_template("on_site/overview.html", a=data, rows=overview_rows(instrument, data),
                           instrument=instrument, history=history_rows(instrument, data))


@bp.route("/<int:assessment_id>/item/<int:number>", methods=["GET", "POST"])
@login_required
def item(assessment_id, number):
    """One item: self-reported and verified answers side by side, the rubric, the evidence.
    Posting saves the verified answer, its state and the reason (JSON for the page script)."""
    data, instrument = _loaded(assessment_id)
    ids = item_ids(instrument, data)
    if not 1 <= number <= len(ids):
        abort(404)
    qid = ids[number - 1]
    if request.method == "GET":
        return _render_item(instrument, data, ids, number, qid)
    refused = not_a_form(json_reply=_wants_json())
    if refused:
        return refused
    form = item_form(instrument, number, qid, data["answers"], request.form)
    unknown = [k for k in request.form.keys() if k not in ITEM_KEYS
               and k not in (qid, f"{qid}-numerator", f"{qid}-denominator", f"{qid}-na")]
    errors = form.errors_for()
    if unknown:
        return _refuse(instrument, data, ids, number, qid, 400, message("unknown_item"))
    if errors:
        return _refuse(instrument, data, ids, number, qid, 400,
                       " ".join(errors.get(qid, [])) or message("answer_invalid"), form=form)
    try:
        saved = on_site_items.save_item(current_user, assessment_id, instrument, qid,
                                        form.answers()[qid],
                                        chosen_state=request.form.get("state", "verified"),
                                        reason=request.form.get("reason"),
                                        base=_base(request.form.get("base")))
    except InvalidInput as err:
        return _refuse(instrument, data, ids, number, qid, 400, message(err.code), form=form)
    except Conflict as err:
        fresh = on_site_views.view(current_user, assessment_id)
        return _refuse(instrument, fresh, ids, number, qid, 409, message(err.code),
                       current=err.params.get("current"))
    if _wants_json():
        # The page clears the reason once the answer change it explains is recorded.
        return jsonify(saved=True, state=saved["state"], base=saved["base"],
                       answer_changed=saved["answer"] != data["answers"].get(qid),
                       message=_("Saved."))
    action = request.form.get("action", "next")
    target = {"prev": number - 1, "next": number + 1}.get(action, number)
    if not 1 <= target <= len(ids):
        return redirect(url_for("on_site.overview", assessment_id=assessment_id))
    return redirect(url_for("on_site.item", assessment_id=assessment_id, number=target))


def _base(value):
    try:
        return max(0, int(value or 0))
    except ValueError:
        return -1  # never a change id: the save is refused as made on a stale screen


def _render_item(instrument, data, ids, number, qid, form=None, status=200, alert=None,
                 current=None):
    form = form or item_form(instrument, number, qid, data["answers"])
    ctx = item_context(instrument, data, number, qid, form)
    return render_template("on_site/item.html", a=data, ctx=ctx, count=len(ids), alert=alert,
                           base=on_site_items.last_change_id(data["id"], qid),
                           max_mb=MAX_BYTES // (1024 * 1024), conflict=status == 409), status


def _refuse(instrument, data, ids, number, qid, status, text, form=None, current=None):
    if _wants_json():
        return jsonify(saved=False, message=text,
                       base=on_site_items.last_change_id(data["id"], qid)), status
    if status == 409:
        form = None  # show what is stored now
    return _render_item(instrument, data, ids, number, qid, form=form, status=status, alert=text)


@bp.post("/<int:assessment_id>/item/<int:number>/evidence")
@login_required
def upload(assessment_id, number):
    """Attach evidence files to an item (several at once, each up to 20 MB)."""
    data, instrument = _loaded(assessment_id)
    ids = item_ids(instrument, data)
    if not 1 <= number <= len(ids):
        abort(404)
    back = url_for("on_site.item", assessment_id=assessment_id, number=number)
    request.max_content_length = 5 * (MAX_BYTES + 64 * 1024)
    try:
        files = [f for f in request.files.getlist("files") if f and f.filename]
    except RequestEntityTooLarge:
        flash(message("file_too_large", max_mb=MAX_BYTES // (1024 * 1024)), "error")
        return redirect(back), 303
    if request.mimetype != "multipart/form-data" or not files:
        flash(message("file_missing"), "error")
        return redirect(back), 303
    store = store_for(current_app.config)
    for upload_file in files:
        try:
            on_site_evidence.attach(current_user, assessment_id, ids[number - 1], instrument,
                                    upload_file.stream, upload_file.filename, store)
        except (InvalidInput, Conflict) as err:
            flash(f"{upload_file.filename}: {message(err.code, **err.params)}", "error")
        else:
            flash(_("%(name)s attached.", name=upload_file.filename), "success")
    return redirect(back), 303


@bp.get("/<int:assessment_id>/evidence/<int:evidence_id>")
@login_required
def evidence(assessment_id, evidence_id):
    """An evidence file, always as a download with the type it was checked to be."""
    found = on_site_evidence.evidence_file(current_user, assessment_id, evidence_id)
    try:
        stream = store_for(current_app.config).open(found["sha256"])
    except FileNotFoundError:
        current_app.logger.error("evidence %s of assessment %s: content missing", evidence_id,
                                 assessment_id)
        abort(404)
    response = send_file(stream, mimetype=found["media_type"], as_attachment=True,
                         download_name=found["name"], max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


def _step(assessment_id, do, done_text):
    data, instrument = _loaded(assessment_id)
    refused = not_a_form()
    if refused:
        return refused
    try:
        do(data, instrument)
    except (InvalidInput, Conflict) as err:
        text = message(err.code)
        if err.code == "incomplete":
            text += " " + ", ".join(err.params.get("items", [])[:10])
        flash(text, "error")
        return redirect(url_for("on_site.overview", assessment_id=assessment_id)), 303
    flash(done_text, "success")
    return redirect(url_for("on_site.overview", assessment_id=assessment_id)), 303


@bp.post("/<int:assessment_id>/submit")
@login_required
def submit(assessment_id):
    """Send the assessment to review."""
    return _step(assessment_id,
                 lambda d, i: on_site_sign_off.submit_for_review(current_user, d["id"], i),
                 _("Sent for review."))


@bp.post("/<int:assessment_id>/send-back")
@login_required
def send_back(assessment_id):
    """The reviewer sends it back to the consultant with a comment."""
    return _step(assessment_id,
                 lambda d, i: on_site_sign_off.send_back(current_user, d["id"],
                                                         request.form.get("comment")),
                 _("Sent back to the consultant with your comment."))


@bp.post("/<int:assessment_id>/sign")
@login_required
def sign(assessment_id):
    """Sign: score the verified answers, lock the assessment, give the report number."""
    return _step(assessment_id,
                 lambda d, i: on_site_sign_off.sign(current_user, d["id"], i, current_app.config),
                 _("Signed. The assessment is locked; its report carries the report number and "
                   "verification code."))
