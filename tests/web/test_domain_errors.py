"""Domain errors a service raises become clear pages in the visitor's language (web/errors.py),
so views need not translate them one by one."""
import pytest

from services.errors import Conflict, InvalidInput, NotFound


@pytest.fixture
def raising_client(app):
    errors = {"invalid": InvalidInput("bad_budget"), "conflict": Conflict(), "missing": NotFound()}

    @app.get("/_raise/<kind>")
    def _raise(kind):
        raise errors[kind]

    return app.test_client()


@pytest.mark.parametrize("kind, status, zh, en", [
    ("invalid", 400, "提交的内容无法使用，未作任何更改。", "What was sent cannot be used; nothing was changed."),
    ("conflict", 409, "此内容已在其他标签页中或由他人更改", "This was changed meanwhile"),
    ("missing", 404, None, "There is no such page, or you have no access to it."),
])
def test_each_domain_error_answers_its_status_in_both_languages(raising_client, kind, status, zh, en):
    page = raising_client.get(f"/_raise/{kind}")
    assert page.status_code == status
    if zh:
        assert zh in page.get_data(as_text=True)
    with raising_client.session_transaction() as session:
        session["locale"] = "en"
    english = raising_client.get(f"/_raise/{kind}")
    assert english.status_code == status and en in english.get_data(as_text=True)


def test_scripts_get_the_error_as_json(raising_client):
    answer = raising_client.get("/_raise/conflict", headers={"Accept": "application/json"})
    assert answer.status_code == 409 and answer.is_json and answer.json["error"]
