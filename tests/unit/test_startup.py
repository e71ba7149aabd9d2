"""Start-up stays light: the application factory loads no web part, no database library and no
rendering, chart, scoring-array, password-estimation, migration or queue library (they load on
first use), `flask --help` imports no command, and the worker's application has none of the web
parts. Timings are bench/startup.py's, not a test's."""
import json
import subprocess
import sys
import threading
import time
from pathlib import Path

from app import DeferredSetupFlask

ROOT = Path(__file__).resolve().parents[2]
HEAVY = {"weasyprint", "matplotlib", "zxcvbn", "alembic", "redis", "rq", "fontTools", "openpyxl"}
# What `create_app` leaves to the first request (or `serve_app`): SQLAlchemy, numpy, the API's
# schemas and every page with its forms.
DEFERRED = {"sqlalchemy", "numpy", "pydantic", "spectree", "wtforms", "flask_wtf", "flask_login"}
WEB_PARTS = {"flask_login", "flask_wtf", "flask_talisman", "flask_limiter", "web.platform", "web.assess"}
ENV = {"SECRET_KEY": "test-only", "PATH": "/usr/bin:/bin"}


def _loaded_after(code: str) -> set[str]:
    script = f"import sys, json\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                         check=True, env=ENV)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def _top(modules: set[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


def test_create_app_loads_no_page_no_database_library_and_nothing_heavy():
    loaded = _loaded_after("import app\napp.create_app()")
    assert "config" in loaded and "commands" in loaded  # the check looks at a real application
    assert _top(loaded) & (HEAVY | DEFERRED) == set()
    assert {m for m in loaded if m.startswith(("web.", "services.", "commands."))} == set()


def test_the_served_application_has_every_page_no_database_engine_yet_and_nothing_heavy():
    loaded = _loaded_after("import app\na = app.serve_app()\n"
                           "assert {'assess', 'bureau', 'api'} <= set(a.blueprints), a.blueprints\n"
                           # gunicorn forks after this: no connection pool to share
                           "assert 'storage.engine' not in a.extensions")
    assert {"web.assess.views", "web.bureau.views", "sqlalchemy"} <= loaded
    assert _top(loaded) & HEAVY == set()


def test_flask_help_lists_every_command_without_importing_one():
    code = ("from flask.cli import main\nsys.argv = ['flask', '--app', 'app', '--help']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass")
    script = f"import sys, json\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                         check=True, env=ENV)
    loaded = set(json.loads(out.stdout.strip().splitlines()[-1]))
    assert "diagnose     Score one assessment; bad answers exit 2 with every..." in out.stdout
    assert "reports      Stored PDF reports." in out.stdout and "routes" in out.stdout
    assert {m for m in loaded if m.startswith(("web.", "services.", "commands."))} == set()
    assert _top(loaded) & (HEAVY | DEFERRED) == set()


def test_the_worker_application_has_storage_and_mail_but_no_web_parts():
    loaded = _loaded_after("import worker\napp = worker.create_worker_app()\n"
                           "assert app.blueprints == {}, app.blueprints\n"
                           "assert 'mailman' in app.extensions")
    assert "storage.db" in loaded
    assert loaded & WEB_PARTS == set()
    assert _top(loaded) & {"weasyprint", "matplotlib"} == set()


def test_without_redis_the_worker_says_what_to_set():
    out = subprocess.run([sys.executable, "worker.py"], cwd=ROOT, capture_output=True, text=True,
                         env=ENV)
    assert out.returncode == 1 and "set REDIS_URL" in out.stderr


def test_the_url_map_and_a_request_set_the_application_up_once():
    calls = []

    def set_up(app):
        calls.append(app)
        app.add_url_rule("/hello", "hello", lambda: "hello")  # reads url_map: no second set-up

    app = DeferredSetupFlask("t")
    app.defer_setup(set_up)
    assert calls == []
    assert app.test_client().get("/hello").get_data(as_text=True) == "hello"
    assert "/hello" in {r.rule for r in app.url_map.iter_rules()}
    assert len(calls) == 1


def test_a_second_thread_waits_for_the_set_up_the_first_is_running():
    started, seen = threading.Event(), []

    def set_up(app):
        started.set()
        time.sleep(0.3)  # the second thread asks meanwhile
        app.add_url_rule("/hello", "hello", lambda: "hello")

    app = DeferredSetupFlask("t")
    app.defer_setup(set_up)
    first = threading.Thread(target=app.finish_setup)
    first.start()
    started.wait(5)
    second = threading.Thread(target=lambda: seen.append({r.rule for r in app.url_map.iter_rules()}))
    second.start()
    first.join(5)
    second.join(5)
    assert seen and "/hello" in seen[0]
