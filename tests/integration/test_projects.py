"""Help requests and projects through the services: the whole chain with who and when, each side
moving only its own steps, what a provider sees (and the audit record it leaves), refusals that
change nothing, the acceptance pack, the rating and the outcome record."""
import io
from dataclasses import dataclass

import pytest
from flask import current_app
from werkzeug.local import LocalProxy
from sqlalchemy import func, select

from services import catalogue as catalogues
from services import consents, project_views, projects, provider_outcomes
from services.errors import Conflict, InvalidInput, NotFound
from storage.project_models import Project, ProjectStep
from tests.integration.test_report_support import insert_submitted, submit_assessment
from tests.organisation_helpers import account, audit_count, audit_records, consent, make_org, staff_user

CFG = LocalProxy(lambda: current_app.config)  # the settings services take, in an app context

PDF = b"%PDF-1.4\n% a contract\n"
UNTIL = "2028-06-30"


@dataclass
class World:
    enterprise_id: int
    t0: int
    t1: int
    provider_org: int
    centre: int
    owner: object
    provider: object
    other_provider: object
    consultant: object
    other_consultant: object
    stranger: object


@pytest.fixture
def world(app, make_user, sme_user, other_sme_user):
    provider_org = make_org(app, "provider")  # speaks for catalogue provider p001
    other_provider_org = make_org(app, "provider", provider_ref="p002")
    centre, other_centre = make_org(app, "centre"), make_org(app, "centre")
    t0 = submit_assessment(app, sme_user.enterprise_id, sme_user.id)
    t1 = submit_assessment(app, sme_user.enterprise_id, sme_user.id)
    consent(app, sme_user.enterprise_id, centre)  # the SME is the centre's client
    return World(sme_user.enterprise_id, t0, t1, provider_org, centre, account(app, sme_user),
                 account(app, staff_user(app, make_user, provider_org, "provider_staff")),
                 account(app, staff_user(app, make_user, other_provider_org, "provider_staff")),
                 account(app, staff_user(app, make_user, centre, "consultant")),
                 account(app, staff_user(app, make_user, other_centre, "consultant")),
                 account(app, other_sme_user))


def _ask(app, world, **changes):
    values = {"organisation_id": world.provider_org, "assessment_id": world.t0,
              "modules": ["mes-basic"], "share": "summary", "message": "想上MES",
              "valid_until": UNTIL, **changes}
    with app.test_request_context():
        return projects.request_help(world.owner, world.enterprise_id, values,
                                     catalogue=catalogues.current(CFG), settings=app.config)


def _move(app, actor, pid, step, **kw):
    with app.test_request_context():
        return projects.move(actor, pid, step, settings=app.config, catalogue=catalogues.current(CFG),
                             subsidy_rule=catalogues.subsidy_rule(CFG),
                             profile={"industry": "C34", "size_class": "small", "district": "芝罘区"},
                             **kw)


def _detail(app, actor, pid):
    with app.test_request_context():
        return project_views.detail(actor, pid, catalogue=catalogues.current(CFG), settings=app.config)


def _pack(app, world, pid):
    with app.test_request_context():
        for item in ("contract", "invoices", "summary", "results"):
            projects.add_file(world.provider if item == "results" else world.owner, pid, item,
                              f"{item}.pdf", io.BytesIO(PDF + item.encode()), app.config)
        projects.link_follow_up(world.owner, pid, world.t1)


