"""Signing in and out on the web: safe `next` targets, the known-device cookie, the sign-in
throttle (services.throttle) and server-side sessions (services.sessions)."""
import hashlib
import secrets
from urllib.parse import urlsplit

from flask import current_app, request
from flask_login import current_user, login_user, logout_user
from itsdangerous import BadSignature, URLSafeSerializer

from services import accounts, sessions, throttle

DEVICE_COOKIE = "known_device"
DEVICE_DAYS = 365


def safe_next(target: str | None) -> str | None:
    """Only same-site paths: an open redirect would help phishing. Control characters (a line
    break would split the Location header) and backslashes (browsers read "/\\x" as "//x")
    are refused."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def _serializer():
    return URLSafeSerializer(current_app.secret_key, salt="known-device")


def _account_tag(email: str) -> str:
    return hashlib.sha256(accounts.normalise_email(email).encode()).hexdigest()[:32]


def device_token(email: str) -> str | None:
    """This browser's device token for `email`'s account, if it signed in to it before."""
    raw = request.cookies.get(DEVICE_COOKIE)
    if not raw:
        return None
    try:
        data = _serializer().loads(raw)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("a") != _account_tag(email):
        return None
    return str(data.get("n") or "") or None


def policy() -> throttle.Policy:
    return throttle.Policy(**current_app.config.get("LOGIN_FREE_FAILURES", {}))


def throttle_keys(email: str) -> dict[str, int]:
    email = accounts.normalise_email(email)
    return throttle.keys_for(email, request.remote_addr or "-", device_token(email), policy())


def _session_days(remember: bool) -> int:
    lifetime = (current_app.config["REMEMBER_COOKIE_DURATION"] if remember
                else current_app.permanent_session_lifetime)
    return max(1, lifetime.days)


def sign_in(account: accounts.AccountUser, remember: bool = False) -> None:
    """Open a server-side session for `account` and hand this browser its cookies."""
    login_user(accounts.signed_in(account, _session_days(remember)), remember=remember)
    throttle.clear(account.email, request.remote_addr or "-", device_token(account.email))


def remember_device(response, email: str):
    """Give the browser (or keep) its known-device cookie for `email`'s account."""
    nonce = device_token(email) or secrets.token_urlsafe(16)
    cfg = current_app.config
    response.set_cookie(DEVICE_COOKIE, _serializer().dumps({"a": _account_tag(email), "n": nonce}),
                        max_age=DEVICE_DAYS * 24 * 3600, httponly=True,
                        secure=cfg.get("SESSION_COOKIE_SECURE", False), samesite="Lax")
    return response


def sign_out() -> None:
    """End this browser's session server-side, then forget it here (remember cookie too)."""
    token = getattr(current_user, "session_key", "")
    if token:
        sessions.end_session(token)
    logout_user()
