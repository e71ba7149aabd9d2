"""services.consents: either side starts; only an owner decides; a consent holds through its
last day; bad terms are refused whole, naming every problem; nothing half-written."""
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from services import consents
from services.errors import Conflict, NotFound
from storage.organisation_models import Consent
from tests.organisation_helpers import account, make_org, staff_user

TERMS = {"scopes": ["view_assessments"], "purpose": "咨询"}


def _until(days=90):
    return date.today() + timedelta(days=days)


def _count(db):
    db.expire_all()
    return db.scalar(select(func.count()).select_from(Consent))


@pytest.fixture
def centre(app):
    return make_org(app, "centre", name="测试促进中心")


@pytest.fixture
def member(app, sme_user):
    from services import accounts, invitations

    with app.app_context():
        token = invitations.invite(accounts.load_account(sme_user.id), sme_user.enterprise_id,
                                "clerk@example.com", days=1)
        user_id = invitations.accept_invitation(token, name="刘芳", password="correct horse battery")
        return accounts.load_account(user_id)


def test_an_owners_request_is_consent_given_at_once(app, db, sme_user, centre):
    owner = account(app, sme_user)
    with app.app_context():
        consent_id = consents.ask(owner, sme_user.enterprise_id, centre, valid_until=_until(),
                                  settings=app.config, **TERMS)
        found = consents.for_enterprise(owner, sme_user.enterprise_id)
    row = db.get(Consent, consent_id)
    assert (row.status, row.requested_by, row.decided_by_user) == ("active", "enterprise",
                                                                   sme_user.id)
    assert [c["id"] for c in found.in_force] == [consent_id] and not found.awaiting


def test_a_members_request_waits_for_an_owner(app, db, sme_user, member, centre):
    with app.app_context():
        consent_id = consents.ask(member, sme_user.enterprise_id, centre, valid_until=_until(),
                                  settings=app.config, **TERMS)
        with pytest.raises(NotFound):  # a member does not decide
            consents.accept(member, consent_id)
        assert db.get(Consent, consent_id).status == "requested"
        consents.accept(account(app, sme_user), consent_id)
    db.expire_all()
    assert db.get(Consent, consent_id).status == "active"


def test_an_organisation_invites_by_uscc_or_owner_email_and_the_owner_decides(
        app, db, make_user, sme_user, other_sme_user, centre):
    consultant = account(app, staff_user(app, make_user, centre))
    from storage.models import Enterprise
    db.get(Enterprise, sme_user.enterprise_id).uscc = "91370602MA3C4H5K12"
    db.commit()
    owner, other = account(app, sme_user), account(app, other_sme_user)
    with app.app_context():
        by_code = consents.invite(consultant, centre, uscc=" 91370602ma3c4h5k12 ",
                                  valid_until=_until(), settings=app.config, **TERMS)
        by_mail = consents.invite(consultant, centre, owner_email=other_sme_user.email.upper(),
                                  valid_until=_until(), settings=app.config, **TERMS)
        with pytest.raises(NotFound):  # another enterprise's owner cannot touch it
            consents.accept(other, by_code)
        consents.accept(owner, by_code)
        consents.decline(other, by_mail)
        with pytest.raises(Conflict):  # decided already
            consents.accept(other, by_mail)
    db.expire_all()
    assert [db.get(Consent, i).status for i in (by_code, by_mail)] == ["active", "declined"]
    assert db.get(Consent, by_code).enterprise_id == sme_user.enterprise_id


def test_only_the_organisations_staff_invite_for_it(app, make_user, sme_user, centre):
    outsider = account(app, staff_user(app, make_user, make_org(app, "centre")))
    with app.app_context(), pytest.raises(NotFound):
        consents.invite(outsider, centre, owner_email=sme_user.email, valid_until=_until(),
                        settings=app.config, **TERMS)


@pytest.mark.parametrize("terms, problems", [
    ({"scopes": [], "purpose": "", "valid_until": None},
     {"scopes": "scopes_required", "purpose": "purpose_required",
      "valid_until": "valid_until_required"}),
    ({"scopes": ["read_everything"], "purpose": "x" * 501, "valid_until": "30/06/2027"},
     {"scopes": "scope_unknown", "purpose": "purpose_too_long",
      "valid_until": "valid_until_format"}),
    ({"scopes": ["named_list"], "purpose": "ok", "valid_until": "2001-01-01"},
     {"scopes": "scope_not_for_kind", "valid_until": "valid_until_past"}),
    ({"scopes": ["view_assessments"], "purpose": "ok", "valid_until": "2999-01-01"},
     {"valid_until": "valid_until_too_far"}),
    ({"scopes": "view_assessments", "purpose": ["not", "text"], "valid_until": 20270630},
     {"scopes": "scope_unknown", "purpose": "purpose_required",
      "valid_until": "valid_until_format"}),
])
def test_bad_terms_are_refused_naming_every_problem(app, db, sme_user, centre, terms, problems):
    with app.app_context(), pytest.raises(consents.ConsentInvalid) as refused:
        consents.ask(account(app, sme_user), sme_user.enterprise_id, centre,
                     settings=app.config, **terms)
    assert refused.value.problems == problems
    assert _count(db) == 0


