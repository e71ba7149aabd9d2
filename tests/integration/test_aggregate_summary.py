"""The superseded times and the summary counts stay right through hand-built sequences of
submissions across dates and modes and profile changes: the counts as of a date equal a naive
Python computation, on SQLite and PostgreSQL; the migration backfills the times."""
from collections import Counter
from datetime import date, datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, select, text

from storage import aggregate_summary, latest_assessments
from storage.aggregate_models import AggregateCount, AggregateSnapshot
from tests.integration.test_on_site import _start, solo  # noqa: F401  (a fixture)
from tests.web.test_assess_fixtures import mini_app  # noqa: F401  (a fixture)

START = datetime(2020, 1, 1, 9, tzinfo=timezone.utc)  # well in the past: the snapshots are past
DAYS = [date(2020, 1, 3), date(2020, 1, 6)]  # snapshot dates (the summaries kept on flush)
DISTRICTS = ["芝罘区", "莱山区"]

submission = st.tuples(st.just("submit"), st.integers(0, 2), st.integers(0, 8),
                       st.sampled_from(["self", "on_site"]), st.sampled_from(["level1", "level2"]),
                       st.sampled_from([10.0, 42.5]))
move = st.tuples(st.just("move"), st.integers(0, 2), st.sampled_from(DISTRICTS))
events = st.lists(st.one_of(submission, submission, move), max_size=12)


def naive(subs, districts, as_of, mode):
    """{(district, level): (n, total)}: each firm's last submission by (time, order) before the
    end of `as_of` (None: now) of `mode`."""
    end = None if as_of is None else datetime.combine(as_of + timedelta(days=1),
                                                      datetime.min.time(), tzinfo=timezone.utc)
    latest = {}
    for order, (firm, when, kind, level, total) in enumerate(subs):
        if (end is None or when < end) and mode in ("all", kind):
            if firm not in latest or (when, order) > latest[firm][0]:
                latest[firm] = ((when, order), level, total)
    out = Counter()
    sums = Counter()
    for firm, (_, level, total) in latest.items():
        out[(districts[firm], level)] += 1
        sums[(districts[firm], level)] += total
    return {key: (n, sums[key]) for key, n in out.items()}


def summary(connection, as_of, mode):
    rows = connection.execute(
        select(AggregateCount.district, AggregateCount.level_id, AggregateCount.n,
               AggregateCount.total_sum)
        .where(AggregateCount.as_of == as_of, AggregateCount.mode == mode)).all()
    return {(d, lv): (n, round(s, 6)) for d, lv, n, s in rows}


def counted(connection, as_of, mode):
    from storage.models import Assessment, Enterprise

    rows = connection.execute(
        select(Enterprise.district, Assessment.level_id, func.count(), func.sum(Assessment.total))
        .join(Enterprise, Enterprise.id == Assessment.enterprise_id)
        .where(*latest_assessments.counted(latest_assessments.until(as_of), mode))
        .group_by(Enterprise.district, Assessment.level_id)).all()
    return {(d, lv): (n, round(s, 6)) for d, lv, n, s in rows}


