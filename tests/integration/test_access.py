"""services.access: who reaches an enterprise's data, under which consent, and the audit record
every outsider's access leaves (none for the enterprise's own people)."""
from dataclasses import dataclass

import pytest
from flask_login import AnonymousUserMixin

from services import access
from services.access_vocabulary import UnknownTerm
from services.errors import NotFound
from tests.integration.test_report_support import submit_assessment
from tests.organisation_helpers import (account, audit_count, audit_records, consent, make_org,
                                        staff_user)


@dataclass
class World:
    enterprise_id: int
    assessment_id: int
    org_id: int
    owner: object
    member: object
    stranger: object
    consultant: object
    other_centre_consultant: object
    provider_staff: object


@pytest.fixture
def world(app, make_user, sme_user, other_sme_user):
    from services import accounts, invitations

    with app.app_context():
        token = invitations.invite(accounts.load_account(sme_user.id), sme_user.enterprise_id,
                                "member@example.com", days=1)
        member_id = invitations.accept_invitation(token, name="同事", password="correct horse battery")
        member = accounts.load_account(member_id)
    centre, other_centre = make_org(app, "centre"), make_org(app, "centre")
    provider = make_org(app, "provider")
    assessment_id = submit_assessment(app, sme_user.enterprise_id, sme_user.id)
    return World(sme_user.enterprise_id, assessment_id, centre, account(app, sme_user), member,
                 account(app, other_sme_user), account(app, staff_user(app, make_user, centre)),
                 account(app, staff_user(app, make_user, other_centre)),
                 account(app, staff_user(app, make_user, provider, "provider_staff")))


def _check(app, actor, action, enterprise_id, **kwargs):
    with app.test_request_context():
        return access.check(actor, action, enterprise_id, **kwargs)


def test_the_enterprises_own_people_reach_their_data_without_an_audit_record(app, db, world):
    for person in (world.owner, world.member):
        grant = _check(app, person, "view_assessment", world.enterprise_id)
        assert (grant.outsider, grant.consent_id) == (False, None)
        members_only = _check(app, person, "fill_self_assessment", world.enterprise_id)
        assert not members_only.outsider
    assert audit_count(db) == 0


def test_consented_staff_reach_it_and_each_read_is_audited(app, db, world):
    consent_id = consent(app, world.enterprise_id, world.org_id)
    grant = _check(app, world.consultant, "view_assessment", world.enterprise_id,
                   object_type="assessment", object_id=world.assessment_id)
    assert grant == access.Access(world.enterprise_id, "view_assessment", True, consent_id,
                                  world.org_id)
    _check(app, world.consultant, "view_report", world.enterprise_id)
    records = audit_records(db, world.enterprise_id)
    assert [(r.action, r.actor_user, r.actor_organisation, r.consent_id, r.object_type,
             r.object_id) for r in records] == [
        ("view_assessment", world.consultant.id, world.org_id, consent_id, "assessment",
         str(world.assessment_id)),
        ("view_report", world.consultant.id, world.org_id, consent_id, None, None)]


@pytest.mark.parametrize("state", ["revoked", "expired", "requested", "declined", "no scope",
                                   "other centre", "other enterprise", "provider", "signed out",
                                   "members only", "inactive organisation"])
def test_everyone_else_gets_not_found_and_leaves_nothing(app, db, world, state):
    actor, action = world.consultant, "view_assessment"
    status, days, scopes = "active", 30, ("view_assessments",)
    if state in ("revoked", "requested", "declined"):
        status = state
    elif state == "expired":
        days = -1
    elif state == "no scope":
        scopes = ("share_summary",)  # level and plan summary only: not the assessment
    consent(app, world.enterprise_id, world.org_id, scopes=scopes, status=status, days=days)
    if state == "other centre":
        actor = world.other_centre_consultant
    elif state == "other enterprise":
        actor = world.stranger
    elif state == "provider":
        actor = world.provider_staff
    elif state == "signed out":
        actor = AnonymousUserMixin()
    elif state == "members only":
        action = "fill_self_assessment"
    elif state == "inactive organisation":
        from storage.organisation_models import Organisation
        db.get(Organisation, world.org_id).status = "inactive"
        db.commit()
    with pytest.raises(NotFound):
        _check(app, actor, action, world.enterprise_id)
    assert not _permits(app, actor, action, world.enterprise_id)
    assert audit_count(db) == 0


