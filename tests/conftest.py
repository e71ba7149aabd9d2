"""Shared fixtures: an app on a fresh database per test, clients, users.

- `app`: a Flask app on its own fresh database, migrated to head with Alembic
  (0001_initial and every later revision, seeds included). Parametrised:
  "sqlite" always, "postgresql" too when TEST_DATABASE_URL is set. With both, a test of
  tests/web/ runs on one of them (see `pytest_collection_modifyitems`) unless marked
  `both_databases`; a test that parametrizes `database_url` itself (indirect) chooses its own.
  Test settings: CSRF and rate limits OFF unless a test asks with
  `@pytest.mark.app_config(WTF_CSRF_ENABLED=True, RATELIMIT_ENABLED=True, ...)`.
- `demo_seeded` (marker): the database is a copy of one the demo seed filled once per run and
  worker; `seeded_demo` has that seed's `output` and `files` (its FILES_DIR).
- `client`: `app.test_client()`. `runner`: `app.test_cli_runner()`.
- `db`: a SQLAlchemy Session on the test database (no app context pushed, so
  requests made by `client` get their own). Call `db.expire_all()` after a
  request before reading what it wrote.
- `make_user(email=None, *, roles=("sme_user",), enterprise="Test Co", name="Test User",
  password=PASSWORD, locale=None) -> User(id, email, password, enterprise_id)`;
  `enterprise=None` creates no enterprise (staff accounts).
- `sme_user`: an SME owner with an enterprise; `sme_client`: a client logged in as it.
- `other_sme_user`: a second SME owner of another enterprise (for the 404 tests).
- `login_as(user, client=None)`: logs a client in through the login form, returns the client.
Helpers without fixtures live in tests/helpers.py (csrf_token, login, logout, PASSWORD).
"""
import os
import shutil
import uuid
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.orm import Session

from tests.helpers import PASSWORD, login

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])
COPIES_AHEAD = 2  # fresh PostgreSQL databases copied ahead of the tests that will use them
ONE_DATABASE = ("tests/web/",)  # tests of the HTTP layer: each runs on one of the databases


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "app_config(**settings): settings for the `app` fixture of this test")
    config.addinivalue_line(
        "markers", "both_databases: a test of tests/web/ that runs on both databases (what it "
                   "sends reaches the database)")
    config.addinivalue_line(
        "markers", "demo_seeded: the test's database is a copy of one `flask demo seed` filled "
                   "(`seeded_demo` has that command's output and file store)")


def pytest_collection_modifyitems(config, items):
    """With both databases, each test of tests/web/ runs on one of them, picked by a stable hash
    of its id: about half run on each, so the web layer as a whole meets both, while what
    differs between the databases (storage, services, migrations) is tested on both in
    tests/integration/, and so are web tests marked `both_databases`. The twin not run is
    reported as deselected."""
    if len(BACKENDS) < 2:
        return
    twins = {}
    for item in items:
        key = _twin_key(item)
        if key is not None:
            twins.setdefault(key, []).append(item)
    dropped = set()
    for key, group in twins.items():
        if len(group) == len(BACKENDS):  # else an id did not split cleanly: run them all
            keep = group[zlib.crc32(key.encode()) % len(group)]
            dropped.update(id(item) for item in group if item is not keep)
    if dropped:
        config.hook.pytest_deselected(items=[item for item in items if id(item) in dropped])
        items[:] = [item for item in items if id(item) not in dropped]


def _twin_key(item):
    """The id of a tests/web/ test without its database, or None for tests run as they are."""
    spec = getattr(item, "callspec", None)
    backend = spec.params.get("database_url") if spec else None
    if (backend not in BACKENDS or not item.nodeid.startswith(ONE_DATABASE)
            or item.get_closest_marker("both_databases") or any("database_url" in str(mark.args[0]) for mark in item.iter_markers("parametrize"))):
        return None
    rest = [part for part in spec.id.split("-") if part != backend]
    return f"{item.nodeid.split('[')[0]}[{'-'.join(rest)}]"


