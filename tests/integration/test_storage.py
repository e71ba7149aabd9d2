"""Storage: constraints, optimistic locking, plain-SQL aggregates, access rules."""
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from services.access import assessment_for_user_or_404, enterprise_for_user_or_404
from services.accounts import load_account
from services.errors import NotFound
from storage.db import db_session, get_engine, transaction
from storage.models import Assessment, AssessmentDimensionScore, Enterprise, Membership


def _assessment(db, enterprise_id, **extra):
    a = Assessment(enterprise_id=enterprise_id, instrument_id="cn-sme-2024",
                   instrument_version="2024.1", **extra)
    db.add(a)
    db.commit()
    return a.id


def test_foreign_keys_are_enforced(db):
    db.add(Membership(user_id=999, enterprise_id=999, role="owner"))
    with pytest.raises(IntegrityError):
        db.commit()


def test_membership_role_and_assessment_status_are_checked(db, sme_user):
    db.add(Assessment(enterprise_id=sme_user.enterprise_id, instrument_id="x",
                      instrument_version="1", status="finished"))
    with pytest.raises(IntegrityError):
        db.commit()


def test_sqlite_gets_wal_and_foreign_keys(tmp_path):
    from storage.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    try:
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    finally:
        engine.dispose()


def test_two_tabs_submitting_the_same_draft_make_one_submission(app, db, sme_user):
    assessment_id = _assessment(db, sme_user.enterprise_id)
    engine = db.bind
    with Session(engine) as tab1, Session(engine) as tab2:
        a1, a2 = tab1.get(Assessment, assessment_id), tab2.get(Assessment, assessment_id)
        a1.status, a1.total = "submitted", 55.0
        tab1.commit()
        a2.status, a2.total = "submitted", 70.0
        with pytest.raises(StaleDataError):
            tab2.commit()
    db.expire_all()
    stored = db.get(Assessment, assessment_id)
    assert (stored.status, stored.total, stored.lock_version) == ("submitted", 55.0, 2)


def test_dimension_scores_aggregate_in_plain_sql(db, sme_user, other_sme_user):
    for enterprise_id, score in ((sme_user.enterprise_id, 30.0),
                                 (other_sme_user.enterprise_id, 40.0)):
        aid = _assessment(db, enterprise_id, status="submitted", total=score)
        db.add(AssessmentDimensionScore(assessment_id=aid, dimension_id="foundation",
                                        score=score, max=50.0))
    db.commit()
    avg = db.scalar(select(func.avg(AssessmentDimensionScore.score))
                    .where(AssessmentDimensionScore.dimension_id == "foundation"))
    assert avg == pytest.approx(35.0)


def test_deleting_an_enterprise_removes_its_assessments_and_scores(db, sme_user):
    aid = _assessment(db, sme_user.enterprise_id)
    db.add(AssessmentDimensionScore(assessment_id=aid, dimension_id="d", score=1, max=2))
    db.commit()
    db.delete(db.get(Enterprise, sme_user.enterprise_id))
    db.commit()
    assert db.scalar(select(func.count()).select_from(AssessmentDimensionScore)) == 0


def test_transaction_rolls_back_everything_on_error(app, sme_user):
    with app.app_context():
        with pytest.raises(RuntimeError), transaction():
            db_session.get(Enterprise, sme_user.enterprise_id).name = "changed"
            raise RuntimeError("boom")
        assert db_session.get(Enterprise, sme_user.enterprise_id).name != "changed"


def test_access_helpers_open_only_the_users_own_enterprise(app, db, sme_user, other_sme_user,
                                                           make_user):
    mine = _assessment(db, sme_user.enterprise_id)
    theirs = _assessment(db, other_sme_user.enterprise_id)
    analyst = make_user(roles=("bureau_analyst",), enterprise=None)
    with app.test_request_context():
        me = load_account(sme_user.id)
        assert enterprise_for_user_or_404(me, sme_user.enterprise_id).id == sme_user.enterprise_id
        assert assessment_for_user_or_404(me, mine).id == mine
        for call, arg in ((enterprise_for_user_or_404, other_sme_user.enterprise_id),
                          (assessment_for_user_or_404, theirs),
                          (assessment_for_user_or_404, 10_000),
                          (enterprise_for_user_or_404, "not-a-number")):
            with pytest.raises(NotFound):
                call(me, arg)
        staff = load_account(analyst.id)
        with pytest.raises(NotFound):
            assessment_for_user_or_404(staff, mine)
        # A global staff role opens nothing by itself: outsiders need the enterprise's consent.
        with pytest.raises(NotFound):
            assessment_for_user_or_404(staff, mine, action="view_assessment")


def test_engine_follows_database_url(app, database_url):
    with app.app_context():
        assert get_engine().url.render_as_string(hide_password=False) == database_url


def test_read_apart_runs_on_its_own_session_on_postgresql_and_here_on_sqlite(app, sme_user):
    import threading

    from storage.db import read_apart

    def look():
        return (threading.get_ident(), id(db_session._get_current_object()),
                db_session.scalar(select(func.count()).select_from(Enterprise)))

    def fail():
        raise LookupError("from the reader")

    with app.app_context():
        here, session = threading.get_ident(), id(db_session._get_current_object())
        thread, used, found = read_apart(look)()
        assert found == db_session.scalar(select(func.count()).select_from(Enterprise)) >= 1
        apart = get_engine().dialect.name != "sqlite"
        assert (thread != here, used != session) == (apart, apart)
        waiting = read_apart(fail) if apart else None
        with pytest.raises(LookupError, match="from the reader"):
            (waiting or read_apart(fail))()