def _permits(app, actor, action, enterprise_id, **kwargs):
    with app.test_request_context():
        return access.permits(actor, action, enterprise_id, **kwargs)


def test_a_consent_reaches_only_the_organisation_named_in_the_request(app, make_user, world):
    consent(app, world.enterprise_id, world.org_id)
    other = make_org(app, "centre")
    with app.app_context():
        from services import staff
        staff.add_member(other, world.consultant.id, "consultant")
    consultant = account(app, world.consultant)  # now on two centres' staff
    assert _permits(app, consultant, "view_assessment", world.enterprise_id)
    assert _permits(app, consultant, "view_assessment", world.enterprise_id,
                    organisation_id=world.org_id)
    assert not _permits(app, consultant, "view_assessment", world.enterprise_id,
                        organisation_id=other)


def test_an_administrator_reads_only_with_a_stated_purpose_and_never_changes(app, db, make_user,
                                                                              world):
    admin = account(app, make_user(roles=("administrator",), enterprise=None))
    with pytest.raises(NotFound):
        _check(app, admin, "view_assessment", world.enterprise_id)
    grant = _check(app, admin, "view_assessment", world.enterprise_id,
                   purpose="用户来电请求协助 #1024")
    assert (grant.outsider, grant.consent_id, grant.purpose) == (True, None, "用户来电请求协助 #1024")
    with pytest.raises(NotFound):
        _check(app, admin, "edit_on_site", world.enterprise_id, purpose="修正")
    with pytest.raises(NotFound):  # an enterprise that does not exist
        _check(app, admin, "view_assessment", 999_999, purpose="查看")
    [record] = audit_records(db, world.enterprise_id)
    assert (record.actor_user, record.purpose, record.consent_id) == (admin.id,
                                                                       "用户来电请求协助 #1024", None)


def test_role_limited_actions_need_one_of_the_roles(app, db, world):
    # edit_on_site names the centre roles: provider staff never do it, whatever the consent says.
    provider_org = world.provider_staff.organisations[0].organisation_id
    consent(app, world.enterprise_id, provider_org, scopes=("on_site_assessment",))
    assert not _permits(app, world.provider_staff, "edit_on_site", world.enterprise_id)
    consent(app, world.enterprise_id, world.org_id, scopes=("on_site_assessment",))
    assert _permits(app, world.consultant, "edit_on_site", world.enterprise_id)


@pytest.mark.parametrize("bad", [2**63, 2**64 + 5, -1, 0, "abc", None, "1e3"])
def test_ids_that_cannot_exist_answer_not_found(app, world, bad):
    consent(app, world.enterprise_id, world.org_id)
    with pytest.raises(NotFound):
        _check(app, world.consultant, "view_assessment", bad)
    with app.test_request_context(), pytest.raises(NotFound):
        access.assessment_for_user_or_404(world.owner, bad)


def test_unknown_actions_are_a_programming_error_not_a_404(app, world):
    with pytest.raises(UnknownTerm):
        _check(app, world.owner, "view_everything", world.enterprise_id)


def test_a_change_and_its_audit_record_commit_together_or_not_at_all(app, db, world):
    consent(app, world.enterprise_id, world.org_id)
    with app.test_request_context():
        with pytest.raises(RuntimeError):
            with access.granted(world.consultant, "edit_on_site", world.enterprise_id):
                raise RuntimeError("the change failed half-way")
    assert audit_count(db) == 0
    with app.test_request_context():
        with access.granted(world.consultant, "edit_on_site", world.enterprise_id) as grant:
            assert grant.outsider
    assert audit_count(db) == 1


def test_the_helpers_keep_todays_rule_and_open_to_consent_only_with_an_action(app, db, world):
    consent(app, world.enterprise_id, world.org_id)
    with app.test_request_context():
        assert access.assessment_for_user_or_404(world.owner, world.assessment_id).id == \
            world.assessment_id
        with pytest.raises(NotFound):  # no action: the enterprise's own people only
            access.assessment_for_user_or_404(world.consultant, world.assessment_id)
        found = access.assessment_for_user_or_404(world.consultant, world.assessment_id,
                                                  action="view_report").id
        data, profile = access.assessment_data_for_user_or_404(
            world.consultant, world.assessment_id, action="view_assessment")
        enterprise = access.enterprise_for_user_or_404(world.consultant, world.enterprise_id,
                                                       action="view_profile").id
    assert found == data["id"] == world.assessment_id and profile["district"] == "芝罘区"
    assert enterprise == world.enterprise_id
    assert [r.action for r in audit_records(db, world.enterprise_id)] == [
        "view_report", "view_assessment", "view_profile"]


