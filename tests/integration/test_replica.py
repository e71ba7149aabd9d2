"""With DATABASE_REPLICA_URL, the bureaus' aggregates are read from a real streaming replica of
the test server (started here with pg_basebackup), and nothing is written there."""
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from tests import replica as replicas
from tests.conftest import PG_URL
from tests.organisation_helpers import submitted_firms

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def replica():
    if not PG_URL:
        pytest.skip("needs TEST_DATABASE_URL (a PostgreSQL primary to replicate)")
    started = replicas.start(PG_URL, port=5433)
    yield started
    replicas.stop(started)


def test_aggregates_submitted_on_the_primary_are_read_on_the_replica(replica, tmp_path):
    from datetime import date, datetime, timezone

    from tests.conftest import _PostgresDatabases

    databases = _PostgresDatabases(PG_URL)
    databases.template, databases.work = f"{databases.work}_replica_t", f"{databases.work}_replica"
    databases.create_template()
    primary_url = databases.fresh()
    replica_url = replica.url_for(primary_url)
    from app import create_app
    from services import aggregates, instrument_registry, organisations

    app = create_app({"TESTING": True, "SECRET_KEY": "t", "DATABASE_URL": primary_url,
                      "DATABASE_REPLICA_URL": replica_url, "REDIS_URL": None})
    try:
        with app.app_context():
            submitted_firms([("莱山区", "level1", 30.0)] * 6,
                            datetime(2026, 5, 1, tzinfo=timezone.utc))
        reader = create_engine(replica_url)
        assert replicas.wait_for(lambda: _count(reader) == 6)
        with app.app_context():
            registry = instrument_registry.instruments(app.config["QUESTIONNAIRES_DIR"])
            query = aggregates.parse({"instrument": "cn-sme-2024", "by": "district"},
                                     organisations.reference(app.config), registry,
                                     date(2026, 6, 30))
            table = aggregates.table(query, ["none", "level1", "level2", "level3", "level4"])
            from storage.db import db_read
            assert db_read.get_bind().url.port == 5433  # the read went to the replica
            with pytest.raises(DBAPIError, match="read-only"):
                db_read.execute(text("CREATE TABLE never_here (id int)"))
            db_read.rollback()
        assert table["total"]["n"] == 6 and table["total"]["levels"]["level1"] == 6
        reader.dispose()
    finally:
        for engine in app.extensions["storage.engine"], app.extensions["storage.replica_engine"]:
            engine.dispose()
        databases.drop_all()


def _count(engine):
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM assessments")).scalar()
    except DBAPIError:
        return None  # the database is not on the replica yet