def rounded(table):
    return {key: (n, round(s, 6)) for key, (n, s) in table.items()}


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(events=events)
def test_counts_as_of_each_date_equal_the_naive_latest_submission(app, events):
    from storage.db import db_session
    from storage.models import Assessment, Enterprise

    with app.app_context():
        for table in (AggregateCount, AggregateSnapshot, Assessment, Enterprise):
            db_session.execute(delete(table))
        firms = [Enterprise(name=f"firm {i}", district=DISTRICTS[0], size_class="small",
                            industry_code="C34") for i in range(3)]
        db_session.add_all(firms)
        db_session.commit()
        for as_of in [latest_assessments.CURRENT, *DAYS]:
            aggregate_summary.build(db_session.connection(), as_of)
        db_session.commit()
        subs, districts = [], {i: DISTRICTS[0] for i in range(3)}
        for event in events:  # one transaction each, as the services make them
            if event[0] == "submit":
                _, firm, day, mode, level, total = event
                when = START + timedelta(days=day)
                db_session.add(Assessment(
                    enterprise_id=firms[firm].id, instrument_id="cn-sme-2024",
                    instrument_version="2.0.0", status="submitted", mode=mode, answers={},
                    total=total, level_id=level, submitted_at=when))
                subs.append((firm, when, mode, level, total))
            else:
                _, firm, district = event
                firms[firm].district = district
                districts[firm] = district
            db_session.commit()
        connection = db_session.connection()
        for as_of in [None, *DAYS, date(2020, 1, 9)]:
            for mode in aggregate_summary.MODES:
                expected = rounded(naive(subs, districts, as_of, mode))
                assert counted(connection, as_of or latest_assessments.CURRENT, mode) == expected
                if as_of != date(2020, 1, 9):  # not a snapshot: no summary
                    assert summary(connection, as_of or latest_assessments.CURRENT,
                                   mode) == expected
        kept = {as_of: {mode: summary(connection, as_of, mode) for mode in aggregate_summary.MODES}
                for as_of in [latest_assessments.CURRENT, *DAYS]}
        aggregate_summary.rebuild(connection)
        assert kept == {as_of: {mode: summary(connection, as_of, mode)
                                for mode in aggregate_summary.MODES}
                        for as_of in [latest_assessments.CURRENT, *DAYS]}
        db_session.rollback()


def test_submission_and_deletion_keep_the_chain_hand_computed(app):
    from storage.db import db_session
    from storage.models import Assessment, Enterprise

    def at(day):
        return START + timedelta(days=day)

    with app.app_context():
        firm = Enterprise(name="firm", district="芝罘区", size_class="small", industry_code="C34")
        db_session.add(firm)
        db_session.commit()
        rows = []
        for day, mode in ((1, "self"), (3, "on_site"), (5, "self")):
            rows.append(Assessment(enterprise_id=firm.id, instrument_id="cn-sme-2024",
                                   instrument_version="2.0.0", status="submitted", mode=mode,
                                   answers={}, total=1.0, level_id="level1",
                                   submitted_at=at(day)))
            db_session.add(rows[-1])
            db_session.commit()
        chain = {row.id: (row.superseded_at, row.superseded_in_mode_at) for row in
                 db_session.scalars(select(Assessment).execution_options(populate_existing=True))}
        norm = {key: tuple(latest_assessments.as_utc(v) for v in value)
                for key, value in chain.items()}
        assert norm == {rows[0].id: (at(3), at(5)), rows[1].id: (at(5), None),
                        rows[2].id: (None, None)}
        db_session.delete(rows[2])  # the last one goes: the others are latest again
        db_session.commit()
        left = {row.id: tuple(latest_assessments.as_utc(v) for v in (row.superseded_at,
                                                                  row.superseded_in_mode_at))
                for row in db_session.scalars(
                    select(Assessment).execution_options(populate_existing=True))}
        assert left == {rows[0].id: (at(3), None), rows[1].id: (None, None)}


