"""Engine and the request-scoped session.

`db_session` is a proxy to one SQLAlchemy `Session` per Flask application
context: each request (and each `with app.app_context():` block, each CLI
command) gets its own session, closed at teardown; uncommitted work is rolled
back then. Use it only inside an app context:

    from storage.db import db_session, transaction
    with transaction():                 # commit on success, rollback on error
        db_session.add(obj)

Services own the transaction (one per use case); views never commit.
"""
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, cast

from flask import current_app, g
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session
from werkzeug.local import LocalProxy

import storage.aggregate_summary  # noqa: F401  (its flush listeners keep the summary current)

_ENGINE_KEY = "storage.engine"
_REPLICA_KEY = "storage.replica_engine"


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets foreign keys, WAL and a busy timeout."""
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 15})
        memory = path in ("", ":memory:")

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            if not memory:
                # WAL lets readers proceed while one writer autosaves.
                cur.execute("PRAGMA journal_mode=WAL")
                cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def get_engine() -> Engine:
    """The current app's engine."""
    return current_app.extensions[_ENGINE_KEY]


def _current_session() -> Session:
    session = g.get("_db_session")
    if session is None:
        session = Session(bind=get_engine())
        g._db_session = session
    return session


db_session = cast(Session, LocalProxy(_current_session))


def _current_read_session() -> Session:
    engine = current_app.extensions.get(_REPLICA_KEY)
    if engine is None:
        return _current_session()
    session = g.get("_db_read_session")
    if session is None:
        session = Session(bind=engine)
        g._db_read_session = session
    return session


# Read-only queries that may lag a little (the bureaus' aggregates): the streaming replica of
# DATABASE_REPLICA_URL when set, else the same session as db_session. Never write through it.
db_read = cast(Session, LocalProxy(_current_read_session))


@contextmanager
def transaction() -> Iterator[Session]:
    """Commit what the block did, or roll it all back if it raised."""
    try:
        yield db_session
        db_session.commit()
    except BaseException:
        db_session.rollback()
        raise


def _close_session(_exc=None) -> None:
    for key in ("_db_session", "_db_read_session"):
        session = g.pop(key, None)
        if session is not None:
            session.close()


def init_app(app) -> None:
    """Create the engine from DATABASE_URL and close the session at teardown."""
    app.extensions[_ENGINE_KEY] = make_engine(app.config["DATABASE_URL"])
    if app.config.get("DATABASE_REPLICA_URL"):
        app.extensions[_REPLICA_KEY] = make_engine(app.config["DATABASE_REPLICA_URL"])
    app.teardown_appcontext(_close_session)
