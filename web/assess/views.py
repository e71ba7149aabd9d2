"""Questionnaire routes: dashboard, start, resume, pages (post + autosave), submission.

Every page is a plain HTML form that saves when posted, so it works without JavaScript;
static/js/assess.js adds autosave of each change to the `autosave` route, which runs the same
parsing and the same service call and answers JSON.
"""
from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy.exc import SQLAlchemyError

from services import answer_changes, assessments, drafts, instrument_registry, submission, upgrades
from services.access import valid_id
from web.assess import bp
from web.assess.context import (Loaded, all_errors, load, missing_by_page, page_context,
                                 page_status, page_titles, prefilled, problems_by_item, start_choices,
                                 visible_on)
from web.assess.forms import PledgeForm, page_form, unknown_keys
from web.assess.notes import notes_on, warnings_on
from web.assess.pages import page as page_at, page_of, pages
from web.forms import answers_json, not_a_form


@bp.get("/")
@login_required
def dashboard():
    """Drafts to resume, earlier results, and the instruments one can start."""
    enterprise_id = current_user.enterprise_id
    if enterprise_id is None:
        abort(404)
    registry = _registry()
    profile = assessments.profile_of(enterprise_id)
    drafts, done = [], []
    for row in assessments.for_enterprise(enterprise_id, registry, profile):
        (drafts if row["status"] == "draft" else done).append(row)
    return render_template("assess/dashboard.html", drafts=drafts, done=done,
                           choices=start_choices(registry, drafts, done))


@bp.post("/start")
@login_required
def start():
    """Open a new draft of the chosen instrument and go to its first page."""
    enterprise_id = current_user.enterprise_id
    instrument = _registry().get(request.form.get("instrument", ""))
    if enterprise_id is None or instrument is None:
        return render_template("errors.html", status=400, title=_("Unknown questionnaire"),
                               message=_("Choose one of the questionnaires listed; nothing was "
                                         "started.")), 400
    existing = drafts.open_draft(enterprise_id, instrument.id)
    if existing is not None:
        flash(_("You have a draft of this questionnaire already: here it is, with your answers. "
                "To start again, delete the draft on “My assessments”."), "info")
        return redirect(url_for("assess.resume", assessment_id=existing))
    answers, notes = {}, None
    if request.form.get("from"):
        source = _source(request.form["from"], instrument)
        if source is None:
            return render_template("errors.html", status=400, title=_("Cannot start from these answers"),
                                   message=_("These answers cannot start this questionnaire; "
                                             "nothing was started.")), 400
        answers, notes = upgrades.carried_answers(current_app.config["QUESTIONNAIRES_DIR"],
                                                  source, instrument)
        flash(_("Your earlier answers are filled in: each is marked for you to check."), "info")
    assessment_id = drafts.start(enterprise_id, current_user.id, instrument, answers, notes)
    return redirect(url_for("assess.page", assessment_id=assessment_id, number=1))


def _source(raw, instrument):
    """The submitted assessment of one's own enterprise a new draft starts from (404 for
    another's or an unknown id), or None when its answers cannot start this questionnaire."""
    found = load(valid_id(raw)).assessment
    folder = current_app.config["QUESTIONNAIRES_DIR"]
    if found["status"] != "submitted" or instrument.id not in upgrades.targets_of(
            folder, found["instrument_id"], found["instrument_version"]):
        return None
    return found


@bp.post("/<int:assessment_id>/delete")
@login_required
def delete(assessment_id):
    """Delete a draft of one's own enterprise (a submitted assessment stays)."""
    ctx = load(assessment_id)
    refused = not_a_form()
    if refused:
        return refused
    try:
        drafts.delete_draft(ctx.assessment["id"], ctx.enterprise_id)
    except assessments.NotADraft:
        flash(_("This assessment has been submitted; results are kept and cannot be deleted."),
              "info")
        return redirect(url_for("assess.result", assessment_id=assessment_id))
    flash(_("The draft is deleted."), "success")
    return redirect(url_for("assess.dashboard"))


@bp.get("/<int:assessment_id>/")
@login_required
def resume(assessment_id):
    """Continue where the person stopped: the first page with an open required question."""
    ctx = load(assessment_id)
    if ctx.assessment["status"] != "draft":
        return redirect(url_for("assess.result", assessment_id=assessment_id))
    missing = missing_by_page(ctx)
    if not missing:
        return redirect(url_for("assess.submit", assessment_id=assessment_id))
    return redirect(url_for("assess.page", assessment_id=assessment_id, number=min(missing)))


