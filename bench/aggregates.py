"""Benchmark the bureau aggregates on PostgreSQL with many submitted assessments.

Prepares (once; kept between runs) a database of N submitted cn-sme-2024 assessments: a pool of
real synthetic answers (services/population.py, scored by the batch engine) repeated over
enterprises with random districts and size classes, written with INSERT … SELECT
generate_series, with the rows the further figures read copied from each answer set's own
(dimension, indicator and scenario scores, default plan modules), a baseline (T0) for every
other enterprise with several submissions and a help request from one enterprise in ten; the
superseded times and the summaries of now and of the past quarter ends built once
(storage/aggregate_summary.py), then VACUUM ANALYZE. A database prepared by an older version of this script
(another PREPARED) is dropped and prepared again. Then times, on the same run:
- the whole dashboard page's data (services.bureau.page_data: figures, targets, further
  figures, charts) for random filter combinations: p95, each run with the charts and
  protected tables kept in the process forgotten (the process's first page, which loads
  matplotlib, is timed apart);
- the CSV and the XLSX of a three-way cross-table (district × size class × industry);
- the PDF brief (the page's data → HTML → WeasyPrint);
- what-if rescoring of every enterprise's latest assessment;
- a baseline: `SELECT count(*) FROM assessments`, so the figures can be compared across machines
  (printed as ratios).
Last line: `aggregates: N assessments, dashboard p95 X ms, csv X s, xlsx X s, brief X s, rescore X s`

Run: .venv/bin/python bench/aggregates.py [--assessments 1000000] [--runs 40] [--seed 1]
     [--database postgresql+psycopg://postgres@127.0.0.1:5432/bench_aggregates]
"""
import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/bench_aggregates"
POOL = 400  # distinct answer sets, repeated over the enterprises
PREPARED = 2  # the preparation's version: a database marked with another one is made again
ASK_EVERY = 10  # one enterprise in ten has asked for help with its plan's first modules


def ensure_database(url):
    import psycopg
    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0].replace("postgresql+psycopg", "postgresql") + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists and _prepared(url.replace("postgresql+psycopg", "postgresql")) != PREPARED:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = False
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    subprocess.run([str(ROOT / ".venv" / "bin" / "alembic"), "upgrade", "head"], cwd=ROOT,
                   env={**os.environ, "DATABASE_URL": url}, check=True,
                   stdout=subprocess.DEVNULL)


def _prepared(url):
    """The PREPARED mark of an existing database (0: none, or an older preparation)."""
    import psycopg
    with psycopg.connect(url) as conn:
        if conn.execute("SELECT to_regclass('bench_prepared')").fetchone()[0] is None:
            return 0
        return conn.execute("SELECT max(version) FROM bench_prepared").fetchone()[0] or 0