def test_a_request_runs_to_acceptance_each_side_moving_its_own_steps(app, db, world):
    pid = _ask(app, world)
    assert _move(app, world.provider, pid, "contact") == "contacted"
    _move(app, world.provider, pid, "quote", amount="86,000")
    _move(app, world.owner, pid, "contract")
    _move(app, world.provider, pid, "start")
    _pack(app, world, pid)
    _move(app, world.owner, pid, "submit")
    assert _move(app, world.consultant, pid, "accept") == "accepted"
    db.expire_all()
    row = db.get(Project, pid)
    # subsidy: C34 small firm, 30 % of 86,000 = 25,800, under the 50,000 cap
    assert (row.quote, row.contracted_amount, row.subsidy) == (86000, 86000, 25800)
    steps = db.scalars(select(ProjectStep).where(ProjectStep.project_id == pid)
                       .order_by(ProjectStep.id)).all()
    assert [(s.step, s.side, s.user_id) for s in steps] == [
        ("request", "enterprise", world.owner.id), ("contact", "provider", world.provider.id),
        ("quote", "provider", world.provider.id), ("contract", "enterprise", world.owner.id),
        ("start", "provider", world.provider.id), ("submit", "enterprise", world.owner.id),
        ("accept", "centre", world.consultant.id)]
    assert all(s.at is not None for s in steps)
    assert steps[2].amount == 86000 and steps[6].organisation_id == world.centre


def test_the_provider_sees_only_the_shared_part_and_each_read_is_audited(app, db, world):
    pid = _ask(app, world)
    before = audit_count(db, world.enterprise_id)
    view = _detail(app, world.provider, pid)
    assert view["share"] == "summary" and view["t0"]["level"] and view["modules"][0]["id"] == "mes-basic"
    assert "follow_up_choices" not in view  # the SME's other assessments are not shared
    records = audit_records(db, world.enterprise_id)
    assert audit_count(db, world.enterprise_id) == before + 1
    assert (records[-1].action, records[-1].actor_user, records[-1].object_type) == (
        "view_referral", world.provider.id, "project")
    with app.test_request_context():
        listed = project_views.for_organisation(world.provider, world.provider_org,
                                                catalogue=catalogues.current(CFG), settings=app.config)
    assert [p["id"] for p in listed] == [pid]


@pytest.mark.parametrize("who", ["stranger", "other_provider", "other_consultant"])
def test_outsiders_get_not_found_and_change_nothing(app, db, world, who):
    pid = _ask(app, world)
    before = audit_count(db)
    actor = getattr(world, who)
    with pytest.raises(NotFound):
        _detail(app, actor, pid)
    for step in ("contact", "accept", "withdraw_enterprise"):
        with pytest.raises(NotFound):
            _move(app, actor, pid, step, reason="x")
    db.expire_all()
    assert db.get(Project, pid).status == "requested" and audit_count(db) == before


def test_a_revoked_consent_ends_the_providers_access(app, db, world):
    pid = _ask(app, world)
    with app.test_request_context():
        consents.revoke(world.owner, db.get(Project, pid).consent_id)
    with pytest.raises(NotFound):
        _detail(app, world.provider, pid)
    with pytest.raises(NotFound):
        _move(app, world.provider, pid, "contact")
    with app.test_request_context():
        assert project_views.for_organisation(world.provider, world.provider_org,
                                              catalogue=catalogues.current(CFG), settings=app.config) == []


@pytest.mark.parametrize("actor, step, kw, code", [
    ("consultant", "accept", {}, "step_out_of_order"),          # never contracted
    ("owner", "contract", {}, "step_out_of_order"),             # never quoted
    ("provider", "quote", {"amount": "-1"}, "amount_negative"),
    ("provider", "quote", {"amount": "八万元"}, "amount_not_number"),
    ("owner", "contact", {}, "not_your_step"),
    ("provider", "withdraw_provider", {"reason": " "}, "reason_required"),
])
def test_steps_out_of_order_are_refused_and_change_nothing(app, db, world, actor, step, kw, code):
    pid = _ask(app, world)
    _move(app, world.provider, pid, "contact")
    with pytest.raises(InvalidInput) as err:
        _move(app, getattr(world, actor), pid, step, **kw)
    assert err.value.code == code
    db.expire_all()
    assert db.get(Project, pid).status == "contacted" and db.get(Project, pid).quote is None


