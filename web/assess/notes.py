"""Notes beside a draft's questions, and answers a plausibility rule questions, in the page's
language.

A note says why an answer is there or missing (`assessments.answer_notes`, written when a
draft moves to a new instrument version or is prefilled): it shows beside its question until
the person saves that question. Codes are stable keys (diagnosis/mapping.py, services).
"""
from flask import current_app
from flask_babel import gettext as _

from diagnosis import answer_warnings
from services import instrument_registry
from web.assess.messages import problem_text
from web.i18n import lang, t


def _source(note, instrument):
    """Where a note's answer came from, in words."""
    iid, version = note.get("instrument"), note.get("version")
    if iid == instrument.id:
        return _("version %(version)s of this questionnaire", version=version)
    registry = instrument_registry.instruments(current_app.config["QUESTIONNAIRES_DIR"])
    source = registry.version(iid, version) or registry.get(iid)
    return t(source.title) if source is not None else str(iid or "")


def note_view(note, instrument):
    """{code, text, previous: [sentences], confirm: bool} of one note, or None."""
    if not isinstance(note, dict):
        return None
    code = note.get("code")
    if code == "carried_over":
        text = _("Carried over from %(source)s: please check it.", source=_source(note, instrument))
    elif code == "answer_again":
        text = _("Your earlier answer (%(source)s) could not be carried over: please answer again.",
                 source=_source(note, instrument))
    elif code == "new_question":
        reason = t(note.get("reason")) if note.get("reason") else ""
        text = _("New question in this version.") + ((" " if lang() == "en" else "") + reason if reason else "")
    elif code == "from_last_assessment":
        text = _("From your last assessment: please check it.")
    elif code == "from_profile":
        text = _("From your enterprise profile: please check it.")
    else:
        text = _("Please check this answer.")
    previous = [_("Earlier answer to “%(question)s”: %(answer)s", question=t(p.get("question")),
                  answer=t(p.get("answer")))
                for p in note.get("previous") or [] if isinstance(p, dict)]
    return {"code": code, "text": text, "previous": previous,
            "confirm": code in ("carried_over", "from_last_assessment", "from_profile")}


def notes_on(assessment, instrument, question_ids=None):
    """{question id: note view} of the draft's notes (on these questions)."""
    out = {}
    for qid, note in (assessment.get("answer_notes") or {}).items():
        if (question_ids is None or qid in question_ids) and instrument.question(qid) is not None:
            view = note_view(note, instrument)
            if view is not None:
                out[qid] = view
    return out


def warnings_on(instrument, answers, profile, question_ids=None):
    """{question id: [messages]} of answers a plausibility rule questions."""
    found = {}
    for problem in answer_warnings(instrument, answers, profile):
        if question_ids is None or problem.item in question_ids:
            found.setdefault(problem.item, []).append(problem_text(problem, instrument))
    return found