@pytest.mark.parametrize("organisation", ["", "abc", 10**30, 999_999])
def test_an_unknown_organisation_is_a_named_problem(app, db, sme_user, organisation):
    with app.app_context(), pytest.raises(consents.ConsentInvalid) as refused:
        consents.ask(account(app, sme_user), sme_user.enterprise_id, organisation,
                     valid_until=_until(), settings=app.config, **TERMS)
    assert refused.value.problems == {"organisation": "organisation_unknown"}
    assert _count(db) == 0


def test_finding_the_enterprise_needs_exactly_one_known_key(app, make_user, sme_user, centre):
    consultant = account(app, staff_user(app, make_user, centre))
    cases = [({}, {"uscc": "uscc_or_email"}),
             ({"uscc": "91370602MA3C4H5K12", "owner_email": sme_user.email},
              {"uscc": "uscc_or_email"}),
             ({"uscc": "91370602MA3C4H5K1"}, {"uscc": "uscc_length"}),
             ({"uscc": "91370602MA3C4H5K13"}, {"uscc": "uscc_checksum"}),
             ({"uscc": "91110000600037341L"}, {"uscc": "enterprise_not_found"}),
             ({"owner_email": "nobody@example.com"}, {"owner_email": "enterprise_not_found"})]
    with app.app_context():
        for keys, problems in cases:
            with pytest.raises(consents.ConsentInvalid) as refused:
                consents.invite(consultant, centre, valid_until=_until(), settings=app.config,
                                **TERMS, **keys)
            assert refused.value.problems == problems, keys


def test_one_open_consent_per_enterprise_and_organisation(app, db, sme_user, centre):
    owner = account(app, sme_user)
    with app.app_context():
        first = consents.ask(owner, sme_user.enterprise_id, centre, valid_until=_until(),
                             settings=app.config, **TERMS)
        with pytest.raises(Conflict):
            consents.ask(owner, sme_user.enterprise_id, centre, valid_until=_until(),
                         settings=app.config, **TERMS)
        consents.revoke(owner, first)
        with pytest.raises(Conflict):  # revoked already
            consents.revoke(owner, first)
        again = consents.ask(owner, sme_user.enterprise_id, centre, valid_until=_until(),
                             settings=app.config, **TERMS)
    assert again != first and _count(db) == 2


def test_revoking_records_who_and_when(app, db, sme_user, centre):
    owner = account(app, sme_user)
    with app.app_context():
        consent_id = consents.ask(owner, sme_user.enterprise_id, centre, valid_until=_until(),
                                  settings=app.config, **TERMS)
        consents.revoke(owner, consent_id)
        found = consents.for_enterprise(owner, sme_user.enterprise_id)
    row = db.get(Consent, consent_id)
    assert (row.status, row.revoked_by) == ("revoked", sme_user.id) and row.revoked_at
    assert [c["state"] for c in found.past] == ["revoked"] and not found.in_force


def test_a_consent_holds_through_its_last_day_in_the_services_time_zone(app, db, sme_user,
                                                                        centre):
    with app.app_context():
        consent_id = consents.ask(account(app, sme_user), sme_user.enterprise_id, centre,
                                  valid_until="2027-06-30", settings=app.config, **TERMS)
    row = db.get(Consent, consent_id)
    until = row.valid_until.replace(tzinfo=row.valid_until.tzinfo or timezone.utc)
    # The end of 30 June in Shanghai is 16:00 UTC that day.
    assert until == datetime(2027, 6, 30, 16, 0, tzinfo=timezone.utc)
    assert consents.state(row, until - timedelta(seconds=1)) == "active"
    assert consents.state(row, until) == "expired"


def test_an_expired_request_can_no_longer_be_accepted(app, db, sme_user, centre):
    from tests.organisation_helpers import consent
    consent_id = consent(app, sme_user.enterprise_id, centre, status="requested", days=-1)
    with app.app_context(), pytest.raises(Conflict):
        consents.accept(account(app, sme_user), consent_id)
    db.expire_all()
    assert db.get(Consent, consent_id).status == "requested"


def test_only_the_enterprises_people_see_its_consents_and_log(app, sme_user, other_sme_user):
    with app.app_context():
        for call in (consents.for_enterprise, consents.access_log):
            with pytest.raises(NotFound):
                call(account(app, other_sme_user), sme_user.enterprise_id)
