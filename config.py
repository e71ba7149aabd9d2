"""Settings read from the environment, with defaults for a local install."""
import os
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent
# Refused outside tests (require_secret_key): sessions signed with a known key can be forged.
DEFAULT_SECRET_KEY = "dev-only-change-me"


def _secret_key() -> str:
    """SECRET_KEY from the environment, else the random key scripts/install keeps in
    instance/secret_key (so the web server, the workers and the command line share it)."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    try:
        return (ROOT / "instance" / "secret_key").read_text(encoding="utf-8").strip() \
            or DEFAULT_SECRET_KEY
    except OSError:
        return DEFAULT_SECRET_KEY


def _translation_dirs() -> str:
    """Every translations/<area> catalogue directory, ';'-joined for Flask-Babel."""
    dirs = sorted(str(p) for p in (ROOT / "translations").glob("*") if p.is_dir())
    return ";".join(dirs) or str(ROOT / "translations")


class Config:
    SECRET_KEY = _secret_key()
    DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{ROOT / 'instance' / 'diagnosis.sqlite3'}")
    REDIS_URL = os.environ.get("REDIS_URL") or None
    QUESTIONNAIRES_DIR = ROOT / "questionnaires"
    CATALOGUES_DIR = ROOT / "catalogues"
    MAX_CONTENT_LENGTH = 1024 * 1024  # evidence uploads allow 20 MB (web/on_site)
    # Uploaded files, content-addressed (services/file_store.py).
    FILES_DIR = Path(os.environ.get("FILES_DIR", ROOT / "instance" / "files"))
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    BABEL_DEFAULT_LOCALE = "zh_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "noreply@localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "") == "1"  # STARTTLS
    # Where people reach the service (e.g. https://diagnosis.example.cn): links in mail are
    # built on it, and requests naming another Host get 400 (web/mail.py); unset, only this
    # machine's names (localhost, 127.0.0.1) are answered.
    PUBLIC_URL = os.environ.get("PUBLIC_URL") or None
    # Also makes the remember and known-device cookies Secure (web/security.py).
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "") == "1"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = timedelta(days=int(os.environ.get("REMEMBER_DAYS", "30")))
    # Mail goes out through RQ jobs on this queue when REDIS_URL is set (web/mail.py).
    MAIL_QUEUE = os.environ.get("MAIL_QUEUE", "mail")
    # The worker (worker.py) lowers its CPU priority by this much, so that renders yield to web requests.
    WORKER_NICE = int(os.environ.get("WORKER_NICE", "10"))
    # Logging (logsetup.py): "text" for people, "json" for log collectors (one object a line).
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
    BABEL_TRANSLATION_DIRECTORIES = _translation_dirs()
    # People fill the questionnaire over an hour with breaks: the CSRF token
    # lives as long as the session instead of expiring after an hour.
    WTF_CSRF_TIME_LIMIT = None
    RATELIMIT_STORAGE_URI = REDIS_URL or "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    # Wrong passwords are slowed down by services/throttle.py (database counters); these
    # limit how often one address may ask for registrations and reset links.
    REGISTER_LIMIT = os.environ.get("REGISTER_LIMIT", "5 per hour;20 per day")
    RESET_LIMIT = os.environ.get("RESET_LIMIT", "5 per hour;20 per day")
    # PDF renders (web/reports/bounds.py): per person, and for the whole service; a report
    # already stored is always sent. Stored copies per assessment (oldest removed first) and
    # the age after which `flask reports prune` removes them (services/reports.py).
    REPORT_RENDER_USER_LIMIT = os.environ.get("REPORT_RENDER_USER_LIMIT", "6 per minute;30 per hour")
    REPORT_RENDER_LIMIT = os.environ.get("REPORT_RENDER_LIMIT", "30 per minute")
    REPORT_COPIES = int(os.environ.get("REPORT_COPIES", "10"))
    REPORT_KEEP_DAYS = int(os.environ.get("REPORT_KEEP_DAYS", "180"))
    # The public report check (web/verification): enough for a person, too few to guess codes.
    VERIFY_LIMIT = os.environ.get("VERIFY_LIMIT", "20 per hour;100 per day")
    # Requests per API token; unset: the rate_limit of data/api.yaml.
    API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT") or None
    # Behind a reverse proxy, how many proxies to trust for the client address (X-Forwarded-For),
    # so sign-in limits count each visitor and not the proxy.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
    RESET_TOKEN_HOURS = 2
    REGISTRATION_HOURS = 48
    INVITATION_DAYS = 14
    DATA_DIR = ROOT / "data"
    # The project status chain, acceptance pack and rating aspects (docs/projects.md).
    PROJECT_RULES_FILE = Path(os.environ.get("PROJECT_RULES_FILE", ROOT / "data" / "projects.yaml"))
    DISTRICTS_FILE = Path(os.environ.get("DISTRICTS_FILE", ROOT / "data" / "districts.yaml"))
    INDUSTRIES_FILE = ROOT / "data" / "gbt4754.yaml"
    SIZE_RULES_FILE = ROOT / "data" / "size_classes.yaml"
    # The city's priority industries (Art. 16) as GB/T 4754 codes: the dashboard's `priority`
    PRIORITY_INDUSTRIES_FILE = Path(os.environ.get("PRIORITY_INDUSTRIES_FILE",
                                                   ROOT / "data" / "priority-industries.yaml"))
    # Disclosure control: a figure from fewer enterprises than this is suppressed (docs/disclosure.md)
    DISCLOSURE_K = int(os.environ.get("DISCLOSURE_K", "5"))
    # A PostgreSQL streaming replica for the bureaus' read-only aggregates (storage.db.db_read)
    DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL") or None
    # Seconds a statement of a web request may run on PostgreSQL before it is cancelled (a 503
    # with Retry-After); 0: no limit. The report worker and the command line have none.
    DATABASE_STATEMENT_TIMEOUT = float(os.environ.get("DATABASE_STATEMENT_TIMEOUT", "10"))
    TARGETS_FILE = Path(os.environ.get("TARGETS_FILE", ROOT / "data" / "targets.yaml"))


def require_secret_key(app) -> None:
    """Outside tests, refuse to start with the default or an empty SECRET_KEY: anyone who
    knows it could forge sessions."""
    key = app.config.get("SECRET_KEY")
    if not app.testing and (not key or key == DEFAULT_SECRET_KEY):
        raise RuntimeError(
            "SECRET_KEY is not set: give every process the same random key through the "
            "SECRET_KEY environment variable or the file instance/secret_key "
            "(scripts/install makes one). Refusing to start with the default key.")
