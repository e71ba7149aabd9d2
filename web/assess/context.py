"""Loading an assessment the signed-in person may see, and plain data for the page template."""
from dataclasses import dataclass

from flask import abort, current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from diagnosis import visible_ids
from diagnosis.model import NA
from diagnosis.profile import effective_profile, profile_allows
from diagnosis.profile_links import prefill
from services import answer_changes, instrument_registry, upgrades
from services.access import assessment_data_for_user_or_404
from web.assess.messages import problem_text
from web.assess.notes import note_view, notes_on, warnings_on
from web.assess.pages import pages
from web.i18n import t


@dataclass(frozen=True)
class Loaded:
    assessment: dict
    enterprise_id: int
    instrument: object
    profile: dict


def load(assessment_id, action=None, user=None):
    """The assessment with the instrument version it uses and the profile, or 404 when it is
    not the person's own enterprise's (the same answer as for an id that does not exist). With
    an `action` (e.g. "view_assessment"), staff of an organisation the enterprise consented to
    reach it too, to read it.

    A draft of a superseded version moves to the latest version first (services.upgrades) when
    one of the enterprise's own people opens it; a submitted assessment keeps the version it was
    scored with. `user`: who asks (default: the signed-in person; the API passes its token's).
    """
    user = current_user if user is None else user
    found, profile = assessment_data_for_user_or_404(user, assessment_id, action=action)
    if found["mode"] != "self" and found["status"] == "draft":
        abort(404)  # a centre's on-site work in progress: its own pages (web/on_site), not these
    folder = current_app.config["QUESTIONNAIRES_DIR"]
    registry = instrument_registry.instruments(folder)
    own = found["enterprise_id"] in user.enterprise_ids  # outsiders never change it
    if own and found["status"] == "draft" and upgrades.needs_upgrade(
            registry, found["instrument_id"], found["instrument_version"]):
        try:
            upgrades.upgrade_draft(found["id"], folder)
        except upgrades.NoMapping:
            current_app.logger.warning("draft %s stays on %s %s: no answer mapping", assessment_id,
                                       found["instrument_id"], found["instrument_version"])
        else:
            found, profile = assessment_data_for_user_or_404(user, assessment_id)
    instrument = registry.version(found["instrument_id"], found["instrument_version"])
    if instrument is None:
        current_app.logger.error("assessment %s uses unknown instrument %s %s", assessment_id,
                                 found["instrument_id"], found["instrument_version"])
        abort(404)
    return Loaded(found, found["enterprise_id"], instrument, profile)


def start_choices(registry, drafts, done=()):
    """The instruments one can start, quick check first, each with its size, how long it
    takes, the enterprise's open draft of it and the newest submitted assessment whose answers
    can start it (from assessments.for_enterprise rows, newest first)."""
    open_drafts = {d["instrument_id"]: d["id"] for d in reversed(drafts)}
    folder = current_app.config["QUESTIONNAIRES_DIR"]
    sources = {}
    for row in done:
        for target in upgrades.targets_of(folder, row["instrument_id"], row["instrument_version"]):
            sources.setdefault(target, {"id": row["id"], "title": row["title"],
                                        "date": row["submitted_at"]})
    return [{"id": inst.id, "title": inst.title, "description": inst.description,
             "indicative": inst.indicative, "questions": len(inst.questions),
             "minutes": inst.minutes, "draft": open_drafts.get(inst.id),
             "source": sources.get(inst.id)}
            for inst in sorted(registry.values(), key=lambda i: (not i.indicative, i.id))]


def prefilled(ctx, answers):
    """{question id: value} the profile answers for the draft's unanswered questions; shown
    (from the current profile, so always in step with it) until the person saves them."""
    if ctx.assessment["status"] != "draft":
        return {}
    return prefill(ctx.instrument, ctx.profile, answers)


def page_titles(pg):
    """(title, subtitle) of a page in the current language; the instrument file names
    dimensions, indicators and scenario groups, the scenario part itself is named here."""
    scenarios = _("Application scenarios")
    if pg.scenarios:
        return (t(pg.title), scenarios) if pg.title else (scenarios, "")
    return t(pg.title), t(pg.subtitle)


