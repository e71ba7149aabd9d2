"""Sign-in, CSRF, rate limits and security headers for the whole app.

Headers come from Flask-Talisman: a Content-Security-Policy that allows only the site's own
scripts, styles, images and fonts (no inline script or style anywhere; charts carry SVG
presentation attributes instead of style attributes), no framing, no referrer to other sites.
Every response but static files gets `Cache-Control: no-store`, so no browser or proxy keeps a
page with someone's data (or a form's CSRF token).

Only the Host names of PUBLIC_URL and of this machine are answered (Flask's TRUSTED_HOSTS);
another Host header, or X-Forwarded-Host through a trusted proxy, gets a plain 400, so no
link is ever built on a name the sender chose.
"""
from urllib.parse import urlsplit

from flask import Response, request, session
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_talisman import Talisman
from flask_wtf.csrf import CSRFProtect
from werkzeug.exceptions import SecurityError

from services.accounts import account_for_session

csrf = CSRFProtect()
login_manager = LoginManager()
# No default limits: only the routes that need them (registration, reset) carry one.
limiter = Limiter(key_func=get_remote_address)
talisman = Talisman()

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


# Always answered: the machine itself (health probes, a reverse proxy on the same host).
LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]")


def trusted_hosts(config) -> list[str]:
    """The Host headers the service answers: PUBLIC_URL's and LOCAL_HOSTS."""
    public = urlsplit(config.get("PUBLIC_URL") or "").hostname
    return ([public] if public else []) + list(LOCAL_HOSTS)


def _untrusted_host():
    # Before anything else reads the request: with an untrusted Host no URL can be built, so
    # the error page (its menu and links) cannot be rendered either; plain text it is.
    if isinstance(request.routing_exception, SecurityError):
        text = _("Bad request") + "\n" + _("The request could not be understood; nothing "
                                          "was changed.") + "\n"
        return Response(text, 400, mimetype="text/plain")
    return None


@login_manager.user_loader
def _load_user(session_id: str):
    return account_for_session(session_id, session.get("enterprise_id"))


def _no_store(response):
    if request.endpoint != "static":
        response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app) -> None:
    if app.config.get("TRUSTED_HOSTS") is None:
        app.config["TRUSTED_HOSTS"] = trusted_hosts(app.config)
    app.before_request(_untrusted_host)  # before CSRF's check, whose error page has links
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    # One setting for both cookies: with SESSION_COOKIE_SECURE the remember cookie is Secure too.
    app.config.setdefault("REMEMBER_COOKIE_SECURE", app.config.get("SESSION_COOKIE_SECURE", False))
    csrf.init_app(app)
    # The limiter is one object for every application a process makes (tests make many) and
    # keeps default limits it was once given: each application starts from its own setting.
    limiter.limit_manager.set_default_limits([])
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    # TLS ends at the reverse proxy; HSTS is sent on requests that arrived over HTTPS.
    talisman.init_app(app, force_https=False,
                      session_cookie_secure=app.config.get("SESSION_COOKIE_SECURE", False),
                      session_cookie_samesite=app.config.get("SESSION_COOKIE_SAMESITE", "Lax"),
                      content_security_policy=CONTENT_SECURITY_POLICY,
                      frame_options="DENY", referrer_policy="same-origin",
                      permissions_policy={"camera": "()", "microphone": "()",
                                          "geolocation": "()"})
    app.after_request(_no_store)
