"""Plain data for the on-site pages: the items in order, one item's two sides, its rubric, its
evidence and its history as a diff, all in the page's language."""
from flask import current_app

from diagnosis import visible_ids
from diagnosis.profile import effective_profile
from diagnosis.texts import answer_text
from services import assessments, instrument_registry
from web.assess.context import question_view
from web.assess.forms import page_form
from web.assess.pages import Page
from web.i18n import t

STATE_KEYS = ("verified", "adjusted", "not_verifiable")


def instrument_of(data):
    """The instrument version the assessment uses, or None."""
    registry = instrument_registry.instruments(current_app.config["QUESTIONNAIRES_DIR"])
    return registry.version(data["instrument_id"], data["instrument_version"])


def item_ids(instrument, data):
    """The items the enterprise answers, in questionnaire order (follow-ups whose gate answer
    hides them are left out)."""
    profile = assessments.profile_of(data["enterprise_id"])
    shown = visible_ids(instrument, data["answers"], profile)
    return [q.id for q in instrument.questions if q.id in shown]


def item_page(instrument, number, qid):
    """A one-question page, so the questionnaire's form fields parse the verified answer."""
    return Page(number=10_000 + number, key=f"item:{qid}", title={}, subtitle={},
                question_ids=(qid,))


def item_form(instrument, number, qid, answers, formdata=None):
    return page_form(instrument, item_page(instrument, number, qid), answers, formdata)


def answer_words(instrument, q, value):
    words = answer_text(q, value, instrument.scenario_levels)
    return t(words) if words else None


def _rubric_label(instrument, q, key):
    if key == "n/a":
        return t({"zh": "不适用", "en": "Not applicable"})
    if q.kind == "scenario":
        return t(instrument.scenario_levels[int(key)]) if key.isdigit() else key
    if q.kind in ("single", "multiple"):
        option = q.option(key)
        return t(option.text) if option else key
    if q.kind == "rate":
        return t(getattr(q, key).label)
    return key


def rubric(instrument, q):
    """[(answer, what proves it)] in the page's language."""
    return [(_rubric_label(instrument, q, key), t(text)) for key, text in q.rubric.items()]


def item_context(instrument, data, number, qid, form, errors=()):
    """Everything item.html shows for one item."""
    q = instrument.question(qid)
    profile = effective_profile(instrument, assessments.profile_of(data["enterprise_id"]))
    view = question_view(q, form.field(qid), False, list(errors), profile)
    view.update(note=None, warnings=[])
    history = [h for h in history_rows(instrument, data) if h["item_id"] == qid]
    return {
        "q": view, "number": number, "title": t(q.text),
        "self_text": answer_words(instrument, q, data["self_answers"].get(qid)),
        "verified_text": answer_words(instrument, q, data["answers"].get(qid)),
        "state": data["item_states"].get(qid),
        "evidence_text": t(q.evidence), "rubric": rubric(instrument, q),
        "files": [f for f in data["evidence"] if f["item_id"] == qid],
        "history": history,
    }


def history_rows(instrument, data):
    """The history with each changed answer in words (`old_text`, `new_text`)."""
    rows = []
    for change in data["history"]:
        q = instrument.question(change["item_id"]) if change["item_id"] else None
        words = (lambda v, q=q: answer_words(instrument, q, v)) if (
            q is not None and change["kind"] == "answer") else (lambda v: None)
        rows.append(dict(change, old_text=words(change["old"]), new_text=words(change["new"]),
                         item_text=t(q.text) if q is not None else None))
    return rows


def overview_rows(instrument, data):
    """One row per item: number, text, both answers, state, evidence count."""
    counts = {}
    for f in data["evidence"]:
        counts[f["item_id"]] = counts.get(f["item_id"], 0) + 1
    rows = []
    for number, qid in enumerate(item_ids(instrument, data), start=1):
        q = instrument.question(qid)
        rows.append({"number": number, "id": qid, "text": t(q.text),
                     "self": answer_words(instrument, q, data["self_answers"].get(qid)),
                     "verified": answer_words(instrument, q, data["answers"].get(qid)),
                     "state": data["item_states"].get(qid), "files": counts.get(qid, 0)})
    return rows


def result_extras(ctx, own):
    """What the results page adds for on-site and before/after: the signature of a signed
    on-site assessment, the T0/T1 position with the change against T0 (scenario names in the
    page's language), and whether the person may mark it as baseline."""
    from flask_login import current_user

    from services import access, baseline, on_site_sign_off

    series = baseline.series(ctx.assessment)
    if series and series["comparison"]:
        for row in series["comparison"]["scenarios"]:
            q = ctx.instrument.question(row["id"])
            row["title"] = t(q.text) if q is not None else row["id"]
    may_mark = own or access.permits(current_user, "edit_on_site", ctx.enterprise_id)
    return {"on_site": on_site_sign_off.signed_record(ctx.assessment["id"]), "series": series,
            "may_mark": may_mark and not ctx.assessment.get("baseline_at")}