def visible_on(ctx, pg, answers):
    visible = visible_ids(ctx.instrument, answers, ctx.profile)
    return {qid for qid in pg.question_ids if qid in visible}


def missing_by_page(ctx, answers=None):
    """{page number: [question ids]} of visible required questions still unanswered (in the
    draft, or in `answers` when given, e.g. just saved)."""
    answers = ctx.assessment["answers"] if answers is None else answers
    visible = visible_ids(ctx.instrument, answers, ctx.profile)
    missing = {}
    for pg in pages(ctx.instrument):
        ids = [qid for qid in pg.question_ids if qid in visible and qid not in answers
               and ctx.instrument.question(qid).required]
        if ids:
            missing[pg.number] = ids
    return missing


def page_status(count):
    """The page list's words for a page with `count` open questions."""
    return ngettext("%(num)d open", "%(num)d open", count) if count else _("done")


def all_errors(ctx, form, only=None):
    """{question id: [messages]} of the answers that failed to parse and, when there are any,
    the core's problems with those that did, so a person sees every problem at once."""
    errors = form.errors_for(only)
    if not errors:
        return errors  # the service checks the answers itself before it writes
    parsed = {qid: value for qid, value in form.answers(only).items() if qid not in errors}
    _, _, problems = answer_changes.apply_changes(ctx.instrument, ctx.assessment["answers"],
                                                  parsed, ctx.profile)
    for qid, messages in problems_by_item(problems, ctx.instrument).items():
        errors.setdefault(qid, []).extend(messages)
    return errors


def problems_by_item(problems, instrument):
    """{question id: [messages in the page's language]}."""
    found = {}
    for problem in problems:
        found.setdefault(problem.item, []).append(problem_text(problem, instrument))
    return found


def page_context(ctx, pg, form, answers, errors):
    """Everything page.html shows, as plain data in the current language."""
    visible = visible_ids(ctx.instrument, answers, ctx.profile)
    outcome = answer_changes.outcome(ctx.instrument, answers, ctx.profile)
    missing = missing_by_page(ctx)
    profile = effective_profile(ctx.instrument, ctx.profile)
    notes = notes_on(ctx.assessment, ctx.instrument, pg.question_ids)
    for qid in prefilled(ctx, answers):
        if qid in pg.question_ids:
            notes.setdefault(qid, note_view({"code": "from_profile"}, ctx.instrument))
    warnings = warnings_on(ctx.instrument, answers, ctx.profile, pg.question_ids)
    questions = [_question(ctx.instrument.question(qid), form.field(qid), qid not in visible,
                           errors.get(qid, []), profile) | {"note": notes.get(qid),
                                                            "warnings": warnings.get(qid, [])}
                 for qid in pg.question_ids]
    applicable = [q for q in questions if not q["profile_hidden"]]
    summary = [{"anchor": q["anchor"], "question": q["text"], "message": msg}
               for q in questions for msg in q["errors"]]
    all_pages = pages(ctx.instrument)
    return {
        "assessment": {k: ctx.assessment[k] for k in ("id", "status", "instrument_id")},
        "instrument": {"title": t(ctx.instrument.title), "indicative": ctx.instrument.indicative},
        "page": {"number": pg.number, "title": page_titles(pg)[0], "subtitle": page_titles(pg)[1],
                 "scenarios": pg.scenarios, "count": len(all_pages),
                 "first_scenarios": pg.scenarios and not all_pages[pg.number - 2].scenarios,
                 "first": pg.number == 1, "last": pg.number == len(all_pages)},
        "nav": [{"number": p.number, "title": page_titles(p)[0], "current": p.number == pg.number,
                 "missing": len(missing.get(p.number, [])),
                 "status": page_status(len(missing.get(p.number, [])))} for p in all_pages],
        "questions": applicable,
        "groups": _groups(ctx.instrument, applicable) if pg.scenarios else [],
        "scenario_levels": [t(text) for text in ctx.instrument.scenario_levels],
        "mandatory_rule": mandatory_rule(ctx.instrument) if pg.scenarios else [],
        "answered": outcome.answered,
        "required": outcome.required,
        "errors": summary,
    }


