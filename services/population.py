"""Synthetic enterprises with several quarters of submitted assessments, for demos and the
aggregates benchmark. Every one is marked synthetic (its name starts with SYNTHETIC and its
stored result says `"synthetic": true`); none has people, so nobody can sign in as one.

Answers follow a latent maturity per enterprise (mostly low: Beta(2, 4)), which rises a little
at each re-assessment, so the level distribution is plausible (most at 一级/二级, few at 四级);
they are real answers of the instrument, scored by the batch engine with the real level rule.
"""
import random
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import func, insert, select
from sqlalchemy.orm import aliased

from diagnosis import compile_instrument, visible_ids
from storage import aggregate_summary
from storage.db import db_session
from storage.models import (Assessment, AssessmentDimensionScore, AssessmentIndicatorScore,
                            AssessmentScenarioLevel, Enterprise)

SYNTHETIC = "【合成】"
SIZES = (("micro", 0.5), ("small", 0.35), ("medium", 0.13), ("large", 0.02))
MANUFACTURING_SHARE = 0.6  # most pilot enterprises are in manufacturing (门类 C)


def _answer(rng, q, m):
    """An answer of question `q` for maturity m (0..1), with some noise."""
    level = min(1.0, max(0.0, rng.gauss(m, 0.15)))
    if q.kind == "single":
        return q.options[round(level * (len(q.options) - 1))].id
    if q.kind == "multiple":
        paying = [o.id for o in q.options if not o.exclusive]
        count = round(level * len(paying))
        if count == 0:
            return [o.id for o in q.options if o.exclusive] or paying[:1]
        return rng.sample(paying, count)
    if q.kind == "rate":
        d = rng.randint(10, 200)
        return {"numerator": round(level * d), "denominator": d}
    low, high = (q.min, q.max) if q.kind == "scale" else (0, 4)
    return low + round(level * (high - low))


def _quarter_days(today, quarters):
    """(first, last) day of each of the last `quarters` quarters, the current one last."""
    out, year, q = [], today.year, (today.month - 1) // 3
    for _ in range(quarters):
        first = date(year, 3 * q + 1, 1)
        last = (date(year + (q == 3), (3 * q + 3) % 12 + 1, 1) - timedelta(days=1))
        out.append((first, min(last, today)))
        year, q = (year - 1, 3) if q == 0 else (year, q - 1)
    return list(reversed(out))


def generate(instrument, enterprises, quarters, seed, districts, industries, today):
    """Plain rows: [(enterprise dict, [(submitted_at, answers), ...])] (no database)."""
    rng = random.Random(seed)
    sections = [s for s in industries.sections if s["divisions"]]
    manufacturing = [d["code"] for s in sections if s["code"] == "C" for d in s["divisions"]]
    others = [d["code"] for s in sections if s["code"] != "C" for d in s["divisions"]]
    periods = _quarter_days(today, quarters)
    out = []
    for i in range(enterprises):
        industry = rng.choice(manufacturing if rng.random() < MANUFACTURING_SHARE else others)
        size = rng.choices([s for s, _ in SIZES], [w for _, w in SIZES])[0]
        firm = {"name": f"{SYNTHETIC}企业{seed}-{i:07d}", "district": rng.choice(districts),
                "industry_code": industry, "size_class": size}
        profile = {"industry": industry, "size_class": size}
        shown = visible_ids(instrument, {}, profile)
        m = rng.betavariate(2, 4)
        start = rng.randrange(len(periods))
        submissions = []
        for first, last in periods[start:]:
            if submissions and rng.random() < 0.5:
                continue  # not every enterprise re-assesses every quarter
            answers = {q.id: _answer(rng, q, m) for q in instrument.questions if q.id in shown}
            day = first + timedelta(days=rng.randrange((last - first).days + 1))
            submissions.append((datetime.combine(day, time(10), tzinfo=timezone.utc),
                                answers, profile))
            m = min(1.0, m + rng.uniform(0.0, 0.08))
        out.append((firm, submissions))
    return out


