"""Report use cases: gather a report's inputs, return the cached file or render and keep it.

Plain values in (assessment id, language, instrument id and answers), plain values out
(`ReportFile`). Access checks happen before these are called (web: services.access; CLI: the
operator). `settings` is a mapping such as the application's config (QUESTIONNAIRES_DIR,
INDUSTRIES_FILE and what services.planning reads). Archival reports are kept in the `reports`
table (storage/report_models.py), one row per cache key, so the web process, RQ workers and the
CLI share them.

Making the plan (the HiGHS solver, about a tenth of a second) is the costly part of a report's
inputs, and the cache key hashes the plan. So a request starts with a `Lookup`: the inputs
without the plan and a key of what the plan is made of (`lookup`); a file stored under that key
is sent as it is (`stored`). Only without one is the plan made (`planned`), the file looked for
by its cache key (`cached`: made for other choices that gave the same plan, or before the
lookup key was kept), and else rendered (`render`); either way the lookup key is kept for it.
"""
import logging
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

import diagnosis
from diagnosis.catalogue import CatalogueError
from reports.document import (ReportInputs, cache_key, lookup_key, render_pdf, report_id,
                              template_version)
from reports.values import tr
from services import assessments, baseline, instrument_registry, on_site_sign_off, planning
from services.profile import profile_dict
from services.errors import InvalidInput
from services.reference import ReferenceDataError, load_industries
from storage.db import db_session
from storage.models import Assessment, Enterprise
from storage.report_models import ReportLookup, StoredReport

LANGS = ("zh", "en")
COPIES, KEEP_DAYS = 10, 180  # defaults of REPORT_COPIES and REPORT_KEEP_DAYS (config.py)
log = logging.getLogger(__name__)


class ReportUnavailable(LookupError):
    """No report can be made (unknown or draft assessment, unknown instrument); `.code` says
    which, for the caller to translate."""

    def __init__(self, code, detail=""):
        self.code = code
        super().__init__(f"{code}: {detail}" if detail else code)


@dataclass(frozen=True)
class Lookup:
    """A report asked for, before its plan is made: the inputs without the plan, the plan
    choices (None: the default plan) and the key its stored file is found by."""
    inputs: ReportInputs
    choices: object
    key: str


@dataclass(frozen=True)
class ReportFile:
    report_id: str
    cache_key: str
    filename: str
    pdf: bytes
    ascii_filename: str = "report.pdf"


def _industry_text(code, lang, settings):
    if not code:
        return None
    try:
        names = load_industries(str(settings["INDUSTRIES_FILE"])).names
    except (KeyError, ReferenceDataError, OSError):
        return code
    name = names.get(code)
    return f"{code} {tr(name, lang)}" if name else code


def enterprise_details(enterprise, lang, settings):
    """What the cover prints about the enterprise, in `lang`."""
    return {"name": enterprise.name, "uscc": enterprise.uscc, "district": enterprise.district,
            "industry": _industry_text(enterprise.industry_code, lang, settings),
            "size_class": enterprise.size_class, "main_products": enterprise.main_products}


def _instrument(instrument_id, settings, version=None):
    """The instrument (that version when given: a result renders with the one it was scored
    with)."""
    registry = instrument_registry.instruments(settings["QUESTIONNAIRES_DIR"])
    instrument = registry.get(instrument_id) if version is None else registry.version(instrument_id, version)
    if instrument is None:
        raise ReportUnavailable("unknown_instrument", f"{instrument_id} {version or ''}".strip())
    return instrument


def _plan(assessment_id, settings, choices=None):
    """The plan for this assessment (the person's choices, else default budget and next
    level), or None. A catalogue that cannot be read leaves the plan out, not the report."""
    try:
        return planning.plan_for_report(assessment_id, settings, choices)
    except CatalogueError:
        log.warning("no plan for the report of assessment %s", assessment_id, exc_info=True)
        return None


