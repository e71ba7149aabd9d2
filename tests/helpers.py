"""Helpers for web tests (import them: `from tests.helpers import login, csrf_token`)."""
import re

PASSWORD = "correct horse battery"
_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client, path: str = "/") -> str:
    """The CSRF token a page hands out (needs WTF_CSRF_ENABLED, see the app_config marker)."""
    html = client.get(path).get_data(as_text=True)
    match = _TOKEN.search(html)
    assert match, f"no csrf_token on {path}"
    return match.group(1)


def login(client, email: str, password: str = PASSWORD, token: str | None = None):
    """Log in through the real form; returns the response (302 on success)."""
    data = {"email": email, "password": password}
    if token:
        data["csrf_token"] = token
    return client.post("/auth/login", data=data)


def logout(client, token: str | None = None):
    return client.post("/auth/logout", data={"csrf_token": token} if token else {})
