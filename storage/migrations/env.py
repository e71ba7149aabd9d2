"""Alembic environment: one metadata for every storage/*models*.py module.

URL: `config.attributes["connection"]` (tests) > `-x url=...` > DATABASE_URL via
config.py. SQLite runs in batch mode so ALTERs work there too.
"""
import importlib
from pathlib import Path

from alembic import context

from storage.base import Base
from storage.db import make_engine

STORAGE = Path(__file__).resolve().parent.parent
for _path in sorted(STORAGE.glob("*models*.py")):
    importlib.import_module(f"storage.{_path.stem}")

# Tests may hand in another metadata to prove `alembic check` notices drift.
target_metadata = context.config.attributes.get("target_metadata", Base.metadata)


def _url() -> str:
    url = context.get_x_argument(as_dictionary=True).get("url")
    if url:
        return url
    from config import Config
    return Config.DATABASE_URL


def _configure(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )


def run_migrations_offline() -> None:
    url = _url()
    context.configure(url=url, target_metadata=target_metadata, literal_binds=True,
                      render_as_batch=url.startswith("sqlite"), compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(_url())
    try:
        with engine.connect() as connection:
            _configure(connection)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
