"""Settings read from the environment, with defaults for a local install."""
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent


def _translation_dirs() -> str:
    """Every translations/<area> catalogue directory, ';'-joined for Flask-Babel."""
    dirs = sorted(str(p) for p in (ROOT / "translations").glob("*") if p.is_dir())
    return ";".join(dirs) or str(ROOT / "translations")


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-change-me")
    DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{ROOT / 'instance' / 'diagnosis.sqlite3'}")
    REDIS_URL = os.environ.get("REDIS_URL") or None
    QUESTIONNAIRES_DIR = ROOT / "questionnaires"
    CATALOGUES_DIR = ROOT / "catalogues"
    MAX_CONTENT_LENGTH = 1024 * 1024
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
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "") == "1"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    BABEL_TRANSLATION_DIRECTORIES = _translation_dirs()
    # People fill the questionnaire over an hour with breaks: the CSRF token
    # lives as long as the session instead of expiring after an hour.
    WTF_CSRF_TIME_LIMIT = None
    RATELIMIT_STORAGE_URI = REDIS_URL or "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_LIMIT_PER_ACCOUNT = os.environ.get("LOGIN_LIMIT_PER_ACCOUNT", "5 per minute;20 per hour")
    LOGIN_LIMIT_PER_ADDRESS = os.environ.get("LOGIN_LIMIT_PER_ADDRESS", "20 per minute;100 per hour")
    # Behind a reverse proxy, how many proxies to trust for the client address (X-Forwarded-For),
    # so sign-in limits count each visitor and not the proxy.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
    RESET_TOKEN_HOURS = 2
    INVITATION_DAYS = 14
    DATA_DIR = ROOT / "data"
    DISTRICTS_FILE = Path(os.environ.get("DISTRICTS_FILE", ROOT / "data" / "districts.yaml"))
    INDUSTRIES_FILE = ROOT / "data" / "gbt4754.yaml"
    SIZE_RULES_FILE = ROOT / "data" / "size_classes.yaml"