def test_submitting_needs_the_whole_pack_and_rating_waits_for_acceptance(app, db, world):
    pid = _ask(app, world)
    for actor, step, kw in [(world.provider, "contact", {}), (world.provider, "quote", {"amount": 1}),
                            (world.owner, "contract", {}), (world.provider, "start", {})]:
        _move(app, actor, pid, step, **kw)
    with pytest.raises(InvalidInput) as err:
        _move(app, world.owner, pid, "submit")
    assert err.value.params["missing"] == ["contract", "invoices", "summary", "results", "post_assessment"]
    with app.test_request_context(), pytest.raises(InvalidInput, match="rate_before_acceptance"):
        projects.rate(world.owner, pid, {"quality": 5}, "", app.config)
    with app.test_request_context(), pytest.raises(InvalidInput, match="follow_up_unsuitable"):
        projects.link_follow_up(world.owner, pid, world.t0)  # T1 cannot be the baseline itself
    from datetime import datetime, timezone
    later = datetime(2099, 1, 1, tzinfo=timezone.utc)  # after T0: only the version is wrong
    older_version = insert_submitted(app, world.enterprise_id, 80.0, later, version="1.0.0")
    with app.test_request_context(), pytest.raises(InvalidInput, match="follow_up_unsuitable"):
        projects.link_follow_up(world.owner, pid, older_version)  # totals of two versions differ
    with app.test_request_context(), pytest.raises(NotFound):
        projects.link_follow_up(world.owner, pid, 10**25)
    with app.test_request_context(), pytest.raises(InvalidInput, match="file_type"):
        projects.add_file(world.owner, pid, "contract", "x.pdf", io.BytesIO(b"MZ\x90\x00 not a pdf"),
                          app.config)


def test_a_baseline_never_submitted_offers_and_takes_no_follow_up(app, db, world):
    """A baseline without a submission time has nothing after it: no choice, a refusal, no 500."""
    from storage.models import Assessment

    pid = _ask(app, world)
    for actor, step, kw in [(world.provider, "contact", {}), (world.provider, "quote", {"amount": 1}),
                            (world.owner, "contract", {})]:
        _move(app, actor, pid, step, **kw)
    t1 = db.get(Assessment, world.t1)  # the same instrument version: only the time is missing
    draft = Assessment(enterprise_id=world.enterprise_id, instrument_id=t1.instrument_id,
                       instrument_version=t1.instrument_version, status="draft", answers={})
    db.add(draft)
    db.flush()
    db.get(Project, pid).t0_assessment_id = draft.id
    db.commit()
    assert _detail(app, world.owner, pid)["follow_up_choices"] == []
    with app.test_request_context(), pytest.raises(InvalidInput, match="follow_up_unsuitable"):
        projects.link_follow_up(world.owner, pid, world.t1)
    db.expire_all()
    assert db.get(Project, pid).t1_assessment_id is None


def test_the_rating_is_checked_whole_and_given_once(app, db, world):
    pid = _ask(app, world)
    for actor, step, kw in [(world.provider, "contact", {}), (world.provider, "quote", {"amount": 5}),
                            (world.owner, "contract", {}), (world.provider, "start", {})]:
        _move(app, actor, pid, step, **kw)
    _pack(app, world, pid)
    _move(app, world.owner, pid, "submit")
    _move(app, world.consultant, pid, "accept")
    with app.test_request_context():
        with pytest.raises(projects.ProjectInvalid) as err:
            projects.rate(world.owner, pid, {"quality": "6", "timeliness": "x"}, "", app.config)
        assert set(err.value.problems) == {"quality", "timeliness", "communication", "value"}
        projects.rate(world.owner, pid, {"quality": 5, "timeliness": "4", "communication": 4,
                                         "value": 3}, "按期交付", app.config)
        with pytest.raises(Conflict):
            projects.rate(world.owner, pid, {a: 5 for a in ("quality", "timeliness", "communication", "value")},
                          "", app.config)
        record = provider_outcomes.outcome_for("p001", settings=app.config)
    # one accepted project: rated (5+4+4+3)/4 = 4.0, T1 scored the same answers as T0: +0
    assert (record["accepted"], record["median_satisfaction"], record["median_point_uplift"]) == (1, 4.0, 0.0)
    assert record["median_days_to_acceptance"] == 0.0 and not record["shown"]