def test_bureau_scope_is_the_bureaus_districts_and_industries(app, make_user):
    district = make_org(app, "bureau", districts=["芝罘区"], industries="C, I65")
    city = make_org(app, "bureau")
    centre = make_org(app, "centre")
    analyst = account(app, staff_user(app, make_user, district, "bureau_analyst"))
    city_analyst = account(app, staff_user(app, make_user, city, "bureau_analyst"))
    consultant = account(app, staff_user(app, make_user, centre))
    with app.test_request_context():
        scope = access.bureau_scope(analyst)
        whole = access.bureau_scope(city_analyst, city)
        with pytest.raises(NotFound):
            access.bureau_scope(consultant)
        with pytest.raises(NotFound):
            access.bureau_scope(analyst, city)  # not their bureau
    assert (scope.districts, scope.industries) == ({"芝罘区"}, {"C", "I65"})
    assert scope.covers("芝罘区", "C36") and scope.covers("芝罘区", "I65")
    assert not scope.covers("福山区", "C36") and not scope.covers("芝罘区", "I64")
    assert whole.covers("福山区", "H61") and not whole.districts


def test_a_bureaus_named_list_needs_named_list_consent(app, db, make_user, world):
    bureau = make_org(app, "bureau")
    analyst = account(app, staff_user(app, make_user, bureau, "bureau_analyst"))
    assert not _permits(app, analyst, "list_named", world.enterprise_id)
    consent(app, world.enterprise_id, bureau, scopes=("named_list",))
    assert _permits(app, analyst, "list_named", world.enterprise_id)
    assert not _permits(app, analyst, "view_assessment", world.enterprise_id)


def _authorise_each(app, actor, enterprise_ids, organisation_id):
    from storage.db import transaction

    with app.test_request_context(), transaction():
        return access.authorise_each(actor, "list_clients", enterprise_ids,
                                     organisation_id=organisation_id,
                                     object_type="organisation", object_id=organisation_id)


def test_a_list_is_decided_and_audited_in_order_with_each_consent(app, db, world, other_sme_user):
    first = consent(app, world.enterprise_id, world.org_id)
    second = consent(app, other_sme_user.enterprise_id, world.org_id)
    grants = _authorise_each(app, world.consultant,
                             [other_sme_user.enterprise_id, world.enterprise_id], world.org_id)
    assert [(g.enterprise_id, g.consent_id, g.outsider) for g in grants] == [
        (other_sme_user.enterprise_id, second, True), (world.enterprise_id, first, True)]
    records = audit_records(db, world.enterprise_id) + audit_records(db, other_sme_user.enterprise_id)
    assert sorted((r.seq, r.enterprise_id, r.consent_id, r.action) for r in records) == [
        (1, other_sme_user.enterprise_id, second, "list_clients"),
        (2, world.enterprise_id, first, "list_clients")]


@pytest.mark.parametrize("state", ["revoked", "other centre's consent", "signed out"])
def test_a_list_with_one_enterprise_not_consented_is_refused_whole_and_leaves_nothing(
        app, db, world, other_sme_user, state):
    consent(app, world.enterprise_id, world.org_id)
    actor = AnonymousUserMixin() if state == "signed out" else world.consultant
    if state == "revoked":
        consent(app, other_sme_user.enterprise_id, world.org_id, status="revoked")
    elif state == "other centre's consent":
        consent(app, other_sme_user.enterprise_id, make_org(app, "centre"))
    with pytest.raises(NotFound):
        _authorise_each(app, actor, [world.enterprise_id, other_sme_user.enterprise_id],
                        world.org_id)
    assert audit_count(db) == 0


def test_the_enterprises_own_people_listing_it_leave_no_record(app, db, world):
    grants = _authorise_each(app, world.owner, [world.enterprise_id], None)
    assert [(g.enterprise_id, g.outsider) for g in grants] == [(world.enterprise_id, False)]
    assert audit_count(db) == 0
