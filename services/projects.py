"""Help requests and the projects they become: asking for help with consent, each side moving its
own steps (data/projects.yaml), the acceptance pack, and the SME's rating of the provider.

Who acts as which side of a project:
- `enterprise`: the SME's own people;
- `provider`: staff of the provider organisation the request went to, while the SME's consent
  covering what it shared is in force (services.access, audited);
- `centre`: staff of a centre the SME has a consent in force with (audited).
Anyone else gets NotFound, the same as for a project that does not exist.
"""
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from diagnosis.matching import NOT_RECOMMENDED
from diagnosis.projects import ProjectRules, StepRefused, load_rules
from services import access, consents, file_store
from services.access_vocabulary import vocabulary
from services.errors import Conflict, InvalidInput, NotFound
from services.text import control_character
from storage.base import utcnow
from storage.db import db_session, transaction
from storage.models import Assessment
from storage.organisation_models import Organisation
from storage.project_models import (SHARES, Project, ProjectFile, ProjectModule, ProjectRating,
                                    ProjectStep)

SHARE_SCOPES = {"summary": ("share_summary", "share_report"), "report": ("share_report",)}
MAX_MESSAGE = 1000
UNAVAILABLE = NOT_RECOMMENDED  # suspended or removed providers take no new requests


class ProjectInvalid(InvalidInput):
    """Every problem of a request at once: `problems` maps a field to a code."""

    code = "project_invalid"

    def __init__(self, problems: dict):
        super().__init__(problems=problems)
        self.problems = problems


@lru_cache(maxsize=4)
def _rules_at(path: str) -> ProjectRules:
    return load_rules(Path(path))


def rules(settings) -> ProjectRules:
    """The rules file in use (PROJECT_RULES_FILE), loaded and checked once."""
    return _rules_at(str(settings["PROJECT_RULES_FILE"]))


def _refused(err: StepRefused) -> InvalidInput:
    return InvalidInput(err.code, **err.params)


# --- who the actor is on a project -----------------------------------------------------------

def project_or_404(project_id) -> Project:
    project = db_session.get(Project, access.valid_id(project_id))
    if project is None:
        raise NotFound()
    return project


def sides(actor, project: Project) -> dict:
    """{side: organisation id or None} the actor may act as on this project (reads nothing of
    the enterprise's data, writes nothing)."""
    if not getattr(actor, "is_authenticated", False):
        return {}
    found = {}
    if project.enterprise_id in actor.enterprise_ids:
        found["enterprise"] = None
    for org in actor.organisations:
        if (org.organisation_id == project.organisation_id and org.kind == "provider"
                and access.permits(actor, "view_referral", project.enterprise_id,
                                   organisation_id=org.organisation_id)):
            found["provider"] = org.organisation_id
        if org.kind == "centre" and "centre" not in found and access.permits(
                actor, "view_referral", project.enterprise_id, organisation_id=org.organisation_id):
            found["centre"] = org.organisation_id
    return found


def _act(actor, project: Project, side: str, action: str, sides_found: dict) -> None:
    """Authorise `action` for an outsider side inside the open transaction (audited)."""
    if side != "enterprise":
        access.authorise(actor, action, project.enterprise_id,
                         organisation_id=sides_found[side], object_type="project",
                         object_id=project.id)


# --- asking for help --------------------------------------------------------------------------

def _check_request(enterprise_id, values, catalogue, settings):
    problems = {}
    assessment = db_session.get(Assessment, access.valid_id(values.get("assessment_id")))
    if (assessment is None or assessment.enterprise_id != enterprise_id
            or assessment.status != "submitted"):
        raise NotFound()
    modules = [m for m in dict.fromkeys(values.get("modules") or ()) if isinstance(m, str)]
    if any(m not in catalogue.modules for m in modules):
        problems["modules"] = "module_unknown"
    share = values.get("share")
    if share not in SHARES:
        problems["share"] = "share_required"
    message = values.get("message") or ""
    message = message.strip() if isinstance(message, str) else ""
    if control_character(message, multiline=True):
        problems["message"] = "control_characters"
    elif len(message) > MAX_MESSAGE:
        problems["message"] = "message_too_long"
    org = None
    try:
        org = db_session.get(Organisation, access.valid_id(values.get("organisation_id")))
    except NotFound:
        pass
    if org is None or org.status != "active" or org.kind not in ("provider", "centre"):
        problems["organisation"] = "organisation_unknown"
        org = None
    elif org.kind == "provider":
        provider = catalogue.providers.get(org.provider_ref or "")
        if provider is None or provider.status in UNAVAILABLE:
            problems["organisation"] = "provider_unavailable"
        elif any(provider.offer_for(m) is None for m in modules if m in catalogue.modules):
            problems["organisation"] = "provider_not_offering"
    names = [catalogue.modules[m].name for m in modules if m in catalogue.modules]
    purpose = vocabulary().purpose("help_request" if names else "help_request_general",
                                   modules=names)
    scope = "share_report" if share == "report" else "share_summary"
    try:
        consents.terms(org.kind if org else None, [scope], purpose[:500],
                       values.get("valid_until"), settings)
    except consents.ConsentInvalid as err:
        problems.update(err.problems)
    if problems:
        raise ProjectInvalid(problems)
    return assessment, org, modules, share, message, scope, purpose[:500]