@pytest.fixture(scope="session", autouse=True)
def compiled_translations():
    """Compile every translations/*/<locale>/messages.po into .mo once per run."""
    from web.i18n import compile_catalogues
    return compile_catalogues(ROOT)


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing():
    """Argon2 with the smallest cost: the same algorithm and code paths, far less CPU."""
    from argon2 import PasswordHasher

    from services import passwords

    saved = passwords._hasher
    passwords._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    passwords._dummy_hash.cache_clear()
    yield
    passwords._hasher = saved
    passwords._dummy_hash.cache_clear()


def migrate(url: str) -> None:
    """`alembic upgrade head` on that database, in this process."""
    from alembic import command
    from alembic.config import Config as AlembicConfig

    from storage.db import make_engine

    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            cfg = AlembicConfig(str(ROOT / "alembic.ini"))
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, "head")
    finally:
        engine.dispose()


class _PostgresDatabases:
    """A migrated template database and a fresh copy of it per test (names carry the pid,
    so several test runs can share one server).

    Copying a template waits on the server's disk far more than it computes (about 0.35 s,
    and four at once take hardly longer than one), so the next test's copy is made while the
    current test runs, and the used ones are dropped in the background."""

    def __init__(self, url: str):
        self.base = make_url(url)
        prefix = f"{self.base.database}_{os.getpid()}"
        self.template, self.work = f"{prefix}_tpl", f"{prefix}_run"
        self.admin = create_engine(self.base, isolation_level="AUTOCOMMIT")
        self._made = 0
        self._ahead: list = []  # futures of the next fresh databases' names
        self._used: list[str] = []
        self._kept: list[str] = []
        self._background = None

    def _sql(self, statement: str) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(statement))

    def url_of(self, name: str) -> str:
        return self.base.set(database=name).render_as_string(hide_password=False)

    def create_template(self) -> None:
        self._sql(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)')
        self._sql(f'CREATE DATABASE "{self.template}"')
        migrate(self.url_of(self.template))

    def _copy(self, name: str, template: str | None = None) -> str:
        self._sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self._sql(f'CREATE DATABASE "{name}" TEMPLATE "{template or self.template}"')
        return name

    def copy_of(self, template: str) -> str:
        """A fresh copy of another template (made now), dropped like the others."""
        self._made += 1
        name = self._copy(f"{self.work}{self._made}", template)
        self._used.append(name)
        return self.url_of(name)

    def kept(self, suffix: str) -> str:
        """A fresh database kept until the end of the run (to become a template itself)."""
        name = self._copy(f"{self.template}_{suffix}")
        self._kept.append(name)
        return name

    def _drop(self, name: str) -> None:
        self._sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def fresh(self) -> str:
        """A database no test has used: one of those copied in the background meanwhile."""
        from concurrent.futures import ThreadPoolExecutor

        if self._background is None:
            self._background = ThreadPoolExecutor(COPIES_AHEAD + 1,
                                                  thread_name_prefix="test-databases")
        while len(self._ahead) < COPIES_AHEAD + 1:
            self._made += 1
            self._ahead.append(self._background.submit(self._copy, f"{self.work}{self._made}"))
        name = self._ahead.pop(0).result()
        for used in self._used:  # the earlier tests' (their engines are disposed by now)
            self._background.submit(self._drop, used)
        self._used = [name]
        return self.url_of(name)

    def drop_all(self) -> None:
        if self._background is not None:
            self._background.shutdown(wait=True)
        for name in [*self._used, *(future.result() for future in self._ahead), *self._kept,
                     self.template]:
            self._sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.admin.dispose()


@pytest.fixture(scope="session")
def database_templates(tmp_path_factory):
    """Migrated-once template databases, copied for each test (fast and exact)."""
    sqlite_template = tmp_path_factory.mktemp("db") / "template.sqlite3"
    migrate(f"sqlite:///{sqlite_template}")
    postgres = None
    if PG_URL:
        postgres = _PostgresDatabases(PG_URL)
        postgres.create_template()
    yield {"sqlite": sqlite_template, "postgresql": postgres}
    if postgres:
        postgres.drop_all()


@pytest.fixture(params=[pytest.param(b, marks=[pytest.mark.postgres] if b == "postgresql" else [])
                        for b in BACKENDS])
