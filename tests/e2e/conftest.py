"""Browser tests: the real application in a real headless Chromium, driven by Playwright.

Fixtures (everything under tests/e2e/ is marked `e2e`, so `pytest -m "not e2e"` skips the browser):

- `live_server` (session): the application from `create_app()` on a fresh SQLite database
  (migrated with `alembic upgrade head`; translations compiled by tests/conftest.py), served by
  werkzeug in a background thread on a free loopback port. Attributes: `.url`
  ("http://127.0.0.1:PORT"), `.app` (the Flask app: `with live_server.app.app_context(): ...`
  to read or prepare data directly), `.database_url`, `.log` (messages logged through
  `app.logger` at INFO and above, e.g. the password reset link written when no mail server is
  configured; `confirm_registration(page, email)` follows the registration link from it).
  The database lives for the whole session: give each test its own user (e.g. an
  e-mail with a uuid) instead of assuming it empty.
  The registration limit is raised (1000/min per address) as every browser registers from
  127.0.0.1; the limits and the sign-in throttle are tested with the test client.
- `browser` (session): Debian's Chromium (/usr/bin/chromium) launched headless by Playwright.
- `context` / `page` (per test): a fresh browser context (no cookies; locale zh-CN, phone-sized
  375x812 viewport) whose `base_url` is the live server, so `page.goto("/")` works. Make another
  page in the same context (`context.new_page()`) to act as a second tab, or call
  `new_context(locale="en-US", width=1280, javascript=False)` for another visitor.
  `page.close()` mid-way then `context.new_page()` simulates closing and reopening the browser
  tab; a new context simulates a new browser (logged out).
- `axe(page)`: runs axe-core (node_modules/axe-core, pinned in package-lock.json) on the page and
  returns the serious/critical violations of WCAG 2.0/2.1 A and AA rules as plain dicts
  {id, impact, help, nodes: [css targets]}; `assert axe(page) == []` shows them on failure.

Playwright never downloads a browser here: the executable is always /usr/bin/chromium, installed
by `bash scripts/test` together with axe-core.
"""
import functools
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_IMPACTS = {"serious", "critical"}


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.e2e)


class _ListHandler(logging.Handler):
    def __init__(self, records):
        super().__init__(logging.INFO)
        self.records = records

    def emit(self, record):
        self.records.append(record.getMessage())


class LiveServer:
    """The application served on a loopback port for the browser tests."""

    def __init__(self, app, server, database_url, log):
        self.app = app
        self.url = f"http://127.0.0.1:{server.server_port}"
        self.database_url = database_url
        self.log = log
        self._server = server

    def confirm_registration(self, page, email):
        """After the register form: open the mailed (here: logged) link and confirm it."""
        page.wait_for_selector("main h1")
        pattern = re.compile(r"(http://\S+/auth/register/\S+)")
        links = [m.group(1) for m in map(pattern.search, self.log) if m]
        assert links, f"no registration link logged for {email}"
        page.goto(links[-1].replace("http://localhost", self.url))
        page.click("main form button[type=submit]")
        page.wait_for_url("**/profile/edit")


@pytest.fixture(scope="session")
def live_server(compiled_translations):
    from werkzeug.serving import make_server

    from app import create_app

    workdir = Path(tempfile.mkdtemp(prefix="e2e-"))
    database_url = f"sqlite:///{workdir / 'e2e.sqlite3'}"
    # Same migration path as the set-up script, in a child so the test process's config stays put.
    subprocess.run(
        [sys.executable, "-m", "alembic", "upgrade", "head"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url},
        check=True,
        capture_output=True,
    )
    app = create_app({
        "DATABASE_URL": database_url,
        "SECRET_KEY": "e2e-tests",
        "REDIS_URL": None,
        "RATELIMIT_STORAGE_URI": "memory://",
        # Every browser registers from 127.0.0.1: the per-address limit would stop a long run.
        "REGISTER_LIMIT": "1000 per minute",
        # The API check sends a thousand requests with one token in under a minute.
        "API_RATE_LIMIT": "100000 per minute",
    })
    log = []
    handler = _ListHandler(log)
    app.logger.addHandler(handler)
    app.logger.setLevel(logging.INFO)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="e2e-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(app, server, database_url, log)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        app.logger.removeHandler(handler)
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run `bash scripts/test`, which installs it")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def new_context(browser, live_server):
    """Factory for browser contexts (visitors); all are closed after the test."""
    contexts = []

    def make(locale="zh-CN", width=375, height=812, javascript=True):
        context = browser.new_context(
            base_url=live_server.url,
            locale=locale,
            viewport={"width": width, "height": height},
            java_script_enabled=javascript,
        )
        # Generous: a busy 2-core machine runs the server, the browser and pytest at once.
        context.set_default_timeout(20_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def context(new_context):
    return new_context()


@pytest.fixture
def page(context):
    return context.new_page()


@functools.lru_cache(maxsize=1)
def _axe_source():
    return AXE_JS.read_text(encoding="utf-8") + "\n;undefined"


def run_axe(page):
    """Serious/critical WCAG 2.x A/AA violations axe-core finds on `page`, as plain dicts."""
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `bash scripts/test` (npm ci installs axe-core)")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, not a <script> tag, so a page's
        # Content-Security-Policy cannot block it.
        page.evaluate(_axe_source())
    results = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        AXE_TAGS,
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [", ".join(map(str, n["target"])) for n in v["nodes"]],
        }
        for v in results["violations"]
        if v.get("impact") in AXE_IMPACTS
    ]


@pytest.fixture
def axe():
    return run_axe
