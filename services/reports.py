"""Report use cases: gather a report's inputs, return the cached file or render and keep it.

Plain values in (assessment id, language, instrument id and answers), plain values out
(`ReportFile`). Access checks happen before these are called (web: services.access; CLI: the
operator). `settings` is a mapping such as the application's config (QUESTIONNAIRES_DIR,
INDUSTRIES_FILE and what services.planning reads). Archival reports are kept in the `reports`
table (storage/report_models.py), one row per cache key, so the web process, RQ workers and the
CLI share them.
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
from reports.document import ReportInputs, cache_key, render_pdf, report_id, template_version
from reports.values import tr
from services import assessments, baseline, instrument_registry, on_site_sign_off, planning
from services.profile import profile_dict
from services.errors import InvalidInput
from services.reference import ReferenceDataError, load_industries
from storage.db import db_session
from storage.models import Assessment, Enterprise
from storage.report_models import StoredReport

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


def inputs_for_assessment(assessment_id, lang, settings, choices=None):
    """ReportInputs of a submitted assessment (archival: PDF/A-3b with the result attached);
    `choices` (services.planning.Choices) picks the plan, None the default one."""
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
        plan=_plan(row.id, settings, choices), history=earlier, assessment_id=row.id,
        archival=True, created=row.submitted_at, mode="onsite" if signed else "self",
        on_site=signed,
        before_after=baseline.series({"id": row.id, "enterprise_id": row.enterprise_id,
                                      "instrument_id": row.instrument_id,
                                      "status": row.status, "submitted_at": row.submitted_at,
                                      "result": row.result}))


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


def filename(inputs, ascii_only=False):
    """enterprise_instrument_date_reportid.pdf, safe on every file system (Chinese kept
    unless `ascii_only`, when a name with no ASCII letters becomes "report"). The report id
    (without its "DR-") keeps two reports of one day apart, e.g. two assessments or plans."""
    date = (inputs.created or datetime.now(timezone.utc)).strftime("%Y-%m-%d")
    parts = [_safe(inputs.enterprise.get("name"), ascii_only) or "report",
             _safe(inputs.instrument.id, ascii_only), date,
             report_id(inputs).removeprefix("DR-")]
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


def cached(inputs):
    """The stored ReportFile for these inputs, or None."""
    key = cache_key(inputs)
    row = _stored(key)
    if row is None:
        return None
    return ReportFile(row.report_id, key, filename(inputs), row.pdf, filename(inputs, True))


def _keep(inputs, made, copies=None):
    """Store an archival report once; when another process stored it first, serve theirs.
    The assessment keeps its `copies` newest files (each plan choice is another file): the
    oldest beyond them are removed, and are rendered again if asked for."""
    db_session.add(StoredReport(
        cache_key=made.cache_key, report_id=made.report_id, assessment_id=inputs.assessment_id,
        lang=inputs.lang, template_version=template_version(), filename=made.filename,
        size=len(made.pdf), pdf=made.pdf))
    try:
        db_session.flush()
        _drop_beyond(inputs.assessment_id, COPIES if copies is None else copies)
        db_session.commit()
    except IntegrityError:
        db_session.rollback()
        return replace(made, pdf=_stored(made.cache_key).pdf)
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


def render(inputs, settings):
    """Render the report; archival reports are kept so later requests get the same bytes."""
    made = ReportFile(report_id(inputs), cache_key(inputs), filename(inputs),
                      render_pdf(inputs, peers=peers_for(inputs, settings)), filename(inputs, True))
    return _keep(inputs, made, settings.get("REPORT_COPIES", COPIES)) if inputs.archival else made


def report_for_assessment(assessment_id, lang, settings, choices=None):
    """The report of a submitted assessment: from the cache, else rendered now and kept."""
    inputs = inputs_for_assessment(assessment_id, lang, settings, choices)
    return cached(inputs) or render(inputs, settings)