def _unplanned_inputs(assessment_id, lang, settings):
    """ReportInputs of a submitted assessment (archival: PDF/A-3b with the result attached),
    without the plan."""
    if lang not in LANGS:
        raise ReportUnavailable("unknown_language", lang)
    row = db_session.get(Assessment, assessment_id)
    if row is None:
        raise ReportUnavailable("unknown_assessment", str(assessment_id))
    if row.status != "submitted" or not row.result:
        raise ReportUnavailable("not_submitted", str(assessment_id))
    enterprise = db_session.get(Enterprise, row.enterprise_id)
    earlier = [h for h in assessments.history(row.enterprise_id, before=row.id)
               if h["instrument"] == row.instrument_id]
    signed = on_site_sign_off.signed_record(row.id)
    return ReportInputs(
        instrument=_instrument(row.instrument_id, settings, row.instrument_version), answers=dict(row.answers or {}),
        result=row.result, profile=row.result.get("profile") or profile_dict(enterprise),
        enterprise=enterprise_details(enterprise, lang, settings), lang=lang,
        history=earlier, assessment_id=row.id,
        archival=True, created=row.submitted_at, mode="onsite" if signed else "self",
        on_site=signed,
        before_after=baseline.series({"id": row.id, "enterprise_id": row.enterprise_id,
                                      "instrument_id": row.instrument_id,
                                      "status": row.status, "submitted_at": row.submitted_at,
                                      "result": row.result}))


def inputs_for_assessment(assessment_id, lang, settings, choices=None):
    """ReportInputs of a submitted assessment (archival: PDF/A-3b with the result attached);
    `choices` (services.planning.Choices) picks the plan, None the default one."""
    return planned(lookup(assessment_id, lang, settings, choices), settings)


def lookup(assessment_id, lang, settings, choices=None):
    """The Lookup of a submitted assessment's report; the plan is not made. Raises
    ReportUnavailable as inputs_for_assessment does."""
    inputs = _unplanned_inputs(assessment_id, lang, settings)
    return Lookup(inputs, choices,
                  lookup_key(inputs, planning.plan_basis(assessment_id, settings, choices)))


def planned(found, settings):
    """The Lookup's inputs with the plan made now."""
    return replace(found.inputs, plan=_plan(found.inputs.assessment_id, settings, found.choices))


def inputs_for_answers(instrument_id, answers, profile, lang, settings, enterprise=None):
    """ReportInputs of answers not stored as an assessment (CLI): scored now, not archival.
    Raises diagnosis.AnswerError when the answers do not fit the instrument."""
    instrument = _instrument(instrument_id, settings)
    result = diagnosis.score(instrument, answers, profile).to_dict()
    return ReportInputs(instrument=instrument, answers=dict(answers), result=result,
                        profile=dict(profile or {}), enterprise=dict(enterprise or {}),
                        lang=lang, archival=False, created=datetime.now(timezone.utc))


def _safe(text, ascii_only=False):
    text = unicodedata.normalize("NFKC", str(text or "")).strip()
    text = re.sub(r"[\\/:*?\"<>|\x00-\x1f\x7f]+", "", text)
    if ascii_only:
        text = re.sub(r"[^A-Za-z0-9.-]+", " ", text).strip()
    return re.sub(r"\s+", "_", text)[:80]


def filename(inputs, ascii_only=False, rid=None):
    """enterprise_instrument_date_reportid.pdf, safe on every file system (Chinese kept
    unless `ascii_only`, when a name with no ASCII letters becomes "report"). The report id
    (without its "DR-") keeps two reports of one day apart, e.g. two assessments or plans;
    `rid` gives it when the inputs have no plan yet (a stored file's)."""
    date = (inputs.created or datetime.now(timezone.utc)).strftime("%Y-%m-%d")
    parts = [_safe(inputs.enterprise.get("name"), ascii_only) or "report",
             _safe(inputs.instrument.id, ascii_only), date,
             (rid or report_id(inputs)).removeprefix("DR-")]
    if inputs.lang == "en":
        parts.append("en")
    return "_".join(parts) + ".pdf"


def peers_for(inputs, settings):
    """Peer comparison for an assessment's report; None for reports of loose answers."""
    from services import peers  # numpy (disclosure control): loaded by the first report

    if inputs.assessment_id is None:
        return None
    row = db_session.get(Assessment, inputs.assessment_id)
    enterprise = db_session.get(Enterprise, row.enterprise_id)
    found = peers.compare(row.instrument_id, row.enterprise_id, enterprise.industry_code,
                          enterprise.size_class, row.total, row.submitted_at, row.instrument_version,
                          max_total=row.max_total)
    found["industry_label"] = _industry_text(found["industry"], inputs.lang, settings)
    return found


def _stored(key):
    return db_session.scalar(select(StoredReport).where(StoredReport.cache_key == key))


def _file(inputs, row):
    return ReportFile(row.report_id, row.cache_key, filename(inputs, rid=row.report_id), row.pdf,
                      filename(inputs, True, rid=row.report_id))