def test_migration_backfills_the_superseded_times(database_url):
    from alembic import command
    from alembic.config import Config as AlembicConfig

    from storage.db import make_engine
    from tests.conftest import ROOT

    engine = make_engine(database_url)
    try:
        with engine.begin() as conn:
            cfg = AlembicConfig(str(ROOT / "alembic.ini"))
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0010_api_tokens")
            conn.execute(text("INSERT INTO enterprises (id, name, created_at, updated_at) "
                              "VALUES (1, 'firm', '2020-01-01', '2020-01-01')"))
            for i, (day, mode, status) in enumerate([(5, "self", "submitted"),
                                                     (2, "on_site", "submitted"),
                                                     (7, "on_site", "submitted"),
                                                     (8, "self", "draft")], start=1):
                conn.execute(text(
                    "INSERT INTO assessments (id, enterprise_id, instrument_id, "
                    "instrument_version, status, mode, answers, submitted_at, created_at, "
                    "updated_at, lock_version) VALUES (:id, 1, 'cn-sme-2024', '2.0.0', :status, "
                    ":mode, '{}', :at, :made, :made, 1)"),
                    {"id": i, "status": status, "mode": mode, "made": START,
                     "at": None if status == "draft" else START + timedelta(days=day)})
            command.upgrade(cfg, "head")
            rows = conn.execute(text("SELECT id, superseded_at, superseded_in_mode_at "
                                     "FROM assessments ORDER BY id")).all()
    finally:
        engine.dispose()

    def day(value):
        if value is None:
            return None
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        return (latest_assessments.as_utc(value) - START).days

    # submitted on days 5 (self), 2 (on-site), 7 (on-site); the draft is never in the chain
    assert [(row[0], day(row[1]), day(row[2])) for row in rows] == [
        (1, 7, None), (2, 5, 7), (3, None, None), (4, None, None)]


def test_tables_from_the_summary_equal_tables_from_the_assessments(app):
    """The same published tables whether counted from the summary or the assessments."""
    from services import aggregates, instrument_registry, organisations
    from storage.db import db_session
    from storage.models import Assessment, Enterprise

    with app.app_context():
        registry = instrument_registry.instruments(app.config["QUESTIONNAIRES_DIR"])
        reference = organisations.reference(app.config)
        spread = [("芝罘区", "small", "C34"), ("芝罘区", "medium", "C36"), ("莱山区", "small", "C34"),
                  ("莱山区", "micro", "F48"), ("芝罘区", "small", None)]
        for i in range(60):
            district, size, industry = spread[i % len(spread)]
            firm = Enterprise(name=f"firm {i}", district=district, size_class=size,
                              industry_code=industry)
            db_session.add(firm)
            db_session.flush()
            for j, day in enumerate((i % 7, 40 + i % 11)):
                db_session.add(Assessment(
                    enterprise_id=firm.id, instrument_id="cn-sme-2024",
                    instrument_version="2.0.0", status="submitted",
                    mode="on_site" if (i + j) % 3 == 0 else "self", answers={},
                    total=float(10 + (i * 7 + j) % 60), level_id=f"level{(i + j) % 4}",
                    submitted_at=START + timedelta(days=day)))
        db_session.commit()
        queries = [dict(by="district,size_class"), dict(by="industry,district", mode="self"),
                   dict(by="division", district="芝罘区"), dict(by="size_class", industry="C"),
                   dict(by="district", mode="on_site", as_of="2020-03-31"),
                   dict(by="size_class,industry", as_of="2020-01-31")]
        levels = ["level0", "level1", "level2", "level3"]
        for raw in queries:
            # today's date: a query of an earlier day is not "now" and builds no summary
            query = aggregates.parse({"instrument": "cn-sme-2024", **raw}, reference, registry,
                                     datetime.now(timezone.utc).date())
            db_session.execute(delete(AggregateCount))
            db_session.execute(delete(AggregateSnapshot))
            db_session.commit()
            counted_table = aggregates.table(query, levels)  # builds the summary it lacked
            as_of = latest_assessments.CURRENT if "as_of" not in raw else query.as_of
            listed = aggregate_summary.listed(db_session.connection(), as_of)
            assert listed == (raw.get("as_of") != "2020-01-31")  # not a quarter end: no summary
            assert aggregates.table(query, levels) == counted_table
            if raw["by"] == "district,size_class":  # 12 firms of each of five places
                districts = {m["district"]: m["n"] for m in counted_table["margins"]["district"]}
                assert districts == {"芝罘区": 36, "莱山区": 24}


