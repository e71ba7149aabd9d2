"""Start-up stays light: the application factory loads no rendering, chart, scoring-array,
password-estimation, migration or queue library (they load where they are used), and the
worker's application has none of the web parts. Timings are bench/startup.py's, not a test's."""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = {"weasyprint", "matplotlib", "zxcvbn", "alembic", "redis", "rq", "fontTools", "openpyxl"}
# numpy is not in the list yet: the bureau's disclosure control (diagnosis/disclosure.py, through
# services.aggregates) imports it at the top; scoring, planning and reports load it on use.
WEB_PARTS = {"flask_login", "flask_wtf", "flask_talisman", "flask_limiter", "web.platform", "web.assess"}


def _loaded_after(code: str) -> set[str]:
    script = f"import sys, json\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                         check=True, env={"SECRET_KEY": "test-only", "PATH": "/usr/bin:/bin"})
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_create_app_loads_no_heavy_library():
    loaded = _loaded_after("import app\napp.create_app()")
    assert "web.assess.views" in loaded  # the check looks at a real application
    assert {m.split(".")[0] for m in loaded} & HEAVY == set()


def test_the_worker_application_has_storage_and_mail_but_no_web_parts():
    loaded = _loaded_after("import worker\napp = worker.create_worker_app()\n"
                           "assert app.blueprints == {}, app.blueprints\n"
                           "assert 'mailman' in app.extensions and 'storage.engine' in app.extensions")
    assert "storage.db" in loaded
    assert loaded & WEB_PARTS == set()
    assert {m.split(".")[0] for m in loaded} & {"weasyprint", "matplotlib"} == set()


def test_without_redis_the_worker_says_what_to_set():
    out = subprocess.run([sys.executable, "worker.py"], cwd=ROOT, capture_output=True, text=True,
                         env={"SECRET_KEY": "test-only", "PATH": "/usr/bin:/bin"})
    assert out.returncode == 1 and "set REDIS_URL" in out.stderr