def stored(found):
    """The ReportFile stored under the Lookup's key, or None; the plan is not made."""
    row = db_session.scalar(select(StoredReport).join(
        ReportLookup, ReportLookup.stored_report_id == StoredReport.id).where(
        ReportLookup.lookup_key == found.key))
    return None if row is None else _file(found.inputs, row)


def cached(inputs, key=None):
    """The stored ReportFile for these inputs (plan made), or None; a lookup `key` is kept
    for it, so the next request finds it without making the plan."""
    row = _stored(cache_key(inputs))
    if row is None:
        return None
    if key is not None:
        _remember(key, row.id)
    return _file(inputs, row)


def _remember(key, stored_report_id):
    db_session.add(ReportLookup(lookup_key=key, stored_report_id=stored_report_id))
    try:
        db_session.commit()
    except IntegrityError:  # another process kept this key meanwhile
        db_session.rollback()


def _keep(inputs, made, copies=None, key=None):
    """Store an archival report once (under the lookup `key` too, when given); when another
    process stored it first, serve theirs. The assessment keeps its `copies` newest files
    (each plan choice is another file): the oldest beyond them are removed, and are rendered
    again if asked for."""
    row = StoredReport(
        cache_key=made.cache_key, report_id=made.report_id, assessment_id=inputs.assessment_id,
        lang=inputs.lang, template_version=template_version(), filename=made.filename,
        size=len(made.pdf), pdf=made.pdf)
    db_session.add(row)
    try:
        db_session.flush()
        if key is not None:
            db_session.add(ReportLookup(lookup_key=key, stored_report_id=row.id))
            db_session.flush()
        _drop_beyond(inputs.assessment_id, COPIES if copies is None else copies)
        db_session.commit()
    except IntegrityError:
        db_session.rollback()
        theirs = _stored(made.cache_key)
        if theirs is None:  # the key was kept for another file meanwhile: send this one unkept
            return made
        if key is not None:
            _remember(key, theirs.id)
        return replace(made, pdf=theirs.pdf)
    return made


def _drop_beyond(assessment_id, copies) -> int:
    """Delete the assessment's stored reports beyond its `copies` newest; how many went."""
    newest = select(StoredReport.id).where(StoredReport.assessment_id == assessment_id) \
        .order_by(StoredReport.created_at.desc(), StoredReport.id.desc()).limit(max(copies, 1))
    gone = db_session.execute(delete(StoredReport).where(
        StoredReport.assessment_id == assessment_id, StoredReport.id.not_in(newest.scalar_subquery())))
    return gone.rowcount or 0


def prune(settings, now=None, older_than_days=None) -> int:
    """Remove stored reports older than REPORT_KEEP_DAYS (or `older_than_days`) and, per
    assessment, those beyond its REPORT_COPIES newest; returns how many were removed. A removed
    report is rendered again, with the same report id, when someone asks for it."""
    days = settings.get("REPORT_KEEP_DAYS", KEEP_DAYS) if older_than_days is None else older_than_days
    if days < 0:
        raise InvalidInput("negative_days", days=days)
    cutoff = (now or datetime.now(timezone.utc)) - timedelta(days=days)
    removed = db_session.execute(delete(StoredReport).where(StoredReport.created_at < cutoff)).rowcount or 0
    for assessment_id in db_session.scalars(select(StoredReport.assessment_id).distinct()).all():
        removed += _drop_beyond(assessment_id, settings.get("REPORT_COPIES", COPIES))
    db_session.commit()
    return removed


def render(inputs, settings, key=None):
    """Render the report; archival reports are kept (under the lookup `key` too, when given)
    so later requests get the same bytes."""
    made = ReportFile(report_id(inputs), cache_key(inputs), filename(inputs),
                      render_pdf(inputs, peers=peers_for(inputs, settings)), filename(inputs, True))
    if not inputs.archival:
        return made
    return _keep(inputs, made, settings.get("REPORT_COPIES", COPIES), key)


def report_for_assessment(assessment_id, lang, settings, choices=None):
    """The report of a submitted assessment: stored under its lookup key, else (the plan made
    now) stored under its cache key, else rendered now and kept."""
    found = lookup(assessment_id, lang, settings, choices)
    hit = stored(found)
    if hit is not None:
        return hit
    inputs = planned(found, settings)
    return cached(inputs, found.key) or render(inputs, settings, found.key)