def request_help(actor, enterprise_id, values: dict, *, catalogue, settings) -> int:
    """An SME's person asks an organisation (a provider, or a centre to find one) for help with
    some modules of its plan, sharing the level and plan summary or the full report. The
    consent (an owner's is given at once, a member's waits for an owner) and the request are
    written together. `values`: organisation_id, assessment_id, modules, share, message,
    valid_until."""
    enterprise_id = access.valid_id(enterprise_id)
    if not getattr(actor, "is_authenticated", False) or enterprise_id not in actor.enterprise_ids:
        raise NotFound()
    assessment, org, modules, share, message, scope, purpose = _check_request(
        enterprise_id, values, catalogue, settings)
    wanted = SHARE_SCOPES[share] if org.kind == "provider" else vocabulary().action(
        "view_referral").scopes
    with transaction():
        consent = access.consent_in_force(enterprise_id, [org.id], wanted)
        if consent is None:
            consent = consents.add_request(actor, enterprise_id, org.id, [scope], purpose,
                                           values.get("valid_until"), settings)
        project = Project(enterprise_id=enterprise_id, organisation_id=org.id,
                          provider_ref=org.provider_ref if org.kind == "provider" else None,
                          modules=modules, share=share, consent_id=consent.id,
                          message=message or None, status="requested",
                          t0_assessment_id=assessment.id, created_by=actor.id)
        db_session.add(project)
        db_session.flush()
        db_session.add_all(ProjectModule(project_id=project.id, module_id=m) for m in modules)
        db_session.add(ProjectStep(project_id=project.id, step="request", status="requested",
                                   side="enterprise", user_id=actor.id))
        return project.id


# --- moving a project on ----------------------------------------------------------------------

def _subsidy(project: Project, amount: int, catalogue, rule, profile) -> int:
    """The city's part of the contracted amount: the subsidy rule's rate, capped per module the
    project covers (free public modules get none unless the rule says so)."""
    if rule is None or not rule.applies(profile):
        return 0
    modules = [catalogue.modules[m] for m in project.modules if m in catalogue.modules]
    paid = [m for m in modules if not m.public or rule.public_modules]
    if modules and not paid:
        return 0
    return int(min(round(amount * rule.rate), rule.cap * max(1, len(paid))))


def pack_missing(project: Project, project_rules: ProjectRules) -> list[str]:
    """The acceptance pack items still missing, in the rules' order."""
    have = set(db_session.scalars(select(ProjectFile.item)
                                  .where(ProjectFile.project_id == project.id)))
    if project.t1_assessment_id is not None:
        have.update(i.id for i in project_rules.pack.values() if i.kind == "assessment")
    return [i for i in project_rules.pack if i not in have]


def move(actor, project_id, step_id: str, *, amount=None, reason=None, settings, catalogue,
         subsidy_rule=None, profile=None) -> str:
    """Take one step (data/projects.yaml) as the side it belongs to; the new status. Refusals:
    NotFound (not a party), InvalidInput (`not_your_step`, `step_out_of_order`, an amount or
    reason problem, `pack_incomplete`), Conflict (the project moved on meanwhile)."""
    project = project_or_404(project_id)
    found = sides(actor, project)
    if not found:
        raise NotFound()
    project_rules = rules(settings)
    step = project_rules.steps.get(step_id)
    if step is None:
        raise InvalidInput("step_unknown")
    if step.side not in found:
        raise InvalidInput("not_your_step")
    try:
        out = project_rules.move(project.status, step_id, step.side, amount=amount, reason=reason)
    except StepRefused as err:
        raise _refused(err) from None
    values = {"status": out["status"], "updated_at": utcnow()}
    if step_id == "quote":
        values["quote"] = out["amount"]
    elif step_id == "contract":
        values["contracted_amount"] = project.quote
        values["subsidy"] = _subsidy(project, project.quote, catalogue, subsidy_rule, profile)
    elif step_id == "submit" and (missing := pack_missing(project, project_rules)):
        raise InvalidInput("pack_incomplete", missing=missing)
    if out["reason"]:
        values["reason"] = out["reason"]
    action = "accept_project" if step.side == "centre" else "move_project"
    with transaction():
        _act(actor, project, step.side, action, found)
        moved = db_session.execute(update(Project).where(
            Project.id == project.id, Project.status == project.status).values(**values))
        if moved.rowcount != 1:
            raise Conflict("project_moved")
        db_session.add(ProjectStep(project_id=project.id, step=step_id, status=out["status"],
                                   side=step.side, user_id=actor.id,
                                   organisation_id=found[step.side], amount=out["amount"],
                                   reason=out["reason"]))
    return out["status"]