@bp.route("/<int:assessment_id>/page/<int:number>", methods=["GET", "POST"])
@login_required
def page(assessment_id, number):
    """One questionnaire page; posting it saves its answers, then moves as the button says."""
    ctx = load(assessment_id)
    refused = not_a_form()
    if refused:
        return refused
    if ctx.assessment["status"] != "draft":
        flash(_("This assessment has been submitted; here is its result."), "info")
        return redirect(url_for("assess.result", assessment_id=assessment_id))
    pg = page_at(ctx.instrument, number) or abort(404)
    answers = ctx.assessment["answers"]
    if request.method == "GET":
        form = page_form(ctx.instrument, pg, answers, prefill=prefilled(ctx, answers))
        return _render_page(ctx, pg, form, answers)

    form = page_form(ctx.instrument, pg, answers, request.form)
    unknown = unknown_keys(ctx.instrument, pg, request.form)
    if unknown:
        return _render_page(ctx, pg, page_form(ctx.instrument, pg, answers), answers, status=400,
                            alert=_unknown_message(unknown))
    errors = all_errors(ctx, form)
    if errors:
        return _render_page(ctx, pg, form, answers, errors=errors, status=400)
    before = visible_on(ctx, pg, answers)
    try:
        saved = drafts.save_answers(ctx.assessment["id"], ctx.enterprise_id, ctx.instrument,
                                    form.answers(), ctx.profile, draft=ctx.assessment)
    except assessments.AnswersRejected as exc:
        return _render_page(ctx, pg, form, answers, status=400,
                            errors=problems_by_item(exc.problems, ctx.instrument))
    except assessments.NotADraft:
        flash(_("This assessment was submitted in the meantime; here is its result."), "info")
        return redirect(url_for("assess.result", assessment_id=assessment_id))
    except SQLAlchemyError:
        current_app.logger.exception("saving assessment %s failed", assessment_id)
        return _render_page(ctx, pg, form, answers, status=503, alert=_save_failed())
    if saved.dropped:
        flash(dropped_message(len(saved.dropped)), "info")
    appeared = [qid for qid in pg.question_ids if qid in saved.visible and qid not in before
                and qid not in saved.answers]
    if appeared:
        flash(_("Your answer opened further questions on this page; please answer them too."),
              "info")
        return redirect(url_for("assess.page", assessment_id=assessment_id, number=number,
                                _anchor=f"q-{appeared[0]}"))
    return redirect(_next_url(ctx, pg, request.form.get("action", "next")))


@bp.post("/<int:assessment_id>/autosave/<int:number>")
@answers_json
@login_required
def autosave(assessment_id, number):
    """Save the changed questions of a page (named in `items`); JSON in the page's language."""
    ctx = load(assessment_id)
    refused = not_a_form(json_reply=True)
    if refused:
        return refused
    pg = page_at(ctx.instrument, number) or abort(404)
    if ctx.assessment["status"] != "draft":
        return _json_error(409, _("This assessment has been submitted and can no longer change."))
    answers = ctx.assessment["answers"]
    unknown = unknown_keys(ctx.instrument, pg, request.form)
    items = request.form.getlist("items")
    if not items:  # the page script always names what changed; nothing named, nothing saved
        return _json_error(400, _("Nothing was saved: the post names no changed question. "
                                  "Reload the page and try again."))
    unknown += [qid for qid in items if qid not in pg.question_ids]
    if unknown:
        return _json_error(400, _unknown_message(sorted(set(unknown))))
    # Only the changed questions are parsed (and saved); the rest of the post is left alone.
    form = page_form(ctx.instrument, pg, answers, request.form, only=items)
    errors = all_errors(ctx, form, only=set(items))
    if errors:
        return _json_error(400, _("Not saved: please correct the answer marked."), errors=errors)
    try:
        saved = drafts.save_answers(ctx.assessment["id"], ctx.enterprise_id, ctx.instrument,
                                    form.answers(only=set(items)), ctx.profile,
                                    draft=ctx.assessment)
    except assessments.AnswersRejected as exc:
        return _json_error(400, _("Not saved: please correct the answer marked."),
                           errors=problems_by_item(exc.problems, ctx.instrument))
    except assessments.NotADraft:
        return _json_error(409, _("This assessment has been submitted and can no longer change."))
    except SQLAlchemyError:
        current_app.logger.exception("autosave of assessment %s failed", assessment_id)
        return _json_error(503, _save_failed())
    message = dropped_message(len(saved.dropped)) if saved.dropped else _("All answers saved.")
    missing = missing_by_page(ctx, saved.answers)
    return jsonify(saved=True, message=message, answered=saved.answered,
                   pages={str(p.number): {"open": len(missing.get(p.number, [])),
                                          "text": page_status(len(missing.get(p.number, [])))}
                          for p in pages(ctx.instrument)},
                   required=saved.required, visible=sorted(saved.visible),
                   dropped=list(saved.dropped),
                   progress_text=_progress_text(saved.answered, saved.required),
                   notes=sorted(q for q in (saved.notes or {}) if q in pg.question_ids),
                   warnings=warnings_on(ctx.instrument, saved.answers, ctx.profile, pg.question_ids))