def database_url(request, database_templates, seeded_demos, tmp_path):
    """URL of a fresh, migrated database for one test (marked `demo_seeded`: a copy of one
    that `flask demo seed` has filled)."""
    demo = seeded_demos(request.param) if request.node.get_closest_marker("demo_seeded") else None
    if request.param == "sqlite":
        path = tmp_path / "test.sqlite3"
        shutil.copyfile(demo.template if demo else database_templates["sqlite"], path)
        return f"sqlite:///{path}"
    postgres = database_templates["postgresql"]
    return postgres.copy_of(demo.template) if demo else postgres.fresh()


@dataclass(frozen=True)
class SeededDemo:
    template: object  # the SQLite file or the PostgreSQL template database's name
    output: str  # what the first `flask demo seed` printed
    files: Path  # its file store (FILES_DIR: the evidence files)


@pytest.fixture(scope="session")
def seeded_demos(database_templates, tmp_path_factory):
    """backend -> SeededDemo, seeded on first use: the demo tests read one seeded database
    (copied per test) instead of each seeding its own (about ten seconds each)."""
    made = {}

    def get(backend):
        if backend not in made:
            folder = tmp_path_factory.mktemp(f"demo-{backend}")
            if backend == "sqlite":
                template = folder / "demo.sqlite3"
                shutil.copyfile(database_templates["sqlite"], template)
                url = f"sqlite:///{template}"
            else:
                template = database_templates["postgresql"].kept("demo")
                url = database_templates["postgresql"].url_of(template)
            app = _test_app(url, {"FILES_DIR": folder / "files"})
            result = app.test_cli_runner().invoke(args=["demo", "seed"])
            _dispose(app)
            assert result.exit_code == 0, result.output
            made[backend] = SeededDemo(template, result.output, folder / "files")
        return made[backend]

    return get


@pytest.fixture
def seeded_demo(request, seeded_demos):
    """The SeededDemo behind this `demo_seeded` test's database."""
    return seeded_demos(request.node.callspec.params["database_url"])


def _test_app(database_url, extra=None):
    from app import create_app

    return create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": database_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "REDIS_URL": None,
        "MAIL_SERVER": None,
        **(extra or {}),
    })


def _dispose(app):
    from storage.db import get_engine

    with app.app_context():
        get_engine().dispose()


@pytest.fixture
def app(request, database_url):
    settings = {}
    for marker in reversed(list(request.node.iter_markers("app_config"))):
        settings.update(marker.kwargs)
    app = _test_app(database_url, settings)
    yield app
    _dispose(app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def db(app):
    from storage.db import get_engine

    with app.app_context():
        engine = get_engine()
    session = Session(bind=engine)
    yield session
    session.close()


@dataclass(frozen=True)
class User:
    id: int
    email: str
    password: str
    enterprise_id: int | None


@pytest.fixture
def make_user(app):
    """Factory: create an account (and an enterprise it owns) through the services."""
    from services import accounts

    def make(email=None, *, roles=("sme_user",), enterprise="Test Co", name="Test User",
             password=PASSWORD, locale=None) -> User:
        email = email or f"user-{uuid.uuid4().hex[:10]}@example.com"
        with app.app_context():
            if enterprise is not None:
                user_id = accounts.register(email, password, name, enterprise, locale)
                extra = [r for r in roles if r != "sme_user"]
                if extra:
                    accounts.grant_roles(user_id, extra)
            else:
                user_id = accounts.create_user(email, password, name, roles, locale)
            account = accounts.load_account(user_id)
        return User(user_id, email, password, account.enterprise_id)

    return make


@pytest.fixture
def login_as(app):
    def do(user: User, client=None):
        client = client or app.test_client()
        response = login(client, user.email, user.password)
        assert response.status_code == 302, "login failed"
        return client

    return do


@pytest.fixture
def sme_user(make_user):
    return make_user(enterprise="示例机械有限公司")


@pytest.fixture
def other_sme_user(make_user):
    return make_user(enterprise="另一家公司")


@pytest.fixture
def sme_client(sme_user, login_as, client):
    return login_as(sme_user, client)
