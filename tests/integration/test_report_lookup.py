"""A stored report is found by what its plan is made of, before the plan is made: it is sent
without solving the plan; a change of anything the plan is made of makes the plan again (a new
report when the plan changed), and a change of what is printed gives a new file."""
from datetime import datetime, timedelta, timezone

import pytest
import yaml
from flask import current_app
from sqlalchemy import func, select
from werkzeug.local import LocalProxy

from tests.conftest import ROOT
from tests.integration.test_report_support import (report_app, stored_reports,  # noqa: F401
                                                   submit_assessment)

CFG = LocalProxy(lambda: current_app.config)  # the settings services take, in an app context
SAMPLE = ROOT / "catalogues"


class PlanMade(AssertionError):
    """The planner was called where a stored report should have been sent."""


class Planner:
    """Counts the plans made by the core's planner; after `refuse()` each call raises."""

    def __init__(self, monkeypatch):
        from diagnosis import planning as core

        self.calls, self.refusing, real = 0, False, core.make_plan

        def make_plan(*args, **kwargs):
            self.calls += 1
            if self.refusing:
                raise PlanMade("the plan was made again")
            return real(*args, **kwargs)

        monkeypatch.setattr(core, "make_plan", make_plan)

    def refuse(self):
        self.refusing = True


@pytest.fixture
def planner(monkeypatch):
    return Planner(monkeypatch)


@pytest.fixture
def submitted(report_app, sme_user):
    return submit_assessment(report_app, sme_user.enterprise_id, sme_user.id)


def _report(app, aid, lang="zh", choices=None):
    from services import reports

    with app.app_context():
        return reports.report_for_assessment(aid, lang, CFG, choices)


def _lookup_keys(app):
    from storage.db import db_session
    from storage.report_models import ReportLookup

    with app.app_context():
        return db_session.scalar(select(func.count()).select_from(ReportLookup))


def test_a_stored_report_is_downloaded_without_making_the_plan(report_app, submitted, sme_client,
                                                               planner):
    first = sme_client.get(f"/reports/{submitted}.pdf")
    assert first.status_code == 200 and planner.calls == 1
    planner.refuse()
    again = sme_client.get(f"/reports/{submitted}.pdf")
    assert again.status_code == 200 and again.data == first.data
    assert again.headers["X-Report-Id"] == first.headers["X-Report-Id"]
    assert again.headers["Content-Disposition"] == first.headers["Content-Disposition"]
    with pytest.raises(PlanMade):  # a report not stored yet needs its plan: the refusal bites
        sme_client.get(f"/reports/{submitted}.pdf?budget=500000")


def test_the_service_sends_a_stored_report_without_making_the_plan(report_app, submitted, planner):
    from services import planning

    first = _report(report_app, submitted)
    chosen = _report(report_app, submitted, choices=planning.Choices(500000, "level3", 18))
    planner.refuse()
    assert _report(report_app, submitted).pdf == first.pdf
    assert _report(report_app, submitted, choices=planning.Choices(500000, "level3", 18)).pdf == chosen.pdf
    assert planner.calls == 2


def test_the_default_plan_asked_for_explicitly_is_found_under_the_same_key(report_app, submitted,
                                                                           planner):
    from services import planning

    first = _report(report_app, submitted)
    planner.refuse()
    explicit = _report(report_app, submitted, choices=planning.Choices(200000, None, 12))
    assert explicit.pdf == first.pdf and _lookup_keys(report_app) == 1