# --- the acceptance pack ----------------------------------------------------------------------

PACK_OPEN = ("contracted", "implementing")


def add_file(actor, project_id, item: str, filename, stream, settings) -> int:
    """A document of the acceptance pack, by the SME or the provider, while the project is
    contracted or implementing; `stream` is read and kept by the shared file store
    (services/file_store.py: checked by content, stored once per SHA-256)."""
    project = project_or_404(project_id)
    found = sides(actor, project)
    side = "enterprise" if "enterprise" in found else "provider" if "provider" in found else None
    if side is None:
        raise NotFound()
    pack = rules(settings).pack
    if item not in pack or pack[item].kind != "file":
        raise InvalidInput("pack_item_unknown")
    if project.status not in PACK_OPEN:
        raise InvalidInput("pack_closed")
    stored = file_store.accept(stream, filename, file_store.store_for(settings))
    with transaction():
        _act(actor, project, side, "move_project", found)
        row = ProjectFile(project_id=project.id, item=item, filename=stored.name,
                          content_type=file_store.ALLOWED[stored.media_type], size=stored.size,
                          sha256=stored.sha256, uploaded_by=actor.id)
        db_session.add(row)
        db_session.flush()
        return row.id


def file_bytes(actor, project_id, file_id, settings) -> tuple[str, str, bytes]:
    """(filename, media type, bytes) of a pack document, for a party of the project (an
    outsider's read is audited)."""
    project = project_or_404(project_id)
    found = sides(actor, project)
    row = db_session.get(ProjectFile, access.valid_id(file_id))
    if not found or row is None or row.project_id != project.id:
        raise NotFound()
    if "enterprise" not in found:
        side = next(iter(found))
        access.check(actor, "view_referral", project.enterprise_id, organisation_id=found[side],
                     object_type="project_file", object_id=row.id)
    try:
        with file_store.store_for(settings).open(row.sha256) as kept:
            raw = kept.read()
    except FileNotFoundError:
        raise NotFound() from None
    # the media type its bytes show, the same check that accepted it
    return row.filename, file_store.media_type_of(raw[:8192]) or "application/octet-stream", raw


def link_follow_up(actor, project_id, assessment_id) -> None:
    """The SME names its post-upgrade assessment (T1): submitted, of the same instrument version
    as the baseline (T0) — totals of two versions are not compared — and submitted after it."""
    project = project_or_404(project_id)
    if "enterprise" not in sides(actor, project):
        raise NotFound()
    if project.status not in PACK_OPEN:
        raise InvalidInput("pack_closed")
    t1 = db_session.get(Assessment, access.valid_id(assessment_id))
    if t1 is None or t1.enterprise_id != project.enterprise_id:
        raise NotFound()
    t0 = db_session.get(Assessment, project.t0_assessment_id) if project.t0_assessment_id else None
    if t1.status != "submitted" or t0 is None or t1.id == t0.id \
            or (t1.instrument_id, t1.instrument_version) != (t0.instrument_id, t0.instrument_version) \
            or t1.submitted_at < t0.submitted_at:
        raise InvalidInput("follow_up_unsuitable")
    with transaction():
        db_session.execute(update(Project).where(Project.id == project.id)
                           .values(t1_assessment_id=t1.id, updated_at=utcnow()))


# --- the SME's rating -------------------------------------------------------------------------

def rate(actor, project_id, scores: dict, comment, settings) -> None:
    """The SME rates the provider once the project is accepted: every aspect 1–5, a comment of
    up to 1000 characters. Rating twice is a Conflict."""
    project = project_or_404(project_id)
    if "enterprise" not in sides(actor, project):
        raise NotFound()
    if project.status != "accepted":
        raise InvalidInput("rate_before_acceptance")
    problems, clean = {}, {}
    for aspect in rules(settings).rating_aspects:
        raw = (scores or {}).get(aspect)
        value = int(raw) if isinstance(raw, int) or (isinstance(raw, str) and raw.isdigit()
                                                    and len(raw) < 3) else None
        if value is None or not 1 <= value <= 5:
            problems[aspect] = "rating_range"
        clean[aspect] = value
    comment = comment.strip() if isinstance(comment, str) else ""
    if control_character(comment, multiline=True):
        problems["comment"] = "control_characters"
    elif len(comment) > MAX_MESSAGE:
        problems["comment"] = "message_too_long"
    if problems:
        raise ProjectInvalid(problems)
    if db_session.scalar(select(ProjectRating.id).where(ProjectRating.project_id == project.id)):
        raise Conflict("already_rated")
    try:
        with transaction():
            db_session.add(ProjectRating(project_id=project.id, scores=clean,
                                         comment=comment or None, user_id=actor.id))
    except IntegrityError:  # two tabs rating at once: the unique project_id keeps one
        raise Conflict("already_rated") from None
