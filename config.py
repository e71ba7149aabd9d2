"""Settings read from the environment, with defaults for a local install."""
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent


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
