"""Helpers for the API tests: tokens made with `flask tokens create`, headers. (No tests here.)"""
ALL_SCOPES = "assessments:read,assessments:write,reports:read,aggregates:read,catalogue:read"


def make_token(app, user, scopes=ALL_SCOPES, *extra) -> str:
    """A token printed by `flask --app app tokens create`, as scripts get one."""
    result = app.test_cli_runner().invoke(
        args=["tokens", "create", "--user", user.email, "--scopes", scopes, *extra])
    assert result.exit_code == 0, result.output
    return result.output.strip()


def bearer(token, lang=None) -> dict:
    headers = {"Authorization": f"Bearer {token}"}
    if lang:
        headers["Accept-Language"] = lang
    return headers


def is_problem(response, status, code=None) -> dict:
    """The problem+json body, after checking its status, media type and stable type."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status and body["type"].startswith("/api/v1/problems/")
    if code:
        assert body["code"] == code
    return body
