"""Sign-in, CSRF and rate limiting for the whole app."""
from flask import request, session
from flask_babel import lazy_gettext as _l
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

from services.accounts import account_for_session

csrf = CSRFProtect()
login_manager = LoginManager()
# No default limits: only the routes that need them (sign-in, reset) carry one.
limiter = Limiter(key_func=get_remote_address)


@login_manager.user_loader
def _load_user(session_id: str):
    return account_for_session(session_id, session.get("enterprise_id"))


def _security_headers(response):
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


def login_account_key() -> str:
    """Rate-limit key for the account being signed in to (its e-mail)."""
    return "account:" + (request.form.get("email") or "").strip().lower()


def init_app(app) -> None:
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    app.after_request(_security_headers)
    login_manager.session_protection = "basic"