def test_the_same_catalogue_imported_keeps_the_report_and_a_new_price_gives_a_new_one(
        report_app, submitted, planner):
    from services import catalogue as catalogues
    from services import planning

    first = _report(report_app, submitted)
    files = {name: (SAMPLE / name).read_text(encoding="utf-8") for name in ("modules.yaml", "providers.yaml")}
    with report_app.app_context():
        catalogues.import_files(list(files.items()), CFG)  # from the files to the database, same content
        planned = planning.plan_for_report(submitted, CFG)["phases"][0]["modules"][0]["id"]
    calls = planner.calls
    assert _report(report_app, submitted).pdf == first.pdf and planner.calls == calls

    modules = yaml.safe_load(files["modules.yaml"])
    module = next(m for m in modules["modules"] if m["id"] == planned)
    module["cost"]["one_off"] = [module["cost"]["one_off"][0], module["cost"]["one_off"][1] + 1000]
    with report_app.app_context():
        catalogues.import_files([("modules.yaml", yaml.safe_dump(modules, allow_unicode=True))], CFG)
    dearer = _report(report_app, submitted)
    assert planner.calls == calls + 1
    assert dearer.report_id != first.report_id and len(stored_reports(report_app)) == 2


def test_a_provider_warned_gives_a_new_report(report_app, submitted, planner):
    from services import planning
    from storage.db import db_session
    from storage.project_models import ProviderEvent

    first = _report(report_app, submitted)
    with report_app.app_context():
        plan = planning.plan_for_report(submitted, CFG)
        provider = plan["phases"][0]["modules"][0]["providers"][0]["id"]
        db_session.add(ProviderEvent(provider_ref=provider, action="warn", status="warned",
                                     reason="逾期未交付"))
        db_session.commit()
    warned = _report(report_app, submitted)
    assert warned.report_id != first.report_id and len(stored_reports(report_app)) == 2


def test_another_subsidy_rule_gives_a_new_report(report_app, submitted, planner, tmp_path):
    first = _report(report_app, submitted)
    rule = yaml.safe_load((SAMPLE / "subsidy.yaml").read_text(encoding="utf-8"))
    rule["subsidy"]["rate"] = 0.5
    (tmp_path / "subsidy.yaml").write_text(yaml.safe_dump(rule, allow_unicode=True), encoding="utf-8")
    report_app.config["PLAN_SUBSIDY_FILE"] = tmp_path / "subsidy.yaml"
    richer = _report(report_app, submitted)
    assert richer.report_id != first.report_id and len(stored_reports(report_app)) == 2


def test_a_profile_change_makes_the_plan_again(report_app, submitted, sme_user, planner):
    from storage.db import db_session
    from storage.models import Enterprise

    _report(report_app, submitted)
    with report_app.app_context():
        db_session.get(Enterprise, sme_user.enterprise_id).employees = 150  # the plan's, not the cover's
        db_session.commit()
    calls = planner.calls
    _report(report_app, submitted)
    assert planner.calls == calls + 1


def test_new_planning_code_makes_the_plan_again_and_an_unchanged_plan_keeps_the_file(
        report_app, submitted, planner, monkeypatch):
    from reports import document

    first = _report(report_app, submitted)
    monkeypatch.setattr(document, "planning_version", lambda: "0123456789abcdef")
    again = _report(report_app, submitted)
    assert planner.calls == 2  # made again: it might have changed
    assert again.pdf == first.pdf and len(stored_reports(report_app)) == 1  # it did not
    planner.refuse()
    assert _report(report_app, submitted).pdf == first.pdf  # the new key was kept
    assert _lookup_keys(report_app) == 2


def test_new_templates_give_a_new_file_with_the_same_report_id(report_app, submitted, planner,
                                                               monkeypatch):
    from reports import document

    first = _report(report_app, submitted)
    monkeypatch.setattr(document, "template_version", lambda: "0123456789abcdef")
    again = _report(report_app, submitted)
    assert again.cache_key != first.cache_key and again.report_id == first.report_id
    assert len(stored_reports(report_app)) == 2


def test_a_removed_report_takes_its_keys_along_and_is_made_again(report_app, submitted, planner):
    from services import reports

    first = _report(report_app, submitted)
    with report_app.app_context():
        removed = reports.prune(CFG, now=datetime.now(timezone.utc) + timedelta(days=1),
                                older_than_days=0)
    assert removed == 1 and _lookup_keys(report_app) == 0
    again = _report(report_app, submitted)
    assert planner.calls == 2 and again.report_id == first.report_id
    assert _lookup_keys(report_app) == 1
