"""Providers' outcome records from their projects (diagnosis/outcomes.py does the arithmetic).

Public data: counts, medians and shares over a provider's projects, never an enterprise's name.
"""
from statistics import mean

from sqlalchemy import func, select

from diagnosis.outcomes import ProjectFacts, outcome_record, ranking_factor
from services.projects import rules
from storage.db import db_session
from storage.models import Assessment
from storage.project_models import Project, ProjectRating, ProjectStep


def _facts() -> dict[str, list[ProjectFacts]]:
    days = {}
    for project_id, step, at in db_session.execute(
            select(ProjectStep.project_id, ProjectStep.step, ProjectStep.at)
            .where(ProjectStep.step.in_(("contract", "accept")))):
        days[(project_id, step)] = at.date()
    ratings = {pid: scores for pid, scores in db_session.execute(
        select(ProjectRating.project_id, ProjectRating.scores))}
    assessments = {}
    ids = set()
    projects = db_session.scalars(select(Project).where(Project.provider_ref.is_not(None))).all()
    for p in projects:
        ids.update(i for i in (p.t0_assessment_id, p.t1_assessment_id) if i)
    for a in db_session.scalars(select(Assessment).where(Assessment.id.in_(ids))):
        assessments[a.id] = a
    facts = {}
    for p in projects:
        t0, t1 = assessments.get(p.t0_assessment_id), assessments.get(p.t1_assessment_id)
        scores = [v for v in (ratings.get(p.id) or {}).values() if isinstance(v, int)]
        facts.setdefault(p.provider_ref, []).append(ProjectFacts(
            p.status, t0 and t0.total, t1 and t1.total, t0 and t0.level_rank,
            t1 and t1.level_rank, mean(scores) if scores else None,
            days.get((p.id, "contract")), days.get((p.id, "accept"))))
    return facts


def outcomes(*, settings, catalogue) -> list[dict]:
    """Every catalogue provider's outcome record, with the counts it rests on, by provider id."""
    minimum, facts = rules(settings).min_accepted, _facts()
    return [{"provider": p.id, "name": dict(p.name), "status": p.status,
             "record": outcome_record(facts.get(p.id, ()), minimum).to_dict()}
            for p in sorted(catalogue.providers.values(), key=lambda p: p.id)]


def outcome_for(provider_id: str, *, settings) -> dict:
    """One provider's outcome record (shown on its page from `min_accepted` accepted projects)."""
    return outcome_record(_facts().get(provider_id, ()), rules(settings).min_accepted).to_dict()


def revision() -> tuple:
    """Changes whenever a project moves or is rated (part of the catalogue's cache key)."""
    return (db_session.scalar(select(func.max(ProjectStep.id))) or 0,
            db_session.scalar(select(func.count()).select_from(ProjectRating)) or 0)


def factors(settings) -> dict:
    """provider id -> the outcome factor of the ranking formula, for providers with projects."""
    minimum = rules(settings).min_accepted
    return {ref: ranking_factor(outcome_record(facts, minimum)) for ref, facts in _facts().items()}