def _question(q, field, hidden, errors, profile):
    data = {
        "id": q.id, "kind": q.kind, "name": field.name, "text": t(q.text), "help": t(q.help),
        "evidence": t(q.evidence), "required": q.required, "allow_na": q.allow_na,
        "hidden": hidden, "errors": list(errors) + [str(e) for e in field.errors if str(e) not in errors],
        "anchor": f"{q.id}-numerator" if q.kind == "rate" else f"{q.id}-0",
        "mandatory": getattr(q, "mandatory", None), "group": getattr(q, "group", None),
        # Profile-based show_if that fails will not change while the page is open: leave it out.
        "profile_hidden": hidden and not profile_allows(q.show_if, profile),
    }
    if q.kind == "rate":
        data["rate"] = [
            {"part": part, "id": f"{q.id}-{part}", "name": f"{field.name}-{part}",
             "label": t(getattr(q, part).label), "unit": t(getattr(q, part).unit),
             "value": field.raw[part]}
            for part in ("numerator", "denominator")]
        data["na"] = {"id": f"{q.id}-na", "name": f"{field.name}-na", "checked": field.is_na}
        return data
    if q.kind == "scenario" and q.levels:
        data["levels"] = [{"level": n, "text": t(lv.text), "evidence": t(lv.evidence)}
                          for n, lv in enumerate(q.levels, start=1)]
    if q.kind == "multiple":
        chosen = field.chosen
        values = [(o.id, t(o.text), o.exclusive) for o in q.options]
        checked = lambda v: v in chosen  # noqa: E731
    else:
        values = _choice_labels(q)
        checked = lambda v: v == field.choice  # noqa: E731
    data["options"] = [{"value": v, "text": text, "exclusive": exclusive, "checked": checked(v),
                        "id": f"{q.id}-{i}"} for i, (v, text, exclusive) in enumerate(values)]
    for option in data["options"][1:5] if data.get("levels") else ():
        option["detail"] = data["levels"][int(option["value"]) - 1]["text"]
    if q.allow_na:
        data["options"].append({"value": NA, "text": _("Not applicable"), "exclusive": True,
                                "checked": checked(NA), "id": f"{q.id}-{len(values)}",
                                "na": True})
    return data


question_view = _question  # one question's field as the templates' question() macro shows it


def mandatory_rule(instrument):
    """Per level, the scenarios it needs and how many of them mandatory (约束性), in words."""
    if not any(s.mandatory for s in instrument.scenarios):
        return []
    rows = []
    for lv in instrument.levels:
        counts = [c for c in lv.conditions if c.kind == "scenarios_at_least" and not c.among]
        every = next((c for c in counts if not c.mandatory_only), None)
        mandatory = next((c for c in counts if c.mandatory_only), None)
        if every is not None and mandatory is not None:
            rows.append(_("%(level)s: at least %(count)s scenarios at level %(at)s or above, "
                          "%(mandatory)s of them mandatory", level=t(lv.name), count=every.count,
                          at=every.level, mandatory=mandatory.count))
        elif mandatory is not None:
            rows.append(_("%(level)s: at least %(mandatory)s mandatory scenarios at level %(at)s "
                          "or above", level=t(lv.name), mandatory=mandatory.count, at=mandatory.level))
    return rows


def _choice_labels(q):
    if q.kind in ("single", "scenario"):
        return [(o.id, t(o.text), False) for o in q.options]
    return [(str(v), str(v), False) for v in range(int(q.min), int(q.max) + 1)]


def _groups(instrument, questions):
    titles = {g.id: t(g.title) for g in instrument.scenario_groups}
    groups = []
    for q in questions:
        if not groups or groups[-1]["id"] != q["group"]:
            groups.append({"id": q["group"], "title": titles.get(q["group"], ""), "questions": []})
        groups[-1]["questions"].append(q)
    return groups
