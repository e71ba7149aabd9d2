"""Engine and the request-scoped session.

`db_session` is a proxy to one SQLAlchemy `Session` per Flask application
context: each request (and each `with app.app_context():` block, each CLI
command) gets its own session, closed at teardown; uncommitted work is rolled
back then. Use it only inside an app context:

    from storage.db import db_session, transaction
    with transaction():                 # commit on success, rollback on error
        db_session.add(obj)

Services own the transaction (one per use case); views never commit.

The engines are made on first use, not by `init_app`: starting the application (and the
command line's `--help`) imports no SQLAlchemy, and a server that forks its workers after
loading the application gives each its own connection pool.

In a web request on PostgreSQL, each statement is cancelled after DATABASE_STATEMENT_TIMEOUT
seconds (web/errors.py answers 503 with Retry-After): under overload a page gives up quickly
instead of answering after the visitor left. The report worker's jobs and the command line run
outside a request and are not limited.
"""
from __future__ import annotations

import contextvars
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from threading import Lock
from typing import TYPE_CHECKING, Any, Callable, Iterator, cast

from flask import current_app, g, has_request_context
from werkzeug.local import LocalProxy

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session

_ENGINE_KEY = "storage.engine"
_REPLICA_KEY = "storage.replica_engine"
_MAKING = Lock()  # two threads' first requests make one engine
READERS_APART = 4  # threads per process for `read_apart`
_apart: list[ThreadPoolExecutor] = []  # made on first use: after a server forks its workers


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets foreign keys, WAL and a busy timeout."""
    from sqlalchemy import create_engine, event

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


def _engine(key: str, setting: str) -> Engine | None:
    """The current app's engine for the URL in `setting` (None when unset), made once."""
    extensions = current_app.extensions
    engine = extensions.get(key)
    if engine is None and current_app.config.get(setting):
        with _MAKING:
            engine = extensions.get(key)
            if engine is None:
                engine = extensions[key] = make_engine(current_app.config[setting])
    return engine


def get_engine() -> Engine:
    """The current app's engine."""
    return cast("Engine", _engine(_ENGINE_KEY, "DATABASE_URL"))


def _limit_statements(session: Session) -> Session:
    """In a web request on PostgreSQL, each transaction of `session` cancels any statement
    that runs longer than DATABASE_STATEMENT_TIMEOUT seconds (0: no limit)."""
    seconds = current_app.config.get("DATABASE_STATEMENT_TIMEOUT") or 0
    bind = session.get_bind()
    if not (seconds > 0 and has_request_context() and bind.dialect.name == "postgresql"):
        return session
    from sqlalchemy import event

    limit = f"SET LOCAL statement_timeout = {max(1, round(seconds * 1000))}"

    @event.listens_for(session, "after_begin")
    def _limit(_session, _transaction, connection):
        connection.exec_driver_sql(limit)  # for this transaction only: the pool's connection is shared

    return session


def _current_session() -> Session:
    from sqlalchemy.orm import Session

    session = g.get("_db_session")
    if session is None:
        session = _limit_statements(Session(bind=get_engine()))
        g._db_session = session
    return session


db_session = cast("Session", LocalProxy(_current_session))


def _current_read_session() -> Session:
    from sqlalchemy.orm import Session

    engine = _engine(_REPLICA_KEY, "DATABASE_REPLICA_URL")
    if engine is None:
        return _current_session()
    session = g.get("_db_read_session")
    if session is None:
        session = _limit_statements(Session(bind=engine))
        g._db_read_session = session
    return session


# Read-only queries that may lag a little (the bureaus' aggregates): the streaming replica of
# DATABASE_REPLICA_URL when set, else the same session as db_session. Never write through it.
db_read = cast("Session", LocalProxy(_current_read_session))


def read_apart(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Callable[[], Any]:
    """Start `fn(*args, **kwargs)` on a thread of its own, in an application context of its own
    (so with its own read session and connection), and return a callable that waits for its
    result (or raises its error): the database answers its queries while this thread goes on
    computing. Only for reads that need nothing uncommitted of this thread's session.

    On SQLite it runs here at once: one file with one writer gains nothing, and an in-memory
    database is a different one on every connection."""
    engine = _engine(_REPLICA_KEY, "DATABASE_REPLICA_URL") or get_engine()
    if engine.dialect.name == "sqlite":
        result = fn(*args, **kwargs)
        return lambda: result
    app = current_app._get_current_object()
    context = contextvars.copy_context()  # what this request set (e.g. a memo) goes along

    def in_own_context():  # pushed inside the copy: its own `g`, so its own sessions
        with app.app_context():
            return fn(*args, **kwargs)

    def run():
        return context.run(in_own_context)

    with _MAKING:
        if not _apart:
            _apart.append(ThreadPoolExecutor(READERS_APART, thread_name_prefix="read-apart"))
    return _apart[0].submit(run).result


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
    """Close the sessions at teardown; the engines of DATABASE_URL (and DATABASE_REPLICA_URL)
    are made when first used."""
    app.teardown_appcontext(_close_session)