def prepare(app, n, seed):
    """Fill the database up to n submitted assessments (nothing done when already there)."""
    from sqlalchemy import func, select, text

    from services import instrument_registry, population
    from services.reference import load_districts, load_industries
    from storage import aggregate_summary
    from storage.db import db_session
    from storage.models import Assessment

    have = db_session.scalar(select(func.count()).select_from(Assessment))
    if have >= n:
        return have
    config = app.config
    inst = instrument_registry.instruments(config["QUESTIONNAIRES_DIR"])["cn-sme-2024"]
    districts = [d["value"] for d in load_districts(str(config["DISTRICTS_FILE"]))]
    industries = load_industries(str(config["INDUSTRIES_FILE"]))
    pool = population.generate(inst, POOL, 1, seed, districts, industries, date.today())
    population.store(inst, pool)  # POOL enterprises with one scored assessment each
    population.plan_and_ask(inst, config, POOL)  # their default plans' modules
    db_session.execute(text("""
        CREATE TABLE IF NOT EXISTS bench_pool AS
        SELECT row_number() OVER (ORDER BY a.id) - 1 AS i, a.id AS assessment_id, a.answers,
               a.total, a.level_id, a.level_rank, e.industry_code, e.size_class
        FROM assessments a JOIN enterprises e ON e.id = a.enterprise_id"""))
    firms = max(1, (n - have) * 2 // 5)  # 2.5 submissions per enterprise
    db_session.execute(text("""
        INSERT INTO enterprises (name, district, size_class, industry_code, created_at, updated_at)
        SELECT '【合成】基准' || g, (ARRAY[:districts])[1 + g % :nd], p.size_class,
               p.industry_code, now(), now()
        FROM generate_series(1, :firms) g JOIN bench_pool p ON p.i = g % :pool"""),
        {"districts": districts, "nd": len(districts), "firms": firms, "pool": POOL})
    db_session.execute(text("""
        INSERT INTO assessments (enterprise_id, instrument_id, instrument_version, status,
                                 answers, result, total, max_total, level_id, level_rank,
                                 submitted_at, pledged_at, created_at, updated_at, lock_version,
                                 mode)
        SELECT e.id, 'cn-sme-2024', :version, 'submitted', p.answers,
               json_build_object('synthetic', true, 'pool', p.i), p.total, 100, p.level_id,
               p.level_rank,
               now() - ((g.k * 97 + e.id) % 720) * interval '1 day', now(), now(), now(), 1,
               'self'
        FROM (SELECT id FROM enterprises WHERE name LIKE '【合成】基准%%') e
        CROSS JOIN generate_series(0, 2) g(k)
        JOIN bench_pool p ON p.i = (e.id + g.k) % :pool
        LIMIT :missing"""), {"version": inst.version, "pool": POOL, "missing": n - have - POOL})
    figure_rows(db_session)
    db_session.commit()  # the marker comes last: a database without it is made again
    db_session.execute(text("ANALYZE"))  # without statistics T0 look-ups scan every assessment
    aggregate_summary.rebuild(db_session.connection())  # superseded times of the rows above
    db_session.execute(text("CREATE TABLE bench_prepared (version integer)"))
    db_session.execute(text("INSERT INTO bench_prepared VALUES (:v)"), {"v": PREPARED})
    db_session.execute(text("ANALYZE"))
    db_session.commit()
    return db_session.scalar(select(func.count()).select_from(Assessment))


COPIED = {  # table: its columns after assessment_id, copied from the answer set's own rows
    "assessment_dimension_scores": "dimension_id, score, max",
    "assessment_indicator_scores": "indicator_id, dimension_id, score, max",
    "assessment_scenario_levels": "scenario_id, level",
    "assessment_plan_modules": "module_id",
}


def figure_rows(session):
    """The rows the further figures read, for the copied assessments: each answer set's own
    score, scenario and plan rows; baselines; help requests (one enterprise in ASK_EVERY asks
    an organisation for its plan's first two modules three days after its latest submission)."""
    from sqlalchemy import text

    copied = "SELECT a.id, (a.result ->> 'pool')::int AS i FROM assessments a " \
             "WHERE a.result ->> 'pool' IS NOT NULL"
    for table, columns in COPIED.items():
        picked = ", ".join(f"r.{c.strip()}" for c in columns.split(","))
        session.execute(text(f"""
            INSERT INTO {table} (assessment_id, {columns})
            SELECT c.id, {picked} FROM ({copied}) c
            JOIN bench_pool p ON p.i = c.i JOIN {table} r ON r.assessment_id = p.assessment_id"""))
    session.execute(text("""
        UPDATE assessments SET baseline_at = submitted_at WHERE id IN (
            SELECT DISTINCT ON (enterprise_id) id FROM assessments
            WHERE result ->> 'pool' IS NOT NULL AND enterprise_id % 2 = 0
            ORDER BY enterprise_id, submitted_at, id)"""))
    session.execute(text("""
        INSERT INTO organisations (kind, name, scope, settings, status, created_at)
        VALUES ('centre', '【合成】基准服务中心', '{}', '{}', 'active', now())"""))
    session.execute(text("""
        INSERT INTO projects (enterprise_id, organisation_id, modules, share, status,
                              created_at, updated_at)
        SELECT a.enterprise_id, (SELECT max(id) FROM organisations),
               json_build_array(m.modules[1], m.modules[2]), 'summary', 'requested',
               least(now(), a.submitted_at + interval '3 days'), now()
        FROM (SELECT DISTINCT ON (enterprise_id) enterprise_id, submitted_at, result
              FROM assessments WHERE result ->> 'pool' IS NOT NULL
              AND enterprise_id % :every = 1
              ORDER BY enterprise_id, submitted_at DESC, id DESC) a
        JOIN bench_pool p ON p.i = (a.result ->> 'pool')::int
        JOIN (SELECT assessment_id, array_agg(module_id ORDER BY module_id) AS modules
              FROM assessment_plan_modules GROUP BY assessment_id) m
          ON m.assessment_id = p.assessment_id AND cardinality(m.modules) >= 2"""),
        {"every": ASK_EVERY})
    session.execute(text("""
        INSERT INTO project_modules (project_id, module_id)
        SELECT id, json_array_elements_text(modules) FROM projects"""))


def vacuum(url):
    """VACUUM ANALYZE: fresh statistics and visibility maps (index-only scans) after bulk writes;
    without it the first pages after a preparation took about 1 s."""
    import psycopg
    with psycopg.connect(url.replace("postgresql+psycopg", "postgresql"), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def summaries(as_of):
    """Build the summaries the dashboards read (now and the past quarter ends) where missing."""
    from services.bureau import quarter_ends
    from storage import aggregate_summary, latest_assessments
    from storage.db import db_session

    built = 0
    for end in [latest_assessments.CURRENT] + quarter_ends(as_of)[:-1]:
        if not aggregate_summary.listed(db_session.connection(), end):
            aggregate_summary.build(db_session.connection(), end)
            built += 1
    db_session.commit()
    return built


def timed(fn):
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--assessments", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=40)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--database", default=DEFAULT_URL)
    args = ap.parse_args()
    ensure_database(args.database)
    os.environ["DATABASE_URL"] = args.database

    from flask import render_template
    from sqlalchemy import text

    from app import create_app
    from reports.pdf import html_to_pdf
    from services import aggregate_exports, aggregates, bureau, instrument_registry, organisations
    from services import rescore
    from storage.db import db_session
    from web.plan.texts import category_name

    app = create_app({"DATABASE_URL": args.database})
    rng = random.Random(args.seed)
    with app.app_context():
        n = prepare(app, args.assessments, args.seed)
        summaries_s, built = timed(lambda: summaries(date.today()))
        if built:
            vacuum(args.database)
        config = app.config
        registry = instrument_registry.instruments(config["QUESTIONNAIRES_DIR"])
        inst = registry["cn-sme-2024"]
        levels = [lv.id for lv in inst.levels]
        ref = organisations.reference(config)
        districts = sorted(ref.districts)
        base, _ = timed(lambda: db_session.execute(
            text("SELECT count(*) FROM assessments")).scalar())

        def query(**raw):
            return aggregates.parse({"instrument": "cn-sme-2024", "by": "district", **raw}, ref,
                                    registry, date.today(), k=config["DISCLOSURE_K"])

        from reports import bureau_charts

        def forget():
            """Each selection as if new: no chart or protected table kept from an earlier run."""
            bureau_charts._drawn.cache_clear()
            aggregates._protected_cross.cache_clear()

        # the process's first page loads matplotlib, fonts and the catalogue: printed, not in p95
        first_s, _ = timed(lambda: bureau.page_data(query(), inst.levels, "district",
                                                    "size_class", None, config, "zh"))
        times = []
        for _ in range(args.runs):
            forget()
            raw = {}
            if rng.random() < 0.5:
                raw["district"] = rng.choice(districts)
            if rng.random() < 0.5:
                raw["industry"] = rng.choice(["C", "C34", "C36", "F", "I"])
            if rng.random() < 0.3:
                raw["size_class"] = rng.choice(["micro", "small", "medium"])
            rows, cols = rng.sample(["district", "size_class", "industry"], 2)
            q = query(**raw)
            elapsed, _ = timed(lambda q=q, rows=rows, cols=cols: bureau.page_data(
                q, inst.levels, rows, cols, None, config, "zh"))
            times.append(elapsed)
        p95 = statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]
        three = replace(query(), by=("district", "size_class", "industry"))
        forget()
        csv_s, table = timed(lambda: aggregate_exports.to_csv(aggregates.table(three, levels)))
        forget()  # the XLSX protects the same table again, as a separate request would
        xlsx_s, _ = timed(lambda: aggregate_exports.to_xlsx(aggregates.table(three, levels)))

        def brief():
            q = query()
            data, names, charts = bureau.page_data(q, inst.levels, "district", "size_class",
                                                   None, config, "zh")
            with app.test_request_context():
                html = render_template("bureau/brief.html", data=data, level_names=names,
                                       charts=charts, query=q, filters=[], scope_text="—",
                                       lang="zh", category_name=category_name)
            return html_to_pdf(html, report_id="bench")

        forget()
        brief_s, _ = timed(brief)
        rescore_s, found = timed(lambda: rescore.what_if(inst, inst.version))
    print(f"summaries built: {built} in {summaries_s:.1f} s")
    print(f"first page of the process {first_s * 1000:.0f} ms (imports; not in the runs)")
    print(f"baseline count(*) {base * 1000:.0f} ms; dashboard runs {len(times)}, "
          f"median {statistics.median(times) * 1000:.0f} ms, p95/baseline {p95 / base:.1f}; "
          f"rescored {found['assessments']} latest assessments, {found['unscorable']} unscorable")
    print(f"aggregates: {n} assessments, dashboard p95 {p95 * 1000:.0f} ms, csv {csv_s:.2f} s, "
          f"xlsx {xlsx_s:.2f} s, brief {brief_s:.2f} s, rescore {rescore_s:.1f} s")


if __name__ == "__main__":
    main()