def store(instrument, generated, batch=2000):
    """Score with the batch engine and insert, with the score rows the bureau's further figures
    read (dimension and indicator scores, scenario levels); an enterprise's first submission
    is its baseline (T0) when it has later ones and an even place in `generated`. Returns the
    number of assessments written."""
    compiled = compile_instrument(instrument)
    levels = {lv.rank: lv.id for lv in instrument.levels}
    written = 0
    for start in range(0, len(generated), batch):
        chunk = generated[start:start + batch]
        ids = db_session.execute(insert(Enterprise).returning(Enterprise.id),
                                 [firm for firm, _ in chunk]).scalars().all()
        pairs = [(answers, profile) for _, subs in chunk for _, answers, profile in subs]
        encoded = compiled.encode_many(pairs)
        ev = compiled.evaluate(encoded, detail=True)
        rows, k = [], 0
        for place, (enterprise_id, (_, subs)) in enumerate(zip(ids, chunk), start):
            for nth, (submitted_at, answers, _) in enumerate(subs):
                total, rank = round(float(ev["total"][k]), 2), int(ev["rank"][k])
                baseline = submitted_at if nth == 0 and len(subs) > 1 and place % 2 == 0 \
                    else None
                rows.append({"enterprise_id": enterprise_id, "instrument_id": instrument.id,
                             "instrument_version": instrument.version, "status": "submitted",
                             "answers": answers, "total": total, "max_total": 100.0,
                             "level_id": levels[rank], "level_rank": rank,
                             "result": {"synthetic": True, "total": total,
                                        "level": {"id": levels[rank], "rank": rank}},
                             "submitted_at": submitted_at, "pledged_at": submitted_at,
                             "baseline_at": baseline})
                k += 1
        assessment_ids = db_session.execute(
            insert(Assessment).returning(Assessment.id, sort_by_parameter_order=True),
            rows).scalars().all()
        _score_rows(compiled, ev, encoded.scenarios, assessment_ids)
        db_session.commit()
        written += len(rows)
    aggregate_summary.rebuild(db_session.connection())  # the inserts bypassed the ORM
    db_session.commit()
    return written


def _score_rows(compiled, ev, scenarios, assessment_ids):
    """The rows services.score_rows.keep_score_rows writes on submission, in bulk."""
    dims, inds = compiled.dimension_ids, compiled.indicator_ids
    dimension_of = {ind.id: d.id for d in compiled.instrument.dimensions for ind in d.indicators}
    db_session.execute(insert(AssessmentDimensionScore), [
        {"assessment_id": aid, "dimension_id": dim_id, "score": float(ev["dim_score"][k, j]),
         "max": float(ev["dim_max"][k, j])}
        for k, aid in enumerate(assessment_ids) for j, dim_id in enumerate(dims)])
    db_session.execute(insert(AssessmentIndicatorScore), [
        {"assessment_id": aid, "indicator_id": ind_id, "dimension_id": dimension_of[ind_id],
         "score": float(ev["ind_score"][k, j]), "max": float(ev["ind_max"][k, j])}
        for k, aid in enumerate(assessment_ids) for j, ind_id in enumerate(inds)])
    answered = [{"assessment_id": aid, "scenario_id": sid, "level": int(scenarios[k, j])}
                for k, aid in enumerate(assessment_ids)
                for j, sid in enumerate(compiled.scenario_ids) if scenarios[k, j] >= 0]
    if answered:
        db_session.execute(insert(AssessmentScenarioLevel), answered)


def plan_and_ask(instrument, settings, enterprises, organisation_id=None, ask_every=3):
    """Default plans (services.planning) for the latest assessment of up to `enterprises`
    synthetic enterprises, kept as plan rows like a submission keeps them; with an
    organisation, every `ask_every`-th of them also asks it for its plan's first phase (a help
    request under no consent, so no inbox lists it). Returns (plans, requests). Planning takes
    tens of milliseconds each: the demo plans a sample, not every enterprise."""
    from services import planning
    from services.assessments import profile_of
    from storage.models import AssessmentPlanModule
    from storage.project_models import Project, ProjectModule

    later = aliased(Assessment)
    latest = db_session.execute(
        select(Assessment.id, Assessment.enterprise_id, Assessment.answers,
               Assessment.submitted_at)
        .join(Enterprise, Enterprise.id == Assessment.enterprise_id)
        .where(Enterprise.name.startswith(SYNTHETIC), Assessment.status == "submitted",
               Assessment.instrument_id == instrument.id,
               Assessment.id == select(func.max(later.id)).where(
                   later.enterprise_id == Assessment.enterprise_id).scalar_subquery())
        .order_by(Assessment.enterprise_id).limit(enterprises)).all()
    plans = requests = 0
    for nth, (aid, enterprise_id, answers, submitted_at) in enumerate(latest):
        modules = planning.default_plan_modules(instrument, answers, profile_of(enterprise_id),
                                                settings)
        if not modules:
            continue
        db_session.execute(insert(AssessmentPlanModule),
                           [{"assessment_id": aid, "module_id": m} for m in modules])
        plans += 1
        if organisation_id is not None and nth % ask_every == 0:
            asked = list(modules[:2])
            project_id = db_session.execute(insert(Project).returning(Project.id), [{
                "enterprise_id": enterprise_id, "organisation_id": organisation_id,
                "modules": asked, "share": "summary", "status": "requested",
                "created_at": submitted_at + timedelta(days=3)}]).scalar_one()
            db_session.execute(insert(ProjectModule),
                               [{"project_id": project_id, "module_id": m} for m in asked])
            requests += 1
    db_session.commit()
    return plans, requests