def test_a_members_request_waits_for_an_owner_and_the_provider_sees_nothing_meanwhile(app, db, world, make_user):
    from services import accounts, invitations
    with app.app_context():
        token = invitations.invite(world.owner, world.enterprise_id, "m@example.com", days=1)
        member = accounts.load_account(invitations.accept_invitation(
            token, name="同事", password="correct horse battery"))
    values = {"organisation_id": world.provider_org, "assessment_id": world.t0, "modules": [],
              "share": "report", "valid_until": UNTIL}
    with app.test_request_context():
        pid = projects.request_help(member, world.enterprise_id, values,
                                    catalogue=catalogues.current(CFG), settings=app.config)
    assert db.get(Project, pid).share == "report"
    with pytest.raises(NotFound):
        _detail(app, world.provider, pid)


def test_bad_requests_name_every_problem_and_write_nothing(app, db, world):
    with pytest.raises(projects.ProjectInvalid) as err:
        _ask(app, world, organisation_id="999999", modules=["no-such"], share="all",
             message="x\x00", valid_until="someday")
    assert err.value.problems == {"organisation": "organisation_unknown", "modules": "module_unknown",
                                  "share": "share_required", "message": "control_characters",
                                  "valid_until": "valid_until_format"}
    with pytest.raises(NotFound):
        _ask(app, world, assessment_id=10**30)
    assert db.scalar(select(func.count()).select_from(Project)) == 0


def test_a_centre_proposes_a_short_list_and_the_sme_chooses(app, db, world, make_user):
    from services import referrals
    p018 = make_org(app, "provider", provider_ref="p018")  # the whole city, any industry, mes-basic
    p018_staff = account(app, staff_user(app, make_user, p018, "provider_staff"))
    pid = _ask(app, world, organisation_id=world.centre)
    profile = {"industry": "C34", "size_class": "small", "district": "芝罘区"}
    with app.test_request_context():
        with pytest.raises(NotFound):
            referrals.propose(world.other_consultant, pid, catalogue=catalogues.current(CFG), profile=profile)
        short = referrals.propose(world.consultant, pid, catalogue=catalogues.current(CFG), profile=profile)
        # p001 has an account too but serves neither 芝罘区 nor C34: the ranking leaves it out
        assert [c["provider"] for c in short] == ["p018"] and short[0]["why"]["zh"]
        with pytest.raises(InvalidInput, match="not_proposed"):
            referrals.choose(world.owner, pid, "p001", app.config)
        with pytest.raises(NotFound):
            referrals.choose(world.stranger, pid, "p018", app.config)
        referrals.choose(world.owner, pid, "p018", app.config)
    db.expire_all()
    row = db.get(Project, pid)
    assert (row.organisation_id, row.provider_ref, row.status) == (p018, "p018", "requested")
    assert _detail(app, p018_staff, pid)["modules"][0]["id"] == "mes-basic"
    assert _move(app, p018_staff, pid, "contact") == "contacted"


def test_a_provider_not_offering_the_module_is_refused(app, db, world):
    with pytest.raises(projects.ProjectInvalid) as err:
        _ask(app, world, modules=["crm-saas"])  # p001 does not offer it
    assert err.value.problems == {"organisation": "provider_not_offering"}


def test_open_projects_of_a_suspended_provider_are_flagged_to_the_sme(app, db, world, make_user):
    from services import provider_lifecycle
    pid = _ask(app, world)
    admin = account(app, make_user(roles=("administrator",), enterprise=None))
    with app.test_request_context():
        provider_lifecycle.act(admin, "p001", "suspend", reason="严重违约", catalogue=catalogues.current(app.config),
                               settings=app.config)
        rows = project_views.for_enterprise(world.owner, world.enterprise_id,
                                            catalogue=catalogues.current(app.config), settings=app.config)
    assert [(r["id"], r["flagged"]) for r in rows] == [(pid, True)]
    with pytest.raises(projects.ProjectInvalid) as err:  # and it takes no new requests
        _ask(app, world)
    assert err.value.problems == {"organisation": "provider_unavailable"}