@bp.route("/<int:assessment_id>/submit", methods=["GET", "POST"])
@login_required
def submit(assessment_id):
    """Review what is missing, tick the truthfulness pledge, submit for scoring."""
    ctx = load(assessment_id)
    if ctx.assessment["status"] != "draft":
        flash(_("This assessment has already been submitted; here is its result."), "info")
        return redirect(url_for("assess.result", assessment_id=assessment_id))
    form = PledgeForm()
    status, problems = 200, []
    if request.method == "POST":
        status = 400
        if ctx.instrument.indicative or form.validate():  # a quick check has no pledge
            try:
                outcome = submission.submit(ctx.assessment["id"], ctx.enterprise_id,
                                            ctx.instrument, ctx.profile,
                                            pledged=bool(form.pledge.data) and not ctx.instrument.indicative,
                                            settings=current_app.config)
            except assessments.NotADraft:
                flash(_("This assessment has already been submitted; here is its result."),
                      "info")
                return redirect(url_for("assess.result", assessment_id=assessment_id))
            except assessments.AnswersRejected as exc:
                problems = exc.problems
            except SQLAlchemyError:
                current_app.logger.exception("submitting assessment %s failed", assessment_id)
                status, problems = 503, []
                flash(_save_failed(), "error")
            else:
                flash(_("Thank you. Your assessment has been submitted and scored."), "success")
                if outcome["dropped"]:
                    flash(ngettext("%(num)d answer to a question that no longer applies to your "
                                   "enterprise was left out.",
                                   "%(num)d answers to questions that no longer apply to your "
                                   "enterprise were left out.", len(outcome["dropped"])), "info")
                return redirect(url_for("assess.result", assessment_id=assessment_id))
    missing = missing_by_page(ctx)
    now = answer_changes.outcome(ctx.instrument, ctx.assessment["answers"], ctx.profile)
    answered, required = now.answered, now.required
    rows = [{"number": p.number, "title": page_titles(p)[0], "subtitle": page_titles(p)[1],
             "missing": missing.get(p.number, [])} for p in pages(ctx.instrument)]
    problem_rows = [{"text": text, "page": getattr(page_of(ctx.instrument, qid), "number", None),
                     "question": ctx.instrument.question(qid)}
                    for qid, texts in problems_by_item(problems, ctx.instrument).items()
                    for text in texts]
    check_rows = _answers_to_check(ctx)
    return render_template("assess/submit.html", assessment=ctx.assessment,
                           instrument=ctx.instrument, form=form, rows=rows,
                           answered=answered, required=required, problems=problem_rows,
                           complete=not missing, to_check=check_rows), status


def _answers_to_check(ctx):
    """Questions still carrying a note, and answers a plausibility rule questions, in
    questionnaire order, each with its page and what to check."""
    notes = notes_on(ctx.assessment, ctx.instrument)
    warnings = warnings_on(ctx.instrument, ctx.assessment["answers"], ctx.profile)
    rows = []
    for q in ctx.instrument.questions:
        texts = ([notes[q.id]["text"]] if q.id in notes else []) + warnings.get(q.id, [])
        if texts:
            rows.append({"question": q, "page": getattr(page_of(ctx.instrument, q.id), "number", None),
                         "texts": texts})
    return rows


def _render_page(ctx, pg, form, answers, errors=None, status=200, alert=None):
    data = page_context(ctx, pg, form, answers, errors or {})
    return render_template("assess/page.html", alert=alert, form=form, **data), status


def _next_url(ctx: Loaded, pg, action):
    aid = ctx.assessment["id"]
    count = len(pages(ctx.instrument))
    target = pg.number
    if action == "next":
        target = pg.number + 1
    elif action == "back":
        target = pg.number - 1
    elif action.startswith("page:") and action[5:].isdigit():
        target = int(action[5:])
    elif action.startswith("confirm:") and action[8:] in pg.question_ids:
        flash(_("Thank you: the answer is confirmed."), "success")
        return url_for("assess.page", assessment_id=aid, number=pg.number, _anchor=f"q-{action[8:]}")
    elif action == "review":
        target = count + 1
    if target > count:
        return url_for("assess.submit", assessment_id=aid)
    if action == "save":
        flash(_("Your answers on this page are saved."), "success")
    return url_for("assess.page", assessment_id=aid, number=max(1, target))


def _json_error(status, message, errors=None):
    return jsonify(saved=False, message=message, errors=errors or {}), status


def _unknown_message(keys):
    shown = ", ".join(keys[:5]) + (" …" if len(keys) > 5 else "")
    return _("Nothing was saved: the form sent answers to questions that are not on this page "
             "(%(keys)s). Reload the page and try again.", keys=shown)


def dropped_message(count):
    return ngettext("Saved. %(num)d follow-up question no longer applies: it is hidden and its answer "
                    "removed.",
                    "Saved. %(num)d follow-up questions no longer apply: they are hidden and "
                    "their answers removed.", count)


def _save_failed():
    return _("Your answers could not be saved just now. The answers saved before are kept; "
             "please try again in a moment.")


def _progress_text(answered, required):
    return _("%(answered)s of %(required)s required questions answered",
             answered=answered, required=required)


def _registry():
    return instrument_registry.instruments(current_app.config["QUESTIONNAIRES_DIR"])