def test_the_submission_service_supersedes_the_previous_one_and_moves_the_count(mini_app,
                                                                               make_user):
    """Through services.submission.submit: the second submission supersedes the first in the
    same transaction, and the summary of now counts the enterprise once, at its new level."""
    from services import drafts, instrument_registry, submission
    from storage.db import db_session
    from storage.models import Assessment
    from tests.web.test_assess_fixtures import FULL, MANUFACTURER, set_profile

    user = make_user()
    set_profile(mini_app, user.enterprise_id, industry_code=MANUFACTURER, district="芝罘区",
                size_class="small")
    profile = {"industry": MANUFACTURER}
    with mini_app.app_context():
        aggregate_summary.build(db_session.connection(), latest_assessments.CURRENT)
        db_session.commit()
        inst = instrument_registry.instruments(mini_app.config["QUESTIONNAIRES_DIR"])["test-mini"]
        ids = []
        for answers in ({**FULL, "sales_scn": 1}, dict(FULL)):  # level 1, then level 2
            aid = drafts.start(user.enterprise_id, user.id, inst)
            drafts.save_answers(aid, user.enterprise_id, inst, answers, profile)
            submission.submit(aid, user.enterprise_id, inst, profile, pledged=True)
            ids.append(aid)
        first, second = (db_session.get(Assessment, aid, populate_existing=True) for aid in ids)
        assert latest_assessments.as_utc(first.superseded_at) == latest_assessments.as_utc(
            second.submitted_at)
        assert first.superseded_in_mode_at == first.superseded_at
        assert second.superseded_at is None and second.superseded_in_mode_at is None
        connection = db_session.connection()
        for mode in ("all", "self"):
            assert summary(connection, latest_assessments.CURRENT, mode) == {
                ("芝罘区", second.level_id): (1, round(second.total, 6))}
        assert summary(connection, latest_assessments.CURRENT, "on_site") == {}
        levels = {first.level_id, second.level_id}
    assert len(levels) == 2  # the two submissions score differently
    set_profile(mini_app, user.enterprise_id, district="莱山区")  # a profile change moves it
    with mini_app.app_context():
        assert summary(db_session.connection(), latest_assessments.CURRENT, "all") == {
            ("莱山区", second.level_id): (1, round(second.total, 6))}


def test_signing_on_site_supersedes_the_self_assessment_in_all_modes_only(db, solo):
    from services import on_site_sign_off
    from storage.models import Assessment

    aid = _start(solo)
    solo.run(on_site_sign_off.sign, solo.consultant, aid, solo.instrument())
    db.expire_all()
    own, signed = db.get(Assessment, solo.self_id), db.get(Assessment, aid)
    utc = latest_assessments.as_utc
    assert utc(own.superseded_at) == utc(signed.submitted_at)
    assert own.superseded_in_mode_at is None  # still the latest self-assessment
    assert signed.superseded_at is None and signed.superseded_in_mode_at is None


def test_a_failed_flush_leaves_nothing_for_the_next_one_to_apply(app):
    import pytest
    from sqlalchemy.exc import IntegrityError

    from storage.db import db_session
    from storage.models import Assessment, Enterprise

    def submission(firm):
        return Assessment(enterprise_id=firm, instrument_id="cn-sme-2024",
                          instrument_version="2.0.0", status="submitted", answers={},
                          total=20.0, level_id="level1", submitted_at=START)

    with app.app_context():
        firm = Enterprise(name="firm", district="芝罘区", uscc="91370600MA3C000001")
        db_session.add(firm)
        db_session.commit()
        firm_id = firm.id
        aggregate_summary.build(db_session.connection(), latest_assessments.CURRENT)
        db_session.commit()
        # the same flush holds a duplicate credit code: it fails after the summary's listener
        # has read the firm's rows
        db_session.add_all([submission(firm_id),
                            Enterprise(name="twin", uscc="91370600MA3C000001")])
        with pytest.raises(IntegrityError):
            db_session.flush()
        db_session.rollback()
        db_session.add(submission(firm_id))
        db_session.commit()
        assert summary(db_session.connection(), latest_assessments.CURRENT, "all") == {
            ("芝罘区", "level1"): (1, 20.0)}
