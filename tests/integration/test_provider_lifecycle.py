"""A provider's lifecycle: warned with a deadline, suspended, reinstated, removed, its appeal;
who may take each step; the status every page and the ranking read; the history kept."""
import pytest
from flask import current_app
from werkzeug.local import LocalProxy
from sqlalchemy import func, select

from services import catalogue as catalogues
from services import provider_lifecycle
from services.errors import InvalidInput, NotFound
from storage.project_models import ProviderEvent
from tests.organisation_helpers import account, make_org, staff_user

CFG = LocalProxy(lambda: current_app.config)  # the settings services take, in an app context


@pytest.fixture
def people(app, make_user, sme_user):
    centre = make_org(app, "centre")
    provider_org = make_org(app, "provider")  # speaks for p001
    admin = make_user(roles=("administrator",), enterprise=None)
    return {"admin": account(app, admin),
            "centre_admin": account(app, staff_user(app, make_user, centre, "centre_admin")),
            "consultant": account(app, staff_user(app, make_user, centre, "consultant")),
            "provider": account(app, staff_user(app, make_user, provider_org, "provider_staff")),
            "sme": account(app, sme_user)}


def _act(app, actor, step, **kw):
    with app.test_request_context():
        return provider_lifecycle.act(actor, "p001", step, catalogue=catalogues.current(CFG),
                                      settings=app.config, **{"reason": "多次逾期交付", **kw})


def _status(app):
    with app.test_request_context():
        return catalogues.current(CFG).providers["p001"].status


def test_warn_appeal_suspend_reinstate_remove_with_history(app, db, people):
    assert _act(app, people["centre_admin"], "warn", deadline="2099-01-31") == "warned"
    assert _status(app) == "warned"
    assert _act(app, people["provider"], "appeal", reason="已整改，附整改报告") == "warned"
    assert _act(app, people["admin"], "suspend") == "suspended"
    assert _act(app, people["admin"], "reinstate", reason="整改完成") == "active"
    assert _act(app, people["admin"], "remove", reason="严重违约") == "removed"
    with app.test_request_context():
        history = provider_lifecycle.history("p001", app.config)
        note = catalogues.current(CFG).providers["p001"].note
    assert [(h["action"], h["status"]) for h in history] == [
        ("warn", "warned"), ("appeal", None), ("suspend", "suspended"), ("reinstate", "active"),
        ("remove", "removed")]
    assert str(history[0]["deadline"]) == "2099-01-31" and note["zh"] == "严重违约"


@pytest.mark.parametrize("who, step, code", [
    ("provider", "warn", "not_your_step"), ("centre_admin", "appeal", "not_your_step"),
    ("admin", "reinstate", "step_out_of_order"), ("admin", "fly", "step_unknown")])
def test_steps_of_the_other_side_or_out_of_order_are_refused(app, db, people, who, step, code):
    with pytest.raises(InvalidInput) as err:
        _act(app, people[who], step)
    assert err.value.code == code
    assert db.scalar(select(func.count()).select_from(ProviderEvent)) == 0


@pytest.mark.parametrize("kw, code", [({"reason": " "}, "reason_required"),
                                      ({"deadline": "2000-01-01"}, "deadline_past"),
                                      ({"deadline": "next week"}, "deadline_format")])
def test_a_warning_needs_a_reason_and_a_deadline_to_come(app, db, people, kw, code):
    with pytest.raises(InvalidInput) as err:
        _act(app, people["admin"], "warn", **{"deadline": "2099-01-01", **kw})
    assert err.value.code == code and _status(app) == "active"


@pytest.mark.parametrize("who", ["consultant", "sme"])
def test_people_without_a_side_get_not_found(app, db, people, who):
    with pytest.raises(NotFound):
        _act(app, people[who], "warn", deadline="2099-01-01")
    assert _status(app) == "active"
