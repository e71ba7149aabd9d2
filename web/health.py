"""Probes for load balancers and orchestrators; JSON, no session cookie, no rate limit.

- /healthz: the process answers (nothing else is touched).
- /readyz: the database answers, its schema is at the migrations' head, and Redis answers
  when REDIS_URL is set; 503 with the failing checks named otherwise.
"""
from functools import lru_cache

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from config import ROOT
from storage.db import get_engine
from web.security import limiter

bp = Blueprint("health", __name__)


@lru_cache(maxsize=1)
def migration_heads() -> frozenset[str]:
    from alembic.config import Config as AlembicConfig  # alembic: loaded by the first probe
    from alembic.script import ScriptDirectory

    return frozenset(ScriptDirectory.from_config(AlembicConfig(str(ROOT / "alembic.ini")))
                     .get_heads())


def _database() -> tuple[str, str]:
    from alembic.runtime.migration import MigrationContext

    try:
        with get_engine().connect() as conn:
            conn.execute(text("SELECT 1"))
            current = set(MigrationContext.configure(conn).get_current_heads())
    except Exception as exc:  # any driver error means "not ready"
        return "database", f"unreachable ({type(exc).__name__})"
    heads = migration_heads()
    if current != heads:
        return "migrations", (f"at {', '.join(sorted(current)) or 'none'}, "
                              f"head is {', '.join(sorted(heads))}")
    return "database", "ok"


def _redis() -> str:
    from redis import Redis
    from redis.exceptions import RedisError
    try:
        Redis.from_url(current_app.config["REDIS_URL"], socket_connect_timeout=2,
                       socket_timeout=2).ping()
    except RedisError as exc:
        return f"unreachable ({type(exc).__name__})"
    return "ok"


@bp.get("/healthz")
@limiter.exempt
def healthz():
    return jsonify(status="ok")


@bp.get("/readyz")
@limiter.exempt
def readyz():
    checks = {"database": "ok", "migrations": "ok"}
    name, outcome = _database()
    checks[name] = outcome
    if name == "database" and outcome != "ok":
        checks["migrations"] = "unknown"
    if current_app.config.get("REDIS_URL"):
        checks["redis"] = _redis()
    failing = sorted(k for k, v in checks.items() if v not in ("ok", "unknown"))
    return jsonify(status="failing" if failing else "ok", failing=failing,
                   checks=checks), 503 if failing else 200
